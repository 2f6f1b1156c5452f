"""nlp.split on real rows of the Pingtan web-page reports, whose table cells the crawler ran together.

The digit runs below are copied by hand from /work/shared/reports/pingtan/pingtan-<year>.txt (sections
三、收到和处理政府信息公开申请情况 and 四、政府信息公开行政复议、行政诉讼情况), with the label numbering
that the raw text glues onto the end of a run (`...00000002.其他法律...`) cut off. The expected values were
worked out by hand with the arithmetic of templates.md.
"""

from __future__ import annotations

import time

import pytest

from nlp.tables.split import RunRow, Split, solve

COLUMNS = [
    "natural_person",
    "commercial",
    "research",
    "social_welfare",
    "legal_service",
    "other_org",
    "total",
]
DENIED = (
    "state_secret",
    "prohibited",
    "security",
    "third_party",
    "internal",
    "process",
    "enforcement",
    "query",
)
UNAVAILABLE = ("not_held", "needs_creation", "unclear")
NOT_PROCESSED = ("petition", "duplicate", "publication", "excessive", "reconfirm")
RESULTS_2019 = [
    "granted",
    "partial",
    *(f"denied.{k}" for k in DENIED),
    *(f"unavailable.{k}" for k in UNAVAILABLE),
    *(f"not_processed.{k}" for k in NOT_PROCESSED),
    "other",
]
RESULTS_2021 = [*RESULTS_2019[:-1], "other.no_correction", "other.unpaid_fee", "other.other"]
BLOCKS = ["review", "litigation_direct", "litigation_after_review"]
OUTCOMES = ["upheld", "corrected", "other", "pending", "total"]

Z = "0000000"  # a row of seven zeros: the only reading of seven digits is one digit a cell

# Table 3 rows in printed order: new, carried_over, the result rows, total, carried_forward.
TABLE3 = {
    2019: ["230 000023", Z, "7000007", "1000001", Z, Z, Z, Z, Z, Z, Z, Z,
           "7000007", Z, "5000005", Z, "3000003", Z, Z, Z, "0 0 0 0 0 00", "23 0 00 0 023", "0 0 00 00 0"],
    2020: ["200 000121", Z, "6000017", "6000006", Z, Z, Z, Z, Z, Z, Z, Z,
           "4000004", Z, "3000003", Z, "3000003", Z, Z, Z, "4 0 0 0 0 0 4", "20 0 00 0 121", "0 0 00 00 0"],
    2021: ["640020470", Z, "270020130", "500000 5", Z, Z, Z, Z, "1000001", Z, "6000006", "1000001",
           "220000325", Z, Z, Z, Z, Z, Z, Z, Z, Z, "1000001", "630020469", "1000001"],
    2022: ["713000074", "1000001", "210000021", "8100009", Z, Z, Z, Z, "1000001", "2000002", "1000001", Z,
           "370000037", Z, Z, Z, Z, Z, Z, Z, "2000002", Z, "0200002", "723000075", Z],
    2023: ["801000081", Z, "220000022", "191000020", Z, Z, Z, "1000001", Z, "1000001", "1000001", "2000002",
           "310000031", Z, Z, Z, "1000001", Z, Z, Z, "1000001", Z, "1000001", "801000081", Z],
    2024: ["21710000218", Z, "710000071", "290000029", "4000004", Z, Z, "3000003", "320000032", Z, Z, Z,
           "750000075", Z, Z, Z, "1000001", Z, Z, Z, "1000001", Z, "1100002", "21710000218", Z],
    2025: ["15130000154", Z, "330000033", "380000038", Z, Z, Z, Z, "3000003", "2000002", "3000003", "3000003",
           "491000050", "3000003", Z, "2000002", Z, Z, Z, Z, "8000008", "2000002", "1000001", "14710000148",
           "4200006"],
}  # fmt: skip

TABLE4 = {
    2019: "000000000000000",
    2020: "000000000000000",
    2021: "10203120001200000",
    2022: "0 1 1 0 2 1 0 0 0 1 0 0 0 0 0",
    2023: "110024001510102",
    2024: "21317000001324019",
    2025: "25380363300630003",
}

Equations = list[tuple[list[str], list[str]]]


def table3(year: int, texts: list[str] | None = None) -> tuple[list[RunRow], Equations]:
    """The table-3 rows of a year and the template's arithmetic over them.

    From 2021 the （六）其他处理 row is printed only as its three parts, so the total row sums those.
    """
    results = RESULTS_2021 if year >= 2021 else RESULTS_2019
    names = ["new", "carried_over", *results, "total", "carried_forward"]
    texts = texts or TABLE3[year]
    assert len(texts) == len(names)
    rows = [
        RunRow(name, text, [f"t3.{name}.{col}" for col in COLUMNS]) for name, text in zip(names, texts, strict=True)
    ]
    equations: Equations = [([f"t3.{name}.total"], [f"t3.{name}.{col}" for col in COLUMNS[:-1]]) for name in names]
    for col in COLUMNS:
        equations.append(([f"t3.total.{col}"], [f"t3.{name}.{col}" for name in results]))
        equations.append(
            ([f"t3.new.{col}", f"t3.carried_over.{col}"], [f"t3.total.{col}", f"t3.carried_forward.{col}"])
        )
    return rows, equations


def table4(text: str) -> tuple[list[RunRow], Equations]:
    """Table 4 as one row of fifteen cells; each block's total is the sum of its four outcomes."""
    cells = [f"t4.{block}.{outcome}" for block in BLOCKS for outcome in OUTCOMES]
    equations: Equations = [([f"t4.{b}.total"], [f"t4.{b}.{o}" for o in OUTCOMES[:-1]]) for b in BLOCKS]
    return [RunRow("t4", text, cells)], equations


def row3(split: Split, name: str) -> tuple:
    return tuple(split.values[f"t3.{name}.{col}"] for col in COLUMNS)


def row4(split: Split) -> tuple:
    return tuple(split.values[f"t4.{b}.{o}"] for b in BLOCKS for o in OUTCOMES)


# --- table 3 ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("year", [2019, 2021, 2022, 2023, 2024, 2025])
def test_every_pingtan_table3_solves_uniquely(year: int) -> None:
    split = solve(*table3(year))
    assert not split.violated and not split.capped
    assert split.candidates == {}
    assert None not in split.values.values()


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (2019, {"new": (23, 0, 0, 0, 0, 0, 23), "other": (0,) * 7, "total": (23, 0, 0, 0, 0, 0, 23),
                "carried_forward": (0,) * 7}),
        (2021, {"new": (64, 0, 0, 2, 0, 4, 70), "granted": (27, 0, 0, 2, 0, 1, 30),
                "partial": (5, 0, 0, 0, 0, 0, 5), "unavailable.not_held": (22, 0, 0, 0, 0, 3, 25),
                "total": (63, 0, 0, 2, 0, 4, 69), "carried_forward": (1, 0, 0, 0, 0, 0, 1)}),
        (2022, {"new": (71, 3, 0, 0, 0, 0, 74), "partial": (8, 1, 0, 0, 0, 0, 9),
                "other.other": (0, 2, 0, 0, 0, 0, 2), "total": (72, 3, 0, 0, 0, 0, 75)}),
        (2023, {"new": (80, 1, 0, 0, 0, 0, 81), "partial": (19, 1, 0, 0, 0, 0, 20),
                "unavailable.not_held": (31, 0, 0, 0, 0, 0, 31), "total": (80, 1, 0, 0, 0, 0, 81)}),
        (2024, {"new": (217, 1, 0, 0, 0, 0, 218), "denied.internal": (32, 0, 0, 0, 0, 0, 32),
                "other.other": (1, 1, 0, 0, 0, 0, 2), "total": (217, 1, 0, 0, 0, 0, 218)}),
        (2025, {"new": (151, 3, 0, 0, 0, 0, 154), "unavailable.not_held": (49, 1, 0, 0, 0, 0, 50),
                "total": (147, 1, 0, 0, 0, 0, 148), "carried_forward": (4, 2, 0, 0, 0, 0, 6)}),
    ],
)  # fmt: skip
def test_table3_values_worked_out_by_hand(year: int, expected: dict[str, tuple]) -> None:
    split = solve(*table3(year))
    assert {name: row3(split, name) for name in expected} == expected


def test_pingtan_2020_table3_has_a_real_mistake() -> None:
    """2020: the result rows' 自然人 cells add up to 26 (6+6+4+3+3+4) but （七）总计 prints 20.

    The 总计 column likewise adds up to 27 against 21: two broken equations, and no other split does better.
    """
    split = solve(*table3(2020))
    assert split.violated
    assert split.candidates == {}  # every row still has a single reading breaking fewest equations
    assert row3(split, "new") == (20, 0, 0, 0, 0, 1, 21)
    assert row3(split, "granted") == (6, 0, 0, 0, 0, 1, 7)
    assert row3(split, "total") == (20, 0, 0, 0, 0, 1, 21)


def test_deliberate_mistake_is_reported_as_violated() -> None:
    texts = list(TABLE3[2023])
    texts[2] = "230000023"  # 予以公开 raised from 22 to 23: the 自然人 and 总计 columns no longer add up
    split = solve(*table3(2023, texts))
    assert split.violated
    assert row3(split, "granted") == (23, 0, 0, 0, 0, 0, 23)
    assert row3(split, "total") == (80, 1, 0, 0, 0, 0, 81)


def test_mistake_inside_a_row_is_read_without_its_own_total() -> None:
    """`801000082` has no reading whose columns add up to its total, so it is read as printed."""
    texts = list(TABLE3[2023])
    texts[0] = "801000082"
    split = solve(*table3(2023, texts))
    assert split.violated and split.candidates == {}
    assert row3(split, "new") == (80, 1, 0, 0, 0, 0, 82)
    assert row3(split, "total") == (80, 1, 0, 0, 0, 0, 81)


def test_row_ambiguous_alone_is_pinned_by_the_whole_table() -> None:
    """2021 `220000325` (不掌握) alone also reads 2|20|0|0|0|3|25; only the column sums rule that out."""
    rows, equations = table3(2021)
    alone = solve([rows[12]], [equations[12]])
    assert alone.candidates["unavailable.not_held"] == [(2, 20, 0, 0, 0, 3, 25), (22, 0, 0, 0, 0, 3, 25)]
    assert row3(solve(rows, equations), "unavailable.not_held") == (22, 0, 0, 0, 0, 3, 25)


def test_cells_all_readings_agree_on_keep_their_value() -> None:
    rows, equations = table3(2021)
    alone = solve([rows[12]], [equations[12]])
    assert row3(alone, "unavailable.not_held") == (None, None, 0, 0, 0, 3, 25)


def test_whitespace_is_a_boundary_but_a_token_may_hold_several_cells() -> None:
    new, cf = table3(2019)[0][0], table3(2019)[0][-1]  # `230 000023` and ` 0 0 00 00 0`
    assert solve([new], []).candidates["new"] == [
        (2, 30, 0, 0, 0, 0, 23),
        (23, 0, 0, 0, 0, 0, 23),
        (230, 0, 0, 0, 0, 2, 3),
    ]
    row_total = (["t3.new.total"], [f"t3.new.{col}" for col in COLUMNS[:-1]])
    assert row3(solve([new], [row_total]), "new") == (23, 0, 0, 0, 0, 0, 23)
    assert row3(solve([cf], []), "carried_forward") == (0,) * 7


def test_full_table3_is_fast() -> None:
    rows, equations = table3(2024)
    timings = []
    for _ in range(20):
        start = time.perf_counter()
        solve(rows, equations)
        timings.append(time.perf_counter() - start)
    assert sorted(timings)[len(timings) // 2] < 0.02  # about 1 ms here; slack for slow CI machines


# --- table 4 ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (2019, (0,) * 15),
        (2020, (0,) * 15),
        (2021, (1, 0, 2, 0, 3, 12, 0, 0, 0, 12, 0, 0, 0, 0, 0)),
        (2022, (0, 1, 1, 0, 2, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0)),
        (2023, (1, 1, 0, 0, 2, 4, 0, 0, 1, 5, 1, 0, 1, 0, 2)),
        (2024, (2, 1, 3, 1, 7, 0, 0, 0, 0, 0, 13, 2, 4, 0, 19)),
        (2025, (25, 3, 8, 0, 36, 3, 3, 0, 0, 6, 3, 0, 0, 0, 3)),
    ],
)
def test_every_pingtan_table4_solves_uniquely(year: int, expected: tuple) -> None:
    split = solve(*table4(TABLE4[year]))
    assert not split.violated and split.candidates == {}
    assert row4(split) == expected


# --- rows without arithmetic, decimals, unreadable and pathological runs ---------------------------------

NORMATIVE_DOCS = ["t2.normative_docs.issued", "t2.normative_docs.repealed", "t2.normative_docs.in_force"]


def test_row_without_equation_is_ambiguous_with_candidates() -> None:
    split = solve([RunRow("t2.normative_docs", "693665", NORMATIVE_DOCS)], [])  # pingtan-2021 行政规范性文件
    assert all(split.values[key] is None for key in NORMATIVE_DOCS)
    assert split.candidate_counts["t2.normative_docs"] == 10
    assert split.candidates["t2.normative_docs"][0] == (6, 9, 3665)
    assert (69, 3, 665) in split.candidates["t2.normative_docs"]
    assert not split.violated


def test_row_with_a_single_reading_needs_no_equation() -> None:
    rules = ["t2.rules.issued", "t2.rules.repealed", "t2.rules.in_force"]
    split = solve([RunRow("t2.rules", "000", rules)], [])  # pingtan-2021 规章
    assert [split.values[key] for key in rules] == [0, 0, 0]
    assert split.candidates == {}


def test_leading_zero_is_never_a_number() -> None:
    split = solve([RunRow("r", "105", ["r.a", "r.b"])], [])  # not 1|05
    assert (split.values["r.a"], split.values["r.b"]) == (10, 5)


def test_decimals_stay_in_one_cell_and_add_up_exactly() -> None:
    cells = ["m.a", "m.b", "m.total"]
    split = solve([RunRow("m", "0.12.32.4", cells, decimals=True)], [(["m.total"], ["m.a", "m.b"])])
    assert [split.values[key] for key in cells] == [0.1, 2.3, 2.4]
    fee = solve([RunRow("fee", "24252.31", ["t2.fees.amount"], decimals=True)], [])  # pingtan-2021, 万元
    assert fee.values["t2.fees.amount"] == 24252.31


def test_minus_sign_only_starts_a_cell() -> None:
    """pingtan-2020 table 2 (format 2019) prints 本年增/减 as a signed number: 行政事业性收费 `35-15`."""
    split = solve([RunRow("t2.fees", "35-15", ["t2.fees.prev", "t2.fees.change"])], [])
    assert (split.values["t2.fees.prev"], split.values["t2.fees.change"]) == (35, -15)


def test_unreadable_row_is_left_open_and_its_equations_unused() -> None:
    rows, equations = table4("05")
    split = solve(rows, equations)
    assert split.candidates == {"t4": []}
    assert set(split.values.values()) == {None}
    assert not split.violated


def test_unknown_key_in_an_equation_is_an_error() -> None:
    with pytest.raises(ValueError, match="no row has"):
        solve([RunRow("r", "11", ["r.a", "r.b"])], [(["r.a"], ["r.c"])])


def _bounded(rows: list[RunRow], equations: Equations) -> Split:
    start = time.perf_counter()
    split = solve(rows, equations)
    assert time.perf_counter() - start < 1.0
    return split


def test_pathological_long_runs_do_not_hang() -> None:
    """Three rows replaced by 61-digit runs: too many cuts to enumerate, so they are left open."""
    texts = list(TABLE3[2024])
    for i in (0, 2, 23):  # new, granted, total
        texts[i] = f"{i + 1}" + "1" * 60
    split = _bounded(*table3(2024, texts))
    assert split.capped and not split.violated
    assert row3(split, "new") == row3(split, "total") == (None,) * 7
    assert len(split.candidates["new"]) == 10
    assert row3(split, "partial") == (29, 0, 0, 0, 0, 0, 29)  # still pinned by its own row total


def test_search_cap_reports_rows_as_ambiguous() -> None:
    """25 rows of 84 readings each tied only by column sums: far too many combinations to explore."""
    rows, _ = table3(2024, ["1111111111"] * 25)
    results = [row.name for row in rows[2:-2]]
    column_sums = [([f"t3.total.{col}"], [f"t3.{name}.{col}" for name in results]) for col in COLUMNS]
    split = _bounded(rows, column_sums)
    assert split.capped
    assert split.values["t3.new.natural_person"] is None
    assert len(split.candidates["new"]) == 10
    assert split.candidate_counts["new"] == 84


def test_rows_without_shared_equations_are_solved_apart() -> None:
    """pingtan-2021 table 2: 规章 `000` and 行政规范性文件 `693665` together stay cheap and uncapped."""
    rules = RunRow("t2.rules", "000", ["t2.rules.issued", "t2.rules.repealed", "t2.rules.in_force"])
    docs = RunRow("t2.normative_docs", "693665", NORMATIVE_DOCS)
    t4_rows, t4_equations = table4(TABLE4[2024])
    split = solve([rules, docs, *t4_rows], t4_equations)
    assert not split.capped
    assert split.values["t2.rules.in_force"] == 0 and split.values["t4.review.total"] == 7
    assert list(split.candidates) == ["t2.normative_docs"]
