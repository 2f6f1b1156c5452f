"""OCR against the truth: the real PDFs, rasterised at test time into image-only PDFs (tests/scans.py), read by OCR
and compared with their own text-layer reading.

OCR is slow (seconds a page), so each page image is recognised once per test session (`recognised`): the same
pixels sent again get the engine's boxes of the first time, and the layout, the tables and the checks run anew.
"""

from __future__ import annotations

import hashlib
import io
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from conftest import REPORTS
from PIL import Image
from scans import image_pdf, page_images

import nlp.ingest.ocr as ocr
from nlp.batch import analyze_all
from nlp.document import ReadError, Report
from nlp.pipeline import analyze, read_report
from nlp.settings import Settings

pytestmark = pytest.mark.shared

REAL = ["hongze-district-2023.pdf", "hongze-district-2024.pdf", "huaian-city-2024.pdf"]
_RECOGNISE = ocr.recognise
_BOXES: dict[str, ocr.Page] = {}


def _recognise_once(image: Any, threads: int) -> ocr.Page:
    key = hashlib.sha256(image.tobytes() + repr((image.size, image.mode)).encode()).hexdigest()
    if key not in _BOXES:
        _BOXES[key] = _RECOGNISE(image, threads)
    return _BOXES[key]


@pytest.fixture(autouse=True)
def recognised(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ocr, "recognise", _recognise_once)


@cache
def text_read(name: str) -> Report:
    return analyze((REPORTS / name).read_bytes(), name)


@cache
def scan(name: str, dpi: int = 150, rotate: float = 0, jpeg: int | None = None, pages: tuple[int, ...] = ()) -> bytes:
    images = page_images(REPORTS / name, dpi, rotate, jpeg)
    return image_pdf([images[p - 1] for p in pages] if pages else images, dpi)


@cache
def mixed(name: str, scanned: tuple[int, ...], **variant: Any) -> bytes:
    """The real PDF with the pages `scanned` replaced by image-only pages: the rest keeps its text layer."""
    from pypdf import PdfReader, PdfWriter

    images = PdfReader(io.BytesIO(scan(name, pages=scanned, **variant)))
    writer = PdfWriter()
    for number, page in enumerate(PdfReader(REPORTS / name).pages, 1):
        writer.add_page(images.pages[scanned.index(number)] if number in scanned else page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def cell_accuracy(truth: Report, read: Report, keys: set[str] | None = None) -> float:
    keys = keys or set(truth.tables)
    return sum(read.tables.get(k, "missing") == truth.tables[k] for k in keys) / len(keys)


def findings(report: Report) -> set[tuple[str | None, str, tuple[str, ...]]]:
    """Errors and warnings. Info findings are left out: a scan made by Pillow carries no PDF creation date, so
    the publication facts (and timeliness info) differ from the original's for a reason outside OCR."""
    return {(f.check, f.severity, tuple(f.cells)) for f in report.findings if f.severity != "info"}


@pytest.mark.parametrize("name", REAL)
def test_scan_at_150_dpi_reads_as_its_text_layer(name: str) -> None:
    """Every table cell as the text layer reads it (Huaian's table 3 too: zeros small in wide cells, labels over
    three lines, read cell by cell from the scan's rulings), and the same errors and warnings."""
    truth, read = text_read(name), analyze(scan(name), name)
    assert read.ocr is not None and read.ocr.pages == list(range(1, truth.pages + 1))
    assert cell_accuracy(truth, read) == 1.0
    assert findings(read) == findings(truth)
    assert read.notices()[0].message.startswith(f"Read by OCR, pages 1–{truth.pages}: numbers read by OCR")
    document = read.to_dict()
    assert document["source"]["ocr"] == read.ocr.pages
    assert set(document["ocr_cells"]) == {k for k, v in read.tables.items() if v is not None}


def test_rotated_and_100_dpi_and_jpeg_scans_of_table_3() -> None:
    """Figures to report, held to what they measured: hongze-2024 with its table-3 pages (3 and 4) scanned at
    100 dpi, turned by 1°, and as JPEG of quality 30; the other pages keep their text layer."""
    name = "hongze-district-2024.pdf"
    truth = text_read(name)
    keys = {k for k in truth.tables if k.startswith("t3.")}
    figures = {}
    for variant, options in {"100dpi": {"dpi": 100}, "rotated": {"rotate": 1.0}, "jpeg": {"jpeg": 30}}.items():
        report = analyze(mixed(name, (3, 4), **options), name)
        assert report.ocr is not None and report.ocr.pages == [3, 4]
        figures[variant] = cell_accuracy(truth, report, keys)
        assert not {f for f in findings(report) if f[1] == "error"} - findings(truth), variant
    print("table 3 cell accuracy:", figures)
    assert figures == {"100dpi": 1.0, "rotated": 1.0, "jpeg": 1.0}


def test_a_row_ocr_cannot_place_leaves_the_totals_over_rows_unchecked() -> None:
    """huaian-2024 as JPEG of quality 30: one label of table 3 reads 政府信惠 for 政府信息, so row 不掌握相关政府信息
    is not found, and 总计 no longer adds up over the rows read. That is OCR's doing, not the report's: the sum
    stands as a warning that says so, and no error is one the text read lacks."""
    name = "huaian-city-2024.pdf"
    truth, read = text_read(name), analyze(scan(name, jpeg=30), name)
    assert "t3.unavailable.not_held.total" in truth.tables and "t3.unavailable.not_held.total" not in read.tables
    notice = next(n for n in read.notices() if n.code == "ocr.rows_missing")
    assert "unavailable.not_held" in notice.message and "t3.total.total" in notice.cells
    assert not {f for f in findings(read) if f[1] == "error"} - findings(truth)
    hedged = [f for f in read.findings if f.check == "table.sum.t3"]
    assert hedged and all(f.severity == "warning" and "could not place a row" in f.message for f in hedged)


def test_mixed_pdf_reads_its_scanned_page_by_ocr() -> None:
    """Text pages with one image-only page holding table 3: only that page goes to OCR."""
    name = "hongze-district-2023.pdf"
    truth, read = text_read(name), analyze(mixed(name, (3,)), name)
    assert read.ocr is not None and read.ocr.pages == [3]
    assert cell_accuracy(truth, read) >= 0.99
    assert findings(read) == findings(truth)
    assert read.ocr.cells and all(k.startswith(("t2.", "t3.")) for k in read.ocr.cells)


def test_an_error_resting_on_a_doubtful_ocr_cell_is_a_warning() -> None:
    """hongze-2023's table 4 sums are wrong as printed (errors in the text read); with every OCR cell below the
    threshold they stand as warnings that say why."""
    name = "hongze-district-2023.pdf"
    sure = read_report(scan(name), name, Settings())
    doubtful = read_report(scan(name), name, Settings(ocr_min_confidence=1.0))
    errors = [f for f in sure.findings if f.check == "table.sum.t4"]
    hedged = [f for f in doubtful.findings if f.check == "table.sum.t4"]
    assert errors and {f.severity for f in errors} == {"error"}
    assert [f.severity for f in hedged] == ["warning"] * len(errors)
    assert all("read by OCR with low confidence" in f.message for f in hedged)
    assert any(n.code == "ocr.low_confidence" for n in doubtful.notices())


def test_image_upload_png() -> None:
    name = "hongze-district-2023.pdf"
    images = page_images(REPORTS / name, 150)
    png = io.BytesIO()
    images[2].save(png, "PNG")
    one = read_report(png.getvalue(), "page3.png")
    assert (one.medium, one.pages, one.ocr.pages if one.ocr else None) == ("image", 1, [1])
    assert one.to_dict()["source"]["format"] == "image"


def test_unreadable_pages_are_named() -> None:
    name = "hongze-district-2023.pdf"
    images = page_images(REPORTS / name, 150)
    blank = Image.new("L", images[0].size, 255)
    tiny = images[0].resize((120, 170))
    read = read_report(image_pdf([images[0], blank, images[2], images[3], tiny], 150), name)
    warnings = [n.message for n in read.notices() if n.code == "ocr.unread_page"]
    assert warnings == [
        "Page 2: OCR could not read it (blank: no text found).",
        "Page 5: OCR could not read it (too small (120×170 pixels)).",
    ]
    assert read.tables.get("t3.new.total") == 21  # the readable pages are read


def test_ocr_past_its_time_budget_is_a_clear_error() -> None:
    with pytest.raises(ReadError) as caught:
        read_report(scan("hongze-district-2023.pdf"), "scan.pdf", Settings(ocr_seconds=0.001))
    assert caught.value.code == "ocr_timeout" and "GONGKAI_OCR_SECONDS" in caught.value.message


def test_batch_tells_each_page_ocr_reads(tmp_path: Path) -> None:
    """`gongkai batch` shows OCR's progress on a scan page by page (the worker tells the parent through a queue)."""
    images = page_images(REPORTS / "hongze-district-2023.pdf", 150)
    strips = [images[0].crop((0, 0, images[0].width, 400)), images[1].crop((0, 0, images[1].width, 400))]
    (tmp_path / "scan.pdf").write_bytes(image_pdf(strips, 150))
    told: list[tuple[str, int, int]] = []
    lines = list(analyze_all(tmp_path, ["scan.pdf"], Settings(workers=1), lambda *page: told.append(page)))
    assert [line["file"] for line in lines] == ["scan.pdf"] and told == [("scan.pdf", 1, 2), ("scan.pdf", 2, 2)]


def test_multipage_tiff_with_a_page_upside_down() -> None:
    """A multi-page TIFF upload (deflate-compressed, as scanners write them) is read frame by frame; its page of
    tables 2 and 3, fed in upside down, is turned and read like the others."""
    name = "hongze-district-2023.pdf"
    images = page_images(REPORTS / name, 150)
    images[2] = images[2].rotate(180)
    tiff = io.BytesIO()
    images[0].save(tiff, "TIFF", save_all=True, append_images=images[1:], compression="tiff_deflate")
    truth, read = text_read(name), analyze(tiff.getvalue(), "report.tif")
    assert (read.medium, read.pages, read.ocr.pages if read.ocr else None) == ("image", 5, [1, 2, 3, 4, 5])
    assert cell_accuracy(truth, read) == 1.0
    assert not {f for f in findings(read) if f[1] == "error"} - findings(truth)
