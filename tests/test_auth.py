"""Logging in, throttling, logging out and the language switcher."""

from app.auth.models import LoginAttempt, User
from app.extensions import db
from tests.helpers import PASSWORD, csrf_token, login, post


def test_a_clerk_logs_in_and_lands_on_her_hearings(client, make):
    kumbel = make.municipality()
    make.user("aigul", kumbel, "clerk")
    response = login(client, "aigul")
    assert response.status_code == 302
    page = client.get(response.location, follow_redirects=True)
    assert page.request.path == "/manage/kumbel/hearings"
    assert "Kumbel" in page.get_data(as_text=True)


def test_passwords_are_stored_as_argon2_hashes(make):
    user = make.user("aigul")
    assert user.password_hash.startswith("$argon2")
    assert PASSWORD not in user.password_hash


def test_wrong_password_is_refused_next_to_the_field(client, make):
    make.user("aigul", make.municipality())
    response = login(client, "aigul", "wrong")
    assert response.status_code == 422
    assert "Wrong username or password." in response.get_data(as_text=True)


def test_five_failures_block_even_the_right_password_with_a_clear_message(client, make):
    make.user("aigul", make.municipality())
    for _ in range(5):
        assert login(client, "aigul", "guess").status_code == 422
    response = login(client, "aigul", PASSWORD)
    assert response.status_code == 429
    assert "Too many failed attempts. Try again in 15 minutes." in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(LoginAttempt.id))) == 5


def test_login_without_csrf_token_is_refused(client, make):
    make.user("aigul", make.municipality())
    response = client.post("/login", data={"username": "aigul", "password": PASSWORD})
    assert response.status_code == 400
    assert "/manage" not in (response.location or "")


def test_htmx_post_carries_csrf_in_a_header(client, make):
    kumbel = make.municipality()
    make.user("aigul", kumbel)
    login(client, "aigul")
    token = csrf_token(client, "/manage/kumbel/hearings")
    headers = {"HX-Request": "true", "X-CSRFToken": token}
    ok = client.post("/manage/kumbel/hearings/checklist", data={"date": "2030-01-01"}, headers=headers)
    assert ok.status_code == 200 and 'id="checklist"' in ok.get_data(as_text=True)
    refused = client.post("/manage/kumbel/hearings/checklist", headers={"HX-Request": "true"})
    assert refused.status_code == 400


def test_logout_ends_the_session(client, make):
    make.user("aigul", make.municipality())
    login(client, "aigul")
    token = csrf_token(client, "/manage/kumbel/hearings")
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/manage/kumbel/hearings").status_code == 302


def test_next_parameter_cannot_send_the_clerk_to_another_site(client, make):
    make.user("aigul", make.municipality())
    data = {"username": "aigul", "password": PASSWORD, "csrf_token": csrf_token(client)}
    response = client.post("/login?next=//evil.example/x", data=data)
    assert response.location == "/manage/"


def test_language_switch_is_kept_in_cookie_and_profile(client, make):
    make.user("aigul", make.municipality())
    login(client, "aigul")
    response = post(client, "/language", {"lang": "ru", "next": "/manage/kumbel/hearings"})
    assert response.status_code == 302
    assert "lang=ru" in response.headers["Set-Cookie"]
    assert db.session.scalar(db.select(User.locale).filter_by(username="aigul")) == "ru"
    assert '<html lang="ru">' in client.get("/manage/kumbel/hearings").get_data(as_text=True)


def test_unknown_language_is_ignored(client):
    response = post(client, "/language", {"lang": "xx", "next": "/"})
    assert response.status_code == 302
    assert "lang=" not in response.headers.get("Set-Cookie", "")


def test_deactivated_user_cannot_log_in(client, make):
    user = make.user("aigul", make.municipality())
    user.active = False
    db.session.commit()
    assert login(client, "aigul").status_code == 422
