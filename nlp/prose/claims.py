"""Numeric claims in the prose: the number, its unit, what it counts and the words that qualify it.

A blank Chinese spaCy pipeline segments with jieba; two custom components do the rest:
`gongkai_join_thousands` joins a number jieba cut at its thousands separators (1,385), `gongkai_split_numerals`
cuts tokens jieba glues together (三场, 余条, 万条, 条扣), and
`gongkai_quantities` matches number + unit with a Matcher (patterns and unit lists in quantities.json).
Metric and qualifier come from the words of the number's own clause (metrics.json). Dates, document
numbers, article numbers, phone numbers and ordinals never match: their "units" (年, 号, 条 after 第, -) are
not units here.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import cache
from importlib import resources
from typing import Any

import spacy
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span

from nlp.document import Claim, Report
from nlp.prose.segmenter import configure
from nlp.tables.schema import TABLE_SECTIONS

_Q = json.loads(resources.files(__package__).joinpath("quantities.json").read_text(encoding="utf-8"))
_M = json.loads(resources.files(__package__).joinpath("metrics.json").read_text(encoding="utf-8"))
UNITS: list[str] = _Q["units"]
CN_DIGITS = "零〇一二两三四五六七八九十百千万亿"
ARABIC = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"  # 1,385 with its thousands separators, or 1385
THOUSANDS = re.compile(r"(?<![\d,.])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d,])")
NUMBER = rf"(?:{ARABIC}|[{CN_DIGITS}]+)"
UNIT_ALT = "|".join(sorted((re.escape(u) for u in UNITS), key=len, reverse=True))
# A token jieba glued: 三场, 一千二百余条, 余条, 万条, 余万人次, or a unit stuck to the next word (条扣).
GLUED = re.compile(
    rf"^(?P<num>[{CN_DIGITS}]+)?(?P<pre>[余多])?(?P<mult>[万亿])?(?P<approx>[余多])?"
    rf"(?P<unit>{UNIT_ALT})(?P<rest>.*)$"
)
CLAUSE_END = re.compile(r"[，,。；;：:（(）)、！？]")  # not a line break: PDF text breaks lines mid-word
PARAGRAPH_END = re.compile(r"\n\s*\n")
SENTENCE_BREAK = re.compile(r"[。！？]|\n\s*\n")
MAY_COUNT = re.compile(rf"\d|百分之|[{CN_DIGITS}][万亿余多]?\s*(?:{UNIT_ALT}|成)")
QUALIFIERS = [(name, re.compile(pattern), where) for name, pattern, where in _Q["qualifiers"]]
STAT_CELLS = {
    metric: (re.compile(label), re.compile(words) if words else None)
    for metric, (label, words) in _M["stat_cells"].items()
}
METRIC_UNITS = {name: units for name, units in _M["metric_units"].items() if not name.startswith("_")}
TOPICS = [(name, re.compile(pattern)) for name, pattern in _M["topics"]]
METRICS = [
    (name, re.compile(f"(?:{pattern})[^，。；\\d]{{0,6}}$"), cells, scope)
    for name, pattern, cells, scope in _M["metrics"]
]
METRICS_AFTER = [
    (name, re.compile(f"^\\s*(?:{pattern})"), cells, scope) for name, pattern, cells, scope in _M["metrics"]
]
SUB_HEADING = re.compile(r"(?:^|\n)\s*[（(]?[一二三四五六七八九十\d]{1,3}[)）、.．][^\n。，,]{0,30}$")
COUNT_UNITS = {"件", "条", "个", "次", "人次", "项", "份"}  # what a 统计表 row counts in (不予公开三类 is not a count)
CONTEXT = 24  # characters of a clause kept before the number in a quote


@Language.component("gongkai_join_thousands")
def join_thousands(doc: Doc) -> Doc:
    """1 , 385 → 1,385: jieba cuts a number at its thousands separators, and 385 alone would be a wrong figure."""
    with doc.retokenize() as retokenizer:
        for match in THOUSANDS.finditer(doc.text):
            span = doc.char_span(match.start(), match.end())
            if span is not None and len(span) > 1:
                retokenizer.merge(span)
    return doc


@Language.component("gongkai_split_numerals")
def split_numerals(doc: Doc) -> Doc:
    """三场 → 三 场, 余条 → 余 条, 条扣 → 条 扣 (after a number): the Matcher needs number and unit apart."""
    with doc.retokenize() as retokenizer:
        for token in doc:
            match = GLUED.match(token.text)
            if not match or len(token.text) == 1 or token.text.startswith("第"):
                continue
            after_number = token.i and (
                re.fullmatch(NUMBER, doc[token.i - 1].text) or doc[token.i - 1].text in _Q["approx_suffix"]
            )  # 1200 余 万人次
            if (match.group("rest") or not match.group("num")) and not after_number:
                continue
            pieces = [p for p in match.groups() if p]
            if len(pieces) > 1:
                retokenizer.split(token, pieces, heads=[(token, 0)] * len(pieces))
    return doc


@cache
def quantity_matcher(vocab: Any) -> Matcher:
    number = {"TEXT": {"REGEX": f"^{NUMBER}$"}}
    space = {"IS_SPACE": True, "OP": "?"}
    matcher = Matcher(vocab)
    matcher.add(
        "QUANTITY",
        [
            [
                number,
                space,
                {"TEXT": {"IN": _Q["multipliers"]}, "OP": "?"},
                {"TEXT": {"IN": _Q["approx_suffix"]}, "OP": "?"},
                space,
                {"TEXT": {"IN": UNITS}},
            ],
            [
                number,
                space,
                {"TEXT": {"IN": _Q["approx_suffix"]}},
                {"TEXT": {"IN": _Q["multipliers"]}},
                {"TEXT": {"IN": UNITS}},
            ],  # 1200余万人次
            [{"TEXT": {"REGEX": "^[一二三四五六七八九]成$"}}],  # 占五成以上: tenths
            [{"TEXT": {"REGEX": f"^{ARABIC}%$"}}],
            [number, space, {"TEXT": {"IN": ["%", "％"]}}],
            [{"TEXT": {"REGEX": "^百分之[零一二两三四五六七八九十百点]+$"}}],
            [number, space, {"TEXT": "个"}, {"TEXT": "百分点"}],
        ],
        greedy="LONGEST",
    )
    # A figure printed without a unit, where nothing else can follow: 累计阅读人数近24.5万， / 主动公开信息数130，
    # (the punctuation, and the label ending in 数, only bound the match; the quantity is the number).
    punct = {"TEXT": {"IN": ["，", ",", "。", "；", ";", "、"]}}
    matcher.add("BARE_MULTIPLIED", [[number, space, {"TEXT": {"IN": ["万", "亿"]}}, punct]])
    matcher.add("BARE_COUNT", [[{"TEXT": {"REGEX": "数$"}}, number, punct]])
    return matcher


BARE = {"BARE_MULTIPLIED": (0, 1), "BARE_COUNT": (1, 1)}  # tokens to drop from the match's start and end


@Language.component("gongkai_quantities")
def quantities(doc: Doc) -> Doc:
    spans = []
    for span in quantity_matcher(doc.vocab)(doc, as_spans=True):
        drop_start, drop_end = BARE.get(span.label_, (0, 0))
        spans.append(doc[span.start + drop_start : span.end - drop_end])
    doc.spans["quantities"] = [span for span in sorted(spans, key=lambda s: s.start) if not distractor(span)]
    return doc


DIMENSION = ("×", "*", "x", "X")


def distractor(span: Span) -> bool:
    """Article and ordinal numbers (第二十条), phone numbers (0517-…), a lone 一 (一次性, 一条龙) unless it
    is a rate (每季度一次), clock times, screen sizes (1024×768)."""
    doc, first = span.doc, span[0]
    before = doc[first.i - 1].text if first.i else ""
    after = doc[span.end].text if span.end < len(doc) else ""
    if before.endswith("第") or before in ("-", "—", "〔", "[") or after in ("-", "—", "〕", "性", "龙"):
        return True
    if before.endswith(DIMENSION) or after.startswith(DIMENSION + ("辨率",)):
        return True  # 1024×768分辨率: a screen size
    if span[-1].text == "周" and after.startswith(("年", "岁")):
        return True  # 成立70周年: an anniversary
    if span[-1].text == "分" and (before.endswith(("时", "点", ":")) or after.startswith("钟")):
        return True  # 9时30分 and 42分钟 are times, not scores
    if first.text == "一" and span[-1].text == "次" and "每" in doc[max(0, first.i - 4) : first.i].text:
        return False  # 每半年专题研究一次: a rate
    return first.text in ("一", "〇", "零")


@cache
def pipeline() -> Language:
    """Built once per process: jieba's dictionary takes about a second to load."""
    configure()  # before spaCy's first cut: quiet, its dictionary cache in the user's cache folder
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    nlp.add_pipe("gongkai_join_thousands")
    nlp.add_pipe("gongkai_split_numerals")
    nlp.add_pipe("gongkai_quantities")
    return nlp


def number_value(text: str) -> float | None:
    text = text.strip()
    if re.fullmatch(ARABIC, text):
        return float(text.replace(",", ""))
    import cn2an  # here, not at the top: it takes ~0.25 s to import, and most reports print no 汉字 numbers

    try:
        return float(cn2an.cn2an(text.replace("两", "二"), "smart"))  # cn2an slips on 两
    except (ValueError, KeyError):
        return None


def read_span(span: Span) -> tuple[float, str | None] | None:
    """(value, unit) of a matched quantity; money keeps its printed unit, 1.2万条 becomes 12000 条."""
    words = [t.text for t in span if not t.is_space]
    head = words[0]
    if head.startswith("百分之"):
        value = number_value("一百" if head[3:] == "百" else head[3:])
        return (value, "%") if value is not None else None
    if head.endswith("成") and len(words) == 1:
        value = number_value(head[:-1])
        return (value * 10, "%") if value is not None else None
    if head.endswith("%"):
        return float(head[:-1]), "%"
    value = number_value(head)
    if value is None:
        return None
    unit = words[-1] if len(words) > 1 else None
    multiplier = next((w for w in words[1:-1] if w in ("万", "亿")), None)
    if unit == "元" and multiplier:
        return value, multiplier + "元"  # money stays in the unit it is printed in (1.2亿余元: 1.2 亿元)
    if unit in ("万", "亿"):  # 24.5万, printed without a unit
        words, unit = words + [""], None
    if "万" in words[1:-1]:
        value = round(value * 10_000, 6)  # 3.26万 is 32600, not 32599.999999999996
    if "亿" in words[1:-1]:
        value = round(value * 100_000_000, 6)
    if unit in ("余", "多"):
        unit = None
    if words[-2:] == ["个", "百分点"]:
        unit = "个百分点"
    return value, unit


def clause_start(text: str, pos: int) -> int:
    starts = [m.end() for m in CLAUSE_END.finditer(text, max(0, pos - 200), pos)]
    return max(starts[-1] if starts else 0, pos - CONTEXT)


def qualifier_of(before: str, matched: str, after: str) -> str | None:
    """The first qualifier whose words stand where they must (quantities.json)."""
    regions = {
        "near": before[-6:],
        "clause": before + after,
        "span": matched[1:],
        "after": after[:3],
        "around": before[-8:] + matched + after[:6],
    }
    for name, pattern, where in QUALIFIERS:
        if pattern.search(regions[where]):
            return name
    return None


def metric_of(before: str, after: str, topic_text: str, unit: str | None) -> tuple[str | None, list[str] | None, int]:
    """The clause's words right before the number name what it counts; else the words right after it.
    A share, change or rate (%, 个百分点) counts nothing; a metric holds only in its units (metrics.json).

    Also returns how many characters after the number the naming words reach (0 when they stand before it).
    """
    if unit in ("%", "个百分点", "百分点"):
        return None, None, 0
    topic = None
    for name, pattern in TOPICS:
        last = [m.end() for m in pattern.finditer(topic_text)]
        if last and (topic is None or last[-1] > topic[1]):
            topic = (name, last[-1])
    current = topic[0] if topic else None
    for table in (METRICS, METRICS_AFTER):
        text = before.rstrip() if table is METRICS else after
        for name, pattern, cells, scope in table:
            if (scope and scope != current) or unit not in METRIC_UNITS.get(name, [unit]):
                continue
            match = pattern.search(text)
            if match:
                return name, cells, match.end() if table is METRICS_AFTER else 0
    return None, None, 0


def prose_of(report: Report) -> list[tuple[str, str]]:
    """(section key, text) of the prose, table rows left out. A 2019/2021 section that holds a table is prose
    around the table where the reader found where the table lies; else it is left out whole."""
    out = []
    for section in report.sections:
        text = section.text
        if report.format in ("2019", "2021") and section.key in TABLE_SECTIONS:
            span = report.table.spans.get(TABLE_SECTIONS[section.key])
            if span is None:
                continue
            text = text[: span[0]] + " " * (span[1] - span[0]) + text[span[1] :]
        lines = [line if "\t" not in line else " " * len(line) for line in text.split("\n")]
        out.append((section.key, "\n".join(lines)))
    return out


def squeeze(text: str) -> str:
    """Line breaks and spaces inside a phrase, as PDF text has them, do not part its words."""
    return re.sub(r"\s+", "", text)


def sentences_with_numbers(text: str) -> list[tuple[int, int]]:
    """The sentences that may hold a quantity: only they go through jieba and the Matcher (most prose holds none,
    and segmenting it is most of the cost). Not split at a single line break: PDF text breaks lines mid-word."""
    spans, start = [], 0
    for end in [m.end() for m in SENTENCE_BREAK.finditer(text)] + [len(text)]:
        if start < end and MAY_COUNT.search(text, start, end):
            if spans and spans[-1][1] == start:
                spans[-1] = (spans[-1][0], end)
            else:
                spans.append((start, end))
        start = end
    return spans


NOUN_AFTER = _Q["noun_after"]
DURATION = re.compile(r"\s*(工作日|月)(?!份)")


def noun_after(span: Span) -> int:
    """Characters of the noun right after a measure word (60个|单位), which the quote then takes; else 0."""
    doc = span.doc
    if span[-1].text not in NOUN_AFTER["units"] or span.end >= len(doc):
        return 0
    word = doc[span.end]
    if not re.fullmatch(r"[\u4e00-\u9fff]{1,4}", word.text) or word.text in NOUN_AFTER["not_nouns"]:
        return 0
    return word.idx + len(word.text) - span.end_char


def quantity_spans(text: str) -> Iterator[tuple[Span, int]]:
    """Every matched quantity with the offset of the stretch of text it was found in."""
    for offset, end in sentences_with_numbers(text):
        doc = pipeline()(text[offset:end])
        for span in doc.spans["quantities"]:
            yield span, offset


def claims_in(text: str, section: str | None) -> list[Claim]:
    found = []
    for span, offset in quantity_spans(text):
        read = read_span(span)
        if read is None:
            continue
        start, end = offset + span.start_char, offset + span.end_char
        if read[1] == "个" and (duration := DURATION.match(text, end)):
            read = (read[0], "个" + duration.group(1))  # 15个工作日, 4个月: a length of time
        clause = clause_start(text, start)
        # 申请…。上年结转 3 件。全年办结 40 件: the topic runs on through the paragraph
        topic_from = max([m.end() for m in PARAGRAPH_END.finditer(text, max(0, start - 300), start)] + [start - 300, 0])
        before, after = squeeze(text[clause:start]), text[end : end + 12]
        after_clause = CLAUSE_END.split(after, maxsplit=1)[0]
        metric, cells, reach = metric_of(before, squeeze(after_clause), squeeze(text[topic_from:start]), read[1])
        quote_end = end + reach + (len(after_clause) - len(squeeze(after_clause)) if reach else 0)
        quote_end = max(quote_end, end + noun_after(span))
        found.append(
            Claim(
                quote=text[clause:quote_end].strip(),
                value=read[0],
                unit=read[1],
                metric=metric,
                qualifier=qualifier_of(before, squeeze(text[start:end]), after_clause),
                section=section,
                cells=cells,
                start=start,
                end=end,
            )
        )
    return found


def extract_claims(report: Report) -> list[Claim]:
    claims = []
    for key, text in prose_of(report):
        for claim in claims_in(text, key):
            if report.format == "pre2019":
                before = text[clause_start(text, claim.start) : claim.start]
                *heading, last = before.split("\n")
                # a sub-heading run into the sentence ((一)主动公开政府信息的数量\n全年主动公开…): its last line
                # alone says what is counted; a line that PDF text merely wrapped (各乡镇\n主动公开…) does not
                alone = [squeeze(last)] if heading and SUB_HEADING.search("\n".join(heading)) else []
                claim.cells = stat_cells(report, claim, squeeze(before), *alone)
            claims.append(claim)
    return claims


def stat_cells(report: Report, claim: Claim, *before: str) -> list[str] | None:
    """A pre-2019 report has no tables 2–4: its claim names the one 统计表 row its metric's label pattern matches,
    when the words before the number (its clause, or the clause's last line: a heading may run into it) are what
    the metric demands (metrics.json).

    Not a 累计 figure: in these reports it is as often the running total of all years as this year's.
    """
    label, words = STAT_CELLS.get(claim.metric or "", (None, None))
    if label is None or claim.qualifier == "cumulative" or claim.unit not in COUNT_UNITS:
        return None
    if words and not any(words.fullmatch(b) for b in before):
        return None
    rows = set(report.tables) | {c for cells, _ in report.table.candidates.values() for c in cells}
    matching = [c for c in rows if c.startswith("stat.") and "#" not in c and label.match(c.removeprefix("stat."))]
    return matching if len(matching) == 1 else None
