"""Citizens propose online, read a proposal's public page and timeline, and filter the public list."""

import io
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest

from app.extensions import db
from app.organisations.models import Organisation
from app.proposals import service
from app.proposals.models import Proposal
from app.registration import service as registration
from tests.helpers import post

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(32)


@pytest.fixture(autouse=True)
def english(client):
    """Public pages default to the municipality's language; these tests read the English messages."""
    client.set_cookie("lang", "en")


@pytest.fixture
def world(make):
    """Kumbel (KG) with two villages, a clerk, an announced hearing, a women's group and a CSO."""
    kumbel = make.municipality(settlements=("Kumbel", "Ak-Bulak"))
    kumbel.excluded_categories = "vehicles"
    wag = Organisation(municipality_id=kumbel.id, name="Ak-Bulak women", kind="wag")
    cso = Organisation(municipality_id=kumbel.id, name="Clean Kumbel", kind="cso")
    db.session.add_all([wag, cso])
    db.session.commit()
    return {"municipality": kumbel, "clerk": make.user("aigul", kumbel, "clerk"),
            "hearing": make.hearing(kumbel, state="announced"), "wag": wag, "cso": cso}  # fmt: skip


def answers(**overrides):
    """A complete valid online proposal; an override of None leaves the field out."""
    data = {"title": "Street lights on Lenin street", "description": "It is dark when girls walk home from school.",
            "category": "street_lighting", "settlement_id": "", "beneficiaries": ["women", "girls"],
            "estimated_cost": "120000", "raised_in_consultation": "y", "proposer_email": ""} | overrides  # fmt: skip
    return {key: value for key, value in data.items() if value is not None}


def propose(client, hearing, data, query=""):
    return post(client, f"/h/{hearing.public_code}/propose{query}", data, content_type="multipart/form-data")


def settlement(municipality, name):
    return next(s for s in municipality.settlements if s.name == name)


def count() -> int:
    return db.session.scalar(db.select(db.func.count(Proposal.id)))


def submitted(world, title="Water pipe", **fields):
    data = {"title": title, "category": "water_supply"} | fields
    organisation = data.pop("organisation", None)
    return service.submit(data.pop("hearing", world["hearing"]), data, organisation=organisation)


# -- submitting ------------------------------------------------------------------------------------------
def test_a_citizen_proposes_with_a_photo_and_lands_on_the_proposals_page(client, world):
    ak_bulak = settlement(world["municipality"], "Ak-Bulak")
    response = propose(client, world["hearing"], answers(settlement_id=str(ak_bulak.id),
                       proposer_email="aizada@example.kg", photo=(io.BytesIO(PNG), "street.png")))  # fmt: skip
    proposal = db.session.scalar(db.select(Proposal))
    assert response.status_code == 303 and response.location.endswith(f"/p/{proposal.id}")
    assert (proposal.title, proposal.category, proposal.settlement_id) == (
        "Street lights on Lenin street", "street_lighting", ak_bulak.id)
    assert proposal.beneficiary_list == ["women", "girls"] and proposal.raised_in_consultation
    assert proposal.estimated_cost == Decimal("120000") and proposal.proposer_email == "aizada@example.kg"
    assert proposal.participant_id is None and proposal.organisation_id is None and proposal.source == "online"
    page = client.get(response.location).get_data(as_text=True)
    assert "Your proposal has been received" in page and "Street lights on Lenin street" in page
    assert "aizada@example.kg" not in page  # the address is for updates only
    with client.get(f"/p/{proposal.id}/photo") as photo:
        assert photo.status_code == 200 and photo.mimetype == "image/png" and photo.data == PNG
        assert photo.headers["X-Content-Type-Options"] == "nosniff"
        assert "default-src 'none'" in photo.headers["Content-Security-Policy"]


def test_the_form_offers_the_municipalitys_categories_but_not_the_excluded_ones(client, world):
    html = client.get(f"/h/{world['hearing'].public_code}/propose").get_data(as_text=True)
    assert 'value="water_supply"' in html and 'value="street_lighting"' in html
    assert 'value="vehicles"' not in html
    assert 'enctype="multipart/form-data"' in html


def test_a_ticket_gives_the_proposer_gender_and_age_band(client, world):
    band = world["municipality"].age_bands[1]
    ticket = registration.register(world["hearing"], registration.PersonDetails(gender="female", age_band_id=band.id))
    query = f"?ticket={ticket.token}"
    form = client.get(f"/h/{world['hearing'].public_code}/propose{query}")
    assert form.status_code == 200 and "with your ticket" in form.get_data(as_text=True)
    assert form.headers["Referrer-Policy"] == "no-referrer"  # the ticket token is in the address
    response = propose(client, world["hearing"], answers(), query)
    proposal = db.session.scalar(db.select(Proposal))
    assert response.status_code == 303
    assert (proposal.participant_id, proposal.proposer_gender, proposal.proposer_age_band_id) == (
        ticket.id, "female", band.id)


def test_the_ticket_page_links_to_the_form_with_the_ticket(client, world):
    ticket = registration.register(world["hearing"], registration.PersonDetails(gender="male"))
    html = client.get(f"/t/{ticket.token}").get_data(as_text=True)
    assert f"/h/{world['hearing'].public_code}/propose?ticket={ticket.token}" in html


def test_the_hearing_page_links_to_the_form_and_the_list(client, world):
    html = client.get(f"/h/{world['hearing'].public_code}").get_data(as_text=True)
    assert f"/h/{world['hearing'].public_code}/propose" in html
    assert f"/m/kumbel/proposals?hearing={world['hearing'].id}" in html


@pytest.mark.parametrize("overrides, field_error", [
    ({"title": None}, "This field is required."),
    ({"title": "   "}, "This field is required."),
    ({"title": "x" * 201}, None),
    ({"category": None}, "Choose a category."),
    ({"category": "vehicles"}, "Choose one of the options."),  # excluded by the municipality
    ({"category": "helicopters"}, "Choose one of the options."),
    ({"beneficiaries": ["women", "cats"]}, "Choose one of the options."),
    ({"settlement_id": "99999"}, "Choose one of the options."),
    ({"estimated_cost": "-1"}, "Enter a cost of zero or more."),
    ({"estimated_cost": "NaN"}, "Not a valid decimal value."),
    ({"estimated_cost": "Infinity"}, "Not a valid decimal value."),
    ({"estimated_cost": "lots"}, "Not a valid decimal value."),
    ({"proposer_email": "not-an-address"}, "Invalid email address."),
    ({"photo": (io.BytesIO(b"%PDF-1.7\n%fake"), "street.png")}, "Only PNG and JPEG photos are accepted."),
    ({"photo": (io.BytesIO(b"<html><script>alert(1)</script>"), "street.png")}, "Only PNG and JPEG photos"),
    ({"photo": (io.BytesIO(PNG), "street.html")}, "Only PNG and JPEG photos are accepted."),
])  # fmt: skip
def test_bad_input_is_refused_next_to_the_field_and_creates_nothing(client, world, overrides, field_error):
    response = propose(client, world["hearing"], answers(**overrides))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Please check the answers marked below." in html
    if field_error:
        assert field_error in html
    assert count() == 0


def test_a_ticket_of_another_hearing_is_refused(client, world, make):
    other = make.hearing(world["municipality"], state="announced", days=20)
    ticket = registration.register(other, registration.PersonDetails(gender="female"))
    query = f"?ticket={ticket.token}"
    assert "This ticket is for another hearing." in client.get(
        f"/h/{world['hearing'].public_code}/propose{query}").get_data(as_text=True)
    response = propose(client, world["hearing"], answers(), query)
    assert response.status_code == 422 and "This ticket is for another hearing." in response.get_data(as_text=True)
    assert count() == 0


def test_an_unknown_ticket_is_not_found(client, world):
    assert propose(client, world["hearing"], answers(), "?ticket=" + "x" * 32).status_code == 404
    assert count() == 0


def test_a_cancelled_hearing_takes_no_proposals(client, world, make):
    hearing = make.hearing(world["municipality"], state="cancelled", state_reason="Flooded hall")
    page = client.get(f"/h/{hearing.public_code}/propose")
    assert page.status_code == 200 and "This hearing does not take proposals." in page.get_data(as_text=True)
    assert "Send the proposal" not in page.get_data(as_text=True)
    assert propose(client, hearing, answers()).status_code == 409
    assert "Submit a proposal" not in client.get(f"/h/{hearing.public_code}").get_data(as_text=True)
    assert count() == 0


def test_a_draft_hearing_does_not_exist_for_the_public(client, world, make):
    hearing = make.hearing(world["municipality"], state="draft")
    assert client.get(f"/h/{hearing.public_code}/propose").status_code == 404
    assert propose(client, hearing, answers()).status_code == 404
    assert count() == 0


def test_a_proposal_without_the_csrf_token_is_refused(client, world):
    response = client.post(f"/h/{world['hearing'].public_code}/propose", data=answers())
    assert response.status_code == 400
    assert count() == 0


# -- the public page -------------------------------------------------------------------------------------
def test_the_public_page_shows_the_timeline_the_answer_and_never_the_clerks_name(client, world):
    clerk = world["clerk"]
    proposal = submitted(world, organisation=world["wag"], beneficiaries=["women"])
    service.admit(proposal, clerk)
    service.set_cost(proposal, Decimal("300000"), clerk)
    service.record_answer(proposal, "Admitted; it goes to the vote.", clerk)
    service.decide(proposal, "select", clerk)
    service.include(proposal, "0451 Water supply", clerk)
    service.report_progress(proposal, 40, "Pipes bought", clerk)
    html = client.get(f"/p/{proposal.id}").get_data(as_text=True)
    timeline = html[html.index('class="public-timeline"'):]
    for label in ("Submitted", "Admitted", "Cost set by the municipality", "Official answer", "Selected",
                  "Included in the budget", "Progress update"):  # fmt: skip
        assert label in timeline
    assert timeline.index("Submitted") < timeline.index("Progress update")
    assert "Pipes bought" in timeline and "40 %" in timeline and "Municipality" in timeline
    assert "Aigul" not in html and "aigul" not in html  # clerks act as the municipality
    assert "Admitted; it goes to the vote." in html and "0451 Water supply" in html
    assert 'value="40"' in html  # the progress bar
    assert "Ak-Bulak women" in html and "Answer overdue" not in html


def test_an_unanswered_proposal_past_its_due_day_is_flagged_overdue(client, world):
    proposal = submitted(world)
    html = client.get(f"/p/{proposal.id}").get_data(as_text=True)
    assert "The official answer is due by" in html and "Answer overdue" not in html
    proposal.answer_due = date.today() - timedelta(days=3)
    db.session.commit()
    html = client.get(f"/p/{proposal.id}").get_data(as_text=True)
    assert "Answer overdue" in html
    service.record_answer(proposal, "We will repair it in spring.", world["clerk"])
    html = client.get(f"/p/{proposal.id}").get_data(as_text=True)
    assert "Answer overdue" not in html and "We will repair it in spring." in html


def test_a_refusal_shows_its_reason(client, world):
    proposal = submitted(world)
    service.not_admit(proposal, "Outside the municipality's competence", world["clerk"])
    html = client.get(f"/p/{proposal.id}").get_data(as_text=True)
    assert "Not admitted" in html and html.count("Outside the municipality&#39;s competence") >= 2


def test_a_merged_proposal_points_to_the_one_it_was_merged_into(client, world):
    first, second = submitted(world, "Water pipe"), submitted(world, "Water pipe again")
    service.merge(second, first, world["clerk"])
    html = client.get(f"/p/{second.id}").get_data(as_text=True)
    assert "Merged with another proposal" in html and f'href="/p/{first.id}"' in html
    assert f'href="/p/{second.id}"' in client.get(f"/p/{first.id}").get_data(as_text=True)


def test_proposals_of_a_draft_hearing_are_not_public(client, world, make):
    hearing = make.hearing(world["municipality"], state="announced", days=30)
    proposal = submitted(world, hearing=hearing)
    hearing.state = "draft"  # not a real transition; proves the check, whatever led here
    db.session.commit()
    assert client.get(f"/p/{proposal.id}").status_code == 404
    assert client.get("/p/99999").status_code == 404
    assert "Water pipe" not in client.get("/m/kumbel/proposals").get_data(as_text=True)


def test_a_title_with_markup_is_shown_as_text(client, world):
    proposal = submitted(world, "<script>alert(1)</script>")
    for url in (f"/p/{proposal.id}", "/m/kumbel/proposals"):
        html = client.get(url).get_data(as_text=True)
        assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_a_progress_photo_is_served_only_under_its_own_proposal(client, world):
    clerk = world["clerk"]
    proposal, other = submitted(world), submitted(world, "Other")
    service.admit(proposal, clerk)
    service.decide(proposal, "recommend", clerk)
    service.include(proposal, "0620", clerk)

    class Upload:
        filename, stream = "works.png", io.BytesIO(PNG)

    service.report_progress(proposal, 30, "Trench dug", clerk, photo=Upload())
    event = proposal.events[-1]
    with client.get(f"/p/{proposal.id}/events/{event.id}/photo") as response:
        assert response.status_code == 200 and response.data == PNG
        assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert f"/p/{proposal.id}/events/{event.id}/photo" in client.get(f"/p/{proposal.id}").get_data(as_text=True)
    assert client.get(f"/p/{other.id}/events/{event.id}/photo").status_code == 404
    assert client.get(f"/p/{other.id}/photo").status_code == 404  # no photo sent with it


# -- the public list -------------------------------------------------------------------------------------
@pytest.fixture
def listed(world, make):
    """Five proposals that differ in one respect each, plus one in another hearing."""
    kumbel, clerk = world["municipality"], world["clerk"]
    ak_bulak = settlement(kumbel, "Ak-Bulak")
    proposals = {
        "Wells": submitted(world, "Wells", organisation=world["wag"], beneficiaries=["women", "children"]),
        "Road repair": submitted(world, "Road repair", category="roads", organisation=world["cso"],
                                 beneficiaries=["everyone"]),
        "Lights": submitted(world, "Lights", category="street_lighting", settlement_id=ak_bulak.id,
                            beneficiaries=["girls"]),
        "Bins": submitted(world, "Bins", category="waste_collection", beneficiaries=["elderly"]),
        "School roof": submitted(world, "School roof", category="education",
                                 hearing=make.hearing(kumbel, state="announced", days=40)),
    }  # fmt: skip
    service.admit(proposals["Bins"], clerk)
    return proposals


def listed_titles(client, query="") -> set[str]:
    html = client.get(f"/m/kumbel/proposals{query}").get_data(as_text=True)
    return set(re.findall(r'class="public-proposal-title"><a href="/p/\d+">([^<]+)</a>', html))


ALL_FIVE = {"Wells", "Road repair", "Lights", "Bins", "School roof"}


def test_the_list_shows_every_public_proposal_without_filters(client, listed):
    assert listed_titles(client) == ALL_FIVE


@pytest.mark.parametrize("query, expected", [
    ("status=admitted", {"Bins"}),
    ("status=submitted", ALL_FIVE - {"Bins"}),
    ("category=roads", {"Road repair"}),
    ("beneficiary=women", {"Wells"}),
    ("beneficiary=girls", {"Lights"}),  # "girls" is not found inside another value
    ("proposer=womens_group", {"Wells"}),
    ("proposer=others", ALL_FIVE - {"Wells"}),
    ("status=submitted&category=street_lighting", {"Lights"}),
    ("status=nonsense", ALL_FIVE),  # an unknown value filters nothing and breaks nothing
    ("hearing=abc", ALL_FIVE),
])  # fmt: skip
def test_each_filter_narrows_the_list(client, listed, query, expected):
    assert listed_titles(client, "?" + query) == expected


def test_the_hearing_and_settlement_filters_narrow_the_list(client, world, listed):
    assert listed_titles(client, f"?hearing={world['hearing'].id}") == ALL_FIVE - {"School roof"}
    assert listed_titles(client, f"?hearing={listed['School roof'].hearing_id}") == {"School roof"}
    ak_bulak, kumbel = settlement(world["municipality"], "Ak-Bulak"), settlement(world["municipality"], "Kumbel")
    assert listed_titles(client, f"?settlement={ak_bulak.id}") == {"Lights"}
    assert listed_titles(client, f"?settlement={kumbel.id}") == set()


def test_the_list_flags_overdue_answers(client, listed):
    listed["Lights"].answer_due = date.today() - timedelta(days=1)
    db.session.commit()
    html = client.get("/m/kumbel/proposals").get_data(as_text=True)
    assert html.count("Answer overdue") == 1
    item = html[html.index(">Lights<"):]
    assert item.index("Answer overdue") < item.index("public-proposal-title")


def test_the_filter_form_answers_htmx_with_the_results_alone(client, listed):
    response = client.get("/m/kumbel/proposals?category=roads", headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith('<section id="proposal-results"') and "<html" not in html
    assert "Road repair" in html and "Wells" not in html
    boosted = client.get("/m/kumbel/proposals", headers={"HX-Request": "true", "HX-Boosted": "true"})
    assert "<html" in boosted.get_data(as_text=True)
    assert 'hx-get="/m/kumbel/proposals"' in client.get("/m/kumbel/proposals").get_data(as_text=True)


def test_the_list_is_paginated_by_fifty(client, world):
    for number in range(51):
        submitted(world, f"Proposal {number:02d}")
    first = listed_titles(client)
    second = listed_titles(client, "?page=2")
    assert len(first) == 50 and len(second) == 1 and not first & second
    assert "51 proposals" in client.get("/m/kumbel/proposals").get_data(as_text=True)
    assert 'href="/m/kumbel/proposals?page=2&amp;category=water_supply"' in client.get(
        "/m/kumbel/proposals?category=water_supply").get_data(as_text=True)


def test_an_unknown_municipality_has_no_list(client, world):
    assert client.get("/m/nowhere/proposals").status_code == 404


def test_public_pages_default_to_the_municipality_language(app, world):
    proposal = submitted(world)
    fresh = app.test_client()
    html = fresh.get(f"/p/{proposal.id}").get_data(as_text=True)
    assert '<html lang="ky">' in html
