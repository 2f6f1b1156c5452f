"""`gongkai train`: rebuild models/themes.joblib from corpora/statements and print how well it does.

Deterministic on purpose (sorted rows, fixed seeds, single-threaded liblinear): the committed model must be the
one this command builds, and a test retrains it and compares the scores. The evaluation uses the corpus's fixed
test split only; thresholds are chosen on cross-validation folds of the training split, never on the test.
The keyword rules of theme_keywords.json are scored beside the model, so that the model has to earn its keep.
"""

from __future__ import annotations

import json
import re
import time
from importlib import resources
from pathlib import Path
from typing import Any

import joblib
import numpy as np
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.model_selection import KFold, StratifiedKFold
from sklearn.pipeline import FeatureUnion
from sklearn.svm import LinearSVC

from nlp.dev import MODEL_PATH, ROOT, SHARED, STATEMENTS_CORPUS
from nlp.prose import theme_arrays
from nlp.prose.themes import (
    choose_themes,
    mark_ends,
    probabilities,
    theme_probabilities,
    words,
)

DOCS_PATH = ROOT / "docs" / "themes.md"
TABLE_START, TABLE_END = "<!-- evaluation:start -->", "<!-- evaluation:end -->"
SEED = 0
FOLDS = 5
SVM_C = 0.5
THRESHOLD_GRID = np.round(np.arange(0.25, 0.76, 0.01), 2)  # extreme thresholds fit fold noise
_DATA = resources.files("nlp.prose")
KEYWORDS: dict[str, list[str]] = json.loads(_DATA.joinpath("theme_keywords.json").read_text(encoding="utf-8"))["themes"]
PROBLEM_WORDING = re.compile(
    json.loads(_DATA.joinpath("statement_patterns.json").read_text(encoding="utf-8"))["problem_wording"]
)
THEMES = list(KEYWORDS)


def load_corpus(path: Path = STATEMENTS_CORPUS) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Train and test rows, each sorted by text so that file order cannot change the model."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    unknown = {t for row in rows for t in row["themes"]} - set(THEMES)
    if unknown:
        raise ValueError(f"{path}: themes not in themes.md: {sorted(unknown)}")
    train_rows, test_rows = ([r for r in rows if r["split"] == name] for name in ("train", "test"))
    return sorted(train_rows, key=lambda r: r["text"]), sorted(test_rows, key=lambda r: r["text"])


REAL = ROOT / "corpora" / "real"


def real_rows(folder: Path = REAL) -> list[dict[str, Any]]:
    """The hand-labelled statements of the real reports (corpora/real keeps their first characters; the text is
    read from ../shared, never copied). Each runs from its first characters to the next labelled statement in
    the same stretch of section 五, as the rule-based reader cuts it (no model in the loop, so training is
    reproducible). Empty where ../shared is not there."""
    from nlp.pipeline import analyze_path
    from nlp.prose.statements import read_drafts, section_text

    rows = []
    for path in sorted(folder.glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        if not gold.get("statements") or not (SHARED / gold["file"]).exists():
            continue
        drafts = [
            "".join(d.text.split()) for d in read_drafts(section_text(analyze_path(SHARED / gold["file"]).sections))
        ]
        starts = ["".join(s["starts"].split()) for s in gold["statements"]]
        for i, statement in enumerate(gold["statements"]):
            draft = next((d for d in drafts if starts[i] in d), None)
            if draft is None:
                continue
            begin = draft.index(starts[i])
            ends = [draft.find(later, begin + 1) for later in starts[i + 1 :]]
            end = min([e for e in ends if e > begin], default=len(draft))
            rows.append(
                {
                    "text": draft[begin:end],
                    "kind": statement["kind"],
                    "themes": statement["themes"],
                    "generic": bool(statement.get("generic")),
                    "split": "real",
                    "report": path.stem,
                }
            )
    return rows


def label_matrix(rows: list[dict[str, Any]]) -> np.ndarray:
    return np.array([[theme in row["themes"] for theme in THEMES] for row in rows], dtype=bool)


def make_vectorizer() -> FeatureUnion:
    """jieba words and word pairs (what a statement is about) with character 1–3-grams (robust to segmentation
    and to the many compounds jieba does not know: 依申请, 解读稿, 公开栏). The character grams see the
    statement's two ends, where Chinese shows its kind: measures open with a verb (加强, 推动), problems close on a
    verdict (有待提高, 不足)."""
    return FeatureUnion(
        [
            (
                "words",
                TfidfVectorizer(
                    tokenizer=words, token_pattern=None, lowercase=False, ngram_range=(1, 2), sublinear_tf=True
                ),
            ),
            (
                "chars",
                TfidfVectorizer(
                    analyzer="char", ngram_range=(1, 3), min_df=2, sublinear_tf=True, preprocessor=mark_ends
                ),
            ),
        ]
    )


def theme_classifier() -> CalibratedClassifierCV:
    """A linear SVM per theme, its margins mapped to probabilities by Platt scaling on inner folds."""
    return CalibratedClassifierCV(
        LinearSVC(C=SVM_C, class_weight="balanced", random_state=SEED),
        method="sigmoid",
        ensemble=False,
        cv=StratifiedKFold(FOLDS, shuffle=True, random_state=SEED),
    )


def fit_themes(features: Any, labels: np.ndarray) -> list[CalibratedClassifierCV]:
    return [theme_classifier().fit(features, labels[:, j]) for j in range(labels.shape[1])]


def out_of_fold_probabilities(texts: list[str], labels: np.ndarray) -> np.ndarray:
    """Theme probabilities of every training row from a model that did not see it (vectorizer included)."""
    probabilities = np.zeros(labels.shape)
    for fit_rows, held_rows in KFold(FOLDS, shuffle=True, random_state=SEED).split(texts):
        vectorizer = make_vectorizer()
        features = vectorizer.fit_transform([texts[i] for i in fit_rows])
        bundle = {"classifiers": fit_themes(features, labels[fit_rows])}
        probabilities[held_rows] = theme_probabilities(bundle, vectorizer.transform([texts[i] for i in held_rows]))
    return probabilities


def f1(truth: np.ndarray, guess: np.ndarray) -> float:
    true_positive = float((truth & guess).sum())
    return 2 * true_positive / (truth.sum() + guess.sum()) if truth.sum() + guess.sum() else 0.0


def best_thresholds(probabilities: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Per theme, the threshold with the best out-of-fold F1; ties go to the one nearest 0.5."""
    chosen = []
    for j in range(labels.shape[1]):
        scored = [(f1(labels[:, j], probabilities[:, j] >= t), -abs(t - 0.5), t) for t in THRESHOLD_GRID]
        chosen.append(max(scored)[2])
    return np.array(chosen)


def fit(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The model bundle nlp.themes loads."""
    texts = [row["text"] for row in rows]
    labels = label_matrix(rows)
    thresholds = best_thresholds(out_of_fold_probabilities(texts, labels), labels)
    vectorizer = make_vectorizer()
    features = vectorizer.fit_transform(texts)
    return {
        "themes": THEMES,
        "vectorizer": vectorizer,
        "classifiers": fit_themes(features, labels),
        "thresholds": thresholds.tolist(),
        "kind": LinearSVC(C=1, random_state=SEED).fit(features, [row["kind"] for row in rows]),
        "generic": LinearSVC(C=1, class_weight="balanced", random_state=SEED).fit(
            features, [row["generic"] for row in rows]
        ),
    }


def keyword_themes(text: str) -> list[bool]:
    return [any(word in text for word in KEYWORDS[theme]) for theme in THEMES]


def keyword_kind(text: str) -> str:
    return "problem" if PROBLEM_WORDING.search(text) else "measure"


def scores_of(truth: np.ndarray, guess: np.ndarray) -> dict[str, float | int]:
    """Precision, recall, F1 and support of one label (a column of booleans)."""
    hit = float((truth & guess).sum())
    return {
        "precision": hit / guess.sum() if guess.sum() else 0.0,
        "recall": hit / truth.sum() if truth.sum() else 0.0,
        "f1": f1(truth, guess),
        "support": int(truth.sum()),
    }


def scores(truth: np.ndarray, guess: np.ndarray) -> dict[str, Any]:
    """Per-theme precision, recall and F1, with micro and macro F1."""
    per_theme = {theme: scores_of(truth[:, j], guess[:, j]) for j, theme in enumerate(THEMES)}
    return {
        "themes": per_theme,
        "micro_f1": f1(truth.ravel(), guess.ravel()),
        "macro_f1": float(np.mean([s["f1"] for s in per_theme.values()])),
    }


def evaluate(bundle: dict[str, Any], rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Model and keyword baseline on the given rows (the fixed test split), the model scored exactly as
    nlp.themes.predict scores it."""
    texts = [row["text"] for row in rows]
    truth = label_matrix(rows)
    features = bundle["vectorizer"].transform(texts)
    guess = choose_themes(probabilities(bundle, texts), np.asarray(bundle["thresholds"]))
    kinds = [row["kind"] for row in rows]
    model_kinds = bundle["kind"].predict(features)
    generic = np.array([[row["generic"]] for row in rows])
    return {
        "statements": len(rows),
        "generic": scores_of(generic, bundle["generic"].predict(features).reshape(-1, 1).astype(bool)),
        "model": scores(truth, guess)
        | {"kind_accuracy": float(np.mean([a == b for a, b in zip(kinds, model_kinds, strict=True)]))},
        "keywords": scores(truth, np.array([keyword_themes(t) for t in texts], dtype=bool))
        | {"kind_accuracy": float(np.mean([keyword_kind(t) == k for t, k in zip(texts, kinds, strict=True)]))},
    }


def table(evaluation: dict[str, Any]) -> str:
    """The evaluation as a Markdown table, model beside keyword baseline."""
    model, keywords = evaluation["model"], evaluation["keywords"]
    lines = [
        f"Test split: {evaluation['statements']} statements.",
        "",
        "| theme | support | model P | model R | model F1 | keywords P | keywords R | keywords F1 |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for theme in THEMES:
        m, k = model["themes"][theme], keywords["themes"][theme]
        lines.append(
            f"| `{theme}` | {m['support']} | {m['precision']:.3f} | {m['recall']:.3f} | {m['f1']:.3f} "
            f"| {k['precision']:.3f} | {k['recall']:.3f} | {k['f1']:.3f} |"
        )
    for label, key in (("micro F1", "micro_f1"), ("**macro F1**", "macro_f1"), ("kind accuracy", "kind_accuracy")):
        lines.append(f"| {label} | | | | {model[key]:.3f} | | | {keywords[key]:.3f} |")
    generic = evaluation["generic"]
    lines += [
        "",
        f"Vague statements (`generic`, {generic['support']} in the test split): precision "
        f"{generic['precision']:.3f}, recall {generic['recall']:.3f}, F1 {generic['f1']:.3f}.",
    ]
    return "\n".join(lines)


def train(model_path: Path = MODEL_PATH, corpus: Path = STATEMENTS_CORPUS) -> dict[str, Any]:
    """Fit on the train split and the real reports' statements, evaluate on the written test split, write the
    bundle (with its evaluation)."""
    train_rows, test_rows = load_corpus(corpus)
    bundle = fit(sorted(train_rows + real_rows(), key=lambda r: r["text"]))
    bundle["evaluation"] = evaluate(bundle, test_rows)
    model_path.parent.mkdir(parents=True, exist_ok=True)
    joblib.dump(bundle, model_path, compress=3)
    theme_arrays.export(bundle, model_path)  # what prediction loads: numpy arrays, no scikit-learn
    return bundle["evaluation"]


def cross_validate_real(corpus: Path = STATEMENTS_CORPUS, folds: int = 5) -> dict[str, float]:
    """How the model does on real reports it has not seen: the real reports in `folds` groups, each scored by a
    model trained on the written train split plus the other groups, beside one trained on the written split
    alone (what the shipped model would be without real statements)."""
    train_rows, test_rows = load_corpus(corpus)
    real = real_rows()
    reports = sorted({r["report"] for r in real})
    written_only = fit(train_rows)
    truth, alone, joint, written = [], [], [], []
    for k in range(folds):
        held_reports = set(reports[k::folds])
        held = [r for r in real if r["report"] in held_reports]
        bundle = fit(sorted(train_rows + [r for r in real if r["report"] not in held_reports], key=lambda r: r["text"]))
        texts = [r["text"] for r in held]
        truth.append(label_matrix(held))
        alone.append(choose_themes(probabilities(written_only, texts), np.asarray(written_only["thresholds"])))
        joint.append(choose_themes(probabilities(bundle, texts), np.asarray(bundle["thresholds"])))
        written.append(evaluate(bundle, test_rows)["model"]["macro_f1"])
    return {
        "statements": len(real),
        "written_only": scores(np.vstack(truth), np.vstack(alone))["macro_f1"],
        "with_real": scores(np.vstack(truth), np.vstack(joint))["macro_f1"],
        "written_split_with_real": float(np.mean(written)),
        "written_split_alone": evaluate(written_only, test_rows)["model"]["macro_f1"],
    }


def write_docs(text: str, path: Path = DOCS_PATH) -> None:
    """Put the table between the evaluation markers of docs/themes.md, leaving the prose around it alone."""
    doc = path.read_text(encoding="utf-8")
    start, end = doc.index(TABLE_START) + len(TABLE_START), doc.index(TABLE_END)
    path.write_text(doc[:start] + "\n" + text + "\n" + doc[end:], encoding="utf-8")


def main(real_cv: bool = False) -> int:
    if real_cv:
        cv = cross_validate_real()
        print(
            f"real statements ({cv['statements']}, 5 groups of reports): theme macro-F1 {cv['written_only']:.3f} "
            f"trained on the written split alone, {cv['with_real']:.3f} with the other groups' real statements; "
            f"written test split {cv['written_split_alone']:.3f} alone, {cv['written_split_with_real']:.3f} with them"
        )
        return 0
    started = time.perf_counter()
    evaluation = train()
    text = table(evaluation)
    print(text)
    print(
        f"\nwrote {MODEL_PATH.relative_to(ROOT)} ({MODEL_PATH.stat().st_size / 1e6:.1f} MB) "
        f"in {time.perf_counter() - started:.0f} s"
    )
    write_docs(text)
    return 0
