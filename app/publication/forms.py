"""Forms of the publication pages: a correction after publication."""

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from app.forms import AppForm, choices

SUBJECT_LABELS = {
    "chair": _l("Chair"),
    "secretary": _l("Secretary"),
    "presentations": _l("Presentations"),
}


class CorrectionForm(AppForm):
    """What to correct, its new wording, and why (the reason is published)."""

    subject = SelectField(_l("What to correct"), validators=[InputRequired(_l("Choose one of the options."))])
    value = TextAreaField(_l("Corrected text"), validators=[DataRequired(), Length(max=5000)])
    reason = TextAreaField(_l("Reason for the correction (published)"), validators=[DataRequired(), Length(max=1000)])


def correction_form(questions, **kwargs) -> CorrectionForm:
    """The correction form offering the minutes fields and each question and answer."""
    form = CorrectionForm(**kwargs)
    options = list(SUBJECT_LABELS.items())
    for number, question in enumerate(questions, start=1):
        options.append((f"question:{question.id}", _l("Question %(n)d", n=number)))
        options.append((f"answer:{question.id}", _l("Answer to question %(n)d", n=number)))
    form.subject.choices = choices(options)
    return form
