"""Security headers on every response, no inline script or handler anywhere, https behind a proxy, production."""

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

from app import create_app
from app.config import TestConfig
from app.extensions import db
from app.hearings.models import HearingDocument
from app.organisations.models import Organisation
from app.registration import service as registration
from app.registration.models import Participant
from tests.helpers import csrf_token, login
from tests.results_fixtures import ballot_hearing
from tests.world import build_world, url_for_rule

ROOT = Path(__file__).resolve().parents[1]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.I)
HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I)
STYLE_ATTRIBUTE = re.compile(r"<[a-z][^>]*\sstyle\s*=", re.I)
STYLE_ELEMENT = re.compile(r"<style\b([^>]*)>", re.I)
JS_URL = re.compile(r"""(?:href|src|action)\s*=\s*["']?\s*javascript:""", re.I)


def policy(response) -> dict[str, str]:
    """The Content-Security-Policy as {directive: sources}."""
    parts = (part.strip().split(" ", 1) for part in response.headers["Content-Security-Policy"].split(";"))
    return {part[0]: part[1] if len(part) > 1 else "" for part in parts}


def test_an_html_page_carries_every_security_header(client):
    response = client.get("/login")
    csp = policy(response)
    assert csp["script-src"] == "'self'" and "unsafe" not in response.headers["Content-Security-Policy"]
    assert csp["style-src"] == "'self'"
    assert csp["frame-ancestors"] == "'none'" and csp["object-src"] == "'none'"
    assert csp["base-uri"] == csp["form-action"] == csp["connect-src"] == "'self'"
    assert csp["img-src"] == "'self' data: blob:" and "blob:" in csp["worker-src"] and "blob:" in csp["media-src"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response.headers["Permissions-Policy"].startswith("camera=(self)")
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in response.headers  # plain http: HSTS would mean nothing


def test_static_files_and_error_pages_carry_the_headers_too(client):
    for path in ("/static/js/desk.js", "/static/vendor/htmx-2.0.11/htmx.min.js", "/no-such-page"):
        response = client.get(path)
        response.close()
        assert "script-src 'self'" in response.headers["Content-Security-Policy"], path
        assert response.headers["X-Content-Type-Options"] == "nosniff", path


def test_ticket_ballot_and_tracking_pages_send_no_referrer(client, make):
    hearing = make.hearing(make.municipality(), state="announced")
    person = registration.register(hearing, registration.PersonDetails(gender="female"))
    ticket = client.get(f"/t/{person.token}")
    assert ticket.status_code == 200 and ticket.headers["Referrer-Policy"] == "no-referrer"
    assert "unsafe-inline" not in ticket.headers["Content-Security-Policy"]
    for path in (f"/t/{person.token}/ballot", "/track/" + "x" * 32, "/t/" + "y" * 32):
        assert client.get(path).headers["Referrer-Policy"] == "no-referrer", path


def test_an_uploaded_document_keeps_its_own_sandbox_policy(client, make):
    kumbel = make.municipality()
    make.user("aigul", kumbel, "clerk")
    login(client, "aigul")
    hearing = make.hearing(kumbel, state="announced")
    data = {"csrf_token": csrf_token(client), "kind": "draft_budget", "file": (io.BytesIO(PDF), "budget.pdf")}
    assert client.post(f"/manage/hearings/{hearing.id}/documents", data=data).status_code == 302
    document = db.session.scalar(db.select(HearingDocument))
    with client.get(f"/h/{hearing.public_code}/documents/{document.id}") as response:
        assert response.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"
        assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_the_standalone_summary_admits_only_its_own_style_by_nonce(client, make):
    hearing, _ = ballot_hearing(make)
    response = client.get(f"/h/{hearing.public_code}/summary")
    nonce = re.search(r"'nonce-([^']+)'", policy(response)["style-src"]).group(1)
    assert STYLE_ELEMENT.findall(response.get_data(as_text=True)) == [f' nonce="{nonce}"']
    assert nonce != re.search(r"'nonce-([^']+)'", client.get(f"/h/{hearing.public_code}/summary")
                              .headers["Content-Security-Policy"]).group(1)  # fmt: skip
    assert policy(client.get("/")).get("style-src") == "'self'"  # other pages admit no inline style


def test_https_requests_get_hsts(client):
    response = client.get("/login", base_url="https://localhost")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


# -- every page: no inline script, handler or style ----------------------------------------------


def inline_problems(html: str) -> list[str]:
    """Inline scripts, on*= handlers, style attributes, javascript: URLs and <style> without a nonce."""
    found = INLINE_SCRIPT.findall(html) + HANDLER.findall(html) + STYLE_ATTRIBUTE.findall(html) + JS_URL.findall(html)
    found += [f"<style{attrs}>" for attrs in STYLE_ELEMENT.findall(html) if "nonce=" not in attrs]
    return found


def scan_pages(app, client, values) -> int:
    """GET every GET route filled with `values`; assert each HTML page is clean. Returns the pages checked."""
    checked = 0
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        try:
            url = url_for_rule(rule, values)
        except KeyError:  # a record this world does not have
            continue
        response = client.get(url)
        response.close()
        if response.status_code != 200 or not response.mimetype == "text/html":
            continue
        assert inline_problems(response.get_data(as_text=True)) == [], url
        assert "unsafe-inline" not in response.headers["Content-Security-Policy"], url
        checked += 1
    return checked


def test_no_page_of_the_access_world_has_inline_script_or_handlers(app, client, make):
    kumbel = build_world(make)["kumbel"]
    anonymous = scan_pages(app, client, kumbel.values())
    login(client, "kadmin")
    admin = scan_pages(app, client, kumbel.values())
    login(client, "kclerk")
    clerk = scan_pages(app, client, kumbel.values())
    assert anonymous >= 8 and admin >= 30 and clerk >= 30, (anonymous, admin, clerk)


def test_no_page_of_a_published_ballot_hearing_has_inline_script_or_style(app, client, make):
    hearing, parts = ballot_hearing(make)
    organisation = Organisation(municipality_id=hearing.municipality_id, name="Women's group", kind="wag")
    db.session.add(organisation)
    db.session.commit()
    ticket = db.session.scalar(db.select(Participant.token).filter_by(hearing_id=hearing.id))
    values = {"slug": hearing.municipality.slug, "hearing_id": hearing.id, "code": hearing.public_code,
              "proposal_id": parts["water"].id, "organisation_id": organisation.id, "ticket": ticket,
              "organisation_token": organisation.tracking_token, "filename": "css/app.css"}  # fmt: skip
    login(client, parts["clerk"].username)
    outcome = client.get(f"/manage/hearings/{hearing.id}/outcome").get_data(as_text=True)
    assert re.search(r'<svg class="stack"[^>]*><rect x="0\.0" y="0" width="[\d.]+"', outcome)  # bars are drawn
    assert scan_pages(app, client, values) >= 25


# -- behind a reverse proxy ----------------------------------------------------------------------


def test_trusted_proxy_headers_give_https_and_the_client_address(app):
    class Proxied(TestConfig):
        SQLALCHEMY_DATABASE_URI = app.config["SQLALCHEMY_DATABASE_URI"]
        TRUSTED_PROXIES = 1

    proxied = create_app(Proxied)
    proxied.add_url_rule("/_seen", "seen", lambda: __import__("flask").request.access_route[0] + " " +
                         __import__("flask").request.scheme)  # fmt: skip
    forwarded = {"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https", "X-Forwarded-Host": "h.example.kg"}
    response = proxied.test_client().get("/_seen", headers=forwarded)
    assert response.get_data(as_text=True) == "203.0.113.7 https"
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    untrusted = app.test_client().get("/login", headers=forwarded)
    assert "Strict-Transport-Security" not in untrusted.headers  # without TRUSTED_PROXIES nobody is believed
    with proxied.app_context():
        db.engine.dispose()


# -- production settings, in a fresh interpreter as gunicorn would start it ----------------------

PROBE = """
import json, os, sys
from app import create_app
for flag in sys.argv[1:]:  # FLASK_DEBUG is read when each app is created; "-" leaves it unset
    os.environ.pop("FLASK_DEBUG", None) if flag == "-" else os.environ.update(FLASK_DEBUG=flag)
    app = create_app()
    response = app.test_client().get("/login", base_url="https://hearings.example.kg")
    print(json.dumps({"debug": app.debug, "cookies": response.headers.getlist("Set-Cookie"),
                      "secure": [app.config["SESSION_COOKIE_SECURE"], app.config["REMEMBER_COOKIE_SECURE"]]}))
"""


def start(tmp_path, flags=("-",), **env) -> subprocess.CompletedProcess:
    """Create the app in a new interpreter with `env`, once per FLASK_DEBUG value in `flags`."""
    environment = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "HEARINGS_ENV", "FLASK_DEBUG")}
    environment.update(DATABASE_URL=f"sqlite:///{tmp_path / 'probe.sqlite'}", **env)
    return subprocess.run([sys.executable, "-c", PROBE, *flags], cwd=ROOT, env=environment, capture_output=True,
                          text=True, timeout=120)  # fmt: skip


def probes(started) -> list[dict]:
    assert started.returncode == 0, started.stderr
    return [json.loads(line) for line in started.stdout.splitlines() if line.startswith("{")]


def test_production_refuses_the_default_secret_key(tmp_path):
    refused = start(tmp_path, HEARINGS_ENV="production")
    assert refused.returncode != 0 and "Set SECRET_KEY" in refused.stderr


def test_production_sends_cookies_only_over_https_with_debug_off(tmp_path):
    [probe] = probes(start(tmp_path, HEARINGS_ENV="production", SECRET_KEY="a" * 64))
    assert probe["debug"] is False and probe["secure"] == [True, True]
    session = next(cookie for cookie in probe["cookies"] if cookie.startswith("session="))
    assert "Secure" in session and "HttpOnly" in session and "SameSite=Lax" in session


def test_production_refuses_the_debugger(tmp_path):
    refused = start(tmp_path, ("1",), HEARINGS_ENV="production", SECRET_KEY="a" * 64)
    assert refused.returncode != 0 and "FLASK_DEBUG must be off" in refused.stderr


def test_debug_is_off_unless_flask_debug_is_1(tmp_path):
    found = probes(start(tmp_path, ("-", "0", "1")))
    assert [probe["debug"] for probe in found] == [False, False, True]
    assert all(probe["secure"] == [False, False] for probe in found)  # development: plain http works
