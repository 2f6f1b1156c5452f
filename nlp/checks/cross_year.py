"""Checks of the figures against the previous year's report: carry-over, stock of documents, 上一年项目数量, 历年累计,
同比 changes. Text repeated from last year is reuse.py's."""

from __future__ import annotations

import re

from nlp.checks.prose import decimals_of, fmt, sentence_of
from nlp.checks.registry import Found, check, finding
from nlp.document import Report
from nlp.prose.vocabulary import EXACT
from nlp.tables.schema import T3_COLUMN_NAMES, T3_COLUMNS

DECREASE = re.compile(r"下降|减少|降低|回落")
CUMULATIVE = "#历年累计"


@check("cross_year.carry_over", "error", previous=True)
def carry_over(now: Report, last: Report) -> Found:
    """This year's 上年结转 is last year's 结转下年度继续办理, column by column."""
    for column in T3_COLUMNS:
        this, before = now.tables.get(f"t3.carried_over.{column}"), last.tables.get(f"t3.carried_forward.{column}")
        if this is None or before is None or this == before:
            continue
        yield finding(
            "cross_year.carry_over",
            cells=[f"t3.carried_over.{column}"],
            expected=before,
            actual=this,
            column_name=T3_COLUMN_NAMES[column],
            this=fmt(this),
            before=fmt(before),
        )


@check("cross_year.stock", "warning", previous=True)
def stock(now: Report, last: Report) -> Found:
    """现行有效 now = 现行有效 last year + 本年制发 − 本年废止 (a warning: scope changes explain some)."""
    for item, name in (("rules", "规章"), ("normative_docs", "行政规范性文件")):
        keys = [f"t2.{item}.in_force", f"t2.{item}.issued", f"t2.{item}.repealed"]
        values = [now.tables.get(k) for k in keys]
        before = last.tables.get(f"t2.{item}.in_force")
        if before is None or any(v is None for v in values):
            continue
        expected = before + values[1] - values[2]
        if expected == values[0]:
            continue
        yield finding(
            "cross_year.stock",
            cells=keys,
            expected=expected,
            actual=values[0],
            name=name,
            item=item,
            in_force=fmt(values[0]),
            before=fmt(before),
            issued=fmt(values[1]),
            repealed=fmt(values[2]),
            should=fmt(expected),
        )


@check("cross_year.cumulative", "error", previous=True)
def cumulative(now: Report, last: Report) -> Found:
    """A 统计表's 历年累计 this year = last year's 历年累计 + this year's figure."""
    for key, this in now.tables.items():
        if not key.endswith(CUMULATIVE) or this is None:
            continue
        year, before = now.tables.get(key.removesuffix(CUMULATIVE)), last.tables.get(key)
        if year is None or before is None or this == before + year:
            continue
        yield finding(
            "cross_year.cumulative",
            cells=[key, key.removesuffix(CUMULATIVE)],
            expected=before + year,
            actual=this,
            label=key.removeprefix("stat.").removesuffix(CUMULATIVE),
            this=fmt(this),
            before=fmt(before),
            year=fmt(year),
            should=fmt(before + year),
        )


@check("cross_year.previous_items", "warning", previous=True)
def previous_items(now: Report, last: Report) -> Found:
    """2019 template: 上一年项目数量 this year = last year's 上一年项目数量 + 本年增/减."""
    for item in ("licensing", "other_services", "penalty", "coercion", "fees"):
        this = now.tables.get(f"t2.{item}.prev")
        before, change = last.tables.get(f"t2.{item}.prev"), last.tables.get(f"t2.{item}.change")
        if this is None or before is None or change is None or this == before + change:
            continue
        yield finding(
            "cross_year.previous_items",
            cells=[f"t2.{item}.prev"],
            expected=before + change,
            actual=this,
            item=item,
            this=fmt(this),
            before=fmt(before),
            change=fmt(change),
            should=fmt(before + change),
        )


def last_value(last: Report, metric: str) -> float | None:
    """Last year's figure for a metric: its table cells if printed, else an exact claim in its prose."""
    for claim in last.claims:
        if claim.metric == metric and claim.qualifier in EXACT:
            if claim.cells and all(last.tables.get(c) is not None for c in claim.cells):
                return sum(last.tables[c] for c in claim.cells)
            return claim.value
    return None


@check("cross_year.change", "error", previous=True)
def stated_changes(now: Report, last: Report) -> Found:
    """同比增长 N% after a figure: N must be (this year − last year) / last year."""
    texts = now.section_texts()
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
                and c.qualifier in EXACT
                and c.start >= claim.start - 60
                and text[c.end : claim.start].count("。") == 0
            ),
            None,
        )
        before = last_value(last, base.metric) if base else None
        if base is None or not before:
            continue
        computed = (base.value - before) / before * 100
        falling = DECREASE.search(sentence[: sentence.find(claim.quote) + len(claim.quote)])
        stated = -claim.value if falling else claim.value
        if abs(computed - stated) <= 0.5 * 10 ** -decimals_of(claim) + 1e-9:
            continue
        yield finding(
            "cross_year.change",
            quotes=[base.quote, claim.quote],
            expected=round(computed, decimals_of(claim)),
            actual=stated,
            base_quote=base.quote,
            quote=claim.quote,
            before=fmt(before),
            computed=computed,
            stated=fmt(stated),
        )
