"""What of a hearing's figures the public may see: vote splits by gender and requirement figures, suppressed.

A published count from 1 to under the municipality's threshold could point at a handful of people, so it
becomes None ("<5" on a page, null in the open data); a 0 points at no one and is shown. Totals that are the
outcome of a vote stay: only their split is suppressed, with a complementary cell where one hidden cell would
otherwise follow by subtraction (a 0 is never that cell). A small total whose only non-zero part is hidden still
gives that part away: nothing is left to hide with it.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from app.rules.checks import Check
from app.rules.suppression import SuppressedTable, suppress_counts, suppress_counts_labelled

HAND_COLUMNS = ("for", "against", "abstain")


@dataclass(frozen=True)
class Split:
    """One total and its parts by gender as published: a part is None when suppressed."""

    total: int | None
    parts: dict[str, int | None]
    labels: dict[str, str]  # each part as the public sees it: the count, "<5" (small) or "×" (hidden with it)
    threshold: int

    def as_table(self) -> SuppressedTable:
        """The split as a one-row table, for `suppression.recoverable`."""
        values = list(self.parts.values())
        small = [c for c, label in enumerate(self.labels.values()) if label.startswith("<")]
        primary = frozenset([("cell", 0, c) for c in small] + [("column", c) for c in small])
        return SuppressedTable(cells=[values], row_totals=[self.total], column_totals=values, total=self.total,
                               primary=primary, threshold=self.threshold)  # fmt: skip


def split(counts: Mapping[str, int], genders: Sequence[str], threshold: int) -> Split:
    """A total kept as it is, and its parts by gender from 1 to under the threshold suppressed; zeros shown."""
    row = [counts.get(g, 0) for g in genders]
    values, total = suppress_counts(row, threshold, keep_total=True)
    labels, _ = suppress_counts_labelled(row, threshold, keep_total=True)
    return Split(total, dict(zip(genders, values, strict=True)), dict(zip(genders, labels, strict=True)), threshold)


def hand_splits(
    hands: Mapping[str, tuple[int, int, int]], genders: Sequence[str], threshold: int
) -> dict[str, Split]:
    """A show of hands on one proposal: for, against and abstain totals kept, each split by gender suppressed."""
    return {
        column: split({g: hands.get(g, (0, 0, 0))[i] for g in genders}, genders, threshold)
        for i, column in enumerate(HAND_COLUMNS)
    }


def _small(value: int | None, threshold: int) -> bool:
    return value is not None and 0 < value < threshold


def _masked(check: Check, keys: Sequence[str]) -> Check:
    figures = dict(check.figures)
    for key in keys:
        figures[key] = None
    return replace(check, figures=figures | {"suppressed": list(keys)})


def public_check(check: Check, threshold: int, women_shown: bool = True, unrecorded_shown: bool = True) -> Check:
    """The check with every figure that would reveal a suppressed or small count set to None.

    `women_shown`: the published attendance table shows the number of women; `unrecorded_shown`: it shows
    everyone whose gender or age band is not recorded. Figures the table does not show are hidden here too,
    or the percentage would give them back. Each hidden figure is listed in figures["suppressed"].
    """
    f = check.figures
    if check.id == "share" and (not women_shown or _small(f.get("women"), threshold)):
        return _masked(check, ("women", "percent"))
    if check.id == "data":
        unrecorded = (f.get("total") or 0) - (f.get("recorded") or 0)
        if not unrecorded_shown or _small(unrecorded, threshold) or _small(f.get("recorded"), threshold):
            return _masked(check, ("recorded", "percent"))
    if check.id == "voice":
        others = (f.get("known") or 0) - (f.get("women") or 0)
        if _small(f.get("women"), threshold) or _small(others, threshold):
            return _masked(check, ("women", "percent"))
    if check.id == "consultation":
        others = (f.get("total") or 0) - (f.get("women") or 0)
        if _small(f.get("women"), threshold) or _small(others, threshold):
            return _masked(check, ("women", "total"))
    return check
