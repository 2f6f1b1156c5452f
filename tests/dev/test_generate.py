"""`gongkai generate`: copies of real reports with their numbers scaled read to the scaled cells and to their
seed's findings exactly; a planted mistake raises the findings the manifest names."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from nlp.pipeline import analyze_path
from service.cli import main

pytestmark = pytest.mark.shared


def test_generated_reports_have_their_seeds_findings_or_the_planted_ones(tmp_path: Path) -> None:
    out = tmp_path / "corpus"
    assert main(["generate", str(out), "-n", "6", "--plant", "4"]) == 0
    manifest = [json.loads(line) for line in (out / "manifest.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(manifest) == 6 and sum(bool(line["planted"]) for line in manifest) == 1
    assert {line["seed"] for line in manifest} >= {"hongze-district-2023.pdf", "hongze-district-2024.pdf"}
    for line in manifest:
        report = analyze_path(out / line["file"])
        found = Counter((f.check or f.rule, f.severity) for f in report.findings)
        if line["planted"]:
            assert all(found[tuple(f)] >= 1 for f in line["planted_findings"])
            assert not Counter(tuple(f) for f in line["findings"]) - found
        else:
            assert found == Counter(tuple(f) for f in line["findings"])
    hongze = next(line for line in manifest if line["seed"] == "hongze-district-2023.pdf" and not line["planted"])
    cells = analyze_path(out / hongze["file"]).tables
    # hongze-district-2023.pdf prints 21 new requests and a review block of 10 upheld, 1 corrected
    assert (cells["t3.new.total"], cells["t4.review.upheld"]) == (21 * hongze["factor"], 10 * hongze["factor"])
