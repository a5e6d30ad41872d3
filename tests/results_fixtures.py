"""Builders of published hearings for the public results and open data tests."""

from decimal import Decimal

import sqlalchemy as sa

from app.extensions import db
from app.proposals import service as proposals
from app.proposals.models import Proposal
from app.registration import service as registration
from app.registration.models import CheckIn, Participant
from app.timeutil import utcnow
from app.voting import service as voting
from app.voting.models import Ballot, BallotChoice, VotingSetup

# (gender, age band position, how many): 21 women, 20 men, 11 who did not say; men aged 60+ are only 2.
CROWD = [("female", 1, 12), ("female", 2, 9), ("male", 1, 10), ("male", 2, 8), ("male", 3, 2), ("undisclosed", 1, 6),
         ("undisclosed", 2, 5)]  # fmt: skip
PROJECTS = (("Water pipe", 600000), ("Street lights", 300000), ("Park benches", 500000))


def check_in_crowd(hearing, clerk, crowd=CROWD):
    """Walk the crowd in; returns the participants in the order of `crowd`."""
    bands = hearing.municipality.age_bands
    settlement = hearing.municipality.settlements[0].id if hearing.municipality.settlements else None
    people = []
    for gender, band, n in crowd:
        details = registration.PersonDetails(gender=gender, age_band_id=bands[band].id, settlement_id=settlement)
        people += [registration.walk_in(hearing, details, clerk).participant for _ in range(n)]
    return people


def add_projects(hearing, clerk, projects=PROJECTS):
    """Submitted, admitted and costed proposals."""
    items = []
    for title, cost in projects:
        proposal = proposals.submit(hearing, {"title": title, "category": "other"})
        proposals.admit(proposal, clerk)
        proposals.set_cost(proposal, Decimal(cost), clerk)
        items.append(proposal)
    return items


def publish(hearing):
    """A closed hearing becomes published, as the clerk's publish step does."""
    hearing.publish(utcnow())
    db.session.commit()
    return hearing


def ballot_hearing(make, rule="greedy", country="KG", slug="kumbel"):
    """A published participatory-budget hearing counted by ballots with `rule`.

    Women back the water pipe and the lights, men the park; the two men aged 60+ also back the lights.
    """
    municipality = make.municipality(country=country, slug=slug, name=slug.title())
    clerk = make.user(f"clerk-{slug}", municipality, "clerk")
    hearing = make.hearing(municipality, kind="participatory_budget", envelope=Decimal("1000000"))
    water, lights, park = add_projects(hearing, clerk)
    people = check_in_crowd(hearing, clerk)
    voting.configure(hearing, {"ballot_kind": "approval", "rule": rule}, clerk)
    voting.open_voting(hearing, clerk)
    for person in people:
        if person.gender == "female":
            choice = {water.id: 1, lights.id: 1}
        elif person.gender == "male":
            choice = {park.id: 1, lights.id: 1} if person.age_band_id == municipality.age_bands[3].id else {park.id: 1}
        else:
            choice = {water.id: 1}
        voting.cast(hearing, person, choice)
    voting.close_voting(hearing, clerk)
    return publish(hearing), {"water": water, "lights": lights, "park": park, "clerk": clerk}


def hands_hearing(make, slug="ak-suu", phones=0):
    """A published budget hearing decided by a show of hands, per proposal.

    The first `phones` people checked in (women aged 18-35) also vote for the water pipe on their phones.
    """
    municipality = make.municipality(slug=slug, name=slug.title())
    clerk = make.user(f"clerk-{slug}", municipality, "clerk")
    hearing = make.hearing(municipality, kind="budget_draft")
    water, lights, park = add_projects(hearing, clerk)
    people = check_in_crowd(hearing, clerk)
    voting.configure(hearing, {"rule": "majority"}, clerk)
    voting.record_hands(hearing, f"proposal:{water.id}", {"female": (10, 2, 0), "male": (3, 6, 0)}, clerk)
    voting.record_hands(hearing, f"proposal:{lights.id}", {"female": (2, 10, 0), "male": (1, 8, 0)}, clerk)
    voting.record_hands(hearing, f"proposal:{park.id}", {"female": (6, 6, 0), "male": (9, 0, 0)}, clerk)
    voting.open_voting(hearing, clerk)
    for person in people[:phones]:
        voting.cast(hearing, person, {water.id: 1})
    voting.close_voting(hearing, clerk)
    return publish(hearing), {"water": water, "lights": lights, "park": park, "clerk": clerk}


def published_at_scale(make, slug, people, proposals):
    """A published greedy hearing with `people` checked in, each casting a ballot, and `proposals` projects.

    Rows go in by bulk inserts; the outcome is counted by the app as usual. Returns the public code.
    """
    municipality = make.municipality(slug=slug, name=slug.title())
    hearing = make.hearing(municipality, state="closed", kind="participatory_budget", envelope=Decimal(10**9))
    bands = [band.id for band in municipality.age_bands]
    day = hearing.starts_at.date()
    ids = db.session.scalars(sa.insert(Proposal).returning(Proposal.id, sort_by_parameter_order=True), [
        {"municipality_id": municipality.id, "hearing_id": hearing.id, "status": "admitted", "title": f"Project {n}",
         "category": "other", "cost": Decimal(1000 + n), "answer_due": day} for n in range(proposals)
    ]).all()  # fmt: skip
    genders = ("female", "male", "undisclosed")
    people_ids = db.session.scalars(sa.insert(Participant).returning(Participant.id, sort_by_parameter_order=True), [
        {"hearing_id": hearing.id, "token": f"{slug}-{n}", "short_code": f"{n:06d}", "source": "walk_in",
         "gender": genders[n % 3], "age_band_id": bands[n % len(bands)]} for n in range(people)
    ]).all()  # fmt: skip
    db.session.execute(sa.insert(CheckIn), [{"hearing_id": hearing.id, "participant_id": p} for p in people_ids])
    ballot_ids = db.session.scalars(sa.insert(Ballot).returning(Ballot.id, sort_by_parameter_order=True), [
        {"hearing_id": hearing.id, "participant_id": p, "gender": genders[n % 3], "age_band_id": bands[n % len(bands)],
         "version": 1, "source": "digital", "submitted_at": utcnow()} for n, p in enumerate(people_ids)
    ]).all()  # fmt: skip
    db.session.execute(sa.insert(BallotChoice), [
        {"ballot_id": b, "proposal_id": ids[(n + k) % len(ids)], "value": 1}
        for n, b in enumerate(ballot_ids) for k in range(min(3, len(ids)))
    ])  # fmt: skip
    db.session.add(VotingSetup(hearing_id=hearing.id, ballot_kind="approval", rule="greedy"))
    db.session.flush()
    voting.compute_outcome(hearing)
    db.session.commit()
    return publish(hearing).public_code
