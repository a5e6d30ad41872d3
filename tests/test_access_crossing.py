"""Wrong keys show nothing: unknown or rotated tokens, another hearing's ticket, and one municipality's
records reached through another municipality's addresses or forms."""

import pytest

from app.organisations import service as organisations
from app.registration import service as registration
from tests.db_state import changed_tables, snapshot
from tests.helpers import login, post
from tests.test_access import ORGANISATION, PUBLIC, ROUTES, TICKET, form_for
from tests.world import ARGUMENT, build_world, url_for_rule

# Route arguments that name a record inside the municipality or hearing named by the other arguments.
CHILDREN = ("settlement_id", "membership_id", "document_id", "checkin_id", "event_id", "organisation_id",
            "consultation_id", "priority_id", "question_id")  # fmt: skip


@pytest.fixture
def world(make):
    """Kumbel and Yangiyol, each with one record of every kind."""
    return build_world(make)


def token_rules(app, level):
    return [rule for rule in app.url_map.iter_rules() if ROUTES[rule.endpoint] == level]


def methods_of(rule):
    return [method for method in ("GET", "POST") if method in rule.methods]


def assert_shows_nothing(client, url, form, secrets=()):
    """GET and POST of `url` answer 404 (or 403), write nothing and show none of `secrets`."""
    for method in ("GET", "POST"):
        before = snapshot()
        response = client.post(url, data=form) if method == "POST" else client.get(url)
        body = response.get_data(as_text=True)
        if response.status_code == 405:
            continue
        assert response.status_code in (403, 404), (method, url, response.status_code)
        assert not changed_tables(before, snapshot()), (method, url)
        for secret in secrets:
            assert secret not in body, (method, url, secret)


def test_unknown_and_unbound_tickets_open_nothing(app, client, world):
    kumbel = world["kumbel"]
    blank = registration.create_blank_tickets(kumbel.hearing, 1)[0]
    form = form_for(client, kumbel)
    for token in ("x" * 32, kumbel.participant.token[:-1], blank.token, kumbel.participant.token.upper()):
        for rule in token_rules(app, TICKET):
            if rule.endpoint == "registration.ticket" and token == blank.token:
                continue  # a printed blank ticket shows its code to whoever holds the paper, and nothing else
            assert_shows_nothing(client, url_for_rule(rule, {**kumbel.values(), "ticket": token}), form)


def test_a_rotated_or_unknown_tracking_link_opens_nothing(app, client, world):
    kumbel = world["kumbel"]
    old = kumbel.values()["organisation_token"]
    organisations.rotate_token(kumbel.organisation)
    form = form_for(client, kumbel)
    for token in (old, "y" * 32, kumbel.values()["organisation_token"][:-1]):
        for rule in token_rules(app, ORGANISATION):
            url = url_for_rule(rule, {**kumbel.values(), "organisation_token": token})
            assert_shows_nothing(client, url, form, secrets=[kumbel.organisation.name, "Water pipe"])


def test_an_organisation_cannot_propose_to_another_municipalitys_hearing(client, world):
    kumbel, yangiyol = world["kumbel"], world["yangiyol"]
    url = f"/track/{yangiyol.values()['organisation_token']}/propose/{kumbel.hearing.public_code}"
    assert_shows_nothing(client, url, form_for(client, kumbel), secrets=[kumbel.hearing.texts[0].title])


def test_another_hearings_ticket_cannot_propose_to_this_hearing(client, world):
    kumbel, yangiyol = world["kumbel"], world["yangiyol"]
    url = f"/h/{kumbel.hearing.public_code}/propose?ticket={yangiyol.participant.token}"
    client.set_cookie("lang", "en")
    assert "This ticket is for another hearing." in client.get(url).get_data(as_text=True)
    before = snapshot()
    response = post(client, url, {"title": "Stolen voice", "category": kumbel.municipality.category_list[0]})
    assert response.status_code == 422
    assert not changed_tables(before, snapshot())
    assert client.get(f"/h/{kumbel.hearing.public_code}/propose?ticket={'z' * 32}").status_code == 404


def crossing_rules(app):
    """Rules that name a container (municipality, hearing, proposal) and a record inside it."""
    for rule in app.url_map.iter_rules():
        names = set(ARGUMENT.findall(rule.rule))
        if names & {"slug", "hearing_id", "code", "proposal_id"} and names & set(CHILDREN):
            yield rule


@pytest.mark.parametrize("who", ["yadmin", None])
def test_records_cannot_be_reached_through_another_municipalitys_addresses(app, client, world, who):
    kumbel, yangiyol = world["kumbel"], world["yangiyol"]
    if who:
        login(client, who)
    form = form_for(client, yangiyol)
    mixed = {**yangiyol.values(), **{name: kumbel.ids[name] for name in CHILDREN}}
    rules = list(crossing_rules(app))
    assert len(rules) >= 12
    for rule in rules:
        if not who and ROUTES[rule.endpoint] != PUBLIC:
            continue
        assert_shows_nothing(client, url_for_rule(rule, mixed), form, secrets=["Kumbel"])


def test_a_clerk_cannot_check_in_or_merge_across_hearings(client, world):
    kumbel, yangiyol = world["kumbel"], world["yangiyol"]
    login(client, "yclerk")
    before = snapshot()
    for code in (kumbel.participant.token, kumbel.participant.short_code):
        response = post(client, f"/manage/hearings/{yangiyol.hearing.id}/checkin", {"code": code})
        assert response.status_code == 422, code
    response = post(client, f"/manage/proposals/{yangiyol.proposal.id}/merge", {"into": kumbel.proposal.id})
    assert response.status_code == 422
    response = post(client, f"/manage/hearings/{yangiyol.hearing.id}/walkin",
                    {"gender": "female", "settlement_id": kumbel.ids["settlement_id"],
                     "organisation_id": kumbel.ids["organisation_id"]})  # fmt: skip
    assert response.status_code == 422
    assert not changed_tables(before, snapshot())
