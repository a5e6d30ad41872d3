"""Participants with their tickets, and check-ins (at most one per participant, by constraint)."""

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.rules.breakdown import GENDERS
from app.timeutil import utcnow

GENDER_LABELS = {
    "female": _l("Woman"),
    "male": _l("Man"),
    "other": _l("Other"),
    "undisclosed": _l("Prefer not to say"),
}
SOURCES = ("online", "walk_in", "sheet")


class Participant(db.Model):
    """A person registered for one hearing; a blank pre-printed ticket until bound at the door."""

    __table_args__ = (
        sa.UniqueConstraint("hearing_id", "short_code"),
        sa.CheckConstraint(f"gender IS NULL OR gender IN {GENDERS}", name="gender"),
        sa.CheckConstraint(f"source IN {SOURCES}", name="source"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    hearing_id: Mapped[int] = mapped_column(sa.ForeignKey("hearing.id"), index=True)
    token: Mapped[str] = mapped_column(sa.String(64), unique=True)
    short_code: Mapped[str] = mapped_column(sa.String(8))
    source: Mapped[str] = mapped_column(sa.String(10))
    gender: Mapped[str | None] = mapped_column(sa.String(12), nullable=True)  # None: blank ticket
    age_band_id: Mapped[int | None] = mapped_column(sa.ForeignKey("age_band.id"), nullable=True)
    settlement_id: Mapped[int | None] = mapped_column(sa.ForeignKey("settlement.id"), nullable=True)
    organisation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisation.id"), nullable=True)
    disability: Mapped[bool] = mapped_column(default=False)
    name: Mapped[str | None] = mapped_column(sa.String(200), nullable=True)
    phone: Mapped[str | None] = mapped_column(sa.String(40), nullable=True)
    consent_at: Mapped[datetime | None] = mapped_column(nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    personal_data_erased_at: Mapped[datetime | None] = mapped_column(nullable=True)

    hearing = relationship("Hearing")
    age_band = relationship("AgeBand")
    settlement = relationship("Settlement")
    organisation = relationship("Organisation")
    check_in: Mapped["CheckIn | None"] = relationship(back_populates="participant", uselist=False)

    @property
    def is_blank(self) -> bool:
        """A pre-printed ticket nobody has been registered on yet."""
        return self.gender is None


class CheckIn(db.Model):
    """A participant's arrival at the hearing; the unique participant makes a second one impossible."""

    id: Mapped[int] = mapped_column(primary_key=True)
    hearing_id: Mapped[int] = mapped_column(sa.ForeignKey("hearing.id"), index=True)
    participant_id: Mapped[int] = mapped_column(sa.ForeignKey("participant.id"), unique=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    by_user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"), nullable=True)
    method: Mapped[str] = mapped_column(sa.String(10), default="code")  # camera, scanner, code, walk_in

    participant: Mapped[Participant] = relationship(back_populates="check_in")
    by_user = relationship("User")


class AttendanceTally(db.Model):
    """How many are checked in to a hearing, and how many of them are women: one row per hearing.

    Kept by database triggers on check_in (and on a checked-in participant's gender), created in migration
    5b7e2c1a9d40, so that no way of writing a check-in can leave it behind. The desk shows it after every scan:
    reading one row costs the same at the 5,000th check-in as at the first, where counting grew with the hall.
    """

    hearing_id: Mapped[int] = mapped_column(sa.ForeignKey("hearing.id"), primary_key=True)
    total: Mapped[int] = mapped_column(default=0)
    women: Mapped[int] = mapped_column(default=0)
