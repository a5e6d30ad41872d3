"""A clerk checks people in at the door on a tablet: a ticket held up to the camera, a walk-in in
three taps, and the live panel on another device that counts them without reloading.

The camera test starts its own Chromium whose fake camera plays a .y4m file showing the ticket's
QR code (see DESIGN.md, "Browser test recipe"); Chromium on Linux has no `BarcodeDetector`, so it is
the vendored qr-scanner's worker that decodes it.
"""

import re
import time

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.registration import service
from app.registration.models import CheckIn, Participant
from app.registration.service import PersonDetails
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.browser.steps import CAMERA_ARGS, TABLET, in_english, log_in, write_y4m

pytestmark = pytest.mark.browser

POLL_MS = 3500  # the live panel and the desk status poll every 3 s


def open_desk(page, server, hearing_id):
    page.goto(server.url(f"/manage/hearings/{hearing_id}/desk"))
    expect(page.locator("#checkin-result")).to_have_attribute("data-result", "idle")


def expect_checked_in(app, page, code=None, timeout=5000):
    result = page.locator("#checkin-result")
    expect(result).to_have_attribute("data-result", "checked_in", timeout=timeout)
    expect(result.locator(".result-title")).to_contain_text(in_english(app, "Checked in"))
    if code:
        expect(result.locator("strong.code")).to_have_text(code)


def count_check_ins(**where):
    """Check-ins in the database, as the test process reads them after the server's commits."""
    db.session.rollback()
    db.session.expire_all()
    query = db.select(db.func.count(CheckIn.id))
    for column, value in where.items():
        query = query.where(getattr(CheckIn, column) == value)
    return db.session.scalar(query)


def watch_console(page) -> list[str]:
    """Collect the page's console messages and uncaught errors (the CSP reports each refusal there)."""
    messages = []
    page.on("console", lambda message: messages.append(message.text))
    page.on("pageerror", lambda error: messages.append(str(error)))
    return messages


def csp_violations(messages: list[str]) -> list[str]:
    return [text for text in messages if "Content Security Policy" in text]


def test_clerk_scans_a_ticket_with_the_tablet_camera(app, make, server, browser, artifacts, tmp_path):
    municipality = make.municipality()
    make.user("clerk", municipality, "clerk")
    hearing = make.hearing(municipality)
    participant = service.register(hearing, PersonDetails(gender="female"))
    hearing_id, participant_id, code = hearing.id, participant.id, participant.short_code
    ticket_url = server.url(f"/t/{participant.token}")

    video = tmp_path / "ticket.y4m"
    write_y4m(video, ticket_url).save(artifacts / "checkin-1-camera-frame.png")
    args = [*CHROMIUM_ARGS, *CAMERA_ARGS, f"--use-file-for-fake-video-capture={video}"]
    # A second Chromium from the session's Playwright: the fake camera is a launch flag.
    camera_browser = browser.browser_type.launch(executable_path=CHROMIUM, headless=True, args=args)
    try:
        context = camera_browser.new_context(viewport=TABLET, locale="en-US", permissions=["camera"])
        page = context.new_page()
        console = watch_console(page)
        log_in(page, server, "clerk")
        open_desk(page, server, hearing_id)
        expect(page.locator("#desk-status [data-figure=total]")).to_have_text("0")

        posts = []
        page.on("request", lambda r: posts.append(r.url) if r.method == "POST" and "/checkin" in r.url else None)
        toggle = page.locator("#camera-toggle")
        expect(toggle).to_be_visible()
        expect(toggle).to_have_text(in_english(app, "Start camera"))
        with page.expect_response(lambda r: r.url.endswith(f"/manage/hearings/{hearing_id}/checkin")) as posted:
            toggle.click()
            expect(toggle).to_have_text(in_english(app, "Stop camera"))
            expect(page.locator("#camera-video")).to_be_visible()
            expect(page.locator(".camera-frame .scan-region")).to_be_visible()  # placed over the video by qr-scanner
            expect_checked_in(app, page, code, timeout=10_000)
        assert posted.value.status == 200
        expect(page.locator("#desk-status [data-figure=total]")).to_have_text("1")
        expect(page.locator("#recent-list li")).to_have_count(1)
        expect(page.locator("#recent-list li strong.code")).to_have_text(code)
        page.screenshot(path=artifacts / "checkin-1-camera-checked-in.png", full_page=True)

        # The ticket stays in front of the camera (8 scans a second): it is sent once, not again and again.
        page.wait_for_timeout(1000)  # deliberate: nothing should happen in this second
        expect(page.locator("#checkin-result")).to_have_attribute("data-result", "checked_in")
        assert len(posts) == 1
        toggle.click()
        expect(toggle).to_have_text(in_english(app, "Start camera"))
        expect(page.locator(".camera-frame")).to_be_hidden()
        page.goto(ticket_url)  # the participant's ticket: an inline SVG QR code
        expect(page.locator(".my-ticket-qr svg")).to_be_visible()
        assert csp_violations(console) == []
        context.close()
    finally:
        camera_browser.close()

    assert count_check_ins(participant_id=participant_id) == 1
    assert count_check_ins(participant_id=participant_id, method="camera") == 1


def test_walk_in_in_three_taps(app, make, server, browser, artifacts):
    municipality = make.municipality()
    make.user("clerk", municipality, "clerk")
    hearing = make.hearing(municipality)
    hearing_id, band = hearing.id, municipality.age_bands[0]
    band_id, band_label = band.id, band.label

    context = browser.new_context(viewport=TABLET, locale="en-US", has_touch=True)
    try:
        page = context.new_page()
        console = watch_console(page)
        log_in(page, server, "clerk")
        open_desk(page, server, hearing_id)
        total = page.locator("#desk-status [data-figure=total]")
        expect(total).to_have_text("0")
        expect(page.locator("#recent-list li")).to_have_count(0)

        walkin = page.locator("#walkin")
        walkin.locator("label.tap", has=page.locator("input[name=gender][value=female]")).click()
        walkin.locator("label.tap", has=page.locator(f"input[name=age_band_id][value='{band_id}']")).click()
        expect(walkin.locator("input[name=gender][value=female]")).to_be_checked()
        expect(walkin.locator(f"input[name=age_band_id][value='{band_id}']")).to_be_checked()
        page.screenshot(path=artifacts / "checkin-2-walkin-tapped.png", full_page=True)

        walkin.locator("button[type=submit]").click()
        expect_checked_in(app, page)
        result = page.locator("#checkin-result .result-who")
        expect(result).to_contain_text(in_english(app, "Woman"))
        expect(result).to_contain_text(band_label)
        expect(total).to_have_text("1")
        expect(page.locator("#recent-list li")).to_have_count(1)
        expect(walkin.locator("input:checked:not([name=settlement_id])")).to_have_count(0)  # ready for the next
        page.screenshot(path=artifacts / "checkin-2-walkin-checked-in.png", full_page=True)
        assert csp_violations(console) == []  # htmx settles no style attribute (attributesToSettle)
    finally:
        context.close()

    db.session.rollback()
    db.session.expire_all()
    people = db.session.scalars(db.select(Participant).where(Participant.hearing_id == hearing_id)).all()
    assert [(p.source, p.gender, p.age_band_id) for p in people] == [("walk_in", "female", band_id)]
    assert count_check_ins(participant_id=people[0].id, method="walk_in") == 1


def test_live_panel_counts_a_check_in_from_another_tablet(app, make, server, browser, artifacts):
    municipality = make.municipality()
    make.user("clerk", municipality, "clerk")
    make.user("observer", municipality, "observer")
    hearing = make.hearing(municipality)
    participant = service.register(hearing, PersonDetails(gender="male"))
    hearing_id, code = hearing.id, participant.short_code

    watcher = browser.new_context(viewport=TABLET, locale="en-US")
    door = browser.new_context(viewport=TABLET, locale="en-US")
    try:
        live = watcher.new_page()
        log_in(live, server, "observer")
        live.goto(server.url(f"/manage/hearings/{hearing_id}/live"))
        total = live.locator("#live-panel [data-figure=total]")
        expect(total).to_have_text("0")
        expect(live.locator("#by-gender tr[data-row=male] td[data-count]")).to_have_attribute("data-count", "0")
        live.evaluate("window.sameDocument = true")
        live.screenshot(path=artifacts / "checkin-3-live-before.png", full_page=True)

        desk = door.new_page()
        log_in(desk, server, "clerk")
        open_desk(desk, server, hearing_id)
        desk.fill("#checkin-code", code.lower())
        desk.press("#checkin-code", "Enter")
        expect_checked_in(app, desk, code)
        started = time.monotonic()
        desk.screenshot(path=artifacts / "checkin-3-desk-typed-code.png", full_page=True)

        expect(total).to_have_text("1", timeout=POLL_MS)
        waited = time.monotonic() - started
        expect(live.locator("#by-gender tr[data-row=male] td[data-count]")).to_have_attribute("data-count", "1")
        expect(live.locator("#live-panel .badge")).to_have_class(re.compile(r"(^|\s)state-in_session(\s|$)"))
        assert live.evaluate("window.sameDocument") is True  # htmx swapped the panel; the page stayed
        live.screenshot(path=artifacts / "checkin-3-live-after.png", full_page=True)
        assert waited < POLL_MS / 1000
    finally:
        watcher.close()
        door.close()

    assert count_check_ins(hearing_id=hearing_id, method="code") == 1
