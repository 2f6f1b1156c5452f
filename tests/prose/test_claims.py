"""Numeric claims: numerals of both kinds, qualifiers, metrics, and the distractors that are never claims."""

from __future__ import annotations

import pytest

from nlp.prose.claims import claims_in
from nlp.schema import claim_out


def one(text: str) -> dict:
    found = claims_in(text, None)
    assert len(found) == 1, [claim_out(c).model_dump() for c in found]
    return claim_out(found[0]).model_dump()


@pytest.mark.parametrize(
    ("text", "value", "unit", "qualifier"),
    [
        ("受理政府信息公开申请 21 件", 21, "件", None),
        ("累计主动公开信息350条", 350, "条", "cumulative"),
        ("组织召开三场新闻发布会", 3, "场", None),
        ("开展督查两次", 2, "次", None),
        ("公开信息一千二百余条", 1200, "条", "approximate"),
        ("发布信息1.2万条", 12000, "条", None),
        ("办理时限压缩百分之二十", 20, "%", None),
        ("申请量同比增长70.3%", 70.3, "%", "change"),
        ("差错率下降12个百分点", 12, "个百分点", "change"),
        ("全年报送不少于8条", 8, "条", "bound"),
        ("收到申请近300件", 300, "件", "approximate"),
        ("公开各类信息 5500 余条", 5500, "条", "approximate"),
        ("约40人次参加", 40, "人次", "approximate"),
        ("每季度开展检查1次", 1, "次", "rate"),
        ("计划于明年新增专栏3个", 3, "个", "target"),
        ("力争全年发布解读50篇", 50, "篇", "target"),
        ("收取信息处理费 3940 元", 3940, "元", None),
        ("征收行政事业性收费213.6万元", 213.6, "万元", None),
        ("依申请公开按时答复率达到百分之百", 100, "%", None),
        ("涉及投诉举报的申请占五成以上", 50, "%", "bound"),
        ("网站点击量 1200 余万人次", 12_000_000, "人次", "approximate"),
        ("主动公开政府信息 3.26 万条", 32_600, "条", None),
        ("全年供应国有建设用地 128 宗", 128, "宗", None),
        ("新改建农村公路 186.4 公里", 186.4, "公里", None),
        ("每次扣减年度目标考核分 0.5 分", 0.5, "分", "rule"),
        ("二级以上公立医院 6 家", 6, "家", None),
        ("计划每年开展 2 次", 2, "次", "target"),
        ("每期印发 3000 份", 3000, "份", "rate"),
        ("促进增收节支 1.2 亿余元", 1.2, "亿元", "approximate"),
        ("公示不少于 5 天", 5, "天", "bound"),
        ("每半年专题研究一次", 1, "次", "rate"),
    ],
)
def test_values_units_and_qualifiers(text: str, value: float, unit: str, qualifier: str | None) -> None:
    claim = one(text)
    assert (claim["value"], claim["unit"], claim["qualifier"]) == (value, unit, qualifier)
    assert claim["quote"] in text


def test_penalty_rules_are_rules_not_facts() -> None:
    found = claims_in("未完成任务的少报1条扣绩效工资100元/人。", None)
    assert [(c.value, c.qualifier) for c in found] == [(1, "rule"), (100, "rule")]


@pytest.mark.parametrize(
    "text",
    [
        "电话：0517-87222589",
        "邮编：223100",
        "地址：洪泽湖大道90号",
        "2024年1月1日起至2024年12月31日止",
        "根据国办公开办函〔2021〕30号要求",
        "《条例》（国令第711号）",
        "第二十条第（五）项",
        "一是加强组织领导",
        "第一，完善制度",
        "- 3 -",
        "第3页",
        "实行一次性告知和一条龙服务",
        "上午9时30分召开",
        "等候时间缩短至19分钟",
    ],
)
def test_distractors_are_never_claims(text: str) -> None:
    assert claims_in(text, None) == []


@pytest.mark.parametrize(
    ("text", "metric", "cell"),
    [
        ("全年受理政府信息公开申请 21 件", "requests.new", "t3.new.total"),
        ("共办结依申请公开81件", "requests.answered", "t3.total.total"),
        ("另有 103 件顺延到下年度答复", "requests.carried_forward", "t3.carried_forward.total"),
        (
            "政府信息公开行政诉讼 46 件",
            "litigation.total",
            "t4.litigation_direct.total+t4.litigation_after_review.total",
        ),
        ("新增公开市政府规章 1 件", "rules.issued", "t2.rules.issued"),
        ("全年发布政策解读117篇", "policy_interpretation", None),
        ("召开新闻发布会 12 场", "press_conferences", None),
        ("另有延期至下年度办理 2 件", "requests.carried_forward", "t3.carried_forward.total"),
        ("其中复议后起诉 1 件", "litigation.after_review", "t4.litigation_after_review.total"),
        ("其中行政处罚信息 2137 条", None, None),  # items published about decisions, not decisions
        ("依申请公开本年度办理完毕 60 件", "requests.answered", "t3.total.total"),
        ("另有 5 件尚在办理期限内", "requests.carried_forward", "t3.carried_forward.total"),
        ("收取检索、复制费用 326 元", "info_processing_fee", None),
        ("通过《海陵市人民政府公报》公开 35 条", "active_disclosure.gazette", None),
        ("通过公示栏等其他方式公开 120 条", "active_disclosure", None),
        ("全年作出行政处罚决定 187 件", "penalty.decisions", "t2.penalty.decisions"),
    ],
)
def test_metrics_and_cells(text: str, metric: str, cell: str | None) -> None:
    claim = one(text)
    assert (claim["metric"], claim["cell"]) == (metric, cell)


def test_parts_of_a_review_count_take_its_topic() -> None:
    found = claims_in("政府信息公开行政复议 351 件，其中结果维持 72 件，结果纠正 64 件，尚\n未审结 37 件。", None)
    assert [c.metric for c in found] == ["review.total", "review.upheld", "review.corrected", "review.pending"]
    assert found[1].qualifier == "part"


def test_a_request_topic_runs_on_into_the_next_sentence() -> None:
    found = claims_in("全县新收政府信息公开申请 221 件。全年答复 215 件，其中同意公开 11 件，不同意公开 1 件。", None)
    assert [c.metric for c in found] == ["requests.new", "requests.answered", "requests.granted", "requests.denied"]


def test_last_years_figure_is_a_plain_count_and_the_change_is_a_change() -> None:
    found = claims_in("全区新收申请 377 件，较上年的329 件增长 14.6%。", None)
    assert [(c.value, c.qualifier) for c in found] == [(377, None), (329, None), (14.6, "change")]


def test_rules_and_normative_documents_take_their_own_topic() -> None:
    found = claims_in(
        "本年制发规章 2 件，废止 1 件，现行有效 35 件；制发行政规范性文件 12 件，废止 3 件，现行有效 86 件。", None
    )
    assert [c.metric for c in found] == [
        "rules.issued",
        "rules.repealed",
        "rules.in_force",
        "normative_docs.issued",
        "normative_docs.repealed",
        "normative_docs.in_force",
    ]


@pytest.mark.parametrize(
    ("text", "value", "unit", "quote"),
    [
        ("全年发布信息 1,385 条，", 1385, "条", "全年发布信息 1,385 条"),
        ("共12,345,678.5万元。", 12345678.5, "万元", "共12,345,678.5万元"),
        ("累计阅读人数近24.5万，", 245000, None, "累计阅读人数近24.5万"),
        ("主动公开信息数130，依申请", 130, None, "主动公开信息数130"),
        ("开展互动活动42场次，", 42, "场次", "开展互动活动42场次"),
        ("海坛片区成立4个月以来", 4, "个月", "海坛片区成立4个月"),
        ("在接到申请15个工作日内答复", 15, "个工作日", "在接到申请15个工作日内"),
        ("目前已汇集了60个单位的信息", 60, "个", "目前已汇集了60个单位"),
        ("县直各单位已有20多家单位开通", 20, "家", "县直各单位已有20多家单位"),
        ("全区中小学校 118 所全部接入", 118, "所", "全区中小学校 118 所"),
    ],
)
def test_numbers_as_printed(text: str, value: float, unit: str | None, quote: str) -> None:
    """Thousands separators, a figure with no unit, units of two characters, and the noun after a measure word."""
    [claim] = claims_in(text, "overview")
    assert (claim.value, claim.unit, claim.quote) == (value, unit, quote)


@pytest.mark.parametrize("text", ["网站支持1024×768分辨率显示", "聚焦新中国成立 70 周年"])
def test_not_claims(text: str) -> None:
    """A screen size and an anniversary are no figures of the report."""
    assert claims_in(text, "overview") == []


def test_a_list_of_digits_is_not_one_number() -> None:
    """1,2,3 is no thousands-separated number (2 and 3 are not groups of three digits)."""
    assert [c.value for c in claims_in("共1,2,3项工作", "overview")] == [3]
