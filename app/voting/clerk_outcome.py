"""The stored outcome arranged for the clerk's results page: winners, scores, support by gender, hands."""

from dataclasses import dataclass, field
from decimal import Decimal

import sqlalchemy as sa

from app.extensions import db
from app.proposals.models import Proposal
from app.registration.models import GENDERS
from app.voting.models import Outcome
from app.voting.service import cost_of, hand_counts


@dataclass
class ProjectRow:
    """One project of the count: its cost, score, and who supported it."""

    proposal: Proposal
    cost: int
    score: int
    place: int | None  # its place among the funded (or adopted) projects, None when not selected
    by_gender: dict[str, int] = field(default_factory=dict)
    hands: dict[str, tuple[int, int, int]] = field(default_factory=dict)  # show of hands: gender -> counts

    @property
    def supporters(self) -> int:
        """Ballots that name the project."""
        return sum(self.by_gender.values())

    def share(self, gender: str) -> float:
        """The part of the project's supporters of one gender, in percent (for the bar)."""
        return 100 * self.by_gender.get(gender, 0) / self.supporters if self.supporters else 0.0

    def hands_total(self, column: int) -> int:
        """All hands of one column (0 for, 1 against, 2 abstain)."""
        return sum(counts[column] for counts in self.hands.values())


def outcome_view(hearing, result: Outcome) -> dict:
    """Everything the results page shows, from the stored outcome (never recounted here)."""
    breakdown = result.breakdown or {}
    by_gender = breakdown.get("by_gender", {})
    hands = hand_counts(hearing) if result.rule == "majority" else {}
    ids = {int(p) for p in [*result.scores, *by_gender, *result.selected]}
    proposals = {p.id: p for p in db.session.scalars(sa.select(Proposal).where(Proposal.id.in_(ids)))}
    place = {p: n for n, p in enumerate(result.selected, start=1)}
    rows = [
        ProjectRow(proposals[p], cost_of(proposals[p]), int(result.scores.get(str(p), 0)), place.get(p),
                   by_gender.get(str(p), {}), hands.get(str(p), {}))
        for p in sorted(proposals)
    ]  # fmt: skip
    rows.sort(key=lambda row: (row.place is None, row.place or 0, -row.score, row.proposal.id))
    voters = breakdown.get("voters_by_gender", {})
    allowed = hearing.municipality.allow_other_gender
    genders = [g for g in GENDERS if g != "other" or allowed or voters.get("other")]
    titles = {str(p): proposal.title for p, proposal in proposals.items()}
    top = {g: [titles.get(p, p) for p in ps] for g, ps in breakdown.get("top_priorities", {}).items()}
    selected = [row for row in rows if row.place is not None]
    return {
        "rows": rows, "selected": selected, "total": sum(row.cost for row in selected), "genders": genders,
        "voters": voters, "top": top, "show_of_hands": result.rule == "majority",
        "envelope": Decimal((result.parameters or {}).get("envelope") or 0),
    }  # fmt: skip
