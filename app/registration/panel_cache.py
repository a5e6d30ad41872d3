"""Rendered live and projector panels, reused for a second by every screen polling the same hearing.

Each tablet, the clerk's live page and the projector poll every 3 seconds; with many screens the same
figures would be counted and rendered many times a second. A panel is at most SECONDS older than the
database, on top of the 3 seconds between polls; the desk's own count line stays exact. One cache per
worker process, bounded; the public code in the key keeps a new hearing from meeting an old one's panel.
"""

import time
from collections.abc import Callable

from flask_babel import get_locale

SECONDS = 1.0
MAX_ENTRIES = 256
_panels: dict[tuple, tuple[float, str]] = {}


def cached(template: str, hearing, render: Callable[[], str]) -> str:
    """The panel from the cache while fresh, else `render()` (remembered)."""
    key = (template, hearing.id, hearing.public_code, hearing.state, str(get_locale()))
    now = time.monotonic()
    hit = _panels.get(key)
    if hit is not None and now - hit[0] < SECONDS:
        return hit[1]
    body = render()
    if len(_panels) >= MAX_ENTRIES:
        _panels.clear()
    _panels[key] = (now, body)
    return body
