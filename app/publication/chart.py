"""Geometry of the attendance chart: horizontal bars per age band and gender, drawn as inline SVG by a template."""

from dataclasses import dataclass

WIDTH = 320  # viewBox units; the SVG scales to its container
BAR_AREA = 270  # the longest bar; the rest of the width holds its figure
BAR, GAP, HEADING, GROUP_GAP = 16, 3, 18, 8


@dataclass(frozen=True)
class Bar:
    """One gender's count in one age band; a suppressed count has no bar, only its "<5"."""

    gender: str
    y: int
    width: float
    value: int | None
    label: str  # the count, "<5" or "×"


@dataclass(frozen=True)
class Group:
    """One age band: its heading and a bar per gender."""

    label: str
    y: int
    bars: list[Bar]


@dataclass(frozen=True)
class Chart:
    """The chart's groups and its height in viewBox units."""

    groups: list[Group]
    height: int
    width: int = WIDTH
    bar: int = BAR


def attendance_chart(results) -> Chart:
    """Bars for the suppressed gender x age band table of `results` (a publication.results.Results)."""
    table, genders = results.figures.table, results.genders
    shown = [v for row in table.cells for v in row if v is not None]
    largest = max(shown, default=0) or 1
    groups, y = [], 0
    for r, ((_, label), row) in enumerate(zip(results.figures.bands, table.cells, strict=True)):
        heading_y = y + HEADING - 5
        y += HEADING
        bars = []
        for c, (gender, value) in enumerate(zip(genders, row, strict=True)):
            width = 0 if value is None else max(BAR_AREA * value / largest, 1 if value else 0)
            bars.append(Bar(gender, y, round(width, 1), value, table.label(("cell", r, c))))
            y += BAR + GAP
        groups.append(Group(label, heading_y, bars))
        y += GROUP_GAP
    return Chart(groups, max(y, 1))
