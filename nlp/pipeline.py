"""The whole flow on one page: ingest → normalise → text layer → identify → publication date → level → sections
→ tables → claims → settle splits → checks → statements (→ cross-year checks when last year's report is given)
→ assessment.

One `Report` (nlp/document.py) goes through named steps, in the spirit of a spaCy pipeline: each step declares the
fields of the report it reads (`requires`) and the ones it writes (`assigns`), and tests/test_pipeline.py holds
every step to its word. `Report.to_dict()` is the result document (nlp/schema.py).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from nlp.assessment import Rubric, assess, load_rubric
from nlp.checks import run_checks, run_cross_year
from nlp.document import OCR_TAG, OcrCells, ReadError, Report
from nlp.ingest import read
from nlp.ingest.normalize import normalize
from nlp.read import identify
from nlp.read.level import find_level
from nlp.read.publication import find_publication
from nlp.read.sections import split_sections
from nlp.read.text_layer import check_text_layer
from nlp.settings import Settings, get_settings
from nlp.tables.grid import read_tables
from nlp.tables.schema import printed_rows, t3_equations
from nlp.tables.settle import settle_splits
from nlp.tables.stat import read_stat_table

__all__ = ["STEPS", "ReadError", "Step", "analyze", "analyze_path", "read_report"]


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


def find_tables(report: Report) -> None:
    if report.format == "pre2019":
        report.table = read_stat_table(report.text)
    else:
        report.table = read_tables(report.section_texts(), report.format)


def find_ocr_cells(report: Report) -> None:
    """Which cells OCR read, and how sure it was of each: the tables of the tagged text (`OcrText`), read by the
    same reader, give each OCR cell's key. A cell under GONGKAI_OCR_MIN_CONFIDENCE is a notice the checks hedge on."""
    ocr = report.ocr_text
    if ocr is None:
        return
    tagged = Report(filename=None, medium=report.medium, sha256="", text=normalize(ocr.tagged), format=report.format)
    tagged.sections = split_sections(tagged.text, report.format)
    find_tables(tagged)
    tags = range(OCR_TAG, OCR_TAG + len(ocr.confidence))
    cells = {key: ocr.confidence[value - OCR_TAG] for key, value in tagged.tables.items() if value in tags}
    report.ocr = OcrCells(pages=ocr.pages, cells=cells)
    threshold = ocr.min_confidence
    low = {key: confidence for key, confidence in cells.items() if confidence < threshold}
    if low:
        listed = ", ".join(f"{key} ({confidence:.2f})" for key, confidence in low.items())
        report.table.warn(
            "ocr.low_confidence",
            f"OCR was unsure of {len(low)} cells (confidence under {threshold:g}): {listed}; "
            "check them against the original",
            tuple(low),
        )
    if any(key.startswith("t3.") for key in cells):
        warn_unplaced_rows(report)


def warn_unplaced_rows(report: Report) -> None:
    """A row of table 3 that OCR read but could not place (its label misread) is missing from the sums over rows,
    so their totals (总计, （六）其他处理) are only a warning's basis: a notice the checks hedge on."""
    missing = [n for n in report.table.warnings if n.code == "table.rows_missing" and n.message.startswith("t3:")]
    if missing:
        equations = t3_equations(printed_rows(report.tables, "t3."))
        report.table.warn(
            "ocr.rows_missing",
            f"{missing[0].message} in the OCR reading: the totals over rows are not held against the rows read",
            tuple(e.left[0] for e in equations if e.kind in ("t3.column", "t3.other")),
        )


def find_claims(report: Report) -> None:
    """Imported here, not at the top: spaCy and jieba's dictionary are most of a cold start, and a file that is
    not a report never gets this far (the workers load them at start, nlp/workers.py warm_up)."""
    from nlp.prose.claims import extract_claims

    report.claims = extract_claims(report)


def find_statements(report: Report) -> None:
    """Problems and measures of section 五 with their themes (the model loads once per process, on first use)."""
    from nlp.prose.statements import extract_statements

    report.statements = extract_statements(report.sections)


@dataclass(frozen=True)
class Step:
    name: str
    run: Callable[[Report], None]
    requires: tuple[str, ...]  # fields of the Report the step reads
    assigns: tuple[str, ...]  # fields it writes


STEPS: list[Step] = [
    Step("text layer", check_text_layer, ("text",), ("readable", "findings", "warnings")),
    Step("identify", identify_report, ("text",), ("year", "agency", "format")),
    Step("publication", find_publication, ("text", "dates"), ("signature", "publication")),
    Step("level", find_level, ("agency",), ("level",)),
    Step("sections", find_sections, ("text", "format", "year"), ("sections",)),
    Step("tables", find_tables, ("text", "format", "sections"), ("table",)),
    Step("claims", find_claims, ("format", "sections", "table"), ("claims",)),
    Step("settle splits", settle_splits, ("claims", "table"), ("table",)),
    Step("ocr cells", find_ocr_cells, ("ocr_text", "format", "table"), ("ocr", "table")),
    Step(
        "checks",
        run_checks,
        ("text", "year", "format", "sections", "table", "claims", "publication", "signature", "level"),
        ("findings",),
    ),
    Step("statements", find_statements, ("sections",), ("statements",)),
]


def analyze(
    data: bytes,
    filename: str | None = None,
    previous: bytes | None = None,
    previous_filename: str | None = None,
    settings: Settings | None = None,
    rubric: Rubric | None = None,
) -> Report:
    """Read one report file (any medium) into a `Report`; with last year's report, also check against it; then
    score it with `rubric` (else the settings' rubric, else the default one).

    Raises `ReadError` for input we cannot read.
    """
    settings = settings or get_settings()
    report = read_report(data, filename, settings)
    compared = False
    if previous is not None and report.readable:
        try:
            last = read_report(previous, previous_filename, settings)
        except ReadError as exc:
            raise ReadError(exc.code, f"The previous-year file: {exc.message}") from exc
        if last.readable:
            run_cross_year(report, last)
            compared = True
    facts = {
        "publication_known": report.publication is not None,
        "level_known": report.level is not None,
        "previous_given": compared,
    }
    findings = [(f.check or f.rule, f.severity) for f in report.findings]
    report.assessment = assess(findings, facts, rubric or load_rubric(settings.rubric))
    return report


def read_report(
    data: bytes, filename: str | None, settings: Settings | None = None, timings: dict[str, float] | None = None
) -> Report:
    """One report through every step; `timings`, if given, collects seconds per step (for `gongkai bench`)."""
    settings = settings or get_settings()
    start = time.perf_counter()
    extracted = read(data, filename, settings)
    report = Report(
        filename=Path(filename).name if filename else None,
        medium=extracted.medium,
        sha256=hashlib.sha256(data).hexdigest(),
        text=normalize(extracted.text),
        pages=extracted.pages,
        warnings=list(extracted.warnings),
        dates=dict(extracted.dates),
        ocr_text=extracted.ocr,
    )
    if len(report.text) > settings.max_text_chars:
        raise ReadError(
            "too_long",
            f"The file holds {len(report.text):,} characters of text, more than one report "
            f"has ({settings.max_text_chars:,} at most, GONGKAI_MAX_TEXT_CHARS): send each report on its own.",
        )
    if timings is not None:
        timings["ingest"] = timings.get("ingest", 0.0) + time.perf_counter() - start
    for step in STEPS:
        if not report.readable:
            break
        start = time.perf_counter()
        step.run(report)
        if timings is not None:
            timings[step.name] = timings.get(step.name, 0.0) + time.perf_counter() - start
    return report


def analyze_path(path: str | Path, previous: str | Path | None = None, settings: Settings | None = None) -> Report:
    last = Path(previous) if previous else None
    return analyze(
        read_file(Path(path)),
        Path(path).name,
        read_file(last) if last else None,
        last.name if last else None,
        settings,
    )


def read_file(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ReadError("unreadable", f"Cannot open {path}: {exc.strerror}.") from exc
