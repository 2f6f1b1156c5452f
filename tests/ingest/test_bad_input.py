"""Bad input gets a clear one-line error (CLI exit code 2), never a traceback or a silent wrong answer."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from broken_files import HONGZE, encrypted_pdf, scanned_pdf
from conftest import REPORTS
from pypdf import PdfReader, PdfWriter

from nlp.document import ReadError
from nlp.pipeline import analyze
from nlp.settings import get_settings
from service.cli import main

pytestmark = pytest.mark.shared


@pytest.mark.parametrize(
    ("data", "name", "code", "words"),
    [
        (b"", "empty.txt", "empty", "empty"),
        (b"   \n\n ", "blank.txt", "empty", "empty"),
        (HONGZE[: len(HONGZE) // 3], "cut.pdf", "truncated", "truncated"),
        (b"\x89PNG\r\n\x1a\n" + bytes(200), "photo.pdf", "truncated", "image cannot be decoded"),
        (b"\x89PNG\r\n\x1a\n" + bytes(200), "photo.png", "truncated", "cannot be decoded"),
        (b"GIF89a" + bytes(200), "photo.gif", "unsupported", "unsupported file type"),
        (b"PK\x03\x04" + bytes(100), "report.docx", "truncated", "docx"),
        ("今天天气很好，我们去公园散步。".encode(), "note.txt", "not_report", "does not look like"),
        (
            (REPORTS / "pingtan" / "pingtan-2020.txt").read_bytes() * 100,
            "bundle.txt",
            "too_long",
            "each report on its own",
        ),
    ],
)
def test_unreadable_input_raises_a_clear_error(data: bytes, name: str, code: str, words: str) -> None:
    with pytest.raises(ReadError) as caught:
        analyze(data, name)
    assert caught.value.code == code
    assert words in caught.value.message.lower()
    assert "\n" not in caught.value.message


def test_scan_ocr_cannot_read_names_the_pages() -> None:
    """Blank page images: OCR finds no text on any page, so the file is refused, naming the pages and why."""
    with pytest.raises(ReadError) as caught:
        analyze(scanned_pdf(3), "scan.pdf")
    assert caught.value.code == "scanned"
    assert "OCR" in caught.value.message and "1–3" in caught.value.message


def test_encrypted_pdf() -> None:
    with pytest.raises(ReadError) as caught:
        analyze(encrypted_pdf(), "locked.pdf")
    assert caught.value.code == "encrypted"
    assert "password" in caught.value.message


def test_gbk_text_reads_like_utf8() -> None:
    text = (REPORTS / "pingtan" / "pingtan-2023.txt").read_text(encoding="utf-8")
    utf8, gbk = analyze(text.encode("utf-8"), "a.txt"), analyze(text.encode("gb18030"), "a.txt")
    assert gbk.tables == utf8.tables and gbk.agency == utf8.agency == "平潭综合实验区"


def test_full_width_digits_are_read() -> None:
    text = (REPORTS / "pingtan" / "pingtan-2023.txt").read_text(encoding="utf-8")
    wide = text.replace("801000081", "８０１０００００８１")
    assert analyze(wide.encode(), "w.txt").tables["t3.new.natural_person"] == 80


def test_cli_prints_one_line_and_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "cut.pdf"
    bad.write_bytes(HONGZE[:5000])
    assert main(["analyze", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err and "cut.pdf" in err


def test_cli_as_a_process_has_no_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "empty.pdf"
    bad.write_bytes(b"")
    done = subprocess.run(
        [sys.executable, "-m", "service.cli", "analyze", str(bad)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 2 and "Traceback" not in done.stderr and "empty" in done.stderr


def test_a_report_saved_twice_in_one_file_is_read_with_a_warning() -> None:
    """A crawled page that holds the report twice: the first 统计表 is read, the second one noted."""
    text = (REPORTS / "pingtan" / "pingtan-2016.txt").read_text(encoding="utf-8")
    report = analyze((text + "\n\n" + text).encode("utf-8"), "twice.txt")
    assert report.tables["stat.主动公开文件数"] == 3460
    assert any("printed a second time" in w for w in report.to_dict()["warnings"])


MANGLED_SOURCES = [REPORTS / "pingtan" / name for name in ("pingtan-2016.txt", "pingtan-2020.txt", "pingtan-2023.txt")]


@pytest.mark.parametrize("path", MANGLED_SOURCES, ids=lambda p: p.stem)
def test_truncated_spliced_and_shuffled_reports_never_crash(path: Path) -> None:
    """A file cut off mid-table, two reports run into each other, lines out of order: a result or a ReadError.

    (Before the solver dropped equations over rows a truncated table lacks, 48 of 400 such texts crashed.)"""
    text = path.read_text(encoding="utf-8")
    other = (REPORTS / "pingtan" / "pingtan-2012.txt").read_text(encoding="utf-8")
    lines = text.split("\n")
    variants = [text[: len(text) * k // 12] for k in range(1, 12)]
    variants += [text[: len(text) // 2] + other[len(other) // 3 :], "\n".join(lines[::-1]), text + "\n\n" + text]
    for variant in variants:
        try:
            analyze(variant.encode("utf-8"), "mangled.txt")
        except ReadError:
            pass


def test_a_pdf_of_many_pages_is_refused_before_its_pages_are_read() -> None:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(HONGZE)))
    while len(writer.pages) <= get_settings().max_pages:
        writer.add_blank_page()
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(ReadError) as caught:
        analyze(out.getvalue(), "bundle.pdf")
    assert caught.value.code == "too_long" and f"{len(writer.pages)} pages" in caught.value.message
