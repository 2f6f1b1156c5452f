"""The templates' tables as data (tables.json): row labels, cell keys, names, and the arithmetic they state.

The equations below are the one statement of each table's rules (勾稽关系): the digit-run solver splits
run-together cells with them, and the checks report the printed cells that break them.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from importlib import resources

_DATA = json.loads(resources.files(__package__).joinpath("tables.json").read_text(encoding="utf-8"))
CJK_PAIR = re.compile(r"([\u4e00-\u9fff])(?=[\u4e00-\u9fff])")
# A label starts a cell: after a line/tab/space, a digit run, a numbering mark or a header word's last char.
LABEL_START = r"(?:(?<=[\s\d.．、）)：:项数量额元减])|^)"

# The sections of the 2019 and 2021 templates that hold tables 2, 3 and 4: their numbers are cells, not prose.
TABLE_SECTIONS = {"active_disclosure": "t2", "requests": "t3", "review_litigation": "t4"}
T3_COLUMNS: list[str] = _DATA["t3"]["columns"]
T3_APPLICANTS = T3_COLUMNS[:-1]
T3_ROW_NAMES: dict[str, str] = _DATA["t3"]["row_names"]
T3_COLUMN_NAMES: dict[str, str] = _DATA["t3"]["column_names"]
T3_RESULT_EXCLUDED = ("new", "carried_over", "total", "carried_forward")
T4_BLOCKS: list[str] = _DATA["t4"]["blocks"]
T4_COLUMNS: list[str] = _DATA["t4"]["columns"]
T4_PARTS = T4_COLUMNS[:-1]  # upheld, corrected, other, pending: the block's total is their sum
T4_BLOCK_NAMES: dict[str, str] = _DATA["t4"]["block_names"]
T4_HEADER: str = _DATA["t4"]["header"]


def spaced(pattern: str) -> re.Pattern[str]:
    """Extraction breaks words (`总 计`, `重 新出具`): allow whitespace between any two CJK characters."""
    return re.compile(LABEL_START + CJK_PAIR.sub(r"\1\\s*", pattern), re.M)


@dataclass
class RowSpec:
    key: str
    label: re.Pattern[str]
    optional: bool
    cells: list[str]
    decimals: bool = False


def t2_specs(fmt: str) -> list[RowSpec]:
    table = _DATA["t2_2021" if fmt == "2021" else "t2_2019"]
    return [
        RowSpec(
            key,
            spaced(label),
            optional,
            [f"t2.{key}.{c}" for c in columns],
            any(c in table["decimals"] for c in columns),
        )
        for key, label, optional, columns in table["rows"]
    ]


def t3_specs() -> list[RowSpec]:
    return [
        RowSpec(key, spaced(label), optional, [f"t3.{key}.{c}" for c in T3_COLUMNS])
        for key, label, optional in _DATA["t3"]["rows"]
    ]


def t4_keys() -> list[str]:
    return [f"t4.{b}.{c}" for b in T4_BLOCKS for c in T4_COLUMNS]


@dataclass(frozen=True)
class Equation:
    """sum(left) == sum(right). `kind` says which rule of the template it is; `part` which row, column or block."""

    kind: str  # t3.row | t3.other | t3.column | t3.balance | t4.block | stat.row
    part: str
    left: tuple[str, ...]
    right: tuple[str, ...]


def t3_result_rows(rows: list[str]) -> list[str]:
    """The rows that add up to （七）总计: every result row, （六）其他处理 counted once (by its parts, if printed)."""
    results = [r for r in rows if r not in T3_RESULT_EXCLUDED]
    if "other" in results and any(r.startswith("other.") for r in results):
        results.remove("other")
    return results


def t3_equations(rows: list[str]) -> list[Equation]:
    """templates.md: each row's total = its six columns; 总计 = the result rows; new + carried_over = total +
    carried_forward; in format 2021, （六）其他处理 = its three sub-rows. `rows` are the row keys printed."""
    equations = [Equation("t3.row", r, (f"t3.{r}.total",), tuple(f"t3.{r}.{c}" for c in T3_APPLICANTS)) for r in rows]
    others = [r for r in rows if r.startswith("other.")]
    if "other" in rows and others:
        equations += [
            Equation("t3.other", c, (f"t3.other.{c}",), tuple(f"t3.{r}.{c}" for r in others)) for c in T3_COLUMNS
        ]
    results = t3_result_rows(rows)
    for c in T3_COLUMNS:
        equations.append(Equation("t3.column", c, (f"t3.total.{c}",), tuple(f"t3.{r}.{c}" for r in results)))
        equations.append(
            Equation(
                "t3.balance",
                c,
                (f"t3.new.{c}", f"t3.carried_over.{c}"),
                (f"t3.total.{c}", f"t3.carried_forward.{c}"),
            )
        )
    return equations


def t4_equations() -> list[Equation]:
    return [Equation("t4.block", b, (f"t4.{b}.total",), tuple(f"t4.{b}.{c}" for c in T4_PARTS)) for b in T4_BLOCKS]


def stat_equations(sums: list[tuple[str, list[str]]]) -> list[Equation]:
    """A 统计表 parent row = the sum of its numbered children (各子栏目数总数要等于总栏目数量)."""
    return [Equation("stat.row", total, (total,), tuple(parts)) for total, parts in sums]


def printed_rows(cells: dict[str, int | float | None], prefix: str) -> list[str]:
    """Row keys (`new`, `denied.state_secret`) of the cells read under a table prefix (`t3.`), in printed order."""
    rows: list[str] = []
    for key in cells:
        if key.startswith(prefix) and (row := key[len(prefix) :].rsplit(".", 1)[0]) not in rows:
            rows.append(row)
    return rows
