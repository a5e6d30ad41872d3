"""Forms for announcing a hearing; the title fields follow the municipality's languages."""



from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    DateField,
    DecimalField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from app.forms import YES_NO_UNKNOWN, AppForm, choices
from app.hearings.models import DOCUMENT_KINDS, KINDS, SIGNED_KINDS

KIND_LABELS = {
    "budget_draft": _l("Hearing on the draft budget"),
    "budget_report": _l("Hearing on the budget execution report"),
    "participatory_budget": _l("Participatory budgeting"),
    "general": _l("General public hearing"),
}
DOCUMENT_LABELS = {
    "draft_budget": _l("Draft budget"),
    "citizens_budget": _l("Citizens' budget (summary)"),
    "other": _l("Other document"),
    "signed_minutes": _l("Signed minutes (scan)"),
    "signed_attendance": _l("Signed attendance sheet (scan)"),
}
CURRENCIES = ["KGS", "UZS", "USD", "EUR"]
MAX_AGENDA_ITEMS = 30


class FiniteDecimalField(DecimalField):
    """A decimal that refuses NaN and infinity, which Python's Decimal would accept."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if self.data is not None and not self.data.is_finite():
            self.data = None
            raise ValueError(_l("Not a valid decimal value."))


class HearingForm(AppForm):
    """What, when, where, for whom; title fields per language are added by `hearing_form`."""

    kind = SelectField(_l("Kind of hearing"), choices=choices((k, KIND_LABELS[k]) for k in KINDS))
    date = DateField(_l("Date"), validators=[InputRequired()])
    start_time = TimeField(_l("Starts at"), validators=[InputRequired()])
    end_time = TimeField(_l("Ends at"), validators=[InputRequired()])
    venue = StringField(_l("Venue"), validators=[DataRequired(), Length(max=200)])
    address = StringField(_l("Address"), validators=[Optional(), Length(max=300)])
    settlement_id = SelectField(_l("Settlement"), coerce=int, validate_choice=False)
    step_free = RadioField(_l("Step-free access"), choices=choices(YES_NO_UNKNOWN), default="unknown")
    childcare = RadioField(_l("Childcare corner"), choices=choices(YES_NO_UNKNOWN), default="unknown")
    interpretation = RadioField(
        _l("Sign or language interpretation"), choices=choices(YES_NO_UNKNOWN), default="unknown"
    )
    provisions_note = StringField(_l("Other provisions"), validators=[Optional(), Length(max=300)])
    agenda = TextAreaField(
        _l("Agenda (one item per line)"), validators=[Optional(), Length(max=MAX_AGENDA_ITEMS * 300)]
    )
    envelope = FiniteDecimalField(
        _l("Amount for citizens' projects"),
        places=2,
        validators=[Optional(), NumberRange(min=0, max=10**15)],
    )
    currency = SelectField(_l("Currency"), choices=choices((c, c) for c in CURRENCIES))

    languages: list[str] = []
    today = None  # the municipality's local date, set by hearing_form

    @property
    def language_fields(self):
        """(locale, title field, description field) for each of the municipality's languages."""
        return [(code, self[f"title_{code}"], self[f"description_{code}"]) for code in self.languages]

    def validate_date(self, field):
        """No hearing in the past."""
        if field.data and self.today and field.data < self.today:
            raise ValidationError(_l("The date is in the past."))

    def validate_end_time(self, field):
        """The hearing ends after it starts."""
        if field.data and self.start_time.data and field.data <= self.start_time.data:
            raise ValidationError(_l("The end must be later than the start."))

    def validate_settlement_id(self, field):
        """Only this municipality's settlements (0 means none)."""
        if field.data not in {choice.value for choice in field.choices}:
            raise ValidationError(_l("Choose a settlement from the list."))

    def validate_agenda(self, field):
        """At most 30 items of at most 300 characters."""
        items = self.agenda_items
        if len(items) > MAX_AGENDA_ITEMS:
            raise ValidationError(_l("At most %(count)d agenda items.", count=MAX_AGENDA_ITEMS))
        if any(len(item) > 300 for item in items):
            raise ValidationError(_l("Each agenda item must be at most 300 characters."))

    @property
    def agenda_items(self) -> list[str]:
        """The agenda's non-empty lines."""
        return [line.strip() for line in (self.agenda.data or "").splitlines() if line.strip()]

    def validate(self, extra_validators=None):
        """Field checks, then: a title in at least one language, no description without title."""
        valid = super().validate(extra_validators)
        fields = self.language_fields
        if fields and not any((title.data or "").strip() for _, title, _ in fields):
            fields[0][1].errors.append(_l("Enter a title in at least one language."))
            valid = False
        if self.kind.data == "participatory_budget" and self.envelope.data is None and not self.envelope.errors:
            self.envelope.errors.append(_l("Enter the amount citizens can allocate."))
            valid = False
        for _, title, description in fields:
            if (description.data or "").strip() and not (title.data or "").strip():
                title.errors.append(_l("A description needs a title in the same language."))
                valid = False
        return valid


def hearing_form(municipality, settlements, today, **kwargs) -> HearingForm:
    """A HearingForm with title and description fields for each of the municipality's languages."""

    class Form(HearingForm):
        pass

    for code in municipality.language_list:
        setattr(Form, f"title_{code}", StringField(_l("Title"), validators=[Optional(), Length(max=200)]))
        setattr(Form, f"description_{code}",
                TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)]))  # fmt: skip
    Form.languages = municipality.language_list
    Form.today = today
    form = Form(**kwargs)
    form.settlement_id.choices = choices([(0, _l("— none —"))] + [(s.id, s.name) for s in settlements])
    if not form.currency.data or form.currency.data == "None":
        form.currency.data = municipality.currency
    return form


class DocumentForm(AppForm):
    """Upload a draft budget or citizens' budget: PDF, PNG or JPEG."""

    kind = SelectField(
        _l("Document"), choices=choices((k, DOCUMENT_LABELS[k]) for k in DOCUMENT_KINDS if k not in SIGNED_KINDS)
    )
    file = FileField(_l("File (PDF, PNG or JPEG)"), validators=[FileRequired(_l("Choose a file."))])


class ReasonForm(AppForm):
    """A reason people will read (postponing, cancelling)."""

    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=1000)])


class AnnounceForm(AppForm):
    """Announce; each unmet schedule check needs a written justification (added per check)."""
