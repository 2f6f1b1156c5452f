"""Classes of false alarm found on real reports (corpora/real), each pinned on the report that showed it."""

from __future__ import annotations

import pytest
from conftest import REPORTS

from nlp.pipeline import analyze_path

pytestmark = pytest.mark.shared
WILD = REPORTS / "wild"


def by_check(path, check: str) -> list:
    return [f for f in analyze_path(path).findings if f.check == check]


def test_a_truncated_share_is_a_warning_that_says_so() -> None:
    """60 / 2026 = 2.96% printed 2.9%: truncated, not rounded — worth a word, not an error."""
    [share] = [f for f in by_check(WILD / "pingtan-county-2012.txt", "prose.rate.share") if f.actual == 2.9]
    assert share.severity == "warning" and "truncated" in share.message and share.expected == 3.0


def test_a_share_no_rounding_or_truncation_explains_stays_an_error() -> None:
    """pingtan-2012: 145 / 1913 = 7.58%, printed 8.05%."""
    [share] = [f for f in by_check(REPORTS / "pingtan" / "pingtan-2012.txt", "prose.rate.share") if f.actual == 8.05]
    assert share.severity == "error"


def test_requests_received_equal_to_the_total_handled_is_a_warning() -> None:
    """pingtan-2022: 收到申请75件 / 自然人72件 against 新收 74 / 71, where 办理总计 is 75 / 72 (one carried over)."""
    found = by_check(REPORTS / "pingtan" / "pingtan-2022.txt", "prose.table")
    assert sorted((f.expected, f.actual) for f in found) == [(71, 72), (74, 75)]
    assert all(f.severity == "warning" and "table 3" in f.message for f in found)


def test_documents_not_public_are_not_refused_requests() -> None:
    """不予公开信息数1854条 (county 2012) and 不予公开21条 (social 2023) count documents, in 条: no request cell."""
    for path in (WILD / "pingtan-county-2012.txt", WILD / "pingtan-social-2023.txt"):
        report = analyze_path(path)
        assert not [c for c in report.claims if c.metric == "requests.denied" and c.unit == "条"], path.name
        assert not [f for f in report.findings if f.rule == "prose.table" and "不予公开" in f.message], path.name
