"""Attendance breakdowns by gender, age band and settlement, from grouped counts."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from app.rules.checks import MET, NOT_APPLICABLE, NOT_MET, Check

GENDERS = ("female", "male", "other", "undisclosed")

# A group key: (gender, age band id or None, settlement id or None).
GroupKey = tuple[str, int | None, int | None]


@dataclass(frozen=True)
class Headcount:
    """How many are checked in, and how many of them are women."""

    total: int
    women: int

    def percent(self, count: int) -> float:
        """`count` as a percentage of the total (0 when nobody is there)."""
        return 100.0 * count / self.total if self.total else 0.0


@dataclass(frozen=True)
class Attendance(Headcount):
    """Who is in the room: totals and the three breakdowns, in display order."""

    by_gender: dict[str, int]
    by_age_band: list[tuple[int | None, int]]
    by_settlement: list[tuple[int | None, int]]
    recorded: int  # gender disclosed and age band known
    by_gender_and_band: dict[tuple[str, int | None], int] = field(default_factory=dict)


def attendance(
    counts: Mapping[GroupKey, int], age_band_ids: Sequence[int], settlement_ids: Sequence[int]
) -> Attendance:
    """Fold grouped counts into totals per gender, age band and settlement.

    Bands and settlements keep the municipality's order; `None` (not recorded) comes last and
    only when someone is in it.
    """
    by_gender = dict.fromkeys(GENDERS, 0)
    by_band = dict.fromkeys(age_band_ids, 0)
    by_settlement = dict.fromkeys(settlement_ids, 0)
    recorded = 0
    cross: dict[tuple[str, int | None], int] = {}
    for (gender, band, settlement), n in counts.items():
        cross[gender, band] = cross.get((gender, band), 0) + n
        by_gender[gender] = by_gender.get(gender, 0) + n
        by_band[band] = by_band.get(band, 0) + n
        by_settlement[settlement] = by_settlement.get(settlement, 0) + n
        if gender != "undisclosed" and band is not None:
            recorded += n
    return Attendance(
        total=sum(counts.values()),
        by_gender=by_gender,
        by_age_band=_ordered(by_band),
        by_settlement=_ordered(by_settlement),
        women=by_gender["female"],
        recorded=recorded,
        by_gender_and_band=cross,
    )


def _ordered(counts: dict) -> list[tuple[int | None, int]]:
    rows = [(key, n) for key, n in counts.items() if key is not None]
    if counts.get(None):
        rows.append((None, counts[None]))
    return rows


def check_share(result: Attendance, target_percent: int) -> Check:
    """Women among checked-in participants, against the municipality's target."""
    figures = {"women": result.women, "total": result.total, "target": target_percent,
               "percent": round(result.percent(result.women))}  # fmt: skip
    if result.total == 0:
        return Check("share", NOT_APPLICABLE, figures)
    met = result.women * 100 >= target_percent * result.total
    return Check("share", MET if met else NOT_MET, figures)


def check_data(result: Attendance, target_percent: int) -> Check:
    """Participants with gender and age band recorded, against the target."""
    figures = {"recorded": result.recorded, "total": result.total, "target": target_percent,
               "percent": round(result.percent(result.recorded))}  # fmt: skip
    if result.total == 0:
        return Check("data", NOT_APPLICABLE, figures)
    met = result.recorded * 100 >= target_percent * result.total
    return Check("data", MET if met else NOT_MET, figures)
