"""Use cases of voting: set up, open, cast and change ballots, paper ballots, hands, close and count."""

from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from app.audit.service import record
from app.database import MAX_INTEGER, insert_row
from app.extensions import db
from app.hearings.models import Hearing
from app.i18n import format_money
from app.proposals.models import Proposal
from app.registration.models import GENDERS, CheckIn, Participant
from app.rules import ballots as ballot_rules
from app.rules import outcome as outcome_rules
from app.timeutil import utcnow
from app.voting.models import Ballot, BallotChoice, HandCount, Outcome, VotingSetup

BALLOT_MESSAGES = {
    "unknown_project": _l("The ballot names a project that is not on it."),
    "too_few": _l("Choose at least %(min)d projects."),
    "too_many": _l("Choose at most %(max)d projects."),
    "negative": _l("Numbers on a ballot cannot be negative."),
    "over_envelope": _l("Your choices cost %(total)s; the budget is %(envelope)s."),
    "too_many_points": _l("You gave %(spent)d points; you have %(points)d."),
    "ranks_not_consecutive": _l("Number your choices 1, 2, 3 … without gaps."),
}

# The statements a ballot runs, built once: building a statement costs more than running it.
_SETUP = sa.select(VotingSetup).where(VotingSetup.hearing_id == sa.bindparam("hearing_id"))
_COSTS = sa.select(Proposal.id, Proposal.cost, Proposal.estimated_cost).where(
    Proposal.hearing_id == sa.bindparam("hearing_id"), Proposal.status == "admitted",
    Proposal.id.in_(sa.bindparam("ids", expanding=True)))
_CHECKED_IN = sa.select(CheckIn.id).where(CheckIn.participant_id == sa.bindparam("participant_id"))
_BALLOT_FOR_UPDATE = sa.select(Ballot).where(
    Ballot.hearing_id == sa.bindparam("hearing_id"), Ballot.participant_id == sa.bindparam("participant_id")
).with_for_update()
_INSERT_CHOICES = sa.insert(BallotChoice.__table__)


class VotingError(Exception):
    """A refused vote or count, with a translated message (and the field it is about)."""

    def __init__(self, message, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def setup_for(hearing: Hearing) -> VotingSetup:
    """The hearing's voting setup, created with defaults the first time it is asked for.

    Remembered on the hearing object for as long as it stays in the session: a ballot asks for it
    several times per request (a rolled-back new setup is not persistent any more and is read again).
    """
    setup = hearing.__dict__.get("_voting_setup")
    if setup is not None and sa.inspect(setup).persistent and setup in db.session:
        return setup
    setup = db.session.scalar(_SETUP, {"hearing_id": hearing.id})
    if setup is None:
        setup = VotingSetup(hearing_id=hearing.id, rule="greedy" if hearing.envelope else "majority")
        db.session.add(setup)
        db.session.flush()
    hearing.__dict__["_voting_setup"] = setup
    return setup


def candidates(hearing: Hearing) -> list[Proposal]:
    """The proposals on the ballot: those admitted for this hearing, in the order they came in."""
    return list(db.session.scalars(
        sa.select(Proposal).where(Proposal.hearing_id == hearing.id, Proposal.status == "admitted")
        .order_by(Proposal.id)
    ))  # fmt: skip


def candidate_costs(hearing: Hearing, ids) -> dict[int, int]:
    """{proposal id: cost} of those of `ids` that are candidates, read as plain columns (every ballot checks it)."""
    ids = [i for i in ids if 0 < i <= MAX_INTEGER]  # no row has another id, and the database refuses huge numbers
    if not ids:
        return {}
    rows = db.session.execute(_COSTS, {"hearing_id": hearing.id, "ids": ids})
    return {id_: int((cost if cost is not None else estimated) or 0) for id_, cost, estimated in rows}


def cost_of(proposal: Proposal) -> int:
    """The cost the count uses: the municipality's figure, else the proposer's estimate, in whole units."""
    value = proposal.cost if proposal.cost is not None else proposal.estimated_cost
    return int(value or 0)


def rules_for(hearing: Hearing, setup: VotingSetup) -> ballot_rules.BallotRules:
    """The ballot limits as plain data."""
    return ballot_rules.BallotRules(
        kind=setup.ballot_kind, min_choices=setup.min_choices, max_choices=setup.max_choices,
        envelope=int(hearing.envelope) if hearing.envelope is not None else None,
        points=setup.points, rank_k=setup.rank_k,
    )  # fmt: skip


def configure(hearing: Hearing, values: dict, user) -> VotingSetup:
    """Change the ballot kind, limits and rule before voting opens."""
    if hearing.state not in ("announced", "in_session"):
        raise VotingError(_l("The voting setup can only change before voting opens."))
    setup = setup_for(hearing)
    before = {name: getattr(setup, name) for name in values}
    for name, value in values.items():
        setattr(setup, name, value)
    record("voting.setup", hearing, before, values, hearing.municipality_id, user)
    db.session.commit()
    return setup


def open_voting(hearing: Hearing, user) -> None:
    """in_session -> voting."""
    before = hearing.snapshot()
    hearing.open_voting()
    setup_for(hearing).opened_at = utcnow()
    record("hearing.open_voting", hearing, before, hearing.snapshot(), hearing.municipality_id, user)
    db.session.commit()


def close_voting(hearing: Hearing, user) -> Outcome:
    """voting -> closed: the ballots freeze and the outcome is computed and stored."""
    before = hearing.snapshot()
    hearing.close_voting()
    setup_for(hearing).closed_at = utcnow()
    outcome = compute_outcome(hearing)
    record("hearing.close_voting", hearing, before, hearing.snapshot() | {"selected": outcome.selected},
           hearing.municipality_id, user)  # fmt: skip
    db.session.commit()
    return outcome


def may_vote(hearing: Hearing, participant: Participant) -> bool:
    """Checked-in tickets vote in a hearing; a participatory-budget round may admit any registered ticket."""
    if participant.hearing_id != hearing.id or participant.is_blank:
        return False
    if setup_for(hearing).registered_may_vote:
        return True
    return db.session.scalar(_CHECKED_IN, {"participant_id": participant.id}) is not None


def _validated(hearing: Hearing, choices: dict[int, int]) -> dict[int, int]:
    setup = setup_for(hearing)
    costs = candidate_costs(hearing, choices)  # the rule needs the chosen ones only
    errors = ballot_rules.ballot_errors(rules_for(hearing, setup), choices, costs)
    if errors:
        reason, figures = errors[0]
        if reason == "over_envelope":
            figures = {key: format_money(value, hearing.currency) for key, value in figures.items()}
        raise VotingError(BALLOT_MESSAGES[reason] % figures if figures else BALLOT_MESSAGES[reason], "choices")
    return {p: v for p, v in choices.items() if v}


def cast(hearing: Hearing, participant: Participant, choices: dict[int, int], *, source: str = "digital",
         entered_by=None) -> Ballot:
    """Record a voter's ballot, or replace it: one ballot per ticket (a database constraint); the last counts."""
    if hearing.state != "voting":
        raise VotingError(_l("Voting is not open."))
    if not may_vote(hearing, participant):
        raise VotingError(_l("Only checked-in participants can vote."))
    chosen = _validated(hearing, choices)
    hearing_id, participant_id = hearing.id, participant.id
    gender, band = participant.gender, participant.age_band_id
    entered_by_id = entered_by.id if entered_by is not None else None
    for _ in range(3):
        try:
            ballot = db.session.scalar(_BALLOT_FOR_UPDATE, {"hearing_id": hearing_id, "participant_id": participant_id})
            if ballot is None:  # the first ballot of a ticket: one INSERT, then the row joins the session
                values = {"hearing_id": hearing_id, "participant_id": participant_id, "gender": gender,
                          "age_band_id": band, "version": 1, "submitted_at": utcnow(), "source": source,
                          "entered_by_id": entered_by_id}  # fmt: skip
                ballot = insert_row(Ballot, values)
            else:
                ballot.version += 1
                ballot.submitted_at = utcnow()
                ballot.source, ballot.entered_by_id = source, entered_by_id  # paper counts as paper, by its clerk
                db.session.flush()
            _replace_choices(ballot, chosen)
            db.session.commit()
            return ballot
        except IntegrityError:  # another request of the same voter inserted first: replace that one
            db.session.rollback()
    raise VotingError(_l("Your ballot could not be saved. Please send it again."))


def _replace_choices(ballot: Ballot, chosen: dict[int, int]) -> None:
    """The ballot's choices become `chosen`: one DELETE (for a changed ballot) and one multi-row INSERT."""
    if ballot.version > 1:
        db.session.execute(sa.delete(BallotChoice).where(BallotChoice.ballot_id == ballot.id))
    if chosen:
        rows = [{"ballot_id": ballot.id, "proposal_id": p, "value": v} for p, v in chosen.items()]
        db.session.connection().execute(_INSERT_CHOICES, rows)  # the table: no ORM bulk machinery for 5 rows
    db.session.expire(ballot, ["choices"])


def enter_paper_ballot(hearing: Hearing, choices: dict[int, int], gender: str, age_band_id: int | None, user,
                       participant: Participant | None = None) -> Ballot:
    """A paper ballot typed in by the clerk, with the voter's gender and age band (ticket optional)."""
    if hearing.state != "voting":
        raise VotingError(_l("Voting is not open."))
    if gender not in GENDERS:
        raise VotingError(_l("Choose one of the options."), "gender")
    if participant is not None:
        return cast(hearing, participant, choices, source="paper", entered_by=user)
    chosen = _validated(hearing, choices)
    ballot = Ballot(hearing_id=hearing.id, participant_id=None, source="paper", gender=gender,
                    age_band_id=age_band_id, entered_by_id=user.id)  # fmt: skip
    ballot.choices = [BallotChoice(proposal_id=p, value=v) for p, v in chosen.items()]
    db.session.add(ballot)
    db.session.commit()
    return ballot


def present_by_gender(hearing: Hearing) -> dict[str, int]:
    """Checked-in participants per gender: the base of every show of hands."""
    rows = db.session.execute(
        sa.select(Participant.gender, sa.func.count()).join(CheckIn, CheckIn.participant_id == Participant.id)
        .where(CheckIn.hearing_id == hearing.id).group_by(Participant.gender)
    ).all()  # fmt: skip
    return {gender: n for gender, n in rows}


def record_hands(hearing: Hearing, subject: str, counts: dict[str, tuple[int, int, int]], user) -> None:
    """Store a show of hands; a figure above the people of that gender present is refused."""
    if hearing.state not in ("in_session", "voting"):
        raise VotingError(_l("Hands are counted while the hearing is in session."))
    impossible = ballot_rules.hand_count_errors(counts, present_by_gender(hearing))
    if impossible:
        raise VotingError(_l("More votes than people of that group checked in."), impossible[0])
    for gender, (yes, no, abstain) in counts.items():
        row = db.session.scalar(sa.select(HandCount).filter_by(hearing_id=hearing.id, subject=subject, gender=gender))
        if row is None:
            row = HandCount(hearing_id=hearing.id, subject=subject, gender=gender)
            db.session.add(row)
        row.votes_for, row.votes_against, row.votes_abstain = yes, no, abstain
    db.session.flush()
    record("voting.hands", hearing, None, {"subject": subject, "counts": counts}, hearing.municipality_id, user)
    db.session.commit()


def compute_outcome(hearing: Hearing) -> Outcome:
    """Count the ballots (or the hands) by the hearing's rule and store the result with its breakdowns."""
    setup = setup_for(hearing)
    proposals = candidates(hearing)
    ids = [str(p.id) for p in proposals]
    bands = {band.id: band.label for band in hearing.municipality.age_bands}
    ballots = list(db.session.scalars(sa.select(Ballot).where(Ballot.hearing_id == hearing.id)))
    rows = []
    for ballot in ballots:
        choices = {c.proposal_id: c.value for c in ballot.choices}
        projects, points = ballot_rules.ballot_points(rules_for(hearing, setup), choices)
        rows.append(([str(p) for p in projects], points, ballot.gender, bands.get(ballot.age_band_id)))
    if setup.rule == "majority":
        selected, scores = _majority(hearing, proposals)
    else:
        kind = {"ranking": "ordinal", "cumulative": "cumulative"}.get(setup.ballot_kind, "approval")
        profile = outcome_rules.profile(((r[0], r[1]) for r in rows), kind, setup.rank_k)
        limits = outcome_rules.Constraints(
            min_winners=setup.min_winners, max_winners=setup.max_winners,
            max_project_cost=setup.max_project_cost, min_score=setup.min_score,
        )  # fmt: skip
        result = outcome_rules.decide(setup.rule, {str(p.id): cost_of(p) for p in proposals}, profile,
                                      int(hearing.envelope or Decimal(0)), limits)  # fmt: skip
        selected, scores = result.selected, result.scores
    support = outcome_rules.support(((r[0], r[2], r[3]) for r in rows), ids, list(bands.values()))
    breakdown = {
        "by_gender": support.by_gender, "by_age_band": {p: {str(k): v for k, v in c.items()}
                                                        for p, c in support.by_age_band.items()},
        "voters_by_gender": support.voters_by_gender,
        "voters_by_age_band": {str(k): v for k, v in support.voters_by_age_band.items()},
        "top_priorities": outcome_rules.top_priorities(support, 5),
    }  # fmt: skip
    outcome = db.session.scalar(sa.select(Outcome).where(Outcome.hearing_id == hearing.id))
    if outcome is None:
        outcome = Outcome(hearing_id=hearing.id)
        db.session.add(outcome)
    outcome.rule, outcome.selected, outcome.scores = setup.rule, [int(p) for p in selected], dict(scores)
    outcome.parameters = {"ballot_kind": setup.ballot_kind, "envelope": str(hearing.envelope or 0),
                          "min_winners": setup.min_winners, "max_winners": setup.max_winners,
                          "max_project_cost": setup.max_project_cost, "min_score": setup.min_score}  # fmt: skip
    outcome.breakdown, outcome.ballots, outcome.computed_at = breakdown, len(ballots), utcnow()
    db.session.flush()
    return outcome


def hand_counts(hearing: Hearing) -> dict[str, dict[str, tuple[int, int, int]]]:
    """Show-of-hands counts on proposals: proposal id -> gender -> (for, against, abstain)."""
    counts: dict[str, dict[str, tuple[int, int, int]]] = {}
    for row in db.session.scalars(sa.select(HandCount).where(HandCount.hearing_id == hearing.id)):
        kind, _sep, key = row.subject.partition(":")
        if kind == "proposal":
            counts.setdefault(key, {})[row.gender] = (row.votes_for, row.votes_against, row.votes_abstain)
    return counts


def _majority(hearing: Hearing, proposals: list[Proposal]) -> tuple[list[str], dict[str, int]]:
    """Show of hands: a proposal is adopted when more hands are for it than against."""
    hands = hand_counts(hearing)
    totals = {str(p.id): [sum(c[0] for c in hands.get(str(p.id), {}).values()),
                          sum(c[1] for c in hands.get(str(p.id), {}).values())] for p in proposals}  # fmt: skip
    adopted = outcome_rules.majority({p: (f, a) for p, (f, a) in totals.items()})
    return [p for p, yes in adopted.items() if yes], {p: f for p, (f, _) in totals.items()}

