"""The form for adding an organisation to a municipality's registry."""

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length

from app.forms import AppForm, choices
from app.organisations.models import KIND_LABELS, ORGANISATION_KINDS


class OrganisationForm(AppForm):
    """Name and kind of a women's group, CSO, youth group, mahalla committee or initiative group."""

    name = StringField(
        _l("Name"),
        filters=[lambda value: " ".join(value.split()) if isinstance(value, str) else value],
        validators=[DataRequired(), Length(max=200)],
    )
    kind = SelectField(_l("Kind"), choices=choices((kind, KIND_LABELS[kind]) for kind in ORGANISATION_KINDS))
