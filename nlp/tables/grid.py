"""Read tables 2, 3 and 4 into canonical cell keys by walking their row labels in printed order.

Every medium arrives as text (see `Extracted`): a grid row is one tab-separated line, a crawled page runs
labels and digits together, page text separates cells by spaces. A row's cells are whatever follows its
label up to the next label. Digit runs that hide their cell boundaries go to `split.solve`, which uses the
table's own arithmetic (equations below) over the whole table.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from nlp.document import TableRead
from nlp.tables.schema import (
    CJK_PAIR,
    T4_HEADER,
    Equation,
    RowSpec,
    spaced,
    t2_specs,
    t3_equations,
    t3_specs,
    t4_equations,
    t4_keys,
)
from nlp.tables.split import RunRow, solve

NUMBERING_TAIL = re.compile(r"(?:[（(][一二三四五六七八九十]{1,2}[)）]|[一二三四五六七八九十]{1,2}、|\d\s*[.．、])\s*$")
RUN = re.compile(r"[\s]*((?:[-−]?\d[\d,]*(?:\.\d+)?(?:万元|元)?[\s]*|[—/－]+[\s]*)+)")
NULL_MARKS = {"—", "——", "-", "－", "/", "／", "无", "--"}
UNIT = re.compile(r"(万元|元)$")
T4_HEADER_RUN = re.compile(CJK_PAIR.sub(r"\1\\s*", T4_HEADER))
T4_START = spaced("结果维持")


def locate(specs: list[RowSpec], text: str, any_order: bool = False) -> list[tuple[RowSpec, re.Match[str]]]:
    """Each row's label, searched in printed order; an optional row must come before the next required one.

    With `any_order` a row not found after the previous one is searched from the start (table 2's rows are
    distinct words, and a Markdown rendering prints 行政许可 before 规章); the rows come back in printed order.
    """
    found: list[tuple[RowSpec, re.Match[str]]] = []
    pos = 0
    for i, spec in enumerate(specs):
        match = spec.label.search(text, pos)
        if match and spec.optional:
            required = next((s for s in specs[i + 1 :] if not s.optional), None)
            limit = required.label.search(text, pos) if required else None
            if limit and limit.start() < match.start():
                match = None
        if match is None and any_order:
            match = next(
                (
                    m
                    for m in spec.label.finditer(text)
                    if not any(f.start() < m.end() and m.start() < f.end() for _, f in found)
                ),
                None,
            )
        if match:
            found.append((spec, match))
            pos = max(pos, match.end())
    return sorted(found, key=lambda row: row[1].start())


# The words a table prints above its first row (`第二十条第（一）项 信息内容 本年制发件数`, `申请人情况`).
TABLE_HEADS = {
    name: re.compile(CJK_PAIR.sub(r"\1\\s*", words))
    for name, words in (("t2", "第二十条第"), ("t3", "申请人情况|本列数据的勾稽关系"))
}


def table_start(name: str, text: str, first_row: int) -> int:
    """Where a table begins: its head words if they stand in the 300 characters before its first row."""
    head = TABLE_HEADS.get(name)
    match = head.search(text, max(0, first_row - 300), first_row) if head else None
    return match.start() if match else first_row


def cell_texts(segment: str) -> tuple[list[str] | None, str]:
    """The printed cells of one row (None when it holds no values at all), and the text left after them.

    A grid row keeps empty cells (between tabs); run-together or space-separated text gives its tokens.
    """
    segment = NUMBERING_TAIL.sub("", segment)
    first, _, rest = segment.partition("\n")
    if "\t" in first:
        cells = [c.strip() for c in first.split("\t")[1:]]
        while cells and re.search(r"[\u4e00-\u9fff]", cells[0]) and cells[0] not in NULL_MARKS:
            cells.pop(0)
        return cells or None, rest
    start = re.search(r"[\d—/－]", segment)
    run = RUN.match(segment, start.start()) if start else None
    if not run:
        return None, segment
    return re.sub(r"(?<=\d)-", " -", run.group(1)).split(), segment[run.end() :]


def fit(cells: list[str], width: int) -> list[str]:
    """Drop the empty cells a merged label column or a merged value cell leaves around a row's values."""
    while len(cells) > width and not cells[-1]:
        cells = cells[:-1]
    while len(cells) > width and not cells[0]:
        cells = cells[1:]
    return cells


def parse_value(text: str, key: str, read: TableRead) -> int | float | None:
    text = text.replace(",", "").replace("，", "").strip()
    if not text:
        return None
    if text in NULL_MARKS:
        read.warn("cell.null_mark", f"{key}: printed as {text!r}, read as empty", (key,))
        return None
    unit = UNIT.search(text)
    if unit:
        read.units[key] = unit.group(1)
        text = text[: unit.start()]
    try:
        number = float(text)
    except ValueError:
        read.warn("cell.unreadable", f"{key}: cannot read {text!r} as a number", (key,))
        return None
    return int(number) if number.is_integer() and "." not in text else number


def read_rows(
    specs: list[RowSpec],
    text: str,
    equations: Callable[[list[str]], list[Equation]],
    name: str,
    any_order: bool = False,
) -> TableRead:
    read = TableRead()
    located = locate(specs, text, any_order)
    missing = [s.key for s in specs if not s.optional and s.key not in {sp.key for sp, _ in located}]
    if missing and located:
        read.warn("table.rows_missing", f"{name}: rows not found: {', '.join(missing)}")
    runs: list[RunRow] = []
    if located:
        read.spans[name] = (table_start(name, text, located[0][1].start()), len(text))
    for i, (spec, match) in enumerate(located):
        end = located[i + 1][1].start() if i + 1 < len(located) else len(text)
        cells, rest = cell_texts(text[match.end() : end])
        if i + 1 == len(located):
            read.spans[name] = (read.spans[name][0], end - len(rest))
        if i + 1 < len(located) and re.search(r"\d", rest):
            read.warn(
                "table.text_unplaced",
                f"{name}: text after row {spec.key} was not placed in any row: {' '.join(rest.split())[:60]!r}",
                tuple(spec.cells),
            )
        if cells and len(cells) > len(spec.cells):
            cells = fit(cells, len(spec.cells))
        if cells and len(cells) < len(spec.cells) and (unit := UNIT.search(cells[-1])):
            read.units[spec.cells[-1]] = unit.group(1)
            cells[-1] = cells[-1][: unit.start()]
        if cells is not None and not any(cells) and len(cells) != len(spec.cells):
            cells = None  # a label cell only, its values are on the sub-rows
        if cells is None:
            if not spec.optional:
                read.warn("table.row_empty", f"{name}: row {spec.key} has no values", tuple(spec.cells))
            continue
        if len(cells) == len(spec.cells):
            for key, cell in zip(spec.cells, cells, strict=True):
                read.cells[key] = parse_value(cell, key, read)
        elif len(cells) < len(spec.cells) and all(re.fullmatch(r"-?\d[\d.]*", c) for c in cells):
            runs.append(RunRow(spec.cells[0].rsplit(".", 1)[0], " ".join(cells), spec.cells, spec.decimals))
        else:
            read.warn(
                "table.row_width",
                f"{name}: row {spec.key} has {len(cells)} cells for {len(spec.cells)} "
                f"columns ({' | '.join(cells)}); not read",
                tuple(spec.cells),
            )
    if runs:
        printed = [key for key, _ in rows_of(read.cells)] + [run.name for run in runs]
        solve_runs(runs, read, equations([k.split(".", 1)[1] for k in printed]), name)
    return read


def solve_runs(runs: list[RunRow], read: TableRead, equations: list[Equation], name: str) -> None:
    """Digits printed without separators: split them with the table's arithmetic, never silently guess."""
    fixed = [
        RunRow(key, " ".join(str(read.cells[c]) for c in cells), cells, decimals=True)
        for key, cells in rows_of(read.cells)
        if all(read.cells[c] is not None for c in cells)
    ]
    rows, seen = [], set()
    for row in fixed + runs:
        if seen & set(row.cells):
            read.warn("table.row_twice", f"{name}: row {row.name} is printed a second time; the first one was read")
            continue
        rows.append(row)
        seen.update(row.cells)
    runs = [run for run in runs if run in rows]
    # a truncated table lacks rows: an equation over a row that is not there says nothing
    usable = [(list(e.left), list(e.right)) for e in equations if seen.issuperset(e.left + e.right)]
    split = solve(rows, usable)
    for run in runs:
        for key in run.cells:
            read.cells[key] = split.values.get(key)
    for row, candidates in split.candidates.items():
        cells = next(r.cells for r in runs if r.name == row)
        if not candidates:
            text = next(r.text for r in runs if r.name == row)
            read.warn(
                "split.none", f"{name}: row {row} prints {text!r}, which no split gives {len(cells)} cells; not read"
            )
            continue
        read.candidates[row] = (cells, candidates)
        shown = "; ".join(" | ".join(str(v) for v in c) for c in candidates[:10])
        read.warn(
            "split.ambiguous",
            f"{name}: the digits of row {row} can be split more than one way: {shown}; "
            "cells that differ between them are left empty",
            tuple(read.candidates[row][0]),
        )
    if split.violated:
        read.warn(
            "split.violated",
            f"{name}: no split of the run-together digits satisfies all of the table's "
            "arithmetic; the closest was taken",
        )


def rows_of(cells: dict[str, int | float | None]) -> list[tuple[str, list[str]]]:
    rows: dict[str, list[str]] = {}
    for key in cells:
        rows.setdefault(key.rsplit(".", 1)[0], []).append(key)
    return list(rows.items())


# Warnings that say row labels and values did not line up: then the grid rows may be read by their order.
LABELS_ASTRAY = {"table.rows_missing", "table.text_unplaced", "table.row_width", "split.none"}
CJK = re.compile(r"[\u4e00-\u9fff]")


def grid_rows(text: str, width: int) -> list[tuple[str, list[str]]] | None:
    """Every tab row holding values, as (its label, or "" where it has none, its cells); None if a row with digits
    does not have the table's width."""
    rows = []
    for line in text.split("\n"):
        if "\t" not in line:
            continue
        cells = [c.strip() for c in line.split("\t")]
        labels = [i for i, c in enumerate(cells) if CJK.search(c) and c not in NULL_MARKS]
        values = fit(cells[labels[-1] + 1 :] if labels else cells, width)
        if not any(re.search(r"\d", v) for v in values):
            continue  # a header row
        if len(values) != width or not all(re.fullmatch(r"-?\d[\d,.]*|", v) or v in NULL_MARKS for v in values):
            return None
        rows.append(("".join(cells[i] for i in labels), values))
    return rows


def read_by_order(specs: list[RowSpec], text: str) -> TableRead | None:
    """Table 3 whose long labels were printed apart from their values (a Markdown rendering of a PDF): the value
    rows keep the template's order, so rows without a label are placed between the labelled rows around them.
    Only where the count of unlabelled rows between two labelled ones is exactly the template's; else None."""
    width = len(specs[0].cells)
    rows = grid_rows(text, width)
    if not rows:
        return None
    for order in (
        [s for s in specs if s.key != "other"],  # 2021: （六） printed by its three sub-rows
        [s for s in specs if not s.key.startswith("other.")],  # 2019: （六） one row
    ):
        placed = place(order, rows)
        if placed is None:
            continue
        read = TableRead()
        for spec, (_, values) in zip(placed, rows, strict=True):
            for key, cell in zip(spec.cells, values, strict=True):
                read.cells[key] = parse_value(cell, key, read)
        unlabelled = sum(not label for label, _ in rows)
        read.warn(
            "table.rows_by_order",
            f"t3: {unlabelled} rows were printed without their labels; each was placed by the template's row order "
            "between the labelled rows around it",
        )
        return read
    return None


def place(order: list[RowSpec], rows: list[tuple[str, list[str]]]) -> list[RowSpec] | None:
    """The template row of each printed row, or None where labels and counts do not fit the order exactly."""
    if len(rows) != len(order):
        return None
    for spec, (label, _) in zip(order, rows, strict=True):
        if label and not spec.label.search(label):
            return None
    return order


def read_t4(text: str) -> TableRead:
    """Fifteen numbers after the header words: a grid row of its own, or the run after the last header word."""
    read = TableRead()
    start = T4_START.search(text)
    pos = start.start() if start else 0
    keys = t4_keys()
    grid_row = next(
        (
            line
            for line in text[pos:].split("\n")
            if "\t" in line
            and not re.search(r"[\u4e00-\u9fff]", line)
            and len(fit(line.split("\t"), len(keys))) == len(keys)
        ),
        None,
    )
    if grid_row is not None:
        cells: list[str] | None = [c.strip() for c in fit(grid_row.split("\t"), len(keys))]
    else:
        header = T4_HEADER_RUN.match(text, pos)
        cells, _ = cell_texts(text[header.end() :] if header else text[pos:])
    if not cells:
        read.warn("table.no_values", "t4: no values found after the table's header")
    elif len(cells) == len(keys):
        for key, cell in zip(keys, cells, strict=True):
            read.cells[key] = parse_value(cell, key, read)
    elif len(cells) < len(keys) and all(re.fullmatch(r"\d+", c) for c in cells):
        solve_runs([RunRow("t4", " ".join(cells), keys)], read, t4_equations(), "t4")
    else:
        read.warn("table.row_width", f"t4: found {len(cells)} cells for 15 columns; not read", tuple(keys))
    return read


def read_tables(sections: dict[str, str], fmt: str) -> TableRead:
    """Tables 2–4 of a 2019 or 2021 report, from the sections that hold them."""
    read = TableRead()
    if "active_disclosure" in sections:
        read.merge(read_rows(t2_specs(fmt), sections["active_disclosure"], lambda rows: [], "t2", any_order=True))
    if "requests" in sections:
        t3 = read_rows(t3_specs(), sections["requests"], t3_equations, "t3")
        if {w.code for w in t3.warnings} & LABELS_ASTRAY:
            t3 = read_by_order(t3_specs(), sections["requests"]) or t3
        read.merge(t3)
    if "review_litigation" in sections:
        read.merge(read_t4(sections["review_litigation"]))
    return read
