"""A clerk announces a hearing on a tablet; residents read it on a phone and scan the poster."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
import zxingcpp
from flask_babel import force_locale, gettext
from PIL import Image
from playwright.sync_api import expect

from app.hearings.labels import STATE_LABELS
from app.timeutil import utc_to_local, utcnow
from tests.helpers import PASSWORD

pytestmark = pytest.mark.browser

TABLET = {"width": 1024, "height": 768}
PHONE = {"width": 360, "height": 640}
A4 = {"width": 794, "height": 1123}
TITLES = {"ky": "2026-жылдын бюджетинин долбоору боюнча угуу", "ru": "Слушания по проекту бюджета на 2026 год"}


def in_locale(app, locale, message, **variables):
    """`message` as the app translates it into `locale` (English while a catalog lacks it)."""
    with app.test_request_context(), force_locale(locale):
        return str(message) if not isinstance(message, str) else gettext(message, **variables)


def has_class(name):
    return re.compile(rf"(^|\s){re.escape(name)}(\s|$)")


def test_clerk_creates_and_announces_a_hearing_in_kyrgyz(app, make, server, browser, artifacts):
    municipality = make.municipality()
    make.user("clerk", municipality, "clerk")
    day = utc_to_local(utcnow(), municipality.timezone).date() + timedelta(days=20)

    context = browser.new_context(viewport=TABLET, locale="en-US")
    page = context.new_page()
    try:
        page.goto(server.url("/login"))
        page.fill("#username", "clerk")
        page.fill("#password", PASSWORD)
        page.click("main form button[type=submit]")
        expect(page.locator("header.site button.link")).to_have_text(in_locale(app, "en", "Log out"))

        page.click("header.site .languages button[value=ky]")
        expect(page.locator("header.site .languages button[value=ky]")).to_have_attribute(
            "aria-current", "true"
        )
        expect(page.locator("header.site button.link")).to_have_text(in_locale(app, "ky", "Log out"))

        page.click("header.site nav a[href$='/manage/']")
        page.click(f"main a[href$='/manage/{municipality.slug}/hearings']")
        page.click("main a.button.primary[href$='/hearings/new']")
        expect(page.locator("h1")).to_have_text(in_locale(app, "ky", "New hearing"))

        page.select_option("#kind", "budget_draft")
        page.fill("#title_ky", TITLES["ky"])
        page.fill("#title_ru", TITLES["ru"])
        page.fill("#date", day.isoformat())
        page.fill("#start_time", "10:00")
        page.fill("#end_time", "12:00")
        page.fill("#venue", "Айыл өкмөтүнүн чоң залы")
        page.check("input[name=step_free][value=yes]")
        page.check("input[name=childcare][value=yes]")
        checks = page.locator("#checklist li.check")
        expect(checks).to_have_count(4)
        expect(page.locator("#checklist li.check.met")).to_have_count(4)

        # The live checklist: an end after the 17:00 window is flagged without leaving the page.
        page.evaluate("window.sameDocument = true")
        with page.expect_response(lambda r: r.url.endswith("/hearings/checklist")) as checked:
            page.fill("#end_time", "18:00")
        assert checked.value.status == 200
        assert checked.value.request.headers.get("hx-request") == "true"
        time_check = page.locator("#checklist li[data-check=time]")
        expect(time_check).to_have_class(has_class("not_met"))
        assert page.evaluate("window.sameDocument") is True
        page.screenshot(path=artifacts / "1-tablet-form-time-not-met.png", full_page=True)

        page.fill("#end_time", "12:00")
        expect(time_check).to_have_class(has_class("met"))
        expect(page.locator("#checklist li.check.met")).to_have_count(4)
        assert page.evaluate("window.sameDocument") is True

        page.click("#hearing-form button[type=submit].primary")
        expect(page).to_have_url(re.compile(r"/manage/hearings/\d+$"))
        expect(page.locator("h1")).to_have_text(TITLES["ky"])
        expect(page.locator("html")).to_have_attribute("lang", "ky")
        state = page.locator("#state")
        expect(state).to_have_class(has_class("state-draft"))
        expect(state).to_have_text(in_locale(app, "ky", STATE_LABELS["draft"]))
        expect(page.locator("#checklist li.check")).to_have_count(4)
        expect(page.locator("#checklist li.check.met")).to_have_count(4)
        expect(page.locator("#announce textarea")).to_have_count(0)  # nothing to justify
        page.screenshot(path=artifacts / "1-tablet-dashboard-draft.png", full_page=True)

        page.click("#announce button[type=submit]")
        expect(state).to_have_class(has_class("state-announced"))
        expect(state).to_have_text(in_locale(app, "ky", STATE_LABELS["announced"]))
        expect(page.locator(".flash.success")).to_have_text(
            in_locale(app, "ky", "The hearing is announced. Print the poster and share the link.")
        )
        expect(page.locator("#announce")).to_have_count(0)
        expect(page.locator("#share a")).to_have_text(re.compile(r"/h/[A-Z0-9]+$"))
        page.screenshot(path=artifacts / "1-tablet-dashboard-announced.png", full_page=True)
    finally:
        context.close()


def test_public_page_on_a_phone_defaults_to_kyrgyz_and_switches_to_russian(
    app, make, server, browser, artifacts
):
    municipality = make.municipality()
    hearing = make.hearing(municipality, titles=TITLES)
    url = server.url(f"/h/{hearing.public_code}")
    server_host = urlsplit(server.url()).netloc
    requests = []

    def phone():
        context = browser.new_context(
            viewport=PHONE, locale="en-US", is_mobile=True, has_touch=True, device_scale_factor=2
        )
        context.on("request", lambda request: requests.append(request))
        return context

    def assert_fits(page):
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    first = phone()
    try:
        page = first.new_page()
        page.goto(url)
        expect(page.locator("html")).to_have_attribute("lang", "ky")
        expect(page.locator("h1")).to_have_text(TITLES["ky"])
        expect(page.locator(".languages button[value=ky]")).to_have_attribute("aria-current", "true")
        expect(page.locator("dl.facts")).to_contain_text(in_locale(app, "ky", "Step-free access"))
        page.screenshot(path=artifacts / "2-phone-public-ky.png", full_page=True)
        assert_fits(page)
        assert "lang" not in {cookie["name"] for cookie in first.cookies()}
    finally:
        first.close()

    second = phone()
    try:
        page = second.new_page()
        page.goto(url)
        expect(page.locator("html")).to_have_attribute("lang", "ky")
        page.click(".languages button[value=ru]")
        expect(page.locator("h1")).to_have_text(TITLES["ru"])
        expect(page.locator(".languages button[value=ru]")).to_have_attribute("aria-current", "true")
        expect(page).to_have_url(url)
        # The switch is a boosted form: htmx swaps <body> only (see the xfail test below), so
        # <html lang> is checked on the page as the server sends it with the cookie now set.
        page.reload()
        expect(page.locator("html")).to_have_attribute("lang", "ru")
        expect(page.locator("h1")).to_have_text(TITLES["ru"])
        expect(page.locator("dl.facts")).to_contain_text(in_locale(app, "ru", "Step-free access"))
        page.screenshot(path=artifacts / "2-phone-public-ru.png", full_page=True)
        assert_fits(page)
    finally:
        second.close()

    assert requests
    assert all(r.headers.get("accept-language", "").startswith("en-US") for r in requests)
    elsewhere = [r.url for r in requests if urlsplit(r.url).netloc != server_host]
    assert elsewhere == []


def test_poster_qr_code_leads_to_the_public_page(app, make, server, browser, artifacts):
    municipality = make.municipality()
    hearing = make.hearing(municipality, titles=TITLES)
    public_url = server.url(f"/h/{hearing.public_code}")

    context = browser.new_context(viewport=A4, locale="en-US")
    page = context.new_page()
    try:
        page.goto(server.url(f"/h/{hearing.public_code}/poster"))
        expect(page.locator(".poster-url")).to_have_text(public_url)
        expect(page.locator(".poster-qr svg")).to_be_visible()
        shot = artifacts / "3-poster-a4.png"
        page.screenshot(path=shot, full_page=True)

        with Image.open(shot) as image:
            codes = zxingcpp.read_barcodes(image)
        assert [code.text for code in codes] == [public_url]
        assert codes[0].format == zxingcpp.BarcodeFormat.QRCode

        page.goto(codes[0].text)
        expect(page.locator("h1")).to_have_text(TITLES["ky"])
        assert page.url.endswith(f"/h/{hearing.public_code}")
    finally:
        context.close()


@pytest.mark.xfail(strict=True, reason="hx-boost swaps <body> only: <html lang> keeps the old language")
def test_switching_language_relabels_the_whole_page(make, server, browser):
    hearing = make.hearing(make.municipality(), titles=TITLES)
    context = browser.new_context(viewport=PHONE, locale="en-US")
    try:
        page = context.new_page()
        page.goto(server.url(f"/h/{hearing.public_code}"))
        page.click(".languages button[value=ru]")
        expect(page.locator("h1")).to_have_text(TITLES["ru"])
        assert page.evaluate("document.documentElement.lang") == "ru"
    finally:
        context.close()


@pytest.mark.xfail(strict=True, reason="poster.html prints its pre-rendered columns escaped, as HTML source")
def test_poster_shows_both_languages(make, server, browser):
    hearing = make.hearing(make.municipality(), titles=TITLES)
    context = browser.new_context(viewport=A4, locale="en-US")
    try:
        page = context.new_page()
        page.goto(server.url(f"/h/{hearing.public_code}/poster"))
        assert page.locator(".poster-column h1").all_inner_texts() == [TITLES["ky"], TITLES["ru"]]
    finally:
        context.close()
