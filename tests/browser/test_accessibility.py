"""Every page a citizen, an organisation, a clerk, an administrator and an observer see, checked in the browser.

One world (tests/browser/sweep_world.py: a Kyrgyz aiyl aimak with a hearing in each state, long Kyrgyz and
Uzbek words in its names) serves the whole module. Each page is opened on a 360x640 phone in Kyrgyz and on a
1024x768 tablet in Uzbek, the observer's pages in Russian; then laid out once more at 200 % zoom, the same
page in half the CSS pixels: the citizens' pages at 180 px (the phone) and at 512 px (the tablet), the staff's
pages, made for a tablet, at 512 px. On each page:

- axe-core finds no serious or critical violation (names, labels, landmarks, colour contrast);
- every visible control is a target of at least 44x44 CSS px (the rule is spelled out at PAGE_CHECKS);
- the page never scrolls sideways, no button, label or table cell has text sticking out of it (a wide
  table scrolls inside its own wrapper, which is allowed), and no text is cut off by `overflow: hidden`;
  at 200 % too.

On the forms used most, Tab reaches the submit button and every stop on the way shows a focus ring of at
least 3:1 against what is behind it; a form sent with a bad value marks the field aria-invalid, ties it to
the visible error text with aria-describedby, and says that the form failed in a role=alert message.

Problems are collected and reported together, so that one run shows everything that is wrong.
"""

import pytest
from playwright.sync_api import expect

from app.extensions import db
from tests.browser.a11y import AXE_SOURCE, axe_violations, describe
from tests.browser.sweep_world import USERS, build_sweep_world
from tests.conftest import empty_tables
from tests.helpers import PASSWORD, Factory

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 640}
TABLET = {"width": 1024, "height": 768}
IN_ALL_LANGUAGES = ("/poster", "/summary")  # printed pages in the municipality's languages, whoever reads them

# Targets. A control is too small when its box is under 44 CSS px wide or high; for a checkbox or a radio
# button the box is that of its label, which is what a finger taps. A link inside running text is exempt, as
# in WCAG 2.5.8: it is `display: inline` and its block holds words that are not links, so the line height of
# the sentence sets its size. Links that stand alone (a list of links, a back link, a link in a table cell or
# a menu) are targets like buttons. Hidden and off-screen elements (the skip link until it is focused) are
# not measured.
# Overflow. The page is wider than the layout viewport, or a button, label, summary, badge or table cell is
# narrower than its text, or an element with `overflow: hidden` cuts its text off. (On a phone the browser
# zooms out to show a page that is too wide, so the page is compared with the layout viewport.)
PAGE_CHECKS = """() => {
  const MIN = 44;
  const shown = (el) => {
    const r = el.getBoundingClientRect(), s = getComputedStyle(el);
    return (r.width > 0 || r.height > 0) && r.right > 0 && r.bottom > 0 && s.visibility !== 'hidden';
  };
  const name = (el) => {
    const text = (el.innerText || el.value || el.getAttribute('aria-label') || el.name || '')
      .trim().replace(/\\s+/g, ' ').slice(0, 40);
    const cls = el.classList.length ? '.' + [...el.classList].join('.') : '';
    return `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${cls} "${text}"`;
  };
  const size = (el) => `${name(el)} ${el.scrollWidth}>${el.clientWidth}`;
  const labelOf = (el) => el.closest('label') ||
    (el.id ? document.querySelector(`label[for="${CSS.escape(el.id)}"]`) : null);
  const box = (el) => {
    const r = el.getBoundingClientRect();
    const label = el.matches('input[type=checkbox], input[type=radio]') ? labelOf(el) : null;
    if (!label) return r;
    const l = label.getBoundingClientRect();
    return {width: Math.max(r.right, l.right) - Math.min(r.left, l.left),
            height: Math.max(r.bottom, l.bottom) - Math.min(r.top, l.top)};
  };
  const inRunningText = (el) => {
    if (!el.matches('a') || getComputedStyle(el).display !== 'inline') return false;
    let block = el.parentElement;
    while (block && getComputedStyle(block).display.startsWith('inline')) block = block.parentElement;
    const words = block.cloneNode(true);
    words.querySelectorAll('a, button').forEach((c) => c.remove());
    return /[\\p{L}\\p{N}]{2,}/u.test(words.textContent);
  };
  const small = [];
  for (const el of document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary')) {
    const label = el.matches('input') ? labelOf(el) : null;
    if (!(shown(el) || (label && shown(label))) || inRunningText(el)) continue;
    const r = box(el);
    if (r.width < MIN - 0.5 || r.height < MIN - 0.5) small.push(`${name(el)} ${r.width | 0}x${r.height | 0}`);
  }
  const wide = [];
  for (const el of document.querySelectorAll('button, .button, th, td, summary, .badge, label')) {
    if (!shown(el) || el.closest('.visually-hidden') || getComputedStyle(el).display === 'inline') continue;
    if (el.scrollWidth > el.clientWidth + 1) wide.push(size(el));
  }
  const clipped = [];
  for (const el of document.querySelectorAll('main *, header *')) {
    if (!['hidden', 'clip'].includes(getComputedStyle(el).overflowX) || !shown(el)) continue;
    if (el.closest('.visually-hidden, svg, .camera-frame, .ticket') || !el.innerText.trim()) continue;
    if (el.scrollWidth > el.clientWidth + 1) clipped.push(size(el));
  }
  const html = document.documentElement;
  return {page: html.scrollWidth, width: html.clientWidth, small, wide, clipped};
}"""

# Where the focus is, and whether it shows: the focused element, or what shows its focus for it (the label
# of a hidden .tap input, a :focus-within row) has an outline of at least 2 px or a box-shadow whose colour
# has at least 3:1 contrast against the background behind it (WCAG 2.4.7, 1.4.11).
FOCUS_CHECK = """(submit) => {
  const el = document.activeElement;
  if (!el || el === document.body) return {ok: false, reached: false, what: 'nothing focused'};
  const rgb = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  const background = (node) => {
    for (let n = node; n; n = n.parentElement) {
      const c = rgb(getComputedStyle(n).backgroundColor);
      if (c.length >= 3 && (c.length < 4 || c[3] > 0.5)) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const reached = el.matches(submit);
  const seen = [];
  const shows = [el, el.nextElementSibling, el.closest('label'), el.parentElement, el.parentElement?.parentElement];
  for (const node of shows.filter(Boolean)) {
    const s = getComputedStyle(node);
    const colours = [];
    if (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2) colours.push(rgb(s.outlineColor));
    for (const m of (s.boxShadow || '').matchAll(/rgba?\\([^)]*\\)/g)) colours.push(rgb(m[0]));
    for (const c of colours) {
      const r = ratio(c.slice(0, 3), background(node.parentElement || node));
      seen.push(r.toFixed(2));
      if (r >= 3) return {ok: true, reached};
    }
  }
  const tag = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.name ? `[name=${el.name}]` : '');
  const text = (el.innerText || el.value || '').trim().slice(0, 30);
  return {ok: false, reached, what: `${tag} "${text}" focus rings (contrast) ${seen.join(', ') || 'none'}`};
}"""

# After a failed submission: every aria-invalid field's aria-describedby points at visible text, and
# something with role=alert says so.
ERROR_CHECK = """() => {
  const shown = (n) => n && n.getClientRects().length && n.innerText.trim();
  const invalid = [...document.querySelectorAll('[aria-invalid=true]')];
  const problems = [];
  for (const el of invalid) {
    const ids = (el.getAttribute('aria-describedby') || '').split(/\\s+/).filter(Boolean);
    if (!ids.some((id) => shown(document.getElementById(id)))) {
      problems.push(`${el.tagName.toLowerCase()}[name=${el.name}] is described by "${ids.join(' ')}": no text`);
    }
  }
  const alerts = [...document.querySelectorAll('[role=alert]')].filter(shown).length;
  return {invalid: invalid.map((el) => el.name || el.id), problems, alerts};
}"""


def citizen_pages(w) -> list[str]:
    """What a citizen and an organisation's private link open, from the front page to the results."""
    h, p, t = f"/h/{w.published_code}", f"/h/{w.announced_code}", f"/track/{w.tracking_token}"
    return [
        "/", f"/m/{w.slug}", f"/m/{w.slug}/proposals", p, f"{p}/register", f"{p}/propose", f"{p}/poster",
        f"/t/{w.ticket}", f"/t/{w.voter}", f"/t/{w.voter}/ballot", f"/t/{w.voted}/receipt", f"/h/{w.cancelled_code}",
        f"/h/{w.cancelled_code}/register", h, f"{h}/results", f"/h/{w.ballots_published_code}/results",
        f"{h}/summary", f"{h}/minutes", f"/p/{w.online_proposal}", f"/p/{w.published_proposal}", t,
        f"{t}/propose/{w.announced_code}", "/open-data/schema", "/login", "/h/NOSUCH",
    ]  # fmt: skip


def clerk_pages(w) -> list[str]:
    """What the clerk opens, across the lifecycle of a hearing."""
    d = "/manage/hearings"
    m, s, v = f"/manage/{w.slug}", f"{d}/{w.session}", f"{d}/{w.voting}"
    return [
        "/manage/", f"{m}/hearings", f"{m}/hearings/new", f"{d}/{w.draft}", f"{d}/{w.draft}/edit", f"{d}/{w.announced}",
        s, v, f"{d}/{w.closed}", f"{d}/{w.published}", f"{s}/desk", f"{s}/live", f"{s}/projector", f"{s}/attendance",
        f"{s}/tickets/print", f"{s}/consultations", f"{s}/consultations/{w.consultation}", f"{s}/proposals",
        f"{s}/proposals/new", f"/manage/proposals/{w.wag_proposal}", f"/manage/proposals/{w.published_proposal}",
        f"{m}/proposals/report", f"{s}/questions", f"{s}/minutes", f"{s}/minutes/edit", f"{s}/voting", f"{s}/hands",
        f"{v}/voting", f"{v}/paper", f"{d}/{w.published}/outcome", f"{d}/{w.closed}/publish",
        f"{d}/{w.published}/corrections", f"{d}/{w.published}/minutes", f"{m}/organisations",
        f"{m}/organisations/{w.organisation_id}",
    ]  # fmt: skip


def admin_pages(w) -> list[str]:
    return [f"/manage/{w.slug}/{page}" for page in ("members", "settings", "age-bands", "settlements")]


def observer_pages(w) -> list[str]:
    """The observer reads what the clerk does, without the controls."""
    m, s, d = f"/manage/{w.slug}", f"/manage/hearings/{w.session}", "/manage/hearings"
    return [
        "/manage/", f"{m}/hearings", s, f"{d}/{w.published}", f"{s}/live", f"{s}/proposals",
        f"/manage/proposals/{w.wag_proposal}", f"{s}/voting", f"{s}/hands", f"{d}/{w.published}/outcome",
        f"{s}/consultations", f"{s}/questions", f"{d}/{w.closed}/publish", f"{d}/{w.published}/corrections",
        f"{m}/members", f"{m}/organisations",
    ]  # fmt: skip


@pytest.fixture(autouse=True)
def _empty_tables():
    """The sweep's world lives for the whole module (see `world`), so the tables are not emptied per test."""
    yield


@pytest.fixture(scope="module")
def world(app, server):
    """One world for every test of the module; the tables are emptied after the module's last test."""
    with app.test_request_context():  # the notices of submitted proposals print absolute links
        built = build_sweep_world(Factory())
        db.session.remove()
    yield built
    empty_tables(app)


class Visitor:
    """One person in one browser context (a viewport, a language, logged in or not); collects problems."""

    def __init__(self, browser, server, viewport, locale, username=None, axe=True):
        self.server, self.locale, self.viewport = server, locale, viewport
        self.stylesheets_read = set()  # axe reads a set of stylesheets once per context (see axe_violations)
        mobile = viewport["width"] < 600
        self.context = browser.new_context(viewport=viewport, is_mobile=mobile, has_touch=mobile, locale="en-US")
        self.context.add_cookies([{"name": "lang", "value": locale, "url": server.url("/")}])
        if axe:
            self.context.add_init_script(AXE_SOURCE)  # cheaper than sending it to every page afterwards
        self.page = self.context.new_page()
        self.label = f"{viewport['width']}px {locale}{' ' + username if username else ''}"
        if username:
            self.page.goto(server.url("/login"))
            self.page.fill("#username", username)
            self.page.fill("#password", PASSWORD)
            self.page.click("main form button[type=submit]")
            expect(self.page.locator("header.site button.link")).to_be_visible()

    def open(self, path):
        """Open `path`; the page is in the visitor's language (the printed pages are in all of them)."""
        response = self.page.goto(self.server.url(path))
        if not path.endswith(IN_ALL_LANGUAGES):
            expect(self.page.locator("html")).to_have_attribute("lang", self.locale)
        return response

    def check(self, path, problems, zoom=True):
        """Axe-core, targets and overflow on one page, then (if `zoom`) overflow at 200 %; problems go to `problems`."""
        response = self.open(path)
        where = f"{self.label} {path}"
        if response.status != (404 if "NOSUCH" in path else 200):
            problems.append(f"{where}: HTTP {response.status}")
            return
        problems += self.layout(where, self.page.evaluate(PAGE_CHECKS), targets=True)
        stylesheets = self.page.evaluate("() => [...document.styleSheets].map((s) => s.href || 'inline').join(' ')")
        if violations := axe_violations(self.page, preload=stylesheets not in self.stylesheets_read):
            problems.append(f"{where}: axe-core\n{describe(violations)}")
        self.stylesheets_read.add(stylesheets)
        if not zoom:
            return
        zoomed = {"width": self.viewport["width"] // 2, "height": self.viewport["height"] // 2}
        self.page.set_viewport_size(zoomed)  # 200 %: the same page laid out in half the CSS pixels
        try:
            problems += self.layout(f"{where} at 200 %", self.page.evaluate(PAGE_CHECKS), targets=False)
        finally:
            self.page.set_viewport_size(self.viewport)

    @staticmethod
    def layout(where, found, targets) -> list[str]:
        """The problems in what PAGE_CHECKS found (targets are twice as large at 200 %, so not measured there)."""
        problems = []
        if found["page"] > found["width"]:
            problems.append(f"{where}: the page scrolls sideways ({found['page']} > {found['width']} px)")
        if targets:
            problems += [f"{where}: target under 44x44: {item}" for item in found["small"]]
        problems += [f"{where}: text sticks out of {item}" for item in found["wide"]]
        return problems + [f"{where}: text cut off in {item}" for item in found["clipped"]]

    def close(self):
        self.context.close()


def report(problems):
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)


def sweep(browser, server, viewport, locale, plan) -> list[str]:
    """Every page of `plan` [(username or None, pages, at 200 % too)], each user in a context of their own."""
    problems = []
    for username, pages, zoom in plan:
        visitor = Visitor(browser, server, viewport, locale, username)
        try:
            for path in pages:
                visitor.check(path, problems, zoom)
        finally:
            visitor.close()
    return problems


def everyone(w, staff_zoom):
    """Citizens' pages at 200 % everywhere; the staff's pages, made for a tablet, at 200 % if `staff_zoom`."""
    return [(None, citizen_pages(w), True), (USERS["clerk"], clerk_pages(w), staff_zoom),
            (USERS["admin"], admin_pages(w), staff_zoom)]  # fmt: skip


def test_every_page_on_a_phone_in_kyrgyz(world, browser, server):
    report(sweep(browser, server, PHONE, "ky", everyone(world, staff_zoom=False)))


def test_every_page_on_a_tablet_in_uzbek(world, browser, server):
    report(sweep(browser, server, TABLET, "uz", everyone(world, staff_zoom=True)))


def test_the_observers_pages_in_russian(world, browser, server):
    report(sweep(browser, server, TABLET, "ru", [(USERS["observer"], observer_pages(world), True)]))


def tab_to_submit(page, submit, limit=150) -> list[str]:
    """Tab from the top of the page to `submit`; the stops on the way whose focus cannot be seen."""
    unseen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focus = page.evaluate(FOCUS_CHECK, submit)
        if not focus["ok"]:
            unseen.append(focus["what"])
        if focus["reached"]:
            return unseen
    return [*unseen, f"Tab never reached {submit} in {limit} presses"]


def on_their_screens(browser, server, cases, act) -> list[str]:
    """`act(visitor, *case)` for each case (username, viewport, locale, ...), one context per kind of visitor."""
    problems, visitors = [], {}
    try:
        for username, viewport, locale, *case in cases:
            key = (username, viewport["width"], locale)
            if key not in visitors:
                visitors[key] = Visitor(browser, server, viewport, locale, username, axe=False)
            problems += act(visitors[key], *case)
    finally:
        for visitor in visitors.values():
            visitor.close()
    return problems


def test_key_forms_by_keyboard_with_a_visible_focus(world, browser, server):
    w, clerk, submit = world, USERS["clerk"], "main form button[type=submit]"
    forms = [
        (None, PHONE, "ky", f"/h/{w.announced_code}/register", submit),
        (None, PHONE, "ky", f"/h/{w.announced_code}/propose", submit),
        (None, PHONE, "ky", f"/t/{w.voter}/ballot", "form.ballot button[type=submit]"),
        (None, PHONE, "ky", "/login", submit),
        (clerk, TABLET, "uz", f"/manage/hearings/{w.session}/desk", "#checkin-form button[type=submit]"),
        (clerk, TABLET, "uz", f"/manage/hearings/{w.session}/desk", "#walkin button[type=submit]"),
        (clerk, TABLET, "uz", f"/manage/{w.slug}/hearings/new", "#hearing-form button[type=submit]"),
        (clerk, TABLET, "uz", f"/manage/hearings/{w.session}/hands", "button[name=save][value=all]"),
    ]  # fmt: skip

    def tab_through(visitor, path, button):
        visitor.open(path)
        return [f"{visitor.label} {path}: {what}" for what in tab_to_submit(visitor.page, button)]

    report(on_their_screens(browser, server, forms, tab_through))


def test_a_form_sent_with_a_bad_value_says_which_field_and_why(world, browser, server):
    w, clerk, submit = world, USERS["clerk"], "main form button[type=submit]"
    hearing, session = f"/h/{w.announced_code}", f"/manage/hearings/{w.session}"
    forms = [  # the page, what to fill in, the button
        (None, PHONE, "ky", f"{hearing}/register", {}, submit),
        (None, PHONE, "ky", f"{hearing}/propose", {"#estimated_cost": "-5"}, submit),
        (None, PHONE, "ky", "/login", {"#username": clerk, "#password": "wrong"}, submit),
        (clerk, TABLET, "uz", f"/manage/{w.slug}/hearings/new", {"#venue": "Зал"}, "#hearing-form button[type=submit]"),
        (clerk, TABLET, "uz", f"/manage/{w.slug}/organisations", {}, submit),
        (clerk, TABLET, "uz", f"{session}/tickets/print", {"#count": "0"}, ".tickets-form button[type=submit]"),
        (clerk, TABLET, "uz", f"{session}/hands", {f"input[name=h-{w.wag_proposal}-female-for]": "999"},
         f"button[name=save][value='{w.wag_proposal}']"),
        (clerk, TABLET, "uz", f"{session}/consultations", {"#record tbody tr:nth-child(2) input.count >> nth=0": "-3"},
         "#record button[type=submit]"),
        (USERS["admin"], TABLET, "uz", f"/manage/{w.slug}/age-bands", {"#bands-1-min_age": "90"}, submit),
    ]  # fmt: skip

    def send(visitor, path, values, button):
        page, where = visitor.page, f"{visitor.label} {path}"
        visitor.open(path)
        for selector, value in values.items():
            page.fill(selector, value)
        page.click(button)
        expect(page.locator("[aria-invalid=true]").first).to_be_attached()
        found = page.evaluate(ERROR_CHECK)
        problems = [f"{where}: {problem}" for problem in found["problems"]]
        if not found["alerts"]:
            problems.append(f"{where}: nothing with role=alert says that the form failed ({found['invalid']})")
        return problems

    report(on_their_screens(browser, server, forms, send))
