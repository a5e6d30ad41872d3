"""Small-cell suppression: nothing under the threshold is shown, and nothing hidden can be worked back out."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.rules.suppression import SuppressedTable, recoverable, shown, suppress_counts, suppress_table

fast = settings(database=None, deadline=None, max_examples=200)


def tables(min_size=1):
    """Tables up to 5 x 5 of counts from 0 to 30."""
    return st.integers(min_size, 5).flatmap(
        lambda width: st.lists(
            st.lists(st.integers(0, 30), min_size=width, max_size=width), min_size=min_size, max_size=5
        )
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


def everything_hidden(table, keep_total):
    """The same layout with every entry suppressed (but the grand total, if kept)."""
    return SuppressedTable(
        cells=[[None] * len(row) for row in table.cells],
        row_totals=[None] * len(table.row_totals),
        column_totals=[None] * len(table.column_totals),
        total=table.total if keep_total else None,
    )


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
    assert suppress_counts([5, 4, 4], 5) == ([5, None, None], 13)
    assert suppress_counts([5, 5], 5) == ([5, 5], 10)


def test_zero_is_suppressed_like_any_small_count():
    assert suppress_counts([0, 0, 12], 5) == ([None, None, 12], 12)


def test_a_threshold_of_one_hides_only_zeros():
    assert suppress_counts([0, 1, 12], 1) == ([None, None, 12], 13)
    assert suppress_counts([1, 2, 12], 1) == ([1, 2, 12], 15)


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
    table = suppress_table([[1, 1], [1, 1]], 5, keep_total=True)
    assert table == SuppressedTable([[None, None], [None, None]], [None, None], [None, None], 4)
    assert recoverable(table) == set()


def test_a_single_row_with_a_kept_total_gives_away_only_its_row_total():
    table = suppress_table([[1, 2, 1]], 5, keep_total=True)
    assert table.total == 4 and table.cells == [[None, None, None]]
    assert recoverable(table) == {("row", 0)}  # the only row's total is the grand total


def test_empty_tables_are_published_empty():
    assert suppress_table([], 5) == SuppressedTable([], [], [], None)
    assert suppress_table([[], []], 5) == SuppressedTable([[], []], [None, None], [], None)
    assert suppress_table([[], []], 0) == SuppressedTable([[], []], [0, 0], [], 0)
    assert suppress_counts([], 5) == ([], None)


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


@fast
@given(tables(min_size=0), st.data())
def test_recoverable_agrees_with_the_bridges_of_the_suppressed_entries(cells, data):
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
@given(tables(), st.integers(0, 6))
def test_nothing_suppressed_can_be_recovered(cells, threshold):
    table = suppress_table(cells, threshold)
    assert recoverable(table) == set()
    for (key, value), (_, original) in zip(published(table), published(full(cells)), strict=True):
        assert value is None or value == original, key
        assert original >= threshold or value is None, key


@fast
@given(tables(min_size=2), st.integers(0, 6))
def test_a_kept_total_is_always_shown_and_nothing_suppressed_can_be_recovered(cells, threshold):
    table = suppress_table(cells, threshold, keep_total=True)
    assert table.total == sum(map(sum, cells))
    assert recoverable(table) == set()
    for (key, value), (_, original) in zip(published(table)[:-1], published(full(cells))[:-1], strict=True):
        assert value is None or value == original, key
        assert original >= threshold or value is None, key


@fast
@given(st.integers(0, 5).flatmap(lambda w: st.lists(st.lists(st.integers(0, 30), min_size=w, max_size=w), max_size=5)),
       st.integers(0, 6), st.booleans())  # fmt: skip
def test_no_table_gives_away_more_than_its_layout_does(cells, threshold, keep_total):
    table = suppress_table(cells, threshold, keep_total=keep_total)
    assert recoverable(table) <= recoverable(everything_hidden(table, keep_total))
    if keep_total:
        assert table.total == sum(map(sum, cells))


@fast
@given(st.lists(st.integers(0, 30), max_size=8), st.integers(0, 6), st.booleans())
def test_counts_never_leave_a_lone_suppressed_count(counts, threshold, keep_total):
    shown_counts, total = suppress_counts(counts, threshold, keep_total=keep_total)
    hidden = shown_counts.count(None) + (total is None)
    hideable = len(counts) + (not keep_total)
    assert hidden != 1 or hideable == 1  # a lone entry that can be hidden at all is given away by the layout
    assert all(v is None or v == c for v, c in zip(shown_counts, counts, strict=True))
    assert all(v is None for v, c in zip(shown_counts, counts, strict=True) if c < threshold)
    assert total is None or total == sum(counts)
    assert total is not None if keep_total else sum(counts) >= threshold or total is None
