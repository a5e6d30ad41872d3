"""The check-in desk: scans, typed codes, walk-ins, undo, blank tickets, live figures and attendance sheets."""

import csv
import io
import re
from types import SimpleNamespace

import pytest

from app.audit.models import AuditEvent
from app.extensions import db
from app.hearings.outputs import absolute_url
from app.registration import service
from app.registration.models import CheckIn, Participant
from app.registration.service import PersonDetails
from app.timeutil import utc_to_local
from tests.helpers import csrf_token, login, post

HX = {"HX-Request": "true"}


@pytest.fixture
def desk(client, make):
    """Kumbel with two villages, an announced hearing, and its clerk logged in."""
    kumbel = make.municipality(settlements=("Kumbel", "Ak-Bulak"))
    clerk = make.user("aigul", kumbel, "clerk")
    hearing = make.hearing(kumbel, state="announced")
    login(client, "aigul")
    return SimpleNamespace(municipality=kumbel, hearing=hearing, clerk=clerk, url=f"/manage/hearings/{hearing.id}")


def register(hearing, gender="female", band=1, settlement=0, name=None, phone=None):
    """A pre-registered participant of `hearing`, as the public form would create one."""
    municipality = hearing.municipality
    details = PersonDetails(
        gender=gender, age_band_id=municipality.age_bands[band].id,
        settlement_id=municipality.settlements[settlement].id if settlement is not None else None,
        name=name, phone=phone,
    )  # fmt: skip
    return service.register(hearing, details)


def count(model, **where):
    return db.session.scalar(db.select(db.func.count()).select_from(model).filter_by(**where))


def scan(client, desk, code, headers=HX, **extra):
    return post(client, f"{desk.url}/checkin", {"code": code, "method": "", **extra}, headers=headers)


def result_kind(response):
    return re.search(r'data-result="(\w+)"', response.get_data(as_text=True)).group(1)


def figure(html, name):
    return int(re.search(rf'data-figure="{name}">(\d+)', html).group(1))


# -- one check-in, three ways in --------------------------------------------------------------------


def test_scanned_ticket_link_checks_the_participant_in(client, desk):
    person = register(desk.hearing)
    response = scan(client, desk, f"http://hall.local/t/{person.token}")
    assert response.status_code == 200
    assert result_kind(response) == "checked_in"
    entry = db.session.scalars(db.select(CheckIn)).one()
    assert (entry.participant_id, entry.method, entry.by_user_id) == (person.id, "scanner", desk.clerk.id)
    html = response.get_data(as_text=True)
    assert "Woman · 18-35 · Ak-Bulak" in html and person.short_code in html
    assert re.search(rf'<ol hx-swap-oob="afterbegin:#recent-list">\s*<li id="checkin-{entry.id}"', html)  # on top
    assert 'id="desk-status"' in html and 'data-figure="total">1<' in html


def test_bare_token_checks_in(client, desk):
    person = register(desk.hearing)
    assert result_kind(scan(client, desk, person.token)) == "checked_in"
    assert db.session.scalar(db.select(CheckIn.method)) == "scanner"


def test_typed_short_code_in_lower_case_with_spaces_checks_in(client, desk):
    person = register(desk.hearing)
    typed = f" {person.short_code[:3].lower()} {person.short_code[3:].lower()} "
    assert result_kind(scan(client, desk, typed)) == "checked_in"
    assert db.session.scalar(db.select(CheckIn.method)) == "code"


def test_camera_scans_are_recorded_as_camera(client, desk):
    person = register(desk.hearing)
    scan(client, desk, f"http://hall.local/t/{person.token}", method="camera")
    assert db.session.scalar(db.select(CheckIn.method)) == "camera"


def test_without_htmx_the_whole_desk_page_comes_back(client, desk):
    person = register(desk.hearing)
    response = scan(client, desk, person.short_code, headers={})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" in html and 'id="walkin"' in html
    assert 'data-result="checked_in"' in html


def test_second_scan_says_when_and_by_whom_and_creates_nothing(client, desk):
    person = register(desk.hearing)
    scan(client, desk, person.token)
    response = scan(client, desk, person.short_code)
    assert response.status_code == 200 and result_kind(response) == "already"
    entry = db.session.scalars(db.select(CheckIn)).one()
    at = utc_to_local(entry.at, "Asia/Bishkek").strftime("%H:%M")
    assert f"At {at} by Aigul." in response.get_data(as_text=True)
    assert count(CheckIn) == 1
    assert count(AuditEvent, action="checkin.repeat") == 1


# -- refusals ----------------------------------------------------------------------------------------


def test_ticket_of_another_hearing_is_refused(client, desk, make):
    other = make.hearing(desk.municipality, state="announced", days=20)
    stranger = register(other)
    response = scan(client, desk, f"http://hall.local/t/{stranger.token}")
    assert response.status_code == 422 and result_kind(response) == "error"
    assert "This ticket is for another hearing." in response.get_data(as_text=True)
    assert count(CheckIn) == 0


@pytest.mark.parametrize(
    "code, message",
    [
        ("KMNPQR", "No ticket with this code."),
        ("x" * 40, "No ticket with this code."),
        ("K7", "A code has 6 letters and digits"),
        ("K7M2Q0", "A code has 6 letters and digits"),  # 0 is not in the alphabet
        ("", "A code has 6 letters and digits"),
        ("<script>alert(1)</script>", "No ticket with this code."),
    ],
)
def test_unknown_and_malformed_codes_are_refused_with_a_message(client, desk, code, message):
    register(desk.hearing)
    response = scan(client, desk, code)
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and result_kind(response) == "error"
    assert message in html and "<script>alert" not in html
    assert count(CheckIn) == 0


def test_check_in_on_a_cancelled_hearing_is_refused(client, desk):
    person = register(desk.hearing)
    desk.hearing.cancel("The hall is flooded")
    db.session.commit()
    response = scan(client, desk, person.token)
    assert response.status_code == 409 and result_kind(response) == "error"
    assert "Check-in is not open for this hearing." in response.get_data(as_text=True)
    walk = post(client, f"{desk.url}/walkin", {"gender": "male", "age_band_id": desk.municipality.age_bands[0].id},
                headers=HX)  # fmt: skip
    assert walk.status_code == 409
    assert count(CheckIn) == 0 and count(Participant) == 1
    assert db.session.get(type(desk.hearing), desk.hearing.id).state == "cancelled"


def test_form_replayed_without_its_csrf_token_is_refused(client, desk):
    person = register(desk.hearing)
    response = client.post(f"{desk.url}/checkin", data={"code": person.token}, headers=HX)
    assert response.status_code == 400
    gender = {"gender": "female", "age_band_id": desk.municipality.age_bands[0].id}
    assert client.post(f"{desk.url}/walkin", data=gender).status_code == 400
    assert count(CheckIn) == 0 and count(Participant) == 1


# -- the session opens --------------------------------------------------------------------------------


def test_first_check_in_opens_the_session(client, desk):
    person = register(desk.hearing)
    scan(client, desk, person.token)
    hearing = db.session.get(type(desk.hearing), desk.hearing.id)
    assert hearing.state == "in_session" and hearing.opened_at is not None
    assert count(AuditEvent, action="hearing.open") == 1
    scan(client, desk, register(desk.hearing).token)
    assert count(AuditEvent, action="hearing.open") == 1


def test_clerk_opens_the_session_explicitly_once(client, desk):
    response = post(client, f"{desk.url}/open", {"back": "desk"})
    assert response.status_code == 302 and response.location.endswith(f"{desk.url}/desk")
    hearing = db.session.get(type(desk.hearing), desk.hearing.id)
    assert hearing.state == "in_session"
    event = db.session.scalars(db.select(AuditEvent).filter_by(action="hearing.open")).one()
    assert event.before["state"] == "announced" and event.after["state"] == "in_session"
    again = post(client, f"{desk.url}/open", follow_redirects=True)
    assert "Only an announced hearing can be opened." in again.get_data(as_text=True)
    assert count(AuditEvent, action="hearing.open") == 1


def test_dashboard_offers_the_desk_and_the_open_button(client, desk):
    html = client.get(desk.url).get_data(as_text=True)
    for path in ("/desk", "/live", "/projector", "/attendance", "/tickets/print", "/open"):
        assert f"{desk.url}{path}" in html, path


# -- walk-ins ----------------------------------------------------------------------------------------


def test_walk_in_registers_and_checks_in_in_one_request(client, desk):
    band = desk.municipality.age_bands[2]
    village = desk.municipality.settlements[1]
    data = {"gender": "female", "age_band_id": band.id, "settlement_id": village.id}
    response = post(client, f"{desk.url}/walkin", data, headers=HX)
    assert response.status_code == 200 and result_kind(response) == "checked_in"
    person = db.session.scalars(db.select(Participant)).one()
    assert (person.source, person.gender, person.age_band_id, person.settlement_id) == (
        "walk_in", "female", band.id, village.id)
    assert db.session.scalars(db.select(CheckIn)).one().method == "walk_in"
    html = response.get_data(as_text=True)
    fresh = html.split('<form id="walkin"')[1]
    assert 'hx-swap-oob="true"' in fresh and not re.search(r'checked id="(gender|age_band_id)-', fresh)


def test_walk_in_with_only_gender_and_declined_age_is_enough(client, desk):
    response = post(client, f"{desk.url}/walkin", {"gender": "undisclosed", "age_band_id": "0"}, headers=HX)
    assert response.status_code == 200
    person = db.session.scalars(db.select(Participant)).one()
    assert (person.gender, person.age_band_id, person.settlement_id) == ("undisclosed", None, None)


@pytest.mark.parametrize(
    "overrides",
    [
        {"gender": "robot"},
        {"gender": "other"},  # not offered unless the municipality allows it
        {"gender": None},
        {"age_band_id": None},
        {"age_band_id": "abc"},
        {"age_band_id": "foreign"},
        {"settlement_id": "foreign"},
        {"settlement_id": "99999"},
    ],
)
def test_walk_in_with_hostile_input_creates_nothing(client, desk, make, overrides):
    yangiyol = make.municipality("UZ", "yangiyol", "Yangiyol", settlements=("Navbahor",))
    foreign = {"age_band_id": yangiyol.age_bands[0].id, "settlement_id": yangiyol.settlements[0].id}
    data = {"gender": "female", "age_band_id": desk.municipality.age_bands[0].id, "settlement_id": "0"}
    for key, value in overrides.items():
        data[key] = foreign[key] if value == "foreign" else value
    data = {key: value for key, value in data.items() if value is not None}
    response = post(client, f"{desk.url}/walkin", data, headers=HX)
    assert response.status_code == 422
    assert result_kind(response) == "error"
    assert count(Participant) == 0 and count(CheckIn) == 0


def test_other_gender_is_accepted_where_the_municipality_allows_it(client, desk):
    desk.municipality.allow_other_gender = True
    db.session.commit()
    data = {"gender": "other", "age_band_id": desk.municipality.age_bands[0].id}
    assert post(client, f"{desk.url}/walkin", data, headers=HX).status_code == 200
    assert db.session.scalar(db.select(Participant.gender)) == "other"


# -- undo -------------------------------------------------------------------------------------------


def test_undo_needs_a_reason_and_goes_to_the_audit_log(client, desk):
    person = register(desk.hearing)
    scan(client, desk, person.token)
    entry_id = db.session.scalar(db.select(CheckIn.id))
    undo = f"{desk.url}/checkins/{entry_id}/undo"
    refused = post(client, undo, {"reason": "   "}, headers=HX)
    assert refused.status_code == 422 and "Give a reason." in refused.get_data(as_text=True)
    assert count(CheckIn) == 1 and count(AuditEvent, action="checkin.undo") == 0
    response = post(client, undo, {"reason": "Scanned the wrong ticket"}, headers=HX)
    assert response.status_code == 200 and result_kind(response) == "undone"
    assert count(CheckIn) == 0
    redrawn = response.get_data(as_text=True)
    assert 'id="recent-checkins" class="recent" hx-swap-oob="true"' in redrawn and f"checkin-{entry_id}" not in redrawn
    event = db.session.scalars(db.select(AuditEvent).filter_by(action="checkin.undo")).one()
    assert event.after == {"reason": "Scanned the wrong ticket"} and event.user_id == desk.clerk.id
    assert event.before["participant"] == person.id
    assert result_kind(scan(client, desk, person.token)) == "checked_in"  # the person can come in again


def test_undo_of_a_check_in_of_another_hearing_is_not_found(client, desk, make):
    other = make.hearing(desk.municipality, state="announced", days=20)
    entry = service.check_in(other, register(other), desk.clerk).check_in
    response = post(client, f"{desk.url}/checkins/{entry.id}/undo", {"reason": "x"})
    assert response.status_code == 404
    assert count(CheckIn) == 1


# -- blank printed tickets ------------------------------------------------------------------------------


def test_blank_ticket_sheet_is_printed_and_bound_at_the_door(app, client, desk):
    response = post(client, f"{desk.url}/tickets", {"count": "3"})
    assert response.status_code == 302 and "/tickets/print?from=" in response.location
    blanks = db.session.scalars(db.select(Participant).order_by(Participant.id)).all()
    assert len(blanks) == 3 and all(p.is_blank and p.source == "sheet" for p in blanks)
    sheet = client.get(response.location).get_data(as_text=True)
    assert sheet.count('class="ticket"') == 3 and sheet.count("<svg") >= 3
    assert all(p.short_code in sheet for p in blanks)

    with app.test_request_context(base_url="http://hall.local"):
        printed = absolute_url("registration.ticket", token=blanks[0].token)
    assert printed.startswith("http://hall.local/") and printed.endswith("/t/" + blanks[0].token)
    asked = scan(client, desk, printed)
    assert result_kind(asked) == "blank" and 'name="bind-token"' in asked.get_data(as_text=True)
    assert count(CheckIn) == 0

    band = desk.municipality.age_bands[3]
    data = {"bind-token": blanks[0].token, "bind-gender": "male", "bind-age_band_id": band.id,
            "bind-settlement_id": "0", "bind-csrf_token": csrf_token(client)}  # fmt: skip
    bound = client.post(f"{desk.url}/bind", data=data, headers=HX)
    assert bound.status_code == 200 and result_kind(bound) == "checked_in"
    person = db.session.get(Participant, blanks[0].id)
    assert (person.gender, person.age_band_id, person.source) == ("male", band.id, "sheet")
    assert db.session.scalars(db.select(CheckIn)).one().participant_id == person.id
    assert result_kind(scan(client, desk, printed)) == "already"
    remaining = client.get(f"{desk.url}/tickets/print").get_data(as_text=True)
    assert remaining.count('class="ticket"') == 2  # a bound ticket is not printed again


def test_binding_a_blank_ticket_needs_gender_and_age(client, desk):
    post(client, f"{desk.url}/tickets", {"count": "1"})
    blank = db.session.scalars(db.select(Participant)).one()
    data = {"bind-token": blank.token, "bind-csrf_token": csrf_token(client)}
    response = client.post(f"{desk.url}/bind", data=data, headers=HX)
    assert response.status_code == 422 and result_kind(response) == "blank"
    assert count(CheckIn) == 0 and db.session.get(Participant, blank.id).is_blank


@pytest.mark.parametrize("number", ["0", "201", "-5", "many", ""])
def test_ticket_count_must_be_between_1_and_200(client, desk, number):
    response = post(client, f"{desk.url}/tickets", {"count": number})
    assert response.status_code == 422
    assert count(Participant) == 0


# -- live figures --------------------------------------------------------------------------------------


def test_live_panel_counts_match_the_database(client, desk):
    people = [register(desk.hearing, "female", 1), register(desk.hearing, "female", 3, settlement=1),
              register(desk.hearing, "male", 1), register(desk.hearing, "male", 2)]  # fmt: skip
    for person in people[:3]:
        scan(client, desk, person.token)
    html = client.get(f"{desk.url}/live/panel", headers=HX).get_data(as_text=True)
    assert html.lstrip().startswith('<section id="live-panel"') and 'hx-trigger="every 3s"' in html
    assert "<html" not in html
    in_room = db.session.execute(
        db.select(Participant.gender, db.func.count()).join(CheckIn).group_by(Participant.gender)
    ).all()
    assert figure(html, "total") == sum(n for _, n in in_room) == 3
    assert figure(html, "women") == dict(in_room)["female"] == 2
    band = desk.municipality.age_bands[1].id
    assert re.search(rf'data-row="{band}">\s*<th scope="row">18-35</th>\s*<td class="num" data-count="2">', html)
    assert "Women 67% of 3 checked in, target 30%: <strong>met</strong>" in html
    assert "Gender and age recorded for 100% of 3, target 90%" in html


def test_projector_hides_small_groups_and_names(client, desk):
    person = register(desk.hearing, name="Gulnara Osmonova")
    scan(client, desk, person.token)
    page = client.get(f"{desk.url}/projector").get_data(as_text=True)
    assert 'id="projector-panel"' in page and "Gulnara" not in page
    assert "Check in</button>" not in page  # no clerk controls
    panel = client.get(f"{desk.url}/projector/panel").get_data(as_text=True)
    settlements = panel.split('id="projector-settlement"')[1]
    assert "&lt;5" in settlements and 'data-count=""' in settlements
    assert figure(panel, "total") == 1


def test_desk_page_loads_the_vendored_scanner_and_no_inline_script(client, desk):
    html = client.get(f"{desk.url}/desk").get_data(as_text=True)
    assert "/static/vendor/qr-scanner-1.4.2/qr-scanner.umd.min.js" in html and "/static/js/desk.js" in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert 'id="checkin-code"' in html and 'id="walkin"' in html and 'id="checkin-result"' in html


# -- attendance sheets ---------------------------------------------------------------------------------


def test_attendance_csv_has_the_header_and_one_row_per_check_in(client, desk):
    first = register(desk.hearing, name="=HYPERLINK(\"http://evil\")", phone="+996 555 123 456")
    second = register(desk.hearing, "male", 2, settlement=1)
    register(desk.hearing)  # registered but never came
    scan(client, desk, first.token)
    scan(client, desk, second.short_code)
    response = client.get(f"{desk.url}/attendance.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert rows[0] == ["Code", "Name", "Phone", "Gender", "Age", "Village or mahalla", "Organisation",
                       "Disability", "Checked in at", "Checked in by"]  # fmt: skip
    assert len(rows) == 3
    entry = db.session.scalars(db.select(CheckIn).filter_by(participant_id=first.id)).one()
    local = utc_to_local(entry.at, "Asia/Bishkek").strftime("%Y-%m-%d %H:%M")
    assert rows[1] == [first.short_code, "'=HYPERLINK(\"http://evil\")", "+996 555 123 456", "Woman", "18-35",
                       "Ak-Bulak", "", "", local, "Aigul"]  # fmt: skip
    assert rows[2][0] == second.short_code and rows[2][3:6] == ["Man", "36-59", "Kumbel"]


def test_attendance_sheet_has_a_signature_column(client, desk):
    person = register(desk.hearing, name="Aida")
    scan(client, desk, person.token)
    html = client.get(f"{desk.url}/attendance").get_data(as_text=True)
    assert "Signature" in html and person.short_code in html and "Aida" in html


# -- who may do what ---------------------------------------------------------------------------------------


def test_observer_sees_the_live_panel_but_cannot_check_in(client, desk, make):
    person = register(desk.hearing)
    make.user("olga", desk.municipality, "observer")
    client.post("/logout", data={"csrf_token": csrf_token(client)})
    login(client, "olga")
    assert client.get(f"{desk.url}/live").status_code == 200
    assert client.get(f"{desk.url}/live/panel").status_code == 200
    assert client.get(f"{desk.url}/projector").status_code == 200
    assert scan(client, desk, person.token).status_code == 403
    assert client.get(f"{desk.url}/desk").status_code == 403
    assert client.get(f"{desk.url}/attendance.csv").status_code == 403
    assert count(CheckIn) == 0


def test_clerk_of_another_municipality_gets_403(client, desk, make):
    person = register(desk.hearing)
    yangiyol = make.municipality("UZ", "yangiyol", "Yangiyol", settlements=("Navbahor",))
    make.user("jasur", yangiyol, "clerk")
    client.post("/logout", data={"csrf_token": csrf_token(client)})
    login(client, "jasur")
    for path in ("/desk", "/live", "/live/panel", "/projector", "/attendance", "/attendance.csv", "/tickets/print"):
        assert client.get(desk.url + path).status_code == 403, path
    assert scan(client, desk, person.token).status_code == 403
    walk = {"gender": "female", "age_band_id": desk.municipality.age_bands[0].id}
    assert post(client, f"{desk.url}/walkin", walk).status_code == 403
    assert post(client, f"{desk.url}/open").status_code == 403
    assert count(CheckIn) == 0 and db.session.get(type(desk.hearing), desk.hearing.id).state == "announced"
