"""Run-together digits of tables 2–4 that the arithmetic leaves open are settled by what the prose states."""

from __future__ import annotations

import pytest
from conftest import REPORTS

from nlp.pipeline import analyze

pytestmark = pytest.mark.shared


def test_table_2_row_settled_by_the_prose() -> None:
    """规章 1234 splits as 1|2|34, 12|3|4, 123|4|… ; only 12 | 3 | 4 agrees with 本年制发规章12件. Table 2's
    candidates used to be lost when the three tables' reads were joined, leaving all three cells empty."""
    text = (REPORTS / "pingtan" / "pingtan-2021.txt").read_text(encoding="utf-8")
    assert text.count("规章 000行政规范性文件") == 1 and text.count("一、总体情况") == 1
    text = text.replace("规章 000行政规范性文件", "规章 1234行政规范性文件").replace(
        "一、总体情况", "一、总体情况\n2021年，本年制发规章12件。"
    )
    report = analyze(text.encode("utf-8"), "pingtan-2021-edited.txt")
    assert [report.tables[f"t2.rules.{c}"] for c in ("issued", "repealed", "in_force")] == [12, 3, 4]
    warnings = report.to_dict()["warnings"]
    assert any("t2.rules" in w and "12 | 3 | 4 agrees with the prose" in w for w in warnings)
    assert not any("row t2.rules can be split" in w for w in warnings)


def test_without_the_prose_the_row_stays_open() -> None:
    text = (REPORTS / "pingtan" / "pingtan-2021.txt").read_text(encoding="utf-8")
    report = analyze(text.replace("规章 000行政规范性文件", "规章 1234行政规范性文件").encode("utf-8"), "x.txt")
    assert [report.tables[f"t2.rules.{c}"] for c in ("issued", "repealed", "in_force")] == [None, None, None]
    assert any("row t2.rules can be split more than one way" in w for w in report.to_dict()["warnings"])
