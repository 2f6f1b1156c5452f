"""The theme model's arrays (models/themes.npz) predict what the joblib model predicts, on every statement of the
corpus, and are only used beside the very model file they were taken from."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from nlp.dev import MODEL_PATH, STATEMENTS_CORPUS
from nlp.prose import theme_arrays, themes


@pytest.fixture(scope="module")
def texts() -> list[str]:
    return [json.loads(line)["text"] for line in STATEMENTS_CORPUS.read_text(encoding="utf-8").splitlines()]


def test_the_shipped_arrays_are_taken_from_the_shipped_model() -> None:
    """Fails when the model was trained again and its arrays not written (gongkai train writes both)."""
    assert theme_arrays.load(MODEL_PATH) is not None


def test_arrays_and_model_predict_the_same_on_every_corpus_statement(texts: list[str]) -> None:
    arrays, model = theme_arrays.load(MODEL_PATH), themes.load(MODEL_PATH)
    assert len(texts) > 1000
    assert np.abs(themes.probabilities(arrays, texts) - themes.probabilities(model, texts)).max() < 1e-12
    ours, theirs = themes.predict(texts, arrays), themes.predict(texts, model)
    assert [(p.kind, p.themes, p.generic) for p in ours] == [(p.kind, p.themes, p.generic) for p in theirs]


def test_arrays_of_another_model_file_are_not_used(tmp_path: Path) -> None:
    model = tmp_path / "themes.joblib"
    model.write_bytes(MODEL_PATH.read_bytes() + b"\0")  # another file, as after training again
    shutil.copy(theme_arrays.arrays_path(MODEL_PATH), theme_arrays.arrays_path(model))
    assert theme_arrays.load(model) is None
    assert theme_arrays.load(tmp_path / "missing.joblib") is None


def test_export_writes_arrays_that_load(tmp_path: Path) -> None:
    model = tmp_path / "themes.joblib"
    shutil.copy(MODEL_PATH, model)
    theme_arrays.export(themes.load(MODEL_PATH), model)
    assert theme_arrays.load(model)["themes"] == themes.load(MODEL_PATH)["themes"]
