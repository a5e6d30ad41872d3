"""Builders of published hearings for the public results and open data tests."""

from decimal import Decimal

from app.extensions import db
from app.proposals import service as proposals
from app.registration import service as registration
from app.timeutil import utcnow
from app.voting import service as voting

# (gender, age band position, how many): 15 women, 14 men, 5 who did not say; men aged 60+ are only 2.
CROWD = [("female", 1, 9), ("female", 2, 6), ("male", 1, 7), ("male", 2, 5), ("male", 3, 2), ("undisclosed", 1, 5)]
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


def hands_hearing(make):
    """A published budget hearing decided by a show of hands, per proposal."""
    municipality = make.municipality()
    clerk = make.user("aigul", municipality, "clerk")
    hearing = make.hearing(municipality, kind="budget_draft")
    water, lights, park = add_projects(hearing, clerk)
    check_in_crowd(hearing, clerk)
    voting.configure(hearing, {"rule": "majority"}, clerk)
    voting.record_hands(hearing, f"proposal:{water.id}", {"female": (10, 2, 0), "male": (3, 6, 0)}, clerk)
    voting.record_hands(hearing, f"proposal:{lights.id}", {"female": (2, 10, 0), "male": (1, 8, 0)}, clerk)
    voting.record_hands(hearing, f"proposal:{park.id}", {"female": (6, 6, 0), "male": (9, 0, 0)}, clerk)
    voting.open_voting(hearing, clerk)
    voting.close_voting(hearing, clerk)
    return publish(hearing), {"water": water, "lights": lights, "park": park, "clerk": clerk}
