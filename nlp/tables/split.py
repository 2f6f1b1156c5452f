"""Split table rows whose cells were run together, using the table's own arithmetic.

Crawled web pages lose the borders between table cells: ``801000081`` is 80 | 1 | 0 | 0 | 0 | 0 | 81, but
read alone it could also be 8 | 0 | 1 | ... A single row is often ambiguous; the equations of the template
(row total, column sums, balance) tie the rows together, so the whole table is solved at once as a small
constraint problem. Where the arithmetic leaves more than one reading, the candidates are reported instead of
a guess, and where no reading satisfies every equation (reports do contain mistakes), the readings that
break the fewest equations are kept and the result says so.

Standard library only, no I/O: the caller cuts the digit runs out of the text and states the equations.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

# No cell of these tables is longer (the longest are money amounts such as 13575394432.52); the bound also
# keeps a pathological run from being read as a handful of enormous numbers.
MAX_CELL_CHARS = 15
# Work caps: past them a row, or the whole search, is reported as not pinned down instead of running on.
# Cells placed while enumerating one row: about 25 ms. Pruned by its own total, a 17-digit table-3 row needs
# under 1,000; unpruned, the 17-digit table 4 of pingtan-2024 needs about 1,100.
MAX_ROW_STEPS = 10_000
MAX_SEARCH_WORK = 200_000  # search nodes plus readings examined: a bound on time, roughly 1 us each
MAX_SOLUTIONS = 500
MAX_CANDIDATES = 10

_INTEGER = re.compile(r"0|-?[1-9]\d*")
_DECIMAL = re.compile(r"0|-?[1-9]\d*|-?(?:0|[1-9]\d*)\.\d+")

Number = int | Decimal
Reading = tuple[Number, ...]


@dataclass
class RunRow:
    """One printed row: its raw run of digits and the keys of its cells in printed order."""

    name: str
    text: str
    cells: list[str]
    decimals: bool = False  # may a cell hold a decimal (money)? else integers only


@dataclass
class Split:
    """The reading of a set of rows.

    `values` holds every cell of every row: the value all remaining solutions agree on, else None.
    `candidates` lists, for each row that stayed ambiguous, up to MAX_CANDIDATES distinct readings (ordered
    by cell lengths, shortest first cell first); an empty list means the text has no reading at all.
    `candidate_counts` says how many distinct readings there were (a lower bound when `capped`).
    `violated` is True when no reading satisfies every equation; the values then come from the readings that
    violate the fewest. `capped` is True when a work cap stopped the enumeration of a row or the search
    across rows: what they left open is reported as ambiguous rather than guessed.
    """

    values: dict[str, int | float | None]
    candidates: dict[str, list[tuple]]
    violated: bool
    candidate_counts: dict[str, int] = field(default_factory=dict)
    capped: bool = False


class _Capped(Exception):
    """Raised inside a search when its work cap is hit."""


@dataclass(frozen=True)
class _Readings:
    """Every reading of one row's text; `capped` if enumeration stopped early (the list is then partial)."""

    values: tuple[Reading, ...]
    capped: bool


# An equation as coefficients per row: row index -> [(cell index, +1 or -1)]; it holds when the sum is 0.
_Terms = dict[int, list[tuple[int, int]]]


def solve(rows: list[RunRow], equations: list[tuple[list[str], list[str]]]) -> Split:
    """Read every row so that sum(left) == sum(right) for every equation, over all rows at once.

    Each row is enumerated under its own equations (row total = sum of its columns), which keeps its
    readings few, and the rows are then combined under the equations that span them. If that finds no
    solution, the report has a mistake: rows that no reading can balance on their own are enumerated
    without their equations, and the search is rerun allowing broken equations, fewest first. A row that
    balances on its own keeps only its balanced readings even then (enumerating every reading of a long
    run is what would blow up), so the fewest-violations answer assumes a mistake breaks a row's own total
    only where no reading of that row balances.

    A row whose text cannot be read (no valid split, or too many to enumerate) is left open: its cells are
    None and the equations that touch it are not used, since nothing can be concluded from them.
    """
    where = _cell_index(rows)
    terms = [_terms(left, right, where) for left, right in equations]
    local = [tuple(tuple(eq[r]) for eq in terms if eq.keys() == {r}) for r in range(len(rows))]
    strict = [_read_row(row.text, len(row.cells), row.decimals, local[r]) for r, row in enumerate(rows)]
    if all(found.values for found in strict):
        split = _combine(rows, strict, terms, exact=True)
        if split is not None:
            return split
    fallback = [
        found if found.values else _read_row(row.text, len(row.cells), row.decimals, ())
        for found, row in zip(strict, rows, strict=True)
    ]
    split = _combine(rows, fallback, terms, exact=False)
    assert split is not None  # with broken equations allowed there is always a best combination
    return split


def _combine(rows: list[RunRow], readings: list[_Readings], terms: list[_Terms], exact: bool) -> Split | None:
    """Search each group of linked rows; None if `exact` and some group has no solution breaking nothing."""
    open_rows = {r for r, found in enumerate(readings) if found.capped or not found.values}
    usable = [eq for eq in terms if not eq.keys() & open_rows]
    local = [eq for eq in usable if len(eq) == 1]
    cross = [eq for eq in usable if len(eq) > 1]
    costs = [
        [] if r in open_rows else [_local_cost(local, r, reading) for reading in found.values]
        for r, found in enumerate(readings)
    ]
    choices: dict[int, set[int]] = {}
    violated, capped = False, any(found.capped for found in readings)
    meter = _Meter(MAX_SEARCH_WORK)
    for component in _components([r for r, c in enumerate(costs) if c], cross):
        linked = [eq for eq in cross if not eq.keys().isdisjoint(component)]
        search = _Search(component, readings, costs, linked, meter)
        solutions, budget, hit = search.run(0 if exact else len(usable))
        if exact and not solutions and not hit:
            return None
        choices.update(_row_by_row(component, costs, budget) if hit else _per_row(solutions, component))
        violated, capped = violated or budget > 0, capped or hit
    split = _summarise(rows, readings, choices)
    split.violated, split.capped = violated, capped
    return split


def _components(rows: list[int], cross: list[_Terms]) -> list[list[int]]:
    """Group the rows that equations tie together; each group is searched on its own.

    Rows in different groups cannot constrain each other, so searching them jointly would only multiply
    the combinations (three table-2 rows without arithmetic would make 10 x 10 x 10 "solutions").
    """
    group = {r: r for r in rows}

    def root(r: int) -> int:
        while group[r] != r:
            r = group[r]
        return r

    for eq in cross:
        first, *others = eq
        for r in others:
            group[root(r)] = root(first)
    members: dict[int, list[int]] = {}
    for r in rows:
        members.setdefault(root(r), []).append(r)
    return list(members.values())


def _cell_index(rows: list[RunRow]) -> dict[str, tuple[int, int]]:
    """Map each cell key to (row index, cell index); a key printed twice would make equations ambiguous."""
    where: dict[str, tuple[int, int]] = {}
    for r, row in enumerate(rows):
        for c, key in enumerate(row.cells):
            if key in where:
                raise ValueError(f"cell key {key!r} appears twice")
            where[key] = (r, c)
    return where


def _terms(left: list[str], right: list[str], where: dict[str, tuple[int, int]]) -> _Terms:
    """Turn sum(left) == sum(right) into coefficients grouped by row, so each row's share is one sum."""
    terms: _Terms = {}
    for keys, sign in ((left, 1), (right, -1)):
        for key in keys:
            if key not in where:
                raise ValueError(f"equation uses {key!r}, which no row has")
            r, c = where[key]
            terms.setdefault(r, []).append((c, sign))
    return terms


def _share(coefficients: list[tuple[int, int]], reading: Reading) -> Number:
    """What one row contributes to one equation under one reading."""
    return sum(sign * reading[c] for c, sign in coefficients)


def _local_cost(local: list[_Terms], r: int, reading: Reading) -> int:
    """How many of the equations that involve only row r this reading breaks."""
    return sum(1 for eq in local if r in eq and _share(eq[r], reading) != 0)


# --- reading one row -------------------------------------------------------------------------------------


@lru_cache(maxsize=4096)
def _read_row(text: str, n: int, decimals: bool, local: tuple[tuple[tuple[int, int], ...], ...]) -> _Readings:
    """Every way a row's text splits into n valid numbers that satisfy the row's own equations `local`.

    Whitespace is a hard boundary, a number has no leading zero, a decimal point stays inside a cell, and a
    minus sign can only start one. Readings come in printed order of their cell lengths (shortest first cell
    first). Enumeration stops at MAX_ROW_STEPS so that a pathological run cannot hang. Cached: the same runs
    (`0000000` above all) recur in every table.
    """
    reader = _RowReader(text, n, decimals, local)
    try:
        reader.place(len(reader.tokens) - 1, len(reader.tokens[-1]) if reader.tokens else 0, n - 1)
    except _Capped:
        pass
    found = sorted(reader.found, key=lambda cells: [len(cell) for cell in cells])
    values = tuple(tuple(Decimal(cell) if "." in cell else int(cell) for cell in cells) for cells in found)
    return _Readings(values, capped=reader.steps > MAX_ROW_STEPS)


class _RowReader:
    """Depth-first over the cells of one row, right to left, pruned by the row's own equations.

    Right to left because a total is printed after its parts: once it is placed, the parts still to place
    must add up to it, and the text left for them bounds what they can add up to. A cell of k digits without
    a leading zero is at least 10^(k-1), and m digits cut into c cells leave one of at least m/c digits; with
    the longest possible cell as the upper bound, most wrong cuts die long before the last cell.
    """

    def __init__(self, text: str, n: int, decimals: bool, local: tuple[tuple[tuple[int, int], ...], ...]):
        self.tokens = text.split()
        pattern = _DECIMAL if decimals else _INTEGER
        self.starts = [_cell_starts(token, pattern) for token in self.tokens]
        self.before = [sum(len(t) for t in self.tokens[:i]) for i in range(len(self.tokens))]
        self.longest = [max((len(t) for t in self.tokens[:i]), default=0) for i in range(len(self.tokens))]
        equations = [_coefficients(eq) for eq in local]
        self.of_cell = [[(e, eq[c]) for e, eq in enumerate(equations) if c in eq] for c in range(n)]
        self.bounds = [[_bounds([eq[i] for i in range(c + 1) if i in eq], c + 1) for c in range(n)] for eq in equations]
        # The bounds assume cells are non-negative integers: a decimal or a minus sign breaks them.
        self.bounded = not decimals and "-" not in text
        self.partial: list[Number] = [0] * len(local)
        self.unplaced = [len(eq) for eq in equations]
        self.cells: list[str] = [""] * n
        self.found: list[tuple[str, ...]] = []
        self.steps = 0

    def place(self, t: int, end: int, c: int) -> None:
        """Place cell c, which ends at offset `end` of token t; cells after c are placed already."""
        self.steps += 1
        if self.steps > MAX_ROW_STEPS:
            raise _Capped
        if end == 0 and t >= 0:
            t -= 1
            end = len(self.tokens[t]) if t >= 0 else 0
        chars = self.before[t] + end if t >= 0 else 0
        if c < 0:
            if chars == 0:
                self.found.append(tuple(self.cells))
            return
        if not t + 1 <= c + 1 <= chars or chars > (c + 1) * MAX_CELL_CHARS:
            return
        if self.bounded and not self._reachable(max(end, self.longest[t]), chars, c):
            return
        token = self.tokens[t]
        for start in self.starts[t][end]:
            cell = token[start:end]
            value = Decimal(cell) if "." in cell else int(cell)
            self.cells[c] = cell
            if self._shift(c, value, 1):
                self.place(t, start, c - 1)
            self._shift(c, value, -1)

    def _shift(self, c: int, value: Number, sign: int) -> bool:
        """Add (sign 1) or remove (sign -1) cell c's value; False if that closes an equation unbalanced."""
        balanced = True
        for e, coefficient in self.of_cell[c]:
            self.partial[e] += sign * coefficient * value
            self.unplaced[e] -= sign
            balanced = balanced and (self.unplaced[e] > 0 or self.partial[e] == 0)
        return balanced

    def _reachable(self, longest: int, chars: int, c: int) -> bool:
        """Can cells 0..c, cut from `chars` characters (longest token: `longest`), balance every equation?"""
        high = 10 ** min(MAX_CELL_CHARS, longest, chars - c) - 1
        widest = -(-longest // (c + 1))
        low = 10 ** (widest - 1) if widest > 1 else 0
        for e, bounds in enumerate(self.bounds):
            negative, positive, weakest, every = bounds[c]
            least, most = negative * high, positive * high
            if every and not negative:
                least = weakest * low  # every cell left is a part of this sum, and one of them is wide
            elif every and not positive:
                most = weakest * low
            if not least <= -self.partial[e] <= most:
                return False
        return True


def _bounds(coefficients: list[int], cells: int) -> tuple[int, int, int, bool]:
    """Summaries of an equation's coefficients on the cells still unplaced, for `_RowReader._reachable`.

    (sum of the negative ones, sum of the positive ones, the one nearest zero, whether every unplaced cell
    is in the equation).
    """
    weakest = min(coefficients, key=abs, default=0)
    return (
        sum(k for k in coefficients if k < 0),
        sum(k for k in coefficients if k > 0),
        weakest,
        len(coefficients) == cells,
    )


def _coefficients(terms: tuple[tuple[int, int], ...]) -> dict[int, int]:
    """Cell -> net coefficient; a cell named twice adds up, one on both sides drops out."""
    net: dict[int, int] = {}
    for c, sign in terms:
        net[c] = net.get(c, 0) + sign
    return {c: k for c, k in net.items() if k}


def _cell_starts(token: str, pattern: re.Pattern[str]) -> list[list[int]]:
    """For each end offset in the token, the offsets where a valid number ending there can start."""
    return [
        [start for start in range(max(0, end - MAX_CELL_CHARS), end) if pattern.fullmatch(token, start, end)]
        for end in range(len(token) + 1)
    ]


# --- searching across rows -------------------------------------------------------------------------------


class _Search:
    """Depth-first search over the rows' readings, by increasing number of broken equations.

    The violation budget starts at zero; only if no combination of readings satisfies every equation is it
    raised, one broken equation at a time, so the first budget that yields solutions is the fewest
    violations possible. Each budget is one `_Descent`.
    """

    def __init__(
        self,
        rows: list[int],
        readings: list[_Readings],
        costs: list[list[int]],
        cross: list[_Terms],
        meter: _Meter,
    ):
        self.rows = rows
        self.costs = costs
        self.meter = meter
        self.count = len(cross)
        self.shares = {
            r: [
                (e, [_share(eq[r], reading) for reading in readings[r].values]) for e, eq in enumerate(cross) if r in eq
            ]
            for r in rows
        }

    def run(self, most: int) -> tuple[list[dict[int, int]], int, bool]:
        """Return (solutions as row -> reading index, violations they have, whether a cap was hit)."""
        lowest = max((min(self.costs[r]) for r in self.rows), default=0)
        budget = lowest
        for budget in range(lowest, most + 1):
            descent = _Descent(self, budget)
            try:
                descent.descend(descent.dead())
            except _Capped:
                return descent.solutions, budget, True
            if descent.solutions:
                return descent.solutions, budget, False
        return [], budget, False


class _Descent:
    """Backtracking at one violation budget, with interval bounds on every equation.

    For each equation the sum of the chosen rows' shares is kept together with the least and greatest sum the
    open rows can still add. A reading is charged one violation for each equation whose interval it pushes
    off zero (an equation closed by its last row is the case of an empty remainder), so a dead column sum is
    seen as soon as it is dead, not when its last row is chosen. The open row with the fewest affordable
    readings is branched on first: rows with a single reading cost nothing.
    """

    def __init__(self, search: _Search, budget: int):
        self.budget = budget
        self.costs = search.costs
        self.meter = search.meter
        self.domain = {r: [i for i, cost in enumerate(search.costs[r]) if cost <= budget] for r in search.rows}
        self.terms = {
            r: [(e, shares, min(shares[i] for i in self.domain[r]), max(shares[i] for i in self.domain[r]))
                for e, shares in search.shares[r]]
            for r in search.rows
        }  # fmt: skip
        self.open = sorted(search.rows, key=lambda r: len(self.domain[r]))
        self.chosen: dict[int, int] = {}
        self.solutions: list[dict[int, int]] = []
        self.partial: list[Number] = [0] * search.count
        self.least: list[Number] = [0] * search.count
        self.most: list[Number] = [0] * search.count
        for r in search.rows:
            for e, _, low, high in self.terms[r]:
                self.least[e] += low
                self.most[e] += high

    def dead(self) -> int:
        """How many equations no choice of readings can satisfy: charged up front, no reading is to blame."""
        return sum(1 for low, high in zip(self.least, self.most, strict=True) if not low <= 0 <= high)

    def descend(self, charged: int) -> None:
        """Choose the most constrained open row and try each of its affordable readings."""
        self.meter.spend(1)
        if not self.open:
            if len(self.solutions) >= MAX_SOLUTIONS:
                raise _Capped
            self.solutions.append(dict(self.chosen))
            return
        r, options = self._most_constrained(self.budget - charged)
        at = self.open.index(r)
        del self.open[at]
        for i, cost in options:
            self._shift(r, i, 1)
            self.descend(charged + cost)
            self._shift(r, i, -1)
        self.open.insert(at, r)

    def _shift(self, r: int, i: int, sign: int) -> None:
        """Choose (sign 1) or unchoose (sign -1) reading i of row r, moving its shares out of the bounds."""
        if sign > 0:
            self.chosen[r] = i
        else:
            del self.chosen[r]
        for e, shares, low, high in self.terms[r]:
            self.partial[e] += sign * shares[i]
            self.least[e] -= sign * low
            self.most[e] -= sign * high

    def _most_constrained(self, allowance: int) -> tuple[int, list[tuple[int, int]]]:
        """The open row with the fewest affordable readings (an empty list ends the branch)."""
        best: tuple[int, list[tuple[int, int]]] | None = None
        for r in self.open:
            options = self._options(r, allowance)
            if best is None or len(options) < len(best[1]):
                best = (r, options)
                if len(options) <= 1:
                    break
        assert best is not None  # only called with open rows
        return best

    def _options(self, r: int, allowance: int) -> list[tuple[int, int]]:
        """Row r's readings within the allowance, each with the violations it would be charged."""
        terms = self.terms[r]
        self.meter.spend(len(self.domain[r]) * (1 + len(terms)))
        live = [
            (self.partial[e] + self.least[e] - low, self.partial[e] + self.most[e] - high, shares)
            for e, shares, low, high in terms
            if self.partial[e] + self.least[e] <= 0 <= self.partial[e] + self.most[e]
        ]
        options = []
        for i in self.domain[r]:
            cost = self.costs[r][i] + sum(1 for least, most, shares in live if not least <= -shares[i] <= most)
            if cost <= allowance:
                options.append((i, cost))
        return options


class _Meter:
    """Work left for one call of solve, shared by its searches so that the cap bounds the whole call."""

    def __init__(self, limit: int):
        self.left = limit

    def spend(self, units: int) -> None:
        """Count search nodes and readings examined; stop the search once the limit is passed."""
        self.left -= units
        if self.left < 0:
            raise _Capped


def _per_row(solutions: list[dict[int, int]], rows: list[int]) -> dict[int, set[int]]:
    """The readings each row takes in at least one solution."""
    return {r: {solution[r] for solution in solutions} for r in rows}


def _row_by_row(rows: list[int], costs: list[list[int]], budget: int) -> dict[int, set[int]]:
    """When the search was capped, fall back to each row's own readings within the budget.

    Every reading a row could still take is kept, so a cell keeps a value only if all of them agree on it:
    weaker than the full search, but it drops no reading the search could have kept.
    """
    return {r: {i for i, cost in enumerate(costs[r]) if cost <= budget} for r in rows}


# --- reporting -------------------------------------------------------------------------------------------


def _summarise(rows: list[RunRow], readings: list[_Readings], choices: dict[int, set[int]]) -> Split:
    """Collapse the readings still possible per row into agreed cell values plus the candidates.

    A row missing from `choices` was left open (unreadable, or too many readings to enumerate): all its
    cells are None and what was enumerated of it is listed.
    """
    split = Split(values={}, candidates={}, violated=False)
    for r, row in enumerate(rows):
        found = readings[r].values
        pinned = r in choices
        distinct = [found[i] for i in sorted(choices[r])] if pinned else found
        for c, key in enumerate(row.cells):
            seen = {reading[c] for reading in distinct}
            split.values[key] = _plain(seen.pop()) if pinned and len(seen) == 1 else None
        if len(distinct) != 1 or not pinned:
            split.candidates[row.name] = [tuple(map(_plain, v)) for v in distinct[:MAX_CANDIDATES]]
            split.candidate_counts[row.name] = len(distinct)
    return split


def _plain(value: Number) -> int | float:
    """Decimals are kept exact while solving and handed out as floats."""
    return float(value) if isinstance(value, Decimal) else value
