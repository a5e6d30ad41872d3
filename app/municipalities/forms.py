"""Forms for a municipality's settings, settlements, age bands and members."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    PasswordField,
    SelectField,
    StringField,
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

from app.auth.models import ROLES
from app.forms import AppForm, MultiCheckboxField, choices
from app.proposals.labels import CATEGORIES

LANGUAGE_CHOICES = [("ky", "Кыргызча"), ("ru", "Русский"), ("uz", "Oʻzbekcha"), ("en", "English")]
TIMEZONES = ["Asia/Bishkek", "Asia/Tashkent", "Asia/Samarkand"]
CURRENCIES = ["KGS", "UZS", "USD", "EUR"]
WEEKDAYS = [
    ("1", _l("Monday")),
    ("2", _l("Tuesday")),
    ("3", _l("Wednesday")),
    ("4", _l("Thursday")),
    ("5", _l("Friday")),
    ("6", _l("Saturday")),
    ("7", _l("Sunday")),
]
ROLE_LABELS = {"admin": _l("Administrator"), "clerk": _l("Clerk"), "observer": _l("Observer")}


class CategoryChecklist(MultiCheckboxField):
    """Checkboxes whose group the page marks with a hidden empty value.

    Unticking every box then sends [""] (an empty choice) rather than nothing, so a form that never showed
    the group (an older page, a script) leaves the stored categories as they were.
    """

    def process_formdata(self, valuelist):
        if valuelist:
            super().process_formdata([value for value in valuelist if value])


def _categories(label):
    return CategoryChecklist(label, choices=choices(CATEGORIES.items()))


def _percent(label):
    return IntegerField(label, validators=[InputRequired(), NumberRange(min=0, max=100)])


def _days(label, high=365):
    return IntegerField(label, validators=[InputRequired(), NumberRange(min=0, max=high)])


class SettingsForm(AppForm):
    """Languages, currency, timezone and every figure of the requirements table."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    region = StringField(_l("Region"), validators=[Optional(), Length(max=200)])
    languages = MultiCheckboxField(_l("Languages"), choices=choices(LANGUAGE_CHOICES))
    required_languages = MultiCheckboxField(
        _l("Languages every announcement must use"), choices=choices(LANGUAGE_CHOICES)
    )
    default_locale = SelectField(_l("Default language of public pages"), choices=choices(LANGUAGE_CHOICES))
    currency = SelectField(_l("Currency"), choices=choices((c, c) for c in CURRENCIES))
    timezone = SelectField(_l("Time zone"), choices=choices((t, t) for t in TIMEZONES))
    notice_days = _days(_l("Announce at least this many days before"), 90)
    window_start = TimeField(_l("Hearings start no earlier than"), validators=[InputRequired()])
    window_end = TimeField(_l("Hearings end no later than"), validators=[InputRequired()])
    market_days = MultiCheckboxField(_l("Market days (avoid)"), choices=choices(WEEKDAYS))
    require_step_free_declared = BooleanField(_l("Step-free access must be declared"))
    require_childcare_declared = BooleanField(_l("Childcare must be declared"))
    consultation_required = BooleanField(_l("Consultation with women required before budget hearings"))
    women_share_target = _percent(_l("Target share of women among participants (%)"))
    data_completeness_target = _percent(_l("Participants with gender and age recorded (%)"))
    answer_deadline_days = _days(_l("Days to answer every proposal"))
    publish_within_days = _days(_l("Days to publish the results"), 90)
    small_cell_threshold = IntegerField(
        _l("Hide public counts below"), validators=[InputRequired(), NumberRange(min=1, max=50)]
    )
    allow_other_gender = BooleanField(_l("Offer the gender option “other”"))
    personal_data_retention_days = _days(_l("Erase names and phones this many days after publication"))
    proposal_categories = _categories(_l("Proposal categories offered to citizens"))
    excluded_categories = _categories(_l("Categories that cannot be financed (proposals are not admitted)"))

    def validate_languages(self, field):
        """At least one language."""
        if not field.data:
            raise ValidationError(_l("Choose at least one language."))

    def validate_required_languages(self, field):
        """Required languages must be among the municipality's languages."""
        if not set(field.data) <= set(self.languages.data or []):
            raise ValidationError(_l("Required languages must be among the languages above."))

    def validate_default_locale(self, field):
        """The public default must be one of the languages."""
        if field.data not in (self.languages.data or []):
            raise ValidationError(_l("The default language must be one of the languages above."))

    def validate_proposal_categories(self, field):
        """Citizens need at least one category to propose in."""
        if not field.data:
            raise ValidationError(_l("Offer at least one category."))

    def validate_excluded_categories(self, field):
        """A category is either offered or excluded, not both."""
        if set(field.data or []) & set(self.proposal_categories.data or []):
            raise ValidationError(_l("An excluded category cannot also be offered."))

    def validate_window_end(self, field):
        """The window must not be empty."""
        if self.window_start.data and field.data and field.data <= self.window_start.data:
            raise ValidationError(_l("The end must be later than the start."))


class AgeBandRow(Form):
    """One row of the age-band table; an empty row is ignored."""

    label = StringField(_l("Label"), validators=[Optional(), Length(max=20)])
    min_age = IntegerField(_l("From age"), validators=[Optional(), NumberRange(min=0, max=120)])
    max_age = IntegerField(_l("To age"), validators=[Optional(), NumberRange(min=0, max=120)])
    is_youth = BooleanField(_l("Youth"))

    def validate_min_age(self, field):
        """A labelled band needs a lower bound no higher than its upper bound."""
        if self.label.data and field.data is None:
            raise ValidationError(_l("Enter the lowest age of the band."))
        if field.data is not None and self.max_age.data is not None and self.max_age.data < field.data:
            raise ValidationError(_l("The upper age must not be below the lower age."))


class AgeBandsForm(AppForm):
    """The municipality's age-band scheme."""

    bands = FieldList(FormField(AgeBandRow), min_entries=8, max_entries=8)

    def validate_bands(self, field):
        """At least one band, distinct labels, no overlaps."""
        rows = [row.form for row in field if row.form.label.data]
        if not rows:
            raise ValidationError(_l("Enter at least one age band."))
        labels = [row.label.data.strip() for row in rows]
        if len(set(labels)) != len(labels):
            raise ValidationError(_l("Each band needs its own label."))
        spans = sorted((row.min_age.data or 0, row.max_age.data or 200) for row in rows)
        for (_, high), (low, _) in zip(spans, spans[1:], strict=False):
            if low <= high:
                raise ValidationError(_l("Age bands must not overlap."))


class SettlementForm(AppForm):
    """Add a village or mahalla."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])


class MemberForm(AppForm):
    """Give a person a role; a new username needs a password."""

    username = StringField(_l("Username"), validators=[DataRequired(), Length(min=3, max=80)])
    full_name = StringField(_l("Full name"), validators=[Optional(), Length(max=200)])
    password = PasswordField(_l("Password (new users only)"), validators=[Optional(), Length(min=10, max=200)])
    role = SelectField(_l("Role"), choices=choices((role, ROLE_LABELS[role]) for role in ROLES))


class DeleteForm(AppForm):
    """An empty form that carries only the CSRF token."""
