"""Corrections made to a published hearing's records: each with its reason, shown publicly."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.timeutil import utcnow


class Correction(db.Model):
    """A change to a frozen record after publication: what, from what to what, and why."""

    id: Mapped[int] = mapped_column(primary_key=True)
    hearing_id: Mapped[int] = mapped_column(sa.ForeignKey("hearing.id"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"), nullable=True)
    subject: Mapped[str] = mapped_column(sa.String(40))  # "chair", "secretary", "presentations", "question:12"
    before: Mapped[str] = mapped_column(sa.Text, default="")
    after: Mapped[str] = mapped_column(sa.Text, default="")
    reason: Mapped[str] = mapped_column(sa.Text)

    hearing = relationship("Hearing")
    user = relationship("User")
