"""Role checks: every clerk page loads its municipality or hearing through these."""

import functools

import sqlalchemy as sa
from flask import abort, g
from flask_login import current_user
from sqlalchemy.orm import joinedload

from app.auth.models import CAN_VIEW
from app.extensions import db
from app.hearings.models import Hearing
from app.municipalities.models import Municipality


def require_role(municipality: Municipality, allowed: set[str]) -> str:
    """Abort with 403 unless the logged-in user has one of `allowed` roles in `municipality`."""
    role = current_user.role_in(municipality.id)
    if role not in allowed:
        abort(403)
    g.municipality = municipality
    g.role = role
    return role


def municipality_for(slug: str, allowed: set[str] = CAN_VIEW) -> Municipality:
    """The municipality named by `slug`, if the user has a role there."""
    municipality = db.first_or_404(db.select(Municipality).where(Municipality.slug == slug))
    require_role(municipality, allowed)
    return municipality


@functools.cache
def _hearing_statement():
    """Built once, on first use: every clerk page of a hearing runs it, and building costs more than running."""
    return sa.select(Hearing).options(joinedload(Hearing.municipality)).where(Hearing.id == sa.bindparam("hearing_id"))


def hearing_for(hearing_id: int, allowed: set[str] = CAN_VIEW) -> Hearing:
    """The hearing with `hearing_id`, if the user has a role in its municipality."""
    hearing = db.session.scalar(_hearing_statement(), {"hearing_id": hearing_id})
    if hearing is None:
        abort(404)
    require_role(hearing.municipality, allowed)
    return hearing
