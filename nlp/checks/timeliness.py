"""Was the report published by its deadline? The deadline depends on the year reported on and the level of the
body (deadlines.json); the date and where it was read are nlp/read/publication.py's. What cannot be known (no
date, no level, no deadline for the level) is said as info, never as an error."""

from __future__ import annotations

import json
from datetime import date
from importlib import resources
from typing import Any

from nlp.checks.registry import Found, check, finding
from nlp.document import Report
from nlp.read.publication import SOURCE_NAMES

DEADLINES: dict[str, Any] = json.loads(
    resources.files(__package__).joinpath("deadlines.json").read_text(encoding="utf-8")
)
LEVEL_NAMES = {"department": "政府部门", "government": "县级以上地方人民政府", "township": "乡镇（街道）"}


def deadline_rule(year: int) -> dict[str, Any]:
    return next(
        rule
        for rule in DEADLINES["rules"]
        if (rule["from"] is None or year >= rule["from"]) and (rule["to"] is None or year <= rule["to"])
    )


def deadline_of(year: int, level: str) -> tuple[date | None, str]:
    """The date a report on `year` by a body of `level` is due, and the provision that sets it."""
    rule = deadline_rule(year)
    day = rule["deadline"].get(level)
    return (date(year + 1, *map(int, day.split("-"))) if day else None), rule["law"]


@check("timeliness", "warning")
def late(report: Report) -> Found:
    published = report.publication
    if report.year is None or report.level is None or published is None:
        return
    due, law = deadline_of(report.year, report.level)
    if due is None or published.date <= due:
        return
    zh_source, en_source = SOURCE_NAMES[published.source]
    yield finding(
        "timeliness",
        severity=DEADLINES["late"].get(published.source, DEADLINES["late"]["default"]),
        quotes=[published.quote],
        date=published.date.isoformat(),
        source=zh_source,
        source_en=en_source,
        due=due.isoformat(),
        law=law,
        level=LEVEL_NAMES[report.level],
        days=(published.date - due).days,
    )


@check("timeliness.unknown", "info")
def unknown(report: Report) -> Found:
    """Say why timeliness could not be judged: no date, no level, or no deadline for the level."""
    if report.year is None:
        return
    if report.publication is None:
        yield finding(
            "timeliness.unknown", what="未找到发布或落款日期", what_en="no publication or signature date was found"
        )
    elif report.level is None:
        yield finding(
            "timeliness.unknown",
            what=f"无法从机关名称“{report.agency or ''}”判断其层级",
            what_en="the body's level cannot be told from its name",
        )
    elif deadline_of(report.year, report.level)[0] is None:
        yield finding(
            "timeliness.unknown",
            what=f"{deadline_rule(report.year)['law']}未规定{LEVEL_NAMES[report.level]}的公布期限",
            what_en=f"the 条例 sets no deadline for a {report.level}'s report",
        )
