"""The end-to-end walk: one budget hearing from the announcement to the published results, in a real browser.

A clerk of a southern aiyl okmotu (Kyrgyz, Russian and Uzbek spoken) announces a budget hearing on a tablet
in Kyrgyz. Five residents pre-register on phones in Kyrgyz, Russian and Uzbek. On the hearing day a women's
action group proposes online; at the door one ticket is shown to the tablet's camera, four codes are typed
and twenty people walk in; two proposals come from the floor. The five vote on their phones and the hall
votes by a show of hands (the hands decide, the ballots are shown beside them); questions are logged; the
clerk closes and publishes. The public results page, the minutes PDF and the group's tracking page then
show the same figures.

Every step checks what a person sees (in the words the app's own catalogs give, under `force_locale`),
runs axe-core on the page, checks that nothing sticks out sideways and saves a screenshot. Dates move once
through the database: the hearing is announced twenty days ahead (the notice requirement), then the hearing
day arrives. The consultation with women, which the walk does not cover, is recorded by the service.
"""

import io
import subprocess
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import expect
from pypdf import PdfReader

from app.consultations import service as consultations
from app.extensions import db
from app.hearings.labels import STATE_LABELS
from app.hearings.models import Hearing
from app.organisations.service import add_organisation
from app.proposals.labels import STATUS_LABELS
from app.registration.desk_forms import GENDER_GROUPS
from app.timeutil import utc_to_local, utcnow
from tests.browser.a11y import assert_accessible
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.browser.steps import (
    CAMERA_ARGS,
    TABLET,
    fill_budget_hearing,
    has_class,
    in_locale,
    in_locale_n,
    log_in,
    phone_context,
    write_y4m,
)

pytestmark = pytest.mark.browser

NOTICE_DAYS = 20
TITLES = {
    "ky": "2026-жылдын бюджетинин долбоору боюнча угуу",
    "ru": "Слушания по проекту бюджета на 2026 год",
    "uz": "2026-yil budjeti loyihasi boʻyicha tinglov",
}
WAG = "Ак-Булак аялдар кеңеши"
WAG_PROPOSAL = "Мектепке баруучу жолго көчө чырактары"
FLOOR_PROPOSALS = ("Ремонт крыши школы", "Ак-Булакка ичүүчү суу түтүгү")
# Residents who pre-register: the language their phone shows, gender, age band (index), what they vote for.
RESIDENTS = (
    ("ky", "female", 1, (0, 2)),
    ("ru", "male", 2, (1,)),
    ("uz", "female", 2, (0,)),
    ("ky", "female", 3, (0, 2)),
    ("ru", "female", 1, (2,)),
)
# Twenty more at the door, three taps each: gender and age band (None: prefers not to say).
WALK_INS = ([("female", 1)] * 5 + [("male", 1)] * 4 + [("female", 2)] * 3 + [("male", 2)] * 4 + [("male", 3)] * 2
            + [("female", 3)] + [("undisclosed", None)])  # fmt: skip
# The show of hands per proposal (WAG's first, then the floor's): gender -> (for, against, abstain).
HANDS = (
    {"female": (12, 0, 1), "male": (7, 3, 1)},
    {"female": (5, 6, 2), "male": (3, 7, 1)},
    {"female": (11, 1, 1), "male": (9, 1, 1)},
)
PROPOSALS = (WAG_PROPOSAL, *FLOOR_PROPOSALS)
# Checked in, as published: women, men (hidden, or the one who did not say could be worked out), not said, all.
ATTENDANCE = ["13", "×", "<5", "25"]
HAND_TOTALS = [tuple(sum(column) for column in zip(*hands.values(), strict=True)) for hands in HANDS]
BALLOTS = [sum(index in votes for *_, votes in RESIDENTS) for index in range(3)]  # ballots naming each proposal
BALLOT_SPLITS = [{"female": "<5", "male": "0", "undisclosed": "0"}, {"female": "0", "male": "<5", "undisclosed": "0"},
                 {"female": "<5", "male": "0", "undisclosed": "0"}]  # the same, by gender as published: 1 to 4 is "<5"
ANSWER = "Чырактар 2026-жылдын бюджетине киргизилди; иш май айында башталат."
QUESTIONS = (("Суу түтүгү качан бүтөт?", "female"), ("Когда отремонтируют крышу школы?", "male"))


@dataclass
class Resident:
    """One of the five who pre-register, with their phone."""

    locale: str
    gender: str
    band: int
    votes: tuple[int, ...]
    context: object = None
    page: object = None
    ticket_url: str = ""
    code: str = ""


@dataclass
class Walk:
    """What the steps of the walk share."""

    app: object
    server: object
    artifacts: Path
    slug: str
    bands: list[int]
    wag_token: str
    hearing_id: int = 0
    code: str = ""
    proposals: list[int] = field(default_factory=list)  # WAG's, then the two from the floor
    residents: list[Resident] = field(default_factory=list)
    shots: int = 0
    requests: list[str] = field(default_factory=list)  # every address any of the browsers asked for

    def device(self, context):
        """A tablet or phone of the walk: what it asks for is recorded."""
        context.on("request", lambda request: self.requests.append(request.url))
        return context

    def t(self, locale, message, **variables):
        """The app's words in `locale`."""
        return in_locale(self.app, locale, message, **variables)

    def url(self, path):
        """The live server's address of `path`."""
        return self.server.url(path)

    def look(self, page, name):
        """The page passes axe-core and fits the screen's width; a screenshot is saved for a person to look at."""
        assert_accessible(page, name)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= page.viewport_size["width"], f"{name}: the page is {width} px wide"  # nothing sticks out
        self.shots += 1
        page.screenshot(path=self.artifacts / f"walk-{self.shots:02d}-{name}.png", full_page=True)


def tap(scope, name, value):
    """Tap the big label of one radio button or checkbox."""
    scope.locator("label", has=scope.page.locator(f"input[name={name}][value='{value}']")).click()


def consultation_with_women(walk, wag):
    """The group met the day before the hearing (recorded by the clerk; another test walks that form)."""
    db.session.rollback()
    hearing = db.session.get(Hearing, walk.hearing_id)
    day = utc_to_local(hearing.starts_at, hearing.municipality.timezone).date() - timedelta(days=1)
    consultations.create(hearing, {"held_on": day, "place": "Ак-Булак мектеби", "kind": "wag_meeting",
                                   "organisation_id": wag.id, "counts": {("female", walk.bands[2]): 14},
                                   "priorities": ["Көчө чырактары"]}, None)  # fmt: skip
    db.session.rollback()


def the_hearing_day_arrives(hearing_id, days):
    """Move the hearing and its announcement `days` earlier: the notice was given, today is the day."""
    db.session.rollback()
    hearing = db.session.get(Hearing, hearing_id)
    for column in ("starts_at", "ends_at", "announced_at"):
        setattr(hearing, column, getattr(hearing, column) - timedelta(days=days))
    db.session.commit()
    db.session.rollback()


# -- 1. the clerk announces on a tablet, in Kyrgyz ----------------------------------------------------------
def announce(walk, page, municipality_tz):
    log_in(page, walk.server, "clerk")
    page.click("header.site .languages button[value=ky]")
    expect(page.locator("header.site button.link")).to_have_text(walk.t("ky", "Log out"))
    page.click("header.site nav a[href$='/manage/']")
    page.click(f"main a[href$='/manage/{walk.slug}/hearings']")
    page.click("main a.button.primary[href$='/hearings/new']")
    expect(page.locator("h1")).to_have_text(walk.t("ky", "New hearing"))

    day = utc_to_local(utcnow(), municipality_tz).date() + timedelta(days=NOTICE_DAYS)
    fill_budget_hearing(page, TITLES, day)
    for check in ("notice", "time", "languages", "venue"):
        expect(page.locator(f"#checklist li[data-check={check}]")).to_have_class(has_class("met"))
    walk.look(page, "tablet-new-hearing-ky")

    page.click("#hearing-form button[type=submit].primary")
    state = page.locator("#state")
    expect(state).to_have_text(walk.t("ky", STATE_LABELS["draft"]))
    expect(page.locator("#announce textarea")).to_have_count(0)  # every announcement requirement is met
    page.click("#announce button[type=submit]")
    expect(state).to_have_text(walk.t("ky", STATE_LABELS["announced"]))
    expect(page.locator(".flash.success")).to_have_text(
        walk.t("ky", "The hearing is announced. Print the poster and share the link.")
    )
    walk.hearing_id = int(page.url.rsplit("/", 1)[1])
    walk.code = page.locator("#share a").inner_text().rsplit("/", 1)[1]
    walk.look(page, "tablet-announced-ky")


# -- 2. five residents pre-register on their phones -------------------------------------------------------
def pre_register(walk, browser):
    for locale, gender, band, votes in RESIDENTS:
        resident = Resident(locale, gender, band, votes, context=walk.device(phone_context(browser)))
        page = resident.page = resident.context.new_page()
        page.goto(walk.url(f"/h/{walk.code}"))
        expect(page.locator("html")).to_have_attribute("lang", "ky")  # a Kyrgyz municipality's page
        if locale != "ky":
            page.click(f".languages button[value={locale}]")
            expect(page.locator("html")).to_have_attribute("lang", locale)
        expect(page.locator("h1")).to_have_text(TITLES[locale])
        first_time = locale not in {r.locale for r in walk.residents}
        if first_time:
            walk.look(page, f"phone-public-page-{locale}")

        page.click(f"a.button[href$='/h/{walk.code}/register']")
        expect(page.locator("article.register h2")).to_have_text(walk.t(locale, "Register for this hearing"))
        form = page.locator("article.register form")
        tap(form, "gender", gender)
        tap(form, "age_band_id", walk.bands[band])
        tap(form, "consent", "y")
        if first_time:
            walk.look(page, f"phone-register-{locale}")
        form.locator("button[type=submit]").click()

        expect(page.locator(".flash.success")).to_have_text(walk.t(locale, "You are registered. This is your ticket."))
        expect(page.locator(".my-ticket-qr svg")).to_be_visible()
        expect(page.locator(".my-ticket-status")).to_have_text(
            walk.t(locale, "Not checked in yet. Show this ticket at the door.")
        )
        resident.ticket_url = page.url
        resident.code = page.locator(".my-ticket-code").inner_text().replace(" ", "")
        assert len(resident.code) == 6
        if first_time:
            walk.look(page, f"phone-ticket-{locale}")
        walk.residents.append(resident)


# -- 3. the women's action group proposes online, through its private link --------------------------------
def wag_proposes(walk, page):
    page.goto(walk.url(f"/track/{walk.wag_token}"))
    expect(page.locator("h1")).to_have_text(WAG)
    expect(page.locator("main")).to_contain_text(walk.t("ky", "Your organisation has no proposals yet."))
    page.click(f".track-propose a.button.primary[href$='/propose/{walk.code}']")
    expect(page.locator("article.propose > h2")).to_have_text(walk.t("ky", "Submit a proposal"))
    page.fill("#title", WAG_PROPOSAL)
    page.fill("#description", "Кечки сабактан кайткан кыздар караңгыда басышат.")
    form = page.locator("main form")
    tap(form, "category", "street_lighting")
    tap(form, "beneficiaries", "women")
    tap(form, "beneficiaries", "girls")
    walk.look(page, "phone-wag-proposal-form-ky")
    form.locator("button[type=submit]").click()
    expect(page.locator(".flash.success")).to_have_text(walk.t("ky", "Thank you. Your proposal has been received."))
    item = page.locator("li.public-proposal")
    expect(item.locator(".public-proposal-title")).to_have_text(WAG_PROPOSAL)
    expect(item.locator(".proposal-status")).to_have_text(walk.t("ky", STATUS_LABELS["submitted"]))
    walk.proposals.append(int(item.locator("a").first.get_attribute("href").rsplit("/", 1)[1]))
    walk.look(page, "phone-wag-dashboard-submitted-ky")


# -- 4. the door: a ticket held up to the camera, typed codes, twenty walk-ins ----------------------------
def ticket_on_the_phone(resident) -> str:
    """What the QR code on the resident's phone says, read from the screen."""
    shot = resident.page.locator(".my-ticket-qr svg").screenshot()
    with Image.open(io.BytesIO(shot)) as image:
        codes = zxingcpp.read_barcodes(image)
    assert [code.format for code in codes] == [zxingcpp.BarcodeFormat.QRCode]
    return codes[0].text


def the_door(walk, browser, tmp_path):
    first = walk.residents[0]
    assert ticket_on_the_phone(first) == first.ticket_url
    video = tmp_path / "ticket.y4m"
    write_y4m(video, first.ticket_url)
    args = [*CHROMIUM_ARGS, *CAMERA_ARGS, f"--use-file-for-fake-video-capture={video}"]
    camera_browser = browser.browser_type.launch(executable_path=CHROMIUM, headless=True, args=args)
    try:
        door = walk.device(camera_browser.new_context(viewport=TABLET, locale="en-US", permissions=["camera"]))
        check_in_at_the_door(walk, door.new_page())
        door.close()
    finally:
        camera_browser.close()


def expect_checked_in(walk, page, count, code=None):
    result = page.locator("#checkin-result")
    expect(result).to_have_attribute("data-result", "checked_in")
    expect(result.locator(".result-title")).to_contain_text(walk.t("ky", "Checked in"))
    if code:
        expect(result.locator("strong.code")).to_have_text(code)
    expect(page.locator("#desk-status [data-figure=total]")).to_have_text(str(count))


def check_in_at_the_door(walk, page):
    log_in(page, walk.server, "clerk")  # the clerk's profile keeps Kyrgyz
    page.goto(walk.url(f"/manage/hearings/{walk.hearing_id}"))
    page.click(f"nav.actionbar a[href$='/manage/hearings/{walk.hearing_id}/desk']")
    expect(page.locator("#checkin-result")).to_have_attribute("data-result", "idle")
    expect(page.locator("#desk-status [data-figure=total]")).to_have_text("0")
    walk.look(page, "door-tablet-desk-ky")

    toggle = page.locator("#camera-toggle")
    toggle.click()
    expect(page.locator("#camera-video")).to_be_visible()
    expect_checked_in(walk, page, 1, walk.residents[0].code)
    walk.look(page, "door-tablet-camera-checked-in")
    toggle.click()
    expect(toggle).to_have_text(walk.t("ky", "Start camera"))

    for n, resident in enumerate(walk.residents[1:], start=2):
        page.fill("#checkin-code", resident.code.lower() if n == 2 else resident.code)  # lower case is fine
        page.press("#checkin-code", "Enter")
        expect_checked_in(walk, page, n, resident.code)
    walk.look(page, "door-tablet-typed-code")

    walkin = page.locator("#walkin")
    for n, (gender, band) in enumerate(WALK_INS, start=len(walk.residents) + 1):
        tap(walkin, "gender", gender)
        tap(walkin, "age_band_id", walk.bands[band] if band is not None else 0)
        walkin.locator("button[type=submit]").click()
        expect_checked_in(walk, page, n)
        expect(walkin.locator("input[name=gender]:checked")).to_have_count(0)  # ready for the next person
    expect(page.locator("#recent-list > li:visible")).to_have_count(10)  # the ten latest
    walk.look(page, "door-tablet-25-checked-in")


# -- 5. two proposals from the floor; the clerk admits all three ------------------------------------------
def proposals_from_the_floor(walk, page):
    page.goto(walk.url(f"/manage/hearings/{walk.hearing_id}"))
    expect(page.locator("#state")).to_have_text(walk.t("ky", STATE_LABELS["in_session"]))
    page.click(f"#proposals a.button[href$='/manage/hearings/{walk.hearing_id}/proposals/new']")
    expect(page.locator("h1")).to_have_text(walk.t("ky", "Record a proposal from the floor"))
    floor = (
        (FLOOR_PROPOSALS[0], "education", walk.residents[1].code, ("children",)),
        (FLOOR_PROPOSALS[1], "water_supply", "", ("women", "children")),
    )
    for title, category, ticket, beneficiaries in floor:
        form = page.locator("form.floor-form")
        page.fill("#ticket_code", ticket)
        page.fill("#title", title)
        page.select_option("#category", category)
        for who in beneficiaries:
            tap(form, "beneficiaries", who)
        if not ticket:
            walk.look(page, "tablet-floor-proposal-form")
        form.locator("button[type=submit]").click()
        flash = page.locator(".flash.success")
        expect(flash).to_contain_text("#")
        walk.proposals.append(int(flash.inner_text().split("#")[1].split()[0].rstrip(".")))
        expect(flash).to_have_text(walk.t("ky", "Proposal #%(number)d recorded. The form is ready for the next one.",
                                          number=walk.proposals[-1]))
    page.click(f"a[href$='/manage/hearings/{walk.hearing_id}/proposals']")
    rows = page.locator("li.proposal-item")
    expect(rows).to_have_count(3)
    expect(rows.locator(".badge")).to_have_text([walk.t("ky", STATUS_LABELS["submitted"])] * 3)
    walk.look(page, "tablet-proposals-to-review")
    for proposal in walk.proposals:
        page.click(f"li.proposal-item a.button[href$='/manage/proposals/{proposal}']")
        page.click("#action-admit button[type=submit].primary")
        expect(page.locator(".flash.success")).to_have_text(walk.t("ky", "Admitted."))
        page.click(f"p.muted a[href$='/manage/hearings/{walk.hearing_id}/proposals']")
    expect(rows.locator(".badge")).to_have_text([walk.t("ky", STATUS_LABELS["admitted"])] * 3)


# -- 6. voting: five phones, then the show of hands -------------------------------------------------------
def open_voting(walk, page):
    page.goto(walk.url(f"/manage/hearings/{walk.hearing_id}"))
    page.click(f"nav.actionbar a[href$='/manage/hearings/{walk.hearing_id}/voting']")
    expect(page.locator("input[name=rule][value=majority]")).to_be_checked()
    expect(page.locator("table.candidates tbody tr")).to_have_count(3)
    walk.look(page, "tablet-voting-setup")
    page.click("nav.voting-nav button[type=submit].primary")
    expect(page.locator("#state")).to_have_text(walk.t("ky", STATE_LABELS["voting"]))
    expect(page.locator(".flash.success")).to_have_text(walk.t("ky", "Voting is open."))


def vote_on_phones(walk):
    for n, resident in enumerate(walk.residents):
        page, locale = resident.page, resident.locale
        page.goto(resident.ticket_url)
        expect(page.locator(".my-ticket-status.checked-in")).to_be_visible()
        page.click("a.button.primary[href$='/ballot']")
        expect(page.locator("h1")).to_have_text(walk.t(locale, "Your ballot"))
        expect(page.locator("input[name=project]")).to_have_count(3)
        for index in resident.votes:
            page.check(f"#project-{walk.proposals[index]}")
        if n < 3:
            walk.look(page, f"phone-ballot-{locale}")
        page.click("form.ballot button[type=submit]")
        expect(page.locator("h1")).to_have_text(walk.t(locale, "Your vote is recorded"))
        chosen = [PROPOSALS[i] for i in sorted(resident.votes)]
        expect(page.locator(".receipt-choices .ballot-title")).to_have_text(chosen)
        if n < 3:
            walk.look(page, f"phone-receipt-{locale}")


def show_of_hands(walk, page):
    page.goto(walk.url(f"/manage/hearings/{walk.hearing_id}"))
    page.click(f"nav.actionbar a[href$='/manage/hearings/{walk.hearing_id}/hands']")
    expect(page.locator("tr.base td[data-present=female]").first).to_have_text("13")
    expect(page.locator("tr.base td[data-present=male]").first).to_have_text("11")
    for proposal, hands in zip(walk.proposals, HANDS, strict=True):
        for gender, figures in hands.items():
            for column, figure in zip(("for", "against", "abstain"), figures, strict=True):
                page.fill(f"input[name=h-{proposal}-{gender}-{column}]", str(figure))
    walk.look(page, "tablet-hands-filled")
    page.click("#hands button[name=save][value=all]")
    expect(page.locator("#hands .flash.success")).to_have_text(walk.t("ky", "All rows saved."))


# -- 7. questions from the floor -------------------------------------------------------------------------
def log_questions(walk, page):
    page.goto(walk.url(f"/manage/hearings/{walk.hearing_id}"))
    page.click(f"nav.actionbar a[href$='/manage/hearings/{walk.hearing_id}/questions']")
    for n, (text, gender) in enumerate(QUESTIONS, start=1):
        form = page.locator("#question-form")
        form.locator("#text").fill(text)
        if gender == "female":
            form.locator("#ticket_code").fill(walk.residents[3].code)  # she shows her ticket
        else:
            tap(form, "gender", gender)
        form.locator("#answered_by").fill("Айыл өкмөтүнүн башчысы")
        form.locator("#answer").fill("Май айында.")
        form.locator("button[type=submit]").click()
        expect(page.locator("#questions-heading")).to_have_text(
            in_locale_n(walk.app, "ky", "%(num)d question", "%(num)d questions", n))
        expect(page.locator("#questions")).to_contain_text(text)
    walk.look(page, "tablet-questions")


# -- 8. close, decide, answer, sign and publish ----------------------------------------------------------
def close_and_publish(walk, page):
    page.goto(walk.url(f"/manage/hearings/{walk.hearing_id}"))
    page.click("nav.actionbar button.danger")
    expect(page.locator(".flash.success")).to_have_text(walk.t("ky", "Voting is closed and counted."))
    expect(page.locator("#state")).to_have_text(walk.t("ky", STATE_LABELS["closed"]))
    adopted = page.locator("#selected tbody tr")
    expect(adopted.locator("td:nth-child(2)")).to_have_text([WAG_PROPOSAL, FLOOR_PROPOSALS[1]])
    expect(page.locator("[data-figure=ballots]")).to_have_text(str(len(RESIDENTS)))
    expect(page.locator("#hands-result td[data-ballots]")).to_have_text([str(BALLOTS[i]) for i in (0, 2, 1)])
    walk.look(page, "tablet-outcome")

    page.goto(walk.url(f"/manage/proposals/{walk.proposals[0]}"))
    tap(page.locator("#action-decide"), "decide-action", "select")
    page.click("#action-decide button[type=submit]")
    expect(page.locator(".flash.success")).to_have_text(walk.t("ky", "Decision saved."))
    page.fill("textarea[name=answer-answer]", ANSWER)
    page.click("#action-answer button[type=submit]")
    expect(page.locator(".flash.success")).to_have_text(walk.t("ky", "Official answer saved."))
    expect(page.locator("p.proposal-head .badge").first).to_have_text(walk.t("ky", STATUS_LABELS["selected"]))
    walk.look(page, "tablet-wag-proposal-decided")

    page.goto(walk.url(f"/manage/hearings/{walk.hearing_id}"))
    page.click(f"nav.actionbar a[href$='/manage/hearings/{walk.hearing_id}/minutes/edit']")
    page.fill("#chair", "Айгүл Токтогулова, айыл өкмөтүнүн башчысы")
    page.fill("#secretary", "Нурбек Асанов")
    page.click("main form button[type=submit]")
    page.goto(walk.url(f"/manage/hearings/{walk.hearing_id}"))
    page.click("nav.actionbar a.button.primary[href$='/publish']")
    checks = page.locator("#requirements li.check")
    expect(checks.and_(page.locator(".not_met"))).to_have_count(0)
    expect(page.locator("#requirements textarea")).to_have_count(0)  # nothing to justify
    walk.look(page, "tablet-publish-checklist")
    page.click("main form button[type=submit].primary")
    expect(page.locator("#state")).to_have_text(walk.t("ky", STATE_LABELS["published"]))
    expect(page.locator(".flash.success")).to_have_text(
        walk.t("ky", "The hearing is published. Its records are now frozen."))
    walk.look(page, "tablet-published")


# -- 9. what everyone reads afterwards: the results, the minutes, the group's page -------------------------
def results_on_a_phone(walk):
    resident = walk.residents[1]
    page, locale = resident.page, resident.locale
    page.goto(walk.url(f"/h/{walk.code}"))
    page.click(f".results-call a[href$='/h/{walk.code}/results']")
    expect(page.locator("h1")).to_have_text(TITLES[locale])
    attendance = page.locator("table.results-table").first
    expect(attendance.locator("tfoot td")).to_have_text(ATTENDANCE)
    votes = page.locator("table.votes tbody tr")
    expect(votes.locator("th")).to_have_text([WAG_PROPOSAL, FLOOR_PROPOSALS[1], FLOOR_PROPOSALS[0]])
    for title, hands, ballots, split in zip(PROPOSALS, HAND_TOTALS, BALLOTS, BALLOT_SPLITS, strict=True):
        row = votes.filter(has_text=title)
        expect(row.locator("td.num strong")).to_have_text([*map(str, hands), str(ballots)])
        expect(row.locator("td[data-ballots] small")).to_have_text(
            "; ".join(f"{walk.t(locale, GENDER_GROUPS[g])} {label}" for g, label in split.items()))
    expect(votes.first.locator("td").last).to_have_text(walk.t(locale, "Selected"))
    checklist = page.locator("section.checklist")
    for check in ("notice", "consultation", "share", "data", "answers"):
        expect(checklist.locator(f"[data-check={check}]")).to_have_class(has_class("met"))
    walk.look(page, f"phone-results-{locale}")
    return page.locator("a[href*='/minutes.pdf?lang=ky']").get_attribute("href")


def minutes_pdf(walk, page, href, tmp_path):
    """The minutes in Kyrgyz as the results page links them; the first pages drawn for a person to look at."""
    response = page.request.get(walk.url(href))
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    data = response.body()
    source = tmp_path / "minutes.pdf"
    source.write_bytes(data)
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "3", str(source), str(tmp_path / "page")],
                   check=True, timeout=60)  # fmt: skip
    for number, png in enumerate(sorted(tmp_path.glob("page*.png")), start=1):
        walk.shots += 1
        png.rename(walk.artifacts / f"walk-{walk.shots:02d}-minutes-pdf-ky-page-{number}.png")
    return " ".join("\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())


def tracking_page(walk, page):
    page.goto(walk.url(f"/track/{walk.wag_token}"))
    item = page.locator("li.public-proposal")
    expect(item.locator(".proposal-status")).to_have_text(walk.t("ky", STATUS_LABELS["selected"]))
    expect(item.locator(".public-proposal-answer .description")).to_have_text(ANSWER)
    expect(page.locator(".track-figures dd")).to_have_text(["1", "1", "0"])
    walk.look(page, "phone-wag-dashboard-after-ky")
    return item.locator(".public-proposal-vote").inner_text()


def the_same_figures(walk, minutes, tracking):
    """The minutes and the group's page say what the results page showed: attendance and the votes."""
    assert f"{walk.t('ky', 'Checked in')}: 25" in minutes
    assert " ".join([walk.t("ky", "All"), *ATTENDANCE]) in minutes  # the attendance table's last row
    ballots = walk.t("ky", "Ballots")
    hands = [walk.t("ky", "For %(yes)d, against %(no)d, abstained %(abstain)d", yes=yes, no=no, abstain=abstain)
             for yes, no, abstain in HAND_TOTALS]  # fmt: skip
    for title, sentence, number, split in zip(PROPOSALS, hands, BALLOTS, BALLOT_SPLITS, strict=True):
        votes = minutes[minutes.index(title) :]
        assert votes.index(sentence) < votes.index(" ".join([ballots, *split.values(), str(number)])), votes
    result = f"{walk.t('ky', 'Result')}: {walk.t('ky', 'Selected')}."
    assert tracking == f"{result} {hands[0]}. {ballots}: {BALLOTS[0]}.", tracking


@pytest.fixture
def kumbel(make):
    """A southern aiyl okmotu where Kyrgyz, Russian and Uzbek are spoken, its clerk and a women's action group."""
    municipality = make.municipality(settlements=("Kumbel", "Ak-Bulak"))
    municipality.languages = "ky,ru,uz"
    db.session.commit()
    make.user("clerk", municipality, "clerk")
    wag = add_organisation(municipality, WAG, "wag", contact_email="ak-bulak.women@example.kg")
    return municipality, wag


def test_a_budget_hearing_from_the_announcement_to_the_published_results(app, server, browser, artifacts, kumbel,
                                                                         tmp_path):
    municipality, wag = kumbel
    walk = Walk(app, server, artifacts, municipality.slug, [b.id for b in municipality.age_bands], wag.tracking_token)
    tablet = walk.device(browser.new_context(viewport=TABLET, locale="en-US"))
    wag_phone = walk.device(phone_context(browser))
    try:
        announce(walk, tablet.new_page(), municipality.timezone)
        the_hearing_day_arrives(walk.hearing_id, NOTICE_DAYS)
        pre_register(walk, browser)
        consultation_with_women(walk, wag)
        wag_proposes(walk, wag_phone.new_page())
        the_door(walk, browser, tmp_path)
        clerk = tablet.pages[0]
        proposals_from_the_floor(walk, clerk)
        open_voting(walk, clerk)
        vote_on_phones(walk)
        show_of_hands(walk, clerk)
        log_questions(walk, clerk)
        close_and_publish(walk, clerk)
        href = results_on_a_phone(walk)
        minutes = minutes_pdf(walk, clerk, href, tmp_path)
        tracking = tracking_page(walk, wag_phone.pages[0])
        the_same_figures(walk, minutes, tracking)
    finally:
        for context in (tablet, wag_phone, *(resident.context for resident in walk.residents)):
            context.close()
    addresses = [urlsplit(url) for url in walk.requests]
    assert {a.hostname for a in addresses if a.scheme not in ("data", "blob")} == {"localhost"}  # none elsewhere
