"""Every step of nlp/pipeline.py stays within what it declares: it writes only its `assigns`, and given only its
`requires` (every other field of the report left at its default) it writes the same."""

from __future__ import annotations

import copy
import dataclasses

import pytest
from conftest import REPORTS, SHARED

from nlp.document import Report
from nlp.pipeline import STEPS, read_report

pytestmark = pytest.mark.shared
SAMPLES = [
    REPORTS / "hongze-district-2023.pdf",
    REPORTS / "pingtan" / "pingtan-2016.txt",
    REPORTS / "pingtan" / "pingtan-2020.txt",
    SHARED / "seeds" / "004_7aee1d3aeb564747.txt",
]
FIELDS = [f.name for f in dataclasses.fields(Report)]


def only(report: Report, kept: tuple[str, ...]) -> Report:
    """The report with every field but `kept` (and the file's identity) back at its default."""
    bare = Report(filename=report.filename, medium=report.medium, sha256=report.sha256)
    for name in kept:
        setattr(bare, name, copy.deepcopy(getattr(report, name)))
    return bare


@pytest.mark.parametrize("path", SAMPLES, ids=[p.name for p in SAMPLES])
def test_each_step_reads_and_writes_what_it_declares(path) -> None:
    report = read_report(path.read_bytes(), path.name)
    replay = only(report, ("text", "pages", "warnings", "dates"))
    replay.findings, replay.readable = [], True
    for step in STEPS:
        assert set(step.requires) <= set(FIELDS) and set(step.assigns) <= set(FIELDS), step.name
        before = copy.deepcopy(replay)
        step.run(replay)
        changed = {name for name in FIELDS if getattr(replay, name) != getattr(before, name)}
        assert changed <= set(step.assigns), (step.name, changed - set(step.assigns))
        alone = only(before, step.requires)
        step.run(alone)
        for name in step.assigns:
            if name in ("findings", "warnings"):  # appended to: compare what the step added
                added = getattr(replay, name)[len(getattr(before, name)) :]
                assert getattr(alone, name)[len(getattr(only(before, step.requires), name)) :] == added, step.name
            else:
                assert getattr(alone, name) == getattr(replay, name), (step.name, name)
    assert replay.to_dict() == report.to_dict()
