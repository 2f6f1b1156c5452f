"""Table cells from the ways rows get printed: grids, pipes, spaces, null marks, rows we cannot place."""

from __future__ import annotations

from nlp.pipeline import analyze

HEAD = (
    "某县人民政府2024年政府信息公开工作年度报告\n二、主动公开政府信息情况\n第二十条第（一）项\n"
    "信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n"
)
T3_TAIL = "三、收到和处理政府信息公开申请情况\n"


def read(text: str) -> dict:
    return analyze(text.encode("utf-8"), "r.txt").tables


def test_empty_zero_and_null_marks_stay_apart() -> None:
    rows = "规章\t\t0\t—\n行政规范性文件\t1,234\t１２\t/\n行政事业性收费\t7730.28\n"
    report = analyze((HEAD + rows + T3_TAIL).encode(), "r.txt")
    t = report.tables
    assert (t["t2.rules.issued"], t["t2.rules.repealed"], t["t2.rules.in_force"]) == (None, 0, None)
    assert (t["t2.normative_docs.issued"], t["t2.normative_docs.repealed"]) == (1234, 12)
    assert t["t2.normative_docs.in_force"] is None and t["t2.fees.amount"] == 7730.28
    assert sum("read as empty" in w for w in report.to_dict()["warnings"]) == 2


def test_pipe_and_space_aligned_rows() -> None:
    pipes = HEAD + "| 规章 | 1 | 2 | 3 |\n|---|---|---|---|\n| 行政规范性文件 | 4 |  | 6 |\n" + T3_TAIL
    spaces = HEAD + "规章   1   2   3\n行政规范性文件 4 5 6\n" + T3_TAIL
    assert [read(pipes)[f"t2.normative_docs.{c}"] for c in ("issued", "repealed", "in_force")] == [4, None, 6]
    assert [read(spaces)[f"t2.rules.{c}"] for c in ("issued", "repealed", "in_force")] == [1, 2, 3]


def test_a_row_we_cannot_place_is_named() -> None:
    text = HEAD + "规章\t0\t0\t0\n行政规范性文件\t0\t0\t0\n新增栏目\t7\t7\t7\n行政许可\t5\n" + T3_TAIL
    report = analyze(text.encode(), "r.txt")
    assert report.tables["t2.licensing.decisions"] == 5
    assert any("normative_docs" in w and "新增栏目 7 7 7" in w for w in report.to_dict()["warnings"])


def test_wrong_cell_count_is_named_not_guessed() -> None:
    report = analyze((HEAD + "规章\t0\t0\t0\t9\t9\n" + T3_TAIL).encode(), "r.txt")
    assert "t2.rules.issued" not in report.tables
    assert any("row rules has 5 cells for 3 columns" in w for w in report.to_dict()["warnings"])
