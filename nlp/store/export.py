"""A results store for people who analyse elsewhere: the CSV summary of `gongkai batch`, an XLSX workbook
(reports, findings, and one sheet per table with a row per report and a column per cell key), and Parquet of
the canonical cells with their provenance, an open data set of the tables.

Rows are streamed from the store, so an export of a national corpus does not hold it in memory.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import groupby
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from nlp.batch import write_summary
from nlp.store.models import CellRow, DocumentRow, FindingRow, ReportRow
from nlp.store.store import Store

FORMATS = ("csv", "xlsx", "parquet")
REPORT_COLUMNS = (
    "sha256",
    "file",
    "agency",
    "level",
    "year",
    "format",
    "medium",
    "pages",
    "publication_date",
    "score",
    "errors",
    "warnings",
    "notices",
    "reuse_share",
    "error",
    "message",
    "analysis_version",
)
FINDING_COLUMNS = ("rule", "check", "severity", "message", "cells", "quotes", "expected", "actual")
BATCH = 1000


def export(store: Store, fmt: str, out: Path) -> int:
    """Write the store to `out` in `fmt`; the number of reports written."""
    out.parent.mkdir(parents=True, exist_ok=True)
    return {"csv": write_csv, "xlsx": write_xlsx, "parquet": write_parquet}[fmt](store, out)


def write_csv(store: Store, out: Path) -> int:
    """The same summary `gongkai batch --out` writes beside its JSON lines, rebuilt from the stored documents."""
    count = 0

    def lines() -> Iterator[dict[str, Any]]:
        nonlocal count
        query = select(ReportRow.file, ReportRow.error, ReportRow.message, DocumentRow.document).outerjoin(DocumentRow)
        with store.engine.connect() as conn:
            for file, error, message, doc in conn.execution_options(yield_per=BATCH).execute(query):
                count += 1
                yield {"file": file, "error": error, "message": message} if error else {"file": file, "result": doc}

    write_summary(lines(), out)
    return count


def table_keys(store: Store) -> dict[str, list[str]]:
    """The cell keys of each table (t2, t3, t4, stat), in the template's order."""
    query = select(CellRow.key).group_by(CellRow.key).order_by(func.min(CellRow.position), CellRow.key)
    with store.engine.connect() as conn:
        keys = list(conn.scalars(query))
    tables: dict[str, list[str]] = {}
    for key in keys:
        tables.setdefault(key.split(".", 1)[0], []).append(key)
    return tables


def write_xlsx(store: Store, out: Path) -> int:
    from openpyxl import Workbook

    book = Workbook(write_only=True)  # rows go to disk as they are appended
    reports = book.create_sheet("reports")
    reports.append(REPORT_COLUMNS)
    columns = [getattr(ReportRow, c) for c in REPORT_COLUMNS]
    count = 0
    with store.engine.connect() as conn:
        for row in conn.execution_options(yield_per=BATCH).execute(select(*columns).order_by(ReportRow.file)):
            reports.append(list(row))
            count += 1
        findings = book.create_sheet("findings")
        findings.append(("sha256", "agency", "year", *FINDING_COLUMNS))
        query = (
            select(
                ReportRow.sha256, ReportRow.agency, ReportRow.year, *(getattr(FindingRow, c) for c in FINDING_COLUMNS)
            )
            .join(FindingRow, FindingRow.report_id == ReportRow.id)
            .order_by(ReportRow.file, FindingRow.position)
        )
        for row in conn.execution_options(yield_per=BATCH).execute(query):
            findings.append([" ".join(v) if isinstance(v, list) else v for v in row])
        for table, keys in table_keys(store).items():
            sheet = book.create_sheet(table)
            sheet.append(("sha256", "agency", "year", *keys))
            where = {key: i for i, key in enumerate(keys)}
            query = (
                select(ReportRow.sha256, ReportRow.agency, ReportRow.year, CellRow.key, CellRow.value)
                .join(CellRow, CellRow.report_id == ReportRow.id)
                .where(CellRow.key.in_(keys))
                .order_by(ReportRow.file, ReportRow.id)
            )
            rows = conn.execution_options(yield_per=BATCH).execute(query)
            for (sha, agency, year), cells in groupby(rows, key=lambda r: (r.sha256, r.agency, r.year)):
                values: list[Any] = [None] * len(keys)
                for cell in cells:
                    values[where[cell.key]] = cell.value
                sheet.append([sha, agency, year, *values])
    book.save(out)
    return count


def write_parquet(store: Store, out: Path) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema(
        [
            ("sha256", pa.string()),
            ("file", pa.string()),
            ("agency", pa.string()),
            ("year", pa.int32()),
            ("key", pa.string()),
            ("value", pa.float64()),
            ("unit", pa.string()),
        ]
    )
    query = (
        select(
            ReportRow.sha256, ReportRow.file, ReportRow.agency, ReportRow.year, CellRow.key, CellRow.value, CellRow.unit
        )
        .join(CellRow, CellRow.report_id == ReportRow.id)
        .order_by(ReportRow.file, CellRow.position)
    )
    with store.engine.connect() as conn, pq.ParquetWriter(out, schema) as writer:
        result = conn.execution_options(yield_per=50 * BATCH).execute(query)
        for chunk in result.partitions():
            writer.write_table(pa.Table.from_pylist([row._asdict() for row in chunk], schema=schema))
        count = conn.scalar(select(func.count()).select_from(ReportRow).where(ReportRow.error.is_(None)))
    return count or 0
