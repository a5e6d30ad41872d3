"""The benchmark's data, written by bulk inserts: a municipality, a clerk, a hearing at the door and a
published hearing with its ballots counted by the app as usual."""

from dataclasses import dataclass
from decimal import Decimal

import sqlalchemy as sa

PASSWORD = "bench-password-123"
USERNAME = "bench"
MAX_CHOICES = 5
SETTLEMENTS = 12
GENDERS = ("female", "male", "female", "male", "undisclosed")  # a realistic mix, women often the largest group


@dataclass
class Plan:
    """What the clients need: the live hearing, its tickets and candidates, the published hearing's code."""

    hearing_id: int
    tokens: list[str]
    project_ids: list[int]
    results_code: str


def make_app(url: str):
    """The app on the benchmark's database (imported late: the URL decides the engine)."""
    from app import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": url})


def _people(hearing, count: int, bands: list[int], places: list[int]) -> list[dict]:
    """Registered participants with unique short codes and a spread of gender, age band and settlement."""
    from app.registration.service import new_token
    from app.rules.codes import new_code

    codes: set[str] = set()
    while len(codes) < count:
        codes.add(new_code(6))
    return [{"hearing_id": hearing.id, "token": new_token(), "short_code": code, "source": "online",
             "gender": GENDERS[n % len(GENDERS)], "age_band_id": bands[n % len(bands)],
             "settlement_id": places[n % len(places)], "disability": n % 17 == 0}
            for n, code in enumerate(sorted(codes))]  # fmt: skip


def _proposals(hearing, count: int) -> list[int]:
    """Admitted, costed proposals; returns their ids in order."""
    from app.extensions import db
    from app.proposals.models import Proposal

    rows = [{"municipality_id": hearing.municipality_id, "hearing_id": hearing.id, "status": "admitted",
             "title": f"Project {n + 1}", "description": "Repair and equip " * 5, "category": "other",
             "cost": Decimal(50_000 + 1_000 * n), "answer_due": hearing.starts_at.date()}
            for n in range(count)]  # fmt: skip
    return list(db.session.scalars(sa.insert(Proposal).returning(Proposal.id, sort_by_parameter_order=True), rows))


def choices_of(n: int, project_ids: list[int]) -> list[int]:
    """The projects voter `n` approves: MAX_CHOICES distinct ones, spread over the whole list."""
    size = len(project_ids)
    picked = dict.fromkeys(project_ids[(n * 7 + k * 13) % size] for k in range(MAX_CHOICES))
    return list(picked)[: min(MAX_CHOICES, size)]


def _published(factory, municipality, participants: int, proposals: int) -> str:
    """A published participatory-budget hearing: everyone checked in and voted; returns its public code."""
    from app.extensions import db
    from app.registration.models import CheckIn, Participant
    from app.timeutil import utcnow
    from app.voting import service as voting
    from app.voting.models import Ballot, BallotChoice, VotingSetup

    hearing = factory.hearing(municipality, state="closed", kind="participatory_budget", envelope=Decimal(2_000_000))
    bands = [band.id for band in municipality.age_bands]
    people = _people(hearing, participants, bands, [s.id for s in municipality.settlements])
    ids = _proposals(hearing, proposals)
    person_ids = list(db.session.scalars(sa.insert(Participant).returning(Participant.id, sort_by_parameter_order=True),
                                         people))  # fmt: skip
    db.session.execute(sa.insert(CheckIn), [{"hearing_id": hearing.id, "participant_id": p} for p in person_ids])
    ballot_ids = list(db.session.scalars(sa.insert(Ballot).returning(Ballot.id, sort_by_parameter_order=True), [
        {"hearing_id": hearing.id, "participant_id": p, "gender": person["gender"],
         "age_band_id": person["age_band_id"], "version": 1, "source": "digital", "submitted_at": utcnow()}
        for p, person in zip(person_ids, people, strict=True)
    ]))  # fmt: skip
    db.session.execute(sa.insert(BallotChoice), [{"ballot_id": b, "proposal_id": p, "value": 1}
                                                 for n, b in enumerate(ballot_ids) for p in choices_of(n, ids)])
    db.session.add(VotingSetup(hearing_id=hearing.id, ballot_kind="approval", rule="greedy", max_choices=MAX_CHOICES))
    db.session.flush()
    voting.compute_outcome(hearing)
    hearing.publish(utcnow())
    db.session.commit()
    return hearing.public_code


def seed(app, participants: int, proposals: int) -> Plan:
    """Create everything the benchmark reads and writes; the live hearing is in session, nobody checked in."""
    from app.auth.models import Membership, User
    from app.extensions import db
    from app.municipalities.models import Municipality, Settlement
    from app.registration.models import Participant
    from app.voting.models import VotingSetup
    from tests.helpers import Factory

    with app.app_context():
        municipality = Municipality.from_preset("KG", "bench", "Bench aiyl aimak")
        municipality.settlements = [Settlement(name=f"Village {n + 1}") for n in range(SETTLEMENTS)]
        db.session.add(municipality)
        user = User(username=USERNAME, full_name="Bench clerk")
        user.set_password(PASSWORD)
        db.session.add_all([user, Membership(user=user, municipality=municipality, role="clerk")])
        db.session.commit()
        factory = Factory()
        hearing = factory.hearing(municipality, state="in_session", kind="participatory_budget",
                                  envelope=Decimal(2_000_000))  # fmt: skip
        people = _people(hearing, participants, [b.id for b in municipality.age_bands],
                         [s.id for s in municipality.settlements])  # fmt: skip
        db.session.execute(sa.insert(Participant), people)
        ids = _proposals(hearing, proposals)
        db.session.add(VotingSetup(hearing_id=hearing.id, ballot_kind="approval", rule="greedy",
                                   max_choices=MAX_CHOICES))  # fmt: skip
        db.session.commit()
        plan = Plan(hearing.id, [p["token"] for p in people], ids, _published(factory, municipality, participants,
                                                                                proposals))  # fmt: skip
        db.engine.dispose()  # no pooled connection may cross into the forked clients
    return plan


def open_voting(app, hearing_id: int) -> None:
    """The live hearing goes from in session to voting, as the clerk's button does."""
    from app.extensions import db
    from app.hearings.models import Hearing
    from app.voting import service as voting

    with app.app_context():
        voting.open_voting(db.session.get(Hearing, hearing_id), None)
        db.engine.dispose()


def stored(app, hearing_id: int) -> tuple[int, int]:
    """Check-ins and ballots the database holds for the live hearing."""
    from app.extensions import db
    from app.registration.models import CheckIn
    from app.voting.models import Ballot

    with app.app_context():
        counts = (db.session.scalar(sa.select(sa.func.count()).where(CheckIn.hearing_id == hearing_id)),
                  db.session.scalar(sa.select(sa.func.count()).where(Ballot.hearing_id == hearing_id)))  # fmt: skip
        db.engine.dispose()
    return counts
