"""The public figures of a hearing, with small cells suppressed: attendance by gender, age band, settlement."""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from app.hearings.models import Hearing
from app.registration.service import attendance_for
from app.rules import suppression
from app.rules.breakdown import Attendance

NOT_RECORDED = _l("Not recorded")


@dataclass(frozen=True)
class AttendanceFigures:
    """Checked-in participants as published: rows are age bands, columns genders; None is "<threshold"."""

    genders: list[str]
    bands: list[tuple[int | None, str]]  # (age band id or None for "not recorded", label)
    table: suppression.SuppressedTable
    settlements: list[tuple[str, str]]  # (name, label: the count, "<5" or "×")
    settlement_total: str
    threshold: int
    attendance: Attendance  # the raw counts: for the clerk's own pages only, never for public ones

    def label(self, key: tuple) -> str:
        """A published entry as text: the count, "<5" (small) or "×" (hidden so that small ones stay hidden).

        Keys: ("cell", band row, gender column), ("row", band row), ("column", gender column), ("total",).
        """
        return self.table.label(key)

    @property
    def women(self) -> str:
        """The published number of women (a column total of the table)."""
        return self.label(("column", self.genders.index("female")))


def attendance_figures(hearing: Hearing, attendance: Attendance | None = None) -> AttendanceFigures:
    """Attendance by gender x age band and by settlement, suppressed by the municipality's threshold.

    The number of people in the hall is a fact of the meeting and is always shown (keep_total).
    """
    municipality = hearing.municipality
    attendance = attendance or attendance_for(hearing)
    genders = municipality.genders
    bands = [(band.id, band.label) for band in municipality.age_bands]
    counts = attendance.by_gender_and_band
    if any(band is None for (_, band) in counts):
        bands.append((None, str(NOT_RECORDED)))
    rows = [[counts.get((gender, band_id), 0) for gender in genders] for band_id, _ in bands]
    threshold = municipality.small_cell_threshold
    table = suppression.suppress_table(rows, threshold, keep_total=True)
    names = {s.id: s.name for s in municipality.settlements}
    labels, total = suppression.suppress_counts_labelled([n for _, n in attendance.by_settlement], threshold,
                                                         keep_total=True)  # fmt: skip
    settlements = [(names.get(key, str(NOT_RECORDED)), label)
                   for (key, _), label in zip(attendance.by_settlement, labels, strict=True)]  # fmt: skip
    return AttendanceFigures(genders, bands, table, settlements, total, threshold, attendance)
