"""Section headings in the numbering variants real reports use."""

from __future__ import annotations

import pytest

from nlp.read.sections import split_sections

SIX = ["overview", "active_disclosure", "requests", "review_litigation", "problems_improvements", "other_matters"]
BODY = [
    "总体情况",
    "主动公开政府信息情况",
    "收到和处理政府信息公开申请情况",
    "政府信息公开行政复议、行政诉讼情况",
    "存在的主要问题及改进情况",
    "其他需要报告的事项",
]


@pytest.mark.parametrize(
    "numbers",
    [
        ["一、", "二、", "三、", "四、", "五、", "六、"],
        ["一. ", "二. ", "三. ", "四. ", "五. ", "六. "],
        ["一．", "二．", "三．", "四．", "五．", "六．"],
        ["（一）", "（二）", "（三）", "（四）", "（五）", "（六）"],
        ["(一)", "(二)", "(三)", "(四)", "(五)", "(六)"],
        ["1、", "2、", "3、", "4、", "5、", "6、"],
        ["", "", "", "", "", ""],
    ],
)
def test_numbering_variants(numbers: list[str]) -> None:
    text = "\n".join(f"{n}{title}\n正文{i}。" for i, (n, title) in enumerate(zip(numbers, BODY, strict=True)))
    sections = split_sections(text, "2021")
    assert [s.key for s in sections] == SIX
    assert [s.text for s in sections] == [f"正文{i}。" for i in range(6)]


def test_heading_words_inside_prose_and_tables_are_not_headings() -> None:
    text = (
        "本报告包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况等六部分。\n"
        "一、总体情况\n（一）主动公开\n（二）依申请公开情况\n受理申请3件。\n"
        "二、主动公开政府信息情况\n规章\t0\t0\t0\n"
        "三、收到和处理政府信息公开申请情况\n三、本年度办理结果\n四、结转下年度继续办理\t0\n"
        "四、政府信息公开行政复议、行政诉讼情况\n0\n五、存在的主要问题及改进\n情况\n问题。\n六、其他需要报告的事项\n无。"
    )
    sections = split_sections(text, "2021")
    assert [s.key for s in sections] == SIX
    assert "（二）依申请公开情况" in sections[0].text
    assert sections[4].title == "五、存在的主要问题及改进情况"
    assert "四、结转下年度继续办理" in sections[2].text


def test_crawled_one_line_report() -> None:
    text = (
        "联系电话：0591-1。一、总体情况2021年，我区……。二、主动公开政府信息情况 规章000"
        "三、收到和处理政府信息公开申请情况"
    )
    assert [s.key for s in split_sections(text, "2021")] == SIX[:3]


def test_pre2019_free_headings_and_split_problem_sections() -> None:
    text = (
        "一、概述\n甲。\n二、组织领导和制度建设情况\n乙。\n三、存在的主要问题\n丙。\n四、改进措施\n丁。\n"
        "五、其他需要报告的事项\n无。"
    )
    sections = split_sections(text, "pre2019")
    assert [s.key for s in sections] == [
        "overview",
        "other:组织领导和制度建设情况",
        "problems_improvements",
        "other_matters",
    ]
    assert "丙。" in sections[2].text and "四、改进措施" in sections[2].text and "丁。" in sections[2].text


@pytest.mark.shared
@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("pingtan-finance-2009.txt", "overview"),  # 一、年度政府信息公开工作概述
        ("pingtan-police-2009.txt", "active_disclosure"),  # 二、政府信息主动公开情况
        ("pingtan-police-2009.txt", "fees"),  # 四、收费及减免情况
        ("pingtan-haitan-2025.txt", "other_matters"),  # 六、其他需报告的事项
        ("pingtan-social-2018.txt", "other_matters"),  # 六、需要说明的其他事项与附表
    ],
)
def test_headings_as_real_reports_print_them(name: str, key: str) -> None:
    from conftest import REPORTS

    from nlp.pipeline import analyze_path

    assert key in [s.key for s in analyze_path(REPORTS / "wild" / name).sections]


def test_a_statistics_table_under_its_own_title_is_a_section_of_its_own() -> None:
    """Pre-2019 reports end with `附件1：…统计表` or a bare `附表：` before the header row; that text is not part of
    section 五, and the table's own row labels (一、主动公开情况) are not headings."""
    text = (
        "一、概述\n甲。\n二、存在的主要问题及改进措施\n丙。 二○一三年一月二十日 "
        "附件1：某县2012年政府信息公开情况统计表 指标名称 计量单位 2012年度 一、主动公开情况 主动公开信息数 条 5"
    )
    sections = split_sections(text, "pre2019")
    assert [s.key for s in sections] == ["overview", "problems_improvements", "other:某县2012年政府信息公开情况统计表"]
    assert sections[1].text == "丙。 二○一三年一月二十日"
    bare = split_sections("一、概述\n甲。 附表： 指标名称 计量单位 年末统计", "pre2019")
    assert [s.key for s in bare] == ["overview", "other:附表"]


def test_a_title_alone_between_blank_lines_is_a_heading_in_a_free_form_report() -> None:
    text = "一、概述\n甲。\n\n政府信息公开保密审查情况\n\n乙。\n\n二、存在的主要问题及改进情况\n丙。"
    assert [s.key for s in split_sections(text, "pre2019")] == [
        "overview",
        "other:政府信息公开保密审查情况",
        "problems_improvements",
    ]
