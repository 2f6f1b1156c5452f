"""`gongkai score`: claims and findings against the annotated corpus in corpora/claims.

A predicted claim matches a gold one when value and unit agree and it is the same number (by position, else one
quote contains the other); how many matched claims also agree on qualifier and on metric is counted apart. A distractor
is "taken" when a predicted claim's quote covers it; a predicted finding matches a gold one with the same rule
that names one of its cells or quotes. Informational findings (reuse) are not scored.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nlp.dev import ROOT
from nlp.document import Claim, Finding, Report
from nlp.pipeline import analyze

CORPUS = ROOT / "corpora" / "claims"


@dataclass
class Tally:
    matched: int = 0
    predicted: int = 0
    gold: int = 0

    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 1.0

    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 1.0


@dataclass
class Score:
    claims: Tally = field(default_factory=Tally)
    findings: Tally = field(default_factory=Tally)
    qualifier_agrees: int = 0
    metric_agrees: int = 0
    distractors: int = 0
    distractors_taken: list[str] = field(default_factory=list)
    clean_reports: int = 0
    clean_with_error: list[str] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def same_claim(predicted: Claim, gold: dict, offsets: dict[str, int]) -> bool:
    """Same value and unit, and the same number: its span lies inside the gold quote (quotes may differ in how
    much of the clause they keep: 64 所学校 vs 覆盖全县 64 所), or one quote contains the other."""
    if predicted.value != float(gold["value"]) or (predicted.unit or None) != (gold.get("unit") or None):
        return False
    offset = offsets.get(predicted.section or "")
    if (
        offset is not None
        and "start" in gold
        and gold["start"] <= offset + predicted.start < offset + predicted.end <= gold["start"] + len(gold["quote"])
    ):
        return True
    a, b = squeeze(predicted.quote), squeeze(gold["quote"])
    return a in b or b in a


def same_finding(predicted: Finding, gold: dict) -> bool:
    if predicted.rule != gold["rule"]:
        return False
    cells, quote = set(gold.get("cells") or []), squeeze(gold.get("quote") or "")
    if cells & set(predicted.cells):
        return True
    quotes = [squeeze(q) for q in predicted.quotes]
    return bool(quote) and any(quote in q or q in quote for q in quotes if q)


def covers(report: Report, claim: Claim, distractor: str) -> bool:
    """The claim's own number and unit lie inside an occurrence of the distractor (0517-87222589, 第3页)."""
    section = report.section(claim.section or "")
    text = section.text if section else ""
    return any(
        start < claim.end and claim.start < start + len(distractor)
        for start in (m.start() for m in re.finditer(re.escape(distractor), text))
    )


def match(predicted: list, gold: list[dict], same: Callable[[Any, dict], bool]) -> tuple[list[tuple], list[dict]]:
    """Greedy one-to-one matching; returns the (predicted, gold) pairs and the gold items left unmatched."""
    left = list(predicted)
    pairs, missed = [], []
    for item in gold:
        hit = next((p for p in left if same(p, item)), None)
        if hit is None:
            missed.append(item)
        else:
            left.remove(hit)
            pairs.append((hit, item))
    return pairs, missed


def score_one(text_path: Path, score: Score) -> None:
    gold = json.loads(text_path.with_suffix(".json").read_text(encoding="utf-8"))
    report = analyze(text_path.read_bytes(), text_path.name)
    offsets = {s.key: report.text.find(s.text) for s in report.sections if s.text and s.text in report.text}
    pairs, missed = match(report.claims, gold["claims"], lambda p, g: same_claim(p, g, offsets))
    score.claims.matched += len(pairs)
    score.qualifier_agrees += sum(p.qualifier == g.get("qualifier") for p, g in pairs)
    score.metric_agrees += sum(p.metric == g.get("metric") for p, g in pairs)
    score.misses += [
        f"{text_path.name}: qualifier {p.qualifier} for {g.get('qualifier')} in {g['quote']!r}"
        for p, g in pairs
        if p.qualifier != g.get("qualifier")
    ]
    score.claims.predicted += len(report.claims)
    score.claims.gold += len(gold["claims"])
    score.misses += [f"{text_path.name}: missed claim {m['quote']!r}" for m in missed]
    for distractor in gold.get("distractors", []):
        score.distractors += 1
        if any(covers(report, claim, distractor) for claim in report.claims):
            score.distractors_taken.append(f"{text_path.name}: {distractor}")
    scored = [f for f in report.findings if f.severity in ("error", "warning") and f.rule != "reuse"]
    pairs, missed = match(scored, gold["findings"], same_finding)
    unplanted = [f for f in scored if not any(same_finding(f, g) for g in gold["findings"])]
    score.misses += [
        f"{text_path.name}: unplanted finding {f.rule} {f.severity} {f.cells[:2] or f.quotes[:1]}" for f in unplanted
    ]
    score.findings.matched += len(pairs)
    score.findings.predicted += len(scored)
    score.findings.gold += len(gold["findings"])
    score.misses += [f"{text_path.name}: missed finding {m['rule']} {m.get('cells') or m.get('quote')}" for m in missed]
    if not gold.get("planted"):
        score.clean_reports += 1
        if any(f.severity == "error" for f in report.findings):
            score.clean_with_error.append(text_path.name)


def run(corpus: Path = CORPUS, split: str | None = None) -> Score:
    """Score every report of the corpus, or only those of one split ("heldout": written after the rules were
    tuned on the others, by someone who had not read the extractor)."""
    score = Score()
    for path in sorted(corpus.glob("*.txt")):
        if split is None or json.loads(path.with_suffix(".json").read_text(encoding="utf-8")).get("split") == split:
            score_one(path, score)
    return score


def report(title: str, score: Score) -> None:
    print(title)
    print(
        f"  claims:      precision {score.claims.precision():.3f}  recall {score.claims.recall():.3f}  "
        f"({score.claims.matched} matched, {score.claims.predicted} predicted, {score.claims.gold} annotated)"
    )
    matched = score.claims.matched or 1
    print(
        f"               of matched claims, same qualifier {score.qualifier_agrees / matched:.3f}, "
        f"same metric {score.metric_agrees / matched:.3f}"
    )
    print(f"  distractors: {len(score.distractors_taken)} of {score.distractors} taken as claims")
    print(
        f"  findings:    precision {score.findings.precision():.3f}  recall {score.findings.recall():.3f}  "
        f"({score.findings.matched} matched, {score.findings.predicted} predicted, {score.findings.gold} planted)"
    )
    print(
        f"  reports without a planted mistake: {score.clean_reports}, with an error finding: "
        f"{len(score.clean_with_error)} {score.clean_with_error or ''}"
    )


def main(corpus: str | None = None) -> int:
    folder = Path(corpus) if corpus else CORPUS
    everything = run(folder)
    report("all reports", everything)
    heldout = run(folder, "heldout")
    if heldout.claims.gold:
        report("held-out reports only", heldout)
    for line in everything.distractors_taken + everything.misses:
        print("  " + line)
    return 0
