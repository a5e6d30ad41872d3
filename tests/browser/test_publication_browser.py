"""A whole budget hearing in the browser, from the door to publication, then read on a phone.

The clerk checks people in by typed ticket codes and a walk-in on a tablet, records the consultation with
women held the day before, opens voting, counts a show of hands on a women's group's proposal, logs a
question and its answer, closes voting, names the chair and secretary, and publishes with a justification
for each requirement not met. A citizen then opens the public results on a 360 px phone: the attendance
chart, the table with its small cell hidden, and the requirement checklist. No request of either browser
leaves the machine.
"""

import re
from datetime import timedelta
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.hearings.models import Hearing
from app.organisations.models import Organisation
from app.proposals import service as proposals
from app.proposals.overview import local_today
from app.publication.models import Correction
from app.registration import service as registration
from app.registration.service import PersonDetails
from tests.browser.steps import PHONE, TABLET, in_english, log_in

pytestmark = pytest.mark.browser

LOCAL_HOSTS = {"localhost", "127.0.0.1"}


def record_requests(context, seen):
    """Every URL the context's pages ask for, to prove nothing goes to another host."""
    context.on("request", lambda request: seen.append(request.url))


@pytest.fixture
def hearing_day(make):
    """Kumbel's budget hearing today: a WAG proposal admitted, three women pre-registered, thirteen walk-ins."""
    municipality = make.municipality(settlements=("Kumbel", "Ak-Bulak"))
    clerk = make.user("clerk", municipality, "clerk")
    hearing = make.hearing(municipality, state="announced", days=0)
    wag = Organisation(municipality_id=municipality.id, name="Ak-Bulak women", kind="wag")
    db.session.add(wag)
    db.session.commit()
    proposal = proposals.submit(hearing, {"title": "Water pipe to the school", "category": "water_supply",
                                          "beneficiaries": ["women", "girls"]}, organisation=wag)  # fmt: skip
    proposals.admit(proposal, clerk)
    young, adult = municipality.age_bands[1].id, municipality.age_bands[2].id
    tickets = [registration.register(hearing, PersonDetails(gender="female", age_band_id=adult)).short_code
               for _ in range(3)]  # fmt: skip
    for gender in ("female",) * 6 + ("male",) * 7:
        registration.walk_in(hearing, PersonDetails(gender=gender, age_band_id=young), clerk)
    return {"hearing_id": hearing.id, "code": hearing.public_code, "tickets": tickets, "proposal": proposal.id,
            "adult": adult, "municipality": municipality}  # fmt: skip


def check_in_at_the_door(app, page, server, data):
    """Three typed ticket codes and one walk-in woman at the desk."""
    page.goto(server.url(f"/manage/hearings/{data['hearing_id']}/desk"))
    result = page.locator("#checkin-result")
    for code in data["tickets"]:
        page.fill("#checkin-code", code)
        page.press("#checkin-code", "Enter")
        expect(result).to_have_attribute("data-result", "checked_in")
        expect(result.locator("strong.code")).to_have_text(code)
    walkin = page.locator("#walkin")
    walkin.locator("label.tap", has=page.locator("input[name=gender][value=female]")).click()
    walkin.locator("label.tap", has=page.locator(f"input[name=age_band_id][value='{data['adult']}']")).click()
    walkin.locator("button[type=submit]").click()
    expect(page.locator("#desk-status [data-figure=total]")).to_have_text("17")


def record_consultation(app, page, server, data):
    page.goto(server.url(f"/manage/hearings/{data['hearing_id']}/consultations"))
    yesterday = local_today(data["municipality"]) - timedelta(days=1)
    page.fill("#held_on", yesterday.isoformat())
    page.fill("#place", "Ak-Bulak school")
    page.check("input[name=kind][value=wag_meeting]")
    page.fill(f"input[name=count_female_{data['adult']}]", "12")
    page.fill("#priorities", "Drinking water at the school")
    page.click("#record button[type=submit]")
    expect(page.locator(".flash.success")).to_have_text(in_english(app, "Consultation recorded."))
    expect(page.locator(".consultation")).to_contain_text("Ak-Bulak school")


def vote_by_hands(app, page, server, data):
    page.goto(server.url(f"/manage/hearings/{data['hearing_id']}"))
    page.click("nav.actionbar button:has-text('Open voting')")
    expect(page.locator("#state")).to_have_class("badge state-voting")
    page.goto(server.url(f"/manage/hearings/{data['hearing_id']}/hands"))
    row = page.locator(f"#hands-{data['proposal']}")
    row.locator(f"input[name=h-{data['proposal']}-female-for]").fill("9")
    row.locator(f"input[name=h-{data['proposal']}-male-for]").fill("5")
    row.locator(f"input[name=h-{data['proposal']}-male-against]").fill("2")
    row.locator("button[name=save]").click()
    expect(page.locator("#hands .flash.success")).to_be_visible()


def log_a_question(app, page, server, data):
    page.goto(server.url(f"/manage/hearings/{data['hearing_id']}/questions"))
    form = page.locator("#question-form")
    form.locator("#text").fill("When will the school have water?")
    form.locator("label.tap", has=page.locator("input[name=gender][value=female]")).click()
    form.locator("#answered_by").fill("Head of the aiyl okmotu")
    form.locator("#answer").fill("Works start in May.")
    form.locator("button[type=submit]").click()
    expect(page.locator("#questions")).to_contain_text("When will the school have water?")
    expect(page.locator("#questions")).to_contain_text("Works start in May.")


def close_and_publish(app, page, server, data):
    page.goto(server.url(f"/manage/hearings/{data['hearing_id']}"))
    page.click("nav.actionbar button:has-text('Close voting')")
    expect(page.locator("#state")).to_have_class("badge state-closed")
    page.goto(server.url(f"/manage/hearings/{data['hearing_id']}/minutes/edit"))
    page.fill("#chair", "Aigul Toktogulova")
    page.fill("#secretary", "Nurbek Asanov")
    page.click("main form button[type=submit]")
    page.goto(server.url(f"/manage/hearings/{data['hearing_id']}/publish"))
    expect(page.locator("[data-check=consultation]")).to_contain_text(in_english(app, "met"))
    unmet = page.locator("textarea[name^=justification_]")
    assert unmet.count() >= 1  # the notice: the hearing was announced today
    for index in range(unmet.count()):
        unmet.nth(index).fill("Announced late because the budget draft arrived from the district late.")
    page.click("main form button[type=submit]")
    expect(page.locator("#state")).to_have_class("badge state-published")


def test_a_hearing_from_the_door_to_the_published_results_on_a_phone(app, server, browser, artifacts, hearing_day):
    data, seen = hearing_day, []
    tablet = browser.new_context(viewport=TABLET, locale="en-US")
    phone = browser.new_context(viewport=PHONE, locale="en-US", is_mobile=True, has_touch=True)
    for context in (tablet, phone):
        record_requests(context, seen)
    try:
        page = tablet.new_page()
        log_in(page, server, "clerk")
        check_in_at_the_door(app, page, server, data)
        record_consultation(app, page, server, data)
        vote_by_hands(app, page, server, data)
        log_a_question(app, page, server, data)
        close_and_publish(app, page, server, data)
        page.screenshot(path=artifacts / "publication-1-tablet-published.png", full_page=True)

        citizen = phone.new_page()
        citizen.goto(server.url(f"/h/{data['code']}"))
        expect(citizen.locator("html")).to_have_attribute("lang", "ky")  # a Kyrgyz municipality's page
        citizen.click(".languages button[value=en]")
        expect(citizen.locator("html")).to_have_attribute("lang", "en")
        citizen.click(f"a[href$='/h/{data['code']}/results']")
        expect(citizen).to_have_url(server.url(f"/h/{data['code']}/results"))
        chart = citizen.locator("svg.attendance-chart")
        expect(chart).to_be_visible()
        assert chart.bounding_box()["width"] <= PHONE["width"]
        table = citizen.locator("table.results-table").first
        expect(table.locator("tfoot td strong")).to_have_text("17")
        expect(table.locator("tbody")).to_contain_text("<5")  # the women aged 36-59: four of them
        checklist = citizen.locator("section.checklist")
        expect(checklist.locator("[data-check=share]")).to_contain_text(in_english(app, "met"))
        expect(checklist.locator("[data-check=consultation]")).to_contain_text(in_english(app, "met"))
        expect(checklist.locator("[data-check=notice]")).to_contain_text("Announced late because")
        expect(citizen.locator("body")).to_contain_text("Water pipe to the school")
        seal = citizen.locator("section.seal code.seal-hash")  # the audit log's head at publication, wrapped
        expect(seal).to_be_visible()
        expect(seal).to_have_text(re.compile(r"^\d+:[0-9a-f]{64}$"))
        assert seal.bounding_box()["width"] <= PHONE["width"]
        assert citizen.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        citizen.screenshot(path=artifacts / "publication-2-phone-results.png", full_page=True)

        minutes = citizen.request.get(server.url(f"/h/{data['code']}/minutes.pdf?lang=ky"))
        assert minutes.status == 200 and minutes.body()[:5] == b"%PDF-"
    finally:
        tablet.close()
        phone.close()

    assert seen and {urlparse(url).hostname for url in seen} <= LOCAL_HOSTS, sorted(set(seen))[:5]
    db.session.rollback()
    db.session.expire_all()
    hearing = db.session.scalars(db.select(Hearing).where(Hearing.id == data["hearing_id"])).one()
    assert hearing.state == "published" and hearing.chair == "Aigul Toktogulova"
    assert db.session.scalar(db.select(db.func.count(Correction.id))) == 0
