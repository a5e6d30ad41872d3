"""The consultation form: when, where, what kind, who came by gender and age band, priorities raised."""

from flask_babel import lazy_gettext as _l
from wtforms import DateField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from app.consultations.models import CONSULTATION_KINDS
from app.forms import AppForm, choices
from app.proposals.labels import CATEGORIES

KIND_LABELS = {
    "wag_meeting": _l("Meeting of a women's action group"),
    "focus_group": _l("Focus group with women"),
    "other": _l("Other meeting with women"),
}
MAX_PRIORITIES = 30
MAX_COUNT = 10_000


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class ConsultationForm(AppForm):
    """A consultation with women; the count fields are added per municipality by `consultation_form`."""

    held_on = DateField(_l("Date of the meeting"), validators=[InputRequired()])
    place = StringField(_l("Place"), filters=[_strip], validators=[DataRequired(), Length(max=200)])
    kind = RadioField(_l("Kind of meeting"), choices=choices((k, KIND_LABELS[k]) for k in CONSULTATION_KINDS),
                      validators=[InputRequired(_l("Choose one of the options."))])  # fmt: skip
    organisation_id = SelectField(_l("Organised with (optional)"), coerce=int, validators=[Optional()])
    priorities = TextAreaField(_l("Priorities raised, one per line"), validators=[Length(max=10_000)])
    notes = TextAreaField(_l("Notes (optional)"), validators=[Length(max=5000)])

    def validate_held_on(self, field):
        """A consultation is recorded after it took place."""
        if field.data and field.data > self.today:
            raise ValidationError(_l("The meeting cannot be in the future."))

    def validate_priorities(self, field):
        """At most MAX_PRIORITIES lines of at most 300 characters."""
        lines = self.priority_lines
        if len(lines) > MAX_PRIORITIES:
            raise ValidationError(_l("At most %(max)d priorities.", max=MAX_PRIORITIES))
        if any(len(line) > 300 for line in lines):
            raise ValidationError(_l("Each priority can have at most %(max)d characters.", max=300))

    @property
    def priority_lines(self) -> list[str]:
        """The non-empty lines of the priorities field, trimmed."""
        return [line.strip() for line in (self.priorities.data or "").splitlines() if line.strip()]

    @property
    def count_fields(self) -> list[tuple[str, int | None, IntegerField]]:
        """(gender, age band id or None, field) for every cell of the head-count grid."""
        return [(g, b, self[f"count_{g}_{b or 'none'}"]) for g in self.genders for b in self.band_ids]

    def counts(self) -> dict[tuple[str, int | None], int]:
        """The head counts entered, zeros left out."""
        return {(g, b): f.data for g, b, f in self.count_fields if f.data}

    def validate(self, extra_validators=None) -> bool:
        """Field checks, then: at least one person took part."""
        ok = super().validate(extra_validators)
        if ok and not self.counts():
            first = self.count_fields[0][2]
            first.errors = [*first.errors, _l("Enter how many people took part.")]
            return False
        return ok


def consultation_form(municipality, organisations, today, **kwargs) -> ConsultationForm:
    """The form with one count field per gender and age band (and "age not recorded") of the municipality."""

    class Form(ConsultationForm):
        pass

    band_ids = [band.id for band in municipality.age_bands] + [None]
    for gender in municipality.genders:
        for band_id in band_ids:
            field = IntegerField(_l("Count"), default=0, render_kw={"inputmode": "numeric", "min": 0},
                                 validators=[Optional(), NumberRange(min=0, max=MAX_COUNT)])  # fmt: skip
            setattr(Form, f"count_{gender}_{band_id or 'none'}", field)
    Form.genders, Form.band_ids, Form.today = municipality.genders, band_ids, today
    form = Form(**kwargs)
    form.organisation_id.choices = choices([(0, _l("— none —"))] + [(o.id, o.name) for o in organisations])
    return form


class ProposeForm(AppForm):
    """Turn a priority into a proposal to the hearing: the category is the only thing to choose."""

    category = SelectField(_l("Category"), validators=[InputRequired()])

    def __init__(self, municipality, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.category.choices = choices((c, CATEGORIES.get(c, c)) for c in municipality.category_list)
