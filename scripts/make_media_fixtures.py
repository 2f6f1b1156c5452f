"""Generate the same three annual reports in five media, plus their expected values.

Each report (`r2021`, `r2019`, `pre2019`) is ONE data structure below: title, blocks (headings,
paragraphs, tables as anchor cells with rowspan/colspan and typed values). Every medium and the
`<name>.expected.json` file are rendered from it, so they cannot drift apart.

    python scripts/make_media_fixtures.py            # writes tests/fixtures/media/
    python scripts/make_media_fixtures.py --no-pdf   # skip LibreOffice (txt, md, html, docx, json only)

The PDF is the .docx converted by LibreOffice headless (`soffice`); only this script needs it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import io
import json
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

Number = int | float
OUT_DIR = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "media"
CJK_FONT = "Noto Serif CJK SC"
INDENT = "\u3000\u3000"  # two full-width spaces per level, as in the printed 统计表


# ----------------------------------------------------------------------------------------------- model


@dataclass
class Cell:
    """One printed table cell (an anchor: covered positions of a merge are not cells)."""

    text: str
    rowspan: int = 1
    colspan: int = 1
    key: str | None = None  # canonical cell key when this cell carries a value
    value: Number | None = None
    header: bool = False


@dataclass
class Table:
    """A table as HTML lays it out: each row lists the cells that start in it."""

    ncols: int
    rows: list[list[Cell]]
    widths_cm: list[float]
    font_pt: float = 9.0

    def grid(self) -> list[list[tuple[Cell, bool]]]:
        """Every position of the table as (cell, is_anchor); raises if spans do not tile the grid."""
        nrows = len(self.rows)
        grid: list[list[tuple[Cell, bool] | None]] = [[None] * self.ncols for _ in range(nrows)]
        for r, row in enumerate(self.rows):
            c = 0
            for cell in row:
                while c < self.ncols and grid[r][c] is not None:
                    c += 1
                if c + cell.colspan > self.ncols or r + cell.rowspan > nrows:
                    raise ValueError(f"cell {cell.text!r} overflows the table at row {r}")
                for dr in range(cell.rowspan):
                    for dc in range(cell.colspan):
                        if grid[r + dr][c + dc] is not None:
                            raise ValueError(f"cell {cell.text!r} overlaps at row {r + dr}")
                        grid[r + dr][c + dc] = (cell, dr == 0 and dc == 0)
                c += cell.colspan
        for r, line in enumerate(grid):
            if any(pos is None for pos in line):
                raise ValueError(f"row {r} is not filled")
        return grid  # type: ignore[return-value]

    def anchors(self) -> list[list[tuple[int, Cell]]]:
        """Per row, the (column, cell) pairs of cells that start in that row."""
        out: list[list[tuple[int, Cell]]] = []
        for line in self.grid():
            out.append([(c, cell) for c, (cell, anchor) in enumerate(line) if anchor])
        return out


@dataclass
class Heading:
    """A printed heading; level 1 opens a section (`key`), level 2 is a sub-part like （一）主动公开."""

    text: str
    level: int = 1
    key: str | None = None


@dataclass
class Para:
    """A paragraph of prose; `center`/`right` for titles, signatures and dates. A `key` makes it open a section,
    as a 统计表's own title does in a free-form report."""

    text: str
    align: str = "justify"
    bold: bool = False
    key: str | None = None


Block = Heading | Para | Table


@dataclass
class Site:
    """The chrome of the government website the HTML page was saved from."""

    name: str
    domain: str
    nav: list[str]
    crumbs: list[str]
    published: str
    source: str
    site_code: str
    icp: str


@dataclass
class ReportDoc:
    """One report: what is printed, how its .txt lays out tables, and what a reader must find."""

    name: str
    format: str
    year: int
    agency: str
    title: str
    blocks: list[Block]
    txt_tables: str  # "tabs" | "lines" | "aligned"
    site: Site

    def sections(self) -> list[str]:
        return [b.key for b in self.blocks if isinstance(b, Heading | Para) and b.key]

    def tables(self) -> dict[str, Number | None]:
        out: dict[str, Number | None] = {}
        for block in self.blocks:
            if not isinstance(block, Table):
                continue
            for row in block.rows:
                for cell in row:
                    if cell.key is None:
                        continue
                    if cell.key in out:
                        raise ValueError(f"duplicate cell key {cell.key}")
                    out[cell.key] = cell.value
        return out

    def expected(self) -> dict[str, object]:
        return {
            "format": self.format,
            "year": self.year,
            "agency": self.agency,
            "sections": self.sections(),
            "tables": self.tables(),
        }


# ----------------------------------------------------------------------------------------- cell helpers


def fmt(value: Number | None) -> str:
    """A number as printed ("" for an empty cell)."""
    if value is None:
        return ""
    return str(value)


def val(key: str, value: Number | None, text: str | None = None, colspan: int = 1) -> Cell:
    """A value cell; `text` overrides how it is printed (e.g. "56.3万元")."""
    return Cell(fmt(value) if text is None else text, colspan=colspan, key=key, value=value)


def hdr(text: str, rowspan: int = 1, colspan: int = 1) -> Cell:
    return Cell(text, rowspan=rowspan, colspan=colspan, header=True)


def lab(text: str, rowspan: int = 1, colspan: int = 1) -> Cell:
    return Cell(text, rowspan=rowspan, colspan=colspan)


# --------------------------------------------------------------------------------------------- table 2


def table2_2021(v: dict[str, Number | None], texts: dict[str, str] | None = None) -> Table:
    """Table 2 of the 2021 template; `v` maps cell keys to values (None = printed empty)."""
    texts = texts or {}

    def c(key: str, colspan: int = 1) -> Cell:
        return val(key, v[key], texts.get(key), colspan)

    rows = [
        [hdr("第二十条第（一）项", colspan=4)],
        [hdr("信息内容"), hdr("本年制发件数"), hdr("本年废止件数"), hdr("现行有效件数")],
        [lab("规章"), c("t2.rules.issued"), c("t2.rules.repealed"), c("t2.rules.in_force")],
        [
            lab("行政规范性文件"),
            c("t2.normative_docs.issued"),
            c("t2.normative_docs.repealed"),
            c("t2.normative_docs.in_force"),
        ],
        [hdr("第二十条第（五）项", colspan=4)],
        [hdr("信息内容"), hdr("本年处理决定数量", colspan=3)],
        [lab("行政许可"), c("t2.licensing.decisions", 3)],
        [hdr("第二十条第（六）项", colspan=4)],
        [hdr("信息内容"), hdr("本年处理决定数量", colspan=3)],
        [lab("行政处罚"), c("t2.penalty.decisions", 3)],
        [lab("行政强制"), c("t2.coercion.decisions", 3)],
        [hdr("第二十条第（八）项", colspan=4)],
        [hdr("信息内容"), hdr("本年收费金额（单位：万元）", colspan=3)],
        [lab("行政事业性收费"), c("t2.fees.amount", 3)],
    ]
    return Table(4, rows, [4.6, 4.0, 4.0, 4.0], 10.5)


def table2_2019(v: dict[str, Number], texts: dict[str, str] | None = None) -> Table:
    """Table 2 of the 2019 template."""
    texts = texts or {}

    def c(key: str, colspan: int = 1) -> Cell:
        return val(key, v[key], texts.get(key), colspan)

    def block3(label: str, base: str) -> list[Cell]:
        return [lab(label), c(f"{base}.prev"), c(f"{base}.change"), c(f"{base}.decisions")]

    counts = [hdr("信息内容"), hdr("上一年项目数量"), hdr("本年增/减"), hdr("处理决定数量")]
    rows = [
        [hdr("第二十条第（一）项", colspan=4)],
        [hdr("信息内容"), hdr("本年新制作数量"), hdr("本年新公开数量"), hdr("对外公开总数量")],
        [lab("规章"), c("t2.rules.made"), c("t2.rules.published"), c("t2.rules.total")],
        [
            lab("规范性文件"),
            c("t2.normative_docs.made"),
            c("t2.normative_docs.published"),
            c("t2.normative_docs.total"),
        ],
        [hdr("第二十条第（五）项", colspan=4)],
        list(counts),
        block3("行政许可", "t2.licensing"),
        block3("其他对外管理服务事项", "t2.other_services"),
        [hdr("第二十条第（六）项", colspan=4)],
        [hdr(x.text) for x in counts],
        block3("行政处罚", "t2.penalty"),
        block3("行政强制", "t2.coercion"),
        [hdr("第二十条第（八）项", colspan=4)],
        [hdr("信息内容"), hdr("上一年项目数量"), hdr("本年增/减", colspan=2)],
        [lab("行政事业性收费"), c("t2.fees.prev"), c("t2.fees.change", 2)],
        [hdr("第二十条第（九）项", colspan=4)],
        [hdr("信息内容"), hdr("采购项目数量"), hdr("采购总金额", colspan=2)],
        [lab("政府集中采购"), c("t2.procurement.count"), c("t2.procurement.amount", 2)],
    ]
    return Table(4, rows, [4.6, 4.0, 4.0, 4.0], 10.5)


# --------------------------------------------------------------------------------------------- table 3

T3_COLS = ["natural_person", "commercial", "research", "social_welfare", "legal_service", "other_org"]

DENIED = [
    ("state_secret", "1.属于国家秘密"),
    ("prohibited", "2.其他法律行政法规禁止公开"),
    ("security", "3.危及“三安全一稳定”"),
    ("third_party", "4.保护第三方合法权益"),
    ("internal", "5.属于三类内部事务信息"),
    ("process", "6.属于四类过程性信息"),
    ("enforcement", "7.属于行政执法案卷"),
    ("query", "8.属于行政查询事项"),
]
UNAVAILABLE = [
    ("not_held", "1.本机关不掌握相关政府信息"),
    ("needs_creation", "2.没有现成信息需要另行制作"),
    ("unclear", "3.补正后申请内容仍不明确"),
]
NOT_PROCESSED = [
    ("petition", "1.信访举报投诉类申请"),
    ("duplicate", "2.重复申请"),
    ("publication", "3.要求提供公开出版物"),
    ("excessive", "4.无正当理由大量反复申请"),
    ("reconfirm", "5.要求行政机关确认或重新出具已获取信息"),
]
OTHER_2021 = [
    ("no_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    ("unpaid_fee", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    ("other", "3.其他"),
]


def table3(fmt_id: str, counts: dict[str, dict[str, int]]) -> Table:
    """Table 3 (formats 2019 and 2021) from the non-zero counts per row and applicant column.

    `counts` maps a row key (`new`, `carried_over`, result rows, `carried_forward`) to {column: n};
    missing cells are 0. The `total` row and column are computed, and the table's own arithmetic
    (new + carried_over = total + carried_forward, per column) is checked.
    """
    results = (
        ["granted", "partial"]
        + [f"denied.{k}" for k, _ in DENIED]
        + [f"unavailable.{k}" for k, _ in UNAVAILABLE]
        + [f"not_processed.{k}" for k, _ in NOT_PROCESSED]
    )
    results += [f"other.{k}" for k, _ in OTHER_2021] if fmt_id == "2021" else ["other"]
    unknown = set(counts) - set(results) - {"new", "carried_over", "carried_forward"}
    if unknown:
        raise ValueError(f"unknown table 3 rows: {unknown}")

    def row_values(row: str) -> list[int]:
        if row == "total":
            return [sum(row_values(r)[i] for r in results) for i in range(len(T3_COLS))]
        return [counts.get(row, {}).get(col, 0) for col in T3_COLS]

    for i, col in enumerate(T3_COLS):
        lhs = row_values("new")[i] + row_values("carried_over")[i]
        rhs = row_values("total")[i] + row_values("carried_forward")[i]
        if lhs != rhs:
            raise ValueError(f"table 3 column {col}: {lhs} != {rhs}")

    def values(row: str) -> list[Cell]:
        nums = row_values(row)
        cells = [val(f"t3.{row}.{col}", n) for col, n in zip(T3_COLS, nums, strict=True)]
        return cells + [val(f"t3.{row}.total", sum(nums))]

    n_results = len(results) + 1  # + （七）总计
    rows: list[list[Cell]] = [
        [
            hdr("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", rowspan=3, colspan=3),
            hdr("申请人情况", colspan=7),
        ],
        [hdr("自然人", rowspan=2), hdr("法人或其他组织", colspan=5), hdr("总计", rowspan=2)],
        [hdr("商业企业"), hdr("科研机构"), hdr("社会公益组织"), hdr("法律服务机构"), hdr("其他")],
        [lab("一、本年新收政府信息公开申请数量", colspan=3), *values("new")],
        [lab("二、上年结转政府信息公开申请数量", colspan=3), *values("carried_over")],
        [lab("三、本年度办理结果", rowspan=n_results), lab("（一）予以公开", colspan=2), *values("granted")],
        [lab("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", colspan=2), *values("partial")],
    ]

    def group(label: str, prefix: str, items: list[tuple[str, str]]) -> None:
        for i, (key, text) in enumerate(items):
            head = [lab(label, rowspan=len(items))] if i == 0 else []
            rows.append([*head, lab(text), *values(f"{prefix}.{key}")])

    group("（三）不予公开", "denied", DENIED)
    group("（四）无法提供", "unavailable", UNAVAILABLE)
    group("（五）不予处理", "not_processed", NOT_PROCESSED)
    if fmt_id == "2021":
        group("（六）其他处理", "other", OTHER_2021)
    else:
        rows.append([lab("（六）其他处理", colspan=2), *values("other")])
    rows.append([lab("（七）总计", colspan=2), *values("total")])
    rows.append([lab("四、结转下年度继续办理", colspan=3), *values("carried_forward")])
    return Table(10, rows, [1.0, 1.7, 5.1] + [1.3] * 7, 8.0)


# --------------------------------------------------------------------------------------------- table 4

T4_BLOCKS = ["review", "litigation_direct", "litigation_after_review"]
T4_COLS = [("upheld", "结果维持"), ("corrected", "结果纠正"), ("other", "其他结果"), ("pending", "尚未审结")]


def table4(v: dict[str, tuple[int, int, int, int]]) -> Table:
    """Table 4 from (upheld, corrected, other, pending) per block; totals are computed."""
    values: list[Cell] = []
    for block in T4_BLOCKS:
        nums = v.get(block, (0, 0, 0, 0))
        values += [val(f"t4.{block}.{col}", n) for (col, _), n in zip(T4_COLS, nums, strict=True)]
        values.append(val(f"t4.{block}.total", sum(nums)))
    five = [label for _, label in T4_COLS] + ["总计"]
    rows = [
        [hdr("行政复议", colspan=5), hdr("行政诉讼", colspan=10)],
        [*(hdr(t, rowspan=2) for t in five), hdr("未经复议直接起诉", colspan=5), hdr("复议后起诉", colspan=5)],
        [hdr(t) for t in five + five],
        values,
    ]
    return Table(15, rows, [1.12] * 15, 8.0)


# -------------------------------------------------------------------------------------- pre-2019 统计表

NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+[.．、])\s*")


def stat_table(rows: list[tuple[int, str, str, Number | None]]) -> Table:
    """The pre-2019 统计表 from (indent level, label as printed, unit, value) rows.

    Each row's key is `stat.<label>` with numbering and a leading 其中： stripped; a label that occurs
    more than once becomes `stat.<parent label>/<label>` (the parent is the nearest row above with a
    smaller indent level).
    """

    def clean(label: str) -> str:
        return NUMBERING.sub("", label.strip()).removeprefix("其中：").strip()

    labels = [clean(label) for _, label, _, _ in rows]
    keys: list[str] = []
    for i, (level, _, _, _) in enumerate(rows):
        name = labels[i]
        if labels.count(name) > 1:
            parent = next(labels[j] for j in range(i - 1, -1, -1) if rows[j][0] < level)
            name = f"{parent}/{name}"
        keys.append(f"stat.{name}")
    if len(set(keys)) != len(keys):
        raise ValueError("duplicate stat keys")
    table_rows = [[hdr("统\u3000计\u3000指\u3000标"), hdr("单位"), hdr("统计数")]]
    for key, (level, label, unit, value) in zip(keys, rows, strict=True):
        table_rows.append([lab(INDENT * level + label), lab(unit), val(key, value)])
    return Table(3, table_rows, [11.5, 2.0, 3.0], 10.0)


# ------------------------------------------------------------------------------------------- contents


def report_2021() -> ReportDoc:
    """青溪区人民政府, 2024, format 2021."""
    agency = "青溪区人民政府"
    t2 = table2_2021(
        {
            "t2.rules.issued": 0,
            "t2.rules.repealed": None,
            "t2.rules.in_force": 0,
            "t2.normative_docs.issued": 5,
            "t2.normative_docs.repealed": 2,
            "t2.normative_docs.in_force": 37,
            "t2.licensing.decisions": 3862,
            "t2.penalty.decisions": 1275,
            "t2.coercion.decisions": 46,
            "t2.fees.amount": 213.56,
        }
    )
    t3 = table3(
        "2021",
        {
            "new": {"natural_person": 52, "commercial": 9, "social_welfare": 1, "legal_service": 3},
            "carried_over": {"natural_person": 4, "commercial": 1},
            "granted": {"natural_person": 20, "commercial": 4, "social_welfare": 1, "legal_service": 1},
            "partial": {"natural_person": 6, "commercial": 2, "legal_service": 1},
            "denied.prohibited": {"natural_person": 1},
            "denied.third_party": {"natural_person": 2, "commercial": 1},
            "denied.internal": {"natural_person": 1},
            "denied.process": {"natural_person": 2},
            "denied.enforcement": {"natural_person": 1},
            "denied.query": {"natural_person": 3},
            "unavailable.not_held": {"natural_person": 9, "commercial": 1},
            "unavailable.needs_creation": {"natural_person": 2},
            "unavailable.unclear": {"natural_person": 1},
            "not_processed.petition": {"natural_person": 2},
            "not_processed.duplicate": {"natural_person": 1},
            "not_processed.reconfirm": {"natural_person": 1},
            "other.no_correction": {"natural_person": 1, "legal_service": 1},
            "other.other": {"commercial": 1},
            "carried_forward": {"natural_person": 3, "commercial": 1},
        },
    )
    t4 = table4({"review": (2, 1, 0, 1), "litigation_direct": (1, 0, 0, 1), "litigation_after_review": (0, 0, 0, 1)})
    blocks: list[Block] = [
        Para(f"{agency}2024年政府信息公开工作年度报告", "center", True),
        Para(
            "本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和《国务院办公厅政府信"
            "息与政务公开办公室关于印发〈中华人民共和国政府信息公开工作年度报告格式〉的通知》（国办"
            "公开办函〔2021〕30号）要求，由青溪区人民政府办公室编制。本报告所列数据的统计期限自2024"
            "年1月1日起至2024年12月31日止。本报告电子版可在青溪区人民政府门户网站“政府信息公开年报”"
            "栏目查阅或下载。如对本报告有疑问，请与青溪区人民政府办公室联系（地址：青溪区府前路18号"
            "；邮编：675100；电话：0871-65123456）。"
        ),
        Heading("一、总体情况", 1, "overview"),
        Para(
            "2024年，青溪区人民政府坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻落实党中央"
            "、国务院和省、市关于政务公开工作的决策部署，以公开促落实、强监管、优服务，持续提升政务"
            "公开质量和实效。"
        ),
        Heading("（一）主动公开", 2),
        Para(
            "全年通过区政府门户网站主动公开政府信息 3214 条，其中政策文件 186 条、政策解读 72 篇（图"
            "文解读 41 篇、视频解读 9 个），发布政务动态 1458 条。动态更新行政规范性文件库，本年制发"
            "行政规范性文件 5 件，废止 2 件，现行有效 37 件，均在门户网站集中公开。围绕稳就业、惠民"
            "生、优化营商环境等重点领域，公开财政预决算、重大建设项目、公共资源配置等信息 962 条。"
        ),
        Heading("（二）依申请公开", 2),
        Para(
            "全年新收政府信息公开申请 65 件，上年结转 5 件；已办结 66 件，结转下年度继续办理 4 件。"
            "办结的申请中，予以公开 26 件，部分公开 9 件，不予公开 11 件，无法提供 13 件，不予处理 4"
            " 件，其他处理 3 件。全年因政府信息公开引发行政复议 4 件、行政诉讼 3 件。"
        ),
        Heading("（三）政府信息管理", 2),
        Para(
            "严格落实公开前保密审查和“三审三校”制度，全年审查拟公开信息 3300 余条。开展政府信息公开"
            "属性源头认定，对以往公开的信息进行梳理，撤回或调整过时信息 57 条，确保公开内容准确、规"
            "范。"
        ),
        Heading("（四）平台建设", 2),
        Para(
            "优化区政府门户网站政府信息公开专栏，新增“惠企政策直达”等专题 3 个；加强政务新媒体管理，"
            "现有政务新媒体账号 12 个，全年发布信息 2100 余条。区政务服务中心设置政府信息公开查阅点 "
            "1 个，接待查阅群众 146 人次。"
        ),
        Heading("（五）监督保障", 2),
        Para(
            "将政务公开工作纳入全区年度绩效考核，全年开展政务公开专题培训 3 次，培训 210 人次；开展"
            "网站和政务新媒体季度检查 4 次，通报问题 21 个，均已整改到位。本年度未发生政务公开责任追"
            "究情况。"
        ),
        Heading("二、主动公开政府信息情况", 1, "active_disclosure"),
        t2,
        Heading("三、收到和处理政府信息公开申请情况", 1, "requests"),
        t3,
        Heading("四、政府信息公开行政复议、行政诉讼情况", 1, "review_litigation"),
        t4,
        Heading("五、存在的主要问题及改进情况", 1, "problems_improvements"),
        Para(
            "2024年，我区政府信息公开工作取得一定成效，但仍存在一些不足：一是部分单位政策解读形式较"
            "为单一，图解、视频等解读方式运用不够；二是基层政务公开标准化规范化建设还需深化，个别乡"
            "镇（街道）栏目更新不够及时。"
        ),
        Para(
            "下一步，我区将从以下方面加以改进：一是丰富解读形式，推行政策文件与解读材料同步起草、同"
            "步审签、同步发布；二是加强对乡镇（街道）政务公开工作的指导和检查，按月通报栏目更新情况"
            "，提升基层公开质量。"
        ),
        Heading("六、其他需要报告的事项", 1, "other_matters"),
        Para(
            "2024年，我区未收取政府信息公开信息处理费。全年办理人大代表建议 48 件、政协委员提案 63 "
            "件，办理结果均已按规定公开。"
        ),
    ]
    site = Site(
        "云岭市青溪区人民政府",
        "www.qingxi.yunling.gov.cn",
        ["首页", "走进青溪", "新闻动态", "政务公开", "政务服务", "互动交流", "专题专栏"],
        ["首页", "政务公开", "政府信息公开", "政府信息公开年报"],
        "2025-01-20 09:30",
        "青溪区人民政府办公室",
        "5301020003",
        "滇ICP备12008765号-1",
    )
    return ReportDoc("r2021", "2021", 2024, agency, f"{agency}2024年政府信息公开工作年度报告", blocks, "tabs", site)


def report_2019() -> ReportDoc:
    """望川县交通运输局, 2020, format 2019."""
    agency = "望川县交通运输局"
    t2 = table2_2019(
        {
            "t2.rules.made": 0,
            "t2.rules.published": 0,
            "t2.rules.total": 0,
            "t2.normative_docs.made": 3,
            "t2.normative_docs.published": 3,
            "t2.normative_docs.total": 21,
            "t2.licensing.prev": 18,
            "t2.licensing.change": 2,
            "t2.licensing.decisions": 1536,
            "t2.other_services.prev": 6,
            "t2.other_services.change": 0,
            "t2.other_services.decisions": 412,
            "t2.penalty.prev": 42,
            "t2.penalty.change": -1,
            "t2.penalty.decisions": 318,
            "t2.coercion.prev": 5,
            "t2.coercion.change": 0,
            "t2.coercion.decisions": 27,
            "t2.fees.prev": 2,
            "t2.fees.change": 0,
            "t2.procurement.count": 4,
            "t2.procurement.amount": 56.3,
        },
        {"t2.procurement.amount": "56.3万元"},
    )
    t3 = table3(
        "2019",
        {
            "new": {"natural_person": 11, "commercial": 2, "legal_service": 1},
            "carried_over": {"natural_person": 1},
            "granted": {"natural_person": 5, "commercial": 1},
            "partial": {"natural_person": 1, "legal_service": 1},
            "denied.third_party": {"natural_person": 1},
            "unavailable.not_held": {"natural_person": 3},
            "unavailable.needs_creation": {"commercial": 1},
            "not_processed.petition": {"natural_person": 1},
            "other": {"natural_person": 1},
        },
    )
    t4 = table4({"review": (1, 0, 0, 0)})
    blocks: list[Block] = [
        Para(f"{agency}2020年政府信息公开工作年度报告", "center", True),
        Para(
            "本报告是根据《中华人民共和国政府信息公开条例》（以下简称《条例》）要求，由望川县交通运"
            "输局编制。全文由总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信"
            "息公开行政复议和行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项六部分组成。"
            "本报告中所列数据的统计期限自2020年1月1日起至2020年12月31日止。如对本报告有疑问，请与望"
            "川县交通运输局办公室联系（地址：望川县滨河路66号，邮编：543200，电话：0774-3861024）。"
        ),
        Heading("一、总体情况", 1, "overview"),
        Para(
            "2020年，望川县交通运输局认真贯彻落实《条例》和省、市、县关于政务公开工作的部署要求，紧"
            "紧围绕交通运输中心工作，坚持“以公开为常态、不公开为例外”，不断拓宽公开渠道，规范公开程"
            "序，政府信息公开工作有序开展。"
        ),
        Para(
            "（一）主动公开情况。全年在县政府门户网站“部门信息公开”栏目主动公开信息 286 条，制发并公"
            "开规范性文件 3 件；公开行政许可、行政处罚“双公示”信息 1854 条，及时发布农村公路建设、道"
            "路运输管理、疫情防控交通保障等信息。"
        ),
        Para(
            "（二）依申请公开情况。全年收到政府信息公开申请 14 件，上年结转 1 件，均已在法定期限内答"
            "复办结。其中予以公开 6 件，部分公开 2 件，不予公开 1 件，无法提供 4 件，不予处理 1 件，"
            "其他处理 1 件。"
        ),
        Para("（三）政府信息管理情况。落实信息发布“先审后发”制度，严格保密审查，全年未发生泄密和不当公开事件。"),
        Para(
            "（四）平台建设情况。依托县政府门户网站部门专栏和“望川交通”微信公众号发布信息，全年微信"
            "公众号推送信息 135 条。"
        ),
        Para("（五）监督保障情况。成立由局长任组长的政务公开工作领导小组，明确办公室具体负责，全年组织业务培训 2 次。"),
        Heading("二、主动公开政府信息情况", 1, "active_disclosure"),
        t2,
        Heading("三、收到和处理政府信息公开申请情况", 1, "requests"),
        t3,
        Heading("四、政府信息公开行政复议、行政诉讼情况", 1, "review_litigation"),
        t4,
        Heading("五、存在的主要问题及改进情况", 1, "problems_improvements"),
        Para("一是公开内容不够全面，部分业务科室信息报送不及时；二是政策解读形式单一，解读质量有待提高。"),
        Para(
            "改进措施：一是健全信息报送机制，明确各科室信息公开责任人；二是丰富解读形式，运用图解、"
            "问答等方式提升解读效果。"
        ),
        Heading("六、其他需要报告的事项", 1, "other_matters"),
        Para("2020年，本局未收取政府信息公开信息处理费，无其他需要报告的事项。"),
    ]
    site = Site(
        "望川县人民政府",
        "www.wangchuan.gov.cn",
        ["网站首页", "政务公开", "部门信息公开", "办事服务", "政民互动", "望川概况"],
        ["首页", "部门信息公开", "望川县交通运输局", "政府信息公开年报"],
        "2021-01-25 16:02",
        "望川县交通运输局",
        "4507220011",
        "桂ICP备05004321号",
    )
    return ReportDoc("r2019", "2019", 2020, agency, f"{agency}2020年政府信息公开工作年度报告", blocks, "lines", site)


def report_pre2019() -> ReportDoc:
    """梧桐市林业局, 2017, free headings plus a 统计表."""
    agency = "梧桐市林业局"
    stat = stat_table(
        [
            (0, "一、主动公开情况", "", None),
            (1, "（一）主动公开政府信息数（不同渠道和方式公开相同信息计1条）", "条", 412),
            (2, "其中：主动公开规范性文件数", "条", 6),
            (2, "\u3000\u3000\u3000制发规范性文件总数", "件", 6),
            (1, "（二）通过不同渠道和方式公开政府信息的情况", "", None),
            (2, "1.政府公报公开政府信息数", "条", None),
            (2, "2.政府网站公开政府信息数", "条", 385),
            (2, "3.政务微博公开政府信息数", "条", None),
            (2, "4.政务微信公开政府信息数", "条", 96),
            (0, "二、依申请公开情况", "", None),
            (1, "（一）收到申请数", "件", 14),
            (2, "1.当面申请数", "件", 5),
            (2, "2.网络申请数", "件", 7),
            (2, "3.信函申请数", "件", 2),
            (1, "（二）申请答复数", "件", 14),
            (2, "1.属于已主动公开范围数", "件", 3),
            (2, "2.同意公开答复数", "件", 6),
            (2, "3.同意部分公开答复数", "件", 1),
            (2, "4.不同意公开答复数", "件", 1),
            (3, "其中：涉及国家秘密", "件", None),
            (3, "\u3000\u3000\u3000涉及个人隐私", "件", 1),
            (2, "5.申请信息不存在数", "件", 3),
            (0, "三、行政复议数量", "件", 1),
            (1, "（一）维持具体行政行为数", "件", 1),
            (1, "（二）被依法纠错数", "件", 0),
            (1, "（三）其他情形数", "件", None),
            (0, "四、行政诉讼数量", "件", 0),
            (1, "（一）维持具体行政行为数", "件", 0),
            (1, "（二）被依法纠错数", "件", 0),
            (1, "（三）其他情形数", "件", 0),
            (0, "五、依申请公开信息收取的费用", "万元", 0),
            (0, "六、机构建设和保障经费情况", "", None),
            (1, "（一）从事政府信息公开工作人员数", "人", 3),
            (2, "1.专职人员数（不包括政府公报及政府网站工作人员数）", "人", 1),
            (2, "2.兼职人员数", "人", 2),
            (1, "（二）政府信息公开专项经费（不包括用于政府公报编辑管理及政府网站建设维护等方面的经费）", "万元", 2.5),
        ]
    )
    blocks: list[Block] = [
        Para(f"{agency}2017年度政府信息公开工作年度报告", "center", True),
        Para(
            "根据《中华人民共和国政府信息公开条例》（以下简称《条例》）规定，现公布梧桐市林业局2017"
            "年度政府信息公开工作年度报告。本报告由概述，主动公开政府信息情况，依申请公开政府信息情"
            "况，政府信息公开的收费及减免情况，因政府信息公开申请提起行政复议、行政诉讼的情况，存在"
            "的主要问题及改进措施，其他需要报告的事项等七部分组成。本报告中所列数据的统计期限自2017"
            "年1月1日起至2017年12月31日止。"
        ),
        Heading("一、概述", 1, "overview"),
        Para(
            "2017年，市林业局认真贯彻落实《条例》和省、市关于政务公开工作的各项要求，成立了由局长任"
            "组长、分管副局长任副组长的政府信息公开工作领导小组，办公室具体承担日常工作，配备专职人"
            "员 1 名、兼职人员 2 名，全年安排政府信息公开专项经费 2.5 万元，政府信息公开工作有序推进"
            "。"
        ),
        Heading("二、主动公开政府信息情况", 1, "active_disclosure"),
        Para(
            "2017年，我局共主动公开政府信息 412 条，其中通过市政府门户网站公开 385 条，通过“梧桐林业"
            "”微信公众号公开 96 条；制发并公开规范性文件 6 件。公开内容主要包括机构职能、政策法规、"
            "森林防火、林木采伐许可、造林绿化项目和财政预决算等信息。"
        ),
        Heading("三、依申请公开政府信息情况", 1, "requests"),
        Para(
            "全年共收到政府信息公开申请 14 件，其中当面申请 5 件、网络申请 7 件、信函申请 2 件，均已"
            "按期办结。答复情况为：属于已主动公开范围 3 件，同意公开 6 件，同意部分公开 1 件，不同意"
            "公开 1 件（涉及个人隐私），申请信息不存在 3 件。"
        ),
        Heading("四、政府信息公开的收费及减免情况", 1, "fees"),
        Para("2017年，我局在政府信息公开工作中未收取任何费用，也未发生减免费用情况。"),
        Heading("五、因政府信息公开申请提起行政复议、行政诉讼的情况", 1, "review_litigation"),
        Para(
            "2017年，因政府信息公开申请提起行政复议 1 件，经复议维持原具体行政行为；未发生因政府信息"
            "公开申请提起行政诉讼的情况。"
        ),
        Heading("六、存在的主要问题及改进措施", 1, "problems_improvements"),
        Para(
            "一是信息公开的及时性有待加强，部分业务信息更新滞后；二是依申请公开答复的规范化程度还需"
            "提高。2018年，我局将进一步健全信息公开工作制度，加强业务培训，规范依申请公开办理流程，"
            "不断提高政府信息公开工作水平。"
        ),
        Heading("七、其他需要报告的事项", 1, "other_matters"),
        Para("无。"),
        Para("附件：梧桐市林业局2017年度政府信息公开工作情况统计表"),
        Para(agency, "right"),
        Para("2018年3月15日", "right"),
        Para("政府信息公开工作情况统计表", "center", True, "other:政府信息公开工作情况统计表"),
        Para("（2017年度）", "center"),
        Para(f"单位名称：{agency}"),
        stat,
        Para("（注：各子栏目数总数要等于总栏目数量）"),
        Para("单位负责人：周建林　　　审核人：陈晓梅　　　填报人：刘洋"),
    ]
    site = Site(
        "梧桐市人民政府",
        "www.wutong.gov.cn",
        ["首页", "梧桐概况", "政务公开", "网上办事", "公众参与", "信息公开目录"],
        ["首页", "信息公开", "市林业局", "年度报告"],
        "2018-03-16",
        "梧桐市林业局",
        "3709000025",
        "鲁ICP备08001234号",
    )
    return ReportDoc(
        "pre2019", "pre2019", 2017, agency, f"{agency}2017年度政府信息公开工作年度报告", blocks, "aligned", site
    )


REPORTS = [report_2021, report_2019, report_pre2019]


# ---------------------------------------------------------------------------------------------- .txt


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def table_txt(table: Table, style: str) -> list[str]:
    """A table as text lines: `tabs` (browser copy: anchors joined by tabs), `lines` (one cell a
    paragraph, like a crawled page) or `aligned` (columns padded with 2+ spaces, like pdfplumber)."""
    anchors = table.anchors()
    if style == "tabs":
        return ["\t".join(cell.text for _, cell in row) for row in anchors]
    if style == "lines":
        return [line for row in anchors for cell in (c for _, c in row) for line in (cell.text, "")]
    if style == "aligned":
        widths = [0] * table.ncols
        for row in anchors:
            for c, cell in row:
                if cell.colspan == 1:
                    widths[c] = max(widths[c], display_width(cell.text))
        out = []
        for row in anchors:
            line = ""
            for c, cell in row:
                start = sum(widths[:c]) + 2 * c
                pad = start - display_width(line)
                line += " " * max(pad, 2 if line else 0) + cell.text
            out.append(line.rstrip())
        return out
    raise ValueError(style)


def render_txt(rep: ReportDoc) -> bytes:
    """Plain UTF-8 text, a blank line between paragraphs."""
    lines: list[str] = []
    for block in rep.blocks:
        if isinstance(block, Table):
            lines += table_txt(block, rep.txt_tables)
            if rep.txt_tables != "lines":
                lines.append("")
        else:
            lines += [block.text, ""]
    return ("\n".join(lines).rstrip() + "\n").encode("utf-8")


# ----------------------------------------------------------------------------------------------- .md


def render_md(rep: ReportDoc) -> bytes:
    """Markdown with pipe tables; positions covered by a merged cell are left blank."""
    out: list[str] = []
    for i, block in enumerate(rep.blocks):
        if isinstance(block, Table):
            for r, line in enumerate(block.grid()):
                cells = [cell.text if anchor else "" for cell, anchor in line]
                out.append("| " + " | ".join(cells) + " |")
                if r == 0:
                    out.append("|" + "---|" * block.ncols)
            out.append("")
        elif isinstance(block, Heading):
            out += [("## " if block.level == 1 else "### ") + block.text, ""]
        elif i == 0:
            out += ["# " + block.text, ""]
        elif block.bold:
            out += [f"**{block.text}**", ""]
        else:
            out += [block.text, ""]
    return ("\n".join(out).rstrip() + "\n").encode("utf-8")


# --------------------------------------------------------------------------------------------- .html


def table_html(table: Table) -> str:
    """A <table> with real rowspan/colspan; an empty value cell is `&nbsp;` as Word's HTML has it."""
    parts = [
        '<table class="MsoTableGrid" border="1" cellspacing="0" cellpadding="0" '
        'style="border-collapse:collapse;width:100%">',
        "<tbody>",
    ]
    for row in table.rows:
        parts.append("<tr>")
        for cell in row:
            attrs = ""
            if cell.rowspan > 1:
                attrs += f' rowspan="{cell.rowspan}"'
            if cell.colspan > 1:
                attrs += f' colspan="{cell.colspan}"'
            style = ' style="text-align:center"' if cell.header or cell.key else ""
            text = html.escape(cell.text).replace("\u3000", "&#12288;") if cell.text else "&nbsp;"
            parts.append(f"<td{attrs}{style}><p>{text}</p></td>")
        parts.append("</tr>")
    parts += ["</tbody>", "</table>"]
    return "\n".join(parts)


def render_html(rep: ReportDoc) -> bytes:
    """A page as saved from the agency's website, encoded GB18030 and declared gb2312."""
    s = rep.site
    esc = html.escape
    body: list[str] = []
    for i, block in enumerate(rep.blocks):
        if i == 0:
            continue  # the title is the page's <h1>
        if isinstance(block, Table):
            body.append(table_html(block))
        elif isinstance(block, Heading):
            body.append(f'<p style="text-indent:2em"><strong>{esc(block.text)}</strong></p>')
        else:
            align = {"center": "center", "right": "right"}.get(block.align, "justify")
            indent = "text-indent:2em;" if block.align == "justify" else ""
            text = f"<strong>{esc(block.text)}</strong>" if block.bold else esc(block.text)
            body.append(f'<p style="{indent}text-align:{align}">{text}</p>')
    nav = "\n".join(f'<li><a href="/{n}/">{esc(name)}</a></li>' for n, name in enumerate(s.nav))
    crumbs = " &gt; ".join(f'<a href="/c{n}/">{esc(c)}</a>' for n, c in enumerate(s.crumbs))
    page = f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" \
"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html>
<head>
<meta charset="gb2312">
<meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>{esc(rep.title)}_{esc(s.name)}</title>
<meta name="SiteName" content="{esc(s.name)}">
<meta name="ArticleTitle" content="{esc(rep.title)}">
<link rel="stylesheet" href="/css/style.css">
<script type="text/javascript">var _siteCode = "{s.site_code}"; document.title = document.title;</script>
</head>
<body>
<div class="top"><div class="logo"><img src="/images/logo.png" alt="{esc(s.name)}"></div>
<div class="search"><input type="text" value="请输入关键字"><button>搜索</button></div></div>
<div class="nav"><ul>
{nav}
</ul></div>
<div class="location">当前位置：{crumbs}</div>
<div class="article">
<h1 class="title">{esc(rep.title)}</h1>
<div class="info">发布时间：{esc(s.published)}&nbsp;&nbsp;来源：{esc(s.source)}&nbsp;&nbsp;\
浏览次数：<span id="hits"></span>&nbsp;&nbsp;\
字号：[<a href="#">大</a> <a href="#">中</a> <a href="#">小</a>]</div>
<div class="content" id="zoom">
{chr(10).join(body)}
</div>
<div class="tools"><a href="javascript:window.print()">【打印本页】</a>
<a href="javascript:window.close()">【关闭窗口】</a></div>
</div>
<div class="footer">
<p><a href="/about/">关于我们</a> | <a href="/map/">网站地图</a> | <a href="/contact/">联系我们</a></p>
<p>主办单位：{esc(s.name)}办公室&nbsp;&nbsp;承办单位：{esc(s.name)}大数据中心</p>
<p>网站标识码：{s.site_code}&nbsp;&nbsp;<a href="https://beian.miit.gov.cn/">{esc(s.icp)}</a></p>
<p>建议使用1366×768分辨率浏览本网站</p>
</div>
</body>
</html>
"""
    return page.encode("gb18030")


# --------------------------------------------------------------------------------------------- .docx


def set_run_font(run: object, size: float | None = None, bold: bool = False) -> None:
    """Give a run the CJK font (East Asian slot too) so LibreOffice embeds a font with a text layer."""
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.name = CJK_FONT  # type: ignore[attr-defined]
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), CJK_FONT)  # type: ignore[attr-defined]
    if size:
        run.font.size = Pt(size)  # type: ignore[attr-defined]
    run.font.bold = bold  # type: ignore[attr-defined]


def render_docx(rep: ReportDoc) -> bytes:
    """A Word file: headings as bold paragraphs, tables as real Word tables with merged cells."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    doc = Document()
    doc.core_properties.author = rep.agency
    doc.core_properties.title = rep.title
    fixed = dt.datetime(rep.year + 1, 1, 20, 9, 0, 0)
    doc.core_properties.created = fixed
    doc.core_properties.modified = fixed
    doc.core_properties.last_modified_by = rep.agency
    normal = doc.styles["Normal"]
    normal.font.name = CJK_FONT
    normal.font.size = Pt(12)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), CJK_FONT)
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Cm(21.0), Cm(29.7)
    sec.left_margin = sec.right_margin = Cm(2.0)
    sec.top_margin = sec.bottom_margin = Cm(2.2)
    align = {
        "center": WD_ALIGN_PARAGRAPH.CENTER,
        "right": WD_ALIGN_PARAGRAPH.RIGHT,
        "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
    }

    for i, block in enumerate(rep.blocks):
        if isinstance(block, Table):
            add_docx_table(doc, block)
            doc.add_paragraph()
            continue
        p = doc.add_paragraph()
        if isinstance(block, Heading):
            p.paragraph_format.first_line_indent = Cm(0.85)
            set_run_font(p.add_run(block.text), 12, bold=True)
            continue
        p.alignment = align[block.align]
        if block.align == "justify":
            p.paragraph_format.first_line_indent = Cm(0.85)
        set_run_font(p.add_run(block.text), 18 if i == 0 else 12, bold=block.bold)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def add_docx_table(doc: object, table: Table) -> None:
    """Add `table` to `doc`: fill each anchor cell, then merge it over its span."""
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    grid = table.grid()
    t = doc.add_table(rows=len(grid), cols=table.ncols)  # type: ignore[attr-defined]
    t.style = "Table Grid"
    t.autofit = False
    for c, width in enumerate(table.widths_cm):
        t.columns[c].width = Cm(width)
        for r in range(len(grid)):
            t.cell(r, c).width = Cm(width)
    for r, row in enumerate(table.anchors()):
        for c, cell in row:
            wcell = t.cell(r, c)
            if cell.rowspan > 1 or cell.colspan > 1:
                wcell = wcell.merge(t.cell(r + cell.rowspan - 1, c + cell.colspan - 1))
            wcell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            p = wcell.paragraphs[0]
            if cell.header or cell.key or cell.rowspan > 1:
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            if cell.text:
                set_run_font(p.add_run(cell.text), table.font_pt)


# ---------------------------------------------------------------------------------------------- .pdf


def docx_to_pdf(docx_path: Path, out_dir: Path) -> Path:
    """Convert with LibreOffice headless, using a throwaway profile."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        raise SystemExit(
            "soffice not found: apt-get install -y libreoffice-writer-nogui fonts-noto-cjk (or pass --no-pdf)"
        )
    with tempfile.TemporaryDirectory() as tmp:
        profile = Path(tmp, "profile").as_uri()
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation={profile}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                tmp,
                str(docx_path),
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )
        made = Path(tmp, docx_path.with_suffix(".pdf").name)
        target = out_dir / made.name
        shutil.copyfile(made, target)
    return target


def check_pdf(path: Path, rep: ReportDoc) -> None:
    """Fail unless the PDF has a CJK text layer (title and a table label extract as text)."""
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
    flat = re.sub(r"\s+", "", text)
    if "(cid:" in text or re.sub(r"\s+", "", rep.title) not in flat:
        raise SystemExit(f"{path.name}: no usable CJK text layer")


# ---------------------------------------------------------------------------------------------- main


def render_text_media(rep: ReportDoc) -> dict[str, bytes]:
    """The media that need no external tool, by file suffix (deterministic bytes)."""
    expected = json.dumps(rep.expected(), ensure_ascii=False, indent=1) + "\n"
    return {
        ".txt": render_txt(rep),
        ".md": render_md(rep),
        ".html": render_html(rep),
        ".expected.json": expected.encode("utf-8"),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT_DIR)
    parser.add_argument("--no-pdf", action="store_true", help="do not run LibreOffice")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for make in REPORTS:
        rep = make()
        files = render_text_media(rep)
        files[".docx"] = render_docx(rep)
        for suffix, data in files.items():
            (args.out / f"{rep.name}{suffix}").write_bytes(data)
        if not args.no_pdf:
            pdf = docx_to_pdf(args.out / f"{rep.name}.docx", args.out)
            check_pdf(pdf, rep)
        print(f"{rep.name}: {len(rep.tables())} cells, sections {rep.sections()}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
