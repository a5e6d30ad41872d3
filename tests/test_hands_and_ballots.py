"""A show of hands decides, and some people also voted on their phones: the ballots stand beside the hands on the
clerk's outcome, the public results, the minutes and the open data; a group's tracking page shows the vote of its
proposals once the results are published; a proposal nobody costed is not shown as costing nothing."""

import json

from flask_babel import force_locale
from jsonschema import Draft202012Validator

from app.extensions import db
from app.minutes import protocol
from app.organisations.models import Organisation
from tests.helpers import login
from tests.results_fixtures import hands_hearing
from tests.test_open_data import SCHEMA


def _row(html, title):
    """The row of the public votes table that names `title`."""
    votes = html[html.index('class="breakdown results-table votes"') :]
    row = votes[votes.index(title) :]
    return row[: row.index("</tr>")]


def test_the_public_results_show_the_phone_ballots_beside_the_hands(client, make):
    client.set_cookie("lang", "en")
    hearing, items = hands_hearing(make, phones=7)
    html = client.get(f"/h/{hearing.public_code}/results").get_data(as_text=True)
    assert "The show of hands decides; the ballots show who supported each proposal." in html
    water = _row(html, "Water pipe")
    assert "<strong>13</strong>" in water and "<strong>8</strong>" in water  # the hands: 10+3 for, 2+6 against
    assert "data-ballots><strong>7</strong>" in water  # seven women voted for it on their phones
    assert "data-ballots><strong>0</strong>" in _row(html, "Street lights")

    document = client.get(f"/h/{hearing.public_code}/results.json").get_json()
    water = next(p for p in document["proposals"] if p["title"] == "Water pipe")
    assert water["hands"]["for"]["total"]["value"] == 13
    assert water["votes"]["total"]["value"] == 7 and water["votes"]["by_gender"]["female"]["value"] == 7
    assert document["outcome"]["rule"] == "majority" and document["outcome"]["voters"]["total"]["value"] == 7


def test_a_show_of_hands_without_ballots_has_no_ballots_column(client, make):
    client.set_cookie("lang", "en")
    hearing, _ = hands_hearing(make)
    html = client.get(f"/h/{hearing.public_code}/results").get_data(as_text=True)
    assert "data-ballots" not in html and "The show of hands decides" not in html


def test_the_minutes_add_a_ballots_row_to_the_show_of_hands(app, make):
    hearing, _ = hands_hearing(make, phones=7)
    with app.test_request_context(), force_locale("en"):
        minutes = protocol.build(hearing)
    water = next(p for p in minutes.proposals if p.title == "Water pipe")
    assert water.summary == "For 13, against 8, abstained 0"
    assert water.votes.head == ["", "Women", "Men", "Not said", "All"]
    assert [row[0] for row in water.votes.rows] == ["For", "Against", "Abstain", "Ballots"]
    assert water.votes.rows[-1] == ["Ballots", "7", "0", "0", "7"]


def test_the_clerks_outcome_shows_the_ballots_beside_the_hands(client, make):
    client.set_cookie("lang", "en")
    hearing, items = hands_hearing(make, phones=7)
    login(client, items["clerk"].username)
    html = client.get(f"/manage/hearings/{hearing.id}/outcome").get_data(as_text=True)
    assert 'data-figure="ballots">7<' in html
    hands = html[html.index('id="hands-result"') :]
    water = hands[hands.index(f'<tr data-proposal="{items["water"].id}"') :]
    assert '<td class="num" data-ballots>7</td>' in water[: water.index("</tr>")]
    assert 'id="top-female"' in html  # the ballots' priorities by gender


def test_the_tracking_page_shows_the_published_vote(client, make):
    client.set_cookie("lang", "en")
    hearing, items = hands_hearing(make, phones=7)
    wag = Organisation(municipality_id=hearing.municipality_id, name="Ak-Suu women", kind="wag")
    db.session.add(wag)
    db.session.flush()
    items["water"].organisation_id = wag.id
    db.session.commit()
    html = client.get(f"/track/{wag.tracking_token}").get_data(as_text=True)
    assert "Selected. For 13, against 8, abstained 0. Ballots: 7." in " ".join(html.split()).replace("</strong>", "")


def test_a_proposal_without_a_cost_is_not_shown_as_costing_nothing(client, make):
    client.set_cookie("lang", "en")
    hearing, items = hands_hearing(make)
    items["water"].cost = None
    db.session.commit()
    html = client.get(f"/h/{hearing.public_code}/results").get_data(as_text=True)
    assert '<td class="num">—</td>' in _row(html, "Water pipe")
    summary = client.get(f"/h/{hearing.public_code}/summary").get_data(as_text=True)
    assert "<li>Water pipe</li>" in summary


def test_the_open_data_with_hands_and_ballots_follows_the_schema(client, make):
    hearing, _ = hands_hearing(make, phones=7)
    document = client.get(f"/h/{hearing.public_code}/results.json").get_json()
    with open(SCHEMA, encoding="utf-8") as handle:
        assert list(Draft202012Validator(json.load(handle)).iter_errors(document)) == []
