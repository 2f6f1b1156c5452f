"""The statistics period (统计期限): well-formed dates, a whole calendar year, the report's own year."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

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


@check("period.signed", "error")
def signed_early(report: Report) -> Found:
    """A report signed before the period it reports on has ended (a 2016 report signed 2016年1月11日): the date
    or the year is wrong. Expected is the year it can be signed in at the earliest, actual the year it shows."""
    signed, period = report.signature, read_period(report)
    if signed is None or report.year is None:
        return
    end = date(*period.dates[1]) if period and period.dates else date(report.year, 12, 31)
    if signed.date >= end:
        return
    yield finding(
        "period.signed",
        quotes=[signed.quote] + ([period.quote] if period else []),
        expected=end.year + 1 if end.month == 12 and end.day == 31 else end.year,
        actual=signed.date.year,
        signed=signed.date.isoformat(),
        end=end.isoformat(),
    )
