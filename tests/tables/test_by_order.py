"""Rows printed apart from their labels (a Markdown rendering of an official PDF), and table 2 in another order."""

from __future__ import annotations

import pytest
from conftest import REPORTS

from nlp.pipeline import analyze_path
from nlp.tables.grid import read_by_order
from nlp.tables.schema import t3_specs


@pytest.mark.shared
def test_shanghai_kewei_2024_rows_without_labels_are_placed_by_the_template_order() -> None:
    report = analyze_path(REPORTS / "wild" / "shanghai-kewei-2024.md")
    assert (report.year, report.agency) == (2024, "上海市科委")
    t = report.tables
    row = lambda name: [t[f"t3.{name}.{c}"] for c in ("natural_person", "commercial", "total")]  # noqa: E731
    assert row("partial") == [0, 0, 0]
    assert row("denied.internal") == [1, 0, 1]
    assert row("denied.process") == [1, 0, 1]
    assert row("unavailable.not_held") == [4, 0, 4]
    assert row("unavailable.needs_creation") == [6, 0, 6]
    assert row("other.no_correction") == [8, 2, 10]
    assert row("other.other") == [4, 0, 4]
    assert row("total") == [33, 2, 35]
    # table 2 prints 行政许可 … 行政事业性收费 before its pipe table of 规章 and 规范性文件
    assert (t["t2.licensing.decisions"], t["t2.fees.amount"], t["t2.normative_docs.in_force"]) == (97, 0, 55)
    assert [w.code for w in report.table.warnings] == ["table.rows_by_order"]
    assert not [f for f in report.findings if f.severity == "error"]


def test_rows_are_not_placed_by_order_when_the_count_does_not_fit() -> None:
    """One value row too few: no row can be placed with certainty, so none is."""
    labelled = ["一、本年新收\t1\t0\t0\t0\t0\t0\t1", "二、上年结转\t0\t0\t0\t0\t0\t0\t0"]
    rows = (
        labelled
        + ["0\t0\t0\t0\t0\t0\t0"] * 20
        + ["（七）总计\t1\t0\t0\t0\t0\t0\t1", "四、结转下年度继续办理\t0\t0\t0\t0\t0\t0\t0"]
    )
    assert read_by_order(t3_specs(), "\n".join(rows)) is None
    complete = labelled + ["0\t0\t0\t0\t0\t0\t0"] * 21 + rows[-2:]
    read = read_by_order(t3_specs(), "\n".join(complete))
    assert read is not None and read.cells["t3.new.total"] == 1 and read.cells["t3.other.unpaid_fee.total"] == 0


def test_a_labelled_row_out_of_its_place_stops_the_placing() -> None:
    rows = ["二、上年结转\t0\t0\t0\t0\t0\t0\t0", "一、本年新收\t1\t0\t0\t0\t0\t0\t1"] + ["0\t0\t0\t0\t0\t0\t0"] * 23
    assert read_by_order(t3_specs(), "\n".join(rows)) is None
