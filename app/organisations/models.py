"""The registry of organisations a municipality works with."""

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
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    municipality = relationship("Municipality")
