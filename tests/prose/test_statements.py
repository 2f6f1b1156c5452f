"""Section 五 of every real report in ../shared read into statements, against what a careful reader lists.

Expectations were written from the documents: for each statement its kind, the start of its text, and a theme a
careful reader would certainly give it (it must be among the statement's themes; None where the statement is too
vague or ambiguous to say). None of these sentences is in the corpus
the model was trained on (test_themes checks that), so this is an honest check of extraction and tagging.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from conftest import SHARED

from nlp.pipeline import analyze_path
from nlp.prose.statements import extract_statements

pytestmark = pytest.mark.shared

REPORTS = SHARED / "reports"
PINGTAN = REPORTS / "pingtan"
SEEDS = SHARED / "seeds"

P, M = "problem", "measure"
CQ, CD, TL, PI = "content_quality", "coverage_depth", "timeliness", "policy_interpretation"
PR, RH, PF, ST = "public_response", "request_handling", "platform", "staffing_training"
IM, SA, AP, GR = "institution_mechanism", "supervision_assessment", "awareness_publicity", "grassroots"

# (kind, the start of the statement's text, a theme it certainly has)
EXPECTED: dict[Path, list[tuple[str, str, str | None]]] = {
    REPORTS / "hongze-district-2023.pdf": [  # 如A、B、C等: three problems; 一是…三是: three measures
        (P, "依申请公开工作规范性还有待提高", RH),
        (P, "政务公开内容的深度和广度还有待提升", CD),
        (P, "政务公开队伍建设有待加强", ST),
        (M, "扎实推进依申请公开工作", RH),
        (M, "围绕区委区政府中心工作", CD),
        (M, "继续加强业务指导培训", ST),
    ],
    REPORTS / "hongze-district-2024.pdf": [  # 主要是：A，B，C，D，E等
        (P, "个别部门对复杂申请件的研判能力不足", RH),
        (P, "答复文书规范性有待提升", RH),
        (P, "疑难问题协调处理机制尚需完善", IM),
        (P, "政策解读的形式还不够丰富", PI),
        (P, "政务新媒体运维管理还需加强", PF),
        (M, "扎实推进依申请公开工作", RH),
        (M, "加强对典型案例的研究", RH),
        (M, "继续加强业务指导培训", ST),
    ],
    REPORTS / "huaian-city-2024.pdf": [  # measures run on, marked off with ；
        (P, "政策解读质量仍需提升", PI),
        (P, "政务公开队伍建设还需进一步加强", ST),
        (M, "着力加强政策解读质效", PI),
        (M, "建立健全“传帮带”机制", ST),
    ],
    PINGTAN / "pingtan-2012.txt": [  # pre-2019: 一是…四是, then （一） and （二） heading 1、…4、
        (P, "受人员编制限制", ST),
        (P, "部分单位信息公开属性界定不准确", CD),
        (P, "依申请公开工作机制仍需进一步规范", RH),
        (P, "政府信息公开宣传力度还不够", AP),
        (M, "深化公开内容，拓展公开形式", CD),
        (M, "加强信息公开培训指导工作", ST),
        (M, "做好主动公开信息巡查工作", SA),
        (M, "建立健全政府信息公开工作机制", IM),
        (M, "建立政府信息梳理和归档、报送制度", IM),
    ],
    PINGTAN / "pingtan-county-2011.txt": [
        (P, "受人员编制限制", ST),
        (P, "部分单位信息公开属性界定不准确", CD),
        (P, "依申请公开工作机制仍需进一步规范", RH),
        (P, "政府信息公开宣传力度还不够", AP),
        (M, "进一步深化政府信息公开内容", CD),
        (M, "进一步拓展政府信息公开形式", PF),
        (M, "加强信息公开培训指导工作", ST),
        (M, "规范政府信息公开行为，切实履行公开责任", CD),
        (M, "做好主动公开信息巡查工作", SA),
        (M, "建立健全政府信息公开社会评议制度", SA),
    ],
    PINGTAN / "pingtan-2016.txt": [  # 主要是A，B，C、D，E，F等问题
        (P, "个别部门对政府信息公开工作主动性和自觉性仍待提高", AP),
        (P, "信息人员队伍能力建设仍有欠缺", ST),
        (P, "信息平台不同源", PF),
        (P, "信息查阅不便捷", PF),
        (P, "信息公开更新不够及时与全面", TL),
        (P, "与社会公众互动交流不足", PR),
        (M, "继续强化信息公开责任", IM),
        (M, "继续完善信息公开机制", IM),
        (M, "继续加强督导协调工作", IM),
    ],
    PINGTAN / "pingtan-2017.txt": [
        (P, "公开的形式不够“多”", PF),
        (P, "公开的长效工作机制建设不够“全”", IM),
        (M, "加大电子政务协同办公平台的推广应用", PF),
        (M, "抓好主动公开信息巡查工作", SA),
        (M, "抓好新媒体的应用普及", PF),
    ],
    PINGTAN / "pingtan-2018.txt": [  # 还存在A、B、C等问题; one compound measure sentence
        (P, "个别公开单位责任意识不强", AP),
        (P, "政务公开工作队伍建设有待加强", ST),
        (P, "便民服务仍有差距", None),  # which service, which gap?
        (M, "加强队伍建设，提升业务素质", ST),
        (M, "不断拓宽主动公开信息领域", CD),
        (M, "丰富信息公开形式", PF),  # holds 完善运行机制 too: corpora/real counts two measures here
    ],
    PINGTAN / "pingtan-2019.txt": [
        (P, "个别部门对政府信息公开工作主动性和自觉性仍待提高", AP),
        (P, "受人员编制限制", ST),
        (P, "公开的长效工作机制建设不够“全”", IM),
        (M, "继续强化信息公开责任", IM),
        (M, "继续完善信息公开机制", IM),
        (M, "继续加强督导协调工作", ST),
    ],
    PINGTAN / "pingtan-2020.txt": [  # （一）存在的主要问题: A；B；C。（二）改进措施：一是…四是
        (P, "基层政务公开标准化规范化水平有待进一步提升", GR),
        (P, "各部门政府信息公开工作的开展还不够均衡", IM),
        (P, "少数政务新媒体“政务”属性不够突出", PF),
        (M, "持续认真贯彻", None),  # boilerplate
        (M, "加强政府信息的日常管理", GR),
        (M, "强化政府网站与政务新媒体的日常监管", PF),
        (M, "加大统筹指导力度", SA),
    ],
    PINGTAN / "pingtan-2021.txt": [  # （一）存在的主要问题: two sentences; （二）改进措施：一是…三是
        (P, "政策解读形式不够丰富", PI),
        (P, "政务公开质量水平有待提高", PF),
        (M, "丰富政策解读形式", PI),
        (M, "加强重点政务信息管理", CD),
        (M, "拓宽公开载体和渠道", PF),
    ],
    PINGTAN / "pingtan-2022.txt": [
        (P, "重大行政决策预公开程度需进一步加强", PR),
        (P, "部分重点领域信息公开深度不足", CD),
        (P, "政策解读形式单一", PI),
        (M, "丰富意见征集形式", PR),
        (M, "加大重点领域公开信息整合归类力度", CD),
        (M, "丰富政策解读形式和方式", PI),
    ],
    PINGTAN / "pingtan-2023.txt": [  # the report numbers its problems 一是, 三是, 三是
        (P, "部分单位信息发布属性界定还不够精确", CQ),
        (P, "开拓创新不够有力", CD),
        (P, "政策解读的质量有待提高", PI),
        (M, "加大政务公开检查力度", SA),
        (M, "提升政务公开内容质量", CQ),
        (M, "拓宽政民互动渠道", PR),
    ],
    PINGTAN / "pingtan-2024.txt": [  # 如A；B；C等
        (P, "新时代政府信息公开工作机制有待进一步调整和完善", IM),
        (P, "政策解读形式仍需创新", PI),
        (P, "智能化、数字化手段运用还不够充分", PF),
        (M, "优化主动公开目录", CD),
        (M, "增强政策解读效果", PI),
        (M, "加快数字化转型", PF),
    ],
    PINGTAN / "pingtan-2025.txt": [  # 如：A；B；C。 then 下一步整改措施：
        (P, "政务公开队伍建设有待进一步加强", ST),
        (P, "依申请公开答复质量待进一步提升", RH),
        (P, "平台互动功能仍有不足", PR),
        (M, "强化政务公开队伍建设", ST),
        (M, "提升依申请公开答复质量", RH),
        (M, "优化平台互动模块设计", PR),
    ],
    SEEDS / "000_88afcdf2753bf816.txt": [  # 1. 2. 3. problems, then a 改进措施: heading line
        (P, "公开信息内容不规范", CQ),
        (P, "政策文件解读不充分", PI),
        (P, "公开信息范围不全面", CD),
        (M, "不断扩展途径，加大宣传力度", AP),
        (M, "切实加强政府信息公开栏和网站建设", PF),
        (M, "持续完善制度，加强长效管理", IM),
    ],
    SEEDS / "004_7aee1d3aeb564747.txt": [  # pre-2019: one problem; a run-on sentence of measures
        (P, "有些信息处理程序还不够规范", None),  # procedures of requests, or of everything?
        (M, "认真总结经验", IM),
        (M, "充实公开内容", CD),
        (M, "建设长效工作机制", IM),
        (M, "深入、持续、高效地开展", None),  # the sentence's close; corpora/real lists three measures
    ],
}


@cache
def statements(path: Path) -> list[dict]:
    return extract_statements(analyze_path(path).sections)


@pytest.mark.parametrize("path", list(EXPECTED), ids=lambda p: p.name)
def test_statements_a_reader_would_list(path: Path) -> None:
    found = statements(path)
    expected = EXPECTED[path]
    assert [s["kind"] for s in found] == [kind for kind, _, _ in expected]
    assert [s["text"][: len(start)] for s, (_, start, _) in zip(found, expected, strict=True)] == [
        start for _, start, _ in expected
    ]
    for statement, (_, start, theme) in zip(found, expected, strict=True):
        assert theme is None or theme in statement["themes"], (start, statement["themes"])


@pytest.mark.parametrize("path", list(EXPECTED), ids=lambda p: p.name)
def test_contract_fields(path: Path) -> None:
    for statement in statements(path):
        assert set(statement) == {"kind", "text", "themes", "scores", "answers", "generic"}
        assert statement["themes"] and all(0 <= v <= 1 for v in statement["scores"].values())
        assert statement["kind"] == "measure" or statement["answers"] == []
        assert all(statements(path)[i]["kind"] == "problem" for i in statement["answers"])


def test_lead_ins_headings_and_trailers_are_not_statements() -> None:
    texts = [s["text"] for path in EXPECTED for s in statements(path)]
    for word in (
        "针对存在问题",
        "以下工作",
        "以下措施",
        "以下几",
        "主要表现在",
        "改进措施",
        "存在的主要问题",
        "取得",
        "统计表",
        "附件",
        "指标名称",
    ):
        assert not [t for t in texts if word in t], word
    # pingtan-2012's （二）进一步规范政府信息公开行为 heads items 1、…4、: a heading, not a statement
    assert not [s for s in statements(PINGTAN / "pingtan-2012.txt") if s["text"].startswith("进一步规范")]


def test_run_on_items_lose_their_list_words() -> None:
    hongze = [s["text"] for s in statements(REPORTS / "hongze-district-2023.pdf")]
    assert hongze[:3] == [
        "依申请公开工作规范性还有待提高",
        "政务公开内容的深度和广度还有待提升",
        "政务公开队伍建设有待加强",
    ]
    assert statements(REPORTS / "hongze-district-2024.pdf")[4]["text"] == "政务新媒体运维管理还需加强"
    assert statements(PINGTAN / "pingtan-2024.txt")[2]["text"] == "智能化、数字化手段运用还不够充分"


def test_measures_answer_the_problems_they_address() -> None:
    hongze = statements(REPORTS / "hongze-district-2023.pdf")
    assert 0 in hongze[3]["answers"]  # 扎实推进依申请公开工作 → 依申请公开工作规范性
    assert hongze[5]["answers"] == [2]  # 业务指导培训 → 队伍建设
    assert 1 in statements(REPORTS / "hongze-district-2024.pdf")[6]["answers"]  # 答复书模板 → 答复文书规范性
    huaian = statements(REPORTS / "huaian-city-2024.pdf")
    assert (huaian[2]["answers"], huaian[3]["answers"]) == ([0], [1])
    pingtan = statements(PINGTAN / "pingtan-2025.txt")
    assert [s["answers"] for s in pingtan[3:]] == [[0], [1], [2]]
    assert statements(PINGTAN / "pingtan-2021.txt")[2]["answers"] == [0]  # 丰富解读形式 → 解读形式不够丰富


def test_vague_measure_is_marked_generic() -> None:
    assert statements(PINGTAN / "pingtan-2020.txt")[3]["generic"]  # 持续认真贯彻《条例》…抓实抓细抓落地
    assert not statements(REPORTS / "hongze-district-2024.pdf")[1]["generic"]  # 答复文书规范性有待提升


def test_report_without_section_five_has_no_statements() -> None:
    assert statements(PINGTAN / "pingtan-tax-bureau-2013.txt") == []
    assert extract_statements([]) == []
