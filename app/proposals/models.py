"""Proposals and their events; the status changes only through the model's transition methods."""

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.hearings.models import IllegalTransition
from app.timeutil import utcnow

STATUSES = ("submitted", "admitted", "not_admitted", "selected", "not_selected", "recommended", "rejected",
            "included", "in_progress", "completed", "dropped", "merged")  # fmt: skip
SOURCES = ("online", "floor")
# Which statuses each move starts from.
MOVES = {
    "admit": ("submitted",),
    "not_admit": ("submitted",),
    "select": ("admitted",),
    "not_select": ("admitted",),
    "recommend": ("admitted",),
    "reject": ("admitted",),
    "include": ("selected", "recommended"),
    "progress": ("included", "in_progress"),
    "complete": ("included", "in_progress"),
    "drop": ("selected", "recommended", "included", "in_progress"),
    "merge": ("submitted", "admitted"),
}


class Proposal(db.Model):
    """A citizen's or a group's proposal to a hearing, followed until it is built or dropped."""

    __table_args__ = (
        sa.CheckConstraint(f"status IN {STATUSES}", name="status"),
        sa.CheckConstraint("progress_percent BETWEEN 0 AND 100", name="progress_percent"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(sa.ForeignKey("municipality.id"), index=True)
    hearing_id: Mapped[int] = mapped_column(sa.ForeignKey("hearing.id"), index=True)
    participant_id: Mapped[int | None] = mapped_column(sa.ForeignKey("participant.id"), nullable=True)
    organisation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisation.id"), nullable=True, index=True)
    proposer_gender: Mapped[str | None] = mapped_column(sa.String(12), nullable=True)
    proposer_age_band_id: Mapped[int | None] = mapped_column(sa.ForeignKey("age_band.id"), nullable=True)
    proposer_email: Mapped[str | None] = mapped_column(sa.String(200), nullable=True)
    source: Mapped[str] = mapped_column(sa.String(10), default="online")
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    settlement_id: Mapped[int | None] = mapped_column(sa.ForeignKey("settlement.id"), nullable=True)
    category: Mapped[str] = mapped_column(sa.String(30))
    beneficiaries: Mapped[str] = mapped_column(sa.String(120), default="")  # comma-separated
    raised_in_consultation: Mapped[bool] = mapped_column(default=False)
    estimated_cost: Mapped[Decimal | None] = mapped_column(sa.Numeric(18, 2), nullable=True)
    cost: Mapped[Decimal | None] = mapped_column(sa.Numeric(18, 2), nullable=True)  # set by the LSG
    photo: Mapped[str | None] = mapped_column(sa.String(80), nullable=True)
    status: Mapped[str] = mapped_column(sa.String(20), default="submitted", index=True)
    status_reason: Mapped[str] = mapped_column(sa.Text, default="")
    answer: Mapped[str] = mapped_column(sa.Text, default="")
    answered_at: Mapped[datetime | None] = mapped_column(nullable=True)
    answer_due: Mapped[date] = mapped_column()
    budget_line: Mapped[str] = mapped_column(sa.String(120), default="")
    progress_percent: Mapped[int] = mapped_column(default=0)
    merged_into_id: Mapped[int | None] = mapped_column(sa.ForeignKey("proposal.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    hearing = relationship("Hearing")
    municipality = relationship("Municipality")
    organisation = relationship("Organisation")
    participant = relationship("Participant")
    settlement = relationship("Settlement")
    proposer_age_band = relationship("AgeBand")
    merged_into = relationship("Proposal", remote_side=[id])
    events: Mapped[list["ProposalEvent"]] = relationship(
        back_populates="proposal", order_by="ProposalEvent.id", cascade="all, delete-orphan"
    )

    @property
    def beneficiary_list(self) -> list[str]:
        """Who the proposal is meant to benefit."""
        return [b for b in self.beneficiaries.split(",") if b]

    @property
    def benefits_women(self) -> bool:
        """Marked as benefiting women or girls (the `budget` requirement counts these)."""
        return bool({"women", "girls"} & set(self.beneficiary_list))

    @property
    def is_answered(self) -> bool:
        """An official answer has been given."""
        return self.answered_at is not None

    def can(self, action: str) -> bool:
        """Whether MOVES allows `action` from the current status."""
        return self.status in MOVES[action]

    def move(self, action: str, to_status: str, *, reason: str = "", require_reason: bool = False) -> str:
        """Apply a status change allowed by MOVES; returns the status it came from."""
        if not self.can(action):
            raise IllegalTransition(_l("This change is not possible in the proposal's current status."))
        if require_reason and not reason.strip():
            raise IllegalTransition(_l("Give a reason; it is shown publicly."))
        before = self.status
        self.status = to_status
        if reason.strip():
            self.status_reason = reason.strip()
        return before


class ProposalEvent(db.Model):
    """One entry of a proposal's public timeline: who changed what, when, and why."""

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(sa.ForeignKey("proposal.id"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"), nullable=True)
    kind: Mapped[str] = mapped_column(sa.String(20))
    from_status: Mapped[str | None] = mapped_column(sa.String(20), nullable=True)
    to_status: Mapped[str | None] = mapped_column(sa.String(20), nullable=True)
    text: Mapped[str] = mapped_column(sa.Text, default="")
    percent: Mapped[int | None] = mapped_column(nullable=True)
    photo: Mapped[str | None] = mapped_column(sa.String(80), nullable=True)

    proposal: Mapped[Proposal] = relationship(back_populates="events")
    user = relationship("User")
