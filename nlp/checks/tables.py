"""The tables' own arithmetic (勾稽关系): each equation of nlp/tables/schema.py whose cells are all printed.

An empty cell is "not reported", so an equation with an empty cell is not checked at all.
"""

from __future__ import annotations

from nlp.checks.registry import Found, check, finding, phrase
from nlp.document import Cells, Report
from nlp.tables.schema import (
    T3_COLUMN_NAMES,
    T3_ROW_NAMES,
    T4_BLOCK_NAMES,
    Equation,
    printed_rows,
    stat_equations,
    t3_equations,
    t4_equations,
)


def printed(tables: Cells, keys: tuple[str, ...]) -> bool:
    return all(tables.get(k) is not None for k in keys)


def total_of(tables: Cells, keys: tuple[str, ...]) -> float:
    return round(sum(tables[k] for k in keys), 6)


def names(equation: Equation) -> tuple[str, str]:
    """What part of which table an equation is about, in Chinese and English."""
    part = equation.part
    if equation.kind == "t3.row":
        return phrase("t3.row", row_name=T3_ROW_NAMES.get(part, part), row=part)
    if equation.kind in ("t3.other", "t3.column"):
        return phrase(equation.kind, column_name=T3_COLUMN_NAMES[part], column=part)
    if equation.kind == "t4.block":
        return phrase("t4.block", block_name=T4_BLOCK_NAMES[part], block=part)
    return phrase("stat.row", label=part.removeprefix("stat."))


def sum_findings(check_id: str, tables: Cells, equations: list[Equation]) -> Found:
    """A printed total (left) against the sum of its printed parts (right)."""
    for equation in equations:
        (total,), parts = equation.left, equation.right
        if not parts or not printed(tables, (total, *parts)):
            continue
        added = total_of(tables, parts)
        if added == tables[total]:
            continue
        what, what_en = names(equation)
        yield finding(
            check_id,
            cells=[total, *parts],
            expected=added,
            actual=tables[total],
            what=what,
            what_en=what_en,
            printed=tables[total],
            added=added,
        )


def t3(report: Report, kinds: tuple[str, ...]) -> list[Equation]:
    return [e for e in t3_equations(printed_rows(report.tables, "t3.")) if e.kind in kinds]


@check("table.sum.t3", "error")
def table3_sums(report: Report) -> Found:
    """Every row's total column, （六）其他处理 against its parts, and （七）总计 against the result rows."""
    return sum_findings("table.sum.t3", report.tables, t3(report, ("t3.row", "t3.other", "t3.column")))


@check("table.balance", "error")
def table3_balance(report: Report) -> Found:
    """第一项加第二项之和，等于第三项加第四项之和 — printed on the table itself."""
    tables = report.tables
    for equation in t3(report, ("t3.balance",)):
        if not printed(tables, equation.left + equation.right):
            continue
        left, right = total_of(tables, equation.left), total_of(tables, equation.right)
        if left == right:
            continue
        new, carried_over = equation.left
        total, forward = equation.right
        yield finding(
            "table.balance",
            cells=[*equation.left, *equation.right],
            expected=left,
            actual=right,
            column=equation.part,
            column_name=T3_COLUMN_NAMES[equation.part],
            new=tables[new],
            carried_over=tables[carried_over],
            total=tables[total],
            forward=tables[forward],
            left=left,
            right=right,
        )


@check("table.sum.t4", "error")
def table4_sums(report: Report) -> Found:
    return sum_findings("table.sum.t4", report.tables, t4_equations())


@check("table.sum.stat", "error")
def statistics_table_sums(report: Report) -> Found:
    return sum_findings("table.sum.stat", report.tables, stat_equations(report.table.sums))
