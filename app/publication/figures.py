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
    settlements: list[tuple[str, int | None]]
    threshold: int
    attendance: Attendance  # the raw counts: for the clerk's own pages only, never for public ones

    def shown(self, value: int | None) -> str:
        """A published figure as text: the count, or "<5"."""
        return suppression.shown(value, self.threshold)


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
    values, _ = suppression.suppress_counts([n for _, n in attendance.by_settlement], threshold, keep_total=True)
    settlements = [(names.get(key, str(NOT_RECORDED)), value)
                   for (key, _), value in zip(attendance.by_settlement, values, strict=True)]  # fmt: skip
    return AttendanceFigures(genders, bands, table, settlements, threshold, attendance)
