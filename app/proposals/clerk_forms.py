"""The clerk's forms: a proposal from the floor, and one small form per review action."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.forms import AppForm, MultiCheckboxField, choices
from app.hearings.forms import FiniteDecimalField
from app.organisations.forms import EmailAddress
from app.proposals.labels import BENEFICIARIES, CATEGORIES, STATUS_LABELS
from app.registration.desk_forms import SETTLEMENT_LABELS

NONE = 0  # "no settlement" / "no organisation"
DECISIONS = ("select", "not_select", "recommend", "reject")
DECISION_STATUS = {"select": "selected", "not_select": "not_selected", "recommend": "recommended",
                   "reject": "rejected"}  # fmt: skip
MAX_COST = 10**15


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _cost(label, required=False):
    return FiniteDecimalField(label, places=2, validators=[InputRequired() if required else Optional(),
                                                           NumberRange(min=0, max=MAX_COST)])  # fmt: skip


def _photo():
    return FileField(_l("Photo (PNG or JPEG, optional)"))


PUBLIC_REASON = _l("Reason (shown publicly)")


def _reason(label=PUBLIC_REASON, required=True):
    return TextAreaField(label, filters=[_strip], validators=[DataRequired() if required else Optional(),
                                                               Length(max=2000)])  # fmt: skip


class FloorProposalForm(AppForm):
    """A proposal said out loud during the session; the ticket, if shown, tells who proposed it."""

    ticket_code = StringField(_l("Ticket code (optional)"), filters=[_strip], validators=[Optional(), Length(max=300)])
    organisation_id = SelectField(_l("On behalf of an organisation"), coerce=int, default=NONE)
    title = StringField(_l("Title"), filters=[_strip], validators=[DataRequired(), Length(max=200)])
    description = TextAreaField(_l("Description"), filters=[_strip], validators=[Optional(), Length(max=5000)])
    settlement_id = SelectField(_l("Settlement"), coerce=int, default=NONE)
    category = SelectField(_l("Category"), validators=[DataRequired(_l("Choose one of the options."))])
    estimated_cost = _cost(_l("Estimated cost (optional)"))
    beneficiaries = MultiCheckboxField(_l("Who benefits"), choices=choices(BENEFICIARIES.items()))
    raised_in_consultation = BooleanField(_l("Raised in the consultation with women"))
    proposer_email = StringField(_l("Proposer's e-mail for updates (optional)"), filters=[_strip],
                                 validators=[Optional(), Length(max=200), EmailAddress()])  # fmt: skip
    photo = _photo()

    def details(self) -> dict:
        """The proposal's fields as `service.submit` takes them."""
        return {
            "title": self.title.data, "description": self.description.data or "",
            "settlement_id": self.settlement_id.data or None, "category": self.category.data,
            "estimated_cost": self.estimated_cost.data, "beneficiaries": self.beneficiaries.data or [],
            "raised_in_consultation": self.raised_in_consultation.data, "proposer_email": self.proposer_email.data,
        }  # fmt: skip


def floor_form(municipality, organisations, **kwargs) -> FloorProposalForm:
    """A floor form offering this municipality's settlements, organisations and categories, excluded ones too."""
    form = FloorProposalForm(**kwargs)
    form.organisation_id.choices = choices([(NONE, _l("— none —"))] + [(o.id, o.name) for o in organisations])
    form.settlement_id.choices = choices([(NONE, _l("— none —"))] + [(s.id, s.name) for s in municipality.settlements])
    form.settlement_id.label.text = SETTLEMENT_LABELS[municipality.settlement_kind]
    offered = [(c, CATEGORIES[c]) for c in municipality.category_list]
    # Excluded categories are listed so that such a proposal is recorded and then refused with the reason.
    excluded = [(c, _l("%(category)s (cannot be financed)", category=CATEGORIES[c]))
                for c in municipality.excluded_category_list]  # fmt: skip
    form.category.choices = choices([("", _l("— choose —"))] + offered + excluded)
    return form


class ReviewForm(AppForm):
    """Base of the review actions; each is shown with its action's name as prefix, so field ids stay unique."""

    class Meta:
        # The app-wide CSRFProtect checks the page's `csrf_token` on every POST; a prefixed form would
        # otherwise look for its own `<prefix>-csrf_token` as well.
        csrf = False


class ActionForm(ReviewForm):
    """A review action without fields (admit)."""


class NotAdmitForm(ReviewForm):
    """Refuse a submitted proposal; the reason is public and becomes the official answer."""

    reason = _reason()


class CostForm(ReviewForm):
    """The municipality's own estimate of the cost."""

    cost = _cost(_l("Cost set by the municipality"), required=True)


class AnswerForm(ReviewForm):
    """The official answer (or its correction)."""

    answer = TextAreaField(_l("Official answer"), filters=[_strip], validators=[DataRequired(), Length(max=5000)])


class DecideForm(ReviewForm):
    """After the vote or the hearing's recommendation."""

    action = RadioField(_l("Decision"), choices=choices((d, STATUS_LABELS[DECISION_STATUS[d]]) for d in DECISIONS),
                        validators=[InputRequired(_l("Choose one of the options."))])  # fmt: skip
    reason = _reason(_l("Reason (required to reject; shown publicly)"), required=False)


class IncludeForm(ReviewForm):
    """Put the proposal into the budget."""

    budget_line = StringField(_l("Budget line"), filters=[_strip], validators=[DataRequired(), Length(max=120)])


class ProgressForm(ReviewForm):
    """A dated progress update."""

    percent = IntegerField(_l("Progress (%)"), validators=[InputRequired(), NumberRange(min=0, max=100)])
    note = TextAreaField(_l("What was done"), filters=[_strip], validators=[Optional(), Length(max=2000)])
    photo = _photo()


class CompleteForm(ReviewForm):
    """The project is built."""

    note = TextAreaField(_l("Note (optional)"), filters=[_strip], validators=[Optional(), Length(max=2000)])


class DropForm(ReviewForm):
    """The project will not be built."""

    reason = _reason()


class MergeForm(ReviewForm):
    """Merge this duplicate into another proposal of the same hearing."""

    # Not limited to the offered choices: a stale or forged id is refused by the service with its own message.
    into = SelectField(_l("Merge into"), coerce=int, validate_choice=False,
                       validators=[InputRequired(_l("Choose one of the options."))])  # fmt: skip


def merge_form(candidates, **kwargs) -> MergeForm:
    """A merge form listing the other proposals of the hearing that can take a duplicate."""
    form = MergeForm(**kwargs)
    form.into.choices = choices((p.id, f"#{p.id} {p.title}") for p in candidates)
    return form


FORMS = {"admit": ActionForm, "not_admit": NotAdmitForm, "set_cost": CostForm, "answer": AnswerForm,
         "decide": DecideForm, "include": IncludeForm, "progress": ProgressForm, "complete": CompleteForm,
         "drop": DropForm, "merge": MergeForm}  # fmt: skip
