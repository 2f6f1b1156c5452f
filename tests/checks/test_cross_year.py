"""Checks against last year's report, on the Pingtan series and on edited copies of it."""

from __future__ import annotations

import pytest
from conftest import REPORTS, ROOT

from nlp.document import ReadError
from nlp.pipeline import analyze, analyze_path

pytestmark = pytest.mark.shared

PINGTAN = REPORTS / "pingtan"
FIXTURES = ROOT / "tests" / "fixtures" / "media"


def cross(now: str, last: str) -> list[tuple[str, str, float | None, float | None]]:
    report = analyze_path(PINGTAN / now, PINGTAN / last)
    return [(f.rule, f.severity, f.expected, f.actual) for f in report.findings if f.rule == "cross_year"]


def test_pingtan_running_total_breaks_between_2016_and_2017() -> None:
    """2016: 3460 this year, 85376 历年累计; 2017: 2122 this year but 历年累计 10037, not 87498."""
    assert cross("pingtan-2017.txt", "pingtan-2016.txt") == [("cross_year", "error", 87498, 10037)] * 2


def test_pingtan_running_total_holds_between_2017_and_2018() -> None:
    """10037 + 2069 = 12106, as 2018 prints; the split of 206912106 was settled by the prose (2069条)."""
    assert [f for f in cross("pingtan-2018.txt", "pingtan-2017.txt") if f[0] == "cross_year"] == []


def test_pingtan_carry_over_holds_2021_to_2022() -> None:
    """2021 carried 1 request forward (自然人); 2022 carried 1 over."""
    assert cross("pingtan-2022.txt", "pingtan-2021.txt") == []


def test_carry_over_that_breaks_is_an_error() -> None:
    now = (
        (PINGTAN / "pingtan-2022.txt")
        .read_text(encoding="utf-8")
        .replace("二、上年结转政府信息公开申请数量 1000001", "二、上年结转政府信息公开申请数量 2000002")
    )
    report = analyze(now.encode(), "2022.txt", (PINGTAN / "pingtan-2021.txt").read_bytes(), "2021.txt")
    found = [(f.rule, f.cells, f.expected, f.actual) for f in report.findings if f.rule == "cross_year"]
    assert found == [
        ("cross_year", ["t3.carried_over.natural_person"], 1, 2),
        ("cross_year", ["t3.carried_over.total"], 1, 2),
    ]


def test_stock_of_normative_documents_and_stated_change() -> None:
    """Last year 37 in force; this year issued 5, repealed 2 → 40 expected. And 同比 against last year's count."""
    last = (FIXTURES / "r2021.txt").read_text(encoding="utf-8")
    now = last.replace("2024", "2025").replace("行政规范性文件\t5\t2\t37", "行政规范性文件\t5\t2\t45")
    now = now.replace("全年新收政府信息公开申请 65 件", "全年新收政府信息公开申请 65 件，同比增长30%")
    report = analyze(now.encode(), "now.txt", last.encode(), "last.txt")
    found = {(f.rule, f.severity, f.expected, f.actual) for f in report.findings if f.rule == "cross_year"}
    assert ("cross_year", "warning", 40, 45) in found
    assert ("cross_year", "error", 0, 30) in found  # 65 both years: the change is 0%, not 30%


def test_unreadable_previous_file_is_named() -> None:
    with pytest.raises(ReadError) as caught:
        analyze((PINGTAN / "pingtan-2022.txt").read_bytes(), "a.txt", b"", "last.txt")
    assert caught.value.message.startswith("The previous-year file")
