"""Small-cell suppression for public figures that cannot be worked back out.

A count from 1 to threshold - 1 is suppressed ("primary", published as "<5"); other counts are then suppressed
("complementary", published as "×") until no suppressed count follows from what is published, either exactly
by adding and subtracting (linear algebra over the table's equations) or from the bounds the labels give away:
a primary count lies in [1, threshold - 1], a complementary one in [threshold, ∞) since it would otherwise
have been primary. Those bounds are propagated along every line of the table to a fixpoint.

A zero is published as 0 and never hidden. It says that nobody of that group came, which points at no one;
hiding zeros on a hall of a few dozen people would hide most of a gender x age table, the number of women
among it. Nor can a zero be a complement: "×" says "at least the threshold", which a 0 is not.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from math import inf

# A line is one equation of a published table: the parts sum to the total (all are entry indices).
Line = tuple[list[int], int]
Bounds = tuple[float, float]  # lowest and highest value an entry can hold; the highest may be inf

CELL, MARGIN, GRAND = 0, 1, 2  # suppress interior cells before margins, margins before the grand total
HIDDEN = "×"  # a complementary suppression: not a small count, hidden so that small ones cannot be worked out
SWEEPS = 200  # cap on the rounds of bound propagation; every round that changes nothing ends it early


@dataclass(frozen=True)
class SuppressedTable:
    """A table as published: None where a count is suppressed.

    `primary` holds the keys (as `recoverable` gives them) of the entries suppressed for being under
    `threshold`; every other None is a complementary suppression. Both default to nothing, so a table built
    from its four parts alone labels every None as complementary and is checked with bounds [0, ∞).
    """

    cells: list[list[int | None]]
    row_totals: list[int | None]
    column_totals: list[int | None]
    total: int | None
    primary: frozenset[tuple] = frozenset()
    threshold: int = 0

    def value(self, key: tuple) -> int | None:
        """The published count of ("cell", r, c), ("row", r), ("column", c) or ("total",)."""
        kind, *at = key
        if kind == "cell":
            return self.cells[at[0]][at[1]]
        if kind == "row":
            return self.row_totals[at[0]]
        if kind == "column":
            return self.column_totals[at[0]]
        if kind == "total":
            return self.total
        raise KeyError(key)

    def label(self, key: tuple) -> str:
        """An entry as the public sees it: the count, "<5" (primary) or "×" (complementary)."""
        return shown(self.value(key), self.threshold, primary=key in self.primary)

    def labels(self) -> tuple[list[list[str]], list[str], list[str], str]:
        """Every entry's label: cells by row, row totals, column totals and the grand total."""
        return (
            [[self.label(("cell", r, c)) for c in range(len(row))] for r, row in enumerate(self.cells)],
            [self.label(("row", r)) for r in range(len(self.row_totals))],
            [self.label(("column", c)) for c in range(len(self.column_totals))],
            self.label(("total",)),
        )


def shown(value: int | None, threshold: int, *, primary: bool = True) -> str:
    """A count as the public sees it: the number (0 included), "<threshold" when suppressed, "×" for a complement."""
    if value is not None:
        return str(value)
    return f"<{threshold}" if primary else HIDDEN


def _layout(n_rows: int, n_cols: int) -> tuple[list[tuple], list[Line], list[int]]:
    """Entry keys, the table's equations and each entry's rank, with entries numbered cells first."""
    keys = [("cell", r, c) for r in range(n_rows) for c in range(n_cols)]
    keys += [("row", r) for r in range(n_rows)] + [("column", c) for c in range(n_cols)] + [("total",)]
    first_row, first_column, total = n_rows * n_cols, n_rows * n_cols + n_rows, len(keys) - 1
    lines = [([r * n_cols + c for c in range(n_cols)], first_row + r) for r in range(n_rows)]
    lines += [([r * n_cols + c for r in range(n_rows)], first_column + c) for c in range(n_cols)]
    lines += [(list(range(first_row, first_column)), total), (list(range(first_column, total)), total)]
    ranks = [CELL] * first_row + [MARGIN] * (n_rows + n_cols) + [GRAND]
    return keys, lines, ranks


def _members(line: Line) -> list[tuple[int, int]]:
    """The line as sum(sign * entry) == 0."""
    parts, total = line
    return [(i, 1) for i in parts] + [(total, -1)]


def _solve(lines: Sequence[Line], known: dict[int, Fraction]) -> dict[int, Fraction]:
    """The unknowns fixed exactly by the equations, with their values (rational elimination).

    An unknown is fixed when its unit vector lies in the equations' row space; in reduced row echelon form
    that is a pivot row with no free column besides its pivot.
    """
    pivots: dict[int, dict[int, Fraction]] = {}  # one row per pivot column; the constant is under key -1
    for line in lines:
        row: dict[int, Fraction] = {}
        constant = Fraction(0)
        for i, sign in _members(line):
            if i in known:
                constant -= sign * known[i]
            else:
                row[i] = row.get(i, Fraction(0)) + sign
        row = {i: v for i, v in row.items() if v}
        if constant:
            row[-1] = constant
        for column, pivot_row in list(pivots.items()):
            if row.get(column):
                _subtract(row, row[column], pivot_row)
        if not any(i >= 0 for i in row):
            continue  # nothing unknown left (a contradiction in the published figures is ignored)
        column = min(i for i in row if i >= 0)
        row = {i: v / row[column] for i, v in row.items()}
        for other in pivots.values():
            if other.get(column):
                _subtract(other, other[column], row)
        pivots[column] = row
    return {column: row.get(-1, Fraction(0)) for column, row in pivots.items() if len(row.keys() - {-1}) == 1}


def _subtract(row: dict[int, Fraction], factor: Fraction, pivot_row: dict[int, Fraction]) -> None:
    for i, v in pivot_row.items():
        value = row.get(i, Fraction(0)) - factor * v
        if value:
            row[i] = value
        else:
            row.pop(i, None)


def _propagate(lines: Sequence[Line], known: dict[int, Fraction], box: dict[int, Bounds]) -> dict[int, Bounds]:
    """Narrow each unknown's bounds by every line it lies on, round after round until nothing changes.

    On a line, sum(sign * x) == 0; each unknown lies within what the line's known entries and the other
    unknowns' bounds leave for it.
    """
    box = dict(box)
    for _ in range(SWEEPS):
        changed = False
        for line in lines:
            members = _members(line)
            free = [(i, sign) for i, sign in members if i in box]
            if not free:
                continue
            rest = -sum(sign * known[i] for i, sign in members if i in known)  # sum over free of sign * x
            for i, sign in free:
                # Lowest terms are finite or -inf, highest finite or inf, so the sums never meet inf - inf.
                terms = [_signed(box[j], s) for j, s in free if j != i]
                low, high = rest - sum(t[1] for t in terms), rest - sum(t[0] for t in terms)
                lo, hi = (low, high) if sign > 0 else (-high, -low)
                narrowed = (max(box[i][0], lo), min(box[i][1], hi))
                if narrowed != box[i]:
                    box[i], changed = narrowed, True
        if not changed:
            break
    return box


def _signed(bounds: Bounds, sign: int) -> Bounds:
    return bounds if sign > 0 else (-bounds[1], -bounds[0])


def _exposed(lines: Sequence[Line], published: Sequence[int | None], bounds: dict[int, Bounds]) -> set[int]:
    """The suppressed entries that follow from the published ones, exactly or from the bounds of the labels.

    Linear elimination and bound propagation feed each other until neither finds anything more. An entry
    whose label alone pins it (a threshold of 2: "<2" says 1) is taken as known and not reported.
    """
    known = {i: Fraction(v) for i, v in enumerate(published) if v is not None}
    known |= {i: Fraction(lo) for i, (lo, hi) in bounds.items() if lo == hi}
    found: set[int] = set()
    while True:
        solved = _solve(lines, known)
        known |= solved
        found |= solved.keys()
        box = _propagate(lines, known, {i: b for i, b in bounds.items() if i not in known})
        pinned = {i: Fraction(lo) for i, (lo, hi) in box.items() if lo == hi}
        if not pinned:
            return found
        known |= pinned
        found |= pinned.keys()


def _bounds(hidden: set[int], primary: set[int], threshold: int) -> dict[int, Bounds]:
    """What the labels tell: a primary count is from 1 to under the threshold, a complementary one is not."""
    return {i: (1, threshold - 1) if i in primary else (max(threshold, 0), inf) for i in hidden}


def _complement(
    values: list[int], lines: list[Line], ranks: list[int], unknown: set[int], exposed: set[int], fixed: set[int]
) -> int | None:
    """The entry to suppress next: the smallest open non-zero one sharing a line with an exposed entry.

    Lines with fewer unknowns go first, since a lone unknown is exposed by plain subtraction. When every line
    through an exposed entry is already hidden, an open entry on any line with a hidden one may still cut the
    chain of deductions; only when there is none is nothing left that could help.
    """
    best = None
    for parts, total in lines:
        members = [*parts, total]
        touches = 0 if not exposed.isdisjoint(members) else 1 if not unknown.isdisjoint(members) else None
        if touches is None:
            continue
        open_count = sum(1 for i in members if i in unknown)
        for i in members:
            if i not in unknown and i not in fixed and values[i]:  # "×" on a 0 would say it is >= threshold
                key = (touches, open_count, ranks[i], values[i], i)
                best = key if best is None or key < best else best
    return None if best is None else best[-1]


def _suppress(
    values: list[int], lines: list[Line], ranks: list[int], threshold: int, fixed: set[int]
) -> tuple[set[int], set[int]]:
    """Primary suppression from 1 to under the threshold, then complements until nothing suppressed is exposed.

    Gives the suppressed entries and the primary ones among them. Every round hides one more entry, so it
    ends at the latest when everything neither fixed nor zero is hidden; what is still exposed then is given
    away by the layout and the zeros themselves, e.g. a single row equal to a kept total.
    """
    primary = {i for i, v in enumerate(values) if 0 < v < threshold and i not in fixed}
    unknown = set(primary)
    while True:
        published = [None if i in unknown else v for i, v in enumerate(values)]
        exposed = _exposed(lines, published, _bounds(unknown, primary, threshold))
        pick = _complement(values, lines, ranks, unknown, exposed, fixed) if exposed else None
        if pick is None:
            return unknown, primary
        unknown.add(pick)


def suppress_table(cells: Sequence[Sequence[int]], threshold: int, *, keep_total: bool = False) -> SuppressedTable:
    """Suppress every count from 1 to under the threshold, and enough others that none can be worked back out."""
    n_rows, n_cols = len(cells), len(cells[0]) if cells else 0
    if any(len(row) != n_cols for row in cells):
        raise ValueError("every row needs the same number of cells")
    row_totals = [sum(row) for row in cells]
    column_totals = [sum(row[c] for row in cells) for c in range(n_cols)]
    values = [v for row in cells for v in row] + row_totals + column_totals + [sum(row_totals)]
    keys, lines, ranks = _layout(n_rows, n_cols)
    fixed = {len(values) - 1} if keep_total else set()
    hidden, primary = _suppress(values, lines, ranks, threshold, fixed)
    out = [None if i in hidden else v for i, v in enumerate(values)]
    first_row = n_rows * n_cols
    return SuppressedTable(
        cells=[out[r * n_cols : (r + 1) * n_cols] for r in range(n_rows)],
        row_totals=out[first_row : first_row + n_rows],
        column_totals=out[first_row + n_rows : -1],
        total=out[-1],
        primary=frozenset(keys[i] for i in primary),
        threshold=threshold,
    )


def _suppress_counts(counts: Sequence[int], threshold: int, keep_total: bool) -> tuple[list[int | None], set[int]]:
    values = [*counts, sum(counts)]
    lines = [(list(range(len(counts))), len(counts))]
    ranks = [CELL] * len(counts) + [GRAND]
    hidden, primary = _suppress(values, lines, ranks, threshold, {len(counts)} if keep_total else set())
    return [None if i in hidden else v for i, v in enumerate(values)], primary


def suppress_counts(
    counts: Sequence[int], threshold: int, *, keep_total: bool = False
) -> tuple[list[int | None], int | None]:
    """One row of counts and its total, suppressed the same way: None where suppressed."""
    out, _ = _suppress_counts(counts, threshold, keep_total)
    return out[:-1], out[-1]


def suppress_counts_labelled(
    counts: Sequence[int], threshold: int, *, keep_total: bool = False
) -> tuple[list[str], str]:
    """`suppress_counts` as the public sees it: each count and the total as a number, "<5" or "×"."""
    out, primary = _suppress_counts(counts, threshold, keep_total)
    labels = [shown(v, threshold, primary=i in primary) for i, v in enumerate(out)]
    return labels[:-1], labels[-1]


def recoverable(table: SuppressedTable) -> set[tuple]:
    """The suppressed entries whose values follow from the published ones and the labels' bounds.

    Exactly, by adding and subtracting along rows, columns and totals; or because the bounds pin them: "<t"
    puts a count in [1, t - 1], "×" in [t, ∞) (any suppressed entry not in `table.primary` is taken as "×").
    """
    n_rows, n_cols = len(table.row_totals), len(table.column_totals)
    keys, lines, _ = _layout(n_rows, n_cols)
    published = [v for row in table.cells for v in row] + table.row_totals + table.column_totals + [table.total]
    hidden = {i for i, v in enumerate(published) if v is None}
    primary = {i for i in hidden if keys[i] in table.primary}
    return {keys[i] for i in _exposed(lines, published, _bounds(hidden, primary, table.threshold))}
