"""Ballots: one per ticket by constraint, the last one counts, and the outcome by the hearing's rule."""

import threading
from decimal import Decimal

import pytest

from app.extensions import db
from app.hearings.models import Hearing
from app.proposals import service as proposals
from app.registration import service as registration
from app.registration.models import Participant
from app.voting import service
from app.voting.models import Ballot, BallotChoice, Outcome


@pytest.fixture
def voting(make):
    """A participatory-budget hearing in voting, three admitted proposals, four women and two men present."""
    kumbel = make.municipality()
    clerk = make.user("aigul", kumbel, "clerk")
    hearing = make.hearing(kumbel, state="announced", kind="participatory_budget", envelope=Decimal("1000000"))
    items = []
    for title, cost in (("Water", 600000), ("Lights", 300000), ("Park", 500000)):
        proposal = proposals.submit(hearing, {"title": title, "category": "other"})
        proposals.admit(proposal, clerk)
        proposals.set_cost(proposal, Decimal(cost), clerk)
        items.append(proposal)
    people = [registration.walk_in(hearing, registration.PersonDetails(gender=g), clerk).participant
              for g in ("female",) * 4 + ("male",) * 2]  # fmt: skip
    service.configure(hearing, {"ballot_kind": "knapsack", "rule": "greedy"}, clerk)
    service.open_voting(hearing, clerk)
    return {"hearing": hearing, "clerk": clerk, "proposals": items, "people": people}


def test_a_changed_ballot_replaces_the_first_and_there_is_still_one(voting):
    hearing, voter = voting["hearing"], voting["people"][0]
    water, lights, _ = voting["proposals"]
    service.cast(hearing, voter, {water.id: 1})
    service.cast(hearing, voter, {lights.id: 1})
    ballot = db.session.scalars(db.select(Ballot)).one()
    assert ballot.version == 2 and [c.proposal_id for c in ballot.choices] == [lights.id]


def test_a_knapsack_over_the_envelope_is_refused_and_the_previous_ballot_stays(voting):
    hearing, voter = voting["hearing"], voting["people"][0]
    water, lights, park = voting["proposals"]
    service.cast(hearing, voter, {lights.id: 1})
    with pytest.raises(service.VotingError) as refused:
        service.cast(hearing, voter, {water.id: 1, park.id: 1})
    assert "KGS1,100,000" in str(refused.value.message)
    db.session.rollback()
    assert db.session.scalars(db.select(BallotChoice.proposal_id)).all() == [lights.id]


def test_only_checked_in_tickets_vote(voting):
    stranger = registration.register(voting["hearing"], registration.PersonDetails(gender="female"))
    with pytest.raises(service.VotingError):
        service.cast(voting["hearing"], stranger, {voting["proposals"][1].id: 1})
    assert db.session.scalar(db.select(db.func.count(Ballot.id))) == 0


def test_closing_counts_by_greedy_and_breaks_support_down_by_gender(voting):
    hearing = voting["hearing"]
    water, lights, park = voting["proposals"]
    for voter in voting["people"][:4]:  # the women
        service.cast(hearing, voter, {water.id: 1, lights.id: 1})
    for voter in voting["people"][4:]:  # the men
        service.cast(hearing, voter, {park.id: 1})
    outcome = service.close_voting(hearing, voting["clerk"])
    assert db.session.scalar(db.select(Hearing.state)) == "closed"
    assert outcome.selected == [lights.id, water.id]  # 4 votes each, the cheaper first; park no longer fits
    assert outcome.breakdown["by_gender"][str(water.id)]["female"] == 4
    assert outcome.breakdown["top_priorities"]["male"] == [str(park.id)]
    with pytest.raises(service.VotingError):
        service.cast(hearing, voting["people"][0], {park.id: 1})  # closed: ballots are frozen
    assert db.session.scalar(db.select(db.func.count(Outcome.id))) == 1


def test_a_show_of_hands_above_the_women_present_is_refused(voting):
    hearing, clerk, water = voting["hearing"], voting["clerk"], voting["proposals"][0]
    with pytest.raises(service.VotingError):
        service.record_hands(hearing, f"proposal:{water.id}", {"female": (3, 1, 1), "male": (1, 1, 0)}, clerk)
    db.session.rollback()
    service.record_hands(hearing, f"proposal:{water.id}", {"female": (3, 1, 0), "male": (1, 1, 0)}, clerk)
    assert service.present_by_gender(hearing) == {"female": 4, "male": 2}


def test_a_hundred_ballots_from_fifty_tickets_leave_fifty_each_the_last_sent(app, make):
    kumbel = make.municipality()
    clerk = make.user("aigul", kumbel, "clerk")
    hearing = make.hearing(kumbel, state="announced", kind="participatory_budget", envelope=Decimal("1000000"))
    first = proposals.submit(hearing, {"title": "A", "category": "other", "estimated_cost": Decimal(1000)})
    second = proposals.submit(hearing, {"title": "B", "category": "other", "estimated_cost": Decimal(1000)})
    for proposal in (first, second):
        proposals.admit(proposal, clerk)
    tickets = [registration.walk_in(hearing, registration.PersonDetails(gender="female"), clerk).participant.id
               for _ in range(50)]  # fmt: skip
    service.configure(hearing, {"ballot_kind": "approval", "rule": "greedy"}, clerk)
    service.open_voting(hearing, clerk)
    hearing_id, a, b = hearing.id, first.id, second.id
    barrier, errors = threading.Barrier(50), []

    def voter(participant_id):
        with app.app_context():
            barrier.wait()
            try:
                for choice in (a, b):  # the voter changes their mind: B is sent last
                    service.cast(db.session.get(Hearing, hearing_id), db.session.get(Participant, participant_id),
                                 {choice: 1})  # fmt: skip
            except Exception as error:  # noqa: BLE001 - asserted below
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=voter, args=(ticket,)) for ticket in tickets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert db.session.scalar(db.select(db.func.count(Ballot.id))) == 50
    assert db.session.scalars(db.select(BallotChoice.proposal_id)).all() == [b] * 50
