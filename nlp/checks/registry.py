"""The check registry: every check is one function, registered under one id with its default severity.

An id is a rule of contract.md or a sub-rule of one (`prose.rate.share` under `prose.rate`); a finding carries both,
`rule` for callers of the contract and `check` for the exact check. Messages live in messages.json under the id.
Adding a check means adding one function with `@check(...)` and one entry in messages.json.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import resources
from typing import Any

from nlp.document import Finding, Report

RULES = (
    "table.balance",
    "table.sum",
    "prose.sum",
    "prose.table",
    "prose.rate",
    "period",
    "structure",
    "text",
    "cross_year",
    "reuse",
    "timeliness",
    "elements",
    "follow_through",
)
_MESSAGES = json.loads(resources.files(__package__).joinpath("messages.json").read_text(encoding="utf-8"))
MESSAGES: dict[str, dict[str, str]] = _MESSAGES["checks"]
PHRASES: dict[str, list[str]] = _MESSAGES["phrases"]
REASONS: dict[str, str] = _MESSAGES["reasons"]

Found = Iterable[Finding | None]


@dataclass(frozen=True)
class Check:
    id: str
    rule: str
    severity: str
    run: Callable[..., Found]
    previous: bool  # needs last year's report: run(now, last) instead of run(report)


CHECKS: dict[str, Check] = {}


def rule_of(check_id: str) -> str:
    rule = next((r for r in RULES if check_id == r or check_id.startswith(r + ".")), None)
    if rule is None:
        raise ValueError(f"check id {check_id!r} is not under any rule of contract.md: {', '.join(RULES)}")
    return rule


def check(check_id: str, severity: str, previous: bool = False) -> Callable[[Callable[..., Found]], Callable]:
    """Register the decorated function as the one check with this id."""
    if check_id not in MESSAGES:
        raise ValueError(f"check {check_id!r} has no message in messages.json")

    def register(run: Callable[..., Found]) -> Callable[..., Found]:
        if check_id in CHECKS:
            raise ValueError(f"check id {check_id!r} is registered twice")
        CHECKS[check_id] = Check(check_id, rule_of(check_id), severity, run, previous)
        return run

    return register


def message(check_id: str, **values: Any) -> str:
    text = MESSAGES[check_id]
    return f"{text['zh'].format(**values)} / {text['en'].format(**values)}"


def phrase(name: str, **values: Any) -> tuple[str, str]:
    """The Chinese and English names of a part of a table (表三（七）总计“自然人”列)."""
    zh, en = PHRASES[name]
    return zh.format(**values), en.format(**values)


def finding(
    check_id: str,
    *,
    severity: str | None = None,
    cells: Iterable[str] = (),
    quotes: Iterable[str] = (),
    expected: float | None = None,
    actual: float | None = None,
    **values: Any,
) -> Finding:
    """A finding of this check, its message filled from messages.json; `severity` only where it differs from
    the check's default (a prose figure that may count a narrower body is a warning, not an error)."""
    registered = CHECKS.get(check_id)
    return Finding(
        rule=rule_of(check_id),
        severity=severity or (registered.severity if registered else "error"),
        message=message(check_id, **values),
        cells=list(cells),
        quotes=list(quotes),
        expected=expected,
        actual=actual,
        check=check_id,
    )


# Notices whose cells were inferred rather than read, or read by OCR with low confidence: an error resting on one
# of them is only a warning, and says why (the reason of messages.json).
HEDGED = {"split.bounded": "inferred", "ocr.low_confidence": "ocr", "ocr.rows_missing": "ocr_rows"}


def run_checks(report: Report) -> None:
    """Every check of one report, in the order registered."""
    doubtful = {c: HEDGED[n.code] for n in report.table.warnings if n.code in HEDGED for c in n.cells}
    for registered in CHECKS.values():
        if not registered.previous:
            report.findings.extend(hedge(f, doubtful) for f in registered.run(report) if f is not None)


def hedge(found: Finding, doubtful: dict[str, str]) -> Finding:
    """An error may only rest on cells read with confidence; one that rests on a doubtful cell says why."""
    reason = next((doubtful[c] for c in found.cells if c in doubtful), None)
    if found.severity != "error" or reason is None:
        return found
    found.severity = "warning"
    zh, en = found.message.split(" / ", 1)
    reason_zh, reason_en = REASONS[reason].strip("（）").split(" / ")
    found.message = f"{zh}（{reason_zh}） / {en} ({reason_en})"
    return found


def run_cross_year(now: Report, last: Report) -> None:
    """Every check that reads last year's report as well."""
    for registered in CHECKS.values():
        if registered.previous:
            now.findings.extend(f for f in registered.run(now, last) if f is not None)
