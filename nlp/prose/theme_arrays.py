"""The trained theme model as plain arrays (models/themes.npz), so that predicting needs numpy, not scikit-learn.

Importing scikit-learn (it imports scipy.stats) and unpickling the model is 1.5–2 s of CPU, more than the rest of
a cold `gongkai analyze` of a text report. scikit-learn still trains the model (nlp/dev/train.py), which writes
these arrays beside the joblib file: the vocabularies and idf of both TF-IDF vectorizers, the weights of each
linear SVM and the sigmoid of each theme's calibration. The arrays name the sha256 of the joblib file they were
taken from; a model trained again without them is loaded from joblib as before. tests/prose/test_theme_arrays.py
holds both to the same predictions on every statement of the corpus.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from nlp.prose.themes import mark_ends, words

WHITE_SPACES = re.compile(r"\s\s+")  # scikit-learn's char analyzer squeezes runs of white space
Row = tuple[np.ndarray, np.ndarray]  # feature indices, values


def arrays_path(model: Path) -> Path:
    return model.with_suffix(".npz")


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def ngrams(items: list[str], low: int, high: int, join: str) -> list[str]:
    """scikit-learn's n-grams: every run of `low` to `high` items, shortest first."""
    return [join.join(items[i : i + n]) for n in range(low, high + 1) for i in range(len(items) - n + 1)]


def word_grams(text: str) -> list[str]:
    return ngrams(words(text), 1, 2, " ")


def char_grams(text: str) -> list[str]:
    return ngrams(list(WHITE_SPACES.sub(" ", mark_ends(text))), 1, 3, "")


class Tfidf:
    """One fitted TfidfVectorizer's transform: sublinear tf, idf, each row to unit length."""

    def __init__(self, vocabulary: np.ndarray, idf: np.ndarray, analyzer: Callable[[str], list[str]]) -> None:
        self.index = {str(term): i for i, term in enumerate(vocabulary)}
        self.idf, self.analyzer = idf, analyzer

    def row(self, text: str) -> Row:
        counts = Counter(term for term in self.analyzer(text) if term in self.index)
        columns = np.fromiter((self.index[term] for term in counts), dtype=np.int64, count=len(counts))
        values = (np.log(np.fromiter(counts.values(), dtype=float, count=len(counts))) + 1) * self.idf[columns]
        norm = np.sqrt(values @ values)
        return columns, values / norm if norm else values


class Union:
    """The FeatureUnion of the word and the character vectorizer: their columns side by side."""

    def __init__(self, parts: list[Tfidf]) -> None:
        self.parts = parts
        self.offsets = np.cumsum([0] + [len(p.idf) for p in parts[:-1]])

    def transform(self, texts: list[str]) -> list[Row]:
        rows = []
        for text in texts:
            pieces = [part.row(text) for part in self.parts]
            columns = np.concatenate([c + offset for (c, _), offset in zip(pieces, self.offsets, strict=True)])
            rows.append((columns, np.concatenate([v for _, v in pieces])))
        return rows


class Linear:
    """A binary linear SVM: its decision function, its class, and (calibrated) the sigmoid of the decision."""

    def __init__(self, coef: np.ndarray, intercept: float, classes: np.ndarray, sigmoid: tuple[float, float] | None):
        self.coef, self.intercept, self.classes, self.sigmoid = coef, intercept, classes, sigmoid

    def decision(self, rows: list[Row]) -> np.ndarray:
        return np.array([self.coef[columns] @ values + self.intercept for columns, values in rows])

    def predict(self, rows: list[Row]) -> np.ndarray:
        return self.classes[(self.decision(rows) > 0).astype(int)]

    def predict_proba(self, rows: list[Row]) -> np.ndarray:
        a, b = self.sigmoid or (-1.0, 0.0)
        positive = 1.0 / (1.0 + np.exp(a * self.decision(rows) + b))
        return np.column_stack([1.0 - positive, positive])


def load(model: Path) -> dict[str, Any] | None:
    """The bundle themes.predict uses, from the arrays beside `model`; None where there are none, or they were
    taken from another model file than the one there now."""
    path = arrays_path(model)
    try:
        with np.load(path, allow_pickle=False) as npz:
            a = {key: npz[key] for key in npz.files}
        if str(a["source_sha256"]) != sha256(model):
            return None
    except (OSError, KeyError, ValueError):
        return None
    union = Union([Tfidf(a["words"], a["words_idf"], word_grams), Tfidf(a["chars"], a["chars_idf"], char_grams)])
    return {
        "themes": [str(t) for t in a["themes"]],
        "thresholds": a["thresholds"].tolist(),
        "vectorizer": union,
        "classifiers": [
            Linear(coef, float(b0), np.array([False, True]), (float(sa), float(sb)))
            for coef, b0, sa, sb in zip(a["theme_coef"], a["theme_intercept"], a["theme_a"], a["theme_b"], strict=True)
        ],
        "kind": Linear(a["kind_coef"], float(a["kind_intercept"]), a["kind_classes"], None),
        "generic": Linear(a["generic_coef"], float(a["generic_intercept"]), a["generic_classes"], None),
    }


def export(bundle: dict[str, Any], model: Path) -> Path:
    """The arrays of a bundle nlp.dev.train has fitted and written to `model`. Refuses a bundle whose parts are not
    the ones this module reproduces, rather than write arrays that would predict differently."""
    words_tf, chars_tf = (t for _, t in bundle["vectorizer"].transformer_list)
    expected = [
        (words_tf, {"analyzer": "word", "ngram_range": (1, 2), "tokenizer": words, "preprocessor": None}),
        (chars_tf, {"analyzer": "char", "ngram_range": (1, 3), "preprocessor": mark_ends}),
    ]
    for vectorizer, params in expected:
        params |= {"sublinear_tf": True, "norm": "l2", "use_idf": True, "strip_accents": None, "stop_words": None}
        got = vectorizer.get_params()
        if any(got[k] != v for k, v in params.items()) or (vectorizer.analyzer == "word" and got["lowercase"]):
            raise ValueError(f"theme_arrays does not reproduce this vectorizer: {vectorizer}")
    themes = []
    for classifier in bundle["classifiers"]:
        (calibrated,) = classifier.calibrated_classifiers_  # ensemble=False: one estimator fitted on all rows
        (sigmoid,) = calibrated.calibrators
        if calibrated.method != "sigmoid" or list(classifier.classes_) != [False, True]:
            raise ValueError("theme_arrays reproduces a sigmoid calibration of a binary classifier only")
        themes.append((calibrated.estimator.coef_[0], calibrated.estimator.intercept_[0], sigmoid.a_, sigmoid.b_))
    for name in ("kind", "generic"):
        if bundle[name].coef_.shape[0] != 1:
            raise ValueError(f"theme_arrays reproduces a binary {name} classifier only")
    path = arrays_path(model)
    np.savez_compressed(
        path,
        source_sha256=np.array(sha256(model)),
        themes=np.array(bundle["themes"]),
        thresholds=np.array(bundle["thresholds"], dtype=float),
        words=np.array(sorted(words_tf.vocabulary_, key=words_tf.vocabulary_.get)),
        words_idf=words_tf.idf_,
        chars=np.array(sorted(chars_tf.vocabulary_, key=chars_tf.vocabulary_.get)),
        chars_idf=chars_tf.idf_,
        theme_coef=np.array([t[0] for t in themes]),
        theme_intercept=np.array([t[1] for t in themes]),
        theme_a=np.array([t[2] for t in themes]),
        theme_b=np.array([t[3] for t in themes]),
        **{
            f"{name}_{part}": value
            for name in ("kind", "generic")
            for part, value in (
                ("coef", bundle[name].coef_[0]),
                ("intercept", bundle[name].intercept_[0]),
                ("classes", bundle[name].classes_),
            )
        },
    )
    return path
