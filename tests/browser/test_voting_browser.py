"""Voting at a participatory-budget hearing: three people vote on their phones on a knapsack ballot, the
clerk closes voting on a tablet and reads the outcome with its gender breakdown; a show of hands is typed
into the grid, and a figure larger than the people present is refused.

The voters' pages default to the municipality's language (Kyrgyz); each phone switches to English with the
header switcher, and the expected text is what the app's own `gettext` returns under `force_locale("en")`.
"""

from decimal import Decimal

import pytest
from flask_babel import force_locale
from playwright.sync_api import expect

from app.extensions import db
from app.i18n import format_money
from app.proposals import service as proposals
from app.registration import service as registration
from app.registration.desk_forms import GENDER_GROUPS
from app.registration.service import PersonDetails
from app.voting import service as voting
from app.voting.models import Ballot, HandCount
from tests.browser.steps import PHONE, TABLET, assert_fits_phone, has_class, in_english, log_in

pytestmark = pytest.mark.browser

ENVELOPE = Decimal("1000000")
PROJECTS = (("Water pipe to Ak-Bulak", 600_000), ("Street lights on Lenin street", 300_000),
            ("School roof", 500_000))  # fmt: skip


def money(app, amount, currency):
    with app.test_request_context(), force_locale("en"):
        return format_money(Decimal(amount), currency)


def hearing_with_projects(make, municipality, clerk):
    """A participatory-budget hearing of 1,000,000 with the three projects admitted and costed."""
    hearing = make.hearing(municipality, state="announced", envelope=ENVELOPE, kind="participatory_budget")
    projects = []
    for title, cost in PROJECTS:
        proposal = proposals.submit(hearing, {"title": title, "category": "water_supply",
                                              "settlement_id": municipality.settlements[0].id})  # fmt: skip
        proposals.set_cost(proposal, Decimal(cost), clerk)
        proposals.admit(proposal, clerk)
        projects.append(proposal)
    return hearing, projects


def walk_ins(hearing, clerk, genders):
    """People checked in at the door, in this order; the first check-in opens the session."""
    band = hearing.municipality.age_bands[1].id
    return [registration.walk_in(hearing, PersonDetails(gender=g, age_band_id=band), clerk).participant
            for g in genders]  # fmt: skip


def test_three_phones_vote_and_the_clerk_reads_the_outcome_on_a_tablet(app, make, server, browser, artifacts):
    municipality = make.municipality(settlements=("Kumbel", "Ak-Bulak"))
    clerk = make.user("clerk", municipality, "clerk")
    hearing, projects = hearing_with_projects(make, municipality, clerk)
    people = walk_ins(hearing, clerk, ("female", "female", "male"))
    assert hearing.state == "in_session"
    voting.configure(hearing, {"ballot_kind": "knapsack", "rule": "greedy"}, clerk)
    voting.open_voting(hearing, clerk)
    hearing_id, currency = hearing.id, hearing.currency
    (water, water_cost), (lights, lights_cost), (roof, roof_cost) = [(p.id, voting.cost_of(p)) for p in projects]
    tokens = [p.token for p in people]
    title = {p.id: p.title for p in projects}
    costs = {water: water_cost, lights: lights_cost, roof: roof_cost}

    def som(amount):  # the currency as the English page writes it
        return money(app, amount, currency)

    # Women: the water pipe and the lights; the man: the lights and the school roof.
    # Lights 3, water 2, roof 1: greedy funds the lights, then the water (900,000); the roof no longer fits.
    wishes = [(water, lights), (water, lights), (lights, roof)]
    phones = [browser.new_context(viewport=PHONE, locale="en-US", is_mobile=True, has_touch=True)
              for _ in tokens]  # fmt: skip
    tablet = browser.new_context(viewport=TABLET, locale="en-US")
    try:
        # -- the first woman: ticks too much, sees it is over the budget, unticks, votes --------------------
        page = phones[0].new_page()
        ballot_url = server.url(f"/t/{tokens[0]}/ballot")
        page.goto(ballot_url)
        expect(page.locator("html")).to_have_attribute("lang", "ky")  # the municipality's language first
        page.click(".languages button[value=en]")
        expect(page.locator("html")).to_have_attribute("lang", "en")
        expect(page).to_have_url(ballot_url)
        expect(page.locator("h1")).to_have_text(in_english(app, "Your ballot"))
        expect(page.locator("input[name=project]")).to_have_count(3)
        expect(page.locator("input[name=project]:checked")).to_have_count(0)
        total = page.locator("#ballot-total")
        figure = total.locator(".ballot-total-figure")
        expect(figure).to_have_text(som(0))
        expect(total).to_contain_text(in_english(app, "of %(envelope)s", envelope=som(ENVELOPE)))

        page.check(f"#project-{water}")
        expect(figure).to_have_text(som(water_cost))
        expect(total.locator(".ballot-total-note")).to_have_text(
            in_english(app, "Fits the budget: %(left)s left.", left=som(ENVELOPE - water_cost))
        )
        page.check(f"#project-{roof}")
        expect(figure).to_have_text(som(water_cost + roof_cost))
        expect(total).to_have_class(has_class("over"))
        expect(total.locator(".ballot-total-note")).to_have_text(
            in_english(app, "Over the budget by %(over)s. Untick a project.",
                       over=som(water_cost + roof_cost - ENVELOPE))
        )  # fmt: skip
        assert_fits_phone(page)
        page.screenshot(path=artifacts / "voting-1-phone-ballot-over-budget.png", full_page=True)

        page.uncheck(f"#project-{roof}")
        page.check(f"#project-{lights}")
        expect(figure).to_have_text(som(water_cost + lights_cost))
        expect(total).not_to_have_class(has_class("over"))
        expect(total.locator(".ballot-total-note")).to_have_text(
            in_english(app, "Fits the budget: %(left)s left.", left=som(ENVELOPE - water_cost - lights_cost))
        )
        page.screenshot(path=artifacts / "voting-2-phone-ballot-fits.png", full_page=True)

        # -- each phone casts its ballot and reads the receipt ---------------------------------------------
        receipts = []
        for n, (context, token, chosen) in enumerate(zip(phones, tokens, wishes, strict=True)):
            page = context.pages[0] if context.pages else context.new_page()
            if n:
                page.goto(server.url(f"/t/{token}/ballot"))
                page.click(".languages button[value=en]")
                expect(page.locator("html")).to_have_attribute("lang", "en")
                for project in chosen:
                    page.check(f"#project-{project}")
                cost = sum(costs[p] for p in chosen)
                expect(page.locator("#ballot-total .ballot-total-figure")).to_have_text(som(cost))
            page.click("form.ballot button[type=submit]")
            expect(page).to_have_url(server.url(f"/t/{token}/receipt"))
            expect(page.locator("h1")).to_have_text(in_english(app, "Your vote is recorded"))
            expect(page.locator(".receipt-choices .ballot-title")).to_have_text([title[p] for p in sorted(chosen)])
            assert_fits_phone(page)
            receipts.append(page)
        receipts[0].screenshot(path=artifacts / "voting-3-phone-receipt.png", full_page=True)

        # -- the clerk, on a tablet: close voting, read the outcome ----------------------------------------
        desk = tablet.new_page()
        log_in(desk, server, "clerk")
        desk.goto(server.url(f"/manage/hearings/{hearing_id}/voting"))
        expect(desk.locator("#state")).to_have_class(has_class("state-voting"))
        close = desk.locator("nav.voting-nav button[type=submit]")
        expect(close).to_have_text(in_english(app, "Close voting and count"))
        close.click()
        expect(desk).to_have_url(server.url(f"/manage/hearings/{hearing_id}/outcome"))
        expect(desk.locator(".flash.success")).to_have_text(in_english(app, "Voting is closed and counted."))
        expect(desk.locator("#state")).to_have_class(has_class("state-closed"))
        expect(desk.locator("[data-figure=ballots]")).to_have_text("3")

        selected = desk.locator("#selected tbody tr")
        expect(selected).to_have_count(2)
        expect(selected.locator("td:nth-child(2)")).to_have_text([title[lights], title[water]])
        expect(selected.locator("td:nth-child(3)")).to_have_text(["3", "2"])
        expect(desk.locator("#selected tfoot td")).to_have_text(som(water_cost + lights_cost))

        expect(desk.locator("[data-voters=female]")).to_have_text("2")
        expect(desk.locator("[data-voters=male]")).to_have_text("1")
        top = desk.locator(f"#support tr[data-proposal='{lights}']")
        expect(top.locator("td[data-gender=female]")).to_have_text("2")
        expect(top.locator("td[data-gender=male]")).to_have_text("1")
        expect(top.locator(".badge.funded")).to_be_visible()
        expect(desk.locator(f"#support tr[data-proposal='{roof}'] td[data-gender=female]")).to_have_text("0")
        expect(desk.locator(f"#support tr[data-proposal='{roof}'] .badge.funded")).to_have_count(0)

        women = desk.locator("#top-female")
        expect(women).to_be_visible()
        expect(women.locator("h3")).to_have_text(in_english(app, GENDER_GROUPS["female"]))
        expect(women.locator("li")).to_have_text([title[lights], title[water]])
        expect(desk.locator("#top-male li")).to_have_text([title[lights], title[roof]])
        desk.screenshot(path=artifacts / "voting-4-tablet-outcome.png", full_page=True)

        # -- a voter who looks again finds the ballot frozen -----------------------------------------------
        late = receipts[2]
        late.goto(server.url(f"/t/{tokens[2]}/ballot"))
        expect(late.locator("h1")).to_have_text(in_english(app, "Voting has closed"))
        expect(late.locator("input[name=project]")).to_have_count(0)
    finally:
        for context in (*phones, tablet):
            context.close()

    db.session.rollback()
    db.session.expire_all()
    ballots = db.session.scalars(db.select(Ballot).where(Ballot.hearing_id == hearing_id)).all()
    assert sorted(sorted(c.proposal_id for c in b.choices) for b in ballots) == sorted(sorted(w) for w in wishes)


def test_show_of_hands_refuses_more_hands_than_people_present(app, make, server, browser, artifacts):
    municipality = make.municipality(settlements=("Kumbel", "Ak-Bulak"))
    clerk = make.user("clerk", municipality, "clerk")
    hearing, projects = hearing_with_projects(make, municipality, clerk)
    walk_ins(hearing, clerk, ("female", "female", "male"))
    assert hearing.state == "in_session"
    hearing_id, first, first_title = hearing.id, projects[0].id, projects[0].title
    hands_url = server.url(f"/manage/hearings/{hearing_id}/hands")

    tablet = browser.new_context(viewport=TABLET, locale="en-US")
    try:
        page = tablet.new_page()
        log_in(page, server, "clerk")
        page.goto(hands_url)
        expect(page.locator("h1")).to_have_text(in_english(app, "Show of hands"))
        expect(page.locator("tr.base td[data-present=female]").first).to_have_text("2")
        expect(page.locator("tr.base td[data-present=male]").first).to_have_text("1")
        expect(page.locator("table.hands-grid tbody tr[id^=hands-]")).to_have_count(3)

        row = page.locator(f"#hands-{first}")
        women_for = row.locator(f"input[name=h-{first}-female-for]")
        women_for.fill("3")
        row.locator("button[name=save]").click()
        error = page.locator(f"#hands-{first}-error")
        women = in_english(app, GENDER_GROUPS["female"])
        impossible = "%(group)s: %(votes)d hands, but %(present)d checked in."
        expect(error).to_have_text(in_english(app, impossible, group=women, votes=3, present=2))
        expect(page.locator(f"#hands-{first}")).to_have_class(has_class("row-failed"))
        expect(page.locator(f"#hands-{first} input[name=h-{first}-female-for]")).to_have_value("3")
        expect(page.locator(f"#hands-{first} input[name=h-{first}-female-for]")).to_have_attribute(
            "aria-invalid", "true"
        )
        expect(page.locator("#hands .flash.success")).to_have_count(0)
        page.screenshot(path=artifacts / "voting-5-tablet-hands-refused.png", full_page=True)
        db.session.rollback()
        assert db.session.scalar(db.select(db.func.count(HandCount.id))) == 0

        women_for = page.locator(f"#hands-{first} input[name=h-{first}-female-for]")
        women_for.fill("2")
        page.locator(f"#hands-{first} button[name=save]").click()
        expect(page.locator("#hands .flash.success")).to_have_text(
            in_english(app, "Hands saved for “%(title)s”.", title=first_title)
        )
        expect(page.locator(f"#hands-{first}-error")).to_have_count(0)
        expect(page.locator(f"#hands-{first}")).not_to_have_class(has_class("row-failed"))
        expect(women_for).to_have_value("2")
        page.screenshot(path=artifacts / "voting-6-tablet-hands-saved.png", full_page=True)

        page.reload()  # what is shown is what was stored
        expect(page.locator(f"#hands-{first} input[name=h-{first}-female-for]")).to_have_value("2")
        expect(page.locator(f"#hands-{first} input[name=h-{first}-male-for]")).to_have_value("0")
    finally:
        tablet.close()

    db.session.rollback()
    rows = db.session.scalars(db.select(HandCount).where(HandCount.hearing_id == hearing_id)).all()
    assert {r.gender: (r.votes_for, r.votes_against, r.votes_abstain) for r in rows if r.gender != "undisclosed"} == {
        "female": (2, 0, 0), "male": (0, 0, 0)}  # fmt: skip
    assert {r.subject for r in rows} == {f"proposal:{first}"}
