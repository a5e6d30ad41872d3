"""Rendered live and projector panels, reused for a second by every screen polling the same hearing.

Each tablet, the clerk's live page and the projector poll every 3 seconds; with many screens the same
figures would be counted and rendered many times a second. The key holds the count and the last id of
the hearing's check-ins, so a check-in or an undo shows at once; only a change of the municipality's
settings (labels, targets) may wait up to a second. One cache per worker process, bounded.
"""

import time
from collections.abc import Callable

import sqlalchemy as sa
from flask_babel import get_locale

from app.extensions import db
from app.registration.models import CheckIn

SECONDS = 1.0
MAX_ENTRIES = 256
_STATE = sa.select(sa.func.count(), sa.func.max(CheckIn.id)).where(CheckIn.hearing_id == sa.bindparam("hearing_id"))
_panels: dict[tuple, tuple[float, str]] = {}


def cached(template: str, hearing, render: Callable[[], str]) -> str:
    """The panel from the cache while fresh and unchanged, else `render()` (remembered)."""
    total, last = db.session.execute(_STATE, {"hearing_id": hearing.id}).one()
    key = (template, hearing.id, hearing.public_code, hearing.state, str(get_locale()), total, last)
    now = time.monotonic()
    hit = _panels.get(key)
    if hit is not None and now - hit[0] < SECONDS:
        return hit[1]
    body = render()
    if len(_panels) >= MAX_ENTRIES:
        _panels.clear()
    _panels[key] = (now, body)
    return body
