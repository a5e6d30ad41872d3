"""The registry of organisations a municipality works with."""

import secrets
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.timeutil import utcnow

ORGANISATION_KINDS = ("wag", "cso", "youth_group", "mahalla_committee", "initiative_group")
KIND_LABELS = {
    "wag": _l("Women's action group"),
    "cso": _l("Civil society organisation"),
    "youth_group": _l("Youth group"),
    "mahalla_committee": _l("Mahalla committee"),
    "initiative_group": _l("Initiative group"),
}


class Organisation(db.Model):
    """A women's action group, CSO, youth group, mahalla committee or initiative group."""

    __table_args__ = (
        sa.UniqueConstraint("municipality_id", "name"),
        sa.CheckConstraint(f"kind IN {ORGANISATION_KINDS}", name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(sa.ForeignKey("municipality.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[str] = mapped_column(sa.String(30))
    contact_email: Mapped[str | None] = mapped_column(sa.String(200), nullable=True)
    members_female: Mapped[int | None] = mapped_column(nullable=True)
    members_male: Mapped[int | None] = mapped_column(nullable=True)
    # The private tracking link; rotating it revokes the old link.
    tracking_token: Mapped[str] = mapped_column(sa.String(64), unique=True, default=lambda: secrets.token_urlsafe(24))
    token_rotated_at: Mapped[datetime | None] = mapped_column(nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    municipality = relationship("Municipality")

    @property
    def is_womens_group(self) -> bool:
        """Women's action groups are reported apart in the gender-responsive figures."""
        return self.kind == "wag"

    def rotate_token(self, now: datetime) -> None:
        """Issue a new tracking link; the old one stops working."""
        self.tracking_token = secrets.token_urlsafe(24)
        self.token_rotated_at = now
