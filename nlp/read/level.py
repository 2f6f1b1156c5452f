"""The level of the body that wrote the report, from its name (levels.json): it decides the report's deadline."""

from __future__ import annotations

import json
import re
from importlib import resources

from nlp.document import Report

LEVELS = [
    (level, re.compile(pattern))
    for level, pattern in json.loads(resources.files(__package__).joinpath("levels.json").read_text(encoding="utf-8"))[
        "levels"
    ]
]


def level_of(agency: str | None) -> str | None:
    """department | government | township, or None for a name that says none of them."""
    name = re.sub(r"\s+", "", agency or "")
    return next((level for level, pattern in LEVELS if pattern.search(name)), None)


def find_level(report: Report) -> None:
    report.level = level_of(report.agency)
