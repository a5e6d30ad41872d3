"""Translated names of hearing states, for templates."""

from flask_babel import lazy_gettext as _l

STATE_LABELS = {
    "draft": _l("Draft"),
    "announced": _l("Announced"),
    "postponed": _l("Postponed"),
    "cancelled": _l("Cancelled"),
    "in_session": _l("In session"),
    "voting": _l("Voting"),
    "closed": _l("Closed"),
    "published": _l("Published"),
}

ACTION_LABELS = {
    "hearing.create": _l("Created"),
    "hearing.edit": _l("Edited"),
    "hearing.announce": _l("Announced"),
    "hearing.postpone": _l("Postponed"),
    "hearing.cancel": _l("Cancelled"),
    "hearing.open": _l("Opened"),
    "hearing.open_voting": _l("Voting opened"),
    "hearing.close_voting": _l("Voting closed"),
    "hearing.publish": _l("Published"),
    "hearing.correct": _l("Corrected after publication"),
    "hearing.minutes": _l("Minutes edited"),
    # Recorded against the hearing by the voting and ticket pages (the names of those pages).
    "voting.setup": _l("Voting setup"),
    "voting.hands": _l("Show of hands"),
    "tickets.print": _l("Blank tickets"),
}
