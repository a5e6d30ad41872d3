"""Static files: every address carries the hash of the file, a hashed address is cached for a year, anything
else must be checked again; CSS and scripts come compressed once and kept, with an ETag per encoding."""

import gzip
import hashlib
import re
from pathlib import Path

import brotli
import pytest

from app import assets
from tests.results_fixtures import hands_hearing

STATIC = Path(__file__).resolve().parents[1] / "app" / "static"
TEXT_FILES = ["css/app.css", "js/desk.js", "vendor/htmx-2.0.11/htmx.min.js", "open-data/results-v1.schema.json"]
DECODE = {"br": brotli.decompress, "gzip": gzip.decompress, None: lambda data: data}
YEAR = "public, max-age=31536000, immutable"


def version(name: str) -> str:
    return hashlib.sha256((STATIC / name).read_bytes()).hexdigest()[:12]


def test_every_static_address_on_a_page_carries_the_hash_of_its_file(client, make):
    hearing = make.hearing(make.municipality())
    page = client.get(f"/h/{hearing.public_code}").get_data(as_text=True)
    linked = re.findall(r'(?:href|src)="/static/([^"?]+)\?v=([0-9a-f]+)"', page)
    assert {name for name, _ in linked} >= {"css/app.css", "vendor/htmx-2.0.11/htmx.min.js", "js/app.js",
                                            "img/favicon.svg"}  # fmt: skip
    assert all(v == version(name) for name, v in linked), linked
    assert "/static/" not in re.sub(r'/static/[^"?]+\?v=[0-9a-f]{12}"', "", page)  # none without its hash


def test_a_hashed_address_is_cached_for_a_year_and_any_other_is_checked_again(client):
    name = "css/app.css"
    with client.get(f"/static/{name}?v={version(name)}") as current:
        assert current.status_code == 200 and current.headers["Cache-Control"] == YEAR
    for query in ("", "?v=0123456789ab", "?v="):
        with client.get(f"/static/{name}{query}") as other:
            assert other.status_code == 200 and other.headers["Cache-Control"] == "no-cache", query
            assert other.data == (STATIC / name).read_bytes()


def test_a_file_served_from_disk_follows_the_same_caching(client):
    name = "fonts/LICENSE-DejaVu.txt"
    with client.get(f"/static/{name}?v={version(name)}", headers={"Accept-Encoding": "br"}) as current:
        assert current.headers["Cache-Control"] == YEAR and "Content-Encoding" not in current.headers
    with client.get(f"/static/{name}") as other:
        assert other.headers["Cache-Control"] == "no-cache" and other.data == (STATIC / name).read_bytes()


@pytest.mark.parametrize("name", TEXT_FILES)
@pytest.mark.parametrize("encoding", ["br", "gzip", None])
def test_a_text_file_decodes_to_the_file_in_every_encoding(client, name, encoding):
    answer = client.get(f"/static/{name}?v={version(name)}", headers={"Accept-Encoding": encoding or "identity"})
    assert answer.status_code == 200 and answer.headers.get("Content-Encoding") == encoding
    assert "accept-encoding" in answer.headers["Vary"].lower()
    assert DECODE[encoding](answer.data) == (STATIC / name).read_bytes()
    assert int(answer.headers["Content-Length"]) == len(answer.data)


def test_each_encoding_has_its_own_etag_and_a_matching_one_answers_304(client):
    url = f"/static/js/desk.js?v={version('js/desk.js')}"
    etags = {encoding: client.get(url, headers={"Accept-Encoding": encoding}).headers["ETag"]
             for encoding in ("br", "gzip", "identity")}  # fmt: skip
    assert len(set(etags.values())) == 3
    same = client.get(url, headers={"Accept-Encoding": "br", "If-None-Match": etags["br"]})
    assert same.status_code == 304 and same.data == b"" and same.headers["Cache-Control"] == YEAR
    assert same.headers["ETag"] == etags["br"]
    other = client.get(url, headers={"Accept-Encoding": "br", "If-None-Match": etags["gzip"]})
    assert other.status_code == 200 and brotli.decompress(other.data) == (STATIC / "js/desk.js").read_bytes()


def test_the_published_json_names_its_schema_by_a_stable_address(client, make):
    hearing, _ = hands_hearing(make)
    document = client.get(f"/h/{hearing.public_code}/results.json").get_json()
    assert document["schema"].endswith("/static/open-data/results-v1.schema.json")  # no content hash: it is an id


def test_a_static_file_neither_reads_nor_sets_the_session(client):
    client.get("/login")  # starts a session cookie
    answer = client.get("/static/css/app.css", headers={"Accept-Encoding": "br"})
    assert answer.headers["Vary"] == "Accept-Encoding" and "Set-Cookie" not in answer.headers


@pytest.mark.parametrize("path", ["/static/nope.css", "/static/css", "/static/../app/config.py",
                                  "/static/%2e%2e/config.py"])  # fmt: skip
def test_a_missing_file_or_a_path_outside_static_is_not_found(client, path):
    assert client.get(path).status_code == 404


def test_an_edited_file_gets_a_new_hash(app, monkeypatch, tmp_path):
    monkeypatch.setattr(app, "static_folder", str(tmp_path))
    sheet = tmp_path / "site.css"
    sheet.write_text("body { color: black; }\n" * 40)
    with app.test_request_context():
        first = assets.find("site.css").version
        sheet.write_text("body { color: navy; }\n" * 40)
        second = assets.find("site.css").version
    assert first != second and second == hashlib.sha256(sheet.read_bytes()).hexdigest()[:12]
    with app.test_client() as client:
        answer = client.get(f"/static/site.css?v={second}", headers={"Accept-Encoding": "gzip"})
        assert gzip.decompress(answer.data) == sheet.read_bytes() and answer.headers["Cache-Control"] == YEAR
