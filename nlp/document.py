"""The one object that flows through the pipeline; each component fills in its part.

Field names follow ../shared/reference/contract.md so that `Report.to_dict()` is the API document.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

SCHEMA_VERSION = "1"


class ReadError(Exception):
    """Input we cannot read. `code` is machine-readable; the message says what was wrong and what to do."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass
class Extracted:
    """What a reader gets out of one medium.

    `text` is in reading order; every table row is one line with its cells joined by a tab, and an empty
    cell is an empty string between tabs, so that empty and 0 stay apart.
    """

    text: str
    medium: str  # "pdf" | "docx" | "html" | "text"
    pages: int | None = None
    warnings: list[str] = field(default_factory=list)


@dataclass
class Section:
    key: str
    title: str
    text: str


@dataclass
class Finding:
    rule: str
    severity: str  # "error" | "warning" | "info"
    message: str
    cells: list[str] = field(default_factory=list)
    quotes: list[str] = field(default_factory=list)
    expected: float | None = None
    actual: float | None = None


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

    def to_dict(self) -> dict[str, Any]:
        return {
            "quote": self.quote,
            "value": self.value,
            "unit": self.unit,
            "metric": self.metric,
            "qualifier": self.qualifier,
            "section": self.section,
            "cell": "+".join(self.cells) if self.cells else None,
            "start": self.start,
            "end": self.end,
        }


@dataclass
class Report:
    filename: str | None
    medium: str
    sha256: str
    text: str = ""
    pages: int | None = None
    agency: str | None = None
    year: int | None = None
    format: str = "unknown"
    sections: list[Section] = field(default_factory=list)
    tables: dict[str, float | int | None] = field(default_factory=dict)
    units: dict[str, str] = field(default_factory=dict)
    table_sums: list[tuple[str, list[str]]] = field(default_factory=list)  # 统计表 parent rows and their parts
    split_candidates: dict[str, tuple[list[str], list[tuple]]] = field(default_factory=dict)  # ambiguous rows
    claims: list[Claim] = field(default_factory=list)
    statements: list[dict[str, Any]] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    readable: bool = True

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": SCHEMA_VERSION,
            "source": {"filename": self.filename, "format": self.medium, "pages": self.pages, "sha256": self.sha256},
            "report": {"agency": self.agency, "year": self.year, "format": self.format},
            "sections": [asdict(s) for s in self.sections],
            "tables": self.tables,
            "units": self.units,
            "claims": [c.to_dict() for c in self.claims],
            "statements": self.statements,
            "findings": [asdict(f) for f in self.findings],
            "warnings": self.warnings,
        }
