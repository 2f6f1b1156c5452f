"""Opening a results store and writing results into it: one transaction per report.

A SQLite file by default (a plain path), PostgreSQL by URL (`postgresql+psycopg://user@host/db`). Each result is
committed on its own, so an interrupted run keeps every report it finished; a report already stored under the
same analysis version is not read again, and one stored by another version is replaced, rows and all, in the
transaction that writes the new one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, delete, event, insert, select
from sqlalchemy.exc import ArgumentError, OperationalError

from nlp.store.models import (
    STORE_SCHEMA_VERSION,
    Base,
    CellRow,
    ClaimRow,
    DocumentRow,
    FindingRow,
    Meta,
    ReportRow,
    StatementRow,
    ThemeRow,
    WarningRow,
)

CRASHED = "crashed"  # a worker died on the file: read again by the next run, never taken as done
CHUNK = 500  # hashes asked about per query


class StoreError(Exception):
    """The store cannot be opened or is of another schema version: a message for a person."""


def store_url(name: str) -> str:
    """A URL as given (`postgresql://` meaning psycopg 3), or a SQLite file for a plain path."""
    if "://" not in name:
        return f"sqlite:///{Path(name).expanduser().resolve()}"
    if name.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + name.split("://", 1)[1]
    return name


def _sqlite_pragmas(connection: Any, _: Any) -> None:
    """WAL lets the service read while a batch writes; foreign keys make a report's rows go with it."""
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")  # with WAL: a killed process loses no committed transaction
    cursor.close()


class Store:
    def __init__(self, name: str) -> None:
        self.url = store_url(name)
        try:
            self.engine: Engine = create_engine(self.url, pool_pre_ping=True)
        except (ArgumentError, ImportError) as exc:
            raise StoreError(f"{name} is not a store this gongkai can open: {exc}") from exc
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        try:
            Base.metadata.create_all(self.engine)
            self._check_version()
        except OperationalError as exc:
            self.engine.dispose()
            raise StoreError(f"Cannot open the store {name}: {exc.orig}") from exc

    def _check_version(self) -> None:
        with self.engine.begin() as conn:
            found = conn.scalar(select(Meta.value).where(Meta.key == "schema_version"))
            if found is None:
                conn.execute(insert(Meta).values(key="schema_version", value=STORE_SCHEMA_VERSION))
            elif found != STORE_SCHEMA_VERSION:
                raise StoreError(
                    f"The store is of schema version {found}; this gongkai writes version {STORE_SCHEMA_VERSION}: "
                    "export what you need from it with the gongkai that made it, and start a new store."
                )

    def close(self) -> None:
        self.engine.dispose()

    def current(self, hashes: Iterable[str], version: str) -> set[str]:
        """Those of `hashes` already stored by this analysis version (a crash is not a result)."""
        hashes, done = list(hashes), set()
        with self.engine.connect() as conn:
            for start in range(0, len(hashes), CHUNK):
                done.update(
                    conn.scalars(
                        select(ReportRow.sha256).where(
                            ReportRow.sha256.in_(hashes[start : start + CHUNK]),
                            ReportRow.analysis_version == version,
                            (ReportRow.error.is_(None)) | (ReportRow.error != CRASHED),
                        )
                    )
                )
        return done

    def put(self, file: str, sha256: str, line: dict[str, Any], version: str) -> None:
        """Store one batch line (a result or an error) in one transaction, replacing what the file had."""
        doc = line.get("result")
        report = {
            "sha256": sha256,
            "file": file,
            "analysis_version": version,
            "analyzed_at": dt.datetime.now(dt.UTC).replace(tzinfo=None),
            "error": line.get("error"),
            "message": line.get("message"),
            **(report_columns(doc) if isinstance(doc, dict) else {}),
        }
        with self.engine.begin() as conn:
            conn.execute(delete(ReportRow).where(ReportRow.sha256 == sha256))
            rid = conn.scalar(insert(ReportRow).returning(ReportRow.id), report)
            if isinstance(doc, dict):
                conn.execute(insert(DocumentRow), {"report_id": rid, "document": doc})
                for table, rows in child_rows(doc, report["year"]):
                    if rows:
                        conn.execute(insert(table), [{"report_id": rid, **row} for row in rows])

    def document(self, sha256: str) -> dict[str, Any] | None:
        query = select(DocumentRow.document).join(ReportRow).where(ReportRow.sha256 == sha256)
        with self.engine.connect() as conn:
            return conn.scalar(query)


def report_columns(doc: dict[str, Any]) -> dict[str, Any]:
    """What a report row holds of its document. `level`, `publication` and `assessment` are read where the
    document has them (they are newer fields) and left empty where it does not."""
    report, findings = doc.get("report") or {}, doc.get("findings") or []
    publication, assessment = doc.get("publication") or {}, doc.get("assessment") or {}
    shares = [f["actual"] for f in findings if f.get("rule") == "reuse" and isinstance(f.get("actual"), int | float)]
    return {
        "agency": report.get("agency"),
        "level": report.get("level") or doc.get("level"),
        "year": report.get("year"),
        "format": report.get("format"),
        "medium": (doc.get("source") or {}).get("format"),
        "pages": (doc.get("source") or {}).get("pages"),
        "publication_date": iso_date(publication.get("date")),
        "score": assessment.get("total") if isinstance(assessment.get("total"), int | float) else None,
        "errors": sum(f.get("severity") == "error" for f in findings),
        "warnings": sum(f.get("severity") == "warning" for f in findings),
        "notices": len(doc.get("warnings") or []),
        "reuse_share": max(shares, default=None),
    }


def iso_date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def child_rows(doc: dict[str, Any], year: int | None) -> Iterator[tuple[type[Base], list[dict[str, Any]]]]:
    units = doc.get("units") or {}
    cells = (doc.get("tables") or {}).items()
    yield CellRow, [{"key": k, "position": i, "value": v, "unit": units.get(k)} for i, (k, v) in enumerate(cells)]
    claim_fields = ("quote", "value", "unit", "metric", "qualifier", "section", "cell")
    yield (
        ClaimRow,
        [{"position": i, **{k: c.get(k) for k in claim_fields}} for i, c in enumerate(doc.get("claims") or [])],
    )
    finding_fields = ("rule", "severity", "message", "cells", "quotes", "expected", "actual")
    yield (
        FindingRow,
        [
            {"position": i, "year": year, "check": f.get("check") or f["rule"], **{k: f.get(k) for k in finding_fields}}
            for i, f in enumerate(doc.get("findings") or [])
        ],
    )
    statements = doc.get("statements") or []
    yield (
        StatementRow,
        [
            {
                "position": i,
                "kind": s["kind"],
                "text": s["text"],
                "themes": s["themes"],
                "generic": bool(s.get("generic")),
            }
            for i, s in enumerate(statements)
        ],
    )
    yield (
        ThemeRow,
        [
            {"position": i, "theme": t, "kind": s["kind"], "year": year}
            for i, s in enumerate(statements)
            for t in dict.fromkeys(s["themes"])
        ],
    )
    yield WarningRow, [{"position": i, "message": m} for i, m in enumerate(doc.get("warnings") or [])]
