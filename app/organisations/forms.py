"""Forms of the organisation registry: add or edit an organisation, rotate its tracking link."""

import re

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from app.forms import AppForm, choices
from app.organisations.models import KIND_LABELS, ORGANISATION_KINDS

# One @, a dot in the domain, no spaces or control characters: enough to catch typing mistakes.
EMAIL = re.compile(r"[^@\s\x00-\x1f\x7f]+@[^@\s\x00-\x1f\x7f]+\.[^@\s\x00-\x1f\x7f.]+")


class EmailAddress:
    """An e-mail address someone can actually write to (no external library needed)."""

    def __call__(self, form, field):
        if field.data and not EMAIL.fullmatch(field.data):
            raise ValidationError(_l("Invalid email address."))


def _squeeze(value):
    """Collapse runs of whitespace, as people paste names from documents."""
    return " ".join(value.split()) if isinstance(value, str) else value


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _members(label):
    return IntegerField(label, validators=[Optional(), NumberRange(min=0, max=1_000_000)])


class OrganisationForm(AppForm):
    """Name, kind, contact e-mail and members by gender of an organisation."""

    name = StringField(_l("Name"), filters=[_squeeze], validators=[DataRequired(), Length(max=200)])
    kind = SelectField(_l("Kind"), choices=choices((kind, KIND_LABELS[kind]) for kind in ORGANISATION_KINDS))
    contact_email = StringField(_l("Contact e-mail (optional)"), filters=[_strip],
                                validators=[Optional(), Length(max=200), EmailAddress()])  # fmt: skip
    members_female = _members(_l("Women members (optional)"))
    members_male = _members(_l("Men members (optional)"))

    def details(self) -> dict:
        """The form's values as the service takes them."""
        return {"name": self.name.data, "kind": self.kind.data, "contact_email": self.contact_email.data or None,
                "members_female": self.members_female.data, "members_male": self.members_male.data}  # fmt: skip


class RotateTokenForm(AppForm):
    """Issue a new private tracking link; carries only the CSRF token."""
