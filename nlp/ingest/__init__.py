"""Readers, one per medium. Each turns bytes into an `Extracted` (text with tables as tab-separated rows)."""

from __future__ import annotations

from pathlib import Path

from nlp.document import Extracted, ReadError
from nlp.settings import Settings, get_settings

SUFFIXES = {
    ".pdf": "pdf",
    ".docx": "docx",
    ".html": "html",
    ".htm": "html",
    ".txt": "text",
    ".md": "text",
    ".markdown": "text",
    ".png": "image",
    ".jpg": "image",
    ".jpeg": "image",
    ".tif": "image",
    ".tiff": "image",
}
# The first bytes of the image formats a photographed or scanned report comes in.
IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")


GIVE = "give a PDF, .docx, .html, text file or a page image (.png, .jpg, .tif)"


def sniff(data: bytes, filename: str | None) -> str:
    """The medium of a file, from its first bytes, else from its name."""
    if data.startswith(IMAGE_MAGIC):
        return "image"
    head = data[:1024].lstrip()
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "docx"
    if head[:1] == b"<" and b"<html" in data[:4096].lower() or b"<table" in data[:65536].lower():
        return "html"
    suffix = Path(filename or "").suffix.lower()
    if SUFFIXES.get(suffix) in ("pdf", "docx", "image"):
        raise ReadError(
            "truncated",
            f"{filename} is named {suffix} but is not a valid {suffix[1:]} file "
            "(truncated or renamed); export it again from the original.",
        )
    if suffix and suffix not in SUFFIXES:
        raise ReadError("unsupported", f"Unsupported file type {suffix!r}: {GIVE}.")
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ReadError("unsupported", f"This is a binary file, not a report: {GIVE}.")
    return "text"


def read(data: bytes, filename: str | None = None, settings: Settings | None = None) -> Extracted:
    """Read one file of any supported medium, within the limits of `settings` (default: those in force)."""
    settings = settings or get_settings()
    if not data or not data.strip():
        raise ReadError("empty", "The file is empty: there is nothing to read.")
    medium = sniff(data, filename)
    if medium == "pdf":
        from nlp.ingest.pdf import read_pdf

        return read_pdf(data, settings)
    if medium == "image":
        from nlp.ingest.ocr import read_image

        return read_image(data, settings)
    if medium == "docx":
        from nlp.ingest.docx import read_docx

        return read_docx(data, settings)
    if medium == "html":
        from nlp.ingest.html import read_html

        return read_html(data, settings)
    from nlp.ingest.text import read_text

    return read_text(data)
