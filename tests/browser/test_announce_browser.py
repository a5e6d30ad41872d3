"""A clerk announces a hearing on a tablet; residents read it on a phone and scan the poster.

Expected interface text is what the app's own `gettext` returns under `force_locale`, so these
tests follow the catalogs as they are filled in; `test_kyrgyz_interface_uses_the_catalog` checks
that the app really loads them.
"""

import re
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import zxingcpp
from babel.messages.pofile import read_po
from PIL import Image
from playwright.sync_api import expect

from app.hearings.labels import STATE_LABELS
from app.timeutil import utc_to_local, utcnow
from tests.browser.steps import PHONE, TABLET, fill_budget_hearing, has_class, in_locale
from tests.helpers import PASSWORD

pytestmark = pytest.mark.browser

A4 = {"width": 794, "height": 1123}
TITLES = {"ky": "2026-жылдын бюджетинин долбоору боюнча угуу", "ru": "Слушания по проекту бюджета на 2026 год"}
SCHEDULE_CHECKS = ("notice", "time", "languages", "venue")
TRANSLATIONS = Path(__file__).resolve().parents[2] / "translations"


def expect_all_met(page):
    """Every schedule check is listed and met (the dashboard lists the later requirements too)."""
    for check in SCHEDULE_CHECKS:
        expect(page.locator(f"#checklist li[data-check={check}]")).to_have_class(has_class("met"))


def test_clerk_creates_and_announces_a_hearing_in_kyrgyz(app, make, server, browser, artifacts):
    municipality = make.municipality()
    make.user("clerk", municipality, "clerk")
    slug = municipality.slug
    day = utc_to_local(utcnow(), municipality.timezone).date() + timedelta(days=20)

    context = browser.new_context(viewport=TABLET, locale="en-US")
    page = context.new_page()
    try:
        page.goto(server.url("/login"))
        page.fill("#username", "clerk")
        page.fill("#password", PASSWORD)
        page.click("main form button[type=submit]")
        logout = page.locator("header.site button.link")
        expect(logout).to_have_text(in_locale(app, "en", "Log out"))

        page.click("header.site .languages button[value=ky]")
        expect(page.locator("header.site .languages button[value=ky]")).to_have_attribute("aria-current", "true")
        expect(logout).to_have_text(in_locale(app, "ky", "Log out"))

        page.click("header.site nav a[href$='/manage/']")
        page.click(f"main a[href$='/manage/{slug}/hearings']")
        page.click("main a.button.primary[href$='/hearings/new']")
        expect(page.locator("h1")).to_have_text(in_locale(app, "ky", "New hearing"))

        fill_budget_hearing(page, TITLES, day)
        expect_all_met(page)

        # The live checklist: an end after the 17:00 window is flagged by htmx, on the same page.
        page.evaluate("window.sameDocument = true")
        with page.expect_response(lambda r: r.url.endswith(f"/manage/{slug}/hearings/checklist")) as checked:
            page.fill("#end_time", "18:00")
        assert checked.value.status == 200
        assert checked.value.request.headers.get("hx-request") == "true"
        time_check = page.locator("#checklist li[data-check=time]")
        expect(time_check).to_have_class(has_class("not_met"))
        expect(time_check.locator("strong")).to_have_text(in_locale(app, "ky", "not met"))
        assert page.evaluate("window.sameDocument") is True
        page.screenshot(path=artifacts / "1-tablet-form-time-not-met.png", full_page=True)

        page.fill("#end_time", "12:00")
        expect(time_check).to_have_class(has_class("met"))
        expect_all_met(page)
        assert page.evaluate("window.sameDocument") is True

        page.click("#hearing-form button[type=submit].primary")
        expect(page).to_have_url(re.compile(r"/manage/hearings/\d+$"))
        expect(page.locator("html")).to_have_attribute("lang", "ky")
        expect(page.locator("h1")).to_have_text(TITLES["ky"])
        state = page.locator("#state")
        expect(state).to_have_class(has_class("state-draft"))
        expect(state).to_have_text(in_locale(app, "ky", STATE_LABELS["draft"]))
        expect_all_met(page)
        expect(page.locator("#announce textarea")).to_have_count(0)  # nothing to justify
        page.screenshot(path=artifacts / "1-tablet-dashboard-draft.png", full_page=True)

        page.click("#announce button[type=submit]")
        expect(state).to_have_class(has_class("state-announced"))
        expect(state).to_have_text(in_locale(app, "ky", STATE_LABELS["announced"]))
        expect(page.locator(".flash.success")).to_have_text(
            in_locale(app, "ky", "The hearing is announced. Print the poster and share the link.")
        )
        expect(page.locator("#announce")).to_have_count(0)
        expect(page.locator("#share a")).to_have_text(re.compile(r"^http://localhost:\d+/h/[A-Z0-9]+$"))
        page.screenshot(path=artifacts / "1-tablet-dashboard-announced.png", full_page=True)
    finally:
        context.close()


def test_public_page_on_a_phone_defaults_to_kyrgyz_and_switches_to_russian(app, make, server, browser, artifacts):
    hearing = make.hearing(make.municipality(), titles=TITLES)
    url = server.url(f"/h/{hearing.public_code}")
    requests, failed = [], []

    def phone():
        context = browser.new_context(
            viewport=PHONE, locale="en-US", is_mobile=True, has_touch=True, device_scale_factor=2
        )
        context.on("request", lambda request: requests.append(request))
        context.on("requestfailed", lambda request: failed.append(request))
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
        expect(page.locator("html")).to_have_attribute("lang", "ru")
        expect(page.locator("h1")).to_have_text(TITLES["ru"])
        expect(page.locator("dl.facts")).to_contain_text(in_locale(app, "ru", "Step-free access"))
        page.screenshot(path=artifacts / "2-phone-public-ru.png", full_page=True)
        assert_fits(page)
    finally:
        second.close()

    documents = [r for r in requests if r.resource_type == "document"]
    assert documents and all(r.headers.get("accept-language", "").startswith("en-US") for r in documents)
    server_host = urlsplit(server.url()).netloc
    assert [r.url for r in requests if urlsplit(r.url).netloc != server_host] == []
    assert [r.url for r in failed] == []


def test_poster_qr_code_leads_to_the_public_page(make, server, browser, artifacts):
    hearing = make.hearing(make.municipality(), titles=TITLES)
    public_url = server.url(f"/h/{hearing.public_code}")

    context = browser.new_context(viewport=A4, locale="en-US")
    page = context.new_page()
    try:
        page.goto(server.url(f"/h/{hearing.public_code}/poster"))
        expect(page.locator(".poster-column h1")).to_have_text([TITLES["ky"], TITLES["ru"]])
        expect(page.locator(".poster-column").first).to_have_attribute("lang", "ky")
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
        assert page.url == public_url
    finally:
        context.close()


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


def test_kyrgyz_interface_uses_the_catalog(make, server, browser):
    with open(TRANSLATIONS / "ky" / "LC_MESSAGES" / "messages.po", "rb") as po:
        when = read_po(po, locale="ky")["When"].string
    assert when and when != "When"
    hearing = make.hearing(make.municipality(), titles=TITLES)
    context = browser.new_context(viewport=PHONE, locale="en-US")
    try:
        page = context.new_page()
        page.goto(server.url(f"/h/{hearing.public_code}"))
        expect(page.locator("html")).to_have_attribute("lang", "ky")
        assert page.locator("dl.facts dt").first.inner_text() == when
    finally:
        context.close()
