"""Questions asked during the session and the answers given."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.rules.breakdown import GENDERS
from app.timeutil import utcnow


class Question(db.Model):
    """One question from the floor: who asked (gender, age band), who answered, and the answer."""

    __table_args__ = (sa.CheckConstraint(f"asker_gender IN {GENDERS}", name="asker_gender"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    hearing_id: Mapped[int] = mapped_column(sa.ForeignKey("hearing.id"), index=True)
    asked_at: Mapped[datetime] = mapped_column(default=utcnow)
    text: Mapped[str] = mapped_column(sa.Text)
    asker_gender: Mapped[str] = mapped_column(sa.String(12))
    asker_age_band_id: Mapped[int | None] = mapped_column(sa.ForeignKey("age_band.id"), nullable=True)
    participant_id: Mapped[int | None] = mapped_column(sa.ForeignKey("participant.id"), nullable=True)
    answered_by: Mapped[str] = mapped_column(sa.String(200), default="")
    answer: Mapped[str] = mapped_column(sa.Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"), nullable=True)

    hearing = relationship("Hearing")
    asker_age_band = relationship("AgeBand")
    participant = relationship("Participant")
