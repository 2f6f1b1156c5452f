"""The one object that flows through the pipeline, and the small objects it holds; each step fills in its part.

`Report.to_dict()` builds the result through `nlp.schema.AnalysisDocument`, the one schema of what is emitted,
so that the API's OpenAPI page describes exactly what the pipeline writes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any


class ReadError(Exception):
    """Input we cannot read. `code` is machine-readable; the message says what was wrong and what to do."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Notice:
    """A warning inside the pipeline: a later step finds it by `code` and `cells`, never by its wording."""

    code: str
    message: str
    cells: tuple[str, ...] = ()


# A tag stands for one OCR table cell in `OcrText.tagged`: no report prints a count this large.
OCR_TAG = 9_000_000_000


@dataclass
class OcrText:
    """What OCR read of one file: the pages (1-based), its seconds, and the text once more with the number of every
    table cell OCR read replaced by a tag (OCR_TAG + its index in `confidence`). Reading the tables of the tagged
    text tells which cell key each OCR cell became, by the same table reader, with no second copy of its rules."""

    pages: list[int] = field(default_factory=list)
    tagged: str = ""
    confidence: list[float] = field(default_factory=list)
    seconds: float = 0.0
    min_confidence: float = 0.0  # GONGKAI_OCR_MIN_CONFIDENCE of the request

    def tag(self, confidence: float) -> int:
        self.confidence.append(confidence)
        return OCR_TAG + len(self.confidence) - 1


@dataclass
class OcrCells:
    """The pages OCR read and the recognition confidence of each table cell it read, by cell key."""

    pages: list[int]
    cells: dict[str, float]


@dataclass
class Extracted:
    """What a reader gets out of one medium.

    `text` is in reading order; every table row is one line with its cells joined by a tab, and an empty
    cell is an empty string between tabs, so that empty and 0 stay apart.
    """

    text: str
    medium: str  # "pdf" | "docx" | "html" | "text" | "image"
    pages: int | None = None
    warnings: list[Notice] = field(default_factory=list)
    dates: dict[str, str] = field(default_factory=dict)  # source → the date as the medium's metadata prints it
    ocr: OcrText | None = None  # where pages were read by OCR


@dataclass(frozen=True)
class Dated:
    """A date the report carries, where it was read (`signature`, `crawler_header`, `pdf_metadata`, …) and the
    words it was read from."""

    date: date
    source: str
    quote: str


@dataclass
class Section:
    key: str
    title: str
    text: str


Cells = dict[str, int | float | None]
Sums = list[tuple[str, list[str]]]  # (total, parts) a table prints
Candidates = dict[str, tuple[list[str], list[tuple]]]  # row: (its cells, the readings its digits allow)


@dataclass
class TableRead:
    """What the table readers found: cells, their units, the sums the table prints, rows whose run-together
    digits allow several readings, where each table lies in its section's text, and what could not be read.
    Parts are joined with `merge`, nothing by hand."""

    cells: Cells = field(default_factory=dict)
    units: dict[str, str] = field(default_factory=dict)
    warnings: list[Notice] = field(default_factory=list)
    sums: Sums = field(default_factory=list)
    candidates: Candidates = field(default_factory=dict)
    spans: dict[str, tuple[int, int]] = field(default_factory=dict)  # table name: where it lies in its section

    def merge(self, other: TableRead) -> TableRead:
        self.cells.update(other.cells)
        self.units.update(other.units)
        self.warnings.extend(other.warnings)
        self.sums.extend(other.sums)
        self.candidates.update(other.candidates)
        self.spans.update(other.spans)
        return self

    def warn(self, code: str, message: str, cells: tuple[str, ...] = ()) -> None:
        self.warnings.append(Notice(code, message, cells))


@dataclass
class Finding:
    """`rule` is the contract's rule (contract.md); `check` the registered check that found it (nlp/checks)."""

    rule: str
    severity: str  # "error" | "warning" | "info"
    message: str
    cells: list[str] = field(default_factory=list)
    quotes: list[str] = field(default_factory=list)
    expected: float | None = None
    actual: float | None = None
    check: str | None = None


@dataclass
class Claim:
    """A number the prose states: `start`/`end` are offsets into its section's text."""

    quote: str
    value: float
    unit: str | None
    metric: str | None
    qualifier: str | None
    section: str | None
    cells: list[str] | None
    start: int  # offset in the section text, for checks that look at neighbours
    end: int


@dataclass
class Report:
    filename: str | None
    medium: str
    sha256: str
    text: str = ""
    pages: int | None = None
    dates: dict[str, str] = field(default_factory=dict)  # Extracted.dates
    agency: str | None = None
    year: int | None = None
    format: str = "unknown"
    sections: list[Section] = field(default_factory=list)
    table: TableRead = field(default_factory=TableRead)
    claims: list[Claim] = field(default_factory=list)
    statements: list[dict[str, Any]] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    warnings: list[Notice] = field(default_factory=list)
    readable: bool = True
    publication: Dated | None = None  # the date the report was published, else signed, with its source
    signature: Dated | None = None  # the date signed at its end
    level: str | None = None  # department | government | township, from the body's name
    assessment: dict[str, Any] | None = None  # the rubric's score (nlp/assessment.py)
    ocr_text: OcrText | None = None  # Extracted.ocr
    ocr: OcrCells | None = None  # the OCR cells by key, once the tables are read

    @property
    def tables(self) -> Cells:
        """The cells by key, as the result document names them."""
        return self.table.cells

    @property
    def units(self) -> dict[str, str]:
        return self.table.units

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)

    def section_texts(self) -> dict[str, str]:
        return {s.key: s.text for s in self.sections}

    def notices(self) -> list[Notice]:
        """Every warning: the steps' own, then the tables'."""
        return self.warnings + self.table.warnings

    def to_dict(self) -> dict[str, Any]:
        from nlp.schema import document

        return document(self).model_dump(mode="json")
