"""Files built to exhaust a reader (nlp/dev/hostile.py makes them here, none is stored): each ends at once with
a clear error and little memory, and what an XML or HTML file declares as an entity is never read."""

from __future__ import annotations

import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest

from nlp.dev import hostile
from nlp.document import ReadError
from nlp.ingest import read
from nlp.settings import Settings

MB = 2**20
OLD_READER = Settings(pdf_reader="pdfplumber")  # pdfminer under our guards (nlp/ingest/pdfguard.py)


def refused(data: bytes, name: str, settings: Settings | None = None) -> tuple[ReadError, float, float]:
    """The error reading gives, its seconds, and the peak MB Python allocated meanwhile."""
    tracemalloc.start()
    start = time.perf_counter()
    try:
        with pytest.raises(ReadError) as caught:
            read(data, name, settings or Settings())
        return caught.value, time.perf_counter() - start, tracemalloc.get_traced_memory()[1] / MB
    finally:
        tracemalloc.stop()


def test_a_docx_bomb_is_refused_from_its_zip_directory() -> None:
    error, seconds, peak = refused(hostile.docx_bomb(300 * MB), "bomb.docx")
    assert error.code == "too_large" and "GONGKAI_MAX_UNZIPPED_MB" in error.message
    assert seconds < 2 and peak < 10  # the zip is 0.3 MB; nothing was inflated


def test_a_part_that_inflates_a_thousand_times_is_refused_by_its_ratio() -> None:
    error, _, peak = refused(hostile.docx_bomb(40 * MB), "ratio.docx")  # under the 100 MB total
    assert error.code == "too_large" and "GONGKAI_MAX_ZIP_RATIO" in error.message
    assert peak < 10


def test_a_zip_directory_that_lies_about_sizes_is_caught_while_inflating() -> None:
    """Declared 1,000 bytes, inflates to 40 MB: zipfile stops at the declared size and the CRC is wrong."""
    error, seconds, peak = refused(hostile.docx_lying(40 * MB), "lying.docx")
    assert error.code == "truncated" and seconds < 2 and peak < 10


@pytest.mark.parametrize("build", [hostile.docx_billion_laughs, hostile.docx_external_entity])
def test_a_docx_declaring_entities_is_refused(build: Callable[[], bytes]) -> None:
    error, seconds, _ = refused(build(), "entities.docx")
    assert error.code == "unreadable" and "DTD" in error.message and seconds < 1


@pytest.mark.parametrize("build", [hostile.html_billion_laughs, hostile.html_external_entity])
def test_html_entities_are_never_expanded_nor_files_read(build: Callable[[], bytes]) -> None:
    start = time.perf_counter()
    text = read(build(), "page.html", Settings()).text
    assert "lollol" not in text and "root:" not in text and time.perf_counter() - start < 2


def test_html_past_the_tag_cap_is_refused_before_parsing() -> None:
    error, seconds, peak = refused(hostile.html_nested(40 * MB), "nested.html")
    assert error.code == "too_large" and "GONGKAI_MAX_HTML_TAGS" in error.message
    assert seconds < 2 and peak < 10


def outcome(data: bytes, name: str) -> tuple[str, float]:
    """The text read, or the code of the error reading gives, and the seconds it took."""
    start = time.perf_counter()
    try:
        text = read(data, name, Settings()).text
    except ReadError as error:
        text = error.code
    return text, time.perf_counter() - start


# pdfium follows references remembering where it has been: a cycle where the document or its page's content
# must be is no document or no content; elsewhere it reads around it.
CYCLE_OUTCOMES = {
    "root": "truncated",
    "contents": "empty",
    "mediabox": "Annual report",
    "font": "Annual report",
    "length": "Annual report",
}


@pytest.mark.parametrize("where", hostile.PLACES)
def test_a_pdf_reference_cycle_is_read_around_or_refused_at_once(where: str) -> None:
    text, seconds = outcome(hostile.pdf_cycle(where), f"cycle-{where}.pdf")
    assert text == CYCLE_OUTCOMES[where] and seconds < 2


@pytest.mark.parametrize("where", hostile.PLACES)
def test_the_old_reader_refuses_a_pdf_reference_cycle(where: str) -> None:
    data = hostile.pdf_cycle(where)
    assert len(data) < 800
    error, seconds, _ = refused(data, f"cycle-{where}.pdf", OLD_READER)
    assert error.code == "unreadable" and "cycle" in error.message and seconds < 2


@pytest.mark.parametrize("settings", [Settings(), OLD_READER], ids=["pdfium", "pdfplumber"])
def test_a_pdf_stream_bomb_stops_at_the_stream_cap(settings: Settings) -> None:
    error, seconds, peak = refused(hostile.pdf_stream_bomb(1024 * MB), "bomb.pdf", settings)
    assert error.code == "too_large" and "GONGKAI_MAX_STREAM_MB" in error.message
    assert seconds < 5 and peak < 20  # 4 MB cap: never more than it inflated


def test_a_bomb_is_stopped_before_pdfium_inflates_it() -> None:
    """pdfium's memory is not Python's: the bound holds if the whole read stays fast (inflating 1 GB takes
    seconds) and the process grows by less than the bomb."""
    import resource

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    error, seconds, _ = refused(hostile.pdf_stream_bomb(1024 * MB), "bomb.pdf")
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert error.code == "too_large" and seconds < 2 and grown_mb < 64


@pytest.mark.parametrize("settings", [Settings(), OLD_READER], ids=["pdfium", "pdfplumber"])
def test_a_pdf_drawing_more_characters_than_a_report_stops_counting(settings: Settings) -> None:
    """3 MB of `(A) Tj` (450,000 characters) under a cap of 20,000 characters: refused."""
    capped = settings.model_copy(update={"max_text_chars": 20_000})
    error, seconds, _ = refused(hostile.pdf_text_flood(3 * MB), "flood.pdf", capped)
    assert error.code == "too_long" and "20,000" in error.message and seconds < 30


def test_the_guard_is_gone_after_a_read() -> None:
    """pdfminer is left as shipped outside our reads."""
    from pdfminer import pdftypes

    read(hostile.one_page_pdf(hostile.TEXT), "plain.pdf", OLD_READER)
    assert pdftypes.zlib.__name__ == "zlib"


def test_the_command_line_exits_2_on_each_hostile_file(tmp_path: Path) -> None:
    files = {
        "bomb.docx": hostile.docx_bomb(300 * MB),
        "cycle.pdf": hostile.pdf_cycle("length"),
        "bomb.pdf": hostile.pdf_stream_bomb(200 * MB),
        "nested.html": hostile.html_nested(2 * MB),
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    done = subprocess.run(
        [sys.executable, "-m", "service.cli", "analyze", *files],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert [line.split(":")[1].strip() for line in done.stderr.splitlines()] == list(files)


DEEP = hostile.one_page_pdf(hostile.TEXT, mediabox=b"[" * 100_000 + b"0 0 595 842" + b"]" * 100_000)


def test_a_pdf_nested_100000_deep_is_read_around_not_a_crash() -> None:
    assert outcome(DEEP, "deep.pdf")[0] == "Annual report"


def test_the_old_reader_finds_a_pdf_nested_100000_deep_unreadable() -> None:
    error, seconds, _ = refused(DEEP, "deep.pdf", OLD_READER)
    assert error.code == "unreadable" and "nested too deeply" in error.message and seconds < 30
