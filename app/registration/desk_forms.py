"""Forms of the check-in desk: a scanned or typed code, a walk-in, an undo, a batch of blank tickets."""

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, IntegerField, RadioField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from app.forms import AppForm, choices
from app.registration.models import GENDER_LABELS
from app.registration.service import MAX_BLANK_TICKETS

PERSON_GENDER = {  # how one checked-in person is described
    "female": _l("Woman"),
    "male": _l("Man"),
    "other": _l("Other"),
    "undisclosed": _l("Gender not said"),
}
GENDER_GROUPS = {  # the rows of a breakdown
    "female": _l("Women"),
    "male": _l("Men"),
    "other": _l("Other"),
    "undisclosed": _l("Not said"),
}
NOT_SAID = 0  # the value of "prefer not to say" / "not given" among age bands and settlements
SETTLEMENT_LABELS = {"village": _l("Village"), "mahalla": _l("Mahalla")}


def scanned(form) -> tuple[str, str]:
    """The desk's code field (a scanned ticket link, a token or a typed short code) and how it arrived.

    camera as the page says; otherwise scanner for a link or token, code for a typed code. A plain read
    rather than a WTForms form: the desk runs it on every scan, CSRFProtect has checked the token, and
    find_ticket checks the code itself.
    """
    text = form.get("code", "")
    if form.get("method") == "camera":
        return text, "camera"
    stripped = text.strip()
    return text, "scanner" if "/" in stripped or len(stripped) >= 20 else "code"


class WalkInForm(AppForm):
    """Who just walked in: gender and age band (one tap each), settlement if they say."""

    gender = RadioField(_l("Gender"), validators=[InputRequired(_l("Choose one of the options."))])
    age_band_id = RadioField(_l("Age"), coerce=int, validators=[InputRequired(_l("Choose one of the options."))])
    settlement_id = RadioField(_l("Village"), coerce=int, default=NOT_SAID)
    token = HiddenField()  # a blank printed ticket being bound (the bind form only)


def walk_in_form(municipality, **kwargs) -> WalkInForm:
    """A walk-in form offering exactly this municipality's genders, age bands and settlements."""
    form = WalkInForm(**kwargs)
    form.gender.choices = choices((g, GENDER_LABELS[g]) for g in municipality.genders)
    bands = [(band.id, band.label) for band in municipality.age_bands]
    form.age_band_id.choices = choices(bands + [(NOT_SAID, _l("Prefer not to say"))])
    settlements = [(s.id, s.name) for s in municipality.settlements]
    form.settlement_id.choices = choices([(NOT_SAID, _l("Not given"))] + settlements)
    form.settlement_id.label.text = SETTLEMENT_LABELS[municipality.settlement_kind]
    return form


class UndoForm(AppForm):
    """Why a check-in was a mistake; the reason goes to the audit log."""

    reason = StringField(_l("Reason"), validators=[DataRequired(_l("Give a reason.")), Length(max=500)])


class TicketsForm(AppForm):
    """How many blank tickets to print."""

    count = IntegerField(
        _l("Number of blank tickets"),
        default=10,
        validators=[InputRequired(), NumberRange(min=1, max=MAX_BLANK_TICKETS)],
    )


class ConfirmForm(AppForm):
    """A button that only needs the CSRF token (open the session)."""
