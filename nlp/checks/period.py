"""The statistics period (统计期限): well-formed dates, a whole calendar year, the report's own year."""

from __future__ import annotations

import re
from dataclasses import dataclass

from nlp.checks.registry import Found, check, finding
from nlp.document import Report

PERIOD = re.compile(r"统计(?:期限|时限|时间|区间|期间)[^。；\n]{0,4}?[自为从]?\s*([^。；]{0,60}?)(?:止|。|；|\Z)")
DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
GLUED_DATE = re.compile(r"\d{5,}\s*月|\d{4}\s*年\s*\d{3,}|\d{4}\s*年\s*\d{1,2}\s*月\s*\d{3,}")


@dataclass
class Period:
    quote: str
    dates: list[tuple[int, int, int]] | None  # None when they cannot be read as 年/月/日


def read_period(report: Report) -> Period | None:
    match = PERIOD.search(report.text)
    if not match:
        return None
    quote = " ".join(match.group(0).split())
    span = match.group(1)
    dates = [(int(y), int(m), int(d)) for y, m, d in DATE.findall(span)]
    return Period(quote, None if GLUED_DATE.search(span) or len(dates) != 2 else dates)


@check("period.malformed", "error")
def malformed(report: Report) -> Found:
    period = read_period(report)
    if period and period.dates is None:
        yield finding("period.malformed", quotes=[period.quote], quote=period.quote)


@check("period.calendar_year", "warning")
def calendar_year(report: Report) -> Found:
    period = read_period(report)
    if period and period.dates:
        (y1, m1, d1), (y2, m2, d2) = period.dates
        if (m1, d1, m2, d2) != (1, 1, 12, 31) or y1 != y2:
            yield finding("period.calendar_year", quotes=[period.quote], quote=period.quote)


@check("period.year", "error")
def report_year(report: Report) -> Found:
    period = read_period(report)
    if period and period.dates and report.year is not None and period.dates[0][0] != report.year:
        start = period.dates[0][0]
        yield finding(
            "period.year",
            quotes=[period.quote],
            expected=report.year,
            actual=start,
            period_year=start,
            year=report.year,
        )
