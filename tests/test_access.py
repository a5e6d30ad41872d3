"""Every route in app.url_map, tried as anonymous, observer, clerk of another municipality and clerk.

Each route's expected outcome is declared below; a new route without a declaration fails the test.
"""

import re

import pytest

from app.extensions import db
from app.hearings.models import Hearing
from app.organisations.models import Organisation
from app.proposals.models import Proposal
from app.proposals.service import submit
from tests.helpers import csrf_token, login

PUBLIC = "public"  # anyone may GET
CLERK = "clerk"  # clerk and admin of the municipality; observer may only look
ADMIN = "admin"  # admin of the municipality only
VIEW = "view"  # any role in the municipality may GET
SELF = "self"  # any logged-in user; acts only on the user's own session

ROUTES = {
    "static": PUBLIC,
    "ops.healthz": PUBLIC,
    "municipalities.index": PUBLIC,
    "municipalities.public": PUBLIC,
    "hearings.public_page": PUBLIC,
    "hearings.poster": PUBLIC,
    "hearings.calendar": PUBLIC,
    "hearings.document": PUBLIC,
    "auth.login": PUBLIC,
    "registration.register": PUBLIC,
    "proposals.public_page": PUBLIC,
    "proposals.photo": PUBLIC,
    "proposals.event_photo": PUBLIC,
    "proposals.submit": PUBLIC,
    "proposals.track": PUBLIC,  # private link: the token is the key
    "proposals.track_submit": PUBLIC,
    "proposals.feed": PUBLIC,
    "proposals.list": PUBLIC,
    "voting.ballot": PUBLIC,  # keyed by the ticket's token
    "voting.ballot_total": PUBLIC,
    "voting.receipt": PUBLIC,
    "registration.ticket": PUBLIC,
    "auth.set_language": PUBLIC,
    "publication.results": PUBLIC,  # published hearings only; 404 before
    "publication.results_json": PUBLIC,
    "publication.results_csv": PUBLIC,
    "publication.results_pb": PUBLIC,
    "publication.summary": PUBLIC,
    "publication.schema": PUBLIC,
    "auth.logout": SELF,
    "municipalities.manage_index": SELF,
    "hearings.list": VIEW,
    "hearings.dashboard": VIEW,
    "municipalities.members": VIEW,
    "organisations.index": VIEW,  # adding one needs clerk or admin
    "hearings.create": CLERK,
    "hearings.edit": CLERK,
    "hearings.checklist": CLERK,
    "hearings.announce": CLERK,
    "hearings.change_state": CLERK,
    "hearings.upload_document": CLERK,
    "hearings.delete_document": CLERK,
    "registration.desk": CLERK,
    "registration.desk_status": CLERK,
    "registration.checkin": CLERK,
    "registration.walkin": CLERK,
    "registration.bind_ticket": CLERK,
    "registration.undo_checkin": CLERK,
    "registration.open_session": CLERK,
    "registration.attendance": CLERK,  # names and phones: not for observers
    "registration.attendance_csv": CLERK,
    "registration.print_tickets": CLERK,  # unbound ticket tokens
    "registration.create_tickets": CLERK,
    "registration.live": VIEW,
    "registration.live_panel": VIEW,
    "registration.projector": VIEW,
    "registration.projector_panel": VIEW,
    "proposals.manage": VIEW,
    "proposals.review": VIEW,
    "proposals.report": VIEW,
    "proposals.floor": CLERK,
    "proposals.admit": CLERK,
    "proposals.not_admit": CLERK,
    "proposals.set_cost": CLERK,
    "proposals.answer": CLERK,
    "proposals.decide": CLERK,
    "proposals.include": CLERK,
    "proposals.progress": CLERK,
    "proposals.complete": CLERK,
    "proposals.drop": CLERK,
    "proposals.merge": CLERK,
    "organisations.edit": CLERK,  # shows the private tracking link
    "organisations.rotate_token": CLERK,
    "voting.setup": VIEW,  # saving needs clerk or admin
    "voting.hands": VIEW,
    "voting.paper": VIEW,
    "voting.outcome": VIEW,
    "voting.export_ballots": VIEW,
    "voting.open": CLERK,
    "voting.close": CLERK,
    "consultations.index": VIEW,  # recording one needs clerk or admin
    "consultations.edit": CLERK,
    "consultations.delete": CLERK,
    "consultations.propose": CLERK,
    "publication.prepare": VIEW,
    "publication.publish": CLERK,
    "publication.corrections": VIEW,  # correcting needs clerk or admin
    "minutes.questions": VIEW,
    "minutes.add_question": CLERK,
    "minutes.answer_question": CLERK,
    "minutes.edit": CLERK,
    "minutes.view": VIEW,
    "minutes.pdf": VIEW,
    "minutes.upload_signed": CLERK,
    "minutes.public_view": PUBLIC,  # 404 until published
    "minutes.public_pdf": PUBLIC,
    "municipalities.settings": ADMIN,
    "municipalities.age_bands": ADMIN,
    "municipalities.settlements": ADMIN,
    "municipalities.delete_settlement": ADMIN,
    "municipalities.delete_member": ADMIN,
}


@pytest.fixture
def world(make):
    """Kumbel with a clerk, an observer and an admin; Yangiyol with its own clerk."""
    kumbel = make.municipality()
    yangiyol = make.municipality("UZ", "yangiyol", "Yangiyol", settlements=("Navbahor",))
    make.user("kclerk", kumbel, "clerk")
    make.user("kobserver", kumbel, "observer")
    make.user("kadmin", kumbel, "admin")
    make.user("yclerk", yangiyol, "clerk")
    hearing = make.hearing(kumbel, state="announced")
    wag = Organisation(municipality_id=kumbel.id, name="Ak-Bulak women", kind="wag")
    db.session.add(wag)
    db.session.commit()
    proposal = submit(hearing, {"title": "Water pipe", "category": "water_supply"}, organisation=wag)
    return {"kumbel": kumbel, "hearing": hearing, "proposal": proposal, "organisation": wag}


def url_for_rule(rule, world):
    """Fill a rule's arguments with Kumbel's records."""
    values = {
        "slug": "kumbel", "hearing_id": world["hearing"].id, "code": world["hearing"].public_code,
        "settlement_id": world["kumbel"].settlements[0].id, "membership_id": 1, "document_id": 1,
        "action": "cancel", "filename": "css/app.css", "token": "x" * 32, "checkin_id": 1,
        "proposal_id": world["proposal"].id, "event_id": 1, "organisation_id": world["organisation"].id,
        "consultation_id": 1, "priority_id": 1, "question_id": 1,
    }  # fmt: skip
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", lambda m: str(values[m.group(1)]), rule.rule)


def rules(app):
    return [rule for rule in app.url_map.iter_rules()]


def test_every_route_has_a_declared_access_level(app):
    undeclared = {rule.endpoint for rule in rules(app)} - set(ROUTES)
    assert not undeclared, f"declare the access level of {sorted(undeclared)} in tests/test_access.py"


def attempt(client, rule, world):
    url = url_for_rule(rule, world)
    method = "POST" if "POST" in rule.methods and "GET" not in rule.methods else "GET"
    if method == "GET":
        response = client.get(url)
    else:
        response = client.post(url, data={"csrf_token": csrf_token(client), "reason": "x"})
    response.close()  # static files and documents are streamed from open files
    return response, method


def test_anonymous_visitors_reach_only_public_routes(app, client, world):
    for rule in rules(app):
        response, method = attempt(client, rule, world)
        if ROUTES[rule.endpoint] == PUBLIC:
            assert response.status_code in (200, 302, 404), rule.rule
        else:
            assert response.status_code == 302 and "/login" in response.location, rule.rule


@pytest.mark.parametrize("username", ["yclerk", "kobserver", "kclerk"])
def test_roles_get_exactly_what_is_declared(app, client, world, username):
    login(client, username)
    state_before = db.session.scalar(db.select(Hearing.state))
    proposal_before = db.session.scalar(db.select(Proposal.status))
    for rule in rules(app):
        level = ROUTES[rule.endpoint]
        if level in (PUBLIC, SELF):
            continue
        response, method = attempt(client, rule, world)
        allowed = {
            "yclerk": set(),
            "kobserver": {VIEW} if method == "GET" else set(),
            "kclerk": {VIEW, CLERK},
        }[username]
        if level in allowed:
            assert response.status_code not in (401, 403), (username, rule.rule)
        else:
            assert response.status_code == 403, (username, rule.rule, response.status_code)
    if username != "kclerk":
        assert db.session.scalar(db.select(Hearing.state)) == state_before
        assert db.session.scalar(db.select(Proposal.status)) == proposal_before


def test_admin_reaches_the_settings_pages(client, world):
    login(client, "kadmin")
    for path in ("settings", "age-bands", "settlements", "members"):
        assert client.get(f"/manage/kumbel/{path}").status_code == 200, path
