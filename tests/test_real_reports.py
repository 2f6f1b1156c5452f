"""Every real document in ../shared: identity, sections and table cells, with values read off the documents."""

from __future__ import annotations

import pytest
from conftest import SHARED

from nlp.pipeline import analyze_path

pytestmark = pytest.mark.shared

REPORTS = SHARED / "reports"
SIX = ["overview", "active_disclosure", "requests", "review_litigation", "problems_improvements", "other_matters"]
T3_COLUMNS = ["natural_person", "commercial", "research", "social_welfare", "legal_service", "other_org", "total"]
T4 = [
    f"t4.{b}.{c}"
    for b in ("review", "litigation_direct", "litigation_after_review")
    for c in ("upheld", "corrected", "other", "pending", "total")
]
T3_ZERO_ROWS = [
    "denied.state_secret",
    "denied.prohibited",
    "denied.security",
    "denied.third_party",
    "denied.internal",
    "denied.process",
    "denied.enforcement",
    "denied.query",
    "unavailable.not_held",
    "unavailable.needs_creation",
    "unavailable.unclear",
    "not_processed.petition",
    "not_processed.duplicate",
    "not_processed.publication",
    "not_processed.excessive",
    "not_processed.reconfirm",
]


def t3(rows: dict[str, str]) -> dict[str, int]:
    """`{"new": "21 0 0 0 0 0 21"}` as cell keys, the way the row is printed."""
    return {
        f"t3.{row}.{col}": int(v)
        for row, values in rows.items()
        for col, v in zip(T3_COLUMNS, values.split(), strict=True)
    }


def t4(values: str) -> dict[str, int]:
    return {key: int(v) for key, v in zip(T4, values.split(), strict=True)}


def zeros(*rows: str) -> dict[str, str]:
    return {row: "0 0 0 0 0 0 0" for row in rows}


IDENTITY = [
    ("reports/hongze-district-2023.pdf", "2021", 2023, "洪泽区人民政府", SIX),
    ("reports/hongze-district-2024.pdf", "2021", 2024, "淮安市洪泽区人民政府", SIX),
    ("reports/huaian-city-2024.pdf", "2021", 2024, "淮安市人民政府", SIX),
    ("seeds/000_88afcdf2753bf816.txt", "2019", 2020, "蚌山区残疾人联合会", SIX),
    (
        "seeds/004_7aee1d3aeb564747.txt",
        "pre2019",
        2017,
        "威海市环翠区残疾人联合会",
        [
            "overview",
            "other:组织领导和制度建设情况",
            "other:发布解读回应、社会关切及互动交流情况",
            "other:重点领域政府信息公开工作推进情况",
            "active_disclosure",
            "requests",
            "other:人大代表建议、政协委员提案办理结果公开情况",
            "review_litigation",
            "other:政府信息公开保密审查情况",
            "other:所属事业单位信息公开工作推进措施和落实情况",
            "problems_improvements",
            "other:政府信息公开工作情况统计表",
        ],
    ),
    (
        "reports/pingtan/pingtan-county-2011.txt",
        "pre2019",
        2011,
        "平潭县人民政府",
        [
            "overview",
            "active_disclosure",
            "requests",
            "problems_improvements",
            "other:平潭县人民政府2011年政府信息公开情况统计表",
        ],
    ),
    (
        "reports/pingtan/pingtan-2012.txt",
        "pre2019",
        2012,
        "平潭综合实验区",
        [
            "overview",
            "other:重点领域政府信息公开情况",
            "active_disclosure",
            "requests",
            "problems_improvements",
            "other:平潭综合实验区政府信息公开情况统计表",
        ],
    ),
    (
        "reports/pingtan/pingtan-2013.txt",
        "pre2019",
        2013,
        "平潭综合实验区",
        [
            "overview",
            "active_disclosure",
            "requests",
            "problems_improvements",
            "other:平潭综合实验区政府信息公开情况统计表",
        ],
    ),
    (
        "reports/pingtan/pingtan-tax-bureau-2013.txt",
        "pre2019",
        2013,
        "平潭综合实验区地方税务局",
        [
            "overview",
            "active_disclosure",
            "requests",
            "other:审批事项及处理情况",
            "review_litigation",
            "other:工作人员及信息公开事务支出情况",
        ],
    ),
    (
        "reports/pingtan/pingtan-2016.txt",
        "pre2019",
        2016,
        "平潭综合实验区",
        [
            "overview",
            "active_disclosure",
            "requests",
            "fees",
            "review_litigation",
            "problems_improvements",
            "other:平潭综合实验区政府信息公开情况统计表",
        ],
    ),
    (
        "reports/pingtan/pingtan-2017.txt",
        "pre2019",
        2017,
        "平潭综合实验区",
        [
            "overview",
            "active_disclosure",
            "requests",
            "review_litigation",
            "problems_improvements",
            "other:政府信息公开情况统计表",
        ],
    ),
    (
        "reports/pingtan/pingtan-2018.txt",
        "pre2019",
        2018,
        "平潭综合实验区",
        [
            "overview",
            "active_disclosure",
            "requests",
            "review_litigation",
            "problems_improvements",
            "other:政府信息公开情况统计表",
        ],
    ),
] + [
    (f"reports/pingtan/pingtan-{y}.txt", "2019" if y < 2021 else "2021", y, "平潭综合实验区", SIX)
    for y in range(2019, 2026)
]


@pytest.mark.parametrize(("path", "fmt", "year", "agency", "sections"), IDENTITY, ids=[i[0] for i in IDENTITY])
def test_identity_and_sections(path: str, fmt: str, year: int, agency: str, sections: list[str]) -> None:
    report = analyze_path(SHARED / path)
    assert (report.format, report.year, report.agency) == (fmt, year, agency)
    assert [s.key for s in report.sections] == sections


def test_hongze_2023_every_cell() -> None:
    report = analyze_path(REPORTS / "hongze-district-2023.pdf")
    expected = {
        "t2.rules.issued": 0,
        "t2.rules.repealed": 0,
        "t2.rules.in_force": 0,
        "t2.normative_docs.issued": 0,
        "t2.normative_docs.repealed": 5,
        "t2.normative_docs.in_force": 5,
        "t2.licensing.decisions": 550,
        "t2.penalty.decisions": 4119,
        "t2.coercion.decisions": 195,
        "t2.fees.amount": 7730.28,
    }
    expected |= t3(
        zeros(*T3_ZERO_ROWS, "carried_over", "granted", "other", "carried_forward")
        | {
            "new": "21 0 0 0 0 0 21",
            "partial": "4 0 0 0 0 0 4",
            "denied.state_secret": "1 0 0 0 0 0 1",
            "denied.process": "1 0 0 0 0 0 1",
            "denied.enforcement": "1 0 0 0 0 0 1",
            "unavailable.not_held": "10 0 0 0 0 0 10",
            "unavailable.needs_creation": "3 0 0 0 0 0 3",
            "not_processed.petition": "1 0 0 0 0 0 1",
            "total": "21 0 0 0 0 0 21",
        }
    )
    expected |= t4("10 1 0 0 0 0 0 0 0 0 5 0 0 0 0")
    assert report.tables == expected
    assert report.pages == 5 and report.to_dict()["warnings"] == []


def test_huaian_2024_every_cell() -> None:
    report = analyze_path(REPORTS / "huaian-city-2024.pdf")
    expected = {
        "t2.rules.issued": 1,
        "t2.rules.repealed": 0,
        "t2.rules.in_force": 11,
        "t2.normative_docs.issued": 8,
        "t2.normative_docs.repealed": 26,
        "t2.normative_docs.in_force": 66,
        "t2.licensing.decisions": 447228,
        "t2.penalty.decisions": 3985758,
        "t2.coercion.decisions": 88283,
        "t2.fees.amount": 96171.6,
    }
    expected |= t3(
        zeros(*T3_ZERO_ROWS)
        | {
            "new": "3001 53 0 0 61 4 3119",
            "carried_over": "34 0 0 0 0 0 34",
            "granted": "1288 21 0 0 50 3 1362",
            "partial": "447 7 0 0 0 0 454",
            "denied.state_secret": "2 0 0 0 0 0 2",
            "denied.prohibited": "30 1 0 0 0 0 31",
            "denied.security": "5 0 0 0 0 0 5",
            "denied.third_party": "6 0 0 0 0 0 6",
            "denied.internal": "7 1 0 0 0 0 8",
            "denied.process": "12 0 0 0 0 0 12",
            "denied.enforcement": "9 0 0 0 0 0 9",
            "denied.query": "105 0 0 0 0 0 105",
            "unavailable.not_held": "746 12 0 0 10 1 769",
            "unavailable.needs_creation": "11 0 0 0 0 0 11",
            "unavailable.unclear": "1 0 0 0 0 0 1",
            "not_processed.petition": "56 6 0 0 0 0 62",
            "not_processed.duplicate": "25 0 0 0 0 0 25",
            "not_processed.reconfirm": "1 0 0 0 0 0 1",
            "other.no_correction": "67 3 0 0 1 0 71",
            "other.unpaid_fee": "6 0 0 0 0 0 6",
            "other.other": "108 2 0 0 0 0 110",
            "total": "2932 53 0 0 61 4 3050",
            "carried_forward": "103 0 0 0 0 0 103",
        }
    )
    expected |= t4("72 64 178 37 351 13 4 8 1 26 12 1 1 6 20")
    assert report.tables == expected


def test_hongze_2024_table_3_and_4() -> None:
    tables = analyze_path(REPORTS / "hongze-district-2024.pdf").tables
    assert [tables[f"t2.normative_docs.{c}"] for c in ("issued", "repealed", "in_force")] == [3, 0, 8]
    assert tables["t2.fees.amount"] == 7545
    assert [
        tables[f"t3.{r}.total"]
        for r in ("new", "granted", "partial", "denied.security", "unavailable.not_held", "total")
    ] == [95, 50, 9, 1, 31, 95]
    assert {k: v for k, v in tables.items() if k.startswith("t4.")} == t4("1 1 0 0 2 1 0 0 0 1 2 0 1 0 3")


def test_pingtan_2021_run_together_digits_split_by_arithmetic() -> None:
    report = analyze_path(REPORTS / "pingtan" / "pingtan-2021.txt")
    rows = zeros(*T3_ZERO_ROWS, "carried_over", "other.no_correction", "other.unpaid_fee") | {
        "new": "64 0 0 2 0 4 70",
        "granted": "27 0 0 2 0 1 30",
        "partial": "5 0 0 0 0 0 5",
        "denied.internal": "1 0 0 0 0 0 1",
        "denied.enforcement": "6 0 0 0 0 0 6",
        "denied.query": "1 0 0 0 0 0 1",
        "unavailable.not_held": "22 0 0 0 0 3 25",
        "other.other": "1 0 0 0 0 0 1",
        "total": "63 0 0 2 0 4 69",
        "carried_forward": "1 0 0 0 0 0 1",
    }
    expected = (
        t3(rows)
        | t4("1 0 2 0 3 12 0 0 0 12 0 0 0 0 0")
        | {
            "t2.rules.issued": 0,
            "t2.rules.repealed": 0,
            "t2.rules.in_force": 0,
            "t2.licensing.decisions": 2293,
            "t2.penalty.decisions": 1282,
            "t2.coercion.decisions": 42,
            "t2.fees.amount": 24252.311082,
            # 693665 has many readings and table 2 has no arithmetic to choose: left empty, with a warning
            "t2.normative_docs.issued": None,
            "t2.normative_docs.repealed": None,
            "t2.normative_docs.in_force": None,
        }
    )
    assert report.tables == expected
    assert any("normative_docs" in w and "69 | 3 | 665" in w for w in report.to_dict()["warnings"])


@pytest.mark.parametrize(
    ("year", "new", "t4_values"),
    [
        (2022, "71 3 0 0 0 0 74", "0 1 1 0 2 1 0 0 0 1 0 0 0 0 0"),
        (2023, "80 1 0 0 0 0 81", "1 1 0 0 2 4 0 0 1 5 1 0 1 0 2"),
        (2024, "217 1 0 0 0 0 218", "2 1 3 1 7 0 0 0 0 0 13 2 4 0 19"),
        (2025, "151 3 0 0 0 0 154", "25 3 8 0 36 3 3 0 0 6 3 0 0 0 3"),
    ],
)
def test_pingtan_2022_2025_tables(year: int, new: str, t4_values: str) -> None:
    report = analyze_path(REPORTS / "pingtan" / f"pingtan-{year}.txt")
    assert {k: v for k, v in report.tables.items() if k.startswith("t3.new.")} == t3({"new": new})
    assert {k: v for k, v in report.tables.items() if k.startswith("t4.")} == t4(t4_values)
    assert not any("no split" in w for w in report.to_dict()["warnings"])


def test_pingtan_2020_inconsistent_table_is_read_and_flagged() -> None:
    """Its 自然人 column: results add to 26 but 总计 says 20; no split can satisfy that, and we say so."""
    report = analyze_path(REPORTS / "pingtan" / "pingtan-2020.txt")
    assert report.tables["t3.total.natural_person"] == 20
    assert report.tables["t3.other.natural_person"] == 4
    assert report.tables["t2.fees.prev"] == 35 and report.tables["t2.fees.change"] == -15
    assert any("no split" in w for w in report.to_dict()["warnings"])


def test_seed_000_2019_format() -> None:
    report = analyze_path(SHARED / "seeds" / "000_88afcdf2753bf816.txt")
    tables = report.tables
    assert tables["t2.procurement.count"] == 1 and tables["t2.procurement.amount"] == 1700
    assert report.units["t2.procurement.amount"] == "元"
    nonzero = {k: v for k, v in tables.items() if v}
    assert nonzero == {
        "t2.procurement.count": 1,
        "t2.procurement.amount": 1700,
        "t3.new.natural_person": 1,
        "t3.new.total": 1,
        "t3.unavailable.not_held.natural_person": 1,
        "t3.unavailable.not_held.total": 1,
        "t3.total.natural_person": 1,
        "t3.total.total": 1,
    }
    assert len(tables) == 22 + 23 * 7 + 15 and None not in tables.values()


def test_seed_004_statistics_table() -> None:
    report = analyze_path(SHARED / "seeds" / "004_7aee1d3aeb564747.txt")
    filled = {k: v for k, v in report.tables.items() if v is not None}
    assert filled == {
        "stat.政府网站公开政府信息数": 103,
        "stat.其他方式公开政府信息数": 29,
        "stat.从事政府信息公开工作人员数": 2,
        "stat.兼职人员数": 2,
        "stat.召开政府信息公开工作会议或专题会议数": 1,
    }
    assert report.tables["stat.行政诉讼数量"] is None
    assert "stat.行政诉讼数量/维持具体行政行为数" not in report.tables  # printed differently under 行政诉讼
    assert "stat.被举报投诉数量/维持具体行政行为数" in report.tables
    assert report.units["stat.依申请公开信息收取的费用"] == "万元"


def test_garbled_pdf_gives_a_text_finding_not_junk() -> None:
    report = analyze_path(REPORTS / "garbled-text-layer.pdf")
    assert [f.rule for f in report.findings] == ["text"]
    assert report.sections == [] and report.tables == {}
    assert report.to_dict()["warnings"] and "garbled" in report.to_dict()["warnings"][0]


def test_blank_template_all_cells_null() -> None:
    report = analyze_path(REPORTS / "template-2021-blank.docx")
    assert report.format == "2021"
    assert len(report.tables) == 10 + 25 * 7 + 15
    assert set(report.tables.values()) == {None}


def test_pingtan_2016_run_together_statistics_table() -> None:
    """Two columns (2016年度, 历年累计) ran together: 00 splits one way; 346085376 many ways, of which only
    3460 | 85376 agrees with the prose (2016年全区主动公开政府信息3460条), and we say so."""
    report = analyze_path(REPORTS / "pingtan" / "pingtan-2016.txt")
    assert report.tables["stat.政府公报公开数"] == 0 and report.tables["stat.政府公报公开数#历年累计"] == 0
    assert report.tables["stat.行政诉讼数#历年累计"] == 0 and report.units["stat.政府信息公开收费减免金额"] == "元"
    assert (report.tables["stat.主动公开文件数"], report.tables["stat.主动公开文件数#历年累计"]) == (3460, 85376)
    assert (report.tables["stat.政府网站公开数"], report.tables["stat.政府网站公开数#历年累计"]) == (3460, 85376)
    assert any(
        "主动公开文件数" in w and "3460 | 85376 agrees with the prose" in w for w in report.to_dict()["warnings"]
    )
    assert not any("can be split more than one way" in w for w in report.to_dict()["warnings"])
    assert len([k for k in report.tables if not k.endswith("#历年累计")]) == 16
