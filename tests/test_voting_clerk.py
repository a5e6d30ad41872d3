"""The clerk's voting pages: setup, open and close, the show-of-hands grid, paper ballots and the outcome."""

import html as html_lib
import re
from decimal import Decimal
from types import SimpleNamespace

import pytest

from app.extensions import db
from app.municipalities.models import Municipality
from app.proposals import service as proposals
from app.registration import service as registration
from app.registration.service import PersonDetails
from app.voting import service
from app.voting.models import Ballot, HandCount, Outcome, VotingSetup
from tests.helpers import login, post


@pytest.fixture
def hall(app, client, make):
    """Kumbel's participatory-budget hearing in session: three costed projects, five people checked in."""
    kumbel = make.municipality(settlements=("Kumbel", "Ak-Bulak"))
    clerk = make.user("aigul", kumbel, "clerk")
    make.user("bakyt", kumbel, "observer")
    yangiyol = make.municipality("UZ", "yangiyol", "Yangiyol", settlements=("Navbahor",))
    make.user("dilnoza", yangiyol, "clerk")
    hearing = make.hearing(kumbel, state="announced", kind="participatory_budget", envelope=Decimal("1000000"))
    projects = []
    for title, cost in (("Water pipe", 400_000), ("School roof", 500_000), ("Street lights", 300_000)):
        proposal = proposals.submit(hearing, {"title": title, "category": kumbel.category_list[0]}, user=clerk)
        proposals.admit(proposal, clerk)
        proposals.set_cost(proposal, Decimal(cost), clerk)
        projects.append(proposal)
    people = [registration.register(hearing, details("female")), registration.register(hearing, details("female"))]
    for person in people:
        registration.check_in(hearing, person, clerk)  # the first check-in opens the session
    people += [registration.walk_in(hearing, details(gender), clerk).participant
               for gender in ("female", "male", "male")]  # fmt: skip
    login(client, "aigul")
    return SimpleNamespace(municipality=kumbel, clerk=clerk, hearing=hearing, projects=projects, people=people,
                           url=f"/manage/hearings/{hearing.id}")  # fmt: skip


def details(gender, band=1):
    kumbel = db.session.scalar(db.select(Municipality).filter_by(slug="kumbel"))
    return PersonDetails(gender=gender, age_band_id=kumbel.age_bands[band].id)


def text_of(response) -> str:
    return html_lib.unescape(response.get_data(as_text=True))


def error_of(response, field_id):
    match = re.search(rf'id="{field_id}-error" role="alert">(.*?)</p>', response.get_data(as_text=True), re.S)
    return html_lib.unescape(match.group(1)).strip() if match else None


def stored_setup(hall) -> VotingSetup:
    return db.session.scalar(db.select(VotingSetup).filter_by(hearing_id=hall.hearing.id))


def count(model, **where):
    return db.session.scalar(db.select(db.func.count()).select_from(model).filter_by(**where))


def open_voting(client, hall, **setup):
    """Save a setup (approval and greedy unless told), then open voting."""
    if setup or stored_setup(hall) is None:
        values = {"ballot_kind": "approval", "rule": "greedy"} | setup
        assert post(client, f"{hall.url}/voting", values).status_code == 302
    assert post(client, f"{hall.url}/voting/open").status_code == 302


SETUP = {"ballot_kind": "knapsack", "rule": "greedy", "min_choices": "1", "max_choices": "2", "min_winners": "",
         "max_winners": "3", "max_project_cost": "600000", "registered_may_vote": "y"}  # fmt: skip


# -- setup ---------------------------------------------------------------------------------------


def test_setup_page_lists_the_admitted_projects_with_their_cost(client, hall):
    page = text_of(client.get(f"{hall.url}/voting"))
    assert "Water pipe" in page and "School roof" in page and "Street lights" in page
    assert re.search(r"500[\s,.\u00a0\u202f]?000", page)


def test_setup_is_saved(client, hall):
    response = post(client, f"{hall.url}/voting", SETUP)
    assert response.status_code == 302 and response.location.endswith(f"{hall.url}/voting")
    setup = stored_setup(hall)
    assert (setup.ballot_kind, setup.rule, setup.min_choices, setup.max_choices) == ("knapsack", "greedy", 1, 2)
    assert (setup.min_winners, setup.max_winners, setup.max_project_cost) == (0, 3, 600_000)
    assert setup.registered_may_vote is True


@pytest.mark.parametrize(("change", "field", "message"), [
    ({"max_choices": "0"}, "max_choices", "at least the minimum number of projects"),
    ({"min_winners": "4", "max_winners": "2"}, "max_winners", "at least the minimum number of winners"),
    ({"rule": "greedy-threshold"}, "min_score", "needs the minimum score"),
    ({"ballot_kind": "cumulative"}, "points", "needs the number of points"),
    ({"ballot_kind": "ranking"}, "rank_k", "needs the number of places"),
    ({"min_choices": "-1"}, "min_choices", "zero or more"),
    ({"max_project_cost": "lots"}, "max_project_cost", "Not a valid integer"),
    ({"rule": "lottery"}, "rule", "Not a valid choice"),
])  # fmt: skip
def test_setup_refusal_is_shown_next_to_its_field_and_nothing_is_saved(client, hall, change, field, message):
    response = post(client, f"{hall.url}/voting", SETUP | change)
    assert response.status_code == 422
    assert message in error_of(response, field)
    assert stored_setup(hall) is None


def test_setup_is_refused_once_voting_opened(client, hall):
    open_voting(client, hall)
    response = post(client, f"{hall.url}/voting", SETUP)
    assert response.status_code == 409
    assert "can only change before voting opens" in text_of(response)
    assert stored_setup(hall).ballot_kind == "approval"


# -- open and close ------------------------------------------------------------------------------


def test_open_then_close_counts_the_ballots_by_greedy(client, hall):
    water, roof, lights = hall.projects
    open_voting(client, hall)
    assert hall.hearing.state == "voting"
    for person, chosen in zip(hall.people, ([water, roof], [water, lights], [roof], [water], []), strict=True):
        service.cast(hall.hearing, person, {p.id: 1 for p in chosen})
    response = post(client, f"{hall.url}/voting/close")
    assert response.status_code == 302 and response.location.endswith(f"{hall.url}/outcome")
    assert hall.hearing.state == "closed"
    outcome = db.session.scalar(db.select(Outcome).filter_by(hearing_id=hall.hearing.id))
    assert outcome.selected == [water.id, roof.id]  # the lights (third) no longer fit in the million
    assert outcome.ballots == 5


def test_opening_voting_twice_is_refused_with_the_reason(client, hall):
    open_voting(client, hall)
    response = post(client, f"{hall.url}/voting/open")
    assert response.status_code == 409
    assert "only be opened while the hearing is in session" in text_of(response)


def test_closing_voting_that_is_not_open_is_refused(client, hall):
    response = post(client, f"{hall.url}/voting/close")
    assert response.status_code == 409
    assert hall.hearing.state == "in_session" and count(Outcome) == 0


# -- show of hands -------------------------------------------------------------------------------


def hands(proposal, **cells):
    """Grid inputs for one row: cells like female_for=2."""
    data = {}
    for key, value in cells.items():
        gender, column = key.rsplit("_", 1)
        data[f"h-{proposal.id}-{gender}-{column}"] = str(value)
    return data


def test_hands_grid_shows_the_checked_in_people_as_the_base(client, hall):
    page = client.get(f"{hall.url}/hands").get_data(as_text=True)
    assert re.search(r'data-present="female">3<', page) and re.search(r'data-present="male">2<', page)
    assert 'inputmode="numeric"' in page and f'name="h-{hall.projects[0].id}-female-for"' in page
    assert "-other-for" not in page  # Kumbel does not record a third gender


def test_one_row_of_hands_is_saved(client, hall):
    water = hall.projects[0]
    data = hands(water, female_for=2, female_against=1, male_for=1, male_abstain=1) | {"save": str(water.id)}
    response = post(client, f"{hall.url}/hands", data)
    assert response.status_code == 302
    rows = {r.gender: (r.votes_for, r.votes_against, r.votes_abstain)
            for r in db.session.scalars(db.select(HandCount).filter_by(subject=f"proposal:{water.id}"))}  # fmt: skip
    assert rows == {"female": (2, 1, 0), "male": (1, 0, 1), "undisclosed": (0, 0, 0)}
    assert count(HandCount, subject=f"proposal:{hall.projects[1].id}") == 0
    page = client.get(f"{hall.url}/hands").get_data(as_text=True)
    assert re.search(rf'name="h-{water.id}-female-for" value="2"', page)


def test_more_women_voting_than_women_present_is_refused_and_nothing_is_saved(client, hall):
    water, roof, _lights = hall.projects
    data = hands(water, female_for=1) | hands(roof, female_for=3, female_against=1) | {"save": "all"}
    response = post(client, f"{hall.url}/hands", data)
    assert response.status_code == 422
    assert "Women: 4 hands, but 3 checked in." in error_of(response, f"hands-{roof.id}")
    assert error_of(response, f"hands-{water.id}") is None
    assert re.search(rf'name="h-{roof.id}-female-for" value="3"\s+aria-label="[^"]*"\s+aria-invalid="true"',
                     response.get_data(as_text=True))  # fmt: skip
    assert count(HandCount) == 0


def test_hands_that_are_not_whole_numbers_are_refused(client, hall):
    water = hall.projects[0]
    response = post(client, f"{hall.url}/hands", hands(water, male_for="two") | {"save": str(water.id)})
    assert response.status_code == 422 and "whole numbers" in error_of(response, f"hands-{water.id}")
    assert count(HandCount) == 0


def test_show_of_hands_outcome_shows_for_and_against_by_gender(client, hall):
    water, roof, _lights = hall.projects
    assert post(client, f"{hall.url}/voting", {"ballot_kind": "approval", "rule": "majority"}).status_code == 302
    post(client, f"{hall.url}/hands", hands(water, female_for=3, male_against=2) | hands(roof, female_against=2))
    open_voting(client, hall)
    post(client, f"{hall.url}/voting/close")
    outcome = db.session.scalar(db.select(Outcome))
    assert outcome.selected == [water.id]
    page = text_of(client.get(f"{hall.url}/outcome"))
    assert "Show of hands by gender" in page
    row = re.search(rf'<tr data-proposal="{water.id}"><th scope="row">Water pipe.*?</tr>', page, re.S).group(0)
    assert re.findall(r'class="num">(?:<strong>)?(\d+)', row) == ["3", "0", "0", "2", "0", "0", "3", "2", "0"]


# -- paper ballots -------------------------------------------------------------------------------


def paper(client, hall, chosen=(), **fields):
    data = {"gender": "female", "age_band_id": str(hall.municipality.age_bands[2].id), "ticket": ""} | fields
    data["choice"] = [str(p.id) for p in chosen]
    return post(client, f"{hall.url}/paper", data)


def running_count(client, hall) -> int:
    page = client.get(f"{hall.url}/paper").get_data(as_text=True)
    return int(re.search(r'data-figure="paper">(\d+)<', page).group(1))


def test_paper_ballot_is_saved_and_the_running_count_goes_up(client, hall):
    water, roof, _lights = hall.projects
    open_voting(client, hall)
    assert running_count(client, hall) == 0
    response = paper(client, hall, [water, roof], gender="male")
    assert response.status_code == 302
    ballot = db.session.scalars(db.select(Ballot)).one()
    assert (ballot.source, ballot.gender, ballot.participant_id, ballot.entered_by_id) == ("paper", "male", None,
                                                                                         hall.clerk.id)
    assert ballot.age_band_id == hall.municipality.age_bands[2].id
    assert sorted(c.proposal_id for c in ballot.choices) == sorted([water.id, roof.id])
    paper(client, hall, [water])
    assert running_count(client, hall) == 2


def test_paper_ballot_over_the_envelope_is_refused(client, hall):
    open_voting(client, hall, ballot_kind="knapsack", rule="greedy")
    response = paper(client, hall, hall.projects)
    assert response.status_code == 422
    assert "the budget is" in text_of(response)
    assert count(Ballot) == 0 and running_count(client, hall) == 0


def test_paper_ballot_without_gender_is_refused(client, hall):
    open_voting(client, hall)
    response = paper(client, hall, [hall.projects[0]], gender="")
    assert response.status_code == 422 and error_of(response, "gender") == "Choose one of the options."
    assert count(Ballot) == 0


def test_paper_ballot_with_a_ticket_is_cast_for_that_participant(client, hall):
    open_voting(client, hall)
    person = hall.people[0]
    service.cast(hall.hearing, person, {hall.projects[2].id: 1})  # voted on the phone first
    response = paper(client, hall, [hall.projects[0]], gender="", ticket=person.short_code.lower())
    assert response.status_code == 302
    ballot = db.session.scalars(db.select(Ballot)).one()  # the paper ballot replaced the phone's
    assert (ballot.participant_id, ballot.gender, ballot.source) == (person.id, "female", "paper")
    assert [c.proposal_id for c in ballot.choices] == [hall.projects[0].id]
    assert running_count(client, hall) == 1


def test_paper_ballot_with_an_unknown_ticket_is_refused(client, hall):
    open_voting(client, hall)
    response = paper(client, hall, [hall.projects[0]], ticket="ZZZZZZ")
    assert response.status_code == 422 and "No ticket with this code." in error_of(response, "ticket")
    assert count(Ballot) == 0


def test_cumulative_paper_ballot_reads_the_points(client, hall):
    open_voting(client, hall, ballot_kind="cumulative", rule="greedy", points="5")
    water, roof, _lights = hall.projects
    data = {"gender": "male", "age_band_id": "0", f"value-{water.id}": "3", f"value-{roof.id}": "2"}
    assert post(client, f"{hall.url}/paper", data).status_code == 302
    assert {c.proposal_id: c.value for c in db.session.scalars(db.select(Ballot)).one().choices} == {
        water.id: 3, roof.id: 2}
    too_many = data | {f"value-{water.id}": "4"}
    response = post(client, f"{hall.url}/paper", too_many)
    assert response.status_code == 422 and "You gave 6 points; you have 5." in text_of(response)


# -- outcome -------------------------------------------------------------------------------------


def test_outcome_before_closing_says_not_counted_yet(client, hall):
    assert "Not counted yet" in text_of(client.get(f"{hall.url}/outcome"))


def test_outcome_page_shows_the_funded_titles_and_the_gender_breakdown(client, hall):
    water, roof, lights = hall.projects
    open_voting(client, hall)
    women, men = hall.people[:3], hall.people[3:]
    for person in women:
        service.cast(hall.hearing, person, {lights.id: 1, water.id: 1})
    for person in men:
        service.cast(hall.hearing, person, {roof.id: 1, water.id: 1})
    post(client, f"{hall.url}/voting/close")
    response = client.get(f"{hall.url}/outcome")
    page = text_of(response)
    selected = re.search(r'<table class="selected" id="selected">.*?</table>', page, re.S).group(0)
    assert selected.index("Water pipe") < selected.index("Street lights")  # water 5 votes, lights 3
    assert "School roof" not in selected  # 400 000 + 300 000 spent; 500 000 no longer fits
    support = re.search(rf'<tr data-proposal="{lights.id}">.*?</tr>', page.split('id="support"')[1], re.S).group(0)
    assert 'data-gender="female">3<' in support and 'data-gender="male">0<' in support
    assert 'data-voters="female">3<' in page and 'data-voters="male">2<' in page
    top_women = re.search(r'id="top-female">.*?</ol>', page, re.S).group(0)
    top_men = re.search(r'id="top-male">.*?</ol>', page, re.S).group(0)
    assert "Street lights" in top_women and "School roof" not in top_women
    assert "School roof" in top_men and "Street lights" not in top_men


# -- who may do what -----------------------------------------------------------------------------

POSTS = ["voting", "voting/open", "voting/close", "hands", "paper"]


@pytest.mark.parametrize("path", POSTS)
def test_observer_may_look_but_not_change(app, hall, path):
    observer = app.test_client()
    login(observer, "bakyt")
    if "/" not in path:
        assert observer.get(f"{hall.url}/{path}").status_code == 200
    assert post(observer, f"{hall.url}/{path}", SETUP).status_code == 403
    assert hall.hearing.state == "in_session" and stored_setup(hall) is None


@pytest.mark.parametrize(("method", "path"), [*(("post", p) for p in POSTS),
                                               *(("get", p) for p in ("voting", "hands", "paper", "outcome"))])
def test_clerk_of_another_municipality_is_refused(app, hall, method, path):
    stranger = app.test_client()
    login(stranger, "dilnoza")
    response = post(stranger, f"{hall.url}/{path}", SETUP) if method == "post" else stranger.get(f"{hall.url}/{path}")
    assert response.status_code == 403


@pytest.mark.parametrize("path", POSTS)
def test_post_without_csrf_token_is_refused(client, hall, path):
    assert client.post(f"{hall.url}/{path}", data=SETUP).status_code == 400
    assert hall.hearing.state == "in_session" and stored_setup(hall) is None


def test_dashboard_offers_the_voting_pages_by_state(client, hall):
    page = client.get(hall.url).get_data(as_text=True)
    assert f'href="{hall.url}/voting"' in page and f'action="{hall.url}/voting/open"' in page
    assert f'href="{hall.url}/paper"' not in page
    open_voting(client, hall)
    page = client.get(hall.url).get_data(as_text=True)
    assert f'href="{hall.url}/paper"' in page and f'action="{hall.url}/voting/close"' in page
