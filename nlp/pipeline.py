"""The whole flow in one place: ingest → normalise → identify → sections → tables → claims → checks → statements
and themes (→ cross-year checks when last year's report is given).

Each step is a function that takes the `Report` and adds its part, in the spirit of a spaCy pipeline.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Callable
from pathlib import Path

from nlp import identify, stat, tables
from nlp.checks import check_tables
from nlp.claims import extract_claims
from nlp.cross_year import check_against
from nlp.document import Finding, ReadError, Report
from nlp.ingest import read
from nlp.normalize import normalize
from nlp.prose_checks import check_prose
from nlp.sections import split_sections
from nlp.settle import settle_splits
from nlp.text_limits import MAX_TEXT_CHARS

CID = re.compile(r"\(cid:\d+\)")
GARBLED_SHARE = 0.2


def check_text(report: Report) -> None:
    """A text layer of `(cid:…)` runs is junk: say so instead of reading junk sections."""
    junk = sum(len(m) for m in CID.findall(report.text))
    if report.text and junk / len(report.text) > GARBLED_SHARE:
        report.readable = False
        share = round(100 * junk / len(report.text))
        report.findings.append(
            Finding(
                rule="text",
                severity="error",
                message=f"文本层无法识读（{share}% 为 (cid:…) 乱码），需要OCR或原始文件。 / The text layer is garbled "
                f"({share}% is (cid:…) codes): run OCR or get the original file.",
            )
        )
        report.warnings.append(
            f"text layer garbled: {share}% of it is (cid:…) codes; sections and tables were not read"
        )


def identify_report(report: Report) -> None:
    title = identify.find_title(report.text)
    report.year = identify.detect_year(report.text, title)
    report.agency = identify.detect_agency(report.text, title)
    report.format = identify.detect_format(report.text, report.year)


def find_sections(report: Report) -> None:
    report.sections = split_sections(report.text, report.format)
    if not report.sections and report.year is None and "信息公开" not in report.text:
        raise ReadError(
            "not_report",
            "This does not look like a 政府信息公开工作年度报告: it has no report "
            "title, no section headings and no tables.",
        )


def read_tables(report: Report) -> None:
    if report.format == "pre2019":
        read = stat.read_stat_table(report.text)
    else:
        read = tables.read_tables({s.key: s.text for s in report.sections}, report.format)
    report.tables.update(read.cells)
    report.units.update(read.units)
    report.table_sums.extend(read.sums)
    report.split_candidates.update(read.candidates)
    report.warnings.extend(read.warnings)


def find_claims(report: Report) -> None:
    report.claims = extract_claims(report)


def find_statements(report: Report) -> None:
    """Problems and measures of section 五 with their themes (the model loads once per process)."""
    from nlp.statements import extract_statements

    report.statements = extract_statements(report.sections)


STEPS: list[tuple[str, Callable[[Report], None]]] = [
    ("text", check_text),
    ("identify", identify_report),
    ("sections", find_sections),
    ("tables", read_tables),
    ("claims", find_claims),
    ("settle splits", settle_splits),
    ("checks", check_tables),
    ("prose checks", check_prose),
    ("statements", find_statements),
]


def analyze(
    data: bytes, filename: str | None = None, previous: bytes | None = None, previous_filename: str | None = None
) -> Report:
    """Read one report file (any medium) into a `Report`; with last year's report, also check against it.

    Raises `ReadError` for input we cannot read.
    """
    report = read_report(data, filename)
    if previous is not None and report.readable:
        try:
            last = read_report(previous, previous_filename)
        except ReadError as exc:
            raise ReadError(exc.code, f"The previous-year file: {exc.message}") from exc
        if last.readable:
            check_against(report, last)
    return report


def read_report(data: bytes, filename: str | None, timings: dict[str, float] | None = None) -> Report:
    """One report through every step; `timings`, if given, collects seconds per step (for `gongkai bench`)."""
    start = time.perf_counter()
    extracted = read(data, filename)
    report = Report(
        filename=Path(filename).name if filename else None,
        medium=extracted.medium,
        sha256=hashlib.sha256(data).hexdigest(),
        text=normalize(extracted.text),
        pages=extracted.pages,
        warnings=list(extracted.warnings),
    )
    if len(report.text) > MAX_TEXT_CHARS:
        raise ReadError(
            "too_long",
            f"The file holds {len(report.text):,} characters of text, more than one report "
            f"has ({MAX_TEXT_CHARS:,} at most, GONGKAI_MAX_TEXT_CHARS): send each report on its own.",
        )
    if timings is not None:
        timings["ingest"] = timings.get("ingest", 0.0) + time.perf_counter() - start
    for name, step in STEPS:
        if not report.readable:
            break
        start = time.perf_counter()
        step(report)
        if timings is not None:
            timings[name] = timings.get(name, 0.0) + time.perf_counter() - start
    return report


def analyze_path(path: str | Path, previous: str | Path | None = None) -> Report:
    last = Path(previous) if previous else None
    return analyze(
        read_file(Path(path)), Path(path).name, read_file(last) if last else None, last.name if last else None
    )


def read_file(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ReadError("unreadable", f"Cannot open {path}: {exc.strerror}.") from exc
