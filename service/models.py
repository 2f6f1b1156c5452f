"""The shapes at the API's edges, for validation and for the OpenAPI page at /docs.

`AnalysisDocument` mirrors ../shared/reference/contract.md. It documents the answer and lets the fuzz tests
check real answers against it; the service returns the pipeline's dict as it is, so a field added to the
contract reaches clients before this model learns of it.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


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
    format: Literal["pdf", "docx", "html", "text"]
    pages: int | None
    sha256: str


class ReportIdentity(BaseModel):
    agency: str | None
    year: int | None
    format: Literal["2021", "2019", "pre2019", "unknown"]


class SectionText(BaseModel):
    key: str
    title: str
    text: str


class Claim(BaseModel):
    quote: str
    value: float
    unit: str | None
    metric: str | None
    qualifier: str | None
    section: str | None
    cell: str | None


class Statement(BaseModel):
    kind: Literal["problem", "measure"]
    text: str
    themes: list[str]
    scores: dict[str, float]
    answers: list[int] = Field(description="indexes of the problems a measure answers")


class FindingOut(BaseModel):
    rule: str
    severity: Literal["error", "warning", "info"]
    message: str
    cells: list[str]
    quotes: list[str]
    expected: float | None
    actual: float | None


class AnalysisDocument(BaseModel):
    """The result document of contract.md."""

    schema_version: str
    source: Source
    report: ReportIdentity
    sections: list[SectionText]
    tables: dict[str, float | None] = Field(description='flat cell keys, e.g. "t3.new.total": 21; null = printed empty')
    units: dict[str, str] = Field(default_factory=dict, description="the unit printed with a cell, where one is")
    claims: list[Claim]
    statements: list[Statement]
    findings: list[FindingOut]
    warnings: list[str]

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
                        }
                    ],
                    "warnings": [],
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
