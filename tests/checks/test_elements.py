"""Required elements, on the real reports (each missing element read off the report by hand) and on a Pingtan
report with parts taken out."""

from __future__ import annotations

import pytest
from conftest import REPORTS

from nlp.pipeline import analyze, analyze_path

pytestmark = pytest.mark.shared

PINGTAN, WILD = REPORTS / "pingtan", REPORTS / "wild"
MISSING = {  # read off each report: section 一 of finance-2021 covers 预决算, 重点工作, 采购, 热点 and nothing else;
    # the four pre-2019 pages never say a word of fees (no 收费 section, no fee row in the 统计表)
    "pingtan-finance-2021.txt": ["overview.requests", "overview.management"],
    "pingtan-2013.txt": ["text.fees"],
    "pingtan-county-2011.txt": ["text.fees"],
    "pingtan-2011.txt": ["text.fees"],
    "pingtan-county-2012.txt": ["text.fees"],
}
REAL = sorted([*PINGTAN.glob("*.txt"), *WILD.glob("*.txt"), *WILD.glob("shanghai*.md"), *REPORTS.glob("h*.pdf")])


def flagged(report) -> list[str]:
    """The ids of the elements reported missing as warnings (the id closes the English message)."""
    return [
        f.message.rsplit("(", 1)[1].rstrip(").")
        for f in report.findings
        if f.rule == "elements" and f.severity != "info"
    ]


@pytest.mark.parametrize("path", REAL, ids=lambda p: p.name)
def test_only_the_elements_really_missing_are_flagged(path) -> None:
    report = analyze_path(path)
    assert flagged(report) == MISSING.get(path.name, [])
    assert all(f.severity != "error" for f in report.findings if f.rule == "elements")


def pingtan_2023(old: str, new: str) -> bytes:
    text = (PINGTAN / "pingtan-2023.txt").read_text(encoding="utf-8")
    assert old in text
    return text.replace(old, new).encode("utf-8")


def test_section_six_without_the_fee_statement() -> None:
    report = analyze(pingtan_2023("2023年，无收取信息处理费情况。", "无。"), "p.txt")
    assert flagged(report) == ["other.fees"]


def test_a_one_line_section_five() -> None:
    text = (PINGTAN / "pingtan-2023.txt").read_text(encoding="utf-8")
    start, end = text.index("五、存在的主要问题及改进情况"), text.index("六、其他需要报告的事项")
    report = analyze(pingtan_2023(text[start:end], "五、存在的主要问题及改进情况 工作还有不足，将继续改进。"), "p.txt")
    assert flagged(report) == ["problems.length"]


def test_a_section_five_without_problems() -> None:
    text = (PINGTAN / "pingtan-2023.txt").read_text(encoding="utf-8")
    start, end = text.index("五、存在的主要问题及改进情况"), text.index("六、其他需要报告的事项")
    measures = (
        "下一步，我区将加强政策解读，推进重点领域信息公开，完善政府网站栏目设置，提升政务新媒体运维水平，"
        "组织全区政务公开工作人员培训，做好依申请公开答复的合法性审查。"
    )
    report = analyze(pingtan_2023(text[start:end], "五、存在的主要问题及改进情况 " + measures), "p.txt")
    assert flagged(report) == ["problems.problems"]
