"""Publication dates, the body's level and the deadline: on the Pingtan series (dates read off each page's crawler
header by hand) and on reports edited in memory."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import REPORTS

from nlp.pipeline import analyze, analyze_path
from nlp.read.level import level_of
from nlp.read.publication import parse_date

pytestmark = pytest.mark.shared

PINGTAN, WILD = REPORTS / "pingtan", REPORTS / "wild"


def timeliness(report) -> list[tuple[str, str]]:
    return [(f.check, f.severity) for f in report.findings if f.rule == "timeliness"]


@pytest.mark.parametrize(
    ("path", "published"),
    [
        (PINGTAN / "pingtan-2012.txt", "2013-02-25"),
        (PINGTAN / "pingtan-2020.txt", "2021-03-05"),
        (PINGTAN / "pingtan-2021.txt", "2022-02-08"),
        (PINGTAN / "pingtan-2025.txt", "2026-03-10"),
        (PINGTAN / "pingtan-tax-bureau-2013.txt", "2014-02-25"),
        (WILD / "pingtan-econ-2016.txt", "2017-01-13"),
    ],
    ids=lambda v: getattr(v, "name", v),
)
def test_publication_date_is_the_crawler_headers(path, published) -> None:
    doc = analyze_path(path).to_dict()
    assert doc["publication"] == {"date": published, "source": "crawler_header"}


def test_the_zone_is_a_government_and_its_2021_report_is_on_time() -> None:
    """平潭综合实验区 reports as a local government: 31 March, so 2022-02-08 is on time (a department's 31 January
    would make it late)."""
    report = analyze_path(PINGTAN / "pingtan-2021.txt")
    assert (report.level, timeliness(report)) == ("government", [])


@pytest.mark.parametrize(
    ("name", "published"),
    [
        ("pingtan/pingtan-county-2011.txt", "2012-04-18"),
        ("wild/pingtan-2011.txt", "2012-04-11"),
        ("wild/pingtan-police-2009.txt", "2010-05-12"),
        ("wild/pingtan-finance-2009.txt", "2010-05-12"),
    ],
)
def test_pages_published_after_31_march_are_late(name, published) -> None:
    report = analyze_path(REPORTS / name)
    late = [f for f in report.findings if f.check == "timeliness"]
    assert [(f.severity, f.quotes) for f in late] == [("warning", [published + " 00:00"])]
    assert published in late[0].message and f"{int(published[:4])}-03-31" in late[0].message


def test_on_time_pages_have_no_timeliness_finding() -> None:
    """Every other Pingtan page was published by its deadline (the latest, 2024-03-08 and 2025-03-10, by 31 March)."""
    late = {"pingtan-county-2011.txt"}
    for path in sorted(PINGTAN.glob("*.txt")):
        if path.name not in late:
            assert timeliness(analyze_path(path)) == [], path.name


def test_a_2016_report_signed_in_january_2016_is_a_period_error() -> None:
    report = analyze_path(WILD / "pingtan-econ-2016.txt")
    assert report.signature is not None and report.signature.date == date(2016, 1, 11)
    signed = [f for f in report.findings if f.check == "period.signed"]
    assert [(f.severity, f.expected, f.actual) for f in signed] == [("error", 2017, 2016)]
    assert signed[0].quotes[0] == "平潭综合实验区经济发展局 2016年1月11日"


def test_signatures_after_the_period_are_not_findings() -> None:
    report = analyze_path(WILD / "pingtan-haitan-2025.txt")
    assert report.signature is not None and report.signature.date == date(2026, 1, 26)
    assert not [f for f in report.findings if f.check == "period.signed"]


def test_a_pdf_goes_by_its_creation_date_and_says_so() -> None:
    doc = analyze_path(REPORTS / "hongze-district-2023.pdf").to_dict()
    assert (doc["publication"], doc["level"]) == ({"date": "2024-02-26", "source": "pdf_metadata"}, "government")


def edited(text: str, year: int = 2023) -> bytes:
    """pingtan-2023 with its title but without the rest of its crawler header, `text` appended as its end."""
    page = (PINGTAN / f"pingtan-{year}.txt").read_text(encoding="utf-8")
    body = page.split("==================== 正文 ====================")[1]
    return (f"平潭综合实验区{year}年度政府信息公开工作年度报告\n" + body + text).encode("utf-8")


def test_without_a_date_timeliness_is_info() -> None:
    report = analyze(edited(""), "page.txt")
    assert report.publication is None
    assert timeliness(report) == [("timeliness.unknown", "info")]


def test_a_late_signature_is_a_warning_naming_the_deadline() -> None:
    report = analyze(edited("\n平潭综合实验区管委会办公室\n2024年4月2日\n"), "page.txt")
    assert (report.publication.date, report.publication.source) == (date(2024, 4, 2), "signature")
    late = [f for f in report.findings if f.check == "timeliness"]
    assert [f.severity for f in late] == ["warning"] and "2024-03-31" in late[0].message


def test_a_web_page_meta_tag_and_header() -> None:
    html = (
        '<html><head><meta name="PubDate" content="2024-01-20 09:30"></head><body><div class="info">'
        "发布时间：2024-01-21 来源：区政府办 浏览次数：12</div>"
        + "".join(f"<p>{line}</p>" for line in edited("").decode("utf-8").split("\n"))
        + "</body></html>"
    )
    report = analyze(html.encode("utf-8"), "page.html")
    assert report.dates == {"html_meta": "2024-01-20 09:30", "page_header": "2024-01-21"}
    assert (report.publication.date, report.publication.source) == (date(2024, 1, 20), "html_meta")


def test_a_date_in_a_sentence_is_not_a_signature() -> None:
    report = analyze(edited("\n我办于2024年4月2日召开培训会。"), "page.txt")
    assert report.signature is None


@pytest.mark.parametrize(
    ("name", "level"),
    [
        ("淮安市洪泽区人民政府", "government"),
        ("淮安市人民政府", "government"),
        ("平潭县人民政府", "government"),
        ("平潭综合实验区", "government"),
        ("平潭综合实验区管委会", "government"),
        ("平潭综合实验区公安局", "department"),
        ("淮安市人民政府办公室", "department"),
        ("上海市科学技术委员会", "department"),
        ("岔河镇人民政府", "township"),
        ("清江浦区淮海街道办事处", "township"),
        ("某某", None),
        (None, None),
    ],
)
def test_level_from_the_name(name, level) -> None:
    assert level_of(name) == level


def test_a_township_under_the_2019_rules_has_no_deadline_only_info() -> None:
    text = edited("").decode("utf-8").replace("平潭综合实验区2023年度", "岔河镇人民政府2023年度", 1)
    report = analyze(text.encode("utf-8") + "\n岔河镇人民政府\n2024年3月20日".encode(), "page.txt")
    assert report.level == "township"
    assert timeliness(report) == [("timeliness.unknown", "info")]


@pytest.mark.parametrize(
    ("printed", "parsed"),
    [
        ("2013-02-25 00:00", date(2013, 2, 25)),
        ("2024/1/20", date(2024, 1, 20)),
        ("2024年1月20日", date(2024, 1, 20)),
        ("D:20240226144123+06'41'", date(2024, 2, 26)),
        ("2024-02-30", None),
        ("yesterday", None),
    ],
)
def test_parse_date(printed, parsed) -> None:
    assert parse_date(printed) == parsed
