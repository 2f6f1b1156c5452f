"""Scans made at test time from the real PDFs: each page rendered by pdfium (grayscale), optionally turned or
JPEG-compressed, and saved by Pillow as an image-only PDF. Nothing of it is committed."""

from __future__ import annotations

import io
from pathlib import Path

import pypdfium2
from PIL import Image


def page_images(path: Path, dpi: int, rotate: float = 0, jpeg: int | None = None) -> list[Image.Image]:
    """The PDF's pages as grayscale images; `rotate` degrees (counter-clockwise, white corners), `jpeg` quality."""
    document = pypdfium2.PdfDocument(path.read_bytes())
    images = []
    for page in document:
        rendered = page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
        image = Image.frombytes("L", rendered.size, rendered.tobytes())  # its own pixels, not pdfium's buffer
        if rotate:
            image = image.rotate(rotate, expand=True, fillcolor=255, resample=Image.Resampling.BICUBIC)
        if jpeg is not None:
            buffer = io.BytesIO()
            image.save(buffer, "JPEG", quality=jpeg)
            image = Image.open(io.BytesIO(buffer.getvalue())).convert("L")
        images.append(image)
    document.close()
    return images


def image_pdf(images: list[Image.Image], dpi: int) -> bytes:
    """An image-only PDF (no text layer), one page per image."""
    buffer = io.BytesIO()
    images[0].save(buffer, "PDF", save_all=True, append_images=images[1:], resolution=dpi)
    return buffer.getvalue()
