"""Which report is this: its format (2021 / 2019 / pre2019), its year and the agency that wrote it."""

from __future__ import annotations

import re

YEAR = r"((?:19|20)\d{2})\s*年度?"
# A title may break once before its last words (`…信息公开工作` / `年度报告`).
TITLE = re.compile(
    r"([^\s，。,:：>]{0,40}?)[ \t]*" + YEAR + r"[ \t]*([^\n。]{0,30}?信息公开[^\n。]{0,12}?(?:\n[^\n。]{0,6}?)?报告)"
)
# Words a title puts between the agency and the year: never the agency itself.
FUNCTION_WORDS = ("关于", "的")
PERIOD_YEAR = re.compile(r"统计期限[^。\n]{0,8}?自\s*((?:19|20)\d{2})\s*年")
SOURCE = re.compile(r"(?:信息来源|发布机构|单位名称|来源)\s*[:：]\s*([\u4e00-\u9fff（）()]{4,40})")
AGENCY_LINE = re.compile(r"[\u4e00-\u9fff（）()]{3,30}")
COMPILER = re.compile(r"由\s*([\u4e00-\u9fff]{4,30}?)\s*(?:根据|依据|编制)")

FORMAT_MARKERS = {
    "2021": ("本年制发件数", "现行有效件数", "本年处理决定数量", "逾期未按收费通知要求缴纳费用"),
    "2019": ("本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量"),
}


def find_title(text: str) -> re.Match[str] | None:
    """The first line near the top naming a year and an 信息公开…报告."""
    return TITLE.search(text[:3000])


def detect_format(text: str, year: int | None) -> str:
    """Table headings decide; without tables the year does."""
    hits = {fmt: sum(marker in text for marker in markers) for fmt, markers in FORMAT_MARKERS.items()}
    best = max(hits, key=lambda fmt: hits[fmt])
    if hits[best]:
        return best
    if year is None:
        return "unknown"
    return "2021" if year >= 2021 else "2019" if year >= 2019 else "pre2019"


def detect_year(text: str, title: re.Match[str] | None) -> int | None:
    if title:
        return int(title.group(2))
    period = PERIOD_YEAR.search(text)
    return int(period.group(1)) if period else None


def detect_agency(text: str, title: re.Match[str] | None) -> str | None:
    """The title's agency, unless it is a bare short form (区残联); then the page's source or compiler line."""
    agency = title_agency(text, title) if title else ""
    if len(agency) >= 4 and not agency.startswith(("区", "市", "县", "本", "我")):
        return agency
    for pattern in (SOURCE, COMPILER):
        match = pattern.search(text)
        if match:
            return match.group(1)
    return agency or None


def title_agency(text: str, title: re.Match[str]) -> str:
    """Before the year on the title line, else the line above it (PDF titles break), else after the year."""
    line = text[text.rfind("\n", 0, title.start(2)) + 1 : title.start(2)]
    words = [w for w in re.split(r"[\s，。,:：>]+", line) if w and w not in FUNCTION_WORDS]
    if words:
        return words[-1].removeprefix("关于").removesuffix("关于")
    before = text[: title.start()].rstrip().split("\n")[-1].strip()
    if AGENCY_LINE.fullmatch(before):
        return before
    return re.sub(r"\s+", "", title.group(3).split("信息公开")[0]).removesuffix("政府")
