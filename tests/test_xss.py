"""Stored XSS: script, event-handler, SVG and javascript: payloads in every free-text column stay inert on
every page that shows them, public and clerk, HTML, Atom, JSON and CSV alike."""

import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest
import sqlalchemy as sa

from app.consultations.models import Consultation
from app.extensions import db
from app.hearings.models import Justification
from app.publication.models import Correction
from app.timeutil import utcnow
from tests.helpers import login
from tests.world import build_world, url_for_rule

PAYLOAD = 'javascript:alert(1)//"><script>alert(1)</script><img src=x onerror=alert(1)><svg onload=alert(1)>'
# Every text column people type into, and so every column whose value is shown back on some page.
FREE_TEXT = {
    "municipality": ("name", "region"), "user": ("full_name",), "age_band": ("label",),
    "organisation": ("name", "contact_email"), "settlement": ("name",),
    "hearing": ("state_reason", "venue", "address", "provisions_note", "chair", "secretary", "presentations"),
    "agenda_item": ("text",), "consultation": ("place", "notes"), "correction": ("before", "after", "reason"),
    "hearing_document": ("original_name",), "hearing_text": ("title", "description"), "justification": ("text",),
    "participant": ("name", "phone"), "question": ("text", "answered_by", "answer"),
    "consultation_priority": ("text",), "proposal_event": ("text",),
    "proposal": ("proposer_email", "title", "description", "status_reason", "answer", "budget_line"),
}  # fmt: skip
# Text columns nobody types free text into: codes, tokens, choices from a list, hashes; or never shown on a page.
NOT_FREE_TEXT = {
    "login_attempt": ("username", "address"), "outbox_message": ("recipient", "subject", "body", "last_error"),
    "municipality": ("slug", "country", "languages", "required_languages", "default_locale", "currency", "timezone",
                     "market_days", "proposal_categories", "excluded_categories"),
    "user": ("username", "password_hash", "locale"), "audit_event": ("action", "object_type", "prev_hash", "hash"),
    "membership": ("role",), "organisation": ("kind", "tracking_token"), "hearing": ("public_code", "kind", "state",
                                                                                     "currency"),
    "consultation": ("kind",), "correction": ("subject",), "hand_count": ("subject", "gender"),
    "hearing_document": ("kind", "stored_name", "content_type"), "hearing_text": ("locale",),
    "justification": ("stage", "requirement"), "outcome": ("rule",), "voting_setup": ("ballot_kind", "rule"),
    "participant": ("token", "short_code", "source", "gender"), "ballot": ("source", "gender"), "check_in": ("method",),
    "consultation_count": ("gender",), "question": ("asker_gender",), "proposal_event": ("kind", "from_status",
                                                                                         "to_status", "photo"),
    "proposal": ("proposer_gender", "source", "category", "beneficiaries", "photo", "status"),
}  # fmt: skip
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "hx-get", "hx-post"}


class _Inertness(HTMLParser):
    """Collects every place where a payload became live markup."""

    def __init__(self):
        super().__init__()
        self.live, self._in_script = [], False

    def handle_starttag(self, tag, attrs):
        self._in_script = tag == "script"
        for name, value in attrs:
            value = value or ""
            if name.startswith("on") and "alert(" in value:
                self.live.append(f"<{tag} {name}={value}>")
            if name in URL_ATTRIBUTES and "".join(value.split()).lower().startswith("javascript:"):
                self.live.append(f"<{tag} {name}={value}>")
            if tag == "img" and name == "src" and value == "x":
                self.live.append("<img src=x>")

    def handle_data(self, data):
        if self._in_script and "alert(" in data:
            self.live.append(f"<script>{data}")

    def handle_endtag(self, tag):
        self._in_script = False


def live_payloads(html: str) -> list[str]:
    """Where the page would run a payload."""
    parser = _Inertness()
    parser.feed(html)
    return parser.live


def payload_for(column: sa.Column, row_id: int) -> str:
    """The payload, made unique per row and cut to what the column holds (PostgreSQL enforces lengths)."""
    text = f"{PAYLOAD} {row_id}"
    length = getattr(column.type, "length", None)
    if length is not None and len(text) > length:
        text = f"<i onclick=alert({row_id})>"[:length]
    return text


def poison_every_free_text() -> int:
    """Write the payload into every free-text column of every row; returns how many values were written."""
    written = 0
    for table in db.metadata.sorted_tables:
        for name in FREE_TEXT.get(table.name, ()):
            column = table.c[name]
            for (row_id,) in db.session.execute(sa.select(table.c.id)):
                db.session.execute(table.update().where(table.c.id == row_id).values({name: payload_for(column,
                                                                                                         row_id)}))
                written += 1
    db.session.commit()
    return written


@pytest.fixture
def poisoned(make):
    """The two-municipality world, Kumbel's hearing published with a correction and a justification, all poisoned."""
    world = build_world(make)
    kumbel = world["kumbel"]
    hearing = kumbel.hearing
    hearing.state = "closed"
    hearing.publish(utcnow())
    db.session.add_all([
        Correction(hearing_id=hearing.id, subject="chair", before="A", after="B", reason="typo"),
        Justification(hearing_id=hearing.id, stage="publish", requirement="share", text="few women"),
    ])  # fmt: skip
    db.session.get(Consultation, kumbel.consultation.id).notes = "notes"
    db.session.commit()
    assert poison_every_free_text() > 40
    return world


def test_every_text_column_is_declared_free_text_or_not(app):
    declared = {(t, c) for group in (FREE_TEXT, NOT_FREE_TEXT) for t, cols in group.items() for c in cols}
    text_columns = {(t.name, c.name) for t in db.metadata.sorted_tables for c in t.columns
                    if isinstance(c.type, sa.String)}  # fmt: skip
    assert text_columns - declared == set(), "declare these columns in tests/test_xss.py"
    assert declared - text_columns == set(), "these declared columns are gone"


def page_problems(response, url: str) -> list[str]:
    """Live payloads in an HTML page; anything else must not be served as HTML (or, for Atom, hold no markup)."""
    kind = response.mimetype
    body = response.get_data(as_text=True)
    if kind == "text/html":
        return [f"{url}: {live}" for live in live_payloads(body)]
    if kind == "application/atom+xml":
        tree = ET.fromstring(response.get_data())
        tags = {element.tag.rsplit("}", 1)[-1] for element in tree.iter()}
        texts = [element.text or "" for element in tree.iter() if element.get("type") == "html"]
        return [f"{url}: markup in the feed" for bad in ({"script", "img", "svg"} & tags)] + [
            f"{url}: html content with a payload" for text in texts if live_payloads(text)
        ]
    downloaded = response.headers.get("Content-Disposition", "").startswith("attachment")
    sniff_proof = response.headers.get("X-Content-Type-Options") == "nosniff" or kind == "application/json"
    if "alert(" in body and not (downloaded or sniff_proof):
        return [f"{url}: {kind} with a payload, shown inline and without nosniff"]
    return []


@pytest.mark.parametrize("who", [None, "kadmin"])
def test_payloads_in_every_free_text_field_render_inert_on_every_page(app, client, poisoned, who):
    if who:
        login(client, who)
    problems, shown = [], set()
    values = poisoned["kumbel"].values()
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        url = url_for_rule(rule, values)
        response = client.get(url)
        assert response.status_code < 500, url
        binary = response.mimetype == "application/pdf" or response.mimetype.startswith("image/")
        if response.status_code == 200 and not response.direct_passthrough and not binary:
            problems += page_problems(response, url)
            if "alert(" in response.get_data(as_text=True):
                shown.add(rule.endpoint)
        response.close()
    assert not problems, "\n".join(problems)
    expected = {"hearings.public_page", "hearings.poster", "publication.results", "publication.summary",
                "minutes.public_view", "proposals.public_page", "proposals.list", "proposals.feed", "proposals.track",
                "publication.results_json", "publication.results_csv", "municipalities.public"}  # fmt: skip
    if who:
        expected |= {"hearings.dashboard", "minutes.questions", "consultations.index", "proposals.review",
                     "registration.attendance", "publication.corrections", "municipalities.members"}  # fmt: skip
    assert expected <= shown, f"the payload is not shown on {sorted(expected - shown)}: the check saw nothing"


def test_the_check_tells_live_markup_from_escaped_text():
    assert live_payloads(f"<p>{PAYLOAD.replace('<', '&lt;')}</p><a href='/h/X'>x</a>") == []
    assert len(live_payloads(f"<p>{PAYLOAD}</p>")) == 4  # script, img src, onerror, onload
    assert live_payloads('<a href=" JaVa\nScript:alert(1)">x</a>')
