"""Compressed responses: brotli when the browser takes it, else gzip, for pages, fragments, open data and static
text files, each decoding back to the very bytes sent uncompressed; never for small bodies, PDFs or images."""

import gzip
import io
import re

import brotli
import pytest
from werkzeug.datastructures import FileStorage

from app.hearings import service as hearings
from app.registration import service as registration
from app.registration.service import PersonDetails
from tests.helpers import login, post
from tests.results_fixtures import hands_hearing

DECODE = {"br": brotli.decompress, "gzip": gzip.decompress}
CHROMIUM = "gzip, deflate, br, zstd"
CSRF_VALUE = re.compile(rb'(name="csrf_token" (?:type="hidden" )?value=")[^"]+|("X-CSRFToken": ")[^"]+')
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n" + b"0" * 4096 + b"\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 4096


def without_csrf(body: bytes) -> bytes:
    """A page with its CSRF tokens blanked: they are signed with the time, so two renderings differ there."""
    return CSRF_VALUE.sub(lambda m: m.group(1) or m.group(2), body)


def varies_by_encoding(response) -> bool:
    return "accept-encoding" in response.headers.get("Vary", "").lower()


def decoded(response) -> bytes:
    return DECODE[response.headers["Content-Encoding"]](response.data)


@pytest.mark.parametrize(("accept", "encoding"), [(CHROMIUM, "br"), ("br", "br"), ("gzip", "gzip"),
                                                  ("br;q=0, gzip", "gzip"), ("gzip;q=0.5, br", "br")])  # fmt: skip
def test_a_public_page_is_compressed_as_the_browser_asks_and_decodes_to_the_same_page(client, make, accept, encoding):
    hearing = make.hearing(make.municipality())
    plain = client.get(f"/h/{hearing.public_code}")
    packed = client.get(f"/h/{hearing.public_code}", headers={"Accept-Encoding": accept})
    assert plain.status_code == packed.status_code == 200
    assert "Content-Encoding" not in plain.headers
    assert packed.headers["Content-Encoding"] == encoding and varies_by_encoding(packed) and varies_by_encoding(plain)
    assert int(packed.headers["Content-Length"]) == len(packed.data) < len(plain.data) / 2
    assert without_csrf(decoded(packed)) == without_csrf(plain.data)
    assert hearing.public_code.encode() in decoded(packed)


def test_the_desk_check_in_fragment_is_compressed(client, make):
    municipality = make.municipality()
    make.user("clerk", municipality, "clerk")
    hearing = make.hearing(municipality, state="announced", days=0)
    ticket = registration.register(hearing, PersonDetails(gender="female", age_band_id=municipality.age_bands[1].id))
    login(client, "clerk")
    answer = post(client, f"/manage/hearings/{hearing.id}/checkin", {"code": ticket.short_code, "method": "code"},
                  headers={"HX-Request": "true", "Accept-Encoding": "br"})  # fmt: skip
    assert answer.status_code == 200 and answer.headers["Content-Encoding"] == "br"
    assert b'data-result="checked_in"' in decoded(answer) and b"<html" not in decoded(answer)


def test_open_data_is_compressed_and_decodes_to_the_same_bytes(client, make):
    hearing, _ = hands_hearing(make)
    for name, mimetype in (("results.json", "application/json"), ("results.csv", "text/csv")):
        url = f"/h/{hearing.public_code}/{name}"
        plain = client.get(url)
        for encoding in ("br", "gzip"):
            packed = client.get(url, headers={"Accept-Encoding": encoding})
            assert packed.mimetype == mimetype and packed.headers["Content-Encoding"] == encoding, (name, encoding)
            assert decoded(packed) == plain.data and varies_by_encoding(packed)


def test_a_small_body_is_sent_as_it_is(client):
    answer = client.get("/healthz", headers={"Accept-Encoding": CHROMIUM})
    assert answer.data == b"ok" and "Content-Encoding" not in answer.headers
    icon = client.get("/static/img/favicon.svg", headers={"Accept-Encoding": CHROMIUM})
    assert icon.status_code == 200 and "Content-Encoding" not in icon.headers and icon.data.startswith(b"<svg")


def test_the_minutes_pdf_is_not_compressed_again(client, make):
    hearing, _ = hands_hearing(make)
    answer = client.get(f"/h/{hearing.public_code}/minutes.pdf", headers={"Accept-Encoding": CHROMIUM})
    assert answer.status_code == 200 and answer.mimetype == "application/pdf"
    assert "Content-Encoding" not in answer.headers and answer.data.startswith(b"%PDF")


@pytest.mark.parametrize(("content", "filename", "mimetype"), [(PDF, "budget.pdf", "application/pdf"),
                                                               (PNG, "scan.png", "image/png")])  # fmt: skip
def test_an_uploaded_document_is_sent_from_disk_unchanged_and_answers_if_none_match(client, make, content, filename,
                                                                                     mimetype):  # fmt: skip
    hearing = make.hearing(make.municipality())
    document = hearings.store_document(hearing, "draft_budget", FileStorage(io.BytesIO(content), filename))
    url = f"/h/{hearing.public_code}/documents/{document.id}"
    with client.get(url, headers={"Accept-Encoding": CHROMIUM}) as answer:
        assert answer.status_code == 200 and answer.mimetype == mimetype
        assert "Content-Encoding" not in answer.headers and answer.data == content
        etag = answer.headers["ETag"]
    with client.get(url, headers={"Accept-Encoding": CHROMIUM, "If-None-Match": etag}) as again:
        assert again.status_code == 304 and again.data == b""
