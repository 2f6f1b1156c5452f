"""Findings that read the prose: a count against its table cell, a total against its parts, a share against
the numbers it is computed from.

Only exact statements are held to exact arithmetic. An approximate figure (余, 约, 近), a bound, a plan, a rule
or a change is never an error; a count whose sentence names a narrower body (区政府办代表区政府) may count
something else than the table, so a mismatch there is a warning that says so.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right

from nlp.checks.registry import REASONS, Found, check, finding
from nlp.document import Claim, Report
from nlp.prose.vocabulary import EXACT

Located = list[tuple[Claim, str]]  # each claim with the text of its section
SCOPE_WORDS = re.compile(r"代表|本级|本机关|本部门|本单位|政府办公室|政府办(?!理)|办公室")
# A change against last year may stand between a total and its parts: 318 件，比上年254 件增长 25.2%。其中…
CHANGE_CLAUSE = (
    r"(?:\s*[，,]\s*(?:上年|去年)(?:同期)?(?:为|是)[^，,。；]{0,16})?"
    r"(?:\s*[，,]\s*(?:较|比|同比)[^，,。；]{0,24}?\d[\d.]*\s*[%％])?"
)
LAST_YEARS_FIGURE = re.compile(r"(?:上年|去年|上一年)(?:同期)?(?:为|是)?的?\s*$")
TOTAL_FOLLOWED_BY_PARTS = re.compile(rf"^{CHANGE_CLAUSE}\s*[，,。]?\s*[（(]?\s*其中\s*[：:，,]?")
BASE_FOLLOWED_BY_SHARES = re.compile(r"^[^。，,；]{0,12}中\s*[，,：:]")
EXHAUSTIVE = re.compile(r"其[他余它]|剩余|另有")
# Lists complete by definition: every document made or obtained is 主动公开, 依申请公开 or 不予公开 (the
# 公开属性 of the pre-2019 统计表), so such a list must add up to its total.
COMPLETE_LISTS = (("主动公开", "依申请公开", "不予公开"),)
SHARE = re.compile(r"占(?:比|到)?\s*(?:为|达)?\s*$")
REQUEST_FAMILIES = {"requests", "review", "litigation"}
CARRIED = {"requests.carried_forward", "requests.carried_over"}
LAST_YEAR = re.compile(r"[\s，,]*(?:(?:较|比)(?:上年|去年|上一年)(?:同期)?的?|(?:上年|去年)(?:同期)?(?:为|是))\s*")
CHANGE_WORD = re.compile(r"[\s，,]*(?:同比|较上年)?(增长|增加|提高|上升|下降|减少|降低)了?\s*")
FALLING = ("下降", "减少", "降低")
ALTERNATE_ROWS = {"t3.new": "t3.total", "t3.total": "t3.new"}
SENTENCE_ENDS = "。！？"
SENTENCE_END = re.compile(f"[{SENTENCE_ENDS}]")
SENTENCE_OF_ITS_OWN = re.compile(rf"{CHANGE_CLAUSE}\s*。\s*其中")


def family(claim: Claim) -> str | None:
    return claim.metric.split(".")[0] if claim.metric else None


def alternate_value(tables: dict, cells: list[str]) -> float | None:
    """What the figure would be if it meant the other row: 收到申请75件 is often 办理总计 (new plus carried over),
    not 本年新收, and the other way round."""
    rows = [c.rsplit(".", 1) for c in cells]
    if not all(row in ALTERNATE_ROWS for row, _ in rows):
        return None
    return cell_value(tables, [f"{ALTERNATE_ROWS[row]}.{column}" for row, column in rows])


def cell_value(tables: dict, cells: list[str]) -> float | None:
    """The sum of the cells the prose figure reports, or None when one of them is not printed."""
    values = [tables.get(c) for c in cells]
    return None if any(v is None for v in values) else round(sum(values), 6)


def located(report: Report) -> Located:
    texts = report.section_texts()
    return [(c, texts.get(c.section or "", "")) for c in report.claims]


@check("prose.table", "error")
def prose_vs_table(report: Report) -> Found:
    """A prose figure against the table cell(s) it restates. An approximate figure is held to 10%; a sentence that
    names a narrower body (区政府办代表区政府) may count something else, so a mismatch there is a warning."""
    for claim, text in located(report):
        if not claim.cells or claim.qualifier not in EXACT + ("approximate",):
            continue
        table = cell_value(report.tables, claim.cells)
        if table is None:
            unread = no_reading_gives(report, claim)
            if unread:
                yield finding(
                    "prose.table",
                    severity="warning",
                    cells=claim.cells,
                    quotes=[claim.quote],
                    actual=claim.value,
                    quote=" ".join(claim.quote.split()),
                    cells_joined=claim.cells[0],
                    table=unread,
                    said=fmt(claim.value),
                    why=REASONS["no_reading"],
                )
            continue
        if table == claim.value:
            continue
        sentence = sentence_of(text, claim)
        if claim.qualifier == "approximate":
            if abs(table - claim.value) <= 0.1 * max(table, claim.value):
                continue
            severity, why = "warning", REASONS["approximate"]
        elif SCOPE_WORDS.search(sentence):
            severity, why = "warning", REASONS["narrower"]
        elif alternate_value(report.tables, claim.cells) == claim.value:
            severity, why = "warning", REASONS["handled"]
        else:
            severity, why = None, ""
        yield finding(
            "prose.table",
            severity=severity,
            cells=claim.cells,
            quotes=[claim.quote],
            expected=table,
            actual=claim.value,
            quote=" ".join(claim.quote.split()),
            cells_joined=" + ".join(claim.cells),
            table=fmt(table),
            said=fmt(claim.value),
            why=why,
        )


def no_reading_gives(report: Report, claim: Claim) -> str | None:
    """The printed digits of the run-together row a single-cell claim names, when no split of them can give the
    claimed figure (every cell is a stretch of those digits); else None."""
    if len(claim.cells) != 1 or not float(claim.value).is_integer():
        return None
    for cells, readings in report.table.candidates.values():
        if claim.cells[0] in cells and readings:
            digits = "".join(str(v) for v in readings[0])
            return None if fmt(claim.value) in digits else digits
    return None


def fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def sentence_of(text: str, claim: Claim) -> str:
    """The sentence around a claim, found from the claim outwards (never scanning the text before it: a report
    of many claims stays linear)."""
    end = SENTENCE_END.search(text, claim.end)
    return text[sentence_start(text, claim.start) : end.start() if end else len(text)]


def sentence_start(text: str, position: int) -> int:
    """Just after the last sentence end before `position`, looked for in windows growing back from it."""
    window = 256
    while True:
        low = max(0, position - window)
        found = max(text.rfind(stop, low, position) for stop in SENTENCE_ENDS)
        if found >= 0 or low == 0:
            return found + 1
        window *= 4


def groups(claims: Located) -> list[tuple[Claim, list[Claim], str]]:
    """A total followed by 其中 (or by 中，) and the counts of the same unit listed after it in its sentence.

    A part nested in brackets inside the list is a part of a part, not of the total, and is left out; the list
    stops where the sentence turns to another subject (行政复议 after 依申请公开).
    """
    out = []
    for i, (total, text) in enumerate(claims):
        tail = text[total.end : total.end + 60]
        opens_list = TOTAL_FOLLOWED_BY_PARTS.match(tail) or BASE_FOLLOWED_BY_SHARES.match(tail)
        if (
            total.unit in (None, "%")
            or not opens_list
            or LAST_YEARS_FIGURE.search(text[max(0, total.start - 8) : total.start])
        ):
            continue
        limit = list_end(text, total.end)
        parts = []
        for j in range(i + 1, len(claims)):  # not claims[i + 1 :], a copy of the rest for every total
            part, part_text = claims[j]
            if part_text is not text or part.start >= limit:
                break
            if part.start < total.end + opens_list.end():
                continue  # last year's figure in a change clause before 其中
            if part.unit != total.unit or part.qualifier in ("change", "rate", "target", "rule", "bound"):
                continue
            if family(part) in REQUEST_FAMILIES and family(total) in REQUEST_FAMILIES and family(part) != family(total):
                break
            if part.metric in CARRIED and total.metric not in CARRIED:
                break  # 结转下年度 after the outcomes of 办结 is not one of them
            if depth(text, total.end, part.start) > depth(text, total.end, total.end + len(tail.split("其中")[0])):
                continue
            parts.append(part)
        if len(parts) >= 2:
            out.append((total, parts, text))
    return out


def list_end(text: str, start: int) -> int:
    """Where a list of parts ends: its sentence, or the next one too when 其中 opens a sentence of its own
    (…1913条。其中，区直…1397条，占73%。各乡镇…534条，占27%。), but never past a paragraph or a sub-heading.
    (A single line break is no boundary: PDF text breaks lines mid-word.)"""
    opens_sentence = SENTENCE_OF_ITS_OWN.match(text, start)
    ends = [m.end() for m in re.finditer("[。！？]", text[start : start + 600])]
    keep = 3 if opens_sentence else 1
    end = start + (ends[keep - 1] if len(ends) >= keep else len(text[start : start + 600]))
    stop = re.search(r"\n\s*\n|[（(][一二三四五六七八九十][)）]", text[start:end])
    return start + stop.start() if stop else end


def depth(text: str, start: int, end: int) -> int:
    """How many brackets are open at `end`, counted from `start`."""
    span = text[start:end]
    return max(0, span.count("（") + span.count("(") - span.count("）") - span.count(")"))


@check("prose.sum", "error")
def prose_sum(report: Report) -> Found:
    """A complete list (…其他/其余 N, or shares adding to 100%) that misses its total, or outcomes of requests that
    add up to more than the requests. Other lists may overlap (the same item published on several channels)."""
    claims = located(report)
    shares = shares_after(claims)
    for total, parts, _ in groups(claims):
        if total.qualifier not in EXACT or any(p.qualifier not in EXACT for p in parts):
            continue
        added = round(sum(p.value for p in parts), 6)
        exhaustive = bool(EXHAUSTIVE.search(parts[-1].quote)) or shares_complete(parts, shares) or complete_list(parts)
        disjoint = all(family(p) in REQUEST_FAMILIES for p in parts) and added > total.value
        if added == total.value or not (exhaustive or disjoint):
            continue
        yield finding(
            "prose.sum",
            quotes=[total.quote] + [p.quote for p in parts],
            expected=added,
            actual=total.value,
            quote=" ".join(total.quote.split()),
            added=fmt(added),
            total=fmt(total.value),
        )


def complete_list(parts: list[Claim]) -> bool:
    """Each part names one class of a list complete by definition, and together they name every class."""
    quotes = ["".join(p.quote.split()) for p in parts]
    for classes in COMPLETE_LISTS:
        named = [[c for c in classes if c in q] for q in quotes]
        if all(len(n) == 1 for n in named) and sorted(n[0] for n in named) == sorted(classes):
            return True
    return False


def shares_complete(parts: list[Claim], shares: dict[int, Claim]) -> bool:
    """Every part carries a share (占 N%) and the shares add up to 100% within their rounding: the list is complete.

    (Shares that add up to 98.9% say that some of the total is not listed.)
    """
    shares = [shares.get(id(p)) for p in parts]
    if any(s is None for s in shares):
        return False
    slack = sum(0.5 * 10 ** -decimals_of(s) for s in shares)
    return abs(sum(s.value for s in shares) - 100) <= slack + 1e-9


def decimals_of(share: Claim) -> int:
    """Decimals printed in the percentage itself (not in a figure earlier in its quote: 比上年的2.87万条增长13.2%)."""
    printed = re.findall(r"\d+(?:\.(\d+))?\s*[%％]", share.quote)
    return len(printed[-1]) if printed else 0


def shares_after(claims: Located) -> dict[int, Claim]:
    """For each count (by id), the 占 N% right after it in the same text, at most 6 characters on.

    One pass with a sorted index per text rather than a scan of every claim for every count, which made a long
    prose of shares quadratic (290,000 characters took 40 s)."""
    percents: dict[int, list[tuple[int, int, Claim]]] = {}
    for order, (claim, text) in enumerate(claims):
        if claim.unit == "%":
            percents.setdefault(id(text), []).append((claim.start, order, claim))
    starts = {key: [start for start, _, _ in sorted(spans)] for key, spans in percents.items()}
    ordered = {key: sorted(spans) for key, spans in percents.items()}
    out: dict[int, Claim] = {}
    for part, text in claims:
        spans, keys = ordered.get(id(text), []), starts.get(id(text), [])
        near = spans[bisect_right(keys, part.end) : bisect_right(keys, part.end + 6)]
        for _, _, claim in sorted(near, key=lambda span: span[1]):  # the first in claim order, as printed
            if SHARE.search(text[part.end : claim.start]):
                out[id(part)] = claim
                break
    return out


NAMED_SHARE = re.compile(r"(?P<subject>[\u4e00-\u9fff]{4,16}?)占(?:比|到)?(?:为|达)?$")


Percents = dict[int, tuple[list[int], list[Claim]]]  # per text (by id): the starts of its % claims, and them


def percents_of(claims: Located) -> Percents:
    index: dict[int, list[Claim]] = {}
    for claim, text in claims:
        if claim.unit == "%":
            index.setdefault(id(text), []).append(claim)
    return {key: ([c.start for c in found], found) for key, found in index.items()}


def named_shares(total: Claim, parts: list[Claim], text: str, percents: Percents) -> dict[int, Claim]:
    """A share in the sentence after the list that names one of its parts (…不予公开信息数137条。主动公开的政府信息占
    41.5%。): that part over the list's total. Keyed by the part's id; only the shares within 40 characters of the
    list's end are looked at (an index, so a long prose of shares stays linear)."""
    limit = list_end(text, total.end)
    starts, shares = percents.get(id(text), ([], []))
    found = {}
    for claim in shares[bisect_left(starts, limit) : bisect_right(starts, limit + 40)]:
        clause = re.split(r"[。；;，,]", text[limit : claim.start])[-1]
        subject = NAMED_SHARE.search("".join(clause.split()))
        if not subject:
            continue
        words = subject.group("subject").replace("的", "")
        named = [p for p in parts if words in "".join(p.quote.split())]
        if len(named) == 1:
            found[id(named[0])] = claim
    return found


@check("prose.rate.share", "error")
def prose_share(report: Report) -> Found:
    """占 N% after a count: N must be the count over its total, to the precision printed."""
    claims = located(report)
    shares, percents = shares_after(claims), percents_of(claims)
    for total, parts, text in groups(claims):
        if total.qualifier not in EXACT or not total.value:
            continue
        named = named_shares(total, parts, text, percents)
        for part in parts:
            share = shares.get(id(part)) or named.get(id(part))
            if share is None or part.qualifier not in EXACT:
                continue
            computed = part.value / total.value * 100
            decimals = decimals_of(share)
            if abs(computed - share.value) <= 0.5 * 10**-decimals + 1e-9:
                continue
            truncated = abs(math.floor(computed * 10**decimals + 1e-9) / 10**decimals - share.value) < 1e-9
            yield finding(
                "prose.rate.share",
                severity="warning" if truncated else None,
                why=REASONS["truncated"] if truncated else "",
                quotes=[total.quote, part.quote, share.quote],
                expected=round(computed, decimals),
                actual=share.value,
                part_quote=part.quote,
                share_quote=share.quote,
                part=fmt(part.value),
                total=fmt(total.value),
                computed=f"{computed:.{decimals + 1}f}",
                share=fmt(share.value),
            )


# 办结率: the share of what was received that was completed. rate word: (its numerator's word, its denominator's).
RATES = {
    "办结率": ("办结", "受理|收到"),
    "答复率": ("答复", "受理|收到"),
    "回复率": ("回复", "受理|收到"),
}


@check("prose.rate.ratio", "error")
def prose_ratio(report: Report) -> Found:
    """受理117件，办结171件，办结率100%: a rate stated right after the two counts it is computed from."""
    claims = located(report)
    for (base, text), (done, done_text), (rate, rate_text) in zip(claims, claims[1:], claims[2:], strict=False):
        if not (text is done_text is rate_text) or rate.unit != "%" or base.unit in (None, "%"):
            continue
        if done.unit != base.unit or base.qualifier not in EXACT or done.qualifier not in EXACT or not base.value:
            continue
        between = "".join(text[done.end : rate.start].split())
        word = next((w for w in RATES if re.fullmatch(rf"[，,]?(?:{w})(?:为|达|达到)?", between)), None)
        if word is None or re.search("[。；;]", text[base.end : done.start]):
            continue
        numerator, denominator = RATES[word]
        if not re.search(numerator, done.quote) or not re.search(denominator, base.quote):
            continue
        computed = done.value / base.value * 100
        decimals = decimals_of(rate)
        if abs(computed - rate.value) <= 0.5 * 10**-decimals + 1e-9:
            continue
        yield finding(
            "prose.rate.ratio",
            quotes=[base.quote, done.quote, rate.quote],
            expected=round(computed, max(decimals, 1)),
            actual=rate.value,
            rate=word,
            done=fmt(done.value),
            base=fmt(base.value),
            computed=f"{computed:.{decimals + 1}f}",
            stated=fmt(rate.value),
        )


@check("prose.rate.change", "error")
def prose_change(report: Report) -> Found:
    """N, 较上年(的) M 增长 P% (or N，上年为 M，同比增长 P%): P must be (N − M) / M.

    The check allows for the rounding of every printed figure (3.26万 is anything from 32,550 to 32,650), so
    only a change no rounding explains is an error."""
    claims = located(report)
    for (now, text), (last, last_text), (change, change_text) in zip(claims, claims[1:], claims[2:], strict=False):
        if (
            not (text is last_text is change_text)
            or change.unit != "%"
            or now.unit in (None, "%")
            or last.unit != now.unit
            or now.qualifier not in (None, "part")
            or not last.value
        ):
            continue
        direction = CHANGE_WORD.fullmatch(text[last.end : change.start])
        if not LAST_YEAR.fullmatch(text[now.end : last.start]) or not direction:
            continue
        sign = -1 if direction.group(1) in FALLING else 1
        (now_lo, now_hi), (last_lo, last_hi) = printed_range(now, text), printed_range(last, text)
        lowest, highest = (now_lo / last_hi - 1) * 100, (now_hi / last_lo - 1) * 100
        decimals = decimals_of(change)
        stated, slack = sign * change.value, 0.5 * 10**-decimals + 1e-9
        if lowest - slack <= stated <= highest + slack:
            continue
        computed = (now.value / last.value - 1) * 100
        yield finding(
            "prose.rate.change",
            quotes=[now.quote, last.quote, change.quote],
            expected=round(abs(computed), decimals),
            actual=change.value,
            quote=" ".join(change.quote.split()),
            now=fmt(now.value),
            last=fmt(last.value),
            computed=f"{computed:+.{decimals + 1}f}",
            stated=fmt(stated),
        )


def printed_range(claim: Claim, text: str) -> tuple[float, float]:
    """The values a printed figure may stand for: 3.26万 → 32,550–32,650; 318 → exactly 318."""
    printed = re.match(r"(\d+)(?:\.(\d+))?", text[claim.start : claim.end].replace(",", ""))
    if not printed:
        return claim.value, claim.value
    scale = claim.value / float(printed.group(0)) if float(printed.group(0)) else 1
    decimals = len(printed.group(2) or "")
    half = 0 if decimals == 0 and scale == 1 else 0.5 * 10**-decimals * scale
    return claim.value - half, claim.value + half
