"""A consultation with women before the hearing, its head counts and the priorities raised."""

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.rules.breakdown import GENDERS
from app.timeutil import utcnow

CONSULTATION_KINDS = ("wag_meeting", "focus_group", "other")


class Consultation(db.Model):
    """A meeting with women (a WAG meeting, a focus group) held before a hearing."""

    __table_args__ = (sa.CheckConstraint(f"kind IN {CONSULTATION_KINDS}", name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    hearing_id: Mapped[int] = mapped_column(sa.ForeignKey("hearing.id"), index=True)
    held_on: Mapped[date] = mapped_column()
    place: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[str] = mapped_column(sa.String(20))
    organisation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisation.id"), nullable=True)
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    hearing = relationship("Hearing")
    organisation = relationship("Organisation")
    counts: Mapped[list["ConsultationCount"]] = relationship(
        back_populates="consultation", cascade="all, delete-orphan", order_by="ConsultationCount.id"
    )
    priorities: Mapped[list["ConsultationPriority"]] = relationship(
        back_populates="consultation", cascade="all, delete-orphan", order_by="ConsultationPriority.position"
    )

    def count_of(self, gender: str, age_band_id: int | None = None) -> int:
        """People of `gender` (and of `age_band_id`, or all bands when None) who took part."""
        return sum(c.count for c in self.counts
                   if c.gender == gender and (age_band_id is None or c.age_band_id == age_band_id))  # fmt: skip

    @property
    def total(self) -> int:
        """Everyone who took part."""
        return sum(c.count for c in self.counts)

    @property
    def women(self) -> int:
        """Women who took part."""
        return self.count_of("female")


class ConsultationCount(db.Model):
    """How many people of one gender and age band took part in a consultation."""

    __table_args__ = (
        sa.UniqueConstraint("consultation_id", "gender", "age_band_id"),
        sa.CheckConstraint(f"gender IN {GENDERS}", name="gender"),
        sa.CheckConstraint("count >= 0", name="count_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(sa.ForeignKey("consultation.id"), index=True)
    gender: Mapped[str] = mapped_column(sa.String(12))
    age_band_id: Mapped[int | None] = mapped_column(sa.ForeignKey("age_band.id"), nullable=True)
    count: Mapped[int] = mapped_column(default=0)
    consultation: Mapped[Consultation] = relationship(back_populates="counts")


class ConsultationPriority(db.Model):
    """A priority women raised; it can become a proposal to the hearing."""

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(sa.ForeignKey("consultation.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    text: Mapped[str] = mapped_column(sa.String(300))
    proposal_id: Mapped[int | None] = mapped_column(sa.ForeignKey("proposal.id"), nullable=True)
    consultation: Mapped[Consultation] = relationship(back_populates="priorities")
    proposal = relationship("Proposal")
