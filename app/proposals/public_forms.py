"""Citizens' and groups' proposal form, and the filters of the public proposal list."""

import re

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp, StopValidation

from app.forms import AppForm, MultiCheckboxField, choices
from app.hearings.forms import FiniteDecimalField
from app.proposals.labels import BENEFICIARIES, CATEGORIES, STATUS_LABELS
from app.registration.forms import CHOOSE_FROM_LIST, OptionalIdSelectField, TapChoiceField
from app.rules.answers import OTHERS, WOMENS_GROUP

TITLE_MAX = 200  # Proposal.title
DESCRIPTION_MAX = 5000
EMAIL_MAX = 200  # Proposal.proposer_email
COST_MAX = 10**15  # fits Numeric(18, 2)
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")
PROPOSER_TYPES = {WOMENS_GROUP: _l("Women's groups"), OTHERS: _l("Other proposers")}
ALL = _l("All")


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class BeneficiaryField(MultiCheckboxField):
    """Checkboxes of beneficiaries; an unknown value gets the plain "choose one of the options"."""

    def pre_validate(self, form):
        known = {choice.value for choice in self.choices}
        if any(value not in known for value in self.data or ()):
            raise StopValidation(CHOOSE_FROM_LIST)


class ProposalForm(AppForm):
    """What is proposed, where, for whom and for how much; a photo and an address for updates are optional."""

    title = StringField(_l("Title"), filters=[_strip], validators=[DataRequired(), Length(max=TITLE_MAX)])
    description = TextAreaField(_l("Description"), filters=[_strip],
                                validators=[Optional(), Length(max=DESCRIPTION_MAX)])  # fmt: skip
    category = TapChoiceField(_l("Category"), required_message=_l("Choose a category."))
    settlement_id = OptionalIdSelectField(_l("Village or mahalla"))
    beneficiaries = BeneficiaryField(_l("Who benefits"))
    estimated_cost = FiniteDecimalField(
        _l("Estimated cost"), places=2,
        validators=[Optional(), NumberRange(min=0, max=COST_MAX, message=_l("Enter a cost of zero or more."))],
    )  # fmt: skip
    raised_in_consultation = BooleanField(_l("This was raised in the consultation with women"))
    photo = FileField(_l("Photo"))
    proposer_email = StringField(
        _l("E-mail for updates"), filters=[_strip],
        validators=[Optional(), Length(max=EMAIL_MAX), Regexp(EMAIL, message=_l("Invalid email address."))],
    )  # fmt: skip

    def details(self) -> dict:
        """The answers as the submission service takes them."""
        return {
            "title": self.title.data,
            "description": self.description.data or "",
            "category": self.category.data,
            "settlement_id": self.settlement_id.data,
            "beneficiaries": [b for b in BENEFICIARIES if b in (self.beneficiaries.data or ())],
            "estimated_cost": self.estimated_cost.data,
            "raised_in_consultation": bool(self.raised_in_consultation.data),
            "proposer_email": self.proposer_email.data or None,
        }


def proposal_form(municipality, **kwargs) -> ProposalForm:
    """A ProposalForm offering the municipality's categories (never the excluded ones) and settlements."""
    form = ProposalForm(**kwargs)
    excluded = municipality.excluded_category_list
    offered = [c for c in municipality.category_list if c in CATEGORIES and c not in excluded]
    form.category.choices = choices((c, CATEGORIES[c]) for c in offered)
    form.settlement_id.label.text = _l("Village") if municipality.settlement_kind == "village" else _l("Mahalla")
    form.settlement_id.choices = choices([("", "—")] + [(s.id, s.name) for s in municipality.settlements])
    form.beneficiaries.choices = choices(BENEFICIARIES.items())
    return form


class FilterSelectField(SelectField):
    """A filter's drop-down; the empty value ("all") is the default, anything unknown gets one plain message."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("default", "")
        kwargs.setdefault("invalid_value_message", CHOOSE_FROM_LIST)
        kwargs.setdefault("invalid_choice_message", CHOOSE_FROM_LIST)
        super().__init__(label, validators, **kwargs)


class ProposalFilterForm(AppForm):
    """The public list's filters, read from the query string; an empty value means "all"."""

    class Meta:
        csrf = False

    hearing = OptionalIdSelectField(_l("Hearing"))
    status = FilterSelectField(_l("Status"))
    category = FilterSelectField(_l("Category"))
    settlement = OptionalIdSelectField(_l("Village or mahalla"))
    beneficiary = FilterSelectField(_l("Who benefits"))
    proposer = FilterSelectField(_l("Proposed by"))

    def active(self) -> dict:
        """The filters that were given and are valid, by field name."""
        return {name: field.data for name, field in self._fields.items() if field.data not in (None, "")
                and not field.errors}  # fmt: skip


def filter_form(municipality, hearings, formdata) -> ProposalFilterForm:
    """Filters offering the municipality's public hearings, categories and settlements."""
    form = ProposalFilterForm(formdata=formdata)
    every = [("", ALL)]
    form.hearing.choices = choices(every + [(h.id, label) for h, label in hearings])
    form.status.choices = choices(every + list(STATUS_LABELS.items()))
    categories = municipality.category_list + [c for c in municipality.excluded_category_list
                                               if c not in municipality.category_list]  # fmt: skip
    form.category.choices = choices(every + [(c, CATEGORIES[c]) for c in categories if c in CATEGORIES])
    form.settlement.label.text = _l("Village") if municipality.settlement_kind == "village" else _l("Mahalla")
    form.settlement.choices = choices(every + [(s.id, s.name) for s in municipality.settlements])
    form.beneficiary.choices = choices(every + list(BENEFICIARIES.items()))
    form.proposer.choices = choices(every + list(PROPOSER_TYPES.items()))
    return form
