"""Section 五 (存在的主要问题及改进情况) as data: each stated problem and measure, its themes, and what it answers.

Reports write this section in a handful of shapes, and the reader follows them in order:

1. The section is cut in two zones, problems then measures, at the first measure heading (（二）改进措施：) or
   lead (针对存在问题，下一步… / 将采取以下措施). Position decides kind wherever such a cut exists; wording (the
   kind classifier of nlp.themes) decides only where it does not.
2. A lead-in is not a statement: a sentence that ends in a colon or announces a list (以下), and preamble
   (取得一定成效，但仍存在一些不足).
3. Inside a zone, an enumeration (一是… / （一）… / 1、… / ①…) gives one statement per item; an item that holds an
   enumeration of its own is a heading over its sub-items. Text without enumeration is cut at 。 and ；, and a
   run-on list (主要是：A，B，C等 / 如A、B、C等) gives one statement per clause that states a problem.
4. A long measure that runs several measures together with commas (加强队伍建设，提升业务素质，拓宽公开领域，完善
   运行机制) is cut where the theme changes; vague clauses stay with their neighbours.

Patterns live in statement_patterns.json.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from importlib import resources
from typing import Any

from nlp.document import Section
from nlp.prose import themes

_P = json.loads(resources.files(__package__).joinpath("statement_patterns.json").read_text(encoding="utf-8"))
PROBLEM_WORDING = re.compile(_P["problem_wording"])
ENUMERATORS = {name: re.compile(pattern) for name, pattern in _P["enumerators"].items()}
PROBLEM_HEADING = re.compile(_P["problem_heading"])
MEASURE_HEADING = re.compile(_P["measure_heading"])
MEASURE_LEAD = re.compile(_P["measure_lead"])
LEAD_PREFIX = re.compile(_P["lead_prefix"])
PREAMBLE = re.compile(_P["preamble"])
VAGUE = re.compile(_P["vague"])
RUNON_OPEN = re.compile(_P["runon_open"])
RUNON_CLOSE = re.compile(_P["runon_close"])
CONNECTIVE = re.compile(_P["connective"])
TAIL = re.compile(_P["tail"])

CJK = "\u4e00-\u9fff"
HALF_TO_FULL = str.maketrans({",": "，", ";": "；", ":": "：", "(": "（", ")": "）", "!": "！", "?": "？"})
LINE_START = re.compile(
    r"\s*\n\s*(?=[一二三四五六七八九十]是|[（][一二三四五六七八九十]{1,2}[）]|\d{1,2}\s*[、.．]|"
    r"[①②③④⑤⑥⑦⑧⑨⑩]|[一二三四五六七八九十][、.．]|第[一二三四五六七八九十][，、])"
)
INNER_SPACE = re.compile(rf"(?<=[{CJK}\d，。；：、“”])[ \t\u3000]+(?=[{CJK}“”])")
SENTENCE_END = re.compile(r"(?<=[。！？])")
CLAUSE_START = "。；：，、 "
NUMERAL = {c: i for i, c in enumerate("一二三四五六七八九十", 1)} | {c: i for i, c in enumerate("①②③④⑤⑥⑦⑧⑨⑩", 1)}
STRIP = " 。；，：、\t"
WEAK_SCORE = 0.5  # a clause whose best theme is less likely than this says nothing of its own
STRONG_SCORE = 0.7  # a clause this sure of a theme of its own is a measure of its own


@dataclass
class Draft:
    """A statement before it is tagged. `kind` None: no position tells, the wording will."""

    text: str
    kind: str | None
    compound: bool = False  # free-running measure text that may hold several measures


@dataclass
class Marker:
    start: int
    end: int
    value: int


def extract_statements(sections: list[Section]) -> list[dict[str, Any]]:
    """contract.md `statements` (plus `generic`) from the report's problems_improvements section(s)."""
    text = section_text(sections)
    if not text:
        return []
    drafts = [piece for draft in read_drafts(text) for piece in split_compound(draft)]
    return link(tag(drafts))


def section_text(sections: list[Section]) -> str:
    """The problems_improvements text, joined, normalised and cut before the date and attachments that
    pre-2019 reports print after it. A heading that names only measures is kept: it marks the zone."""
    parts = []
    for section in sections:
        if section.key != "problems_improvements":
            continue
        if MEASURE_HEADING.search(section.title) and "问题" not in section.title:
            parts.append(section.title)
        parts.append(section.text)
    text = "\n".join(parts)
    tail = TAIL.search(text)
    return normalise(text[: tail.start()] if tail else text).strip()


def normalise(text: str) -> str:
    """Full-width punctuation; lines joined (PDF lines break mid-word) except before a numbered item."""
    text = text.translate(HALF_TO_FULL)
    text = LINE_START.sub(" ", text)
    text = re.sub(r"\s*\n\s*", "", text)
    return INNER_SPACE.sub("", text)


def read_drafts(text: str) -> list[Draft]:
    problems, measures = split_zones(text)
    if measures is None:
        return zone_drafts(problems, None)
    return zone_drafts(problems, "problem") + zone_drafts(measures, "measure")


def split_zones(text: str) -> tuple[str, str | None]:
    """Problem text and measure text, cut at the first measure heading or lead; (text, None) if none."""
    cut = first_measure_signal(text)
    if cut is None:
        return strip_heading(text), None
    start, body = cut
    return strip_heading(text[:start]), body


def first_measure_signal(text: str) -> tuple[int, str] | None:
    """Where the measures begin, and their text with the heading or lead-in removed."""
    signals = []
    for match in MEASURE_HEADING.finditer(text):
        if at_clause_start(text, match.start()):
            signals.append((match.start(), text[match.end() :]))
            break
    lead = MEASURE_LEAD.search(text)
    if lead:
        start = max(text.rfind(c, 0, lead.start()) for c in "。；！？ ") + 1
        signals.append((start, drop_lead_in(text[start:])))
    return min(signals, key=lambda s: s[0]) if signals else None


def drop_lead_in(text: str) -> str:
    """针对存在问题，将切实抓好以下工作：… loses its whole first sentence; 下一步，我区将加强队伍建设… only the
    words before the measure."""
    end = re.search(r"[。：；]", text)
    first = text[: end.end()] if end else text
    if "以下" in first or first.endswith("："):
        return text[len(first) :]
    return text[LEAD_PREFIX.match(text).end() :]


def strip_heading(text: str) -> str:
    return PROBLEM_HEADING.sub("", text.strip(), count=1)


def at_clause_start(text: str, pos: int) -> bool:
    return pos == 0 or text[pos - 1] in CLAUSE_START


def zone_drafts(text: str, kind: str | None) -> list[Draft]:
    """Statements of one zone: the items of its enumeration, else its sentences and run-on lists."""
    text = strip_heading(text.strip(STRIP))
    if not text:
        return []
    markers = outer_enumeration(text)
    if not markers:
        return free_drafts(text, kind)
    drafts = free_drafts(text[: markers[0].start], kind)
    for i, marker in enumerate(markers):
        end = markers[i + 1].start if i + 1 < len(markers) else len(text)
        drafts += item_drafts(text[marker.end : end], kind)
    return drafts


def item_drafts(item: str, kind: str | None) -> list[Draft]:
    """One enumerated item is one statement, unless it heads an enumeration of its own."""
    nested = outer_enumeration(item)
    if nested:
        return zone_drafts(item[nested[0].start :], kind)
    text = item.strip(STRIP)
    return [Draft(text, kind)] if text else []


def outer_enumeration(text: str) -> list[Marker]:
    """The markers of the enumeration that starts first (at 1 / 一 / ①), with at least two items."""
    best: list[Marker] = []
    for pattern in ENUMERATORS.values():
        markers = [Marker(m.start(), m.end(), number(m.group(1))) for m in pattern.finditer(text)]
        first = next((i for i, m in enumerate(markers) if m.value == 1), None)
        if first is None:
            continue
        run = [m for m in markers[first:] if m.value >= 1]
        if len(run) >= 2 and run[1].value > 1 and (not best or run[0].start < best[0].start):
            best = run
    return best


def number(token: str) -> int:
    return int(token) if token.isdigit() else NUMERAL.get(token, 0) if len(token) == 1 else 10 + NUMERAL[token[-1]]


def free_drafts(text: str, kind: str | None) -> list[Draft]:
    """Sentences and run-on lists: lead-ins and preamble dropped, a run-on list cut into its clauses."""
    drafts = []
    for sentence in SENTENCE_END.split(text):
        if sentence.strip().endswith("："):
            continue
        sentence = sentence.strip(STRIP)
        if not sentence or ends_lead_in(sentence):
            continue
        listed = runon_items(sentence)
        if listed is not None:
            drafts += [Draft(item, kind) for item in listed]
        elif not PREAMBLE.search(sentence):
            chunks = [c for c in (c.strip(STRIP) for c in sentence.split("；")) if c and not VAGUE.match(c)]
            # Where the writer marked measures off with ；, the commas inside one are not measure boundaries.
            drafts += [Draft(chunk, kind, compound=kind == "measure" and len(chunks) == 1) for chunk in chunks]
    return drafts


def ends_lead_in(sentence: str) -> bool:
    return bool(re.search(r"以下[^。]{0,12}$", sentence))


def runon_items(sentence: str) -> list[str] | None:
    """主要是：A，B，C等 → [A, B, C]; None when the sentence is not such a list. The list starts after its
    last opener (主要是, 如, 还存在…); each clause that states a problem is one item, and a clause that does not
    (智能化、数字化手段运用不充分: 智能化) joins the next."""
    opener = last_opener(sentence)
    closed = RUNON_CLOSE.search(sentence)
    if opener is None and closed is None:
        return None
    body = sentence[opener.end() if opener else 0 : closed.start() if closed else len(sentence)].strip(STRIP)
    separators = "；" if "；" in body else "，、"
    pieces = [p.strip(STRIP) for p in re.split(f"[{separators}]", body) if p.strip(STRIP)]
    items = merge_predicates(pieces, separators[-1])
    items = [item for item in items if not VAGUE.match(item)]
    return items or None


def last_opener(sentence: str) -> re.Match[str] | None:
    """The opener nearest the list: 存在 and 如 count only where a clause starts (not 部分栏目存在…, 如实)."""
    found = None
    for match in RUNON_OPEN.finditer(sentence):
        word = match.group()
        if word in ("如", "存在") and not at_clause_start(sentence, match.start()):
            continue
        if word == "如" and sentence[match.end() : match.end() + 1] in ("何", "实", "期", "下"):
            continue
        found = match
    return found


def merge_predicates(pieces: list[str], joiner: str) -> list[str]:
    """Join pieces without problem wording to the piece after them (the predicate comes last in Chinese)."""
    items: list[str] = []
    pending = ""
    for piece in pieces:
        pending = f"{pending}{joiner}{piece}" if pending else piece
        if PROBLEM_WORDING.search(piece):
            items.append(pending)
            pending = ""
    if pending:
        if items:
            items[-1] += joiner + pending
        else:
            items.append(pending)
    return items


def split_compound(draft: Draft) -> list[Draft]:
    """Comma clauses of a free-running measure, cut where the topic changes. Each clause is given the theme,
    among those of the whole text, that it is most about; vague clauses (认真总结经验) go with their neighbours.
    Judging clauses against the whole keeps a single measure whole however many verbs it strings together."""
    clauses = [c for c in (c.strip(STRIP) for c in draft.text.split("，")) if c]
    if not draft.compound or len(clauses) < 3:
        return [Draft(clean(draft.text), draft.kind)]
    whole, *parts = themes.predict([draft.text, *clauses])
    candidates = set(whole.themes) | {
        p.themes[0] for p in parts if len(p.themes) == 1 and p.scores[p.themes[0]] >= STRONG_SCORE and not p.generic
    }
    if len(candidates) < 2:
        return [Draft(clean(draft.text), draft.kind)]
    topics = [
        None if p.generic or max(p.scores.values()) < WEAK_SCORE else max(sorted(candidates), key=p.scores.get)
        for p in parts
    ]
    known = [t for t in topics if t]
    groups: list[tuple[str | None, list[str]]] = []
    for clause, topic in zip(clauses, topics, strict=True):
        topic = topic or (groups[-1][0] if groups else known[0] if known else None)
        if groups and groups[-1][0] == topic:
            groups[-1][1].append(clause)
        else:
            groups.append((topic, [clause]))
    return [Draft(clean("，".join(group)), draft.kind) for _, group in groups]


def clean(text: str) -> str:
    return CONNECTIVE.sub("", text.strip(STRIP)).strip(STRIP)


def tag(drafts: list[Draft]) -> list[dict[str, Any]]:
    drafts = [d for d in drafts if d.text]
    statements = []
    for draft, prediction in zip(drafts, themes.predict([d.text for d in drafts]), strict=True):
        statements.append(
            {
                "kind": draft.kind or prediction.kind,
                "text": draft.text,
                "themes": prediction.themes,
                "scores": prediction.scores,
                "answers": [],
                "generic": prediction.generic,
            }
        )
    return statements


def link(statements: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each measure answers the problems it shares a theme with; if it shares none and the report pairs
    problems and measures one to one (as many of each), it answers the problem in its own place."""
    problems = [i for i, s in enumerate(statements) if s["kind"] == "problem"]
    measures = [i for i, s in enumerate(statements) if s["kind"] == "measure"]
    for rank, i in enumerate(measures):
        topics = set(statements[i]["themes"])
        answers = [p for p in problems if topics & set(statements[p]["themes"])]
        if not answers and len(problems) == len(measures):
            answers = [problems[rank]]
        statements[i]["answers"] = answers
    return statements
