"""Rate limits: login, public registration, ballots and guessing ticket codes, each with a clear 429.

The test configuration keeps every limit out of reach; the `limits` fixture puts real figures back.
"""

import re
import time
from decimal import Decimal
from types import SimpleNamespace

import pytest

from app.config import Config
from app.extensions import db
from app.proposals import service as proposals
from app.registration import service as registration
from app.registration.models import CheckIn, Participant
from app.registration.service import PersonDetails
from app.rules.codes import ALPHABET, new_code
from app.security import limiter
from app.voting import service as voting
from app.voting.models import Ballot
from tests.helpers import PASSWORD, csrf_token, login, post

HX = {"HX-Request": "true"}
WAIT = re.compile(r"Too many attempts\. Please wait (\d+) minutes? and try again\.")


@pytest.fixture
def limits(app, monkeypatch):
    """Production figures (or the test's own), on empty counters."""
    for name in ("RATELIMIT_REGISTRATION", "RATELIMIT_BALLOT", "RATELIMIT_TICKET_MISSES"):
        monkeypatch.setitem(app.config, name, getattr(Config, name))
    limiter.reset()
    yield app.config
    limiter.reset()


@pytest.fixture(autouse=True)
def english(client):
    client.set_cookie("lang", "en")


def retry_after(response) -> int:
    seconds = int(response.headers["Retry-After"])
    assert 0 < seconds
    return seconds


# -- login: the database-backed throttle --------------------------------------------------------


def test_login_is_blocked_after_five_failures_with_retry_after(client, make):
    make.user("aigul", make.municipality())
    for _ in range(5):
        assert login(client, "aigul", "guess").status_code == 422
    response = login(client, "aigul", PASSWORD)
    assert response.status_code == 429
    assert "Too many failed attempts. Try again in 15 minutes." in response.get_data(as_text=True)
    assert retry_after(response) == 15 * 60
    assert "/manage" not in (response.location or "")


def test_login_failures_from_one_address_block_other_accounts_from_it_but_not_other_addresses(client, make, app):
    kumbel = make.municipality()
    for name in ("aigul", "bakyt"):
        make.user(name, kumbel)
    for n in range(5):
        assert login(client, f"nobody{n}", "guess").status_code == 422
    assert login(client, "aigul", PASSWORD).status_code == 429
    elsewhere = app.test_client()
    elsewhere.environ_base["REMOTE_ADDR"] = "10.1.2.3"
    assert login(elsewhere, "bakyt", PASSWORD).status_code == 302


# -- public registration: per address -----------------------------------------------------------


@pytest.fixture
def hearing(make):
    return make.hearing(make.municipality(), state="announced")


def register(client, hearing):
    data = {"gender": "female", "age_band_id": str(hearing.municipality.age_bands[1].id), "consent": "y"}
    return post(client, f"/h/{hearing.public_code}/register", data)


def test_registration_from_one_address_stops_at_the_limit_with_a_translated_page(app, client, hearing, limits):
    assert limits["RATELIMIT_REGISTRATION"] == "10 per minute;100 per hour"
    for _ in range(10):
        assert register(client, hearing).status_code == 303
    refused = register(client, hearing)
    assert refused.status_code == 429
    assert 0 < retry_after(refused) <= 61
    assert WAIT.search(refused.get_data(as_text=True))
    assert '<html lang="en">' in refused.get_data(as_text=True)  # the whole page, in the site's layout
    assert db.session.scalar(db.select(db.func.count(Participant.id))) == 10
    assert client.get(f"/h/{hearing.public_code}/register").status_code == 200  # reading the form is free
    neighbour = app.test_client()
    neighbour.environ_base["REMOTE_ADDR"] = "10.9.8.7"
    neighbour.set_cookie("lang", "en")
    assert register(neighbour, hearing).status_code == 303


def test_the_limit_message_follows_the_visitors_language(client, hearing, limits, monkeypatch):
    monkeypatch.setitem(limits, "RATELIMIT_REGISTRATION", "1 per minute")
    register(client, hearing)
    client.set_cookie("lang", "ru")
    refused = register(client, hearing)
    assert refused.status_code == 429
    assert '<html lang="ru">' in refused.get_data(as_text=True)


# -- ballots: per ticket ------------------------------------------------------------------------


@pytest.fixture
def election(make):
    kumbel = make.municipality(settlements=("Kumbel", "Ak-Bulak"))
    clerk = make.user("aigul", kumbel, "clerk")
    hearing = make.hearing(kumbel, state="announced", envelope=Decimal("1000000"), kind="participatory_budget")
    project = proposals.submit(hearing, {"title": "Water", "category": "water_supply"})
    proposals.set_cost(project, Decimal(500000), clerk)
    proposals.admit(project, clerk)
    details = PersonDetails(gender="female", age_band_id=kumbel.age_bands[1].id)
    voters = [registration.walk_in(hearing, details, clerk).participant for _ in range(2)]
    voting.configure(hearing, {"ballot_kind": "approval"}, clerk)
    voting.open_voting(hearing, clerk)
    return SimpleNamespace(hearing=hearing, project=project, voters=voters)


def vote(client, participant, project):
    token = csrf_token(client, f"/t/{participant.token}")
    return client.post(f"/t/{participant.token}/ballot", data={"csrf_token": token, "project": [str(project.id)]})


def test_one_ticket_sends_at_most_ten_ballots_a_minute_and_other_tickets_are_not_held_up(client, election, limits):
    first, second = election.voters
    for _ in range(10):
        assert vote(client, first, election.project).status_code == 303
    refused = vote(client, first, election.project)
    assert refused.status_code == 429 and 0 < retry_after(refused) <= 61
    assert WAIT.search(refused.get_data(as_text=True))
    assert refused.headers["Referrer-Policy"] == "no-referrer"  # the token is in this URL too
    assert client.get(f"/t/{first.token}/ballot").status_code == 200  # the ballot can still be read
    assert vote(client, second, election.project).status_code == 303
    assert db.session.scalar(db.select(db.func.count(Ballot.id))) == 2


# -- guessing ticket codes at the desk ----------------------------------------------------------


@pytest.fixture
def desk(client, make):
    kumbel = make.municipality(settlements=("Kumbel",))
    clerk = make.user("aigul", kumbel, "clerk")
    make.user("bakyt", kumbel, "clerk")
    hearing = make.hearing(kumbel, state="announced")
    login(client, "aigul")
    details = PersonDetails(gender="female", age_band_id=kumbel.age_bands[1].id)
    people = [registration.register(hearing, details) for _ in range(40)]
    return SimpleNamespace(hearing=hearing, clerk=clerk, people=people, url=f"/manage/hearings/{hearing.id}/checkin")


def unknown_codes(desk, n):
    """`n` well-formed codes that no ticket of the hearing has."""
    taken = {p.short_code for p in desk.people}
    codes = set()
    while len(codes) < n:
        code = new_code()
        if code not in taken:
            codes.add(code)
    return sorted(codes)


def scan(client, desk, code, headers=HX):
    return post(client, desk.url, {"code": code, "method": ""}, headers=headers)


def test_valid_check_ins_at_desk_speed_are_never_limited(client, desk, limits):
    for person in desk.people:  # 40 in a row, more than the 30 misses allowed
        response = scan(client, desk, person.short_code)
        assert response.status_code == 200 and 'data-result="checked_in"' in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(CheckIn.id))) == 40


def test_guessing_codes_is_stopped_after_thirty_misses_long_before_a_share_of_the_space(client, desk, limits):
    space = len(ALPHABET) ** 6
    assert space == 887_503_681
    allowed = 30
    assert limits["RATELIMIT_TICKET_MISSES"].startswith(f"{allowed} per 10 minutes")
    tried = 0
    for code in unknown_codes(desk, allowed):
        response = scan(client, desk, code)
        tried += 1
        assert response.status_code == 422 and "No ticket with this code." in response.get_data(as_text=True)
    for code in [*unknown_codes(desk, 5), desk.people[0].short_code]:  # even a valid code now waits
        blocked = scan(client, desk, code)
        tried += 1
        assert blocked.status_code == 429, code
        assert 0 < retry_after(blocked) <= 601
    assert db.session.scalar(db.select(db.func.count(CheckIn.id))) == 0
    assert tried / space < 1e-6
    # A day allows 200 misses: even a year of them tries less than a ten-thousandth of the codes.
    assert 200 * 365 / space < 1e-4


def test_the_desk_shows_the_limit_in_place_of_the_result_and_keeps_its_target(client, desk, limits, monkeypatch):
    monkeypatch.setitem(limits, "RATELIMIT_TICKET_MISSES", "2 per 10 minutes")
    for code in unknown_codes(desk, 2):
        assert scan(client, desk, code).status_code == 422
    blocked = scan(client, desk, desk.people[0].short_code, {**HX, "HX-Target": "checkin-result"})
    assert blocked.status_code == 429
    assert blocked.headers["HX-Retarget"] == "#checkin-result" and blocked.headers["HX-Reswap"] == "outerHTML"
    body = blocked.get_data(as_text=True)
    assert re.search(r'<div id="checkin-result" class="flash error too-many" role="alert">', body)
    assert WAIT.search(body) and "<html" not in body
    without_htmx = scan(client, desk, desk.people[0].short_code, headers={})
    assert without_htmx.status_code == 429 and "<html" in without_htmx.get_data(as_text=True)


def test_misses_count_per_clerk_and_other_code_lookups_are_held_up_too(app, client, desk, limits, monkeypatch):
    monkeypatch.setitem(limits, "RATELIMIT_TICKET_MISSES", "2 per 10 minutes")
    for code in unknown_codes(desk, 2):
        scan(client, desk, code)
    desk.hearing.state = "in_session"  # questions are logged during the session
    db.session.commit()
    questions = f"/manage/hearings/{desk.hearing.id}/questions"
    asked = post(client, questions, {"ticket_code": desk.people[1].short_code, "text": "Why?"})
    assert asked.status_code == 429  # the question log looks codes up too
    colleague = app.test_client()
    login(colleague, "bakyt")
    assert scan(colleague, desk, desk.people[0].short_code).status_code == 200


def test_malformed_codes_are_refused_without_counting_as_guesses(client, desk, limits, monkeypatch):
    monkeypatch.setitem(limits, "RATELIMIT_TICKET_MISSES", "2 per 10 minutes")
    for text in ("12", "ABC", "O0O0O0", "toolongcode"):
        assert scan(client, desk, text).status_code == 422
    assert scan(client, desk, desk.people[0].short_code).status_code == 200


def test_the_swept_memory_store_is_the_limiters_and_keeps_limits_exact_between_sweeps(app):
    """The slower sweep only frees memory: an expired window lets requests through before any sweep ran."""
    from limits import parse
    from limits.storage import storage_from_string
    from limits.strategies import MovingWindowRateLimiter

    from app import ratelimit_store

    with app.app_context():
        assert isinstance(limiter.storage, ratelimit_store.SweptMemoryStorage)
    storage = storage_from_string("swept-memory://")
    assert isinstance(storage, ratelimit_store.SweptMemoryStorage)
    window, strategy = parse("2 per second"), MovingWindowRateLimiter(storage)
    assert strategy.hit(window, "ticket:a") and strategy.hit(window, "ticket:a")
    assert not strategy.hit(window, "ticket:a")  # the third in the same second is refused
    assert strategy.hit(window, "ticket:b")  # another key is not held up
    assert storage.timer.interval == ratelimit_store.SWEEP_SECONDS and storage.timer.daemon
    storage.timer.cancel()  # no sweep at all from here on
    time.sleep(1.05)  # the window passes
    assert any("ticket:a" in key for key in storage.events)  # the old hits are still held in memory...
    assert strategy.hit(window, "ticket:a")  # ...yet the limit counts only what is inside the window
