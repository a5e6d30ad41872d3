"""The public results page and the citizens' summary of a published hearing: nothing before publication,
the chart and the table, no small count anywhere, the checklist hiding what the table hides."""

import re
from decimal import Decimal

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.hearings.models import Hearing, Justification
from app.publication import service as publication
from app.voting import service as voting
from tests.results_fixtures import (
    add_projects,
    ballot_hearing,
    check_in_crowd,
    hands_hearing,
    publish,
    published_at_scale,
)

PUBLIC_PATHS = ("results", "results.json", "results.csv", "results.pb", "summary")
SMALL_FIGURE = re.compile(r">\s*([1-4])\s*<")  # a count of 1 to 4 printed on its own in an element


def test_nothing_is_published_before_publication(client, make):
    municipality = make.municipality()
    clerk = make.user("aigul", municipality)
    hearing = make.hearing(municipality, kind="participatory_budget", envelope=Decimal(1000))
    add_projects(hearing, clerk)
    check_in_crowd(hearing, clerk)
    voting.open_voting(hearing, clerk)
    voting.close_voting(hearing, clerk)
    assert hearing.state == "closed"
    for path in PUBLIC_PATHS:
        assert client.get(f"/h/{hearing.public_code}/{path}").status_code == 404, path
    publish(hearing)
    for path in PUBLIC_PATHS:
        assert client.get(f"/h/{hearing.public_code}/{path}").status_code == 200, path


def test_an_unknown_code_is_not_found(client, app):
    assert client.get("/h/NOSUCH/results").status_code == 404


def test_results_page_shows_the_chart_beside_the_table_with_small_cells_as_less_than_5(client, make):
    client.set_cookie("lang", "en")
    hearing, items = ballot_hearing(make)
    html = client.get(f"/h/{hearing.public_code}/results").get_data(as_text=True)
    svg = html[html.index("<svg viewBox") : html.index("</svg>")]
    assert 'role="img"' in svg and "<title" in svg and "<desc" in svg and 'width="100%"' in svg
    assert svg.count("<rect") == 4 * 3  # a bar (or a stub for "<5") per age band and gender
    assert "&lt;5" in svg and ">12</text>" in svg and ">×</text>" in svg  # women aged 18-35: 12
    table = html[html.index('<table class="breakdown results-table">') :]
    table = table[: table.index("</table>")]
    assert "<td class=\"num\">12</td>" in table and "&lt;5" in table and "×" in table
    assert SMALL_FIGURE.findall(html) == []  # the two men aged 60+ appear nowhere as "2"
    assert "Street lights" in html and "Water pipe" in html
    assert html.count('<table class="breakdown results-table votes">') == 1


def test_results_page_has_votes_decisions_and_links_to_every_published_file(client, make):
    client.set_cookie("lang", "en")
    hearing, items = ballot_hearing(make)
    items["park"].status_reason = ""
    db.session.commit()
    html = client.get(f"/h/{hearing.public_code}/results").get_data(as_text=True)
    votes = html[html.index('class="breakdown results-table votes"') :]
    votes = votes[: votes.index("</table>")]
    water = votes[votes.index("Water pipe") :]
    assert "<strong>32</strong>" in water[: water.index("</tr>")]  # 21 women and 11 who did not say
    for path in ("results.csv", "results.json", "results.pb", "summary"):
        assert f"/h/{hearing.public_code}/{path}" in html
    assert "/open-data/schema" in html


def test_a_small_number_of_women_is_hidden_by_the_table_and_by_the_checklist(client, make):
    client.set_cookie("lang", "en")
    municipality = make.municipality()
    clerk = make.user("aigul", municipality)
    hearing = make.hearing(municipality, kind="general")
    check_in_crowd(hearing, clerk, [("female", 1, 3), ("male", 1, 9), ("male", 2, 8)])
    voting.open_voting(hearing, clerk)
    voting.close_voting(hearing, clerk)
    checks = {c.id: c for c in publication.requirement_checks(hearing)}
    assert checks["share"].figures["women"] == 3 and checks["share"].figures["percent"] == 15
    publication.publish(hearing, {"share": "Harvest week; women's group was consulted", "consultation": "n/a",
                                  "data": "n/a"}, clerk)  # fmt: skip
    html = client.get(f"/h/{hearing.public_code}/results").get_data(as_text=True)
    assert "Women &lt;5 of 20 checked in, target 30%" in html
    assert "15%" not in html and SMALL_FIGURE.findall(html) == []
    assert "Harvest week; women&#39;s group was consulted" in html  # the justification beside the figure
    data = client.get(f"/h/{hearing.public_code}/results.json").get_json()
    share = next(r for r in data["requirements"] if r["id"] == "share")
    assert share["figures"]["women"] is None and share["figures"]["percent"] is None
    assert set(share["suppressed"]) == {"women", "percent"} and share["status"] == "not_met"
    assert share["justifications"]["publish"].startswith("Harvest week")


def test_a_show_of_hands_keeps_the_totals_and_hides_the_small_split(client, make):
    client.set_cookie("lang", "en")
    hearing, items = hands_hearing(make)
    html = client.get(f"/h/{hearing.public_code}/results").get_data(as_text=True)
    votes = html[html.index('class="breakdown results-table votes"') :]
    lights = votes[votes.index("Street lights") :]
    lights = lights[: lights.index("</tr>")]
    assert "<strong>3</strong>" in lights and "<strong>18</strong>" in lights  # for 2+1, against 10+8
    assert "&lt;5" in lights and "Not selected" in lights
    assert "/results.pb" not in html  # no ballots to recount: the hand counts in the JSON are the record


def test_corrections_and_signed_scans_are_listed(client, make, app):
    client.set_cookie("lang", "en")
    hearing, items = ballot_hearing(make)
    hearing.chair = "Aigul Osmonova"
    db.session.commit()
    publication.correct(hearing, "chair", "Aigul Osmonova-Toktogulova", "Surname was missing", items["clerk"])
    from app.hearings.models import HearingDocument

    db.session.add(HearingDocument(hearing_id=hearing.id, kind="signed_minutes", original_name="protocol.jpg",
                                   stored_name="x1.jpg", content_type="image/jpeg", size=10))  # fmt: skip
    db.session.add(HearingDocument(hearing_id=hearing.id, kind="draft_budget", original_name="budget.pdf",
                                   stored_name="x2.pdf", content_type="application/pdf", size=10))  # fmt: skip
    db.session.commit()
    html = client.get(f"/h/{hearing.public_code}/results").get_data(as_text=True)
    assert "Surname was missing" in html and "<del>Aigul Osmonova</del>" in html
    assert "protocol.jpg" in html and "budget.pdf" not in html
    data = client.get(f"/h/{hearing.public_code}/results.json").get_json()
    assert data["corrections"][0]["after"] == "Aigul Osmonova-Toktogulova"
    assert [d["name"] for d in data["documents"]] == ["protocol.jpg"]


def test_the_hearing_page_and_the_municipality_page_link_the_results_once_published(client, make):
    hearing, _ = ballot_hearing(make)
    assert f"/h/{hearing.public_code}/results" in client.get(f"/h/{hearing.public_code}").get_data(as_text=True)
    page = client.get(f"/m/{hearing.municipality.slug}").get_data(as_text=True)
    assert f"/h/{hearing.public_code}/results" in page


@pytest.mark.parametrize(("country", "languages"), [("KG", ["ky", "ru"]), ("UZ", ["uz", "ru"])])
def test_the_summary_has_one_block_per_language_of_the_municipality(client, make, country, languages):
    hearing, _ = ballot_hearing(make, country=country, slug=f"m-{country.lower()}")
    response = client.get(f"/h/{hearing.public_code}/summary")
    html = response.get_data(as_text=True)
    assert re.findall(r'<section lang="(\w+)" class="summary-block">', html) == languages
    assert len(response.data) < 60_000 and "<script" not in html and 'rel="stylesheet"' not in html
    assert "Water pipe" in html and "Street lights" in html and "Park benches" not in html
    assert f"/h/{hearing.public_code}/results" in html
    assert SMALL_FIGURE.findall(html) == []


def test_the_kyrgyz_summary_is_in_kyrgyz_and_the_russian_one_in_russian(client, make, app):
    hearing, _ = ballot_hearing(make)
    html = client.get(f"/h/{hearing.public_code}/summary").get_data(as_text=True)
    ky = html[html.index('<section lang="ky"') : html.index('<section lang="ru"')]
    ru = html[html.index('<section lang="ru"') :]
    assert "Бюджет боюнча угуу" in ky and "Слушания по бюджету" in ru
    months = "января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря"
    assert re.search(rf"\d+ ({months}) \d{{4}}", ru)


def test_results_render_with_a_constant_number_of_queries(client, make, app):
    """5,000 people and 200 proposals cost the same queries as 25 people and 3 proposals."""
    small = published_at_scale(make, "small", people=25, proposals=3)
    large = published_at_scale(make, "large", people=5000, proposals=200)
    counts = []
    statements = []

    def listener(*args):
        statements.append(args[2])

    for code in (small, large):
        statements.clear()
        sa.event.listen(db.engine, "before_cursor_execute", listener)
        try:
            response = client.get(f"/h/{code}/results")
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", listener)
        assert response.status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1], counts
    assert db.session.scalar(sa.select(sa.func.count(Hearing.id))) == 2
    assert db.session.scalar(sa.select(sa.func.count(Justification.id))) == 0
