"""A score per report from a rubric (JSON): indicators, each worth some points, each losing points for the
findings it counts; an indicator that needs a fact the report lacks (a publication date, last year's report) is
not assessed rather than scored on nothing. The default rubric is nlp/rubric.json; docs/assessment.md explains it.

A finding is counted by the first deduction of its indicator that names it (by check id or a prefix of one:
`reuse` counts `reuse` itself, `reuse.report` only that check), so a finding costs an indicator once.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError, field_validator

from nlp.checks import CHECKS
from nlp.checks.registry import RULES

Fact = Literal["publication_known", "level_known", "previous_given"]
Severity = Literal["error", "warning", "info"]


class RubricError(ValueError):
    """A rubric file or field that cannot be used, with what is wrong in it."""


class Deduction(BaseModel, extra="forbid"):
    checks: list[str] = Field(min_length=1, description="check ids or prefixes of them (table, prose.rate, reuse)")
    severities: list[Severity] = Field(default=["error", "warning"], min_length=1)
    points: float = Field(gt=0, description="points lost per finding counted")

    @field_validator("checks")
    @classmethod
    def known_checks(cls, checks: list[str]) -> list[str]:
        unknown = [c for c in checks if not any(k == c or k.startswith(c + ".") for k in [*CHECKS, *RULES])]
        if unknown:
            raise ValueError(f"no check is named {', '.join(unknown)} (known: {', '.join(sorted(CHECKS))})")
        return checks


class Indicator(BaseModel, extra="forbid"):
    id: str = Field(min_length=1)
    name: str
    points: float = Field(gt=0, description="what the indicator is worth; deductions stop at 0")
    requires: list[Fact] = Field(default=[], description="facts without which the indicator is not assessed")
    deductions: list[Deduction] = Field(min_length=1)


class Rubric(BaseModel, extra="forbid"):
    name: str = Field(min_length=1)
    description: str = ""
    indicators: list[Indicator] = Field(min_length=1)


def parse_rubric(data: Any, where: str = "the rubric") -> Rubric:
    """A rubric from parsed JSON, or a RubricError saying what in it is wrong."""
    try:
        return Rubric.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(map(str, e['loc'])) or 'top level'}: {e['msg'].removeprefix('Value error, ')}"
            for e in exc.errors()
        )
        raise RubricError(f"{where} is not a valid rubric: {problems}.") from None


@cache
def load_rubric(path: Path | None = None) -> Rubric:
    """The rubric in a file (JSON), or the default one; read once per process."""
    if path is None:
        text, where = resources.files("nlp").joinpath("rubric.json").read_text(encoding="utf-8"), "rubric.json"
    else:
        try:
            text, where = Path(path).read_text(encoding="utf-8"), str(path)
        except (OSError, UnicodeDecodeError) as exc:
            raise RubricError(f"Cannot read the rubric {path}: {exc}.") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise RubricError(f"{where} is not JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}.") from None
    return parse_rubric(data, where)


def tidy(points: float) -> int | float:
    """85.0 → 85: a whole score prints as one."""
    return int(points) if float(points).is_integer() else round(points, 2)


def names(deduction: Deduction, check: str, severity: str) -> bool:
    return severity in deduction.severities and any(check == c or check.startswith(c + ".") for c in deduction.checks)


def assess(findings: list[tuple[str, str]], facts: dict[str, bool], rubric: Rubric) -> dict[str, Any]:
    """The score of one report: `findings` are (check, severity) in the result's order, `facts` what is known."""
    indicators, total, top = [], 0.0, 0.0
    for indicator in rubric.indicators:
        missing = [fact for fact in indicator.requires if not facts.get(fact)]
        lost = []
        for index, (check, severity) in enumerate(findings):
            deduction = next((d for d in indicator.deductions if names(d, check, severity)), None)
            if deduction is not None and not missing:
                lost.append({"finding": index, "check": check, "points": tidy(deduction.points)})
        points = None if missing else max(0.0, indicator.points - sum(d["points"] for d in lost))
        if points is not None:
            total, top = total + points, top + indicator.points
        indicators.append(
            {
                "id": indicator.id,
                "name": indicator.name,
                "max": tidy(indicator.points),
                "points": None if points is None else tidy(points),
                "not_assessed_for_want_of": missing,
                "deductions": lost,
            }
        )
    return {"rubric": rubric.name, "total": tidy(total), "max": tidy(top), "facts": facts, "indicators": indicators}


def assess_document(doc: dict[str, Any], rubric: Rubric) -> dict[str, Any]:
    """Score a result document again with another rubric (the API's `rubric` field), from its own findings and
    the facts its first assessment recorded."""
    findings = [(f["check"], f["severity"]) for f in doc["findings"]]
    return assess(findings, dict(doc["assessment"]["facts"]), rubric)
