"""A hearing's ballots as a pabulib .pb file, and a real pabulib election imported as a hearing."""

from datetime import datetime, time, timedelta
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.hearings.models import Hearing, HearingText
from app.municipalities.models import Municipality
from app.proposals.models import Proposal
from app.rules import pabulib
from app.rules.codes import new_code
from app.rules.outcome import FILE_RULES, age_band, gender_of
from app.timeutil import local_to_utc, utcnow
from app.voting import service
from app.voting.models import Ballot, BallotChoice, Outcome, VotingSetup

VOTE_TYPES = {"approval": "approval", "knapsack": "approval", "cumulative": "cumulative", "ranking": "ordinal"}
FILE_RULE_OF = {"greedy": "greedy", "greedy-no-skip": "greedy-no-skip", "greedy-threshold": "greedy-threshold",
                "mes": "equalshares/add1"}  # fmt: skip
SEX_OF = {"female": "F", "male": "M", "other": "O"}
# Where a proposal that was on the ballot can be afterwards; it stays in the file so the recount still holds.
COUNTED_STATUSES = ("selected", "not_selected", "recommended", "rejected", "included", "in_progress", "completed",
                    "dropped")  # fmt: skip


def export_election(hearing: Hearing, *, voter_details: bool = True) -> pabulib.Election:
    """The hearing's candidates and ballots in pabulib's terms; voters carry sex and age band.

    Without `voter_details` (the public file) voters are numbered 1..n and carry neither: in a small hall
    a ballot's sex and age band could point at one person.
    """
    setup = service.setup_for(hearing)
    proposals = service.candidates(hearing) + list(db.session.scalars(
        sa.select(Proposal).where(Proposal.hearing_id == hearing.id, Proposal.status.in_(COUNTED_STATUSES))
    ))  # fmt: skip
    outcome = db.session.scalar(sa.select(Outcome).where(Outcome.hearing_id == hearing.id))
    chosen = set(outcome.selected) if outcome else set()
    bands = {band.id: band.label for band in hearing.municipality.age_bands}
    meta = {
        "description": hearing.best_text(hearing.municipality.default_locale).title if hearing.texts else "",
        "country": {"KG": "Kyrgyzstan", "UZ": "Uzbekistan"}[hearing.municipality.country],
        "unit": hearing.municipality.name,
        "instance": hearing.starts_at.date().isoformat(),
        "num_projects": str(len(proposals)),
        "num_votes": "0",
        "budget": str(int(hearing.envelope or 0)),
        "vote_type": VOTE_TYPES[setup.ballot_kind],
        "rule": FILE_RULE_OF.get(setup.rule, setup.rule),
        "currency": hearing.currency,
    }
    if setup.ballot_kind == "ranking" and setup.rank_k:
        meta["max_length"] = str(setup.rank_k)
    if setup.min_score is not None:
        meta["min_project_score_threshold"] = str(setup.min_score)
    projects = {
        str(p.id): pabulib.Project(id=str(p.id), cost=service.cost_of(p), name=p.title,
                                   selected=int(p.id in chosen) if outcome else None)
        for p in proposals
    }  # fmt: skip
    voters = []
    ballots = db.session.scalars(sa.select(Ballot).where(Ballot.hearing_id == hearing.id)
                                 .options(selectinload(Ballot.choices)).order_by(Ballot.id))  # fmt: skip
    for number, ballot in enumerate(ballots, start=1):
        ordered = sorted(ballot.choices, key=lambda c: c.value if setup.ballot_kind == "ranking" else c.proposal_id)
        points = [c.value for c in ordered] if setup.ballot_kind == "cumulative" else None
        vote = [str(c.proposal_id) for c in ordered]
        if not voter_details:
            voters.append(pabulib.Voter(id=str(number), vote=vote, points=points))
            continue
        extra = {"age_band": bands[ballot.age_band_id]} if ballot.age_band_id in bands else {}
        voters.append(pabulib.Voter(id=str(ballot.id), vote=vote, points=points, sex=SEX_OF.get(ballot.gender),
                                    extra=extra))  # fmt: skip
    meta["num_votes"] = str(len(voters))
    return pabulib.Election(meta=meta, projects=projects, voters=voters)


def export_pb(hearing: Hearing, *, voter_details: bool = True) -> str:
    """The .pb text anyone can recount the outcome from."""
    return pabulib.write_pb(export_election(hearing, voter_details=voter_details))


def import_election(election: pabulib.Election, municipality: Municipality) -> Hearing:
    """Create a closed participatory-budget hearing holding a real election's projects and ballots."""
    if election.rule in FILE_RULES:
        rule = FILE_RULES[election.rule][0]
    else:
        rule = "greedy"
    kind = {"ordinal": "ranking", "cumulative": "cumulative"}.get(election.vote_type, "approval")
    tz = municipality.timezone
    day = utcnow().date() - timedelta(days=1)
    hearing = Hearing(
        municipality=municipality, public_code=new_code(6), kind="participatory_budget", state="closed",
        starts_at=local_to_utc(datetime.combine(day, time(10)), tz),
        ends_at=local_to_utc(datetime.combine(day, time(12)), tz),
        venue=election.meta.get("unit", "pabulib"), currency=election.meta.get("currency", municipality.currency),
        envelope=Decimal(election.meta["budget"]), announced_at=utcnow(), step_free=None, childcare=None,
    )  # fmt: skip
    title = election.meta.get("description") or f"{election.meta.get('unit', '')} {election.meta.get('instance', '')}"
    hearing.texts = [HearingText(locale=municipality.default_locale, title=title.strip()[:200] or "pabulib")]
    db.session.add(hearing)
    db.session.flush()
    db.session.add(VotingSetup(hearing_id=hearing.id, ballot_kind=kind, rule=rule,
                               rank_k=election.meta_int("max_length"),
                               min_score=election.meta_int("min_project_score_threshold")))  # fmt: skip
    ids = {}
    for project in election.projects.values():
        proposal = Proposal(
            municipality_id=municipality.id, hearing_id=hearing.id, source="online", status="admitted",
            title=(project.name or project.id)[:200], description=f"pabulib project {project.id}",
            category="other", cost=Decimal(project.cost), answer_due=day,
        )  # fmt: skip
        db.session.add(proposal)
        db.session.flush()
        ids[project.id] = proposal.id
    bands = [(band.label, band.min_age, band.max_age) for band in municipality.age_bands]
    band_ids = {band.label: band.id for band in municipality.age_bands}
    ballot_rows = [{"hearing_id": hearing.id, "source": "paper", "gender": gender_of(voter.sex),
                    "age_band_id": band_ids.get(age_band(voter.age, bands)), "version": 1,
                    "submitted_at": utcnow()} for voter in election.voters]  # fmt: skip
    ballot_ids = db.session.scalars(sa.insert(Ballot).returning(Ballot.id, sort_by_parameter_order=True),
                                    ballot_rows).all()  # fmt: skip
    choices = []
    for ballot_id, voter in zip(ballot_ids, election.voters, strict=True):
        if kind == "ranking":
            values = range(1, len(voter.vote) + 1)
        else:
            values = voter.points or [1] * len(voter.vote)
        choices.extend({"ballot_id": ballot_id, "proposal_id": ids[p], "value": v}
                       for p, v in zip(voter.vote, values, strict=True))  # fmt: skip
    if choices:
        db.session.execute(sa.insert(BallotChoice), choices)
    service.compute_outcome(hearing)
    db.session.commit()
    return hearing
