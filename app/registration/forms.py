"""The citizen's registration form; its choices follow the municipality's settings and lists."""

import re

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from wtforms import BooleanField, RadioField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional, StopValidation, ValidationError

from app.forms import AppForm, choices
from app.registration.models import GENDER_LABELS
from app.registration.service import PersonDetails

CHOOSE_FROM_LIST = _l("Choose one of the options.")
PHONE_CHARACTERS = re.compile(r"[0-9 +\-()]+")
PHONE_DIGITS = (5, 20)
NAME_MAX = 120
PHONE_MAX = 40


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _optional_id(value) -> int | None:
    """A record id from a form value; an empty value means none was chosen."""
    if value in (None, "", "0", 0):
        return None
    return int(value)


class TapChoiceField(RadioField):
    """Required radio buttons: a missing or unknown answer gets one plain message."""

    def __init__(self, label=None, validators=None, required_message=None, **kwargs):
        kwargs.setdefault("invalid_value_message", CHOOSE_FROM_LIST)
        super().__init__(label, validators, **kwargs)
        self.required_message = required_message or CHOOSE_FROM_LIST
        self.required = True

    def pre_validate(self, form):
        if self.process_errors:
            raise StopValidation()  # the coercion message is already there
        if self.data is None:
            if self.required:
                raise StopValidation(self.required_message)
            return
        if self.data not in {self.coerce(choice.value) for choice in self.choices}:
            raise StopValidation(CHOOSE_FROM_LIST)


class OptionalIdSelectField(SelectField):
    """An optional choice of one of the municipality's records; "none" is the empty value."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("invalid_value_message", CHOOSE_FROM_LIST)
        super().__init__(label, validators, coerce=_optional_id, **kwargs)

    def pre_validate(self, form):
        if self.process_errors or self.data is None:
            return
        if self.data not in {_optional_id(choice.value) for choice in self.choices}:
            raise StopValidation(CHOOSE_FROM_LIST)


class RegistrationForm(AppForm):
    """Who is coming: gender and age band, then optional details, then consent."""

    gender = TapChoiceField(_l("Gender"), required_message=_l("Choose an answer, or “Prefer not to say”."))
    age_band_id = TapChoiceField(_l("Age"), coerce=int, required_message=_l("Choose your age group."))
    settlement_id = OptionalIdSelectField(_l("Village or mahalla"))
    organisation_id = OptionalIdSelectField(_l("Group or organisation"))
    disability = BooleanField(_l("I have a disability"))
    name = StringField(_l("Name"), filters=[_strip], validators=[Optional(), Length(max=NAME_MAX)])
    phone = StringField(_l("Phone"), filters=[_strip], validators=[Optional(), Length(max=PHONE_MAX)])
    consent = BooleanField(
        validators=[DataRequired(_l("Tick the box to register. You can also come without registering."))]
    )

    def validate_phone(self, field):
        """Digits, spaces, +, - and parentheses, with 5 to 20 digits."""
        value = field.data or ""
        digits = sum(ch in "0123456789" for ch in value)
        if not PHONE_CHARACTERS.fullmatch(value) or not PHONE_DIGITS[0] <= digits <= PHONE_DIGITS[1]:
            raise ValidationError(_l("Enter a phone number with 5 to 20 digits, for example +996 555 123 456."))

    def details(self) -> PersonDetails:
        """What the person told us, for the registration service."""
        return PersonDetails(
            gender=self.gender.data,
            age_band_id=self.age_band_id.data,
            settlement_id=self.settlement_id.data,
            organisation_id=self.organisation_id.data,
            disability=bool(self.disability.data),
            name=self.name.data or None,
            phone=self.phone.data or None,
        )


def consent_text(retention_days: int) -> str:
    """The short consent people agree to, with the municipality's retention period."""
    return ngettext(
        "I agree that my answers are used for this hearing. My name and phone, if I give them, are erased "
        "%(num)d day after the results are published; only anonymous counts by gender, age and village or "
        "mahalla are kept.",
        "I agree that my answers are used for this hearing. My name and phone, if I give them, are erased "
        "%(num)d days after the results are published; only anonymous counts by gender, age and village or "
        "mahalla are kept.",
        retention_days,
    )


def registration_form(municipality, organisations, **kwargs) -> RegistrationForm:
    """A RegistrationForm offering this municipality's genders, age bands, settlements and organisations."""
    form = RegistrationForm(**kwargs)
    form.gender.choices = choices((gender, GENDER_LABELS[gender]) for gender in municipality.genders)
    form.age_band_id.choices = choices((band.id, band.label) for band in municipality.age_bands)
    form.age_band_id.required = bool(municipality.age_bands)  # an admin may have removed every band
    if municipality.settlement_kind == "village":
        form.settlement_id.label.text = _l("Village")
    else:
        form.settlement_id.label.text = _l("Mahalla")
    form.settlement_id.choices = choices([("", "—")] + [(s.id, s.name) for s in municipality.settlements])
    form.organisation_id.choices = choices([("", "—")] + [(o.id, o.name) for o in organisations])
    form.consent.label.text = consent_text(municipality.personal_data_retention_days)
    return form
