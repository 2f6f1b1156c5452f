"""Split a report into its numbered sections and give each a canonical key.

Headings are found anywhere, not only at line starts: crawled pages run a whole report into one line.
A heading is a top-level number (一、 二. 三．) followed by a known heading, or a line that is nothing but a
known heading (numbering stripped or broken off by extraction). Patterns live in sections.json.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from importlib import resources

from nlp.document import Section

_DATA = json.loads(resources.files(__package__).joinpath("sections.json").read_text(encoding="utf-8"))
# Extraction breaks headings over lines (改进\n情况): whitespace may sit between any two CJK characters.
HEADINGS = [
    (
        key,
        re.compile(
            re.sub(
                r"([\u4e00-\u9fff])(?![?*+{\u4e00-\u9fff]|$)|([\u4e00-\u9fff])(?=[\u4e00-\u9fff])", r"\1\2\\s*", pattern
            )
        ),
    )
    for key, pattern in _DATA["headings"]
]
ORDER_2019: list[str] = _DATA["order_2019"]  # the six sections of the 2019 and 2021 templates
SECTION_NAMES: dict[str, str] = _DATA["names"]
CJK = "\u4e00-\u9fff"
STRONG_NUMBER = re.compile(rf"(?:(?<![{CJK}])|(?<=[元件条个次项]))([一二三四五六七八九十]{{1,3}})\s*[、.．]\s*")
LINE_NUMBER = re.compile(r"^\s*(?:[一二三四五六七八九十]{1,3}\s*[、.．]|[)）])?\s*")
# Sub-part numbering: a line such as （二）依申请公开情况 is a heading only where no top-level one names it.
WEAK_NUMBER = re.compile(r"^\s*(?:[（(][一二三四五六七八九十]{1,3}[)）]|\d{1,2}\s*[、.．])\s*")
# An unknown top-level heading of a free-form report: short, ends like a heading, no sentence punctuation.
FREE_TITLE = re.compile(rf"(?:[{CJK}、“”]\n?){{2,30}}(?:情\n?况|措\n?施|事\n?项|统\n?计\n?表)")  # PDF text may break it
STAT_TABLE = re.compile("统计表")


@dataclass
class Heading:
    start: int  # where the heading (with its numbering) starts
    end: int  # where its text starts
    key: str
    title: str


def match_heading(text: str, pos: int) -> tuple[str, int] | None:
    for key, pattern in HEADINGS:
        match = pattern.match(text, pos)
        if match:
            return key, match.end()
    return None


def numbered_headings(text: str, free: bool) -> list[Heading]:
    found = []
    for number in STRONG_NUMBER.finditer(text):
        hit = match_heading(text, number.end())
        if hit:
            found.append(Heading(number.start(), hit[1], hit[0], text[number.start() : hit[1]].strip()))
        elif free:
            title = FREE_TITLE.match(text, number.end())
            if title and "。" not in title.group():
                name = re.sub(r"\s+", "", title.group())  # a title PDF text broke over two lines
                found.append(
                    Heading(number.start(), title.end(), "other:" + name, text[number.start() : title.end()].strip())
                )
    return found


def line_headings(text: str, numbering: re.Pattern[str] = LINE_NUMBER) -> list[Heading]:
    """Lines that are a known heading and nothing else, after the given kind of numbering (or none)."""
    found, offset = [], 0
    for line in text.split("\n"):
        number = numbering.match(line)
        if not number:
            offset += len(line) + 1
            continue
        body_start = number.end()
        hit = match_heading(line, body_start)
        rest = line[hit[1] :].strip(" ：:。") if hit else None
        if hit and not rest:
            found.append(Heading(offset, offset + len(line), hit[0], line.strip()))
        offset += len(line) + 1
    return found


STAT_HEADER = re.compile(r"指\s*标\s*名\s*称|统\s*计\s*指\s*标")
# The 统计表's own title, just before its header row: `附件1：…统计表`, `…统计数据`, or a bare `附表：`.
STAT_TITLE = re.compile(r"统计表|统计数据|附表")
STAT_TITLE_TAIL = re.compile(r"[\s:：]*(?:[（(]\s*\d{4}\s*年度?\s*[)）])?\s*(?:单位名称[:：][^\n\t]{0,40})?\s*")
# What comes before a title: a sentence's end, an attachment label, a blank line or a date's 日 (not a single line
# break: PDF text breaks a title over lines).
TITLE_BOUNDARY = re.compile(r"(?:附件\s*\d*\s*[:：]?|[。；;：:]|\n\s*\n|日(?=\s))\s*")


def stat_table_heading(text: str) -> Heading | None:
    """The heading of a pre-2019 统计表 printed under its own title; its row labels (一、主动公开情况 …) are not
    section headings, and its text is not part of section 五."""
    header = STAT_HEADER.search(text)
    if not header:
        return None
    window_start = max(0, header.start() - 150)
    window = text[window_start : header.start()]
    for title in reversed(list(STAT_TITLE.finditer(window))):
        if STAT_TITLE_TAIL.fullmatch(window, title.end()):
            break
    else:
        return Heading(header.start(), header.start(), "other:统计表", "统计表")
    boundaries = list(TITLE_BOUNDARY.finditer(window, 0, title.start()))
    label = boundaries[-1] if boundaries else None
    begin = label.end() if label else max(0, title.start() - 40)
    name = re.sub(r"\s+", "", LINE_NUMBER.sub("", window[begin : title.end()]))
    if len(name) > 50:
        return Heading(header.start(), header.start(), "other:统计表", "统计表")
    start = label.start() if label and label.group().startswith("附件") else begin
    return Heading(window_start + start, window_start + title.end(), "other:" + name, name)


def standalone_titles(text: str) -> list[Heading]:
    """Free-form reports that lost their numbering still set a heading apart: a short title alone between blank
    lines (`\n\n政府信息公开保密审查情况\n\n`)."""
    found = []
    for match in re.finditer(r"(?<=\n\n)[ \t\u3000]*([^\n]+?)[ \t\u3000]*(?=\n\s*\n)", text):
        title = FREE_TITLE.fullmatch(match.group(1))
        if title and not match_heading(match.group(1), 0):
            found.append(Heading(match.start(1), match.end(1), "other:" + title.group(), title.group()))
    return found


def find_headings(text: str, fmt: str) -> list[Heading]:
    free = fmt in ("pre2019", "unknown")
    candidates = numbered_headings(text, free) + line_headings(text)
    if free:
        candidates += standalone_titles(text)
        stat = stat_table_heading(text)
        if stat is not None:
            candidates = [h for h in candidates if h.start < stat.start]
            candidates.append(stat)
    chosen = choose(candidates, free)
    if not free and len(chosen) < len(ORDER_2019):
        found = {h.key for h in chosen}
        weak = [h for h in line_headings(text, WEAK_NUMBER) if h.key not in found]
        chosen = choose(candidates + weak, free) if weak else chosen
    return chosen


def choose(candidates: list[Heading], free: bool) -> list[Heading]:
    chosen: list[Heading] = []
    for heading in sorted(candidates, key=lambda h: h.start):
        if chosen and heading.start < chosen[-1].end:
            continue
        if not free:
            # Templates fix the order: a known heading out of order is a word inside a section, not a heading.
            rank = ORDER_2019.index(heading.key) if heading.key in ORDER_2019 else -1
            last = ORDER_2019.index(chosen[-1].key) if chosen else -1
            if rank <= last:
                continue
        chosen.append(heading)
    return chosen


def split_sections(text: str, fmt: str) -> list[Section]:
    """Sections in printed order; pre-2019 reports that split 存在问题 and 改进措施 get them joined."""
    headings = find_headings(text, fmt)
    sections: list[Section] = []
    for i, heading in enumerate(headings):
        end = headings[i + 1].start if i + 1 < len(headings) else len(text)
        body = text[heading.end : end].strip(" \n")  # tabs stay: a last row's empty cells are cells
        if sections and sections[-1].key == heading.key == "problems_improvements":
            sections[-1].text += "\n" + heading.title + "\n" + body
            continue
        title = re.sub(rf"(?<=[{CJK}])\s+(?=[{CJK}])", "", heading.title)  # a heading broken over lines
        sections.append(Section(key=heading.key, title=title, text=body))
    return sections
