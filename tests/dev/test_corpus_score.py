"""The annotated corpus (corpora/claims): the floor the extractor and checks must stay above.

Measured figures are in the README; these floors guard against regressions, and two of them (no distractor
taken, no error on a report without a planted mistake) are the issue's own targets."""

from __future__ import annotations

from nlp.dev.score import run


def test_corpus_scores() -> None:
    score = run()
    assert score.claims.gold >= 1000 and score.distractors >= 300
    assert score.claims.precision() >= 0.98 and score.claims.recall() >= 0.98
    assert score.distractors_taken == []
    assert score.findings.precision() >= 0.95 and score.findings.recall() >= 0.95
    assert score.clean_reports >= 10 and score.clean_with_error == []


def test_held_out_scores() -> None:
    """Reports 25–30 were written by someone who had not read the extractor (corpora/claims/README.md)."""
    score = run(split="heldout")
    assert score.claims.gold >= 240
    assert score.claims.precision() >= 0.95 and score.claims.recall() >= 0.95
    assert score.distractors_taken == []
    assert score.findings.recall() >= 0.9 and score.clean_with_error == []
