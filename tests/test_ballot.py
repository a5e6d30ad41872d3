"""The voter's ballot on the ticket page: cast, change, refusals, the running total and the receipt."""

import html as html_lib
import re
from decimal import Decimal

import pytest

from app.extensions import db
from app.proposals import service as proposals
from app.registration import service as registration
from app.registration.service import PersonDetails
from app.voting import service as voting
from app.voting.models import Ballot, BallotChoice
from tests.helpers import csrf_token


@pytest.fixture(autouse=True)
def english(client):
    """Public pages default to the municipality's language; these tests read the English messages."""
    client.set_cookie("lang", "en")


@pytest.fixture
def kumbel(make):
    return make.municipality(settlements=("Kumbel", "Ak-Bulak"))


@pytest.fixture
def clerk(make, kumbel):
    return make.user("aigul", kumbel, "clerk")


def _hearing(make, municipality, clerk, costs):
    """A participatory-budget round with admitted projects of the given costs."""
    hearing = make.hearing(municipality, state="announced", envelope=Decimal("1000000"), kind="participatory_budget")
    projects = []
    for n, cost in enumerate(costs, 1):
        proposal = proposals.submit(hearing, {"title": f"Project {n}", "category": "water_supply",
                                              "settlement_id": municipality.settlements[1].id})  # fmt: skip
        proposals.set_cost(proposal, Decimal(cost), clerk)
        proposals.admit(proposal, clerk)
        projects.append(proposal)
    return hearing, projects


def _voter(hearing, clerk, checked_in=True):
    details = PersonDetails(gender="female", age_band_id=hearing.municipality.age_bands[1].id)
    if checked_in:
        return registration.walk_in(hearing, details, clerk).participant
    return registration.register(hearing, details)


@pytest.fixture
def election(make, kumbel, clerk):
    """Open voting of the given ballot kind: {"hearing", "projects", "voter", "stranger"} (stranger: not checked in)."""

    def build(kind="approval", **setup):
        hearing, projects = _hearing(make, kumbel, clerk, (400000, 350000, 300000, 250000))
        stranger = _voter(hearing, clerk, checked_in=False)
        voter = _voter(hearing, clerk)
        assert hearing.state == "in_session"
        voting.configure(hearing, {"ballot_kind": kind, **setup}, clerk)
        voting.open_voting(hearing, clerk)
        return {"hearing": hearing, "projects": projects, "voter": voter, "stranger": stranger}

    return build


def vote(client, participant, data, url="ballot"):
    data = dict(data)
    data.setdefault("csrf_token", csrf_token(client, f"/t/{participant.token}"))
    return client.post(f"/t/{participant.token}/{url}", data=data)


def ticks(*projects):
    return {"project": [str(p.id) for p in projects]}


def recorded(participant):
    """{proposal id: value} of the participant's stored ballot, or None."""
    ballot = db.session.scalar(db.select(Ballot).filter_by(participant_id=participant.id))
    return None if ballot is None else {c.proposal_id: c.value for c in ballot.choices}


def problem(response):
    match = re.search(r'id="ballot-problem" role="alert">(.*?)</p>', response.get_data(as_text=True), re.S)
    return html_lib.unescape(match.group(1)) if match else None


def text(response):
    return html_lib.unescape(response.get_data(as_text=True))


# -- approval: the happy path, the receipt and changing one's mind -------------------------------------------


def test_ticket_page_offers_the_vote_only_to_a_checked_in_ticket(client, election):
    world = election("approval")
    assert "/ballot" in text(client.get(f"/t/{world['voter'].token}"))
    assert "/ballot" not in text(client.get(f"/t/{world['stranger'].token}"))


def test_ballot_lists_the_admitted_projects_with_village_and_cost(client, election):
    world = election("approval", min_choices=1, max_choices=2)
    page = text(client.get(f"/t/{world['voter'].token}/ballot"))
    for project in world["projects"]:
        assert project.title in page and f'value="{project.id}"' in page
    assert "Ak-Bulak" in page and "400,000" in page
    assert "Choose from 1 to 2 projects." in page


def test_approval_ballot_is_recorded_and_the_receipt_shows_it(client, election):
    world = election("approval", max_choices=2)
    one, two = world["projects"][:2]
    response = vote(client, world["voter"], ticks(one, two))
    assert response.status_code == 303 and response.location.endswith(f"/t/{world['voter'].token}/receipt")
    assert recorded(world["voter"]) == {one.id: 1, two.id: 1}
    receipt = text(client.get(response.location))
    assert "Your vote is recorded" in receipt and "Project 1" in receipt and "Project 2" in receipt
    assert "Project 3" not in receipt and "Changed" not in receipt
    assert "until voting closes" in receipt


def test_changed_ballot_replaces_the_first_and_counts_the_change(client, election):
    world = election("approval")
    one, two, three, _ = world["projects"]
    vote(client, world["voter"], ticks(one, two))
    assert vote(client, world["voter"], ticks(three)).status_code == 303
    assert db.session.scalar(db.select(db.func.count()).select_from(Ballot)) == 1
    assert db.session.scalar(db.select(Ballot)).version == 2
    assert recorded(world["voter"]) == {three.id: 1}
    assert db.session.scalar(db.select(db.func.count()).select_from(BallotChoice)) == 1
    assert "Changed 1 time." in text(client.get(f"/t/{world['voter'].token}/receipt"))


def test_ballot_page_is_prefilled_with_the_recorded_choices(client, election):
    world = election("approval")
    one, two = world["projects"][:2]
    vote(client, world["voter"], ticks(two))
    page = text(client.get(f"/t/{world['voter'].token}/ballot"))
    assert re.search(rf'value="{two.id}" id="project-{two.id}" checked', page)
    assert not re.search(rf'value="{one.id}" id="project-{one.id}" checked', page)


def test_too_many_approvals_are_refused_and_the_first_ballot_stays(client, election):
    world = election("approval", max_choices=2)
    one, two, three, _ = world["projects"]
    vote(client, world["voter"], ticks(one))
    response = vote(client, world["voter"], ticks(one, two, three))
    assert response.status_code == 422
    assert problem(response).startswith("Choose at most 2 projects.")
    assert recorded(world["voter"]) == {one.id: 1}


# -- knapsack: the envelope and the running total --------------------------------------------------------


def test_knapsack_over_the_envelope_is_refused_with_the_total(client, election):
    world = election("knapsack")
    one, two, three, four = world["projects"]
    vote(client, world["voter"], ticks(four))
    response = vote(client, world["voter"], ticks(one, two, three))  # 1,050,000 > 1,000,000
    assert response.status_code == 422
    assert "KGS1,050,000" in problem(response) and "KGS1,000,000" in problem(response)
    assert recorded(world["voter"]) == {four.id: 1}
    assert db.session.scalar(db.select(Ballot)).version == 1


def test_knapsack_within_the_envelope_is_recorded(client, election):
    world = election("knapsack")
    one, two, _, four = world["projects"]
    assert vote(client, world["voter"], ticks(one, two, four)).status_code == 303  # exactly 1,000,000
    assert recorded(world["voter"]) == {one.id: 1, two.id: 1, four.id: 1}


def test_running_total_says_whether_the_choice_fits(client, election):
    world = election("knapsack")
    one, two, three, _ = world["projects"]
    fits = vote(client, world["voter"], ticks(one, two), url="ballot/total")
    assert fits.status_code == 200
    fragment = text(fits)
    assert fragment.lstrip().startswith("<div") and "<html" not in fragment and 'id="ballot-total"' in fragment
    assert "750,000" in fragment and "Fits the budget: " in fragment and "250,000" in fragment
    over = text(vote(client, world["voter"], ticks(one, two, three), url="ballot/total"))
    assert "1,050,000" in over and "Over the budget by" in over and "50,000" in over
    assert recorded(world["voter"]) is None


def test_ballot_page_posts_the_running_total_on_every_change(client, election):
    world = election("knapsack")
    page = text(client.get(f"/t/{world['voter'].token}/ballot"))
    assert f'hx-post="/t/{world["voter"].token}/ballot/total" hx-trigger="change"' in page
    assert 'hx-target="#ballot-total"' in page and 'id="ballot-total"' in page
    assert f'action="/t/{world["voter"].token}/ballot"' in page


# -- cumulative and ranking --------------------------------------------------------------------------------


def test_cumulative_points_are_recorded(client, election):
    world = election("cumulative", points=10)
    one, two, three, _ = world["projects"]
    data = {f"points-{one.id}": "6", f"points-{two.id}": "4", f"points-{three.id}": ""}
    assert vote(client, world["voter"], data).status_code == 303
    assert recorded(world["voter"]) == {one.id: 6, two.id: 4}
    assert "6 points" in text(client.get(f"/t/{world['voter'].token}/receipt"))


def test_cumulative_with_too_many_points_is_refused(client, election):
    world = election("cumulative", points=10)
    one, two = world["projects"][:2]
    response = vote(client, world["voter"], {f"points-{one.id}": "8", f"points-{two.id}": "5"})
    assert response.status_code == 422
    assert problem(response).startswith("You gave 13 points; you have 10.")
    assert recorded(world["voter"]) is None


def test_cumulative_running_total_shows_the_points_left(client, election):
    world = election("cumulative", points=10)
    one = world["projects"][0]
    assert "3 points left." in text(vote(client, world["voter"], {f"points-{one.id}": "7"}, url="ballot/total"))


def test_ranking_is_recorded_with_places(client, election):
    world = election("ranking", rank_k=3)
    one, two, three, _ = world["projects"]
    data = {f"place-{three.id}": "1", f"place-{one.id}": "2", f"place-{two.id}": ""}
    assert vote(client, world["voter"], data).status_code == 303
    assert recorded(world["voter"]) == {three.id: 1, one.id: 2}
    receipt = text(client.get(f"/t/{world['voter'].token}/receipt"))
    assert receipt.index("Place 1") < receipt.index("Project 3") < receipt.index("Place 2") < receipt.index("Project 1")


def test_ranking_with_a_gap_is_refused(client, election):
    world = election("ranking", rank_k=3)
    one, two = world["projects"][:2]
    response = vote(client, world["voter"], {f"place-{one.id}": "1", f"place-{two.id}": "3"})
    assert response.status_code == 422
    assert problem(response).startswith("Number your choices 1, 2, 3")
    assert recorded(world["voter"]) is None


def test_ranking_offers_k_places(client, election):
    world = election("ranking", rank_k=3)
    page = text(client.get(f"/t/{world['voter'].token}/ballot"))
    assert '<option value="3">3</option>' in page and '<option value="4">' not in page


# -- who may vote, and when ------------------------------------------------------------------------------


def test_ticket_not_checked_in_cannot_vote(client, election):
    world = election("approval")
    stranger = world["stranger"]
    assert "Only checked-in participants can vote" in text(client.get(f"/t/{stranger.token}/ballot"))
    response = vote(client, stranger, ticks(world["projects"][0]))
    assert response.status_code == 409
    assert db.session.scalar(db.select(Ballot)) is None


def test_ballot_before_voting_opens_is_refused(client, make, kumbel, clerk):
    hearing, projects = _hearing(make, kumbel, clerk, (100000,))
    voter = _voter(hearing, clerk)
    assert "Voting is not open" in text(client.get(f"/t/{voter.token}/ballot"))
    assert vote(client, voter, ticks(projects[0])).status_code == 409
    assert db.session.scalar(db.select(Ballot)) is None


def test_closed_voting_freezes_the_ballot(client, election, clerk):
    world = election("approval")
    one, two = world["projects"][:2]
    vote(client, world["voter"], ticks(one))
    voting.close_voting(world["hearing"], clerk)
    assert "Voting has closed" in text(client.get(f"/t/{world['voter'].token}/ballot"))
    response = vote(client, world["voter"], ticks(two))
    assert response.status_code == 409
    assert recorded(world["voter"]) == {one.id: 1}
    receipt = text(client.get(f"/t/{world['voter'].token}/receipt"))
    assert "Project 1" in receipt and "This ballot is the one that counts." in receipt


def test_project_of_another_hearing_is_refused(client, election, make, kumbel, clerk):
    world = election("approval")
    _, elsewhere = _hearing(make, kumbel, clerk, (100000,))
    response = vote(client, world["voter"], ticks(world["projects"][0], elsewhere[0]))
    assert response.status_code == 422
    assert problem(response).startswith("The ballot names a project that is not on it.")
    assert db.session.scalar(db.select(Ballot)) is None


def test_number_that_is_not_a_number_is_refused(client, election):
    world = election("cumulative", points=10)
    response = vote(client, world["voter"], {f"points-{world['projects'][0].id}": "lots"})
    assert response.status_code == 422 and problem(response).startswith("Enter whole numbers.")


def test_ballot_without_csrf_token_is_refused(client, election):
    world = election("approval")
    response = client.post(f"/t/{world['voter'].token}/ballot", data=ticks(world["projects"][0]))
    assert response.status_code == 400
    assert client.post(f"/t/{world['voter'].token}/ballot/total", data={}).status_code == 400
    assert db.session.scalar(db.select(Ballot)) is None


def test_unknown_or_blank_ticket_has_no_ballot(client, election):
    world = election("approval")
    blank = registration.create_blank_tickets(world["hearing"], 1)[0]
    for url in ("/t/not-a-ticket-token-at-all-xyz/ballot", f"/t/{blank.token}/ballot", f"/t/{blank.token}/receipt"):
        assert client.get(url).status_code == 404


def test_receipt_before_voting_says_nothing_is_recorded(client, election):
    world = election("approval")
    response = client.get(f"/t/{world['voter'].token}/receipt")
    assert response.status_code == 200 and "No ballot has been recorded" in text(response)
    assert response.headers["Referrer-Policy"] == "no-referrer"


def test_a_project_nobody_costed_shows_no_amount_on_an_approval_ballot(client, make, kumbel, clerk):
    hearing = make.hearing(kumbel, state="announced", kind="budget_draft")
    costed = proposals.submit(hearing, {"title": "School roof", "category": "education"})
    uncosted = proposals.submit(hearing, {"title": "Street lights", "category": "street_lighting",
                                          "settlement_id": kumbel.settlements[1].id})  # fmt: skip
    proposals.set_cost(costed, Decimal(300000), clerk)
    for proposal in (costed, uncosted):
        proposals.admit(proposal, clerk)
    voter = _voter(hearing, clerk)
    voting.open_voting(hearing, clerk)
    page = client.get(f"/t/{voter.token}/ballot").get_data(as_text=True)
    rows = page[page.index('class="ballot-projects"') :]
    roof, lights = rows[: rows.index("Street lights")], rows[rows.index("Street lights") :]
    assert 'class="ballot-cost"' in roof and "300,000" in roof
    assert "ballot-cost" not in lights[: lights.index("</li>")] and "Ak-Bulak</span>" in lights
