"""Forms of the clerk's voting pages: the voting setup, a paper ballot, and the show-of-hands grid."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, IntegerField, RadioField, StringField
from wtforms.validators import Length, NumberRange, Optional

from app.database import MAX_INTEGER
from app.forms import AppForm, choices
from app.registration.desk_forms import GENDER_LABELS, NOT_SAID
from app.rules.ballots import KINDS
from app.rules.outcome import RULES

KIND_LABELS = {
    "approval": _l("Approval: tick the projects you support"),
    "knapsack": _l("Knapsack: choose projects within the budget"),
    "cumulative": _l("Cumulative: share out points"),
    "ranking": _l("Ranking: number the top projects"),
}
RULE_LABELS = {
    "majority": _l("Majority per proposal (show of hands)"),
    "greedy": _l("Greedy: most votes first, skip what no longer fits"),
    "greedy-no-skip": _l("Greedy without skipping: stop at the first project that does not fit"),
    "greedy-threshold": _l("Greedy with a minimum score"),
    "mes": _l("Method of Equal Shares"),
}
HAND_COLUMNS = {"for": _l("For"), "against": _l("Against"), "abstain": _l("Abstain")}
SETUP_FIELDS = ("ballot_kind", "rule", "min_choices", "max_choices", "points", "rank_k", "min_score",
                "min_winners", "max_winners", "max_project_cost", "registered_may_vote")  # fmt: skip
NOT_NEGATIVE = NumberRange(min=0, message=_l("Enter a whole number of zero or more."))


def _count(label, limit=MAX_INTEGER, **kwargs):  # the setup's integer columns
    return IntegerField(label, validators=[Optional(), NOT_NEGATIVE, NumberRange(max=limit)], **kwargs)


class SetupForm(AppForm):
    """How the hearing votes and how the winners are chosen."""

    ballot_kind = RadioField(_l("Ballot"), choices=choices((k, KIND_LABELS[k]) for k in KINDS), default="approval")
    rule = RadioField(_l("Rule"), choices=choices((r, RULE_LABELS[r]) for r in ("majority", *RULES)), default="greedy")
    min_choices = _count(_l("At least this many projects on a ballot"))
    max_choices = _count(_l("At most this many projects on a ballot"))
    points = _count(_l("Points each voter shares out (cumulative)"))
    rank_k = _count(_l("Places to rank (ranking)"))
    min_score = _count(_l("Minimum score to be funded"))
    min_winners = _count(_l("At least this many winning projects"))
    max_winners = _count(_l("At most this many winning projects"))
    max_project_cost = _count(_l("Highest cost of one project"), limit=10**15)
    registered_may_vote = BooleanField(_l("Any registered ticket may vote, not only those checked in"))

    def validate(self, extra_validators=None) -> bool:
        """Field checks, then the checks across fields; each refusal goes next to its field."""
        if not super().validate(extra_validators):
            return False
        refusals = []
        if _above(self.min_choices.data, self.max_choices.data):
            refusals.append((self.max_choices, _l("Must be at least the minimum number of projects.")))
        if _above(self.min_winners.data, self.max_winners.data):
            refusals.append((self.max_winners, _l("Must be at least the minimum number of winners.")))
        if self.rule.data == "greedy-threshold" and self.min_score.data is None:
            refusals.append((self.min_score, _l("The rule with a minimum score needs the minimum score.")))
        if self.ballot_kind.data == "cumulative" and not self.points.data:
            refusals.append((self.points, _l("A cumulative ballot needs the number of points.")))
        if self.ballot_kind.data == "ranking" and not self.rank_k.data:
            refusals.append((self.rank_k, _l("A ranking needs the number of places.")))
        for field, message in refusals:
            field.errors = [*field.errors, message]
        return not refusals

    def values(self) -> dict:
        """The form as VotingSetup columns (empty minimums are zero)."""
        values = {name: self[name].data for name in SETUP_FIELDS}
        values["min_choices"] = values["min_choices"] or 0
        values["min_winners"] = values["min_winners"] or 0
        return values


def _above(low, high) -> bool:
    return low is not None and high is not None and high < low


def setup_form(setup, **kwargs) -> SetupForm:
    """The setup form, filled from the stored setup."""
    return SetupForm(data={name: getattr(setup, name) for name in SETUP_FIELDS}, **kwargs)


class PaperBallotForm(AppForm):
    """Who cast a paper ballot (gender and age band, one tap each), or the ticket on it."""

    gender = RadioField(_l("Gender"), validate_choice=False)
    age_band_id = RadioField(_l("Age"), coerce=int, default=NOT_SAID)
    ticket = StringField(_l("Ticket code (if the voter shows one)"), validators=[Length(max=300)])

    def validate(self, extra_validators=None) -> bool:
        """Gender is needed unless a ticket says who voted."""
        valid = super().validate(extra_validators)
        if not (self.ticket.data or "").strip() and self.gender.data not in [c.value for c in self.gender.choices]:
            self.gender.errors = [*self.gender.errors, _l("Choose one of the options.")]
            return False
        return valid


def genders_of(municipality) -> list[str]:
    """The genders this municipality records, in display order."""
    return municipality.genders


def paper_ballot_form(municipality, **kwargs) -> PaperBallotForm:
    """A paper-ballot form offering this municipality's genders and age bands."""
    form = PaperBallotForm(**kwargs)
    form.gender.choices = choices((g, GENDER_LABELS[g]) for g in genders_of(municipality))
    bands = [(band.id, band.label) for band in municipality.age_bands]
    form.age_band_id.choices = choices(bands + [(NOT_SAID, _l("Prefer not to say"))])
    return form


def paper_choices(formdata, kind: str, proposal_ids: list[int]) -> dict[int, int] | None:
    """The choices written on a paper ballot: ticked boxes, or a number per project; None when not numbers."""
    if kind in ("approval", "knapsack"):
        ticked = set(formdata.getlist("choice"))
        return {p: 1 for p in proposal_ids if str(p) in ticked}
    values = {}
    for p in proposal_ids:
        text = (formdata.get(f"value-{p}") or "").strip()
        if not text:
            continue
        if not _whole(text):
            return None
        values[p] = int(text)
    return values


def hand_cell(proposal_id: int, gender: str, column: str) -> str:
    """The input name of one cell of the show-of-hands grid."""
    return f"h-{proposal_id}-{gender}-{column}"


def hand_row(formdata, proposal_id: int, genders: list[str]) -> tuple[dict[str, tuple[int, int, int]], list[str]]:
    """One grid row as {gender: (for, against, abstain)} (blank is 0), and the cells that are not whole numbers."""
    counts, bad = {}, []
    for gender in genders:
        figures = []
        for column in HAND_COLUMNS:
            name = hand_cell(proposal_id, gender, column)
            text = (formdata.get(name) or "").strip()
            if text and not _whole(text):
                bad.append(name)
            figures.append(int(text) if _whole(text) else 0)
        counts[gender] = tuple(figures)
    return counts, bad


def _whole(text: str) -> bool:
    return text.isascii() and text.isdigit()
