"""`gongkai score --real` as a floor: every real report in ../shared against what corpora/real says it holds.

The floors are the figures measured when they were last raised (README); section recall and false errors are the
real-reports issue's own targets."""

from __future__ import annotations

import pytest

from nlp.dev.score_real import RealScore, run

pytestmark = pytest.mark.shared


def test_real_corpus_scores() -> None:
    scores = run()
    total = RealScore("all")
    for score in scores:
        total.add(score)
    assert len(scores) >= 35 and total.cells >= 4000
    assert total.sections_found == total.sections, [m for s in scores for m in s.missed if m.startswith("section")]
    assert total.false_errors == []
    assert total.cells_right / total.cells >= 0.995
    assert total.claims_found / total.claims >= 0.975
    assert total.mistakes_found >= 40 and total.mistakes_found == total.mistakes
