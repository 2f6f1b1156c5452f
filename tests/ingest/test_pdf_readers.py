"""The pdfium reader against the old one (pdfminer through pdfplumber, GONGKAI_PDF_READER=pdfplumber): the same
text, pages, dates and warnings from every PDF we have, and the same error from every broken one. The real
reports printed to PDF by Chromium are compared in tests/dev/test_real_pdf.py."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from broken_files import HONGZE, encrypted_pdf, scanned_pdf
from conftest import REPORTS, ROOT
from pypdf import PdfReader, PdfWriter

from nlp.document import ReadError
from nlp.ingest.pdf import read_pdf
from nlp.ingest.pdfium_page import page_content
from nlp.settings import Settings

pytestmark = pytest.mark.shared

PDFIUM, PDFPLUMBER = Settings(), Settings(pdf_reader="pdfplumber")
FILES = sorted(REPORTS.glob("*.pdf")) + sorted((ROOT / "tests" / "fixtures" / "media").glob("*.pdf"))


def reading(data: bytes, settings: Settings) -> tuple[object, ...]:
    try:
        extracted = read_pdf(data, settings)
    except ReadError as error:
        return ("error", error.code, error.message)
    return (extracted.text, extracted.pages, extracted.dates, [w.message for w in extracted.warnings])


def test_pdfium_is_the_default_reader() -> None:
    assert PDFIUM.pdf_reader == "pdfium"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_both_readers_read_a_pdf_alike(path: Path) -> None:
    data = path.read_bytes()
    assert reading(data, PDFIUM) == reading(data, PDFPLUMBER)


def rotated_page() -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(HONGZE)))
    writer.pages[0].rotate(90)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize(
    "data",
    [HONGZE[: len(HONGZE) // 3], HONGZE[:2000], encrypted_pdf(), b"%PDF-1.4\n" + bytes(500)],
    ids=["a third", "2,000 bytes", "encrypted", "header only"],
)
def test_both_readers_refuse_a_broken_pdf_alike(data: bytes) -> None:
    got = reading(data, PDFIUM)
    assert got[0] == "error" and got == reading(data, PDFPLUMBER)


def test_a_scanned_page_goes_to_ocr_from_both_readers() -> None:
    """A blank scan: both readers find no text layer, and OCR finds nothing to read."""
    assert reading(scanned_pdf(), PDFIUM)[:2] == reading(scanned_pdf(), PDFPLUMBER)[:2] == ("error", "scanned")


def test_characters_and_edges_are_pdfminers() -> None:
    """On page 3 of hongze-district-2023 (tables 2 and 3, a label set down a column): pdfplumber's own values."""
    import pdfplumber
    import pypdfium2 as pdfium

    with pdfplumber.open(io.BytesIO(HONGZE)) as pdf:
        page = pdf.pages[2]
        want_chars = [(c["text"], round(c["x0"], 1), round(c["top"], 1), round(c["bottom"], 1)) for c in page.chars]
        want_edges = sorted(
            (e["orientation"], *(round(e[k], 2) for k in ("x0", "x1", "top", "bottom"))) for e in page.edges
        )
    content = page_content(pdfium.PdfDocument(HONGZE)[2], 10**6)
    got_chars = [(c["text"], round(c["x0"], 1), round(c["top"], 1), round(c["bottom"], 1)) for c in content.chars]
    got_edges = sorted(
        (e["orientation"], *(round(e[k], 2) for k in ("x0", "x1", "top", "bottom"))) for e in content.edges
    )
    assert len(got_edges) == len(want_edges) > 500 and got_edges == want_edges
    same = sum(a == b for a, b in zip(got_chars, want_chars, strict=True))
    assert same == len(want_chars)


def test_a_page_turned_for_display_is_read_as_written() -> None:
    """/Rotate turns a page on screen; pdfium reads the text as it is written, so a page a viewer turned reads as
    before it was turned (pdfminer read it sideways, a junk of one character a line)."""
    assert reading(rotated_page(), PDFIUM) == reading(HONGZE, PDFIUM)


def test_threads_of_one_process_read_pdfs_at_once() -> None:
    """pdfium is not thread-safe; a dask worker with several threads reads one PDF at a time through it."""
    from concurrent.futures import ThreadPoolExecutor

    files = [path.read_bytes() for path in FILES] * 2
    with ThreadPoolExecutor(4) as pool:
        texts = list(pool.map(lambda data: reading(data, PDFIUM), files))
    assert texts == [reading(data, PDFIUM) for data in files]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_the_cell_search_finds_pdfplumbers_cells(path: Path) -> None:
    """`_cells` is pdfplumber's `intersections_to_cells` made faster: the same cells, in the same order."""
    import pypdfium2 as pdfium
    from pdfplumber.table import TableFinder, edges_to_intersections, intersections_to_cells

    from nlp.ingest.pdf import _cells

    for page in pdfium.PdfDocument(path.read_bytes()):
        content = page_content(page, 10**6)
        intersections = edges_to_intersections(TableFinder(content).edges, 3, 3)
        assert _cells(intersections) == intersections_to_cells(intersections)
