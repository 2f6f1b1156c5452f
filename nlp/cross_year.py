"""Checks against the previous year's report: carry-over, stock of documents, 上一年项目数量, 同比 changes, and
text repeated from last year (the 2021 notice names 雷同 reports as a failing)."""

from __future__ import annotations

import re

from nlp.document import Finding, Report
from nlp.prose_checks import decimals_of, fmt, sentence_of
from nlp.tables import T3_COLUMN_NAMES, T3_COLUMNS

DECREASE = re.compile(r"下降|减少|降低|回落")
SENTENCE = re.compile(r"[^。！？；\n]+[。！？；]?")
MIN_SENTENCE = 15  # shorter sentences (一、总体情况) repeat by nature
REUSE_REPORTED = 0.3
REUSE_WARNING = 0.6
REUSE_MIN_CHARS = 100  # a one-line section (2023年，无收取信息处理费情况) repeats by nature
CUMULATIVE = "#历年累计"
TABLE_SECTIONS = {"active_disclosure", "requests", "review_litigation"}


def carry_over(now: Report, last: Report) -> list[Finding]:
    """This year's 上年结转 is last year's 结转下年度继续办理, column by column."""
    found = []
    for column in T3_COLUMNS:
        this, before = now.tables.get(f"t3.carried_over.{column}"), last.tables.get(f"t3.carried_forward.{column}")
        if this is None or before is None or this == before:
            continue
        found.append(
            Finding(
                rule="cross_year",
                severity="error",
                cells=[f"t3.carried_over.{column}"],
                expected=before,
                actual=this,
                message=f"表三“{T3_COLUMN_NAMES[column]}”列：上年结转 {fmt(this)}，但上一年度报告的结转下年度继续办理为 "
                f"{fmt(before)}。 / Carried over {fmt(this)}, but last year's report carried forward "
                f"{fmt(before)}.",
            )
        )
    return found


def stock(now: Report, last: Report) -> list[Finding]:
    """现行有效 now = 现行有效 last year + 本年制发 − 本年废止 (a warning: scope changes explain some)."""
    found = []
    for item, name in (("rules", "规章"), ("normative_docs", "行政规范性文件")):
        keys = [f"t2.{item}.in_force", f"t2.{item}.issued", f"t2.{item}.repealed"]
        values = [now.tables.get(k) for k in keys]
        before = last.tables.get(f"t2.{item}.in_force")
        if before is None or any(v is None for v in values):
            continue
        expected = before + values[1] - values[2]
        if expected == values[0]:
            continue
        found.append(
            Finding(
                rule="cross_year",
                severity="warning",
                cells=keys,
                expected=expected,
                actual=values[0],
                message=f"{name}现行有效 {fmt(values[0])} 件，而上年现行有效 {fmt(before)} + 本年制发 {fmt(values[1])} − "
                f"本年废止 {fmt(values[2])} = {fmt(expected)}（清理或口径调整可能造成差异）。 / {item}: "
                f"{fmt(values[0])} in force, but last year's {fmt(before)} + issued − repealed = {fmt(expected)}.",
            )
        )
    return found


def cumulative(now: Report, last: Report) -> list[Finding]:
    """A 统计表's 历年累计 this year = last year's 历年累计 + this year's figure."""
    found = []
    for key, this in now.tables.items():
        if not key.endswith(CUMULATIVE) or this is None:
            continue
        year, before = now.tables.get(key.removesuffix(CUMULATIVE)), last.tables.get(key)
        if year is None or before is None or this == before + year:
            continue
        label = key.removeprefix("stat.").removesuffix(CUMULATIVE)
        found.append(
            Finding(
                rule="cross_year",
                severity="error",
                cells=[key, key.removesuffix(CUMULATIVE)],
                expected=before + year,
                actual=this,
                message=f"统计表“{label}”历年累计 {fmt(this)}，但上一年度累计 {fmt(before)} + 本年 {fmt(year)} = "
                f"{fmt(before + year)}。 / {label}: the running total is {fmt(this)}, but last year's "
                f"{fmt(before)} plus this year's {fmt(year)} is {fmt(before + year)}.",
            )
        )
    return found


def previous_items(now: Report, last: Report) -> list[Finding]:
    """2019 template: 上一年项目数量 this year = last year's 上一年项目数量 + 本年增/减."""
    found = []
    for item in ("licensing", "other_services", "penalty", "coercion", "fees"):
        this = now.tables.get(f"t2.{item}.prev")
        before, change = last.tables.get(f"t2.{item}.prev"), last.tables.get(f"t2.{item}.change")
        if this is None or before is None or change is None or this == before + change:
            continue
        found.append(
            Finding(
                rule="cross_year",
                severity="warning",
                cells=[f"t2.{item}.prev"],
                expected=before + change,
                actual=this,
                message=f"表二“{item}”上一年项目数量为 {fmt(this)}，上一年度报告为 {fmt(before)} 加增减 {fmt(change)} = "
                f"{fmt(before + change)}。 / {item}: last year's count is printed as {fmt(this)}, but last year's "
                f"report gives {fmt(before + change)}.",
            )
        )
    return found


def last_value(last: Report, metric: str) -> float | None:
    """Last year's figure for a metric: its table cells if printed, else an exact claim in its prose."""
    for claim in last.claims:
        if claim.metric == metric and claim.qualifier in (None, "part", "cumulative"):
            if claim.cells and all(last.tables.get(c) is not None for c in claim.cells):
                return sum(last.tables[c] for c in claim.cells)
            return claim.value
    return None


def stated_changes(now: Report, last: Report) -> list[Finding]:
    """同比增长 N% after a figure: N must be (this year − last year) / last year."""
    texts = {s.key: s.text for s in now.sections}
    found = []
    for i, claim in enumerate(now.claims):
        if claim.qualifier != "change" or claim.unit != "%":
            continue
        text = texts.get(claim.section or "", "")
        sentence = sentence_of(text, claim)
        base = next(
            (
                c
                for c in reversed(now.claims[:i])
                if c.section == claim.section
                and c.metric
                and c.unit != "%"
                and c.qualifier in (None, "part", "cumulative")
                and c.start >= claim.start - 60
                and text[c.end : claim.start].count("。") == 0
            ),
            None,
        )
        before = last_value(last, base.metric) if base else None
        if base is None or not before:
            continue
        computed = (base.value - before) / before * 100
        stated = (
            -claim.value if DECREASE.search(sentence[: sentence.find(claim.quote) + len(claim.quote)]) else claim.value
        )
        if abs(computed - stated) <= 0.5 * 10 ** -decimals_of(claim) + 1e-9:
            continue
        found.append(
            Finding(
                rule="cross_year",
                severity="error",
                quotes=[base.quote, claim.quote],
                expected=round(computed, decimals_of(claim)),
                actual=stated,
                message=f"“{base.quote}”“{claim.quote}”：上一年度为 {fmt(before)}，实际变化 {computed:+.1f}%。 / "
                f"Last year's figure was {fmt(before)}: the change is {computed:+.1f}%, not {fmt(stated)}%.",
            )
        )
    return found


def fingerprint(sentence: str) -> str:
    """A sentence with its numbers masked and spaces gone: 2023年 and 2024年 versions of it are the same."""
    return re.sub(r"\d+(?:\.\d+)?", "#", re.sub(r"\s+", "", sentence))


def reuse(now: Report, last: Report) -> list[Finding]:
    """Per section, the share of this year's text found again, sentence by sentence, in last year's report."""
    seen = {fingerprint(s) for section in last.sections for s in SENTENCE.findall(section.text)}
    found = []
    for section in now.sections:
        if now.format in ("2019", "2021") and section.key in TABLE_SECTIONS:
            continue  # the template's tables: the same words every year
        sentences = [s for s in SENTENCE.findall(section.text) if len(s.strip()) >= MIN_SENTENCE and "\t" not in s]
        total = sum(len(s) for s in sentences)
        if total < REUSE_MIN_CHARS:
            continue
        repeated = [s.strip() for s in sentences if fingerprint(s) in seen]
        share = sum(len(s) for s in repeated) / total if total else 0.0
        if share < REUSE_REPORTED:
            continue
        found.append(
            Finding(
                rule="reuse",
                severity="warning" if share >= REUSE_WARNING else "info",
                quotes=repeated[:5],
                expected=None,
                actual=round(share, 2),
                message=f"“{section.title}”有 {share:.0%} 的文字与上一年度报告相同。 / {share:.0%} of section "
                f"{section.key} repeats last year's text.",
            )
        )
    return found


def check_against(now: Report, last: Report) -> None:
    """All cross-year findings, appended to this year's report."""
    now.findings.extend(
        carry_over(now, last)
        + stock(now, last)
        + cumulative(now, last)
        + previous_items(now, last)
        + stated_changes(now, last)
        + reuse(now, last)
    )
