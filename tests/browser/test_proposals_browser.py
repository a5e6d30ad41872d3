"""A women's action group proposes on a phone through its private tracking link; the clerk reviews and
answers on a tablet; the group's dashboard on the phone then shows the answer.

The group's pages default to the municipality's language (Kyrgyz); the group switches to English with the
header switcher, and the expected interface text is what the app's own `gettext` returns under
`force_locale("en")`, so the test follows the catalogs as they are filled in.
"""

import re

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.notifications.models import OutboxMessage
from app.organisations.models import Organisation
from app.proposals.labels import BENEFICIARIES, CATEGORIES, STATUS_LABELS
from app.proposals.models import Proposal
from tests.browser.steps import PHONE, TABLET, assert_fits_phone, has_class, in_english
from tests.helpers import PASSWORD

pytestmark = pytest.mark.browser

WAG_EMAIL = "ak-bulak.women@example.kg"
TITLE = "Street lights on the road to the school"
DESCRIPTION = "Girls walk home from evening classes in the dark; six lamps along Lenin street."
ANSWER = "The lamps are in the draft budget for 2026; the ayil okmotu will confirm the cost in March."


def test_wag_proposes_on_a_phone_and_reads_the_clerks_answer(app, make, server, browser, artifacts):
    municipality = make.municipality()
    make.user("clerk", municipality, "clerk")
    hearing = make.hearing(municipality, state="announced")
    wag = Organisation(municipality_id=municipality.id, name="Ak-Bulak women", kind="wag", contact_email=WAG_EMAIL)
    db.session.add(wag)
    db.session.commit()
    hearing_id, code, track_url = hearing.id, hearing.public_code, server.url(f"/track/{wag.tracking_token}")
    submitted, admitted = in_english(app, STATUS_LABELS["submitted"]), in_english(app, STATUS_LABELS["admitted"])

    phone = browser.new_context(viewport=PHONE, locale="en-US", is_mobile=True, has_touch=True, device_scale_factor=2)
    tablet = browser.new_context(viewport=TABLET, locale="en-US")
    try:
        # -- the group, on a phone: its dashboard, in English, then the proposal form -----------------------
        wag_page = phone.new_page()
        wag_page.goto(track_url)
        expect(wag_page.locator("html")).to_have_attribute("lang", "ky")  # the municipality's language first
        wag_page.click(".languages button[value=en]")
        expect(wag_page.locator("html")).to_have_attribute("lang", "en")
        expect(wag_page).to_have_url(track_url)
        expect(wag_page.locator("h1")).to_have_text("Ak-Bulak women")
        expect(wag_page.locator(".track-figures dd")).to_have_text(["0", "0", "0"])
        expect(wag_page.locator("main")).to_contain_text(in_english(app, "Your organisation has no proposals yet."))
        assert_fits_phone(wag_page)
        wag_page.screenshot(path=artifacts / "proposal-1-phone-dashboard-empty.png", full_page=True)

        wag_page.click(f".track-propose a.button.primary[href$='/propose/{code}']")
        expect(wag_page).to_have_url(f"{track_url}/propose/{code}")
        expect(wag_page.locator("article.propose > h2")).to_have_text(in_english(app, "Submit a proposal"))
        expect(wag_page.locator("p.on-behalf")).to_contain_text("Ak-Bulak women")
        wag_page.fill("#title", TITLE)
        wag_page.fill("#description", DESCRIPTION)
        form = wag_page.locator("main form")
        form.locator("label.choice", has=wag_page.locator("input[name=category][value=street_lighting]")).click()
        form.locator("label.choice", has=wag_page.locator("input[name=beneficiaries][value=women]")).click()
        form.locator("label.choice", has=wag_page.locator("input[name=beneficiaries][value=girls]")).click()
        expect(form.locator("input[name=category][value=street_lighting]")).to_be_checked()
        expect(form.locator("input[name=beneficiaries]:checked")).to_have_count(2)
        assert_fits_phone(wag_page)
        wag_page.screenshot(path=artifacts / "proposal-2-phone-form-filled.png", full_page=True)

        form.locator("button[type=submit]").click()
        expect(wag_page).to_have_url(track_url)  # back on the dashboard
        expect(wag_page.locator(".flash.success")).to_have_text(
            in_english(app, "Thank you. Your proposal has been received.")
        )
        item = wag_page.locator("li.public-proposal")
        expect(item).to_have_count(1)
        expect(item.locator(".public-proposal-title")).to_have_text(TITLE)
        expect(item.locator(".proposal-status")).to_have_text(submitted)

        item.locator(".public-proposal-title a").click()
        expect(wag_page).to_have_url(re.compile(r"/p/\d+$"))
        expect(wag_page.locator("h1")).to_contain_text(TITLE)
        expect(wag_page.locator(".proposal-flags .proposal-status")).to_have_text(submitted)
        expect(wag_page.locator(".proposal-flags .proposal-status")).to_have_class(has_class("status-submitted"))
        facts = wag_page.locator("dl.proposal-facts")
        expect(facts).to_contain_text(in_english(app, CATEGORIES["street_lighting"]))
        expect(facts).to_contain_text(in_english(app, BENEFICIARIES["women"]))
        expect(facts).to_contain_text("Ak-Bulak women")
        expect(wag_page.locator("section.answer")).not_to_contain_text(ANSWER)
        assert_fits_phone(wag_page)
        wag_page.screenshot(path=artifacts / "proposal-3-phone-public-page-submitted.png", full_page=True)
        proposal_id = int(wag_page.url.rsplit("/", 1)[1])

        # -- the clerk, on a tablet: the hearing's proposals, review, admit, answer -------------------------
        clerk = tablet.new_page()
        clerk.goto(server.url("/login"))
        clerk.fill("#username", "clerk")
        clerk.fill("#password", PASSWORD)
        clerk.click("main button[type=submit]")
        expect(clerk.locator("header.site button.link")).to_have_text(in_english(app, "Log out"))

        clerk.goto(server.url(f"/manage/hearings/{hearing_id}"))
        clerk.click(f"main a.button[href$='/manage/hearings/{hearing_id}/proposals']")
        expect(clerk.locator("h1")).to_have_text(in_english(app, "Proposals"))
        row = clerk.locator("li.proposal-item")
        expect(row).to_have_count(1)
        expect(row.locator(".proposal-title")).to_have_text(f"#{proposal_id} {TITLE}")
        expect(row.locator(".badge.status-submitted")).to_have_text(submitted)
        expect(row.locator(".proposer-type")).to_have_text(in_english(app, "Women's action group"))
        clerk.screenshot(path=artifacts / "proposal-4-tablet-list.png", full_page=True)

        row.locator(f".proposal-links a.button[href$='/manage/proposals/{proposal_id}']").click()
        expect(clerk).to_have_url(re.compile(rf"/manage/proposals/{proposal_id}$"))
        status = clerk.locator("p.proposal-head .badge").first
        expect(status).to_have_text(submitted)

        clerk.locator("#action-admit button[type=submit].primary").click()
        expect(status).to_have_class(has_class("status-admitted"))
        expect(status).to_have_text(admitted)
        expect(clerk.locator(".flash.success")).to_have_text(in_english(app, "Admitted."))
        expect(clerk.locator("#action-admit")).to_have_count(0)  # no second admission

        answer_form = clerk.locator("#action-answer form")
        answer_form.locator("textarea[name=answer-answer]").fill(ANSWER)
        answer_form.locator("button[type=submit]").click()
        expect(clerk.locator(".flash.success")).to_have_text(in_english(app, "Official answer saved."))
        expect(status).to_have_text(admitted)
        expect(clerk.locator(".review-facts dl.facts")).to_contain_text(ANSWER)
        expect(clerk.locator("#action-answer button[type=submit]")).to_have_text(in_english(app, "Correct the answer"))
        timeline = clerk.locator("#timeline li .timeline-head strong")
        expect(timeline).to_have_text([in_english(app, "Official answer"), admitted, submitted])
        expect(clerk).to_have_url(re.compile(rf"/manage/proposals/{proposal_id}$"))
        clerk.screenshot(path=artifacts / "proposal-5-tablet-review-answered.png", full_page=True)

        # -- back on the phone: the dashboard shows the answer ----------------------------------------------
        wag_page.goto(track_url)
        expect(wag_page.locator("html")).to_have_attribute("lang", "en")  # the choice is remembered
        item = wag_page.locator("li.public-proposal")
        expect(item).to_have_count(1)
        expect(item.locator(".public-proposal-title")).to_have_text(TITLE)
        expect(item.locator(".proposal-status")).to_have_text(admitted)
        expect(item.locator(".proposal-status")).to_have_class(has_class("status-admitted"))
        expect(item.locator(".public-proposal-answer")).to_contain_text(in_english(app, "Official answer"))
        expect(item.locator(".public-proposal-answer .description")).to_have_text(ANSWER)
        expect(item.locator(".badge.overdue")).to_have_count(0)
        expect(wag_page.locator(".track-figures dd")).to_have_text(["1", "1", "0"])
        assert_fits_phone(wag_page)
        wag_page.screenshot(path=artifacts / "proposal-6-phone-dashboard-answered.png", full_page=True)
    finally:
        tablet.close()
        phone.close()

    db.session.rollback()
    db.session.expire_all()
    proposal = db.session.get(Proposal, proposal_id)
    assert (proposal.status, proposal.answer, proposal.organisation_id) == ("admitted", ANSWER, wag.id)
    assert proposal.beneficiary_list == ["women", "girls"]
    messages = db.session.scalars(db.select(OutboxMessage).order_by(OutboxMessage.id)).all()
    assert {m.recipient for m in messages} == {WAG_EMAIL}
    assert len(messages) == 3  # submitted, admitted, answered
    assert ANSWER in messages[-1].body
    assert f"/p/{proposal_id}" in messages[-1].body
