"""The live and projector panels are reused for a moment by every screen, but never hide a check-in."""

from types import SimpleNamespace

import pytest

from app.extensions import db
from app.registration import panel_cache
from app.registration.models import CheckIn
from tests.helpers import login, post
from tests.test_checkin import HX, figure, register, scan


@pytest.fixture
def desk(client, make):
    """Kumbel with two villages, an announced hearing, and its clerk logged in."""
    kumbel = make.municipality(settlements=("Kumbel", "Ak-Bulak"))
    hearing = make.hearing(kumbel, state="announced")
    make.user("aigul", kumbel, "clerk")
    login(client, "aigul")
    return SimpleNamespace(municipality=kumbel, hearing=hearing, url=f"/manage/hearings/{hearing.id}")


@pytest.fixture
def long_window(monkeypatch):
    """A window far longer than any test, so that reuse is certain however slow the machine."""
    monkeypatch.setattr(panel_cache, "SECONDS", 3600)


def panel(client, desk, which="live"):
    return client.get(f"{desk.url}/{which}/panel", headers=HX).get_data(as_text=True)


def test_a_check_in_shows_at_once_on_a_panel_just_rendered(client, desk, long_window):
    people = [register(desk.hearing, "female"), register(desk.hearing, "male")]
    scan(client, desk, people[0].token)
    assert figure(panel(client, desk), "total") == 1
    scan(client, desk, people[1].token)
    html = panel(client, desk)
    assert figure(html, "total") == 2 and figure(html, "women") == 1


def test_an_undo_shows_at_once_on_a_panel_just_rendered(client, desk, long_window):
    people = [register(desk.hearing, "female"), register(desk.hearing, "female")]
    for person in people:
        scan(client, desk, person.token)
    assert figure(panel(client, desk, "projector"), "total") == 2
    entry = db.session.scalar(db.select(CheckIn).order_by(CheckIn.id.desc()))
    post(client, f"{desk.url}/checkins/{entry.id}/undo", {"reason": "Wrong ticket"}, headers=HX)
    assert figure(panel(client, desk, "projector"), "total") == 1


def test_unchanged_check_ins_reuse_the_rendered_panel_until_the_window_ends(client, desk, long_window, monkeypatch):
    scan(client, desk, register(desk.hearing, "female", settlement=1).token)
    village = desk.municipality.settlements[1]
    old_name = village.name
    assert f'<th scope="row">{old_name}</th>' in panel(client, desk)
    village.name = "Renamed village"
    db.session.commit()
    assert f'<th scope="row">{old_name}</th>' in panel(client, desk)  # settings may wait; check-ins never do
    monkeypatch.setattr(panel_cache, "SECONDS", 0)
    html = panel(client, desk)
    assert '<th scope="row">Renamed village</th>' in html and f'<th scope="row">{old_name}</th>' not in html
