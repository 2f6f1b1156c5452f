"""Broken inputs the bad-input and fuzz tests share: a scanned PDF and a password-protected one."""

from __future__ import annotations

import io

from conftest import REPORTS
from PIL import Image
from pypdf import PdfReader, PdfWriter

HONGZE = (REPORTS / "hongze-district-2023.pdf").read_bytes() if REPORTS.is_dir() else b""


def scanned_pdf(pages: int = 1) -> bytes:
    """An image-only PDF, as a scanner makes: no text layer at all."""
    images = [Image.new("RGB", (600, 800), "white") for _ in range(pages)]
    out = io.BytesIO()
    images[0].save(out, format="PDF", save_all=True, append_images=images[1:])
    return out.getvalue()


def encrypted_pdf() -> bytes:
    """A real report, locked with a user password."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(HONGZE)))
    writer.encrypt(user_password="secret", owner_password="owner")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
