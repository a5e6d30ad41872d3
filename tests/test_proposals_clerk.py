"""The clerk's proposal pages: the list with overdue flags, floor submission, every review action, the report."""

import html as html_lib
import re
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from flask_babel import force_locale, gettext

from app.audit.models import AuditEvent
from app.extensions import db
from app.municipalities.models import Municipality
from app.municipalities.service import settings_snapshot
from app.notifications.models import OutboxMessage
from app.organisations.models import Organisation
from app.proposals import service
from app.proposals.labels import CATEGORIES
from app.proposals.models import Proposal, ProposalEvent
from app.registration import service as registration
from app.timeutil import utc_to_local, utcnow
from tests.helpers import login, post


@pytest.fixture
def world(make):
    """Kumbel in session with a clerk, an observer, an admin and a women's group; Yangiyol with its own clerk."""
    kumbel = make.municipality(settlements=("Kumbel", "Ak-Bulak"))
    make.user("aigul", kumbel, "clerk")
    make.user("bakyt", kumbel, "observer")
    make.user("cholpon", kumbel, "admin")
    yangiyol = make.municipality("UZ", "yangiyol", "Yangiyol", settlements=("Navbahor",))
    make.user("dilnoza", yangiyol, "clerk")
    hearing = make.hearing(kumbel, state="in_session", days=0)
    wag = Organisation(municipality_id=kumbel.id, name="Ak-Bulak women", kind="wag", contact_email="wag@example.kg")
    db.session.add(wag)
    db.session.commit()
    return {"municipality": kumbel, "hearing": hearing, "wag": wag, "yangiyol": yangiyol}


def propose(world, title="Water pipe for Ak-Bulak", organisation=None, hearing=None, **data):
    data = {"title": title, "category": "water_supply", "beneficiaries": ["women"]} | data
    return service.submit(hearing or world["hearing"], data, organisation=organisation)


def with_status(proposal, status, **fields):
    """Put a proposal in a status directly, as the service test does, to start an action from there."""
    proposal.status = status
    for name, value in fields.items():
        setattr(proposal, name, value)
    db.session.commit()
    return proposal


def error_of(response, field_id):
    match = re.search(rf'id="{field_id}-error" role="alert">(.*?)</p>', response.get_data(as_text=True), re.S)
    return html_lib.unescape(match.group(1)) if match else None


def text_of(response) -> str:
    return html_lib.unescape(response.get_data(as_text=True))


def state(proposal_id) -> dict:
    """Everything an action could change, read fresh from the database."""
    db.session.expire_all()
    proposal = db.session.get(Proposal, proposal_id)
    count = db.func.count
    return {
        "row": (proposal.status, proposal.status_reason, proposal.answer, proposal.answered_at, proposal.cost,
                proposal.budget_line, proposal.progress_percent, proposal.merged_into_id),
        "events": db.session.scalar(db.select(count(ProposalEvent.id))),
        "audit": db.session.scalar(db.select(count(AuditEvent.id))),
        "outbox": db.session.scalar(db.select(count(OutboxMessage.id))),
    }  # fmt: skip


def url(proposal, action=""):
    return f"/manage/proposals/{proposal.id}" + (f"/{action}" if action else "")


# -- the list ------------------------------------------------------------------------------------------------
def items_of(response) -> dict[str, str]:
    """Each proposal's list item by its title."""
    parts = text_of(response).split('<li class="proposal-item')[1:]
    return {re.search(r'class="proposal-title"[^>]*>#\d+ (.*?)</a>', p).group(1): p.split("</li>")[0] for p in parts}


def test_the_list_shows_status_category_proposer_cost_and_flags_overdue_answers(client, world):
    today = utc_to_local(utcnow(), "Asia/Bishkek").date()
    with_status(propose(world, "Late", organisation=world["wag"]), "admitted", answer_due=today - timedelta(days=1),
                cost=Decimal("300000"))  # fmt: skip
    answered = propose(world, "Answered", category="roads")
    service.record_answer(answered, "Thank you", None)
    with_status(answered, "submitted", answer_due=today - timedelta(days=3))
    propose(world, "Due later", category="street_lighting")
    login(client, "aigul")
    response = client.get(f"/manage/hearings/{world['hearing'].id}/proposals")
    assert response.status_code == 200
    items = items_of(response)
    assert "is-overdue" in items["Late"] and "Answer overdue" in items["Late"]
    assert "Women's action group" in items["Late"] and "Ak-Bulak women" in items["Late"] and "Admitted" in items["Late"]
    assert "Water supply" in items["Late"] and "300,000" in items["Late"]
    assert "is-overdue" not in items["Answered"] and "answered on" in items["Answered"]
    assert "is-overdue" not in items["Due later"] and "Individual" in items["Due later"]
    assert "Street lighting" in items["Due later"]
    only_late = items_of(client.get(f"/manage/hearings/{world['hearing'].id}/proposals?show=overdue"))
    assert list(only_late) == ["Late"]


def test_the_dashboard_counts_proposals_and_overdue_answers(client, world):
    with_status(propose(world), "submitted", answer_due=utcnow().date() - timedelta(days=5))
    propose(world, "Second")
    login(client, "bakyt")
    html = text_of(client.get(f"/manage/hearings/{world['hearing'].id}"))
    section = html.split('id="proposals"')[1].split("</section>")[0]
    assert re.search(r"All <strong>2</strong>", section)
    assert re.search(r'class="late">Answer overdue <strong>1</strong>', section)
    assert "1 proposal has no official answer after its deadline." in section


# -- floor submission -----------------------------------------------------------------------------------------
def floor_url(world):
    return f"/manage/hearings/{world['hearing'].id}/proposals/new"


def floor_data(world, **overrides):
    return {"title": "Street lights on Lenin street", "category": "street_lighting",
            "beneficiaries": ["women", "elderly"], "estimated_cost": "150000", "organisation_id": "0",
            "settlement_id": str(world["municipality"].settlements[0].id), "raised_in_consultation": "y"} | overrides


def test_a_floor_proposal_takes_gender_and_age_from_the_ticket(client, world):
    band = world["municipality"].age_bands[1]
    ticket = registration.register(world["hearing"], registration.PersonDetails(gender="female", age_band_id=band.id))
    login(client, "aigul")
    assert client.get(floor_url(world)).status_code == 200
    response = post(client, floor_url(world), floor_data(world, ticket_code=ticket.short_code.lower(),
                                                         organisation_id=str(world["wag"].id)))  # fmt: skip
    assert response.status_code == 303 and response.location.endswith(floor_url(world))
    proposal = db.session.scalars(db.select(Proposal)).one()
    assert (proposal.source, proposal.participant_id, proposal.organisation_id) == ("floor", ticket.id, world["wag"].id)
    assert (proposal.proposer_gender, proposal.proposer_age_band_id) == ("female", band.id)
    assert proposal.raised_in_consultation and proposal.beneficiary_list == ["women", "elderly"]
    assert proposal.estimated_cost == Decimal("150000")
    assert proposal.events[0].user.username == "aigul"
    assert f"#{proposal.id}" in text_of(client.get(floor_url(world)))  # listed as recorded from the floor


def test_a_floor_proposal_without_a_ticket_has_no_proposer_gender(client, world):
    login(client, "aigul")
    assert post(client, floor_url(world), floor_data(world)).status_code == 303
    proposal = db.session.scalars(db.select(Proposal)).one()
    assert (proposal.participant_id, proposal.proposer_gender, proposal.organisation_id) == (None, None, None)


@pytest.mark.parametrize("overrides, field, message", [
    ({"ticket_code": "ZZZ9ZZ"}, "ticket_code", "No ticket with this code."),
    ({"ticket_code": "12"}, "ticket_code", "A code has 6 letters and digits"),
    ({"title": "  "}, "title", "This field is required."),
    ({"category": "casino"}, "category", "Not a valid choice."),
    ({"estimated_cost": "-5"}, "estimated_cost", "Number must be between"),
    ({"estimated_cost": "NaN"}, "estimated_cost", "Not a valid decimal value."),
    ({"organisation_id": "999"}, "organisation_id", "Not a valid choice."),
    ({"proposer_email": "someone at example"}, "proposer_email", "Invalid email address."),
])  # fmt: skip
def test_bad_floor_input_is_refused_next_to_the_field_and_nothing_is_saved(client, world, overrides, field, message):
    login(client, "aigul")
    response = post(client, floor_url(world), floor_data(world, **overrides))
    assert response.status_code == 422
    assert message in error_of(response, field)
    assert db.session.scalar(db.select(db.func.count(Proposal.id))) == 0


def test_a_ticket_of_another_hearing_is_refused(client, world, make):
    other = make.hearing(world["municipality"], state="announced")
    ticket = registration.register(other, registration.PersonDetails(gender="male"))
    login(client, "aigul")
    response = post(client, floor_url(world), floor_data(world, ticket_code=ticket.short_code))
    assert response.status_code == 422 and error_of(response, "ticket_code")
    assert db.session.scalar(db.select(db.func.count(Proposal.id))) == 0


def test_a_cancelled_hearing_takes_no_floor_proposals(client, world):
    world["hearing"].state = "cancelled"
    db.session.commit()
    login(client, "aigul")
    response = post(client, floor_url(world), floor_data(world))
    assert response.status_code == 409 and "This hearing does not take proposals." in text_of(response)
    assert db.session.scalar(db.select(db.func.count(Proposal.id))) == 0


def test_an_excluded_category_is_recorded_then_not_admitted_with_the_reason(client, world, make):
    hearing = make.hearing(world["yangiyol"], state="in_session", days=0, titles={"uz": "Tashabbusli budjet"})
    login(client, "dilnoza")
    form = client.get(f"/manage/hearings/{hearing.id}/proposals/new").get_data(as_text=True)
    assert 'value="vehicles"' in form
    response = post(client, f"/manage/hearings/{hearing.id}/proposals/new",
                    {"title": "Car for the khokim", "category": "vehicles", "organisation_id": "0",
                     "settlement_id": "0"})  # fmt: skip
    assert response.status_code == 303
    proposal = db.session.scalars(db.select(Proposal)).one()
    assert "cannot be financed" in text_of(client.get(url(proposal)))  # the clerk is warned before admitting
    response = post(client, url(proposal, "admit"))
    assert response.status_code == 303
    db.session.refresh(proposal)
    assert proposal.status == "not_admitted" and proposal.is_answered
    with force_locale("uz"):  # the reason is written in the municipality's language, for the public
        expected = gettext("Proposals for “%(category)s” cannot be financed under this municipality's rules.",
                           category=CATEGORIES["vehicles"])  # fmt: skip
    assert expected == proposal.status_reason
    assert expected in text_of(client.get(url(proposal)))


# -- every action, the happy path ------------------------------------------------------------------------------
def test_the_whole_lifecycle_through_the_review_page(client, world):
    proposal = propose(world, organisation=world["wag"])
    login(client, "aigul")
    steps = [
        ("admit", {}, "admitted"),
        ("cost", {"set_cost-cost": "320000.50"}, "admitted"),
        ("answer", {"answer-answer": "Admitted; it goes to the vote."}, "admitted"),
        ("decide", {"decide-action": "select"}, "selected"),
        ("include", {"include-budget_line": "0451 Water supply"}, "included"),
        ("progress", {"progress-percent": "40", "progress-note": "Pipes bought"}, "in_progress"),
        ("progress", {"progress-percent": "80", "progress-note": "Trench dug"}, "in_progress"),
        ("complete", {"complete-note": "Water flows"}, "completed"),
    ]
    for action, data, status in steps:
        response = post(client, url(proposal, action), data)
        assert response.status_code == 303, (action, text_of(response)[:3000])
        assert db.session.scalar(db.select(Proposal.status).where(Proposal.id == proposal.id)) == status, action
    db.session.refresh(proposal)
    assert (proposal.cost, proposal.budget_line) == (Decimal("320000.50"), "0451 Water supply")
    assert proposal.progress_percent == 100
    assert proposal.answer == "Admitted; it goes to the vote." and proposal.is_answered
    kinds = [event.kind for event in proposal.events]
    assert kinds == ["submitted", "admitted", "cost_set", "answered", "selected", "included", "progress", "progress",
                     "completed"]  # fmt: skip
    page = text_of(client.get(url(proposal)))
    timeline = page.split('id="timeline"')[1]
    for label in ("Submitted", "Official answer", "Included in the budget", "Progress update", "Completed",
                  "Pipes bought", "Water flows", "Aigul"):  # fmt: skip
        assert label in timeline
    assert timeline.index("Completed") < timeline.index("Submitted")  # newest first


@pytest.mark.parametrize("start, action, data, status, reason", [
    ("submitted", "not-admit", {"not_admit-reason": "Not our competence"}, "not_admitted", "Not our competence"),
    ("admitted", "decide", {"decide-action": "reject", "decide-reason": "Too costly"}, "rejected", "Too costly"),
    ("admitted", "decide", {"decide-action": "recommend"}, "recommended", ""),
    ("admitted", "decide", {"decide-action": "not_select"}, "not_selected", ""),
    ("included", "drop", {"drop-reason": "The land is private"}, "dropped", "The land is private"),
])  # fmt: skip
def test_refusals_and_decisions_are_saved_with_their_public_reason(client, world, start, action, data, status, reason):
    proposal = with_status(propose(world), start)
    login(client, "aigul")
    assert post(client, url(proposal, action), data).status_code == 303
    db.session.refresh(proposal)
    assert (proposal.status, proposal.status_reason) == (status, reason)
    if status == "not_admitted":
        assert proposal.answer == reason and proposal.is_answered


def test_a_duplicate_is_merged_into_another_proposal_of_the_hearing(client, world):
    first = propose(world, organisation=world["wag"])
    duplicate = propose(world, "Water pipe", proposer_email="aizada@example.kg")
    login(client, "aigul")
    page = client.get(url(duplicate)).get_data(as_text=True)
    assert f'<option value="{first.id}">' in page
    assert post(client, url(duplicate, "merge"), {"merge-into": str(first.id)}).status_code == 303
    db.session.refresh(duplicate)
    assert (duplicate.status, duplicate.merged_into_id) == ("merged", first.id)
    assert service.recipients(first) == ["wag@example.kg", "aizada@example.kg"]
    assert "Another proposal was merged into this one" in text_of(client.get(url(first)))


# -- illegal moves and bad input change nothing ------------------------------------------------------------------
@pytest.mark.parametrize("start, action, data, code, field, message", [
    ("submitted", "include", {"include-budget_line": "0451"}, 409, None, "not possible in the proposal's current"),
    ("submitted", "complete", {}, 409, None, "not possible"),
    ("submitted", "progress", {"progress-percent": "10"}, 409, None, "not possible"),
    ("submitted", "decide", {"decide-action": "select"}, 409, None, "not possible"),
    ("admitted", "admit", {}, 409, None, "not possible"),
    ("completed", "drop", {"drop-reason": "x"}, 409, None, "not possible"),
    ("merged", "merge", {"merge-into": "1"}, 409, None, "not possible"),
    ("included", "progress", {"progress-percent": "101"}, 422, "progress-percent", "Number must be between 0 and 100."),
    ("included", "progress", {"progress-percent": "-1"}, 422, "progress-percent", "Number must be between 0 and 100."),
    ("included", "progress", {"progress-percent": ""}, 422, "progress-percent", "This field is required."),
    ("admitted", "decide", {"decide-action": "reject", "decide-reason": "  "}, 422, "decide-reason", "Give a reason"),
    ("admitted", "decide", {"decide-action": "elect"}, 422, "decide-action", "Not a valid choice."),
    ("submitted", "not-admit", {"not_admit-reason": " "}, 422, "not_admit-reason", "This field is required."),
    ("selected", "drop", {"drop-reason": ""}, 422, "drop-reason", "This field is required."),
    ("selected", "include", {"include-budget_line": "  "}, 422, "include-budget_line", "This field is required."),
    ("submitted", "cost", {"set_cost-cost": "-1"}, 422, "set_cost-cost", "Number must be between"),
    ("submitted", "cost", {"set_cost-cost": "lots"}, 422, "set_cost-cost", "Not a valid decimal value."),
    ("submitted", "answer", {"answer-answer": "   "}, 422, "answer-answer", "This field is required."),
    ("submitted", "merge", {"merge-into": "SELF"}, 422, "merge-into", "Choose another proposal of the same hearing."),
    ("submitted", "merge", {"merge-into": "OTHER_HEARING"}, 422, "merge-into", "same hearing"),
    ("submitted", "merge", {"merge-into": "99999"}, 422, "merge-into", "same hearing"),
])  # fmt: skip
def test_illegal_moves_and_bad_input_are_refused_and_save_nothing(client, world, make, start, action, data, code,
                                                                  field, message):  # fmt: skip
    proposal = with_status(propose(world), start)
    other_hearing = propose(world, "Elsewhere", hearing=make.hearing(world["municipality"]))
    data = {k: {"SELF": str(proposal.id), "OTHER_HEARING": str(other_hearing.id)}.get(v, v) for k, v in data.items()}
    before = state(proposal.id)
    login(client, "aigul")
    response = post(client, url(proposal, action), data)
    assert response.status_code == code
    shown = error_of(response, field) if field else re.search(r'id="refused">(.*?)</p>', text_of(response)).group(1)
    assert message in shown
    assert state(proposal.id) == before


def test_review_offers_only_the_actions_the_status_allows(client, world):
    proposal = propose(world)
    login(client, "aigul")

    def offered():
        page = client.get(url(proposal)).get_data(as_text=True)
        return {a for a in ("admit", "not-admit", "decide", "include", "progress", "complete", "drop", "merge", "cost",
                            "answer") if f'action="{url(proposal, a)}"' in page}  # fmt: skip

    assert offered() == {"admit", "not-admit", "cost", "answer"}  # no other proposal to merge with yet
    propose(world, "Another")
    assert offered() == {"admit", "not-admit", "merge", "cost", "answer"}
    with_status(proposal, "admitted")
    assert offered() == {"decide", "merge", "cost", "answer"}
    with_status(proposal, "recommended")
    assert offered() == {"include", "drop", "cost", "answer"}
    with_status(proposal, "in_progress")
    assert offered() == {"progress", "complete", "drop", "cost", "answer"}
    with_status(proposal, "completed")
    assert offered() == {"cost", "answer"}


# -- who may do what ----------------------------------------------------------------------------------------------
ACTIONS = {"admit": {}, "not-admit": {"not_admit-reason": "x"}, "cost": {"set_cost-cost": "1"},
           "answer": {"answer-answer": "x"}, "decide": {"decide-action": "select"},
           "include": {"include-budget_line": "x"}, "progress": {"progress-percent": "5"}, "complete": {},
           "drop": {"drop-reason": "x"}, "merge": {"merge-into": "1"}}  # fmt: skip


def test_an_observer_sees_everything_but_every_post_is_refused(client, world):
    proposal = propose(world, organisation=world["wag"])
    before = state(proposal.id)
    login(client, "bakyt")
    hearing_id = world["hearing"].id
    for path in (f"/manage/hearings/{hearing_id}/proposals", url(proposal), "/manage/kumbel/proposals/report"):
        assert client.get(path).status_code == 200, path
    page = client.get(url(proposal)).get_data(as_text=True)
    assert "Water pipe for Ak-Bulak" in page and 'id="actions"' not in page and "/admit" not in page
    assert client.get(floor_url(world)).status_code == 403
    assert post(client, floor_url(world), floor_data(world)).status_code == 403
    for action, data in ACTIONS.items():
        assert post(client, url(proposal, action), data).status_code == 403, action
    assert state(proposal.id) == before
    assert db.session.scalar(db.select(db.func.count(Proposal.id))) == 1


def test_a_clerk_of_another_municipality_gets_403_everywhere(client, world):
    proposal = propose(world)
    before = state(proposal.id)
    login(client, "dilnoza")
    hearing_id = world["hearing"].id
    for path in (f"/manage/hearings/{hearing_id}/proposals", url(proposal), "/manage/kumbel/proposals/report",
                 floor_url(world)):  # fmt: skip
        assert client.get(path).status_code == 403, path
    assert post(client, floor_url(world), floor_data(world)).status_code == 403
    for action, data in ACTIONS.items():
        assert post(client, url(proposal, action), data).status_code == 403, action
    assert state(proposal.id) == before


def test_anonymous_visitors_are_sent_to_the_login(client, world):
    proposal = propose(world)
    for path in (f"/manage/hearings/{world['hearing'].id}/proposals", url(proposal), "/manage/kumbel/proposals/report"):
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response.location
    assert client.post(url(proposal, "admit")).status_code in (302, 400)
    assert db.session.get(Proposal, proposal.id).status == "submitted"


def test_an_action_without_the_csrf_token_is_refused(client, world):
    proposal = propose(world)
    login(client, "aigul")
    assert client.post(url(proposal, "admit")).status_code == 400
    assert db.session.get(Proposal, proposal.id).status == "submitted"


# -- the answers report -----------------------------------------------------------------------------------------
def dated(proposal, submitted, due, answered=None):
    """Set when a proposal was submitted, when its answer is due and when it was answered (local noon)."""
    noon = datetime(2000, 1, 1, 6)  # 12:00 in Bishkek, as naive UTC
    proposal.created_at = noon.replace(year=submitted.year, month=submitted.month, day=submitted.day)
    proposal.answer_due = due
    if answered is not None:
        proposal.answer = "Answer"
        proposal.answered_at = noon.replace(year=answered.year, month=answered.month, day=answered.day)
    db.session.commit()


def report_row(response, kind) -> list[str]:
    """Proposals, answered, on time, overdue and median days of one proposer type."""
    return re.findall(rf'data-kind="{kind}">(.*?)</td>', text_of(response))


def test_the_report_compares_time_to_answer_for_womens_groups_and_others(client, world):
    today = utc_to_local(utcnow(), "Asia/Bishkek").date()
    day = today - timedelta(days=100)
    wag = world["wag"]
    dated(propose(world, "W on time", organisation=wag), day, day + timedelta(days=30), day + timedelta(days=10))
    dated(propose(world, "W late", organisation=wag), day, day + timedelta(days=30), day + timedelta(days=40))
    dated(propose(world, "W overdue", organisation=wag), day, day + timedelta(days=30))
    cso = Organisation(municipality_id=world["municipality"].id, name="Jashtar", kind="youth_group")
    db.session.add(cso)
    dated(propose(world, "O quick", organisation=cso), day, day + timedelta(days=30), day + timedelta(days=4))
    dated(propose(world, "O pending"), today, today + timedelta(days=30))
    login(client, "bakyt")
    response = client.get("/manage/kumbel/proposals/report")
    assert response.status_code == 200
    assert report_row(response, "womens_group") == ["3", "2", "1", "1", "25"]
    assert report_row(response, "others") == ["2", "1", "1", "0", "4"]
    check = text_of(response).split('id="check-answers"')[1].split("</li>")[0]
    assert "Answers to women's groups: 1 of 3 answered on time, 1 late, 1 overdue, 0 not yet due." in check
    assert "not met" in check
    overdue = text_of(response).split('id="overdue"')[1]
    assert "W overdue" in overdue and "W late" not in overdue and "O pending" not in overdue


def test_the_report_can_be_limited_to_one_hearing(client, world, make):
    other = make.hearing(world["municipality"], state="announced")
    propose(world, organisation=world["wag"])
    propose(world, "Elsewhere", hearing=other)
    login(client, "aigul")
    assert report_row(client.get("/manage/kumbel/proposals/report"), "others") == ["1", "0", "0", "0", "–"]
    response = client.get(f"/manage/kumbel/proposals/report?hearing_id={world['hearing'].id}")
    assert report_row(response, "others")[0] == "0" and report_row(response, "womens_group")[0] == "1"
    assert "Answers to women's groups: 0 of 1 answered on time, 0 late, 0 overdue, 1 not yet due." in text_of(response)


def test_the_report_without_womens_groups_says_so(client, world):
    login(client, "aigul")
    assert "Answers: no proposals from women's groups yet." in text_of(client.get("/manage/kumbel/proposals/report"))


# -- categories in the municipality's settings -------------------------------------------------------------------
def settings_form(municipality, **overrides):
    data = settings_snapshot(municipality)
    form = {k: v for k, v in data.items() if not isinstance(v, bool | list) and v is not None}
    form |= {k: data[k].strftime("%H:%M") for k in ("window_start", "window_end")}
    form |= {k: data[k] for k in ("languages", "required_languages", "market_days")}
    form |= {k: "y" for k, v in data.items() if v is True}
    return form | overrides


def test_the_admin_chooses_offered_and_excluded_categories(client, world):
    login(client, "cholpon")
    data = settings_form(world["municipality"], proposal_categories=["", "roads", "water_supply"],
                         excluded_categories=["", "vehicles"])  # fmt: skip
    assert post(client, "/manage/kumbel/settings", data).status_code == 302
    saved = db.session.scalars(db.select(Municipality).filter_by(slug="kumbel")).one()
    assert (saved.proposal_categories, saved.excluded_categories) == ("water_supply,roads", "vehicles")


@pytest.mark.parametrize("offered, excluded, field, message", [
    (["", "roads", "vehicles"], ["", "vehicles"], "excluded_categories", "cannot also be offered."),
    ([""], [""], "proposal_categories", "Offer at least one category."),
])  # fmt: skip
def test_categories_that_make_no_sense_are_refused(client, world, offered, excluded, field, message):
    login(client, "cholpon")
    data = settings_form(world["municipality"], proposal_categories=offered, excluded_categories=excluded)
    response = post(client, "/manage/kumbel/settings", data)
    assert response.status_code == 422 and message in error_of(response, field)
    saved = db.session.scalars(db.select(Municipality).filter_by(slug="kumbel")).one()
    assert saved.excluded_categories == "" and "roads" in saved.category_list


def test_a_refused_boosted_action_keeps_the_address_of_the_review_page(client, world):
    proposal = propose(world)
    login(client, "aigul")
    response = post(client, url(proposal, "not-admit"), {"not_admit-reason": ""}, headers={"HX-Request": "true"})
    assert response.status_code == 422 and response.headers["HX-Replace-Url"] == url(proposal)
