"""雷同 as assessors count it: shares repeated from last year's report with the format's boilerplate left out, on
the Pingtan series; tables identical cell by cell; the threshold as a setting."""

from __future__ import annotations

import pytest
from conftest import REPORTS

from nlp.checks.reuse import report_share, section_shares
from nlp.pipeline import analyze_path
from nlp.settings import Settings

pytestmark = pytest.mark.shared

PINGTAN = REPORTS / "pingtan"
SERIES = [2012, 2013, 2016, 2017, 2018, 2019, 2020, 2021, 2022, 2023, 2024, 2025]  # the years the folder holds


def pingtan(year: int):
    return analyze_path(PINGTAN / f"pingtan-{year}.txt")


def reuse(now: int, last: int) -> list[tuple[str, str, float | None]]:
    report = analyze_path(PINGTAN / f"pingtan-{now}.txt", PINGTAN / f"pingtan-{last}.txt")
    return sorted((f.check, f.severity, f.actual) for f in report.findings if f.rule == "reuse")


def test_2013_repeats_2012() -> None:
    """Read side by side, 2013's 概述 and 问题 sections are 2012's sentence for sentence with the numbers changed;
    its 主动公开 section adds two sentences of its own (主要类别, and 门户网站 run together with its sub-heading)."""
    assert reuse(2013, 2012) == [
        ("reuse", "warning", 0.73),
        ("reuse", "warning", 1.0),
        ("reuse", "warning", 1.0),
        ("reuse.report", "warning", 0.84),
    ]


@pytest.mark.parametrize(("now", "last"), [(2021, 2020), (2024, 2023)])
def test_later_years_are_written_anew_and_say_so_as_info(now: int, last: int) -> None:
    found = reuse(now, last)
    assert [f[:2] for f in found] == [("reuse.report", "info")] and found[0][2] < 0.1


def test_the_boilerplate_list_lowers_what_counts_as_repeated() -> None:
    """Every consecutive pair: fewer repeated characters once the preamble, table headers and standard sentences
    are left out; and for 2018–2021 a lower share too (the rest repeat little besides the boilerplate)."""
    reports = {year: pingtan(year) for year in SERIES}
    for last, now in zip(SERIES, SERIES[1:], strict=False):
        kept, raw = report_share(reports[now], reports[last]), report_share(reports[now], reports[last], [])
        assert kept.repeated_chars < raw.repeated_chars, now
    for last, now in ((2017, 2018), (2019, 2020), (2020, 2021)):
        kept, raw = report_share(reports[now], reports[last]), report_share(reports[now], reports[last], [])
        assert kept.share < raw.share / 1.5, now


def test_sections_too_short_to_measure_are_left_out() -> None:
    """六、其他需要报告的事项 (2023年，无收取信息处理费情况。) is boilerplate and one line: not measured."""
    measured = [s.key for s, _ in section_shares(pingtan(2024), pingtan(2023))]
    assert measured == ["overview", "problems_improvements"]


def test_a_report_given_as_its_own_last_year() -> None:
    report = analyze_path(PINGTAN / "pingtan-2023.txt", PINGTAN / "pingtan-2023.txt")
    found = {(f.check, f.severity, f.actual) for f in report.findings if f.rule == "reuse"}
    assert found == {
        ("reuse", "warning", 1.0),
        ("reuse.report", "warning", 1.0),
        ("reuse.tables", "warning", None),
    }
    tables = [f for f in report.findings if f.check == "reuse.tables"]
    assert len(tables) == 2 and "表三" in tables[0].message and "表四" in tables[1].message


def test_all_zero_tables_the_same_every_year_are_not_reuse() -> None:
    """pingtan-police-2022 has table 4 all zeros; given as its own last year, table 4 is not reported."""
    path = REPORTS / "wild" / "pingtan-police-2022.txt"
    report = analyze_path(path, path)
    assert all(v == 0 for k, v in report.tables.items() if k.startswith("t4."))
    assert not [f for f in report.findings if f.check == "reuse.tables" and "表四" in f.message]


def test_the_threshold_is_a_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("nlp.settings._current", Settings(reuse_threshold=0.9))
    assert reuse(2013, 2012) == [("reuse", "warning", 1.0)] * 2 + [("reuse.report", "info", 0.84)]
