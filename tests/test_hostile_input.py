"""Hostile input in every public form and the clerk's main forms: never a 500, never a partial write.

The forms are read from the rendered pages, so a new field is attacked without changing this file.
After every request nothing may be stored that PostgreSQL would refuse (NUL, overlong strings, integers
beyond 32 bits): on SQLite that shows a request that would crash on PostgreSQL.
"""

import re
import traceback
from datetime import date, timedelta
from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.extensions import db
from app.registration.service import PersonDetails, register
from tests.db_state import WriteWatch, storage_violations
from tests.helpers import PASSWORD, csrf_token, login, post
from tests.hostile_world import build, pages
from tests.html_forms import Form, forms_of

NASTY = [
    "", " ", "\x01\x08\x1b[31m\x7f", "\r\nSet-Cookie: x=1", "A" * 5000, "ю" * 20000, "1" + "0" * 30, "-1", "-0",
    "NaN", "inf", "-inf", "1e309", "-1e309", "9" * 400, "0x1F", "1_000", "1.5", "²", "٣", "１２", "\u202egnp.exe",
    "e\u0301\u0301\u0301\u0301", "👩\u200d👩\u200d👧", "💥" * 300, "\ufeff", "\u2028\u2029", "\u200b",
    "<script>alert(1)</script>", "javascript:alert(1)", "{{7*7}}", "' OR 1=1 --", "../../etc/passwd", "//evil.example",
    "/\t/evil.example", "2024-02-30", "99:99", b"\xed\xa0\x80", b"\xed\xbf\xbf\xed\xa0\x80", b"\xff\xfe", b"\xc0\xaf",
]  # fmt: skip
# Per field alone, the rest of the form valid: what each kind of control is most likely to choke on.
FIELD_ATTACKS = {"text": ("💥" * 2000,), "number": ("1" + "0" * 30, "9" * 400, "-1"), "choice": ("1" + "0" * 30, "²"),
                 "date": ("9999-12-31", "2024-02-30")}  # fmt: skip
# Tried in every free field at once; the rest of NASTY comes up in the random test.
AT_ONCE = ("", "\x01\x08\x1b[31m\x7f", "ю" * 20000, "1e309", "NaN", "²", "\u202egnp.exe", "👩\u200d👩\u200d👧",
           "<script>alert(1)</script>", "/\t/evil.example", b"\xed\xa0\x80", b"\xff\xfe")  # fmt: skip
CHOICE_KINDS = ("select", "radio", "checkbox")
TEXT_KINDS = ("text", "textarea", "email", "tel", "password", "search", "url")
# Actions the sweep leaves alone: they end the session, or only change state and take no text.
SKIPPED_ACTIONS = ("/logout", "/delete", "/voting/open", "/voting/close", "/cancel", "/postpone", "/rotate-token")
# Names a request may carry beyond a form's own fields: paging, ballot choices, redirect targets.
EXTRA_NAMES = ("page", "project", "next", "save", "into", "points-1", "place-1", "lang", "ticket")
# A refused login is remembered, to throttle guessing: the one write a 4xx may make.
WRITES_ON_REFUSAL = {"/login": {"login_attempt"}}


def baseline(action: str, world) -> dict[str, str]:
    """Values that make the form at `action` valid, so that one hostile field is what gets tested."""
    soon, today = (date.today() + timedelta(days=40)).isoformat(), date.today().isoformat()
    known = [
        (r"/register$", {"gender": "female", "consent": "y"}),
        (r"/propose", {"title": "Well", "category": "water_supply"}),
        (r"/proposals/new$", {"title": "Well", "category": "water_supply"}),
        (r"/login$", {"username": "nobody", "password": "wrong-password"}),
        (r"/hearings/(new|\d+/edit)$", {"kind": "budget_draft", "title_ky": "T", "title_ru": "T", "date": soon,
                                         "start_time": "10:00", "end_time": "12:00", "venue": "Hall"}),
        (r"/checkin$", {"code": world.session_code}),
        (r"/walkin$", {"gender": "female"}),
        (r"/undo$", {"reason": "mistake"}),
        (r"/questions$", {"text": "Why?", "gender": "female"}),
        (r"/answer$", {"a1-answer": "Because.", "answer-answer": "Because."}),
        (r"/consultations$", {"held_on": today, "place": "School", "kind": "wag_meeting", "count_female_1": "4"}),
        (r"/voting$", {"ballot_kind": "approval", "rule": "majority"}),
        (r"/paper$", {"gender": "female"}),
        (r"/corrections$", {"subject": "chair", "value": "A. Chair", "reason": "Typo"}),
        (r"/decide$", {"decide-action": "select", "decide-reason": "Fits"}),
        (r"/cost$", {"set_cost-cost": "100"}),
        (r"/minutes/edit$", {"chair": "A. Chair"}),
        (r"/settlements$", {"name": "Ak-Jol"}),
        (r"/members$", {"username": "newbie", "full_name": "New", "password": "long-enough-pass", "role": "observer"}),
        (r"/organisations(/\d+)?$", {"name": "Youth of Kumbel", "kind": "youth_group"}),
    ]  # fmt: skip
    values = {}
    for pattern, entries in known:
        if re.search(pattern, action.split("?")[0]):
            values.update(entries)
    return values


hostile = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=40),
    st.binary(max_size=24),
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)


class Target:
    """A form on a page, the client that sees it, and the values that make it valid."""

    def __init__(self, client, path: str, form: Form, world):
        self.client, self.path, self.form = client, path, form
        self.action = form.action or path
        self.valid = {**form.defaults(), **baseline(self.action, world)}

    def fields(self, kinds) -> list[str]:
        return [name for name, f in self.form.fields.items() if f.kind in kinds and "csrf" not in name]

    def with_values(self, **changes) -> list[tuple[str, str | bytes]]:
        """The valid submission with some fields replaced."""
        return list({**self.valid, **changes}.items())


def targets(app, make) -> list[Target]:
    """Every form on the public and clerk pages, with an anonymous or an admin client."""
    world = build(make)
    anonymous, admin = app.test_client(), app.test_client()
    login(admin, "kadmin")
    found = []
    for who, path in pages(world):
        client = admin if who == "clerk" else anonymous
        response = client.get(path)
        assert response.status_code == 200, path
        for form in forms_of(response.get_data(as_text=True)):
            action = form.action or path
            if not any(skip in action for skip in SKIPPED_ACTIONS) and (who == "public" or action != "/language"):
                found.append(Target(client, path, form, world))
    assert len(found) >= 30
    return found


def send(target: Target, pairs, htmx: bool = False):
    """Submit `pairs` the way the form would (GET query or urlencoded POST); the body read and closed."""
    body = urlencode(pairs)
    headers = {"HX-Request": "true"} if htmx else {}
    if target.form.method == "GET":
        response = target.client.get(f"{target.action}?{body}", headers=headers)
    else:
        response = target.client.post(target.action, data=body, content_type="application/x-www-form-urlencoded",
                                       headers=headers)  # fmt: skip
    response.get_data()
    response.close()
    return response


def problem_with(target: Target, pairs, htmx: bool = False) -> str | None:
    """What went wrong: a server error, a refusal that wrote, a value PostgreSQL would refuse; None if nothing."""
    with WriteWatch(db.engine) as watch:
        try:
            response = send(target, pairs, htmx)
        except Exception as error:  # the test app propagates what would be a 500
            frame = traceback.extract_tb(error.__traceback__)[-1]
            return f"{type(error).__name__}: {str(error)[:120]} at {frame.filename.split('/app/')[-1]}:{frame.lineno}"
    written = watch.take()
    if response.status_code >= 500:
        return f"status {response.status_code}"
    if response.status_code >= 400 and written - WRITES_ON_REFUSAL.get(target.action, set()):
        return f"status {response.status_code} but wrote {sorted(written)}"
    violations = storage_violations(written) if written else []
    return f"status {response.status_code}, stored {violations[:2]}" if violations else None


def collect(problems: dict, target: Target, pairs, htmx: bool = False) -> None:
    problem = problem_with(target, pairs, htmx)
    if problem:
        problems.setdefault((target.action, problem), [p for p in pairs if "csrf" not in p[0]][:4])


def report(problems: dict) -> str:
    return "\n".join(f"{action}: {problem} <- {pairs}" for (action, problem), pairs in problems.items())


@pytest.fixture
def all_targets(app, make):
    """Every form on the public and clerk pages, with the client that sees it."""
    return targets(app, make)


def test_nul_anywhere_is_refused_before_the_database(all_targets):
    problems = {}
    for target in all_targets:
        for name in [n for n in target.valid if "csrf" not in n] + ["extra"]:
            with WriteWatch(db.engine) as watch:
                response = send(target, target.with_values(**{name: "a\x00b"}))
            if response.status_code != 400 or watch.take():
                problems[(target.action, name)] = response.status_code
    client = all_targets[0].client
    for url in ("/t/a%00b", "/track/a%00b", "/h/ABC%00/register", "/m/kumbel%00", "/m/kumbel/proposals?status=%00",
                "/login?next=%00"):  # fmt: skip
        if client.get(url).status_code != 400:
            problems[url] = client.get(url).status_code
    assert not problems, problems


def test_each_field_alone_overlong_huge_or_malformed_is_refused_or_stored_safely(all_targets):
    for target in all_targets:
        assert problem_with(target, target.with_values()) is None, target.action  # the valid baseline goes through
    problems = {}
    for target in all_targets:
        attacks = {**{n: FIELD_ATTACKS["text"] for n in target.fields(TEXT_KINDS)},
                   **{n: FIELD_ATTACKS["number"] for n in target.fields(("number", "hidden"))},
                   **{n: FIELD_ATTACKS["choice"] for n in target.fields(CHOICE_KINDS)},
                   **{n: FIELD_ATTACKS["date"] for n in target.fields(("date", "time"))}}  # fmt: skip
        for name, values in attacks.items():
            for value in values:
                collect(problems, target, target.with_values(**{name: value}))
    assert not problems, report(problems)


def test_every_nasty_value_in_every_free_field_at_once_is_refused_or_stored_safely(all_targets):
    problems = {}
    for target in all_targets:
        free = target.fields(TEXT_KINDS + ("number", "date", "time"))
        for value in AT_ONCE:
            collect(problems, target, target.with_values(**dict.fromkeys([*free, *EXTRA_NAMES[:3]], value)))
    assert not problems, report(problems)


HOW = ("keep", "keep", "option", "hostile", "drop", "twice")


@st.composite
def submissions(draw, all_targets):
    """A form, and what a hostile client sends for it: fields kept, dropped, repeated or replaced."""
    target = draw(st.sampled_from(all_targets))
    pairs = []
    for name, value in target.valid.items():
        how = "keep" if "csrf" in name else draw(st.sampled_from(HOW))
        if how == "keep":
            pairs.append((name, value))
        elif how == "option" and target.form.fields.get(name) and target.form.fields[name].options:
            pairs.append((name, draw(st.sampled_from(target.form.fields[name].options))))
        elif how in ("hostile", "option"):
            pairs.append((name, draw(hostile)))
        elif how == "twice":
            pairs += [(name, draw(hostile)), (name, value)]
    pairs += draw(st.lists(st.tuples(st.sampled_from(EXTRA_NAMES), hostile), max_size=2))
    return target, pairs, draw(st.booleans())


@settings(max_examples=200, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])  # fmt: skip
@given(data=st.data())
def test_random_hostile_submissions_never_fail_or_half_write(all_targets, data):
    target, pairs, htmx = data.draw(submissions(all_targets))
    problems = {}
    collect(problems, target, pairs, htmx)
    assert not problems, report(problems)


def test_a_page_number_beyond_any_offset_shows_an_empty_list(client, make):
    make.municipality()
    for page in ("1" + "0" * 30, "-5", "9" * 400):
        assert client.get(f"/m/kumbel/proposals?page={page}").status_code == 200, page


def test_saving_the_age_bands_as_shown_keeps_the_bands_participants_use(client, make):
    kumbel = make.municipality()
    make.user("kadmin", kumbel, "admin")
    hearing = make.hearing(kumbel)
    register(hearing, PersonDetails(gender="female", age_band_id=kumbel.age_bands[1].id))
    labels = [band.label for band in kumbel.age_bands]
    login(client, "kadmin")
    page = client.get("/manage/kumbel/age-bands").get_data(as_text=True)
    form = forms_of(page)[-1]
    assert [form.fields[f"bands-{n}-label"].value for n in range(len(labels))] == labels
    response = client.post("/manage/kumbel/age-bands", data=form.defaults())
    assert response.status_code == 302
    db.session.expire_all()
    assert [band.label for band in kumbel.age_bands] == labels
    removed = {**form.defaults(), "bands-1-label": "", "bands-2-label": "", "bands-3-label": ""}
    response = client.post("/manage/kumbel/age-bands", data=removed)
    assert response.status_code == 422
    assert "cannot be removed" in response.get_data(as_text=True)


@pytest.mark.parametrize("target", ["/\t/evil.example", "/\n/evil.example", "/\r\n/evil.example", "/ /evil.example",
                                    "//evil.example", "/\\evil.example", "https://evil.example"])
def test_the_language_switch_and_login_never_redirect_to_another_site(client, make, target):
    make.municipality()
    make.user("kclerk")
    response = post(client, "/language", {"lang": "en", "next": target})
    assert response.location == "/"
    response = post(client, f"/login?next={quote(target)}", {"username": "kclerk", "password": PASSWORD})
    assert response.location == "/manage/"


@pytest.mark.parametrize("who", [None, "kadmin"])
def test_ids_in_addresses_too_large_for_the_database_are_not_found(app, client, make, who):
    kumbel = make.municipality()
    make.user("kadmin", kumbel, "admin")
    if who:
        login(client, who)
    for rule in app.url_map.iter_rules():
        if "int" not in str(rule.rule):
            continue
        url = re.sub(r"<int:[^>]+>", "9" * 20, re.sub(r"<(?!int:)[^>]+>", "kumbel", rule.rule))
        for method in [m for m in ("GET", "POST") if m in rule.methods]:
            response = client.open(url, method=method, data={"csrf_token": csrf_token(client)})
            assert response.status_code in (404, 405), (method, url, response.status_code)
