"""The results store's tables (SQLAlchemy 2), one schema version: a report row and the rows of what it holds.

A report row carries what a corpus is filtered and ranked by (agency, year, counts of errors and warnings), so
the service's views never open a document; the document itself is kept whole, compressed, in a table of its
own (so that report rows stay narrow to scan), for `GET /v1/reports/{sha256}`. Findings and themes repeat their
report's year, so that counts per year need no join: a report's rows are written and replaced together, so the
copy cannot drift. A file that could not be read is a report row too, with its `error` and `message`.
"""

from __future__ import annotations

import json
import zlib
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, DateTime, Float, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

# Raise this when a table or a column changes: a store of another version is refused, never half-migrated.
STORE_SCHEMA_VERSION = "1"


class CompressedJSON(TypeDecorator[dict[str, Any]]):
    """A JSON document stored as zlib-compressed UTF-8: the sections' text compresses about fourfold."""

    impl = LargeBinary
    cache_ok = True

    def process_bind_param(self, value: dict[str, Any] | None, dialect: Any) -> bytes | None:
        if value is None:
            return None
        return zlib.compress(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), 6)

    def process_result_value(self, value: bytes | None, dialect: Any) -> dict[str, Any] | None:
        return None if value is None else json.loads(zlib.decompress(value))


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, list[str]: JSON}


class Meta(Base):
    """Facts about the store itself: `schema_version`."""

    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class ReportRow(Base):
    __tablename__ = "reports"
    __table_args__ = (
        Index("reports_by_year", "error", "year", "errors", "warnings"),
        Index("reports_by_agency", "error", "agency", "errors", "warnings"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    file: Mapped[str] = mapped_column(Text)
    analysis_version: Mapped[str] = mapped_column(String(64))
    analyzed_at: Mapped[datetime] = mapped_column(DateTime)
    error: Mapped[str | None] = mapped_column(String(32), index=True)
    message: Mapped[str | None] = mapped_column(Text)
    agency: Mapped[str | None] = mapped_column(Text, index=True)
    level: Mapped[str | None] = mapped_column(String(32), index=True)
    year: Mapped[int | None] = mapped_column(Integer, index=True)
    format: Mapped[str | None] = mapped_column(String(16), index=True)
    medium: Mapped[str | None] = mapped_column(String(16))
    pages: Mapped[int | None] = mapped_column(Integer)
    publication_date: Mapped[date | None] = mapped_column(Date)
    score: Mapped[float | None] = mapped_column(Float)
    errors: Mapped[int] = mapped_column(Integer, default=0, index=True)
    warnings: Mapped[int] = mapped_column(Integer, default=0)
    notices: Mapped[int] = mapped_column(Integer, default=0)
    reuse_share: Mapped[float | None] = mapped_column(Float)


def report_id() -> Mapped[int]:
    return mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), primary_key=True)


class DocumentRow(Base):
    __tablename__ = "documents"
    report_id: Mapped[int] = report_id()
    document: Mapped[dict[str, Any]] = mapped_column(CompressedJSON)


class CellRow(Base):
    __tablename__ = "cells"
    report_id: Mapped[int] = report_id()
    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)  # the template's order, for the columns of an export
    value: Mapped[float | None] = mapped_column(Float)
    unit: Mapped[str | None] = mapped_column(String(16))


class ClaimRow(Base):
    __tablename__ = "claims"
    report_id: Mapped[int] = report_id()
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    quote: Mapped[str] = mapped_column(Text)
    value: Mapped[float] = mapped_column(Float)
    unit: Mapped[str | None] = mapped_column(String(16))
    metric: Mapped[str | None] = mapped_column(String(64))
    qualifier: Mapped[str | None] = mapped_column(String(32))
    section: Mapped[str | None] = mapped_column(String(64))
    cell: Mapped[str | None] = mapped_column(Text)


class FindingRow(Base):
    __tablename__ = "findings"
    __table_args__ = (
        Index("findings_rule", "rule", "severity", "report_id"),
        Index("findings_by_year", "year", "rule", "severity"),
    )
    report_id: Mapped[int] = report_id()
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int | None] = mapped_column(Integer)  # the report's
    rule: Mapped[str] = mapped_column(String(32))
    check: Mapped[str] = mapped_column(String(64))
    severity: Mapped[str] = mapped_column(String(8))
    message: Mapped[str] = mapped_column(Text)
    cells: Mapped[list[str]] = mapped_column(JSON)
    quotes: Mapped[list[str]] = mapped_column(JSON)
    expected: Mapped[float | None] = mapped_column(Float)
    actual: Mapped[float | None] = mapped_column(Float)


class StatementRow(Base):
    __tablename__ = "statements"
    report_id: Mapped[int] = report_id()
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(8))
    text: Mapped[str] = mapped_column(Text)
    themes: Mapped[list[str]] = mapped_column(JSON)
    generic: Mapped[bool]


class ThemeRow(Base):
    """One theme of one statement, so that counts by theme are a GROUP BY rather than a scan of JSON."""

    __tablename__ = "statement_themes"
    __table_args__ = (
        Index("statement_themes_theme", "theme", "kind"),
        Index("statement_themes_by_year", "kind", "year", "theme"),
    )
    report_id: Mapped[int] = report_id()
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    theme: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(8))
    year: Mapped[int | None] = mapped_column(Integer)  # the report's


class WarningRow(Base):
    __tablename__ = "warnings"
    report_id: Mapped[int] = report_id()
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    message: Mapped[str] = mapped_column(Text)
