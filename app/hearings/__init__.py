"""Hearings: the clerk's dashboard and the public announcement outputs."""

from flask import Blueprint

bp = Blueprint("hearings", __name__)


@bp.app_context_processor
def hearing_labels():
    """Kind and state names for every template."""
    from app.forms import YES_NO_UNKNOWN, tri_state
    from app.hearings.forms import DOCUMENT_LABELS, KIND_LABELS
    from app.hearings.labels import ACTION_LABELS, STATE_LABELS

    return {"KIND_LABELS": KIND_LABELS, "STATE_LABELS": STATE_LABELS, "DOCUMENT_LABELS": DOCUMENT_LABELS,
            "ACTION_LABELS": ACTION_LABELS,
            "yes_no": lambda value: dict(YES_NO_UNKNOWN)[tri_state(value)]}

