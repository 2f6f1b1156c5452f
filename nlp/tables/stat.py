"""The pre-2019 统计表: rows of 统计指标 / 单位 / 统计数, kept as `stat.<label>` with their units."""

from __future__ import annotations

import re

from nlp.document import TableRead
from nlp.tables.grid import parse_value, solve_runs
from nlp.tables.schema import stat_equations
from nlp.tables.split import RunRow

NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[)）]|\d{1,2}\s*[.．、])\s*")
LEVELS = (
    (re.compile(r"^[一二三四五六七八九十]{1,3}、"), 1),
    (re.compile(r"^[（(][一二三四五六七八九十]{1,3}[)）]"), 2),
    (re.compile(r"^\d{1,2}\s*[.．、]"), 3),
)
# A crawled 统计表 header, its words spaced or not: 指标名称 计量单位 2011年度 历年累计 (two value columns) or
# 指标名称 计量单位 年末统计 (one).
RUN_HEADER = re.compile(
    r"指\s*标\s*名\s*称\s*(?:计\s*量\s*)?单\s*位\s*(?:\d{4}\s*年度?|年\s*末\s*统\s*计|统\s*计\s*数|本\s*年\s*度?)?"
    r"\s*(?P<cumulative>历\s*年\s*累\s*计)?"
)
# label, unit, then the values: one run of digits (the columns ran together) or cells apart by spaces; a value
# followed by 、 or . is the next row's numbering (2.政府公报公开), not a cell.
RUN_ROW = re.compile(
    r"(?P<label>[^\d]+?)\s*(?P<unit>万元|人次|条|件|次|篇|个|期|份|人|元)\s*"
    r"(?P<digits>\d+(?:[ \t]+\d+(?![\d.．、]))*)"
)
NAMES_A_TABLE = re.compile(r"统\s*计\s*表|统\s*计\s*数\s*据|指\s*标\s*名\s*称|统\s*计\s*指\s*标")
UNITS = ("万元", "人次", "条", "件", "次", "篇", "个", "期", "份", "人", "元")


def label_level(label: str) -> int:
    return next((level for pattern, level in LEVELS if pattern.match(label)), 4)


def clean_label(label: str) -> str:
    """Numbering and a leading 其中： off; no whitespace (PDF text breaks a label over lines: 主动公开\n文件数)."""
    label = NUMBERING.sub("", label.strip().removeprefix("其中：").removeprefix("其中:").strip())
    return re.sub(r"\s+", "", label)


def split_line(line: str) -> list[str]:
    """Cells of one printed row: tab-separated, or whitespace-aligned with gaps of two or more spaces."""
    line = line.strip("\n")
    cells = line.split("\t") if "\t" in line.strip() else re.split(r"\s{2,}", line.strip())
    cells = [c.strip() for c in cells]
    return cells[1:] if cells and not cells[0] else cells


def rows(text: str) -> list[list[str]]:
    """A row is one line, or a block of one-cell lines (each led by a tab) between blank lines (seed 004)."""
    out = []
    for block in re.split(r"\n\s*\n", text):
        lines = [line for line in block.split("\n") if line.strip()]
        one_cell = all(len(split_line(line)) == 1 for line in lines)
        if one_cell and len(lines) > 1 and all(line.startswith("\t") for line in lines):
            out.append([line.strip() for line in lines])
        else:
            out.extend(split_line(line) for line in lines)
    return out


def read_stat_table(text: str) -> TableRead:
    """The 统计表 after its 统计指标 header, or a crawled one (指标名称…历年累计) whose cells ran together."""
    header = re.search(r"统\s*计\s*指\s*标", text)
    if header:
        read = read_printed_rows(text[header.end() :])
    else:
        header = RUN_HEADER.search(text)
        read = read_run_together(text[header.end() :], bool(header.group("cumulative"))) if header else TableRead()
    if not read.cells and not read.candidates and NAMES_A_TABLE.search(text):
        read.warn(
            "table.unread",
            "stat: the report prints or names a 统计表, but no cell of it could be read (an image, an attachment, "
            "or a layout the reader does not know): check its figures against the original",
        )
    return read


def read_run_together(text: str, cumulative: bool) -> TableRead:
    """`主动公开文件数条346085376其中：1、政府网站公开数条3460853762、…` or `主动公开信息数 条 425 1516 其中：…`:
    label, unit, then the row's values.

    Where the 本年度 and 历年累计 columns ran together, a parent (主动公开文件数) equals the sum of its 其中 children
    in each column, which is all the arithmetic there is to split them with; cells printed apart are read as
    they are.
    """
    read = TableRead()
    runs: list[RunRow] = []
    parent: str | None = None
    children: dict[str, list[str]] = {}
    previous_end = 0
    for match in RUN_ROW.finditer(text):
        gap, previous_end = text[previous_end : match.start()], match.end()  # e.g. "其中：1" the regex skipped
        digits = match.group("digits")
        if text[match.end() : match.end() + 1] in ("、", ".", "．") and len(digits) > 1:
            digits = digits[:-1]  # the next label's numbering (2、) stuck to this row's digits
        raw = match.group("label").lstrip("、.． ")
        label = clean_label(raw)
        if not label:
            continue
        key = f"stat.{label}"
        if any(run.name == key for run in runs):
            read.warn("table.row_twice", f"stat: row {label} is printed a second time; only the first table was read")
            break
        numbered = match.group("label").startswith(("、", ".", "．")) or bool(NUMBERING.match(raw))
        is_child = "其中" in gap or raw.startswith("其中") or numbered
        if is_child and parent:
            children.setdefault(parent, []).append(key)
        else:
            parent = key
        read.units[key] = match.group("unit")
        cells = [key, f"{key}#历年累计"] if cumulative else [key]
        values = digits.split()
        if len(values) == len(cells):
            read.cells.update({cell: parse_value(value, cell, read) for cell, value in zip(cells, values, strict=True)})
        elif len(values) == 1:
            runs.append(RunRow(key, digits, cells))
        else:
            read.warn("table.row_width", f"stat: row {label} has {len(values)} values for {len(cells)} columns")
    read.sums = [(p, kids) for p, kids in children.items()]
    if cumulative:
        read.sums += [(p + "#历年累计", [k + "#历年累计" for k in kids]) for p, kids in children.items()]
    if runs:
        solve_runs(runs, read, stat_equations(read.sums), "stat")
    return read


def read_printed_rows(text: str) -> TableRead:
    """Rows of label, unit and value. A label printed under two parents is keyed `<parent>/<label>`."""
    read = TableRead()
    parsed: list[tuple[str, str, str, str | None]] = []  # label, unit, value, parent
    parents: list[tuple[int, str]] = []
    levels: list[int] = []
    for cells in rows(text):
        raw = cells[0] if cells else ""
        unit = cells[1] if len(cells) > 1 else ""
        if not re.search(r"[\u4e00-\u9fff]", raw) or (unit and unit not in UNITS):
            continue
        if len(cells) == 1 and not NUMBERING.match(raw):
            continue  # a note or a signature line, not a row
        level = 4 if raw.startswith("其中") else label_level(raw)
        label = clean_label(raw)
        while parents and parents[-1][0] >= level:
            parents.pop()
        parsed.append((label, unit, cells[2] if len(cells) > 2 else "", parents[-1][1] if parents else None))
        parents.append((level, label))
        levels.append(level)
    repeated = {label for label, *_ in parsed if sum(p[0] == label for p in parsed) > 1}
    keys = [
        f"stat.{parent}/{label}" if label in repeated and parent else f"stat.{label}" for label, _, _, parent in parsed
    ]
    for key, (_, unit, value, _) in zip(keys, parsed, strict=True):
        read.cells[key] = parse_value(value, key, read)
        if unit:
            read.units[key] = unit
    read.sums = children_sums(keys, levels)
    return read


def children_sums(keys: list[str], levels: list[int]) -> list[tuple[str, list[str]]]:
    """各子栏目数总数要等于总栏目数量: a numbered row equals its numbered sub-rows (其中 rows are only a part)."""
    sums = []
    for i, level in enumerate(levels):
        children = []
        for key, child_level in zip(keys[i + 1 :], levels[i + 1 :], strict=True):
            if child_level <= level:
                break
            if child_level == level + 1 and child_level < 4:
                children.append(key)
        if children:
            sums.append((keys[i], children))
    return sums
