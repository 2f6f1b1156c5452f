"""Near-duplicate sections between different bodies' reports of the same year, found by a batch. The real pages
hold such pairs: read side by side, 平潭综合实验区's 2011 report is 平潭县人民政府's 2011 report (its 问题 section
even keeps 我县), and the 2009 reports of 平潭县财政局 and 平潭县公安局 share their 问题及改进 section word for word."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
from conftest import REPORTS

from nlp.checks.near_duplicates import near_duplicates
from nlp.pipeline import analyze_path
from service.cli import main

pytestmark = pytest.mark.shared

PAIRED = [
    "pingtan/pingtan-county-2011.txt",
    "wild/pingtan-2011.txt",
    "wild/pingtan-finance-2009.txt",
    "wild/pingtan-police-2009.txt",
]
ALONE = ["pingtan/pingtan-2013.txt", "wild/pingtan-police-2013.txt", "wild/pingtan-police-2019.txt"]


def test_a_batch_names_each_near_duplicate_pair(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    for name in PAIRED + ALONE:
        shutil.copy(REPORTS / name, folder / Path(name).name)
    out = tmp_path / "results.jsonl"
    assert main(["batch", str(folder), "--out", str(out), "--workers", "1"]) == 0
    assert "4 near-duplicate section pairs" in capsys.readouterr().out
    pairs = json.loads(out.with_suffix(".pairs.json").read_text(encoding="utf-8"))
    named = sorted((p["a"]["file"], p["b"]["file"], p["a"]["section"], p["b"]["section"]) for p in pairs)
    assert named == [
        ("pingtan-2011.txt", "pingtan-county-2011.txt", "active_disclosure", "active_disclosure"),
        ("pingtan-2011.txt", "pingtan-county-2011.txt", "overview", "overview"),
        ("pingtan-2011.txt", "pingtan-county-2011.txt", "problems_improvements", "problems_improvements"),
        ("pingtan-finance-2009.txt", "pingtan-police-2009.txt", "problems_improvements", "problems_improvements"),
    ]
    problems = next(p for p in pairs if p["a"]["file"] == "pingtan-finance-2009.txt")
    assert problems["ratio"] >= 0.99 and problems["year"] == 2009  # they differ only in the body that signs
    assert any("合并于局综合科" in q for q in problems["quotes"])
    assert "平潭县公安局" in problems["message"] or "平潭县财政局" in problems["message"]
    with out.with_suffix(".csv").open(encoding="utf-8-sig") as handle:
        rows = {row["file"]: row for row in csv.DictReader(handle)}
    assert {name: int(row["near_duplicates"]) for name, row in rows.items()} == {
        "pingtan-2011.txt": 3,
        "pingtan-county-2011.txt": 3,
        "pingtan-finance-2009.txt": 1,
        "pingtan-police-2009.txt": 1,
        "pingtan-2013.txt": 0,
        "pingtan-police-2013.txt": 0,
        "pingtan-police-2019.txt": 0,
    }
    assert rows["pingtan-police-2019.txt"]["published"] == "2020-01-17"
    assert rows["pingtan-police-2019.txt"]["published_by"] == "crawler_header"
    assert rows["pingtan-police-2019.txt"]["level"] == "department"


def test_one_bodys_reports_of_two_years_are_not_paired() -> None:
    """2013 repeats 2012 (reuse says so), but a batch pairs only different bodies in the same year."""
    lines = [
        {"file": name, "result": analyze_path(REPORTS / "pingtan" / name).to_dict()}
        for name in ("pingtan-2012.txt", "pingtan-2013.txt")
    ]
    assert near_duplicates(lines) == []


def test_the_same_body_twice_is_not_a_pair() -> None:
    doc = analyze_path(REPORTS / "wild" / "pingtan-police-2009.txt").to_dict()
    assert near_duplicates([{"file": "a.txt", "result": doc}, {"file": "b.txt", "result": doc}]) == []
