"""Every upload endpoint against hostile files: disguised types, polyglots, oversize bodies and names made to
escape the folder or break the download header. Accepted files get random names and are served inertly."""

import os
import re
from dataclasses import dataclass
from urllib.parse import quote

import pytest

from app.extensions import db
from app.hearings.models import HearingDocument
from app.proposals.models import Proposal
from tests.db_state import WriteWatch
from tests.helpers import csrf_token, login
from tests.world import add_user

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
SCRIPT = b"<html><body><script>alert(1)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(1)</script></svg>'
STORED_NAME = re.compile(r"[0-9a-f]{32}\.(pdf|png|jpg)")


@dataclass
class Endpoint:
    """An upload form: where it posts, its other fields, its file field, what it takes, where the file is served."""

    name: str
    url: str
    fields: dict
    file_field: str
    takes_pdf: bool


@pytest.fixture
def site(client, make):
    """Kumbel with an open hearing and a closed one, its clerk logged in in `client`."""
    kumbel = make.municipality()
    add_user("kclerk", kumbel, "clerk")
    open_hearing = make.hearing(kumbel, state="announced")
    closed = make.hearing(kumbel, state="closed")
    login(client, "kclerk")
    category = kumbel.category_list[0]
    endpoints = [
        Endpoint("document", f"/manage/hearings/{open_hearing.id}/documents", {"kind": "draft_budget"}, "file", True),
        Endpoint("signed", f"/manage/hearings/{closed.id}/minutes/signed", {"kind": "signed_minutes"}, "file", True),
        Endpoint("photo", f"/h/{open_hearing.public_code}/propose", {"title": "Well", "category": category}, "photo",
                 False),
        Endpoint("floor photo", f"/manage/hearings/{open_hearing.id}/proposals/new",
                 {"title": "Well", "category": category}, "photo", False),
    ]  # fmt: skip
    return {"endpoints": endpoints, "hearing": open_hearing, "closed": closed}


def multipart(client, endpoint: Endpoint, content: bytes, filename: str, *, star: bool = False):
    """POST a multipart form by hand, so that any file name (also RFC 2231 `filename*=`) goes as sent."""
    fields = {"csrf_token": csrf_token(client), **endpoint.fields}
    parts = [f'--b\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode() for k, v in fields.items()]
    name = f"filename*=UTF-8''{quote(filename, safe='')}" if star else f'filename="{filename}"'
    parts.append(f'--b\r\nContent-Disposition: form-data; name="{endpoint.file_field}"; {name}\r\n'
                 f"Content-Type: application/pdf\r\n\r\n".encode() + content + b"\r\n--b--\r\n")  # fmt: skip
    response = client.post(endpoint.url, data=b"".join(parts), content_type="multipart/form-data; boundary=b")
    response.close()
    return response


def files_in(folder: str) -> set[str]:
    """Every file under `folder`, as relative paths."""
    return {os.path.relpath(os.path.join(root, f), folder) for root, _, names in os.walk(folder) for f in names}


def refused_cleanly(app, client, endpoint, content, filename, **kwargs):
    """The upload is refused with a 4xx, writes no row and leaves no file anywhere under the instance."""
    root = os.path.dirname(app.config["UPLOAD_FOLDER"])
    before = files_in(root)
    with WriteWatch(db.engine) as watch:
        response = multipart(client, endpoint, content, filename, **kwargs)
    assert 400 <= response.status_code < 500, (endpoint.name, filename, response.status_code)
    assert not watch.take(), (endpoint.name, filename)
    assert files_in(root) == before, (endpoint.name, filename)
    return response


DISGUISED = [
    (SCRIPT, "budget.pdf"), (SVG, "photo.png"), (SVG, "budget.svg"), (b"alert(1);//", "photo.jpg"),
    (b"GIF89a\x01\x00\x01\x00" + SCRIPT, "photo.png"), (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "photo.jpg"),
    (b"", "budget.pdf"), (PDF, "budget.html"), (PNG, "photo.svg"), (PDF, "budget"), (PDF, "budget.pdf.html"),
    (b"\xef\xbb\xbf" + PDF, "budget.pdf"), (b" " + PDF, "budget.pdf"),
]  # fmt: skip


def test_files_that_are_not_what_their_name_says_are_refused_everywhere(app, client, site):
    for endpoint in site["endpoints"]:
        for content, filename in DISGUISED:
            response = refused_cleanly(app, client, endpoint, content, filename)
            assert response.status_code == 422
        if not endpoint.takes_pdf:
            assert refused_cleanly(app, client, endpoint, PDF, "budget.pdf").status_code == 422


def test_oversized_files_get_a_message_or_413_and_nothing_is_kept(app, client, site):
    app.config["UPLOAD_MAX_BYTES"] = 2048
    try:
        for endpoint in site["endpoints"]:
            content = (PDF if endpoint.takes_pdf else PNG) + b"0" * 4096
            response = refused_cleanly(app, client, endpoint, content, "big.pdf" if endpoint.takes_pdf else "big.png")
            assert response.status_code == 422, endpoint.name
    finally:
        app.config["UPLOAD_MAX_BYTES"] = 10 * 1024 * 1024
    endpoint = site["endpoints"][2]
    over = PNG + b"0" * app.config["MAX_CONTENT_LENGTH"]
    assert refused_cleanly(app, client, endpoint, over, "huge.png").status_code == 413


def test_a_nul_in_the_file_name_is_refused(app, client, site):
    for endpoint in site["endpoints"]:
        assert refused_cleanly(app, client, endpoint, PDF, "a\x00.pdf", star=True).status_code == 400


HOSTILE_NAMES = [
    "../../etc/passwd.{ext}", "/etc/passwd.{ext}", "..\\..\\boot.{ext}", "C:\\Windows\\win.{ext}",
    'a"b\r\nSet-Cookie: x=1.{ext}', "<img src=x onerror=alert(1)>.{ext}", "ж" * 300 + ".{ext}", ".{ext}",
    "\u202egnp.{ext}", "a\tb\x1b[31m.{ext}", "%2e%2e%2fsecret.{ext}",
]  # fmt: skip


def served(client, site, endpoint):
    """The newest file accepted through `endpoint`, fetched the way the public (or a member) gets it."""
    if endpoint.takes_pdf:
        document = db.session.scalars(db.select(HearingDocument).order_by(HearingDocument.id.desc())).first()
        hearing = site["hearing"] if document.kind == "draft_budget" else site["closed"]
        return document.stored_name, document.original_name, client.get(f"/h/{hearing.public_code}/documents/"
                                                                        f"{document.id}")  # fmt: skip
    proposal = db.session.scalars(db.select(Proposal).order_by(Proposal.id.desc())).first()
    return proposal.photo, None, client.get(f"/p/{proposal.id}/photo")


def test_accepted_files_get_random_names_clean_original_names_and_inert_serving(app, client, site):
    folder = app.config["UPLOAD_FOLDER"]
    site["closed"].state = "published"  # signed minutes are public once published; members see them anyway
    db.session.commit()
    for endpoint in site["endpoints"]:
        ext, head = ("pdf", PDF) if endpoint.takes_pdf else ("png", PNG)
        polyglot = head + SCRIPT + SVG
        for template in HOSTILE_NAMES:
            name = template.format(ext=ext)
            for star in (True,) if re.search(r'["\r\n]', name) else (False, True):  # a raw quote ends the header
                response = multipart(client, endpoint, polyglot, name, star=star)
                assert response.status_code in (302, 303), (endpoint.name, template, star, response.status_code)
                stored_name, original, download = served(client, site, endpoint)
                assert STORED_NAME.fullmatch(stored_name), stored_name
                assert os.path.isfile(os.path.join(folder, stored_name))
                if original is not None:
                    assert len(original) <= 200 and not re.search(r"[/\\\x00-\x1f\x7f]", original), repr(original)
                assert download.status_code == 200 and download.data == polyglot, (endpoint.name, template)
                assert download.mimetype == ("application/pdf" if endpoint.takes_pdf else "image/png")
                assert download.headers["X-Content-Type-Options"] == "nosniff"
                assert "sandbox" in download.headers["Content-Security-Policy"]
                if endpoint.takes_pdf:
                    assert download.headers["Content-Disposition"].startswith("attachment")
                download.close()
    assert all(STORED_NAME.fullmatch(name) for name in os.listdir(folder))
