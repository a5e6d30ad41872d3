"""An organisation follows its proposals through a private link and an Atom feed, and proposes through it."""

import xml.etree.ElementTree as ET
from datetime import date, timedelta

import pytest

from app.extensions import db
from app.organisations.models import Organisation
from app.proposals import service
from app.proposals.models import Proposal
from app.timeutil import utcnow
from tests.helpers import post

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(autouse=True)
def english(client):
    """Tracking pages default to the municipality's language; these tests read the English messages."""
    client.set_cookie("lang", "en")


@pytest.fixture
def world(make):
    """Kumbel with a clerk, an announced hearing, a women's group and a CSO, each with proposals."""
    kumbel = make.municipality()
    wag = Organisation(municipality_id=kumbel.id, name="Ak-Bulak women", kind="wag")
    cso = Organisation(municipality_id=kumbel.id, name="Clean Kumbel", kind="cso")
    db.session.add_all([wag, cso])
    db.session.commit()
    return {"municipality": kumbel, "clerk": make.user("aigul", kumbel, "clerk"),
            "hearing": make.hearing(kumbel, state="announced"), "wag": wag, "cso": cso}  # fmt: skip


def proposal(world, title, organisation, hearing=None):
    return service.submit(hearing or world["hearing"], {"title": title, "category": "water_supply"},
                          organisation=organisation)  # fmt: skip


def test_the_tracking_page_shows_its_organisation_and_only_its_proposals(client, world, make):
    last_year = make.hearing(world["municipality"], state="announced", days=200)
    proposal(world, "Wells for Ak-Bulak", world["wag"])
    proposal(world, "Kindergarten heating", world["wag"], hearing=last_year)
    proposal(world, "Bins on the market square", world["cso"])
    proposal(world, "A citizen's bench", None)
    response = client.get(f"/track/{world['wag'].tracking_token}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Ak-Bulak women" in html and "Wells for Ak-Bulak" in html and "Kindergarten heating" in html
    assert "Bins on the market square" not in html and "Clean Kumbel" not in html and "bench" not in html
    assert '<meta name="robots" content="noindex">' in html
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert f"/track/{world['wag'].tracking_token}/feed.atom" in html
    other = client.get(f"/track/{world['cso'].tracking_token}").get_data(as_text=True)
    assert "Bins on the market square" in other and "Wells for Ak-Bulak" not in other


def test_the_dashboard_shows_answers_progress_and_overdue_flags(client, world):
    clerk = world["clerk"]
    answered, late = proposal(world, "Wells", world["wag"]), proposal(world, "Lights", world["wag"])
    service.admit(answered, clerk)
    service.record_answer(answered, "Included in the draft budget.", clerk)
    service.decide(answered, "select", clerk)
    service.include(answered, "0451 Water", clerk)
    service.report_progress(answered, 60, "Half done", clerk)
    late.answer_due = date.today() - timedelta(days=2)
    db.session.commit()
    html = client.get(f"/track/{world['wag'].tracking_token}").get_data(as_text=True)
    assert "Included in the draft budget." in html and "0451 Water" in html and 'value="60"' in html
    assert html.count('class="badge overdue"') == 1
    wells = html[html.index(">Wells<"):html.index(">Lights<")]
    assert "overdue" not in wells


def test_an_unknown_token_is_not_found(client, world):
    assert client.get("/track/" + "x" * 32).status_code == 404
    assert client.get("/track/" + "x" * 32 + "/feed.atom").status_code == 404


def test_rotating_the_token_revokes_the_old_link_and_feed(client, world):
    wag = world["wag"]
    proposal(world, "Wells", wag)
    old = wag.tracking_token
    assert client.get(f"/track/{old}").status_code == 200
    assert client.get(f"/track/{old}/feed.atom").status_code == 200
    wag.rotate_token(utcnow())
    db.session.commit()
    new = wag.tracking_token
    assert new != old
    for url in (f"/track/{old}", f"/track/{old}/feed.atom", f"/track/{old}/propose/{world['hearing'].public_code}"):
        assert client.get(url).status_code == 404, url
    assert "Wells" in client.get(f"/track/{new}").get_data(as_text=True)
    assert client.get(f"/track/{new}/feed.atom").status_code == 200


def test_the_feed_is_atom_with_one_entry_per_change_newest_first(client, world):
    clerk = world["clerk"]
    wells = proposal(world, "Wells", world["wag"])
    proposal(world, "Bins", world["cso"])
    xss = proposal(world, "<script>alert('x')</script> & more", world["wag"])
    service.admit(wells, clerk)
    service.record_answer(wells, "Admitted <b>for the vote</b>.", clerk)
    response = client.get(f"/track/{world['wag'].tracking_token}/feed.atom")
    assert response.status_code == 200 and response.mimetype == "application/atom+xml"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert b"<script>" not in response.data and b"<b>" not in response.data
    feed = ET.fromstring(response.data)
    assert feed.tag == f"{ATOM}feed"
    assert feed.findtext(f"{ATOM}title") == "Proposals of Ak-Bulak women"
    assert feed.findtext(f"{ATOM}id").startswith("tag:") and feed.findtext(f"{ATOM}updated").endswith("Z")
    entries = feed.findall(f"{ATOM}entry")
    titles = [entry.findtext(f"{ATOM}title") for entry in entries]
    assert titles == ["Wells — Official answer", "Wells — Admitted",
                      "<script>alert('x')</script> & more — Submitted", "Wells — Submitted"]  # fmt: skip
    ids = [entry.findtext(f"{ATOM}id") for entry in entries]
    assert len(set(ids)) == 4 and all(i.startswith("tag:localhost,") for i in ids)
    updated = [entry.findtext(f"{ATOM}updated") for entry in entries]
    assert updated == sorted(updated, reverse=True) and all(u.endswith("Z") for u in updated)
    assert entries[0].find(f"{ATOM}link").get("href") == f"http://localhost/p/{wells.id}"
    assert "Admitted <b>for the vote</b>." in entries[0].findtext(f"{ATOM}summary")
    assert entries[2].find(f"{ATOM}link").get("href").endswith(f"/p/{xss.id}")


def test_the_feed_of_an_organisation_without_proposals_is_valid_and_empty(client, world):
    feed = ET.fromstring(client.get(f"/track/{world['cso'].tracking_token}/feed.atom").data)
    assert feed.tag == f"{ATOM}feed" and feed.findall(f"{ATOM}entry") == []


def test_the_organisation_proposes_to_an_open_hearing_through_its_link(client, world, make):
    token, hearing = world["wag"].tracking_token, world["hearing"]
    cancelled = make.hearing(world["municipality"], state="cancelled", state_reason="Flooded hall")
    html = client.get(f"/track/{token}").get_data(as_text=True)
    assert f"/track/{token}/propose/{hearing.public_code}" in html
    assert cancelled.public_code not in html
    form = client.get(f"/track/{token}/propose/{hearing.public_code}")
    assert "on behalf of Ak-Bulak women" in form.get_data(as_text=True)
    assert form.headers["Referrer-Policy"] == "no-referrer"
    response = post(client, f"/track/{token}/propose/{hearing.public_code}",
                    {"title": "Water tower", "category": "water_supply", "beneficiaries": ["women"]})  # fmt: skip
    assert response.status_code == 303 and response.location.endswith(f"/track/{token}")
    created = db.session.scalar(db.select(Proposal))
    assert (created.title, created.organisation_id, created.participant_id) == ("Water tower", world["wag"].id, None)
    assert "Water tower" in client.get(f"/track/{token}").get_data(as_text=True)
    assert post(client, f"/track/{token}/propose/{cancelled.public_code}",
                {"title": "Late", "category": "roads"}).status_code == 409  # fmt: skip
    assert db.session.scalar(db.select(db.func.count(Proposal.id))) == 1


def test_an_organisation_cannot_propose_to_another_municipalitys_hearing(client, world, make):
    yangiyol = make.municipality("UZ", "yangiyol", "Yangiyol", settlements=("Navbahor",))
    elsewhere = make.hearing(yangiyol, titles={"uz": "Tashabbusli budjet"})
    url = f"/track/{world['wag'].tracking_token}/propose/{elsewhere.public_code}"
    assert client.get(url).status_code == 404
    assert post(client, url, {"title": "Water tower", "category": "water_supply"}).status_code == 404
    assert db.session.scalar(db.select(db.func.count(Proposal.id))) == 0
