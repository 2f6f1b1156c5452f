"""Build the annotated claims corpus: src/NN_slug.src -> NN_slug.txt + NN_slug.json.

A source file holds a JSON header (format, agency, year, tables, planted mistakes, declared 其中 lists,
shares and changes) and the report text with inline markup:

    «quote|m=metric|q=qualifier|v=value|u=unit|c=cell,cell|id=name»   a claim (the quote stays in the text)
    ‹text›                                                            a distractor
    #key heading line                                                 a section heading (key dropped)
    @@T2@@ @@T3@@ @@T4@@                                              tables rendered from the header
    |cell|cell|cell                                                   a tab-separated row, written by hand

Every table and prose check is recomputed here from the printed numbers (independently of nlp/), and each
finding is assigned to the planted mistake whose cells or claims it involves; a finding no mistake explains,
or a mistake that yields no finding, stops the build.

Usage: python corpora/claims/tools/build.py [--check]
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import cn2an

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src"

COLUMNS = ["natural_person", "commercial", "research", "social_welfare", "legal_service", "other_org"]
T3_LABELS_2021 = [
    ("new", "一、本年新收政府信息公开申请数量"),
    ("carried_over", "二、上年结转政府信息公开申请数量"),
    ("granted", "三、本年度办理结果\t（一）予以公开"),
    ("partial", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    ("denied.state_secret", "（三）不予公开\t1.属于国家秘密"),
    ("denied.prohibited", "2.其他法律行政法规禁止公开"),
    ("denied.security", "3.危及“三安全一稳定”"),
    ("denied.third_party", "4.保护第三方合法权益"),
    ("denied.internal", "5.属于三类内部事务信息"),
    ("denied.process", "6.属于四类过程性信息"),
    ("denied.enforcement", "7.属于行政执法案卷"),
    ("denied.query", "8.属于行政查询事项"),
    ("unavailable.not_held", "（四）无法提供\t1.本机关不掌握相关政府信息"),
    ("unavailable.needs_creation", "2.没有现成信息需要另行制作"),
    ("unavailable.unclear", "3.补正后申请内容仍不明确"),
    ("not_processed.petition", "（五）不予处理\t1.信访举报投诉类申请"),
    ("not_processed.duplicate", "2.重复申请"),
    ("not_processed.publication", "3.要求提供公开出版物"),
    ("not_processed.excessive", "4.无正当理由大量反复申请"),
    ("not_processed.reconfirm", "5.要求行政机关确认或重新出具已获取信息"),
    ("other.no_correction", "（六）其他处理\t1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    ("other.unpaid_fee", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    ("other.other", "3.其他"),
    ("total", "（七）总计"),
    ("carried_forward", "四、结转下年度继续办理"),
]
T3_LABELS_2019 = [row for row in T3_LABELS_2021 if not row[0].startswith("other.")]
T3_LABELS_2019.insert(-2, ("other", "（六）其他处理"))
NON_RESULT = ("new", "carried_over", "total", "carried_forward")
T3_HEAD = (
    "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\t申请人情况\n"
    "自然人\t法人或其他组织\t总计\n"
    "商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他"
)
T4_HEAD = (
    "行政复议\t行政诉讼\n"
    "结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t未经复议直接起诉\t复议后起诉\n"
    "结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计"
)
T4_BLOCKS = ["review", "litigation_direct", "litigation_after_review"]
T4_PARTS = ["upheld", "corrected", "other", "pending"]

UNITS = [
    "人次",
    "个百分点",
    "百分点",
    "万元",
    "亿元",
    "批次",
    "小时",
    "件",
    "条",
    "次",
    "个",
    "篇",
    "场",
    "期",
    "项",
    "份",
    "人",
    "家",
    "名",
    "户",
    "批",
    "本",
    "部",
    "所",
    "座",
    "天",
    "元",
    "%",
    "通",
    "起",
    "类",
    "栏",
    "张",
    "套",
    "台",
    "封",
    "册",
    "宗",
    "轮",
    "笔",
    "分",
    "公顷",
    "亩",
]
CN = "零〇一二两三四五六七八九十百千万亿"
QTY = re.compile(
    rf"(?P<num>百分之[{CN}点]+|\d+(?:\.\d+)?|[{CN}]*[零〇一二两三四五六七八九十百千][{CN}]*)\s*"
    rf"(?P<approx0>余|多)?(?P<mult>万|亿)?(?P<approx>余|多)?\s*"
    rf"(?P<unit>{'|'.join(map(re.escape, UNITS))})?"
)
QUALIFIERS = (None, "approximate", "bound", "change", "rate", "target", "rule", "cumulative", "part")
EXACT = (None, "part", "cumulative")


def cells_for(metric: str | None, fmt: str) -> list[str] | None:
    """The table cells a metric reports in a 2019/2021 table (templates.md keys)."""
    if fmt not in ("2019", "2021") or not metric:
        return None
    t3 = {
        "requests.new": ["new"],
        "requests.answered": ["total"],
        "requests.carried_over": ["carried_over"],
        "requests.carried_forward": ["carried_forward"],
        "requests.granted": ["granted"],
        "requests.partial": ["partial"],
        "requests.granted_or_partial": ["granted", "partial"],
        "requests.denied": [
            "denied." + k
            for k in (
                "state_secret",
                "prohibited",
                "security",
                "third_party",
                "internal",
                "process",
                "enforcement",
                "query",
            )
        ],
        "requests.unavailable": ["unavailable.not_held", "unavailable.needs_creation", "unavailable.unclear"],
        "requests.not_processed": [
            "not_processed." + k for k in ("petition", "duplicate", "publication", "excessive", "reconfirm")
        ],
        "requests.other": ["other"] if fmt == "2019" else ["other.no_correction", "other.unpaid_fee", "other.other"],
    }
    if metric in t3:
        return [f"t3.{row}.total" for row in t3[metric]]
    if metric == "requests.natural_person":
        return ["t3.new.natural_person"]
    if metric == "requests.commercial":
        return ["t3.new.commercial"]
    block, _, part = metric.partition(".")
    names = {"upheld": "upheld", "corrected": "corrected", "other": "other", "pending": "pending", "total": "total"}
    if block == "review" and part in names:
        return [f"t4.review.{part}"]
    if block == "litigation" and part in names:
        return [f"t4.litigation_direct.{part}", f"t4.litigation_after_review.{part}"]
    if metric in ("litigation.direct", "litigation.after_review"):
        return [f"t4.litigation_{part}.total"]
    issued = "issued" if fmt == "2021" else "made"
    t2 = {
        "rules.issued": [f"t2.rules.{issued}"],
        "normative_docs.issued": [f"t2.normative_docs.{issued}"],
        "licensing.decisions": ["t2.licensing.decisions"],
        "penalty.decisions": ["t2.penalty.decisions"],
        "coercion.decisions": ["t2.coercion.decisions"],
    }
    if fmt == "2019":
        t2["normative_docs.made"] = ["t2.normative_docs.made"]
    if fmt == "2021":
        t2["normative_docs.in_force"] = ["t2.normative_docs.in_force"]
        t2 |= {
            f"{kind}.{column}": [f"t2.{kind}.{column}"]
            for kind in ("rules", "normative_docs")
            for column in ("repealed", "in_force")
        }
    return t2.get(metric)


def number(text: str) -> float:
    if text.startswith("百分之"):
        text = text[3:]
    if text in ("百", "一百"):
        return 100.0
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return float(text)
    return float(cn2an.cn2an(text.replace("两", "二").replace("〇", "零"), "smart"))


def parse_quantity(quote: str) -> tuple[float, str | None, bool]:
    """(value, unit, approximate-by-余/多) of the last number-with-unit in a quote."""
    found = [m for m in QTY.finditer(quote) if m.group("unit") or m.group("num").startswith("百分之")]
    if not found:
        raise ValueError(f"no quantity in {quote!r}")
    m = found[-1]
    value = number(m.group("num"))
    unit = m.group("unit")
    if m.group("num").startswith("百分之"):
        unit = "%"
    if unit == "元" and m.group("mult"):
        unit = m.group("mult") + "元"
    elif m.group("mult") == "万":
        value *= 10_000
    elif m.group("mult") == "亿":
        value *= 100_000_000
    if unit == "百分点":
        unit = "个百分点"
    return value, unit, bool(m.group("approx") or m.group("approx0"))


def clean(value: float) -> int | float:
    value = round(float(value), 6)
    return int(value) if value.is_integer() else value


# ---------------------------------------------------------------- tables


def t3_table(spec: dict, fmt: str) -> dict[str, int | None]:
    """Cells of table 3: rows given as six applicant counts; totals computed; overrides applied later."""
    labels = T3_LABELS_2021 if fmt == "2021" else T3_LABELS_2019
    rows = [key for key, _ in labels]
    cells: dict[str, int | None] = {}
    data = {row: spec.get(row, [0] * 6) for row in rows}
    for row in rows:
        if row in ("total", "carried_forward"):
            continue
        for col, value in zip(COLUMNS, data[row], strict=True):
            cells[f"t3.{row}.{col}"] = value
    for col in COLUMNS:
        cells[f"t3.total.{col}"] = sum(cells[f"t3.{r}.{col}"] for r in rows if r not in NON_RESULT)
        forward = cells[f"t3.new.{col}"] + cells[f"t3.carried_over.{col}"] - cells[f"t3.total.{col}"]
        assert forward >= 0, (col, forward)
        cells[f"t3.carried_forward.{col}"] = forward
    for row in rows:
        cells[f"t3.{row}.total"] = sum(cells[f"t3.{row}.{c}"] for c in COLUMNS)
    return cells


def t4_table(spec: dict) -> dict[str, int]:
    cells = {}
    for block in T4_BLOCKS:
        values = spec.get(block, [0, 0, 0, 0])
        for part, value in zip(T4_PARTS, values, strict=True):
            cells[f"t4.{block}.{part}"] = value
        cells[f"t4.{block}.total"] = sum(values)
    return cells


def fmt_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return str(clean(value))


def render_t3(cells: dict, fmt: str) -> str:
    labels = T3_LABELS_2021 if fmt == "2021" else T3_LABELS_2019
    lines = [T3_HEAD]
    for row, label in labels:
        lines.append("\t".join([label] + [fmt_cell(cells[f"t3.{row}.{c}"]) for c in COLUMNS + ["total"]]))
    return "\n".join(lines)


def render_t4(cells: dict) -> str:
    keys = [f"t4.{b}.{p}" for b in T4_BLOCKS for p in T4_PARTS + ["total"]]
    return T4_HEAD + "\n" + "\t".join(fmt_cell(cells[k]) for k in keys)


def t2_cells(spec: dict, fmt: str) -> tuple[dict, str]:
    """Table 2 cells and its printed form. Values may be numbers, null (empty) or strings ("56.3万元")."""
    cells: dict = {}
    out = []
    if fmt == "2021":
        out.append("第二十条第（一）项\n信息内容\t本年制发件数\t本年废止件数\t现行有效件数")
        for key, label in (("rules", "规章"), ("normative_docs", "行政规范性文件")):
            values = spec[key]
            for col, value in zip(("issued", "repealed", "in_force"), values, strict=True):
                cells[f"t2.{key}.{col}"] = value
            out.append("\t".join([label] + [fmt_cell(v) for v in values]))
        out.append("第二十条第（五）项\n信息内容\t本年处理决定数量")
        out.append(f"行政许可\t{fmt_cell(spec['licensing'])}")
        out.append("第二十条第（六）项\n信息内容\t本年处理决定数量")
        out.append(f"行政处罚\t{fmt_cell(spec['penalty'])}")
        out.append(f"行政强制\t{fmt_cell(spec['coercion'])}")
        out.append("第二十条第（八）项\n信息内容\t本年收费金额（单位：万元）")
        out.append(f"行政事业性收费\t{fmt_cell(spec['fees'])}")
        for key in ("licensing", "penalty", "coercion"):
            cells[f"t2.{key}.decisions"] = spec[key]
        cells["t2.fees.amount"] = spec["fees"]
    else:
        out.append("第二十条第（一）项\n信息内容\t本年新制作数量\t本年新公开数量\t对外公开总数量")
        for key, label in (("rules", "规章"), ("normative_docs", "规范性文件")):
            values = spec[key]
            for col, value in zip(("made", "published", "total"), values, strict=True):
                cells[f"t2.{key}.{col}"] = value
            out.append("\t".join([label] + [fmt_cell(v) for v in values]))
        out.append("第二十条第（五）项\n信息内容\t上一年项目数量\t本年增/减\t处理决定数量")
        for key, label in (("licensing", "行政许可"), ("other_services", "其他对外管理服务事项")):
            values = spec[key]
            for col, value in zip(("prev", "change", "decisions"), values, strict=True):
                cells[f"t2.{key}.{col}"] = value
            out.append("\t".join([label] + [fmt_cell(v) for v in values]))
        out.append("第二十条第（六）项\n信息内容\t上一年项目数量\t本年增/减\t处理决定数量")
        for key, label in (("penalty", "行政处罚"), ("coercion", "行政强制")):
            values = spec[key]
            for col, value in zip(("prev", "change", "decisions"), values, strict=True):
                cells[f"t2.{key}.{col}"] = value
            out.append("\t".join([label] + [fmt_cell(v) for v in values]))
        out.append("第二十条第（八）项\n信息内容\t上一年项目数量\t本年增/减")
        values = spec["fees"]
        cells["t2.fees.prev"], cells["t2.fees.change"] = values
        out.append("\t".join(["行政事业性收费"] + [fmt_cell(v) for v in values]))
        out.append("第二十条第（九）项\n信息内容\t采购项目数量\t采购总金额")
        count, amount = spec["procurement"]
        cells["t2.procurement.count"] = count
        cells["t2.procurement.amount"] = float(re.match(r"[\d.]+", amount).group()) if amount else None
        out.append(f"政府集中采购\t{fmt_cell(count)}\t{amount}")
    return cells, "\n".join(out)


def as_lines(table: str) -> str:
    """The r2019 fixture's layout: every cell on a line of its own, blank lines between."""
    cells = [c for line in table.split("\n") for c in line.split("\t") if c != ""]
    return "\n\n".join(cells)


# ---------------------------------------------------------------- pre-2019 统计表

CN_ORD = "[一二三四五六七八九十]{1,3}"
STAT_NUMBERING = re.compile(rf"^(?:{CN_ORD}、|[（(]{CN_ORD}[)）]|\d{{1,2}}\s*[.．、])\s*")
STAT_LEVELS = (
    (re.compile(rf"^{CN_ORD}、"), 1),
    (re.compile(rf"^[（(]{CN_ORD}[)）]"), 2),
    (re.compile(r"^\d{1,2}\s*[.．、]"), 3),
)


def stat_cells(rows: list[list[str]]) -> tuple[dict, dict, list[tuple[str, list[str]]]]:
    """templates.md: stat.<label> (numbering and 其中： stripped; stat.<parent>/<label> when repeated);
    a numbered row equals the sum of its numbered sub-rows one level down."""
    parsed = []
    parents: list[tuple[int, str]] = []
    for cells in rows:
        raw = cells[0].strip()
        unit = cells[1].strip() if len(cells) > 1 else ""
        value = cells[2].strip() if len(cells) > 2 else ""
        if raw.startswith("其中"):
            level = 4
        else:
            level = next((lv for pattern, lv in STAT_LEVELS if pattern.match(raw)), 4)
        label = STAT_NUMBERING.sub("", raw.removeprefix("其中：").removeprefix("其中:").strip())
        while parents and parents[-1][0] >= level:
            parents.pop()
        parsed.append((label, unit, value, parents[-1][1] if parents else None, level))
        parents.append((level, label))
    repeated = {p[0] for p in parsed if sum(q[0] == p[0] for q in parsed) > 1}
    keys = [
        f"stat.{parent}/{label}" if label in repeated and parent else f"stat.{label}"
        for label, _, _, parent, _ in parsed
    ]
    values = {k: (float(p[2]) if p[2] else None) for k, p in zip(keys, parsed, strict=True)}
    values = {k: (clean(v) if v is not None else None) for k, v in values.items()}
    units = {k: p[1] for k, p in zip(keys, parsed, strict=True)}
    sums = []
    for i, (*_, level) in enumerate(parsed):
        children = []
        for key, p in zip(keys[i + 1 :], parsed[i + 1 :], strict=True):
            if p[4] <= level:
                break
            if p[4] == level + 1 and p[4] < 4:
                children.append(key)
        if children:
            sums.append((keys[i], children))
    return values, units, sums


# ---------------------------------------------------------------- findings


def add(total: dict, keys: list[str]) -> float | None:
    values = [total.get(k) for k in keys]
    if any(v is None for v in values):
        return None
    return round(sum(values), 6)


def table_findings(tables: dict, fmt: str, stat_sums: list) -> list[dict]:
    found = []

    def check_sum(total_key: str, parts: list[str]) -> None:
        expected = add(tables, parts)
        actual = tables.get(total_key)
        if expected is None or actual is None or expected == actual:
            return
        found.append(
            {
                "rule": "table.sum",
                "severity": "error",
                "cells": [total_key, *parts],
                "quote": None,
                "expected": clean(expected),
                "actual": clean(actual),
            }
        )

    if any(k.startswith("t3.") for k in tables):
        labels = T3_LABELS_2021 if fmt == "2021" else T3_LABELS_2019
        rows = [r for r, _ in labels]
        for row in rows:
            check_sum(f"t3.{row}.total", [f"t3.{row}.{c}" for c in COLUMNS])
        for col in COLUMNS + ["total"]:
            check_sum(f"t3.total.{col}", [f"t3.{r}.{col}" for r in rows if r not in NON_RESULT])
        for col in COLUMNS + ["total"]:
            left = [f"t3.new.{col}", f"t3.carried_over.{col}"]
            right = [f"t3.total.{col}", f"t3.carried_forward.{col}"]
            a, b = add(tables, left), add(tables, right)
            if a is not None and b is not None and a != b:
                found.append(
                    {
                        "rule": "table.balance",
                        "severity": "error",
                        "cells": left + right,
                        "quote": None,
                        "expected": clean(a),
                        "actual": clean(b),
                    }
                )
    if any(k.startswith("t4.") for k in tables):
        for block in T4_BLOCKS:
            check_sum(f"t4.{block}.total", [f"t4.{block}.{p}" for p in T4_PARTS])
    for parent, children in stat_sums:
        check_sum(parent, children)
    return found


def prose_findings(claims: list[dict], tables: dict, checks: dict, ids: dict) -> list[dict]:
    found = []
    for claim in claims:
        cells = claim.get("cells")
        if not cells or claim["unit"] == "%":
            continue
        table = add(tables, cells)
        if table is None or table == claim["value"]:
            continue
        if claim["qualifier"] in EXACT:
            found.append(
                {
                    "rule": "prose.table",
                    "severity": "error",
                    "cells": cells,
                    "quote": claim["quote"],
                    "expected": clean(table),
                    "actual": claim["value"],
                    "_claims": [claim["_id"]],
                }
            )
        elif claim["qualifier"] == "approximate":
            assert abs(table - claim["value"]) <= 0.1 * max(table, claim["value"]), claim
    for group in checks.get("sums", []):
        total = ids[group["total"]]
        parts = [ids[p] for p in group["parts"]]
        added = round(sum(p["value"] for p in parts), 6)
        assert all(p["unit"] == total["unit"] for p in parts), group
        if added != total["value"]:
            if not group.get("exhaustive") and not group.get("disjoint_requests"):
                continue  # a partial list (no 其他/其余, no shares to 100%) need not add up
            found.append(
                {
                    "rule": "prose.sum",
                    "severity": "error",
                    "cells": [],
                    "quote": total["quote"],
                    "quotes": [total["quote"]] + [p["quote"] for p in parts],
                    "expected": clean(added),
                    "actual": total["value"],
                    "_claims": [group["total"], *group["parts"]],
                }
            )
    for share in checks.get("shares", []):
        part, total, pct = ids[share["part"]], ids[share["total"]], ids[share["share"]]
        computed = part["value"] / total["value"] * 100
        decimals = len(pct["quote"].split("%")[0].split(".")[1]) if "." in pct["quote"].split("%")[0] else 0
        if abs(computed - pct["value"]) > 0.5 * 10**-decimals + 1e-9:
            found.append(
                {
                    "rule": "prose.rate",
                    "severity": "error",
                    "cells": [],
                    "quote": pct["quote"],
                    "quotes": [total["quote"], part["quote"], pct["quote"]],
                    "expected": round(computed, decimals),
                    "actual": pct["value"],
                    "_claims": [share["total"], share["part"], share["share"]],
                }
            )
    for change in checks.get("changes", []):
        now, prev, pct = ids[change["now"]], ids[change["prev"]], ids[change["change"]]
        computed = (now["value"] - prev["value"]) / prev["value"] * 100 * change.get("sign", 1)
        text = pct["quote"].split("%")[0]
        decimals = len(text.split(".")[1]) if "." in text and re.search(r"\d\.\d", text) else 0
        if pct["unit"] == "个百分点":
            raise AssertionError("percentage-point changes are not declared as changes")
        if abs(computed - pct["value"]) > 0.5 * 10**-decimals + 1e-9:
            found.append(
                {
                    "rule": "prose.rate",
                    "severity": "error",
                    "cells": [],
                    "quote": pct["quote"],
                    "quotes": [now["quote"], prev["quote"], pct["quote"]],
                    "expected": round(computed, decimals),
                    "actual": pct["value"],
                    "_claims": [change["now"], change["prev"], change["change"]],
                }
            )
    return found


PERIOD = re.compile(r"统计(?:期限|时限|时间|区间|期间)[^。；\n]{0,4}?[自为从]?\s*[^。；]{0,60}?(?:止|。|；)")
DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")


def period_findings(text: str, year: int) -> list[dict]:
    match = PERIOD.search(text)
    assert match, "every report states its statistics period"
    quote = match.group(0).rstrip("。；")
    dates = DATE.findall(quote)
    if len(dates) != 2 or re.search(r"\d{5,}|年\s*\d{3,}|月\s*\d{3,}", quote):
        return [{"rule": "period", "severity": "error", "cells": [], "quote": quote, "expected": None, "actual": None}]
    (y1, m1, d1), (y2, m2, d2) = [tuple(map(int, d)) for d in dates]
    assert (m1, d1, m2, d2) == (1, 1, 12, 31) and y1 == y2, quote
    if y1 != year:
        return [{"rule": "period", "severity": "error", "cells": [], "quote": quote, "expected": year, "actual": y1}]
    return []


# ---------------------------------------------------------------- source parsing

CLAIM = re.compile(r"«([^«»]+)»")
DISTRACTOR = re.compile(r"‹([^‹›]+)›")
MARK = re.compile(r"«([^«»]+)»|‹([^‹›]+)›")


def parse_source(path: Path) -> tuple[dict, str]:
    raw = path.read_text(encoding="utf-8")
    head, sep, body = raw.partition("\n=== text ===\n")
    assert sep, f"{path}: no '=== text ===' line"
    return json.loads(head), body.strip("\n") + "\n"


def build(path: Path) -> tuple[str, dict]:
    meta, body = parse_source(path)
    fmt, year = meta["format"], meta["year"]
    tables: dict = {}
    stat_sums: list = []
    blocks = {}
    if fmt in ("2019", "2021"):
        t2, t2_text = t2_cells(meta["t2"], fmt)
        t3 = t3_table(meta["t3"], fmt)
        t4 = t4_table(meta["t4"])
        tables.update(t2)
        tables.update(t3)
        tables.update(t4)
        for key, value in meta.get("overrides", {}).items():
            assert key in tables, key
            tables[key] = value
        t3_text, t4_text = render_t3(tables, fmt), render_t4(tables)
        if meta.get("layout") == "lines":
            t2_text, t3_text, t4_text = as_lines(t2_text), as_lines(t3_text), as_lines(t4_text)
        blocks = {"@@T2@@": t2_text, "@@T3@@": t3_text, "@@T4@@": t4_text}

    out: list[str] = []
    claims: list[dict] = []
    distractors: list[str] = []
    section = None
    stat_rows: list[list[str]] = []
    offset = 0
    for line in body.split("\n"):
        if line.strip() in blocks:
            rendered = blocks[line.strip()]
            out.append(rendered)
            offset += len(rendered) + 1
            continue
        heading = re.match(r"^#(\S+) (.*)$", line)
        if heading:
            section = heading.group(1)
            line = heading.group(2)
        if line.startswith("|"):
            cells = line[1:].split("|")
            if not re.search(r"统\s*计\s*指\s*标", cells[0]):
                stat_rows.append(cells)
            if meta.get("stat_layout") == "blocks":  # seed 004: one cell a line, each led by a tab
                line = "\n".join("\t" + c for c in cells) + "\n"
            else:
                line = "\t".join(cells)
        text_line = ""
        pos = 0
        for m in MARK.finditer(line):
            text_line += line[pos : m.start()]
            start = offset + len(text_line)
            if m.group(1) is not None:
                claims.append(claim_of(m.group(1), start, section, fmt, path))
                text_line += claims[-1]["quote"]
            else:
                if m.group(2) not in distractors:
                    distractors.append(m.group(2))
                text_line += m.group(2)
            pos = m.end()
        text_line += line[pos:]
        assert "«" not in text_line and "»" not in text_line and "‹" not in text_line, (path, line)
        out.append(text_line)
        offset += len(text_line) + 1
    text = "\n".join(out)
    if stat_rows:
        values, _units, stat_sums = stat_cells(stat_rows)
        tables.update(values)
    for claim in claims:
        assert text[claim["start"] : claim["start"] + len(claim["quote"])] == claim["quote"]
        for cell in claim.get("cells") or []:
            assert cell in tables, (path.name, claim["quote"], cell)
    for d in distractors:
        assert d in text
    add_years(text, claims, distractors)

    ids = {c["_id"]: c for c in claims if c["_id"]}
    findings = table_findings(tables, fmt, stat_sums) + prose_findings(claims, tables, meta.get("checks", {}), ids)
    findings += period_findings(text, year)
    assign_mistakes(findings, meta.get("mistakes", []), path)
    planted = bool(meta.get("mistakes"))
    assert planted == bool(findings), path
    for claim in claims:
        claim.pop("_id")
    for finding in findings:
        finding.pop("_claims", None)
    split = {"split": meta["split"]} if "split" in meta else {}  # e.g. "heldout" (25–30)
    doc = {
        "format": fmt,
        "year": year,
        "agency": meta["agency"],
        **split,
        "planted": planted,
        "mistakes": [m["desc"] for m in meta.get("mistakes", [])],
        "claims": claims,
        "distractors": distractors,
        "findings": findings,
        "tables": {k: (clean(v) if isinstance(v, (int, float)) else v) for k, v in tables.items()},
    }
    return text, doc


YEAR = re.compile(r"(?:19|20)\d{2}\s*年度?")


def add_years(text: str, claims: list[dict], distractors: list[str]) -> None:
    """Years in the prose (2021年, 2019年度) are distractors too: add those not marked by hand."""
    taken = [(c["start"], c["start"] + len(c["quote"])) for c in claims]
    for m in YEAR.finditer(text):
        line_start = text.rfind("\n", 0, m.start()) + 1
        line = text[line_start : text.find("\n", m.end()) if "\n" in text[m.end() :] else len(text)]
        if "\t" in line or any(s < m.end() and m.start() < e for s, e in taken):
            continue
        if m.group() not in distractors:
            distractors.append(m.group())


def claim_of(markup: str, start: int, section: str | None, fmt: str, path: Path) -> dict:
    quote, *fields = markup.split("|")
    opts = dict(f.split("=", 1) for f in fields)
    unknown = set(opts) - {"m", "q", "v", "u", "c", "id"}
    assert not unknown, (path, markup)
    try:
        value, unit, approx = parse_quantity(quote)
    except ValueError:
        if "v" not in opts:
            raise
        value, unit, approx = 0.0, None, False
    if "v" in opts:
        value = float(opts["v"])
    if "u" in opts:
        unit = None if opts["u"] == "-" else opts["u"]
    qualifier = opts.get("q") or ("approximate" if approx else None)
    if qualifier == "null":
        qualifier = None
    assert qualifier in QUALIFIERS, (path, markup)
    metric = opts.get("m") or None
    if "c" in opts:
        cells = None if opts["c"] == "-" else opts["c"].split(",")
    elif unit != "%" and qualifier in EXACT + ("approximate",):
        cells = cells_for(metric, fmt)
    else:
        cells = None
    return {
        "quote": quote,
        "value": clean(value),
        "unit": unit,
        "metric": metric,
        "qualifier": qualifier,
        "cells": cells,
        "section": section,
        "start": start,
        "_id": opts.get("id"),
    }


def assign_mistakes(findings: list[dict], mistakes: list[dict], path: Path) -> None:
    used = set()
    for finding in findings:
        hits = []
        for i, mistake in enumerate(mistakes, 1):
            if (
                set(finding["cells"]) & set(mistake.get("cells", []))
                or set(finding.get("_claims", [])) & set(mistake.get("claims", []))
                or (finding["rule"] == "period" and mistake.get("period"))
            ):
                hits.append(i)
        assert hits, f"{path.name}: a finding no planted mistake explains: {finding}"
        finding["mistake"] = hits[0]
        used.add(hits[0])
    missing = set(range(1, len(mistakes) + 1)) - used
    assert not missing, f"{path.name}: planted mistakes without a finding: {missing}"


def main() -> None:
    check = "--check" in sys.argv
    for src in sorted(SRC.glob("*.src")):
        text, doc = build(src)
        txt, js = ROOT / (src.stem + ".txt"), ROOT / (src.stem + ".json")
        payload = json.dumps(doc, ensure_ascii=False, indent=1) + "\n"
        if check:
            assert txt.read_text(encoding="utf-8") == text, txt
            assert js.read_text(encoding="utf-8") == payload, js
        else:
            txt.write_text(text, encoding="utf-8")
            js.write_text(payload, encoding="utf-8")
        print(
            f"{src.stem}: {doc['format']} {len(doc['claims'])} claims, {len(doc['distractors'])} distractors, "
            f"{len(doc['findings'])} findings"
        )


if __name__ == "__main__":
    main()
