"""Rows whose run-together digits the table's arithmetic left open, settled by what the prose states.

`主动公开文件数条346085376` reads as 3460 | 85376, 34 | 6085376, …; the prose says 全区主动公开政府信息3460条,
and exactly one reading agrees with it. A reading is only chosen when exactly one agrees, and the warning then
says which sentence decided it.
"""

from __future__ import annotations

from nlp.document import Notice, Report
from nlp.prose.vocabulary import EXACT_OF_THE_YEAR


def prose_values(report: Report, cell: str) -> dict[float, str]:
    """Exact prose figures that name this cell."""
    found = {}
    for claim in report.claims:
        if claim.qualifier in EXACT_OF_THE_YEAR and claim.cells == [cell]:
            found.setdefault(claim.value, claim.quote)
    return found


def settle_splits(report: Report) -> None:
    for row, (cells, readings) in list(report.table.candidates.items()):
        for index, cell in enumerate(cells):
            stated = prose_values(report, cell)
            agreeing = [r for r in readings if float(r[index]) in stated]
            if len(agreeing) == 1:
                quote = " ".join(stated[float(agreeing[0][index])].split())
                take(report, row, agreeing[0], f"agrees with the prose “{quote}”")
                break
    settle_by_sums(report)
    settle_by_bounds(report)


def settle_by_sums(report: Report) -> None:
    """A parent now known, all its parts but one known: the open part is what is left, if it can be read so."""
    tables = report.tables
    for row, (cells, readings) in list(report.table.candidates.items()):
        for total, parts in report.table.sums:
            if total in cells or not set(parts) & set(cells):
                continue
            known = [p for p in parts if p not in cells]
            if tables.get(total) is None or any(tables.get(p) is None for p in known):
                continue
            rest = tables[total] - sum(tables[p] for p in known)
            index = cells.index(next(p for p in parts if p in cells))
            agreeing = [r for r in readings if r[index] == rest]
            if len(agreeing) == 1:
                take(report, row, agreeing[0], f"leaves {total} equal to the sum of its parts")
                break


CUMULATIVE = "#历年累计"


def within_bounds(report: Report, cells: list[str], reading: tuple) -> bool:
    """A reading that keeps every part at most its total, and this year at most the running total of all years:
    true of any table by definition, even one whose sums are wrong."""
    values = {**report.tables, **dict(zip(cells, reading, strict=True))}
    for cell in cells:
        year, cumulative = cell.removesuffix(CUMULATIVE), cell.removesuffix(CUMULATIVE) + CUMULATIVE
        if values.get(year) is not None and values.get(cumulative) is not None and values[year] > values[cumulative]:
            return False
    for total, parts in report.table.sums:
        if total not in cells and not set(parts) & set(cells):
            continue
        if values.get(total) is not None and any((values.get(p) or 0) > values[total] for p in parts):
            return False
    return True


def settle_by_bounds(report: Report) -> None:
    for row, (cells, readings) in list(report.table.candidates.items()):
        bounded = [r for r in readings if within_bounds(report, cells, r)]
        if len(bounded) == 1:
            take(
                report,
                row,
                bounded[0],
                "keeps each part at most its total and this year at most the cumulative",
                code="split.bounded",
            )


def take(report: Report, row: str, reading: tuple, why: str, code: str = "split.settled") -> None:
    cells = report.table.candidates.pop(row)[0]
    report.tables.update(dict(zip(cells, reading, strict=True)))
    table = report.table
    table.warnings = [w for w in table.warnings if not (w.code == "split.ambiguous" and w.cells == tuple(cells))]
    table.warnings.append(
        Notice(
            code,
            f"{row}: of its possible splits, only {' | '.join(map(str, reading))} {why}; that split was taken",
            tuple(cells),
        )
    )
