"""Rendered live and projector panels, reused for a second by every screen polling the same hearing.

Each tablet, the clerk's live page and the projector poll every 3 seconds; with many screens the same
figures would be counted and rendered many times a second. A panel is at most SECONDS older than the
database, on top of the 3 seconds between polls; the desk's own count line stays exact. One cache per
worker process, bounded. Hearing ids can come back (SQLite reuses the highest one after a delete, and
a restored or emptied database starts again): an entry lives a second, and `clear` forgets them all at once.

A fresh panel is answered without loading its hearing: the entry keeps the hearing's municipality, and the
caller checks the user's role there. Anything but a plain yes goes the long way, through the database, so a
refusal (403 or 404) is always decided on current data.
"""

import time

from flask_babel import get_locale

SECONDS = 1.0
MAX_ENTRIES = 256
# (template, hearing id, locale) -> (rendered at, municipality id, body)
_panels: dict[tuple, tuple[float, int, str]] = {}


def _key(template: str, hearing_id: int) -> tuple:
    return template, hearing_id, str(get_locale())


def fresh(template: str, hearing_id: int) -> tuple[int, str] | None:
    """(municipality id, body) of the hearing's panel if it was rendered less than SECONDS ago."""
    hit = _panels.get(_key(template, hearing_id))
    if hit is None or time.monotonic() - hit[0] >= SECONDS:
        return None
    return hit[1], hit[2]


def remember(template: str, hearing, body: str) -> str:
    """Keep `body` as the hearing's panel for the next SECONDS, and return it."""
    if len(_panels) >= MAX_ENTRIES:
        _panels.clear()
    _panels[_key(template, hearing.id)] = (time.monotonic(), hearing.municipality_id, body)
    return body


def clear() -> None:
    """Forget every panel (the database under them was emptied or replaced)."""
    _panels.clear()
