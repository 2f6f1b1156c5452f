"""Crawled 统计表 whose cells are printed apart by spaces, with one value column or two (values read off the pages;
corpora/real holds every cell)."""

from __future__ import annotations

import pytest
from conftest import REPORTS

from nlp.pipeline import analyze_path

pytestmark = pytest.mark.shared
WILD = REPORTS / "wild"


def test_two_columns_spaced() -> None:
    """pingtan-2011: 主动公开信息数 条 425 1516 其中：1.网站公开 条 418 1509 2.政府公报公开 条 7 7 …"""
    tables = analyze_path(WILD / "pingtan-2011.txt").tables
    assert (tables["stat.主动公开信息数"], tables["stat.主动公开信息数#历年累计"]) == (425, 1516)
    assert (tables["stat.网站公开"], tables["stat.网站公开#历年累计"]) == (418, 1509)
    assert (tables["stat.政府公报公开"], tables["stat.政府公报公开#历年累计"]) == (7, 7)
    assert tables["stat.行政申诉数"] == 0 and len(tables) == 34


def test_one_column_headed_year_end() -> None:
    """pingtan-police-2009: 指标名称 计量单位 年末统计 主动公开信息数 条 15 其中：1．网站公开 条 15 …"""
    report = analyze_path(WILD / "pingtan-police-2009.txt")
    assert report.tables["stat.主动公开信息数"] == 15 and report.tables["stat.网站公开"] == 15
    assert report.tables["stat.政府公报公开"] == 0 and report.units["stat.行政复议数"] == "件"
    assert not any(k.endswith("#历年累计") for k in report.tables) and len(report.tables) == 17


def test_spaced_header_words_and_a_prose_mistake_they_reveal() -> None:
    """pingtan-2012 prints 主动公开信息数 739 and 网站公开 739; its prose says the website published 3636 条 (and the
    year's total is 1913 条): prose and table disagree (corpora/real)."""
    report = analyze_path(REPORTS / "pingtan" / "pingtan-2012.txt")
    assert report.tables["stat.主动公开信息数"] == 739 and report.tables["stat.主动公开信息数#历年累计"] == 4359
    assert [(f.cells, f.expected, f.actual) for f in report.findings if f.rule == "prose.table"] == [
        (["stat.网站公开"], 739, 3636),
        (["stat.主动公开信息数"], 739, 1913),
    ]


def test_a_row_no_split_can_read_says_so_without_an_empty_list() -> None:
    """pingtan-2013 prints one 0 for the two columns of 政府公报公开."""
    warnings = analyze_path(REPORTS / "pingtan" / "pingtan-2013.txt").to_dict()["warnings"]
    assert any("stat.政府公报公开 prints '0'" in w for w in warnings)
    assert not any("more than one way: ;" in w for w in warnings)


def test_a_deadline_in_working_days_is_not_a_count() -> None:
    """pingtan-police-2013: 接到申请15个工作日内 is a deadline, not 15 requests against the table's 2."""
    report = analyze_path(WILD / "pingtan-police-2013.txt")
    assert not [f for f in report.findings if f.rule == "prose.table" and f.actual == 15]


def test_a_statistics_table_no_cell_of_which_is_read_says_so() -> None:
    from nlp.pipeline import analyze

    text = (
        "某县2012年政府信息公开工作年度报告\n一、概述\n甲。\n附件：某县2012年政府信息公开情况统计表 指标名称 （见附件）"
    )
    report = analyze(text.encode(), "x.txt")
    assert report.tables == {} and [w.code for w in report.table.warnings] == ["table.unread"]
