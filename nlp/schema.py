"""Everything gongkai emits, as Pydantic models: the result document of contract.md, a batch line, an error.

The pipeline builds its JSON through these models (`document`), and the service declares them as its response
models, so the OpenAPI page at /docs describes exactly what is written: a field added here reaches both at once.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, Field

if TYPE_CHECKING:
    from nlp.document import Claim, Report

SCHEMA_VERSION = "1"
Number = int | float  # in this order, so that a count stays an int in the JSON (21, not 21.0)


class ErrorBody(BaseModel):
    """Every error, whatever its status."""

    error: str = Field(
        description="machine-readable code: empty, scanned, encrypted, truncated, unreadable, "
        "not_report, too_long, unsupported, too_large, invalid, themes_unavailable, ..."
    )
    message: str = Field(description="what was wrong and what to do, for a person")

    model_config = {
        "json_schema_extra": {
            "examples": [
                {"error": "scanned", "message": "This PDF has no text layer on pages 1–3 (a scan): run OCR first."}
            ]
        }
    }


class ThemedStatement(BaseModel):
    text: str
    kind: Literal["problem", "measure"]
    themes: list[str] = Field(description="theme keys of ../shared/reference/themes.md, most likely first")
    scores: dict[str, float] = Field(description="score of each theme")

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "text": "政务公开队伍建设有待加强",
                    "kind": "problem",
                    "themes": ["staffing_training"],
                    "scores": {"staffing_training": 0.91, "institution_mechanism": 0.12},
                }
            ]
        }
    }


class Source(BaseModel):
    filename: str | None
    format: Literal["pdf", "docx", "html", "text", "image"]
    pages: int | None
    sha256: str
    ocr: list[int] = Field(
        default_factory=list, description="the pages (1-based) that had no text layer and were read by OCR"
    )


class ReportIdentity(BaseModel):
    agency: str | None
    year: int | None
    format: Literal["2021", "2019", "pre2019", "unknown"]


class Publication(BaseModel):
    date: str | None = Field(description="ISO date (2024-01-20) the report was published, else signed; null if none")
    source: str | None = Field(
        description="where it was read: crawler_header, html_meta, page_header, signature or pdf_metadata "
        "(nlp/read/publication.json gives the order they are preferred in)"
    )


class Deduction(BaseModel):
    finding: int = Field(description="index of the finding in `findings`")
    check: str
    points: Number = Field(description="points it cost the indicator")


class IndicatorScore(BaseModel):
    id: str
    name: str
    max: Number
    points: Number | None = Field(description="what is left of `max` after the deductions; null: not assessed")
    not_assessed_for_want_of: list[str] = Field(description="the facts the report lacks for this indicator")
    deductions: list[Deduction]


class Assessment(BaseModel):
    rubric: str = Field(description="the rubric's name: gongkai-default unless one was given")
    total: Number = Field(description="points over the indicators assessed")
    max: Number = Field(description="what those indicators are worth")
    facts: dict[str, bool] = Field(description="publication_known, level_known, previous_given")
    indicators: list[IndicatorScore]


class SectionText(BaseModel):
    key: str
    title: str
    text: str


class ClaimOut(BaseModel):
    quote: str
    value: Number
    unit: str | None
    metric: str | None
    qualifier: str | None
    section: str | None
    cell: str | None = Field(description="the table cell(s) the claim restates, joined by +")
    start: int = Field(description="offset of the quote in its section's text")
    end: int


class StatementOut(BaseModel):
    kind: Literal["problem", "measure"]
    text: str
    themes: list[str]
    scores: dict[str, float]
    answers: list[int] = Field(description="indexes of the problems a measure answers")
    generic: bool = Field(description="the statement says nothing concrete (进一步加强政务公开工作)")


class FindingOut(BaseModel):
    rule: str = Field(description="the rule of contract.md (table.sum, prose.rate, cross_year, ...)")
    severity: Literal["error", "warning", "info"]
    message: str
    cells: list[str]
    quotes: list[str]
    expected: Number | None
    actual: Number | None
    check: str = Field(
        description="the registered check that found it, the rule or one of its sub-rules "
        "(prose.rate.share, cross_year.carry_over, ...)"
    )


class AnalysisDocument(BaseModel):
    """The result document of contract.md."""

    schema_version: str
    source: Source
    report: ReportIdentity
    sections: list[SectionText]
    tables: dict[str, Number | None] = Field(
        description='flat cell keys, e.g. "t3.new.total": 21; null = printed empty'
    )
    units: dict[str, str] = Field(description="the unit printed with a cell, where one is")
    ocr_cells: dict[str, float] = Field(
        default_factory=dict,
        description="the recognition confidence (0-1) of each table cell read by OCR, by cell key; "
        "an error resting on one under GONGKAI_OCR_MIN_CONFIDENCE is a warning",
    )
    claims: list[ClaimOut]
    statements: list[StatementOut]
    findings: list[FindingOut]
    warnings: list[str]
    publication: Publication
    level: Literal["department", "government", "township"] | None = Field(
        description="the body's level, from its name: a department, a 县级以上地方人民政府 itself, a township or street"
    )
    assessment: Assessment | None = Field(description="the score by the rubric (docs/assessment.md); null: not scored")

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "schema_version": "1",
                    "source": {
                        "filename": "hongze-district-2023.pdf",
                        "format": "pdf",
                        "pages": 5,
                        "sha256": "94a2…698c",
                    },
                    "report": {"agency": "洪泽区人民政府", "year": 2023, "format": "2021"},
                    "sections": [
                        {"key": "review_litigation", "title": "四、政府信息公开行政复议、行政诉讼情况", "text": "…"}
                    ],
                    "tables": {"t4.review.upheld": 10, "t4.review.corrected": 1, "t4.review.total": 0},
                    "units": {},
                    "claims": [],
                    "statements": [],
                    "findings": [
                        {
                            "rule": "table.sum",
                            "severity": "error",
                            "message": "行政复议：合计印为 0，各项之和为 11。",
                            "cells": ["t4.review.total", "t4.review.upheld", "t4.review.corrected"],
                            "quotes": [],
                            "expected": 11,
                            "actual": 0,
                            "check": "table.sum.t4",
                        }
                    ],
                    "warnings": [],
                    "publication": {"date": "2024-02-26", "source": "pdf_metadata"},
                    "level": "government",
                    "assessment": {
                        "rubric": "gongkai-default",
                        "total": 45,
                        "max": 50,
                        "facts": {"publication_known": True, "level_known": True, "previous_given": False},
                        "indicators": [
                            {
                                "id": "accuracy",
                                "name": "数据准确 / figures that add up",
                                "max": 30,
                                "points": 25,
                                "not_assessed_for_want_of": [],
                                "deductions": [{"finding": 0, "check": "table.sum.t4", "points": 5}],
                            }
                        ],
                    },
                }
            ]
        }
    }


class BatchLine(BaseModel):
    """One line of the `/v1/batch` stream and of `gongkai batch`'s output: a result or an error, per file."""

    file: str | None
    result: AnalysisDocument | None = None
    error: str | None = None
    message: str | None = None


class Health(BaseModel):
    status: Literal["ok"]


SORTABLE = (
    *("file", "agency", "level", "year", "format", "medium", "publication_date"),
    *("score", "errors", "warnings", "notices", "reuse_share"),
)


class ReportQuery(BaseModel):
    """The filters, order and page of `GET /v1/reports`."""

    year: int | None = Field(None, ge=1900, le=2999)
    agency: str | None = Field(None, description="a part of the agency's name")
    level: str | None = None
    format: Literal["2021", "2019", "pre2019", "unknown"] | None = None
    medium: Literal["pdf", "docx", "html", "text"] | None = None
    rule: str | None = Field(None, description="reports with a finding of this rule (table.sum, prose.rate, ...)")
    severity: Literal["error", "warning", "info"] | None = Field(None, description="... and of this severity")
    failed: bool | None = Field(None, description="true: only files that could not be read; false: only reports")
    sort: str = Field(
        "-errors",
        pattern=f"^-?({'|'.join(SORTABLE)})$",
        description=f"one of {', '.join(SORTABLE)}; with - before it, the largest first (empty values last)",
    )
    page: int = Field(1, ge=1, le=1_000_000)  # bounded so that the row offset stays a 64-bit integer
    per_page: int = Field(50, ge=1, le=500)


class ReportSummary(BaseModel):
    """One stored report as the corpus lists it (the whole document is at /v1/reports/{sha256})."""

    sha256: str
    file: str
    agency: str | None
    level: str | None
    year: int | None
    format: str | None
    medium: str | None
    pages: int | None
    publication_date: date | None
    score: float | None
    errors: int
    warnings: int
    notices: int = Field(description="how many warnings the reading gave (the document's `warnings`)")
    reuse_share: float | None = Field(description="the largest share of a section repeated from last year")
    error: str | None = Field(description="why the file could not be read, if it could not")
    message: str | None
    analysis_version: str


class ReportPage(BaseModel):
    total: int = Field(description="reports that pass the filters, on every page")
    page: int
    per_page: int
    items: list[ReportSummary]


class YearCount(BaseModel):
    year: int | None
    reports: int
    errors: int
    warnings: int


class RuleCount(BaseModel):
    rule: str
    severity: str
    findings: int
    reports: int = Field(description="reports with at least one such finding")


class RuleYearCount(BaseModel):
    year: int | None
    rule: str
    severity: str
    findings: int


class ThemeCount(BaseModel):
    theme: str
    kind: Literal["problem", "measure"]
    statements: int


class ThemeYearCount(BaseModel):
    year: int | None
    theme: str
    statements: int


class AgencyCount(BaseModel):
    agency: str
    reports: int
    errors: int
    warnings: int


class UploadJob(BaseModel):
    """A zip of reports going into the store (POST /v1/corpus/upload), as far as it has gone."""

    id: str
    total: int = Field(description="report files in the zip")
    done: int = Field(description="files dealt with so far: read, failed or skipped")
    read: int
    failed: int
    skipped: int = Field(description="already in the store by this analysis version, or a copy in the zip")
    finished: bool


class CorpusSummary(BaseModel):
    """The store in counts, for the charts of /corpus."""

    reports: int = Field(description="files stored, read or not")
    read: int
    failed: int
    by_year: list[YearCount]
    by_rule: list[RuleCount]
    rule_by_year: list[RuleYearCount]
    themes: list[ThemeCount]
    problem_themes_by_year: list[ThemeYearCount] = Field(description="themes of the problems (section 五) per year")
    agencies: list[AgencyCount] = Field(description="agencies with the most errors first")


def claim_out(c: Claim) -> ClaimOut:
    return ClaimOut(
        quote=c.quote,
        value=c.value,
        unit=c.unit,
        metric=c.metric,
        qualifier=c.qualifier,
        section=c.section,
        cell="+".join(c.cells) if c.cells else None,
        start=c.start,
        end=c.end,
    )


def document(report: Report) -> AnalysisDocument:
    """The result document of one report."""
    return AnalysisDocument(
        schema_version=SCHEMA_VERSION,
        source=Source(
            filename=report.filename,
            format=report.medium,
            pages=report.pages,
            sha256=report.sha256,
            ocr=report.ocr.pages if report.ocr else [],
        ),
        report=ReportIdentity(agency=report.agency, year=report.year, format=report.format),
        sections=[SectionText(key=s.key, title=s.title, text=s.text) for s in report.sections],
        tables=report.tables,
        units=report.units,
        ocr_cells={key: round(confidence, 3) for key, confidence in report.ocr.cells.items()} if report.ocr else {},
        claims=[claim_out(c) for c in report.claims],
        statements=[StatementOut(**s) for s in report.statements],
        findings=[
            FindingOut(
                rule=f.rule,
                severity=f.severity,
                message=f.message,
                cells=f.cells,
                quotes=f.quotes,
                expected=f.expected,
                actual=f.actual,
                check=f.check or f.rule,
            )
            for f in report.findings
        ],
        warnings=[n.message for n in report.notices()],
        publication=Publication(
            date=report.publication.date.isoformat() if report.publication else None,
            source=report.publication.source if report.publication else None,
        ),
        level=report.level,
        assessment=Assessment.model_validate(report.assessment) if report.assessment else None,
    )
