"""Follow-through on section 五 (follow_through.json): with last year's report, the problems it states again in
the same or nearly the same words, and the measures it repeats word for word. Each pair is quoted, this year's
statement first. The statements are nlp/prose/statements.py's problems and measures."""

from __future__ import annotations

import json
from difflib import SequenceMatcher
from importlib import resources
from typing import Any

from nlp.checks.registry import Found, check, finding
from nlp.checks.reuse import fingerprint
from nlp.document import Report

DATA: dict[str, Any] = json.loads(
    resources.files(__package__).joinpath("follow_through.json").read_text(encoding="utf-8")
)


def statements(report: Report, kind: str) -> list[tuple[str, str]]:
    """(text, masked text) of the report's statements of this kind, long enough to compare."""
    found = [(s["text"], fingerprint(s["text"])) for s in report.statements if s["kind"] == kind]
    return [(text, masked) for text, masked in found if len(masked) >= DATA["min_chars"]]


def closest(masked: str, before: list[tuple[str, str]]) -> tuple[str, float] | None:
    """Last year's statement nearest to this one, and how near (difflib's ratio)."""
    best = None
    for text, other in before:
        matcher = SequenceMatcher(None, masked, other, autojunk=False)
        if matcher.real_quick_ratio() < DATA["problem_ratio"] or matcher.quick_ratio() < DATA["problem_ratio"]:
            continue
        ratio = matcher.ratio()
        if best is None or ratio > best[1]:
            best = (text, ratio)
    return best


@check("follow_through.problems", "warning", previous=True)
def problems_again(now: Report, last: Report) -> Found:
    before = statements(last, "problem")
    for text, masked in statements(now, "problem"):
        near = closest(masked, before)
        if near and near[1] >= DATA["problem_ratio"]:
            yield finding("follow_through.problems", quotes=[text, near[0]], actual=round(near[1], 2), ratio=near[1])


@check("follow_through.measures", "warning", previous=True)
def measures_again(now: Report, last: Report) -> Found:
    before = {masked: text for text, masked in statements(last, "measure")}
    for text, masked in statements(now, "measure"):
        if masked in before:
            yield finding("follow_through.measures", quotes=[text, before[masked]])
