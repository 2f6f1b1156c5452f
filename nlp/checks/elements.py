"""Required contents, element by element (elements.json): what the format's notice or the 条例 asks a report to
state (section 一's five topics, section 五's problems and measures, section 六's fees, …). Each missing element
is one finding naming it; the words that count as covering an element are data, and broad."""

from __future__ import annotations

import json
import re
from importlib import resources
from typing import Any

from nlp.checks.registry import Found, check, finding
from nlp.document import Report

ELEMENTS: dict[str, list[dict[str, Any]]] = json.loads(
    resources.files(__package__).joinpath("elements.json").read_text(encoding="utf-8")
)["formats"]


def place_text(report: Report, place: str) -> str | None:
    """The text an element is looked for in; None when that section is not there."""
    if place == "text":
        return report.text
    section = report.section(place)
    return section.text if section else None


def present(element: dict[str, Any], text: str) -> bool:
    if "min_chars" in element:
        return len(re.sub(r"\s+", "", text)) >= element["min_chars"]
    return any(word in text for word in element["any"])


@check("elements", "warning")
def missing_elements(report: Report) -> Found:
    for element in ELEMENTS.get(report.format, []):
        if "levels" in element and report.level not in element["levels"]:
            continue
        text = place_text(report, element["section"])
        if text is None or present(element, text):
            continue
        zh, en = element["name"]
        yield finding("elements", severity=element["severity"], element=zh, element_en=en, id=element["id"])
