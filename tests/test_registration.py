"""Citizens register from the public page and get a ticket; bad input registers nobody."""

import html as html_lib
import re

import pytest
from flask import url_for

from app.extensions import db
from app.hearings.outputs import qr_svg
from app.organisations.models import Organisation
from app.registration.models import CheckIn, Participant
from app.registration.service import new_token
from app.rules.codes import ALPHABET
from tests.helpers import post


@pytest.fixture(autouse=True)
def english(client):
    """Public pages default to the municipality's language; these tests read the English messages."""
    client.set_cookie("lang", "en")


@pytest.fixture
def kumbel(make):
    """Kumbel (KG) with two villages and a women's action group."""
    kumbel = make.municipality(settlements=("Kumbel", "Ak-Bulak"))
    db.session.add(Organisation(municipality_id=kumbel.id, name="Kumbel women's group", kind="wag"))
    db.session.commit()
    return kumbel


@pytest.fixture
def yangiyol(make):
    """Another municipality, whose records Kumbel's form must refuse."""
    yangiyol = make.municipality("UZ", "yangiyol", "Yangiyol", settlements=("Navbahor",))
    db.session.add(Organisation(municipality_id=yangiyol.id, name="Navbahor youth", kind="youth_group"))
    db.session.commit()
    return yangiyol


@pytest.fixture
def hearing(make, kumbel):
    return make.hearing(kumbel, state="announced")


def answers(municipality, **overrides):
    """A complete valid registration; an override of None leaves the field out."""
    data = {
        "gender": "female", "age_band_id": str(municipality.age_bands[1].id), "settlement_id": "",
        "organisation_id": "", "name": "", "phone": "", "consent": "y",
    }  # fmt: skip
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def register(client, hearing, data):
    return post(client, f"/h/{hearing.public_code}/register", data)


def participants():
    return db.session.scalars(db.select(Participant)).all()


def error_of(response, field):
    """The error message rendered next to `field`, or None."""
    match = re.search(rf'id="{field}-error" role="alert">(.*?)</p>', response.get_data(as_text=True), re.S)
    return html_lib.unescape(match.group(1)) if match else None


# -- the happy path -------------------------------------------------------------------------------


def test_registration_issues_a_ticket_with_every_detail(client, hearing, kumbel):
    settlement, organisation = kumbel.settlements[1], db.session.scalar(db.select(Organisation))
    response = register(client, hearing, answers(
        kumbel, settlement_id=str(settlement.id), organisation_id=str(organisation.id), disability="y",
        name="  Aigul Toktogulova ", phone="+996 (555) 123-456",
    ))  # fmt: skip
    assert response.status_code == 303
    participant = db.session.scalar(db.select(Participant))
    assert response.location.endswith(f"/t/{participant.token}")
    assert participant.hearing_id == hearing.id and participant.source == "online"
    assert (participant.gender, participant.age_band_id) == ("female", kumbel.age_bands[1].id)
    assert (participant.settlement_id, participant.organisation_id) == (settlement.id, organisation.id)
    assert participant.disability is True
    assert (participant.name, participant.phone) == ("Aigul Toktogulova", "+996 (555) 123-456")
    assert participant.consent_at is not None and participant.check_in is None


def test_optional_details_may_be_left_out(client, hearing, kumbel):
    response = register(client, hearing, answers(kumbel, gender="undisclosed", disability=None))
    assert response.status_code == 303
    participant = db.session.scalar(db.select(Participant))
    assert participant.gender == "undisclosed"
    assert participant.settlement_id is None and participant.organisation_id is None
    assert participant.disability is False and participant.name is None and participant.phone is None


def test_ticket_token_is_unguessable_and_the_short_code_has_no_look_alikes(client, hearing, kumbel):
    for gender in ("female", "male", "undisclosed") * 10:
        assert register(client, hearing, answers(kumbel, gender=gender)).status_code == 303
    tickets = participants()
    assert len(tickets) == 30
    for participant in tickets:
        assert len(participant.token) >= 22 and re.fullmatch(r"[A-Za-z0-9_-]+", participant.token)
        assert len(participant.short_code) == 6 and set(participant.short_code) <= set(ALPHABET)
    assert len({p.token for p in tickets}) == 30
    assert len({p.short_code for p in tickets}) == 30


def test_in_session_hearing_still_takes_registrations(client, make, kumbel):
    hearing = make.hearing(kumbel, state="in_session")
    assert register(client, hearing, answers(kumbel)).status_code == 303
    assert len(participants()) == 1


def test_other_gender_is_offered_and_accepted_only_when_the_municipality_allows_it(client, hearing, kumbel):
    page = client.get(f"/h/{hearing.public_code}/register").get_data(as_text=True)
    assert 'value="undisclosed"' in page and 'value="other"' not in page
    kumbel.allow_other_gender = True
    db.session.commit()
    page = client.get(f"/h/{hearing.public_code}/register").get_data(as_text=True)
    assert 'value="other"' in page
    assert register(client, hearing, answers(kumbel, gender="other")).status_code == 303
    assert db.session.scalar(db.select(Participant.gender)) == "other"


def test_form_offers_this_municipalitys_bands_villages_and_organisations_only(client, hearing, kumbel, yangiyol):
    page = client.get(f"/h/{hearing.public_code}/register").get_data(as_text=True)
    for band in kumbel.age_bands:
        assert f'value="{band.id}"' in page and band.label in page
    assert "Ak-Bulak" in page and "Kumbel women&#39;s group" in page
    assert "Navbahor" not in page


# -- the ticket page ------------------------------------------------------------------------------


def test_ticket_page_shows_a_qr_code_of_its_own_address_and_the_spaced_code(app, client, hearing, kumbel):
    response = register(client, hearing, answers(kumbel))
    page = client.get(response.location)
    assert page.status_code == 200
    participant = db.session.scalar(db.select(Participant))
    html = page.get_data(as_text=True)
    with app.test_request_context():
        expected_qr = qr_svg(url_for("registration.ticket", token=participant.token, _external=True))
    assert str(expected_qr) in html
    code = participant.short_code
    assert f'<p class="my-ticket-code">{code[:3]} {code[3:]}</p>' in html
    assert "data-print" in html and "works on paper" in html
    assert "Бюджет боюнча угуу" in html and "10:00" in html  # Kyrgyz by default, local time
    assert "You are registered" in html  # the flash after registering
    assert page.headers["Referrer-Policy"] == "no-referrer"


def test_ticket_page_follows_the_chosen_language(client, hearing, kumbel):
    register(client, hearing, answers(kumbel))
    token = db.session.scalar(db.select(Participant.token))
    client.set_cookie("lang", "ru")
    html = client.get(f"/t/{token}").get_data(as_text=True)
    assert '<html lang="ru">' in html and "Слушания по бюджету" in html


def test_ticket_page_says_when_the_participant_is_checked_in(client, hearing, kumbel):
    register(client, hearing, answers(kumbel))
    participant = db.session.scalar(db.select(Participant))
    assert "Not checked in yet" in client.get(f"/t/{participant.token}").get_data(as_text=True)
    db.session.add(CheckIn(hearing_id=hearing.id, participant_id=participant.id))
    db.session.commit()
    assert "Checked in at" in client.get(f"/t/{participant.token}").get_data(as_text=True)


def test_blank_printed_ticket_opened_by_url_asks_to_register_at_the_door(client, hearing):
    blank = Participant(hearing_id=hearing.id, token=new_token(), short_code="K7M2QX", source="sheet")
    db.session.add(blank)
    db.session.commit()
    response = client.get(f"/t/{blank.token}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Bring this ticket to the door to register" in html
    assert "<svg" not in html and "K7M 2QX" in html


def test_unknown_ticket_is_not_found(client, hearing):
    assert client.get(f"/t/{new_token()}").status_code == 404
    assert client.get("/t/short").status_code == 404


# -- bad and hostile input: a message next to the field, and nobody registered ---------------------


BAD_ANSWERS = {
    "missing gender": ("gender", lambda m, other: {"gender": None}, "Prefer not to say"),
    "unknown gender": ("gender", lambda m, other: {"gender": "robot"}, "Choose one of the options."),
    "other gender not allowed": ("gender", lambda m, other: {"gender": "other"}, "Choose one of the options."),
    "missing age band": ("age_band_id", lambda m, other: {"age_band_id": None}, "Choose your age group."),
    "unknown age band": ("age_band_id", lambda m, other: {"age_band_id": "999999"}, "Choose one of the options."),
    "age band not a number": ("age_band_id", lambda m, other: {"age_band_id": "1 OR 1=1"}, "Choose one of"),
    "age band of another municipality": (
        "age_band_id",
        lambda m, other: {"age_band_id": str(other.age_bands[0].id)},
        "Choose one of the options.",
    ),
    "settlement of another municipality": (
        "settlement_id",
        lambda m, other: {"settlement_id": str(other.settlements[0].id)},
        "Choose one of",
    ),
    "settlement not a number": ("settlement_id", lambda m, other: {"settlement_id": "x"}, "Choose one of"),
    "organisation of another municipality": (
        "organisation_id",
        lambda m, other: {
            "organisation_id": str(db.session.scalar(db.select(Organisation.id).filter_by(municipality_id=other.id)))
        },
        "Choose one of the options.",
    ),  # fmt: skip
    "missing consent": ("consent", lambda m, other: {"consent": None}, "Tick the box to register"),
    "overlong name": ("name", lambda m, other: {"name": "A" * 121}, "120 characters"),
    "phone with letters": ("phone", lambda m, other: {"phone": "call me maybe"}, "5 to 20 digits"),
    "phone too short": ("phone", lambda m, other: {"phone": "12-34"}, "5 to 20 digits"),
    "phone too long": ("phone", lambda m, other: {"phone": "+996 555 123 456 789 012 345"}, "5 to 20 digits"),
    "phone with markup": ("phone", lambda m, other: {"phone": "555 <b>123</b>"}, "5 to 20 digits"),
    "phone of other digits": ("phone", lambda m, other: {"phone": "٠٥٥٥١٢٣٤٥٦"}, "5 to 20 digits"),
}


@pytest.mark.parametrize("case", BAD_ANSWERS)
def test_bad_answer_is_refused_next_to_its_field(client, hearing, kumbel, yangiyol, case):
    field, override, message = BAD_ANSWERS[case]
    response = register(client, hearing, answers(kumbel, **override(kumbel, yangiyol)))
    assert response.status_code == 422
    assert message in (error_of(response, field) or ""), response.get_data(as_text=True)
    assert participants() == []


def test_a_refused_form_keeps_what_was_typed(client, hearing, kumbel):
    response = register(client, hearing, answers(kumbel, name="Aigul", consent=None))
    html = response.get_data(as_text=True)
    assert 'value="Aigul"' in html
    assert re.search(r'value="female"[^>]*checked|checked[^>]*value="female"', html)


def test_form_without_csrf_token_is_refused(client, hearing, kumbel):
    response = client.post(f"/h/{hearing.public_code}/register", data=answers(kumbel))
    assert response.status_code == 400
    assert "The form expired" in response.get_data(as_text=True)
    assert participants() == []


def test_replayed_form_with_another_sessions_token_is_refused(app, client, hearing, kumbel):
    data = answers(kumbel, csrf_token=re.search(
        r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', client.get("/").get_data(as_text=True)
    ).group(1))  # fmt: skip
    other = app.test_client()
    assert other.post(f"/h/{hearing.public_code}/register", data=data).status_code == 400
    assert participants() == []


@pytest.mark.parametrize("state", ["cancelled", "postponed"])
def test_closed_hearing_shows_a_friendly_page_and_registers_nobody(client, make, kumbel, state):
    hearing = make.hearing(kumbel, state=state, state_reason="Flooded road")
    page = client.get(f"/h/{hearing.public_code}/register")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Registration is closed" in html and "Flooded road" in html and 'name="gender"' not in html
    response = register(client, hearing, answers(kumbel))
    assert response.status_code == 409 and "Registration is closed" in response.get_data(as_text=True)
    assert participants() == []


def test_draft_hearing_has_no_registration(client, make, kumbel):
    hearing = make.hearing(kumbel, state="draft")
    assert client.get(f"/h/{hearing.public_code}/register").status_code == 404
    assert register(client, hearing, answers(kumbel)).status_code == 404
    assert client.get("/h/NOSUCH/register").status_code == 404
    assert participants() == []


# -- the public page and the consent ---------------------------------------------------------------


def test_public_page_invites_to_register_only_while_registration_is_open(client, make, kumbel):
    announced = make.hearing(kumbel, state="announced")
    cancelled = make.hearing(kumbel, state="cancelled", state_reason="No quorum")
    link = "/register"
    assert f"/h/{announced.public_code}{link}" in client.get(f"/h/{announced.public_code}").get_data(as_text=True)
    assert link not in client.get(f"/h/{cancelled.public_code}").get_data(as_text=True)


def test_consent_text_says_when_names_and_phones_are_erased(client, hearing, kumbel):
    html = client.get(f"/h/{hearing.public_code}/register").get_data(as_text=True)
    assert "erased 90 days after the results are published" in html
    assert "only anonymous counts by gender, age and village or mahalla are kept" in html
    kumbel.personal_data_retention_days = 45
    db.session.commit()
    html = client.get(f"/h/{hearing.public_code}/register").get_data(as_text=True)
    assert "erased 45 days after the results are published" in html


def test_ticket_of_a_hearing_cancelled_later_says_so_first(client, hearing, kumbel):
    register(client, hearing, answers(kumbel))
    token = db.session.scalar(db.select(Participant.token))
    hearing.cancel("Flooded road")
    db.session.commit()
    html = client.get(f"/t/{token}").get_data(as_text=True)
    assert "Flooded road" in html and html.index("Flooded road") < html.index("<svg")
