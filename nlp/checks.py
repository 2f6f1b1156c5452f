"""Findings from the tables' own arithmetic (勾稽关系), the statistics period and the report's structure.

Every check compares only printed numbers: an empty cell is "not reported", so a sum with an empty part is
not checked at all. Messages are Chinese with English alongside, for the reader, not the developer.
"""

from __future__ import annotations

import re

from nlp.document import Finding, Report
from nlp.tables import T3_COLUMN_NAMES, T3_COLUMNS, T3_RESULT_EXCLUDED, T3_ROW_NAMES, t4_blocks

REQUIRED_SECTIONS = [
    "overview",
    "active_disclosure",
    "requests",
    "review_litigation",
    "problems_improvements",
    "other_matters",
]
SECTION_NAMES = {
    "overview": "总体情况",
    "active_disclosure": "主动公开政府信息情况",
    "requests": "收到和处理政府信息公开申请情况",
    "review_litigation": "行政复议、行政诉讼情况",
    "problems_improvements": "存在的主要问题及改进情况",
    "other_matters": "其他需要报告的事项",
}
PERIOD = re.compile(r"统计(?:期限|时限|时间|区间|期间)[^。；\n]{0,4}?[自为从]?\s*([^。；]{0,60}?)(?:止|。|；|\Z)")
DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
GLUED_DATE = re.compile(r"\d{5,}\s*月|\d{4}\s*年\s*\d{3,}|\d{4}\s*年\s*\d{1,2}\s*月\s*\d{3,}")


def present(tables: dict[str, float | int | None], keys: list[str]) -> bool:
    return all(tables.get(k) is not None for k in keys)


def total_of(tables: dict, keys: list[str]) -> float:
    return round(sum(tables[k] for k in keys), 6)


def sum_finding(tables: dict, total: str, parts: list[str], what: str, what_en: str) -> Finding | None:
    """`total` printed vs the sum of `parts`, when every one of them is printed."""
    if not parts or not present(tables, [total, *parts]):
        return None
    expected = total_of(tables, parts)
    if expected == tables[total]:
        return None
    return Finding(
        rule="table.sum",
        severity="error",
        message=f"{what}：合计印为 {tables[total]}，各项之和为 {expected}。 / {what_en}: the printed "
        f"total is {tables[total]} but its parts add up to {expected}.",
        cells=[total, *parts],
        expected=expected,
        actual=tables[total],
    )


def t3_rows(tables: dict) -> list[str]:
    rows: list[str] = []
    for key in tables:
        if key.startswith("t3.") and key.rsplit(".", 1)[0][3:] not in rows:
            rows.append(key.rsplit(".", 1)[0][3:])
    return rows


def check_t3(tables: dict) -> list[Finding | None]:
    rows = t3_rows(tables)
    if not rows:
        return []
    found: list[Finding | None] = []
    applicants = T3_COLUMNS[:-1]
    for row in rows:
        found.append(
            sum_finding(
                tables,
                f"t3.{row}.total",
                [f"t3.{row}.{c}" for c in applicants],
                f"表三“{T3_ROW_NAMES.get(row, row)}”行的总计列",
                f"table 3 row {row}, total column",
            )
        )
    results = [r for r in rows if r not in T3_RESULT_EXCLUDED]
    if "other" in results and any(r.startswith("other.") for r in results):
        results.remove("other")
        for column in T3_COLUMNS:
            found.append(
                sum_finding(
                    tables,
                    f"t3.other.{column}",
                    [f"t3.{r}.{column}" for r in rows if r.startswith("other.")],
                    f"表三（六）其他处理“{T3_COLUMN_NAMES[column]}”列",
                    f"table 3 (六) other, column {column}",
                )
            )
    for column in T3_COLUMNS:
        found.append(
            sum_finding(
                tables,
                f"t3.total.{column}",
                [f"t3.{r}.{column}" for r in results],
                f"表三（七）总计“{T3_COLUMN_NAMES[column]}”列",
                f"table 3 (七) total, column {column}",
            )
        )
        found.append(balance(tables, column))
    return found


def balance(tables: dict, column: str) -> Finding | None:
    """第一项加第二项之和，等于第三项加第四项之和 — printed on the table itself."""
    left = [f"t3.new.{column}", f"t3.carried_over.{column}"]
    right = [f"t3.total.{column}", f"t3.carried_forward.{column}"]
    if not present(tables, left + right) or total_of(tables, left) == total_of(tables, right):
        return None
    expected, actual = total_of(tables, left), total_of(tables, right)
    return Finding(
        rule="table.balance",
        severity="error",
        message=f"表三“{T3_COLUMN_NAMES[column]}”列：新收 {tables[left[0]]} + 上年结转 "
        f"{tables[left[1]]} = {expected}，"
        f"但办理总计 {tables[right[0]]} + 结转下年度 {tables[right[1]]} = {actual}。 / Table 3, "
        f"column {column}: new + carried over = {expected}, but total + carried forward = "
        f"{actual}.",
        cells=left + right,
        expected=expected,
        actual=actual,
    )


def check_t4(tables: dict) -> list[Finding | None]:
    parts = ("upheld", "corrected", "other", "pending")
    return [
        sum_finding(tables, f"{block}.total", [f"{block}.{c}" for c in parts], f"表四{name}", f"table 4, {block[3:]}")
        for block, name in t4_blocks()
    ]


def check_stat(report: Report) -> list[Finding | None]:
    return [
        sum_finding(report.tables, parent, children, f"统计表“{parent[5:]}”", f"statistics table row {parent[5:]}")
        for parent, children in report.table_sums
    ]


def check_structure(report: Report) -> list[Finding | None]:
    if report.format not in ("2019", "2021"):
        return []
    keys = [s.key for s in report.sections]
    found: list[Finding | None] = []
    for number, key in zip("一二三四五六", REQUIRED_SECTIONS, strict=True):
        if key not in keys:
            found.append(
                Finding(
                    rule="structure",
                    severity="warning",
                    message=f"未找到第{number}部分“{SECTION_NAMES[key]}”。 / "
                    f"Section {key} ({SECTION_NAMES[key]}) was not found.",
                )
            )
    for prefix, name in (("t2.", "表二"), ("t3.", "表三"), ("t4.", "表四")):
        if not any(k.startswith(prefix) for k in report.tables):
            found.append(
                Finding(
                    rule="structure",
                    severity="warning",
                    message=f"未能读到{name}。 / Table {prefix[1]} could not be read.",
                )
            )
    return found


def check_period(report: Report) -> list[Finding | None]:
    """The statistics period: well-formed dates, a whole calendar year, the report's year."""
    match = PERIOD.search(report.text)
    if not match:
        return []
    quote = " ".join(match.group(0).split())
    span = match.group(1)
    dates = [tuple(int(x) for x in d) for d in DATE.findall(span)]
    if GLUED_DATE.search(span) or len(dates) != 2:
        return [
            Finding(
                rule="period",
                severity="error",
                quotes=[quote],
                message=f"统计期限的日期格式有误：“{quote}”。 / The statistics period is malformed: "
                f"the dates cannot be read as 年/月/日.",
            )
        ]
    (y1, m1, d1), (y2, m2, d2) = dates
    found: list[Finding | None] = []
    if (m1, d1, m2, d2) != (1, 1, 12, 31) or y1 != y2:
        found.append(
            Finding(
                rule="period",
                severity="warning",
                quotes=[quote],
                message=f"统计期限不是一个完整的自然年：“{quote}”。 / The statistics period is not one calendar year.",
            )
        )
    if report.year is not None and y1 != report.year:
        found.append(
            Finding(
                rule="period",
                severity="error",
                quotes=[quote],
                expected=report.year,
                actual=y1,
                message=f"统计期限的年份 {y1} 与报告年度 {report.year} 不一致。 / The statistics period "
                f"is for {y1} but the report is for {report.year}.",
            )
        )
    return found


def check_tables(report: Report) -> None:
    """All table, period and structure checks, appended to the report's findings."""
    found = (
        check_t3(report.tables)
        + check_t4(report.tables)
        + check_stat(report)
        + check_structure(report)
        + check_period(report)
    )
    report.findings.extend(f for f in found if f is not None)
