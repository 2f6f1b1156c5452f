"""`gongkai score --real`: every real report in ../shared against what corpora/real says it holds.

Per report and in total: cell accuracy (annotated cells read with the annotated value; `undetermined` cells are
not scored), section recall (annotated section keys found), claim recall (annotated numbers found with their unit
near their words), finding recall and precision (a predicted finding of error or warning severity matches an
annotated mistake with the same rule that names one of its cells or quotes, or the same two numbers), and false
errors: error findings that no annotated mistake explains. Nothing here changes the pipeline.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nlp.dev import ROOT, SHARED
from nlp.document import Finding, ReadError, Report
from nlp.pipeline import analyze_path

REAL = ROOT / "corpora" / "real"
NUMBER = re.compile(r"\d+(?:\.\d+)?")


@dataclass
class RealScore:
    name: str
    cells: int = 0
    cells_right: int = 0
    sections: int = 0
    sections_found: int = 0
    claims: int = 0
    claims_found: int = 0
    mistakes: int = 0
    mistakes_found: int = 0
    findings: int = 0  # predicted error and warning findings
    findings_right: int = 0
    false_errors: list[str] = field(default_factory=list)
    statements: list[tuple[dict[str, Any], dict[str, Any] | None]] = field(default_factory=list)  # gold, found
    wrong_cells: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def add(self, other: RealScore) -> None:
        for name in (
            "cells",
            "cells_right",
            "sections",
            "sections_found",
            "claims",
            "claims_found",
            "mistakes",
            "mistakes_found",
            "findings",
            "findings_right",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.false_errors += other.false_errors
        self.statements += other.statements


def ratio(part: int, whole: int) -> str:
    return f"{part / whole:.3f}" if whole else "  -  "


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def same_number(a: Any, b: Any) -> bool:
    return a is None and b is None or (a is not None and b is not None and abs(float(a) - float(b)) < 1e-6)


def explains(mistake: dict[str, Any], found: Finding) -> bool:
    """The annotated mistake is the one this finding reports: same rule, and a shared cell, quote or both numbers."""
    rule = mistake["rule"]
    if not (found.rule.startswith(rule) or rule.startswith(found.rule)):
        return False
    if set(mistake.get("cells") or []) & set(found.cells):
        return True
    quoted = squeeze("".join(found.quotes))
    if any(squeeze(q) in quoted for q in mistake.get("quotes") or []):
        return True
    numbers = set(NUMBER.findall("".join(mistake.get("quotes") or [])))
    if numbers and numbers <= set(NUMBER.findall(quoted)):
        return True
    return same_number(mistake.get("expected"), found.expected) and same_number(mistake.get("actual"), found.actual)


def claim_found(claim: dict[str, Any], report: Report) -> bool:
    """An annotated claim is found when a claim of the same value and unit stands right after its words."""
    words = squeeze(claim.get("words", ""))
    texts = {s.key: s.text for s in report.sections}
    for found in report.claims:
        if not same_number(found.value, claim["value"]) or (claim.get("unit") and found.unit != claim["unit"]):
            continue
        before = squeeze(texts.get(found.section or "", "")[max(0, found.start - 40) : found.end])
        if not words or words in before or words in squeeze(found.quote):
            return True
    return False


def score_one(gold: dict[str, Any], report: Report, name: str) -> RealScore:
    score = RealScore(name)
    for key, value in gold.get("cells", {}).items():
        score.cells += 1
        if key in report.tables and same_number(report.tables[key], value):
            score.cells_right += 1
        else:
            score.wrong_cells.append(f"{key}: read {report.tables.get(key, 'nothing')}, printed {value}")
    keys = [s.key for s in report.sections]
    score.sections = len(gold.get("sections", []))
    score.sections_found = sum(key in keys for key in gold.get("sections", []))
    score.missed += [f"section {key}" for key in gold.get("sections", []) if key not in keys]
    for claim in gold.get("claims", []):
        score.claims += 1
        if claim_found(claim, report):
            score.claims_found += 1
        else:
            score.missed.append(f"claim {claim.get('words', '')}{claim['value']}{claim.get('unit') or ''}")
    mistakes = gold.get("mistakes", [])
    flagged = [f for f in report.findings if f.severity in ("error", "warning") and f.rule != "reuse"]
    score.mistakes = len(mistakes)
    for mistake in mistakes:
        if any(explains(mistake, f) for f in flagged):
            score.mistakes_found += 1
        else:
            score.missed.append(f"mistake {mistake['rule']}: {mistake.get('what', '')}")
    score.findings = len(flagged)
    score.findings_right = sum(any(explains(m, f) for m in mistakes) for f in flagged)
    score.false_errors = [
        f"{name}: {f.check or f.rule}: {f.message[:90]}"
        for f in flagged
        if f.severity == "error" and not any(explains(m, f) for m in mistakes)
    ]
    score.warnings = [f"{f.check or f.rule}: {f.message[:80]}" for f in flagged if f.severity == "warning"]
    score.statements = [(s, statement_found(s, report)) for s in gold.get("statements", [])]
    return score


def statement_found(gold: dict[str, Any], report: Report) -> dict[str, Any] | None:
    """The statement the pipeline read that holds the annotated one's first characters."""
    starts = squeeze(gold["starts"])
    return next((s for s in report.statements if starts in squeeze(s["text"])), None)


def theme_scores(pairs: list[tuple[dict[str, Any], dict[str, Any] | None]]) -> dict[str, Any]:
    """Statements found, kind accuracy and theme F1 of the found ones, beside the written test split's."""
    import numpy as np

    from nlp.dev.train import THEMES, evaluate, load_corpus, scores
    from nlp.prose.themes import model

    found = [(gold, got) for gold, got in pairs if got is not None]
    truth = np.array([[t in gold["themes"] for t in THEMES] for gold, _ in found], dtype=bool)
    guess = np.array([[t in got["themes"] for t in THEMES] for _, got in found], dtype=bool)
    real = scores(truth, guess)
    written = evaluate(model(), load_corpus()[1])["model"]
    return {
        "annotated": len(pairs),
        "found": len(found),
        "kind_accuracy": float(np.mean([gold["kind"] == got["kind"] for gold, got in found])),
        "real": real,
        "written": written,
    }


RENDERABLE = (".txt", ".md")  # reports that nlp.dev.render renders as a web page, a PDF or a Word file


def golds(folder: Path = REAL) -> list[tuple[str, dict[str, Any]]]:
    """Each annotation file's name and content, in name order."""
    return [(path.stem, json.loads(path.read_text(encoding="utf-8"))) for path in sorted(folder.glob("*.json"))]


def run(folder: Path = REAL, medium: str | None = None, out_dir: Path | None = None) -> list[RealScore]:
    """Every annotated report; with a `medium` (html, pdf, docx), each text and Markdown report rendered in it
    into `out_dir` and read from that (the same annotations hold: the content is the same)."""
    scores = []
    for name, gold in golds(folder):
        source = SHARED / gold["file"]
        if medium is not None and out_dir is not None:
            if source.suffix not in RENDERABLE:
                continue
            from nlp.dev.render import RENDERERS

            source = RENDERERS[medium](source, out_dir)
        try:
            report = analyze_path(source)
        except ReadError as exc:
            score = RealScore(name)
            score.missed.append(f"not read: {exc.message}")
            scores.append(score)
            continue
        scores.append(score_one(gold, report, name))
    return scores


def main(verbose: bool = False, medium: str | None = None) -> int:
    out_dir = None
    if medium:
        import tempfile

        out_dir = Path(tempfile.gettempdir()) / f"gongkai-real-{medium}"
        out_dir.mkdir(exist_ok=True)
        print(f"text and Markdown reports rendered as {medium} (nlp/dev/render.py), in {out_dir}")
    scores = run(medium=medium, out_dir=out_dir)
    total = RealScore("all")
    print(
        f"{'report':34} {'cells':>11} {'sections':>9} {'claims':>7} {'mistakes':>9} {'precision':>9} "
        f"{'false errors':>12}"
    )
    for s in scores:
        total.add(s)
        print(
            f"{s.name[:34]:34} {ratio(s.cells_right, s.cells):>5} ({s.cells:3}) "
            f"{ratio(s.sections_found, s.sections):>9} {ratio(s.claims_found, s.claims):>7} "
            f"{s.mistakes_found:>4}/{s.mistakes:<4} "
            f"{ratio(s.findings_right, s.findings):>9} {len(s.false_errors):>12}"
        )
    print(
        f"{'total':34} {ratio(total.cells_right, total.cells):>5} ({total.cells}) "
        f"{ratio(total.sections_found, total.sections):>9} {ratio(total.claims_found, total.claims):>7} "
        f"{total.mistakes_found:>4}/{total.mistakes:<4} {ratio(total.findings_right, total.findings):>9} "
        f"{len(total.false_errors):>12}"
    )
    for line in total.false_errors:
        print(f"  false error: {line}")
    themes = theme_scores(total.statements)
    print(
        f"statements of section 五: {themes['found']} of {themes['annotated']} annotated found, kind accuracy "
        f"{themes['kind_accuracy']:.3f}; theme macro-F1 {themes['real']['macro_f1']:.3f} "
        f"(micro {themes['real']['micro_f1']:.3f}) on them, {themes['written']['macro_f1']:.3f} on the written test "
        "split (the model is trained on these real statements too: `gongkai train --real-cv` measures it on real "
        "reports held out)"
    )
    if verbose:
        weak = sorted(themes["real"]["themes"].items(), key=lambda item: item[1]["f1"])
        print("  theme F1 on real statements: " + ", ".join(f"{t} {s['f1']:.2f} ({s['support']})" for t, s in weak))
    if verbose:
        for s in scores:
            for line in s.wrong_cells + s.missed:
                print(f"  {s.name}: {line}")
            for line in s.warnings:
                print(f"  {s.name}: warning {line}")
    return 0
