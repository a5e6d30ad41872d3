"""The session's minutes: questions and answers, chair and secretary, the protocol as HTML and PDF."""

from flask import Blueprint

bp = Blueprint("minutes", __name__)


@bp.context_processor
def minutes_labels():
    """How one asker is described, for the minutes' templates."""
    from app.registration.desk_forms import PERSON_GENDER

    return {"PERSON_GENDER": PERSON_GENDER}
