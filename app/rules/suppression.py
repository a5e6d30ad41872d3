"""Small-cell suppression for public figures that cannot be undone by subtraction."""

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

# A line is one equation of a published table: the parts sum to the total (all are entry indices).
Line = tuple[list[int], int]

CELL, MARGIN, GRAND = 0, 1, 2  # suppress interior cells before margins, margins before the grand total


@dataclass(frozen=True)
class SuppressedTable:
    """A table as published: None where a count is suppressed."""

    cells: list[list[int | None]]
    row_totals: list[int | None]
    column_totals: list[int | None]
    total: int | None


def shown(value: int | None, threshold: int) -> str:
    """A count as the public sees it: the number, or "<threshold" when suppressed."""
    return f"<{threshold}" if value is None else str(value)


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


def _determined(lines: Sequence[Line], unknown: set[int]) -> set[int]:
    """The unknowns fixed by the equations: those whose unit vector lies in the equations' row space."""
    pivots: dict[int, dict[int, Fraction]] = {}  # reduced row echelon form, one row per pivot column
    for parts, total in lines:
        row = {i: Fraction(1) for i in parts if i in unknown}
        if total in unknown:
            row[total] = Fraction(-1)
        for column, pivot_row in list(pivots.items()):
            if row.get(column):
                _subtract(row, row[column], pivot_row)
        if not row:
            continue
        column = min(row)
        row = {i: v / row[column] for i, v in row.items()}
        for other in pivots.values():
            if other.get(column):
                _subtract(other, other[column], row)
        pivots[column] = row
    # In reduced form a pivot row holds only free columns besides its pivot; none means it is fixed.
    return {column for column, row in pivots.items() if len(row) == 1}


def _subtract(row: dict[int, Fraction], factor: Fraction, pivot_row: dict[int, Fraction]) -> None:
    for i, v in pivot_row.items():
        value = row.get(i, Fraction(0)) - factor * v
        if value:
            row[i] = value
        else:
            row.pop(i, None)


def _complement(
    values: list[int], lines: list[Line], ranks: list[int], unknown: set[int], exposed: set[int], fixed: set[int]
) -> int | None:
    """The entry to suppress next: the smallest open one sharing a line with an exposed entry.

    Lines with fewer unknowns go first, since a lone unknown is exposed by plain subtraction.
    """
    best = None
    for parts, total in lines:
        members = [*parts, total]
        if exposed.isdisjoint(members):
            continue
        open_count = sum(1 for i in members if i in unknown)
        for i in members:
            if i not in unknown and i not in fixed:
                key = (open_count, ranks[i], values[i], i)
                best = key if best is None or key < best else best
    return None if best is None else best[-1]


def _suppress(values: list[int], lines: list[Line], ranks: list[int], threshold: int, fixed: set[int]) -> set[int]:
    """Primary suppression under the threshold, then complements until nothing suppressed is exposed."""
    unknown = {i for i, v in enumerate(values) if v < threshold and i not in fixed}
    while exposed := _determined(lines, unknown):
        pick = _complement(values, lines, ranks, unknown, exposed, fixed)
        if pick is None:
            break  # only what the layout itself gives away is left, e.g. a single row equal to a kept total
        unknown.add(pick)
    return unknown


def suppress_table(cells: Sequence[Sequence[int]], threshold: int, *, keep_total: bool = False) -> SuppressedTable:
    """Suppress every count under the threshold, and enough others that none can be worked back out."""
    n_rows, n_cols = len(cells), len(cells[0]) if cells else 0
    if any(len(row) != n_cols for row in cells):
        raise ValueError("every row needs the same number of cells")
    row_totals = [sum(row) for row in cells]
    column_totals = [sum(row[c] for row in cells) for c in range(n_cols)]
    values = [v for row in cells for v in row] + row_totals + column_totals + [sum(row_totals)]
    _, lines, ranks = _layout(n_rows, n_cols)
    fixed = {len(values) - 1} if keep_total else set()
    hidden = _suppress(values, lines, ranks, threshold, fixed)
    out = [None if i in hidden else v for i, v in enumerate(values)]
    first_row = n_rows * n_cols
    return SuppressedTable(
        cells=[out[r * n_cols : (r + 1) * n_cols] for r in range(n_rows)],
        row_totals=out[first_row : first_row + n_rows],
        column_totals=out[first_row + n_rows : -1],
        total=out[-1],
    )


def suppress_counts(
    counts: Sequence[int], threshold: int, *, keep_total: bool = False
) -> tuple[list[int | None], int | None]:
    """One row of counts and its total, suppressed the same way."""
    values = [*counts, sum(counts)]
    lines = [(list(range(len(counts))), len(counts))]
    ranks = [CELL] * len(counts) + [GRAND]
    hidden = _suppress(values, lines, ranks, threshold, {len(counts)} if keep_total else set())
    out = [None if i in hidden else v for i, v in enumerate(values)]
    return out[:-1], out[-1]


def recoverable(table: SuppressedTable) -> set[tuple]:
    """The suppressed entries whose values follow exactly from the published ones."""
    n_rows, n_cols = len(table.row_totals), len(table.column_totals)
    keys, lines, _ = _layout(n_rows, n_cols)
    published = [v for row in table.cells for v in row] + table.row_totals + table.column_totals + [table.total]
    unknown = {i for i, v in enumerate(published) if v is None}
    return {keys[i] for i in _determined(lines, unknown)}
