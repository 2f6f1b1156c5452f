"""Theme tagging of single statements with the trained model in models/ (see docs/themes.md).

The model is loaded once per process and shared: `gongkai themes` tags thousands of lines, the pipeline tags a
dozen per report, and both should pay the joblib load only once. Training lives in nlp/train.py; this module
holds what both sides need (the tokenizer pickled inside the model, the prediction rule) so they cannot drift.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jieba
import numpy as np

from nlp.prose.segmenter import configure
from nlp.settings import get_settings

PUNCT = re.compile(r"[\s\W_]+")
SENTENCE = re.compile(r"(?<=[。！？])")
# Clauses that give a measure's aim, not its action: 确保…准确, 不断提升…水平, 推动…再上新台阶.
PURPOSE = re.compile(
    r"^(?:确保|以便|以期|从而|使|为|切实做到|努力|争取|保证|推动[^，]*(?:水平|台阶|发展)|"
    r"(?:不断|全面|进一步|持续)?(?:提升|提高)[^，]*(?:水平|质量|实效|效果|能力建设))"
)

configure()  # before the first cut: jieba's dictionary cache in the user's cache folder


def words(text: str) -> list[str]:
    """jieba words without punctuation. Module-level so the fitted vectorizer pickles a reference to it."""
    return [w for w in jieba.lcut(text) if not PUNCT.fullmatch(w)]


def mark_ends(text: str) -> str:
    """Start and end marks, so that character n-grams tell a statement's opening and closing words apart."""
    return f"^{text}$"


@dataclass
class Prediction:
    text: str
    kind: str
    themes: list[str]
    scores: dict[str, float]
    generic: bool


def load(path: Path) -> dict[str, Any]:
    """The model bundle written by nlp.train: vectorizer, one calibrated classifier and threshold per theme,
    the kind and generic classifiers, and the evaluation it was shipped with."""
    import joblib  # here, not at the top: unpickling imports scikit-learn, which prediction does without

    return joblib.load(path)


@functools.cache
def model() -> dict[str, Any]:
    """The model of the settings in force, loaded once per process: from its arrays where they were taken from this
    very file (numpy only, no scikit-learn: nlp/prose/theme_arrays.py), else from joblib."""
    from nlp.prose import theme_arrays  # it imports this module

    path = get_settings().theme_model
    return theme_arrays.load(path) or load(path)


def theme_probabilities(bundle: dict[str, Any], features: Any) -> np.ndarray:
    """Calibrated probability of each theme, one column per theme, in `bundle["themes"]` order."""
    return np.column_stack([clf.predict_proba(features)[:, 1] for clf in bundle["classifiers"]])


def choose_themes(probabilities: np.ndarray, thresholds: np.ndarray) -> np.ndarray:
    """Themes at or over their own threshold; a statement none reaches still gets its most likely theme
    (themes.md: a vague statement gets its best theme)."""
    chosen = probabilities >= thresholds
    empty = ~chosen.any(axis=1)
    chosen[empty, probabilities[empty].argmax(axis=1)] = True
    return chosen


def segments(text: str) -> list[str]:
    """What a statement is scored on: itself, each of its sentences if it has several, and itself without the
    clauses that only state an aim. An enumerated item with a heading and details is about everything its
    sentences are about; 加强培训指导，确保公开准确、及时，不断提升工作水平 is about training, not accuracy."""
    parts = [text]
    sentences = [p for p in SENTENCE.split(text) if len(p.strip("。；！？ ")) > 1]
    if len(sentences) > 1:
        parts += sentences
    clauses = text.split("，")
    core = "，".join(c for c in clauses if not PURPOSE.match(c))
    if core and len(core) < len(text) - 1:
        parts.append(core)
    return parts


def probabilities(bundle: dict[str, Any], texts: list[str]) -> np.ndarray:
    """Each theme's probability for each text: the most that any of its segments gives it."""
    groups = [segments(text) for text in texts]
    flat = [segment for group in groups for segment in group]
    starts = np.cumsum([0] + [len(group) for group in groups[:-1]])
    return np.maximum.reduceat(theme_probabilities(bundle, bundle["vectorizer"].transform(flat)), starts, axis=0)


def predict(texts: list[str], bundle: dict[str, Any] | None = None) -> list[Prediction]:
    """Kind, themes, scores and the generic flag of each text, taken alone (no position in a report)."""
    if not texts:
        return []
    bundle = bundle or model()
    probability = probabilities(bundle, texts)
    chosen = choose_themes(probability, np.asarray(bundle["thresholds"]))
    features = bundle["vectorizer"].transform(texts)
    kinds = bundle["kind"].predict(features)
    generic = bundle["generic"].predict(features)
    names = bundle["themes"]
    return [
        Prediction(
            text=text,
            kind=str(kinds[i]),
            themes=[names[j] for j in np.flatnonzero(chosen[i])],
            scores={name: round(float(p), 3) for name, p in zip(names, probability[i], strict=True)},
            generic=bool(generic[i]),
        )
        for i, text in enumerate(texts)
    ]


def tag(texts: list[str]) -> list[dict[str, Any]]:
    """`{"text", "kind", "themes", "scores"}` for each statement."""
    return [{"text": p.text, "kind": p.kind, "themes": p.themes, "scores": p.scores} for p in predict(texts)]


def read_statements(lines: Iterable[str]) -> Iterator[str]:
    """One statement a line: plain text, or a JSON object with "text". Blank lines are skipped."""
    for line in lines:
        line = line.strip()
        if not line:
            continue
        if line.startswith("{"):
            try:
                text = json.loads(line).get("text")
            except json.JSONDecodeError:
                text = line
            if isinstance(text, str) and text.strip():
                yield text.strip()
            continue
        yield line
