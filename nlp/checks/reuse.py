"""Text and tables repeated from last year's report (雷同: the 2021 format notice names it a failing, and one
published assessment indicator deducts when more than half a report repeats last year's). Shares are of the text
a body writes itself: the format's fixed sentences and table headers (reuse.json) count on neither side."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from nlp.checks.registry import Found, check, finding
from nlp.document import Report, Section
from nlp.settings import get_settings

DATA: dict[str, Any] = json.loads(resources.files(__package__).joinpath("reuse.json").read_text(encoding="utf-8"))
BOILERPLATE = [re.compile(pattern) for pattern in DATA["boilerplate"]]
SENTENCE = re.compile(r"[^。！？；\n]+[。！？；]?")


def fingerprint(sentence: str) -> str:
    """A sentence with its numbers masked and spaces gone: 2023年 and 2024年 versions of it are the same."""
    return re.sub(r"\d+(?:\.\d+)?", "#", re.sub(r"\s+", "", sentence))


def countable(text: str, boilerplate: list[re.Pattern[str]] = BOILERPLATE) -> list[str]:
    """The sentences a body wrote itself: long enough, not a table row, not the format's boilerplate."""
    return [
        s.strip()
        for s in SENTENCE.findall(text)
        if len(s.strip()) >= DATA["min_sentence"]
        and "\t" not in s
        and not any(p.search(fingerprint(s)) for p in boilerplate)
    ]


@dataclass
class Share:
    """How much of a text repeats sentences seen before, in characters of countable sentences."""

    total: int = 0
    repeated_chars: int = 0
    repeated: list[str] = field(default_factory=list)

    @property
    def share(self) -> float:
        return self.repeated_chars / self.total if self.total else 0.0


def seen_in(report: Report) -> set[str]:
    """Last year's sentences, from its whole text and from its sections (a heading cut off a section's text
    leaves its first sentence apart from the same words run together with the heading in the whole text)."""
    texts = [report.text, *(s.text for s in report.sections)]
    return {fingerprint(s) for text in texts for s in SENTENCE.findall(text)}


def share_of(text: str, seen: set[str], boilerplate: list[re.Pattern[str]] = BOILERPLATE) -> Share:
    sentences = countable(text, boilerplate)
    repeated = [s for s in sentences if fingerprint(s) in seen]
    return Share(sum(map(len, sentences)), sum(map(len, repeated)), repeated)


def section_shares(
    now: Report, last: Report, boilerplate: list[re.Pattern[str]] = BOILERPLATE
) -> list[tuple[Section, Share]]:
    """Each prose section with enough text of its own to measure, and its share repeated from last year."""
    seen = seen_in(last)
    shares = [(s, share_of(s.text, seen, boilerplate)) for s in now.sections]
    return [(s, share) for s, share in shares if share.total >= DATA["min_section_chars"]]


def report_share(now: Report, last: Report, boilerplate: list[re.Pattern[str]] = BOILERPLATE) -> Share:
    """The whole text, title and preamble included: the boilerplate list is what keeps the format's words out."""
    return share_of(now.text, seen_in(last), boilerplate)


@check("reuse", "warning", previous=True)
def reused_sections(now: Report, last: Report) -> Found:
    """Each section that repeats last year's text above the threshold, with the repeated passages."""
    threshold = get_settings().reuse_threshold
    for section, share in section_shares(now, last):
        if share.share >= threshold:
            yield finding(
                "reuse",
                quotes=share.repeated[:5],
                actual=round(share.share, 2),
                title=section.title,
                key=section.key,
                share=share.share,
            )


@check("reuse.report", "info", previous=True)
def reused_report(now: Report, last: Report) -> Found:
    """The whole report's share: always stated (info), a warning at or above the threshold."""
    whole = report_share(now, last)
    if not whole.total:
        return
    yield finding(
        "reuse.report",
        severity="warning" if whole.share >= get_settings().reuse_threshold else None,
        quotes=whole.repeated[:5],
        actual=round(whole.share, 2),
        share=whole.share,
        repeated=whole.repeated_chars,
        total=whole.total,
    )


@check("reuse.tables", "warning", previous=True)
def same_tables(now: Report, last: Report) -> Found:
    """Table 3 or 4 identical to last year's, cell by cell, with enough non-zero cells to mean something."""
    for table, number in (("t3", "三"), ("t4", "四")):
        cells = {k: v for k, v in now.tables.items() if k.startswith(table + ".")}
        before = {k: v for k, v in last.tables.items() if k.startswith(table + ".")}
        nonzero = [k for k, v in cells.items() if v]
        if not cells or cells != before or len(nonzero) < DATA["tables"]["min_nonzero"]:
            continue
        yield finding("reuse.tables", cells=nonzero, number=number, count=len(cells), nonzero=len(nonzero))
