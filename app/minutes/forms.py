"""Forms of the minutes: a question from the floor, its answer, the chair and secretary, a signed scan."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.forms import AppForm, choices
from app.hearings.forms import DOCUMENT_LABELS
from app.hearings.models import SIGNED_KINDS
from app.registration.desk_forms import NOT_SAID
from app.registration.models import GENDER_LABELS


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class AnswerForm(AppForm):
    """Who answered a question and what they said; the answer may come later."""

    answered_by = StringField(_l("Answered by"), filters=[_strip], validators=[Optional(), Length(max=200)])
    answer = TextAreaField(_l("Answer"), filters=[_strip], validators=[Optional(), Length(max=5000)])


class QuestionForm(AnswerForm):
    """A question from the floor; the ticket code, if shown, says who asked, else gender and age band."""

    text = TextAreaField(_l("Question"), filters=[_strip], validators=[DataRequired(), Length(max=2000)])
    ticket_code = StringField(_l("Ticket code (optional)"), filters=[_strip], validators=[Optional(), Length(max=300)])
    gender = RadioField(_l("Gender"), validate_choice=False)
    age_band_id = RadioField(_l("Age"), coerce=int, default=NOT_SAID)

    def validate(self, extra_validators=None) -> bool:
        """Gender is needed unless a ticket says who asked."""
        valid = super().validate(extra_validators)
        if not self.ticket_code.data and self.gender.data not in [c.value for c in self.gender.choices]:
            self.gender.errors = [*self.gender.errors, _l("Choose one of the options, or type the ticket code.")]
            return False
        return valid


def question_form(municipality, **kwargs) -> QuestionForm:
    """A question form offering this municipality's genders and age bands."""
    form = QuestionForm(**kwargs)
    form.gender.choices = choices((g, GENDER_LABELS[g]) for g in municipality.genders)
    bands = [(band.id, band.label) for band in municipality.age_bands]
    form.age_band_id.choices = choices(bands + [(NOT_SAID, _l("Prefer not to say"))])
    return form


class MinutesForm(AppForm):
    """Who chaired, who took the minutes, and what was presented."""

    chair = StringField(_l("Chair"), filters=[_strip], validators=[Optional(), Length(max=200)])
    secretary = StringField(_l("Secretary"), filters=[_strip], validators=[Optional(), Length(max=200)])
    presentations = TextAreaField(_l("Presentations"), filters=[_strip], validators=[Optional(), Length(max=10000)])


class SignedForm(AppForm):
    """A photo or scan of the signed paper protocol or attendance sheet."""

    kind = SelectField(_l("Document"), choices=choices((k, DOCUMENT_LABELS[k]) for k in SIGNED_KINDS))
    file = FileField(_l("File (PDF, PNG or JPEG)"), validators=[FileRequired(_l("Choose a file."))])
