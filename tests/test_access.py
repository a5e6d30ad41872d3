"""The authorization matrix: every route in app.url_map, by every kind of visitor, with GET and POST.

Each route's access level is declared below; a new route without a declaration fails the test. A refused
request must change nothing in the database, and a wrong token (someone else's ticket, another
organisation's link, a rotated link) must show nothing.
"""

import pytest

from tests.db_state import changed_tables, snapshot
from tests.helpers import csrf_token, login
from tests.world import USERS, build_world, url_for_rule

PUBLIC = "public"  # anyone
TICKET = "ticket"  # anyone holding the ticket's token; the token is the key
ORGANISATION = "organisation"  # anyone holding the organisation's current tracking link
SELF = "self"  # any logged-in user; acts only on the user's own session
VIEW = "view"  # any role in the municipality
CLERK = "clerk"  # clerk and admin of the municipality
ADMIN = "admin"  # admin of the municipality only

ALLOWED = {
    PUBLIC: {"anonymous", "ticket", "organisation", "observer", "clerk", "admin", "other_clerk", "other_admin"},
    SELF: {"observer", "clerk", "admin", "other_clerk", "other_admin"},
    VIEW: {"observer", "clerk", "admin"},
    CLERK: {"clerk", "admin"},
    ADMIN: {"admin"},
}
ALLOWED[TICKET] = ALLOWED[ORGANISATION] = ALLOWED[PUBLIC]

# endpoint -> level for every method, or (level of GET, level of POST)
ROUTES = {
    "static": PUBLIC,
    "ops.healthz": PUBLIC,
    "municipalities.index": PUBLIC,
    "municipalities.public": PUBLIC,
    "hearings.public_page": PUBLIC,
    "hearings.poster": PUBLIC,
    "hearings.calendar": PUBLIC,
    "hearings.document": PUBLIC,  # signed attendance sheets: members only (tests/test_documents.py)
    "auth.login": PUBLIC,
    "auth.set_language": PUBLIC,
    "registration.register": PUBLIC,
    "proposals.public_page": PUBLIC,
    "proposals.photo": PUBLIC,
    "proposals.event_photo": PUBLIC,
    "proposals.submit": PUBLIC,  # ?ticket= must be a ticket of this hearing
    "proposals.list": PUBLIC,
    "publication.results": PUBLIC,  # published hearings only; 404 before
    "publication.results_json": PUBLIC,
    "publication.results_csv": PUBLIC,
    "publication.results_pb": PUBLIC,
    "publication.summary": PUBLIC,
    "publication.schema": PUBLIC,
    "minutes.public_view": PUBLIC,  # 404 until published
    "minutes.public_pdf": PUBLIC,
    "registration.ticket": TICKET,
    "voting.ballot": TICKET,
    "voting.ballot_total": TICKET,
    "voting.receipt": TICKET,
    "proposals.track": ORGANISATION,
    "proposals.feed": ORGANISATION,
    "proposals.track_submit": ORGANISATION,  # and only to a hearing of the organisation's municipality
    "auth.logout": SELF,
    "municipalities.manage_index": SELF,
    "hearings.list": VIEW,
    "hearings.dashboard": VIEW,
    "municipalities.members": (VIEW, ADMIN),
    "organisations.index": (VIEW, CLERK),
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
    "voting.setup": (VIEW, CLERK),
    "voting.hands": (VIEW, CLERK),
    "voting.paper": (VIEW, CLERK),
    "voting.outcome": VIEW,
    "voting.export_ballots": VIEW,
    "voting.open": CLERK,
    "voting.close": CLERK,
    "consultations.index": (VIEW, CLERK),
    "consultations.edit": CLERK,
    "consultations.delete": CLERK,
    "consultations.propose": CLERK,
    "publication.prepare": VIEW,
    "publication.publish": CLERK,
    "publication.corrections": (VIEW, CLERK),
    "minutes.questions": VIEW,
    "minutes.add_question": CLERK,
    "minutes.answer_question": CLERK,
    "minutes.edit": CLERK,
    "minutes.view": VIEW,
    "minutes.pdf": VIEW,
    "minutes.upload_signed": CLERK,
    "municipalities.settings": ADMIN,
    "municipalities.age_bands": ADMIN,
    "municipalities.settlements": ADMIN,
    "municipalities.delete_settlement": ADMIN,
    "municipalities.delete_member": ADMIN,
}
# Tried after everything else, in this order: they remove what other routes are tried on, or the session.
LAST = (
    "registration.undo_checkin",
    "consultations.delete",
    "hearings.delete_document",
    "municipalities.delete_member",
    "municipalities.delete_settlement",
    "organisations.rotate_token",
    "hearings.change_state",
    "auth.logout",
)
PRINCIPALS = ("anonymous", "ticket", "organisation", "observer", "clerk", "admin", "other_clerk", "other_admin")


def level_of(endpoint: str, method: str) -> str:
    """The declared access level of `endpoint` for `method`."""
    level = ROUTES[endpoint]
    if isinstance(level, tuple):
        return level[0] if method == "GET" else level[1]
    return level


def requests_to_try(app) -> list[tuple[object, str]]:
    """Every (rule, method) of the app, GET before POST, the destructive ones last."""
    pairs = [
        (rule, method) for rule in app.url_map.iter_rules() for method in ("GET", "POST") if method in rule.methods
    ]
    return sorted(pairs, key=lambda p: (LAST.index(p[0].endpoint) if p[0].endpoint in LAST else -1, p[1], p[0].rule))


def form_for(client, place) -> dict:
    """A plausible form for any POST: if a check were missing, this would write something."""
    return {
        "csrf_token": csrf_token(client), "reason": "matrix", "title": "Matrix", "text": "Matrix", "name": "Matrix",
        "answer": "Matrix", "gender": "female", "code": place.participant.short_code, "count": "1", "kind": "other",
        "category": place.municipality.category_list[0], "place": "Hall", "description": "Matrix",
    }  # fmt: skip


def attempt(client, url: str, method: str, form: dict):
    """One request, its streamed body closed."""
    response = client.post(url, data=form) if method == "POST" else client.get(url)
    response.close()
    return response


def refused_properly(principal: str, response) -> bool:
    """Anonymous visitors are sent to the login page; logged-in users get 403."""
    if principal in ("anonymous", "ticket", "organisation"):
        return response.status_code == 302 and "/login" in response.location
    return response.status_code == 403


@pytest.fixture
def world(make):
    """Kumbel and Yangiyol, each with one record of every kind."""
    return build_world(make)


def test_every_route_has_a_declared_access_level(app):
    undeclared = {rule.endpoint for rule in app.url_map.iter_rules()} - set(ROUTES)
    assert not undeclared, f"declare the access level of {sorted(undeclared)} in tests/test_access.py"
    assert not set(ROUTES) - {rule.endpoint for rule in app.url_map.iter_rules()}, "a declared route is gone"


def _sign_in(client, principal: str, kumbel) -> None:
    """Log in as the principal's user, or visit the private page a ticket or organisation holder has."""
    if principal in USERS:
        assert login(client, USERS[principal][0]).status_code == 302
    elif principal == "ticket":
        assert client.get(f"/t/{kumbel.participant.token}").status_code == 200
    elif principal == "organisation":
        assert client.get(f"/track/{kumbel.organisation.tracking_token}").status_code == 200


@pytest.mark.parametrize("principal", PRINCIPALS)
def test_each_visitor_reaches_exactly_what_is_declared_and_refusals_write_nothing(app, client, world, principal):
    kumbel = world["kumbel"]
    _sign_in(client, principal, kumbel)
    form = form_for(client, kumbel)
    problems = []
    before = snapshot()
    for rule, method in requests_to_try(app):
        level = level_of(rule.endpoint, method)
        response = attempt(client, url_for_rule(rule, kumbel.values()), method, form)
        after = snapshot()
        where = (principal, method, rule.rule, response.status_code)
        if response.status_code >= 500:
            problems.append(("server error", *where))
        elif principal in ALLOWED[level]:
            if response.status_code in (401, 403) or "/login" in (response.location or ""):
                problems.append(("refused although allowed", *where))
            elif method == "GET" and level != PUBLIC and response.status_code not in (200, 302):
                problems.append(("no page although allowed", *where))
        elif not refused_properly(principal, response):
            problems.append(("not refused", *where))
        elif changed_tables(before, after):
            problems.append(("refused but wrote", *where, changed_tables(before, after)))
        before = after
    assert not problems, "\n".join(map(str, problems))
