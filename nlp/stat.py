"""The pre-2019 统计表: rows of 统计指标 / 单位 / 统计数, kept as `stat.<label>` with their units."""

from __future__ import annotations

import re

from nlp.tables import TableRead, parse_value

NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[)）]|\d{1,2}\s*[.．、])\s*")
LEVELS = ((re.compile(r"^[一二三四五六七八九十]{1,3}、"), 1), (re.compile(r"^[（(][一二三四五六七八九十]{1,3}[)）]"), 2),
          (re.compile(r"^\d{1,2}\s*[.．、]"), 3))
UNITS = ("万元", "人次", "条", "件", "次", "篇", "个", "期", "份", "人", "元")


def label_level(label: str) -> int:
    return next((level for pattern, level in LEVELS if pattern.match(label)), 4)


def clean_label(label: str) -> str:
    return NUMBERING.sub("", label.strip().removeprefix("其中：").removeprefix("其中:").strip())


def rows(text: str) -> list[list[str]]:
    """A row is one tab-separated line, or a block of one-cell lines (each led by a tab) between blank lines."""
    out = []
    for block in re.split(r"\n\s*\n", text):
        lines = [line for line in block.split("\n") if line.strip()]
        if len(lines) == 1:
            cells = lines[0].split("\t")
        else:
            cells = [line.removeprefix("\t") for line in lines]
        cells = [c.strip() for c in cells]
        out.append(cells[1:] if cells and not cells[0] else cells)
    return out


def read_stat_table(text: str) -> TableRead:
    """Tab-separated 统计表 rows (label, unit, value) after the 统计指标 header."""
    read = TableRead()
    header = re.search(r"统\s*计\s*指\s*标", text)
    if not header:
        return read
    parents: list[tuple[int, str]] = []
    for cells in rows(text[header.end():]):
        if len(cells) < 2 or not re.search(r"[\u4e00-\u9fff]", cells[0]):
            continue
        raw, unit, value = cells[0], cells[1] if len(cells) > 1 else "", cells[2] if len(cells) > 2 else ""
        if unit and unit not in UNITS:
            continue
        level = label_level(raw.removeprefix("其中：").strip()) if not raw.startswith("其中") else 4
        label = clean_label(raw)
        while parents and parents[-1][0] >= level:
            parents.pop()
        key = f"stat.{label}"
        if key in read.cells and parents:
            key = f"stat.{parents[-1][1]}/{label}"
        read.cells[key] = parse_value(value, key, read)
        if unit:
            read.units[key] = unit
        parents.append((level, label))
    return read
