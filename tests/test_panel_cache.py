"""The live and projector panels are reused for a moment by every screen, but never hide a check-in."""

from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from app.auth.models import Membership, User
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
def window(monkeypatch):
    """Sets how long a rendered panel is reused (far longer than any test, or zero)."""
    return lambda seconds: monkeypatch.setattr(panel_cache, "SECONDS", seconds)


def panel(client, desk, which="live"):
    return client.get(f"{desk.url}/{which}/panel", headers=HX).get_data(as_text=True)


def test_within_the_window_every_screen_gets_the_same_rendered_panel(client, desk, window):
    window(3600)
    people = [register(desk.hearing, "female"), register(desk.hearing, "male")]
    scan(client, desk, people[0].token)
    first = panel(client, desk)
    assert figure(first, "total") == 1
    scan(client, desk, people[1].token)
    assert panel(client, desk) == first  # reused: the desk's own count line is the exact one
    window(0)
    html = panel(client, desk)
    assert figure(html, "total") == 2 and figure(html, "women") == 1


def test_after_the_window_an_undo_and_a_renamed_village_show(client, desk, window):
    window(3600)
    people = [register(desk.hearing, "female", settlement=1), register(desk.hearing, "female", settlement=1)]
    for person in people:
        scan(client, desk, person.token)
    village = desk.municipality.settlements[1]
    old_name = village.name
    assert figure(panel(client, desk, "projector"), "total") == 2
    entry = db.session.scalar(db.select(CheckIn).order_by(CheckIn.id.desc()))
    post(client, f"{desk.url}/checkins/{entry.id}/undo", {"reason": "Wrong ticket"}, headers=HX)
    village.name = "Renamed village"
    db.session.commit()
    assert figure(panel(client, desk, "projector"), "total") == 2
    window(0)
    assert figure(panel(client, desk, "projector"), "total") == 1
    html = panel(client, desk)
    assert '<th scope="row">Renamed village</th>' in html and f'<th scope="row">{old_name}</th>' not in html


def test_panels_of_different_hearings_and_languages_are_kept_apart(client, desk, make, window):
    window(3600)
    scan(client, desk, register(desk.hearing, "female").token)
    assert figure(panel(client, desk), "total") == 1
    other = make.hearing(desk.municipality, state="announced")
    html = client.get(f"/manage/hearings/{other.id}/live/panel", headers=HX).get_data(as_text=True)
    assert figure(html, "total") == 0
    client.set_cookie("lang", "ru")
    assert "checked in" not in panel(client, desk)


def _statements(client, url):
    """The SQL statements one GET of `url` runs, and its response."""
    seen = []

    def note(conn, cursor, statement, *args):
        seen.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", note)
    try:
        response = client.get(url, headers=HX)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", note)
    return response, seen


def test_a_fresh_panel_is_answered_without_loading_its_hearing(client, desk, window):
    window(3600)
    scan(client, desk, register(desk.hearing, "female").token)
    first, _ = _statements(client, f"{desk.url}/live/panel")
    again, statements = _statements(client, f"{desk.url}/live/panel")
    assert again.status_code == 200 and again.get_data() == first.get_data()
    assert not any("FROM hearing" in s for s in statements)  # only the logged-in user is loaded
    assert len(statements) == 1


def test_a_fresh_panel_is_still_refused_to_other_municipalities_and_revoked_members(app, client, desk, make, window):
    window(3600)
    assert figure(panel(client, desk), "total") == 0  # the panel is in the cache now
    stranger_town = make.municipality(slug="tash-bulak", name="Tash-Bulak")
    make.user("bakyt", stranger_town, "clerk")
    stranger = app.test_client()
    login(stranger, "bakyt")
    for which in ("live", "projector"):
        assert stranger.get(f"{desk.url}/{which}/panel", headers=HX).status_code == 403
    assert app.test_client().get(f"{desk.url}/live/panel", headers=HX).status_code in (302, 401)
    assert client.get(f"{desk.url}/live/panel", headers=HX).status_code == 200
    membership = db.session.scalar(db.select(Membership).join(User).where(User.username == "aigul"))
    db.session.delete(membership)
    db.session.commit()
    assert client.get(f"{desk.url}/live/panel", headers=HX).status_code == 403
