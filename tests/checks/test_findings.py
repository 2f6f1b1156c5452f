"""The real mistakes in the real reports are found; the consistent reports get no error."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT, SHARED

from nlp.checks.prose import prose_change, prose_share, prose_sum
from nlp.document import Report, Section
from nlp.pipeline import analyze_path
from nlp.prose.claims import claims_in

pytestmark = pytest.mark.shared

REPORTS = SHARED / "reports"
PINGTAN = REPORTS / "pingtan"
WILD = REPORTS / "wild"
CORPUS = ROOT / "corpora" / "claims"


# What assessors check besides the figures (timeliness, required elements) has tests of its own
# (test_timeliness.py, test_elements.py); here, the figures' findings.
ASSESSOR = ("timeliness", "elements")


def figures(report: Report) -> list:
    return [f for f in report.findings if f.rule not in ASSESSOR]


def findings(path: Path) -> list[tuple[str, str, float | None, float | None]]:
    return [(f.rule, f.severity, f.expected, f.actual) for f in figures(analyze_path(path))]


def test_hongze_2023_table_4_totals_contradict_their_parts() -> None:
    report = analyze_path(REPORTS / "hongze-district-2023.pdf")
    assert [(f.rule, f.severity, f.expected, f.actual) for f in figures(report)] == [
        ("table.sum", "error", 11, 0),
        ("table.sum", "error", 5, 0),
    ]
    assert report.findings[0].cells == [
        "t4.review.total",
        "t4.review.upheld",
        "t4.review.corrected",
        "t4.review.other",
        "t4.review.pending",
    ]
    assert report.findings[1].cells[0] == "t4.litigation_after_review.total"
    assert "合计印为 0，各项之和为 11" in report.findings[0].message


def test_huaian_2024_is_consistent() -> None:
    """Its prose restates table 3 and table 4 figure by figure (3119, 3050, 34, 103, 351 = 72+64+178+37, …)."""
    report = analyze_path(REPORTS / "huaian-city-2024.pdf")
    assert figures(report) == [] and all(f.severity == "info" for f in report.findings)
    matched = {c.metric: c.value for c in report.claims if c.cells}
    assert matched["requests.new"] == 3119 and matched["litigation.total"] == 46
    assert matched["review.pending"] == 37 and matched["requests.carried_forward"] == 103


def test_hongze_2024_prose_count_of_a_narrower_body_is_a_warning() -> None:
    """区政府办代表区政府受理 17 件 while table 3 (the whole district) says 95: maybe a different scope."""
    assert findings(REPORTS / "hongze-district-2024.pdf") == [("prose.table", "warning", 95, 17)]


def test_pingtan_2022_prose_count_contradicts_table_3() -> None:
    """收到申请75件, 自然人72件 against 新收 74 / 71: the prose equals 办理总计 (one request carried over), so it
    is a warning that says so, not an error (tests/checks/test_real_false_alarms.py)."""
    assert findings(PINGTAN / "pingtan-2022.txt") == [
        ("prose.table", "warning", 74, 75),
        ("prose.table", "warning", 71, 72),
    ]


def test_pingtan_2020_table_3_totals_and_prose_list() -> None:
    assert findings(PINGTAN / "pingtan-2020.txt") == [
        ("table.sum", "error", 26, 20),
        ("table.sum", "error", 27, 21),
        ("prose.sum", "error", 2603, 2602),
    ]


def test_pingtan_2019_prose_total_and_its_parts() -> None:
    """2599 条 (其中 25 + 68 + 28 + 69 + 90 + 175 + 67 + 983 + 48 + 124 + 其他 856 = 2533)."""
    assert findings(PINGTAN / "pingtan-2019.txt") == [("prose.sum", "error", 2533, 2599)]


def test_pingtan_2012_total_and_percentages() -> None:
    """1913 条 but 1397 (73%) + 534 (27%) = 1931; 534 of 1913 is 27.9%, printed 27% (truncated: a warning); 145 of
    1913 is 7.58%, printed 8.05%. Its 统计表 (cells printed apart by spaces) gives 网站公开 739 where the prose says
    the website published 3636 条, and 主动公开信息数 739 where the prose says 1913 (its sentence names the 区直 and
    乡镇 bodies too, so that one is a warning)."""
    assert findings(PINGTAN / "pingtan-2012.txt") == [
        ("prose.table", "error", 739, 3636),
        ("prose.table", "warning", 739, 1913),
        ("prose.sum", "error", 1931, 1913),
        ("prose.rate", "warning", 28, 27),
        ("prose.rate", "error", 7.58, 8.05),
    ]


def test_seed_000_malformed_statistics_period() -> None:
    report = analyze_path(SHARED / "seeds" / "000_88afcdf2753bf816.txt")
    assert [(f.rule, f.severity) for f in report.findings] == [("period", "error")]
    assert report.findings[0].quotes == ["统计期限自20201月1日起至202012月31日止"]


@pytest.mark.parametrize(
    "path",
    [
        PINGTAN / "pingtan-county-2011.txt",
        PINGTAN / "pingtan-2016.txt",
        PINGTAN / "pingtan-2017.txt",
        PINGTAN / "pingtan-2018.txt",
        PINGTAN / "pingtan-2021.txt",
        PINGTAN / "pingtan-2023.txt",
        PINGTAN / "pingtan-2024.txt",
        PINGTAN / "pingtan-2025.txt",
        SHARED / "seeds" / "004_7aee1d3aeb564747.txt",
    ],
    ids=lambda p: p.name,
)
def test_reports_without_a_mistake_we_know_of_get_no_error(path: Path) -> None:
    assert [f for f in analyze_path(path).findings if f.severity == "error"] == []


def test_pingtan_2023_shares_of_81_requests_add_up() -> None:
    """42/81 = 51.85%, 5/81 = 6.17%, …: all right, and the counts match table 3 (the one finding is the 393 of
    table 2 that no split of its digits gives)."""
    report = analyze_path(PINGTAN / "pingtan-2023.txt")
    assert [(f.rule, f.severity, f.actual) for f in figures(report)] == [("prose.table", "warning", 393)]
    assert {c.metric: c.value for c in report.claims if c.cells}["requests.granted_or_partial"] == 42


@pytest.mark.parametrize(
    ("name", "value"), [("pingtan-2016.txt", 3460), ("pingtan-2017.txt", 2122), ("pingtan-2018.txt", 2069)]
)
def test_pre2019_prose_total_names_its_statistics_row(name: str, value: int) -> None:
    """The year's total (2016年全区主动公开政府信息3460条) names the 统计表 row; a part of it never does."""
    report = analyze_path(PINGTAN / name)
    linked = [(c.value, c.cells) for c in report.claims if c.cells]
    assert linked == [(value, ["stat.主动公开文件数"])]
    assert report.tables["stat.主动公开文件数"] == value


def test_pre2019_prose_count_contradicts_its_statistics_row() -> None:
    """Corpus report 18: 信函申请 5 件 in the prose, 4 in the 统计表."""
    report = analyze_path(CORPUS / "18_hailing-finance-2011.txt")
    found = [(f.cells, f.expected, f.actual) for f in report.findings if f.rule == "prose.table"]
    assert (["stat.信函申请数"], 4, 5) in found


def prose_report(text: str) -> Report:
    """One section of prose and its claims, as the checks see a report."""
    report = Report(filename=None, medium="text", sha256="", text=text, sections=[Section("overview", "", text)])
    report.claims = claims_in(text, "overview")
    return report


def change_findings(text: str) -> list[tuple[float | None, float | None]]:
    return [(f.expected, f.actual) for f in prose_change(prose_report(text))]


def test_stated_change_disagrees_with_last_years_figure() -> None:
    assert change_findings("全年受理政府信息公开申请 52 件，较上年40 件增长 23%。") == [(30, 23)]
    assert change_findings("办结申请 36 件，比去年的 40 件减少 10%。") == []
    assert change_findings("办结申请 36 件，比去年的 40 件增长 10%。") == [(10, 10)]  # it fell


def test_stated_change_allows_for_rounded_figures() -> None:
    """3.26万 over 2.87万 is anything from 13.2% to 14.0%: both printed figures are rounded."""
    assert change_findings("主动公开政府信息 3.26 万条，比上年的2.87 万条增长 13.2%。") == []
    assert change_findings("主动公开政府信息 3.26 万条，比上年的2.87 万条增长 16.3%。") == [(13.6, 16.3)]
    assert change_findings("全县主动公开政府信息 1.86 万条，上年为 1.65 万条，同比增长 12.7%。") == []


def test_last_years_figure_is_not_the_total_of_the_list_after_it() -> None:
    text = (
        "全县主动公开政府信息 1.86 万条，上年为 1.65 万条，同比增长 12.7%。"
        "其中，通过县政府门户网站公开 1.52 万条，占 81.7%；其他方式公开 3400 条。"
    )
    assert list(prose_share(prose_report(text))) == []


def test_a_change_may_stand_between_a_total_and_its_parts() -> None:
    text = (
        "全市受理政府信息公开申请 318 件，比上年254 件增长 25.2%。其中当面申请 96 件，网络申请 173 件，其他方式 53 件。"
    )
    found = list(prose_sum(prose_report(text)))
    assert [(f.expected, f.actual) for f in found] == [(322, 318)]


def test_pingtan_2013_prose_total_against_its_statistics_table() -> None:
    """全区主动公开政府信息4970条 (3933 + 1037); its 统计表 prints
    主动公开信息数 72804 (a warning: the sentence names the bodies it adds up)."""
    assert ("prose.table", "warning", 72804, 4970) in findings(PINGTAN / "pingtan-2013.txt")


def test_a_list_complete_by_definition_must_add_up() -> None:
    """制作、获取政府信息总数 = 主动公开 + 依申请公开 + 不予公开: 510 printed, 198 + 142 + 137 = 477 (finance 2021);
    3978 printed, 2026 + 46 + 1854 = 3926 (county 2012)."""
    assert ("prose.sum", "error", 477, 510) in findings(WILD / "pingtan-finance-2021.txt")
    assert ("prose.sum", "error", 3926, 3978) in findings(WILD / "pingtan-county-2012.txt")


def test_a_split_inferred_from_bounds_makes_a_warning_not_an_error() -> None:
    """County 2012 prints 主动公开信息数 20263542 and 网站公开 17953304: the prose settles 2026 | 3542; of 网站公开's
    splits only 1795 | 3304 stays within its parent, so the sums that use it (1795 + 0 ≠ 2026) are warnings."""
    found = [f for f in findings(WILD / "pingtan-county-2012.txt") if f[0] == "table.sum"]
    assert found == [("table.sum", "warning", 1795, 2026), ("table.sum", "warning", 3311, 3542)]


def test_a_share_named_after_its_list() -> None:
    """…总数510条，其中主动公开政府信息198条…。主动公开的政府信息占41.5%: 198 / 510 = 38.8%."""
    assert ("prose.rate", "error", 38.8, 41.5) in findings(WILD / "pingtan-finance-2021.txt")


def test_a_completion_rate_against_its_two_counts() -> None:
    """共受理审批事项117件，办结171件，办结率100%: 171 / 117 = 146.2%."""
    assert findings(PINGTAN / "pingtan-tax-bureau-2013.txt") == [("prose.rate", "error", 146.2, 100)]


def test_a_review_the_prose_reports_and_the_statistics_table_does_not() -> None:
    """收到1份有关政府信息公开行政复议申请; the 统计表 prints 行政复议数 0."""
    assert ("prose.table", "error", 0, 1) in findings(PINGTAN / "pingtan-2013.txt")


def test_a_prose_figure_no_split_of_the_row_can_give() -> None:
    """现行有效行政规范性文件393件; table 2 prints 77132470 for the row, and 393 is no stretch of those digits."""
    [found] = [f for f in analyze_path(PINGTAN / "pingtan-2023.txt").findings if f.rule == "prose.table"]
    assert (found.severity, found.actual, found.cells) == ("warning", 393, ["t2.normative_docs.in_force"])
    assert "77132470" in found.message and "no split" in found.message


def test_published_documents_about_licensing_are_not_licensing_decisions() -> None:
    """行政许可类信息69条 counts documents published, not 行政许可 decisions (table 2)."""
    report = analyze_path(PINGTAN / "pingtan-2019.txt")
    assert not [c for c in report.claims if c.metric == "licensing.decisions" and c.unit == "条"]
