"""Small-cell suppression: no count from 1 to under the threshold is shown, zeros are, and nothing hidden can be
worked back out."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.rules.suppression import (
    SuppressedTable,
    recoverable,
    shown,
    suppress_counts,
    suppress_counts_labelled,
    suppress_table,
)

fast = settings(database=None, deadline=None, max_examples=200)


def counts():
    """Counts from 0 to 30, zeros drawn often: they are published while the counts around them may not be."""
    return st.one_of(st.just(0), st.integers(0, 30))


def tables(min_size=1, least=0, zeros=False):
    """Tables up to 5 x 5 of counts from `least` to 30, with zeros drawn often if asked."""
    count = counts() if zeros else st.integers(least, 30)
    return st.integers(min_size, 5).flatmap(
        lambda width: st.lists(st.lists(count, min_size=width, max_size=width), min_size=min_size, max_size=5)
    )


def published(table):
    """Every entry of a table as (key, value), in the keys `recoverable` uses."""
    entries = [(("cell", r, c), v) for r, row in enumerate(table.cells) for c, v in enumerate(row)]
    entries += [(("row", r), v) for r, v in enumerate(table.row_totals)]
    entries += [(("column", c), v) for c, v in enumerate(table.column_totals)]
    return entries + [(("total",), table.total)]


def full(cells):
    """The table with nothing suppressed."""
    return suppress_table(cells, 0)


def everything_hidden(cells, threshold, keep_total):
    """The same table with every entry suppressed but its zeros (and the grand total, if kept), labelled.

    What is recoverable from it is given away by the layout, the zeros and the labels alone, whatever else is
    hidden: zeros are always published.
    """
    table = full(cells)
    kept = {("total",)} if keep_total else set()

    def hide(values):
        return [v if v == 0 else None for v in values]

    return SuppressedTable(
        cells=[hide(row) for row in table.cells],
        row_totals=hide(table.row_totals),
        column_totals=hide(table.column_totals),
        total=table.total if keep_total else hide([table.total])[0],
        primary=frozenset(key for key, value in published(table) if 0 < value < threshold and key not in kept),
        threshold=threshold,
    )


def pinned_counts(values, total, primary, threshold):
    """The hidden entries of one line of counts that its published figures and labels pin to one value.

    For a single sum the bounds each entry can take are exactly what the others leave it: values and
    total as published (None where hidden), primary the indices (len(values) for the total) shown as "<t".
    """
    signed = [(v, 1) for v in values] + [(total, -1)]
    rest = -sum(sign * v for v, sign in signed if v is not None)  # what the hidden entries must make up
    box = {
        i: (1, threshold - 1) if i in primary else (threshold, math.inf) for i, (v, _) in enumerate(signed) if v is None
    }
    pinned = set()
    for i, (lo, hi) in box.items():
        if lo == hi:
            continue  # "<2" says 1 by itself
        others = [(lo_j, hi_j) if signed[j][1] > 0 else (-hi_j, -lo_j) for j, (lo_j, hi_j) in box.items() if j != i]
        low, high = rest - sum(h for _, h in others), rest - sum(lo_j for lo_j, _ in others)
        low, high = (low, high) if signed[i][1] > 0 else (-high, -low)
        if max(lo, low) == min(hi, high):
            pinned.add(i)
    return pinned


def bridges(table):
    """The suppressed entries lying on no cycle of suppressed entries, found without any algebra.

    A table is a circulation: a cell runs from its column to its row, a row total from its row to a node A,
    the grand total from A to a node B, a column total from B to its column. The flows left unknown are
    fixed exactly where an unknown edge is a bridge of the graph of unknown edges.
    """
    ends = {("total",): ("A", "B")}
    ends |= {("cell", r, c): (("r", r), ("c", c)) for r, row in enumerate(table.cells) for c in range(len(row))}
    ends |= {("row", r): (("r", r), "A") for r in range(len(table.row_totals))}
    ends |= {("column", c): (("c", c), "B") for c in range(len(table.column_totals))}
    hidden = [key for key, value in published(table) if value is None]
    return {key for key in hidden if not _connected(*ends[key], [ends[k] for k in hidden if k != key])}


def _connected(start, goal, edges):
    seen, todo = {start}, [start]
    while todo:
        node = todo.pop()
        for a, b in edges:
            for here, there in ((a, b), (b, a)):
                if here == node and there not in seen:
                    seen.add(there)
                    todo.append(there)
    return goal in seen


def test_four_is_suppressed_and_five_is_shown():
    assert suppress_counts([9, 4, 3], 5) == ([9, None, None], 16)
    assert suppress_counts_labelled([9, 4, 3], 5) == (["9", "<5", "<5"], "16")
    assert suppress_counts([5, 5], 5) == ([5, 5], 10)


def test_a_zero_is_published_as_zero():
    # Nobody of that group came: that points at no one. The 1 still needs a complement, and it is not the 0.
    assert suppress_counts([0, 1, 12], 5) == ([0, None, None], 13)
    assert suppress_counts_labelled([0, 1, 12], 5) == (["0", "<5", "×"], "13")
    assert suppress_counts([0, 0], 5) == ([0, 0], 0)


def test_two_small_cells_at_their_maximum_are_protected():
    # 13 - 5 leaves 8 for two counts under 5: both would be 4, so the 5 goes too.
    assert suppress_counts([5, 4, 4], 5) == ([None, None, None], 13)
    assert suppress_counts_labelled([5, 4, 4], 5) == (["×", "<5", "<5"], "13")
    assert pinned_counts([5, None, None], 13, {1, 2}, 5) == {1, 2}
    assert pinned_counts([None, None, None], 13, {1, 2}, 5) == set()


def test_two_small_cells_at_their_minimum_are_protected():
    # "<5" says at least 1: 7 - 5 leaves 2 for two small counts, both would be 1, so the 5 goes too; and
    # then the total, or the 5 as "×" (at least 5) would still leave at most 2 for them.
    assert suppress_counts_labelled([5, 1, 1], 5) == (["×", "<5", "<5"], "×")
    assert suppress_counts([5, 1, 1], 5, keep_total=True) == ([None, None, None], 7)  # the layout's doing
    assert pinned_counts([5, None, None], 7, {1, 2}, 5) == {1, 2}
    assert pinned_counts([None, None, None], 7, {1, 2}, 5) == {0, 1, 2}
    assert pinned_counts([None, None, None], None, {1, 2}, 5) == set()


def test_zeros_beside_a_large_count_are_published_as_they_are():
    assert suppress_counts([7, 0, 0], 5) == ([7, 0, 0], 7)
    assert suppress_counts_labelled([7, 0, 0], 5) == (["7", "0", "0"], "7")
    assert suppress_counts([0, 0, 12], 5) == ([0, 0, 12], 12)


def test_a_zero_is_never_hidden_as_a_complement():
    # The 2 would follow from 14 - 12 - 0; the 0 is the smallest other count, yet only the 12 may cover it.
    assert suppress_counts_labelled([2, 0, 12], 5) == (["<5", "0", "×"], "14")
    # With the total kept and nothing else to hide, the 2 is given away by the layout and the zero.
    assert suppress_counts_labelled([2, 0], 5, keep_total=True) == (["<5", "0"], "2")


def test_a_complement_is_not_labelled_as_small():
    assert suppress_counts_labelled([3, 40, 12, 25], 5) == (["<5", "40", "×", "25"], "80")
    assert suppress_counts_labelled([1, 2], 5) == (["<5", "<5"], "<5")


def test_a_threshold_of_one_publishes_everything():
    assert suppress_counts([0, 1, 12], 1) == ([0, 1, 12], 13)
    assert suppress_counts_labelled([0, 1, 12], 1) == (["0", "1", "12"], "13")


def test_a_threshold_of_two_hides_only_ones_and_says_so():
    # "<2" can only be 1: no complement can protect it, so none is made.
    assert suppress_counts([0, 1, 12], 2) == ([0, None, 12], 13)
    assert suppress_counts_labelled([0, 1, 12], 2) == (["0", "<2", "12"], "13")
    assert suppress_counts([0, 2, 12], 2) == ([0, 2, 12], 14)


def test_a_threshold_of_zero_publishes_everything():
    assert suppress_table([[0, 1], [2, 0]], 0) == SuppressedTable([[0, 1], [2, 0]], [1, 2], [2, 1], 3)


def test_a_single_small_count_forces_the_next_smallest_one_out():
    assert suppress_counts([3, 40, 12, 25], 5) == ([None, 40, None, 25], 80)


def test_a_single_small_cell_in_a_row_forces_a_second_suppression():
    table = suppress_table([[3, 10, 12], [8, 9, 20]], 5)
    assert table.cells == [[None, None, 12], [None, None, 20]]
    assert (table.row_totals, table.column_totals, table.total) == ([25, 37], [11, 19, 32], 62)
    assert recoverable(table) == set()


def test_complements_come_from_interior_cells_before_totals():
    table = suppress_table([[3, 30], [40, 50]], 5)
    assert table.cells == [[None, None], [None, None]]
    assert (table.row_totals, table.column_totals, table.total) == ([33, 90], [43, 80], 123)


def test_a_small_total_is_suppressed_unless_it_is_kept():
    assert suppress_counts([1, 2], 5) == ([None, None], None)
    assert suppress_counts([1, 2], 5, keep_total=True) == ([None, None], 3)


def test_a_kept_small_grand_total_is_shown_and_still_gives_nothing_away():
    table = suppress_table([[1, 2], [1, 1]], 5, keep_total=True)
    assert table.labels() == ([["<5", "<5"], ["<5", "<5"]], ["<5", "<5"], ["<5", "<5"], "5")
    assert table == SuppressedTable(
        [[None, None], [None, None]], [None, None], [None, None], 5, primary=table.primary, threshold=5
    )
    assert recoverable(table) == set()


def test_a_kept_total_as_small_as_the_nonzero_cells_gives_away_one_each():
    # Every "<5" is at least 1 and four of them make 4: the layout's doing, nothing else is left to hide.
    table = suppress_table([[1, 1], [1, 1]], 5, keep_total=True)
    assert table.labels() == ([["<5", "<5"], ["<5", "<5"]], ["<5", "<5"], ["<5", "<5"], "4")
    assert recoverable(table) == set(table.primary)


def test_a_table_of_zeros_is_published_as_zeros():
    table = suppress_table([[0, 0], [0, 0]], 5, keep_total=True)
    assert table.labels() == ([["0", "0"], ["0", "0"]], ["0", "0"], ["0", "0"], "0")
    assert table.primary == frozenset() and recoverable(table) == set()


def test_zeros_in_a_table_stay_while_its_small_counts_are_covered():
    table = suppress_table([[0, 3, 12], [0, 9, 20]], 5, keep_total=True)
    assert table.labels() == ([["0", "<5", "×"], ["0", "×", "×"]], ["15", "29"], ["0", "12", "32"], "44")
    assert recoverable(table) == set()


def test_a_single_row_with_a_kept_total_gives_away_only_its_row_total():
    table = suppress_table([[1, 2, 1]], 5, keep_total=True)
    assert table.total == 4 and table.cells == [[None, None, None]]
    assert recoverable(table) == {("row", 0)}  # the only row's total is the grand total


def test_empty_tables_are_published_empty():
    assert suppress_table([], 5) == SuppressedTable([], [], [], 0, frozenset(), 5)
    assert suppress_table([[], []], 5) == SuppressedTable([[], []], [0, 0], [], 0, frozenset(), 5)
    assert suppress_table([[], []], 0) == SuppressedTable([[], []], [0, 0], [], 0)
    assert suppress_counts([], 5) == ([], 0)


def test_ragged_rows_are_refused():
    with pytest.raises(ValueError):
        suppress_table([[1, 2], [3]], 5)


def test_recoverable_detects_the_classic_subtraction():
    table = SuppressedTable(cells=[[None, 10], [8, 9]], row_totals=[13, 17], column_totals=[11, 19], total=30)
    assert recoverable(table) == {("cell", 0, 0)}


def test_recoverable_follows_a_chain_of_subtractions():
    # Row 0 alone leaves two unknowns, but each column then has one; the total follows from the rows.
    table = SuppressedTable(cells=[[None, None], [8, 9]], row_totals=[13, 17], column_totals=[11, 19], total=None)
    assert recoverable(table) == {("cell", 0, 0), ("cell", 0, 1), ("total",)}


def test_a_rectangle_of_suppressed_cells_cannot_be_recovered():
    table = SuppressedTable(cells=[[None, None], [None, None]], row_totals=[13, 17], column_totals=[11, 19], total=30)
    assert recoverable(table) == set()


def test_a_suppressed_row_total_is_recovered_from_its_cells():
    table = SuppressedTable(cells=[[3, 10], [8, 9]], row_totals=[None, 17], column_totals=[11, 19], total=30)
    assert recoverable(table) == {("row", 0)}


def test_suppressed_counts_show_as_under_the_threshold():
    assert shown(17, 5) == "17"
    assert shown(0, 0) == "0"
    assert shown(None, 5) == "<5"
    assert shown(None, 5, primary=False) == "×"


def test_a_table_labels_its_primary_and_complementary_suppressions_apart():
    table = suppress_table([[3, 10, 12], [8, 9, 20]], 5)
    assert table.primary == {("cell", 0, 0)}
    assert table.labels() == ([["<5", "×", "12"], ["×", "×", "20"]], ["25", "37"], ["11", "19", "32"], "62")
    assert table.label(("cell", 1, 2)) == "20" and table.label(("cell", 0, 0)) == "<5"
    assert table.value(("column", 1)) == 19


def test_a_table_built_from_its_parts_labels_every_suppression_as_a_complement():
    table = SuppressedTable(cells=[[None, 10], [8, 9]], row_totals=[13, 17], column_totals=[11, 19], total=30)
    assert table.label(("cell", 0, 0)) == "×" and table.label(("total",)) == "30"


def test_recoverable_uses_the_bounds_the_labels_give():
    # Row 0 leaves 8 for two counts under 5; subtraction alone cannot split it.
    small = frozenset({("cell", 0, 0), ("cell", 0, 1)})
    table = SuppressedTable([[None, None, 5], [None, None, 20]], [13, None], [None, None, 25], None, small, 5)
    assert recoverable(table) == {("cell", 0, 0), ("cell", 0, 1)}
    # As complements both are at least 5, and together at most 8: impossible to pin, and nothing is.
    assert recoverable(SuppressedTable(table.cells, table.row_totals, table.column_totals, None, threshold=5)) == set()


def test_recoverable_pins_counts_that_must_be_zero():
    # Without labels every hidden count is still at least 0: a line with nothing left pins them all.
    table = SuppressedTable(cells=[[None, None], [8, 9]], row_totals=[0, 17], column_totals=[None, None], total=None)
    assert recoverable(table) == {("cell", 0, 0), ("cell", 0, 1), ("column", 0), ("column", 1), ("total",)}


def test_a_pinned_count_gives_away_the_counts_it_shares_a_line_with():
    # Row 0 leaves 8 for two counts under 5, so both are 4; then column 0 gives 1 and row 1 gives 7.
    table = SuppressedTable(
        cells=[[None, None, 20], [None, None, 30]],
        row_totals=[28, 38],
        column_totals=[5, 11, 50],
        total=66,
        primary=frozenset({("cell", 0, 0), ("cell", 0, 1), ("cell", 1, 0)}),
        threshold=5,
    )
    assert recoverable(table) == {("cell", 0, 0), ("cell", 0, 1), ("cell", 1, 0), ("cell", 1, 1)}
    assert suppress_table([[4, 4, 20], [1, 7, 30]], 5).labels() == (
        [["<5", "<5", "×"], ["<5", "×", "×"]],
        ["28", "38"],
        ["5", "11", "50"],
        "66",
    )
    assert recoverable(suppress_table([[4, 4, 20], [1, 7, 30]], 5)) == set()


@fast
@given(tables(min_size=0, least=1), st.data())
def test_recoverable_agrees_with_the_bridges_of_the_suppressed_entries(cells, data):
    # With every count above its bounds, the bounds pin nothing: only subtraction can.
    table = full(cells)
    hidden = {key for key, _ in published(table) if data.draw(st.booleans(), label=str(key))}
    table = SuppressedTable(
        cells=[[None if ("cell", r, c) in hidden else v for c, v in enumerate(row)] for r, row in enumerate(cells)],
        row_totals=[None if ("row", r) in hidden else v for r, v in enumerate(table.row_totals)],
        column_totals=[None if ("column", c) in hidden else v for c, v in enumerate(table.column_totals)],
        total=None if ("total",) in hidden else table.total,
    )
    assert recoverable(table) == bridges(table)


@fast
@given(tables(min_size=0), st.data())
def test_recoverable_finds_at_least_the_bridges(cells, data):
    table = full(cells)
    hidden = {key for key, _ in published(table) if data.draw(st.booleans(), label=str(key))}
    table = SuppressedTable(
        cells=[[None if ("cell", r, c) in hidden else v for c, v in enumerate(row)] for r, row in enumerate(cells)],
        row_totals=[None if ("row", r) in hidden else v for r, v in enumerate(table.row_totals)],
        column_totals=[None if ("column", c) in hidden else v for c, v in enumerate(table.column_totals)],
        total=None if ("total",) in hidden else table.total,
    )
    assert recoverable(table) >= bridges(table)


def assert_published_as_labelled(table, cells, threshold, entries=None):
    """Every small count is "<t", every zero is 0, every "×" is at least t and every shown count is the count."""
    for (key, value), (_, original) in list(zip(published(table), published(full(cells)), strict=True))[:entries]:
        assert value is None or value == original, key
        assert not 0 < original < threshold or value is None, key  # no count from 1 to t - 1 is shown
        assert original != 0 or value == 0, key  # no zero is ever hidden
        hidden = f"<{threshold}" if original < threshold else "×"  # a complement is never a small count
        assert table.label(key) == (hidden if value is None else str(value)), key


@fast
@given(tables(zeros=True), st.integers(0, 6))
def test_nothing_suppressed_can_be_recovered(cells, threshold):
    table = suppress_table(cells, threshold)
    assert recoverable(table) <= recoverable(everything_hidden(cells, threshold, False))
    assert table.primary == {key for key, value in published(full(cells)) if 0 < value < threshold}
    assert_published_as_labelled(table, cells, threshold)


@fast
@given(tables(min_size=2, zeros=True), st.integers(0, 6))
def test_a_kept_total_is_always_shown_and_nothing_suppressed_can_be_recovered(cells, threshold):
    table = suppress_table(cells, threshold, keep_total=True)
    assert table.total == sum(map(sum, cells))
    assert recoverable(table) <= recoverable(everything_hidden(cells, threshold, True))
    assert_published_as_labelled(table, cells, threshold, entries=-1)


@fast
@given(st.integers(0, 5).flatmap(lambda w: st.lists(st.lists(counts(), min_size=w, max_size=w), max_size=5)),
       st.integers(0, 6), st.booleans())  # fmt: skip
def test_no_table_gives_away_more_than_its_layout_does(cells, threshold, keep_total):
    table = suppress_table(cells, threshold, keep_total=keep_total)
    assert recoverable(table) <= recoverable(everything_hidden(cells, threshold, keep_total))
    if keep_total:
        assert table.total == sum(map(sum, cells))


@fast
@given(st.lists(counts(), max_size=8), st.integers(0, 6), st.booleans())
def test_counts_never_leave_a_count_to_be_worked_out(row, threshold, keep_total):
    shown_counts, total = suppress_counts(row, threshold, keep_total=keep_total)
    labels, total_label = suppress_counts_labelled(row, threshold, keep_total=keep_total)
    values, everything = [*row, sum(row)], [*labels, total_label]
    primary = {i for i, label in enumerate(everything) if label.startswith("<")}
    kept = {len(row)} if keep_total else set()
    assert primary == {i for i, v in enumerate(values) if 0 < v < threshold} - kept
    layout = pinned_counts([v if v == 0 else None for v in row], sum(row) if keep_total else None, primary, threshold)
    assert pinned_counts(shown_counts, total, primary, threshold) <= layout
    assert all(v is None or v == c for v, c in zip([*shown_counts, total], values, strict=True))
    assert all(v is None for v, c in zip(shown_counts, row, strict=True) if 0 < c < threshold)
    assert all(label == "0" for label, v in zip(everything, values, strict=True) if v == 0)  # no zero hidden
    assert all(v >= threshold for label, v in zip(everything, values, strict=True) if label == "×")
    assert total is not None if keep_total else not 0 < sum(row) < threshold or total is None
