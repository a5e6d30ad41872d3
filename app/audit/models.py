"""The append-only audit log; each event carries the hash of the one before it."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.timeutil import utcnow


class AuditEvent(db.Model):
    """Who did what to which record, when, with the state before and after."""

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"), nullable=True)
    municipality_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("municipality.id"), nullable=True, index=True
    )
    action: Mapped[str] = mapped_column(sa.String(60))
    object_type: Mapped[str] = mapped_column(sa.String(40))
    object_id: Mapped[int | None] = mapped_column(nullable=True, index=True)
    before: Mapped[dict | None] = mapped_column(sa.JSON, nullable=True)
    after: Mapped[dict | None] = mapped_column(sa.JSON, nullable=True)
    prev_hash: Mapped[str] = mapped_column(sa.String(64))
    hash: Mapped[str] = mapped_column(sa.String(64))
    user = relationship("User")
