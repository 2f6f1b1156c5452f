"""The report's structure: the six sections and three tables that the 2019 and 2021 templates require."""

from __future__ import annotations

from nlp.checks.registry import Found, check, finding
from nlp.document import Report
from nlp.read.sections import ORDER_2019, SECTION_NAMES
from nlp.tables.schema import TABLE_SECTIONS

TABLE_NAMES = {"t2": "表二", "t3": "表三", "t4": "表四"}


@check("structure.section", "warning")
def missing_sections(report: Report) -> Found:
    if report.format not in ("2019", "2021"):
        return
    keys = [s.key for s in report.sections]
    for number, key in zip("一二三四五六", ORDER_2019, strict=True):
        if key not in keys:
            yield finding("structure.section", number=number, key=key, name=SECTION_NAMES[key])


@check("structure.table", "warning")
def missing_tables(report: Report) -> Found:
    if report.format not in ("2019", "2021"):
        return
    for table in TABLE_SECTIONS.values():
        if not any(k.startswith(table + ".") for k in report.tables):
            yield finding("structure.table", name=TABLE_NAMES[table], number=table[1])
