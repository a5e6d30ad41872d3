"""Uploading the draft budget and citizens' budget: size limit, real type, safe serving."""

import io
import os

import pytest

from app.extensions import db
from app.hearings.models import HearingDocument
from tests.helpers import csrf_token, login

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def hearing(client, make):
    kumbel = make.municipality()
    make.user("aigul", kumbel, "clerk")
    login(client, "aigul")
    return make.hearing(kumbel, state="announced")


def upload(client, hearing, content, name, kind="draft_budget"):
    data = {"csrf_token": csrf_token(client), "kind": kind, "file": (io.BytesIO(content), name)}
    return client.post(f"/manage/hearings/{hearing.id}/documents", data=data, content_type="multipart/form-data")


def stored():
    return db.session.scalars(db.select(HearingDocument)).all()


def test_a_pdf_is_stored_under_instance_and_served_publicly_with_safe_headers(client, hearing, app):
    assert upload(client, hearing, PDF, "budget-2027.pdf").status_code == 302
    [document] = stored()
    assert document.content_type == "application/pdf" and document.size == len(PDF)
    assert os.path.exists(os.path.join(app.config["UPLOAD_FOLDER"], document.stored_name))
    assert document.stored_name != "budget-2027.pdf"
    with client.get(f"/h/{hearing.public_code}/documents/{document.id}") as response:
        assert response.status_code == 200 and response.data == PDF
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "attachment" in response.headers["Content-Disposition"]
    assert "budget-2027.pdf" in client.get(f"/h/{hearing.public_code}").get_data(as_text=True)


def test_html_disguised_as_pdf_is_refused_next_to_the_field(client, hearing):
    response = upload(client, hearing, b"<html><script>alert(1)</script>", "budget.pdf")
    assert response.status_code == 422
    assert "Only PDF, PNG and JPEG files are accepted." in response.get_data(as_text=True)
    assert stored() == []


def test_a_png_named_pdf_is_refused(client, hearing):
    assert upload(client, hearing, b"\x89PNG\r\n\x1a\n" + b"0" * 50, "budget.pdf").status_code == 422
    assert stored() == []


def test_an_oversized_file_is_refused_and_nothing_is_written(client, hearing, app):
    app.config["UPLOAD_MAX_BYTES"] = 1024
    try:
        response = upload(client, hearing, PDF + b"0" * 2048, "big.pdf")
    finally:
        app.config["UPLOAD_MAX_BYTES"] = 10 * 1024 * 1024
    assert response.status_code == 422
    assert "The file is larger than" in response.get_data(as_text=True)
    assert stored() == []


def test_a_request_over_the_server_limit_gets_413(client, hearing, app):
    body = b"--x\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\ndraft_budget\r\n--x--\r\n"
    body += b" " * app.config["MAX_CONTENT_LENGTH"]
    response = client.post(f"/manage/hearings/{hearing.id}/documents", data=body,
                           content_type="multipart/form-data; boundary=x")  # fmt: skip
    assert response.status_code == 413
    assert stored() == []


def test_path_traversal_in_the_name_stays_a_name(client, hearing, app):
    assert upload(client, hearing, PDF, "../../etc/passwd.pdf").status_code == 302
    [document] = stored()
    assert document.original_name == "passwd.pdf"
    folder = app.config["UPLOAD_FOLDER"]
    assert os.path.dirname(os.path.join(folder, document.stored_name)) == folder


def test_missing_file_is_refused(client, hearing):
    data = {"csrf_token": csrf_token(client), "kind": "draft_budget"}
    response = client.post(f"/manage/hearings/{hearing.id}/documents", data=data)
    assert response.status_code == 422
    assert "Choose a file." in response.get_data(as_text=True)


def test_removing_a_document_deletes_its_file(client, hearing, app):
    upload(client, hearing, PDF, "budget.pdf")
    [document] = stored()
    path = os.path.join(app.config["UPLOAD_FOLDER"], document.stored_name)
    data = {"csrf_token": csrf_token(client)}
    assert client.post(f"/manage/hearings/{hearing.id}/documents/{document.id}/delete", data=data).status_code == 302
    assert stored() == [] and not os.path.exists(path)


def test_documents_of_a_draft_hearing_are_not_public(client, make):
    kumbel = make.municipality()
    hearing = make.hearing(kumbel, state="draft")
    assert client.get(f"/h/{hearing.public_code}/documents/1").status_code == 404


def test_signed_scans_are_public_only_as_the_published_minutes(client, make):
    from app.timeutil import utcnow

    kumbel = make.municipality()
    make.user("aigul", kumbel, "clerk")
    hearing = make.hearing(kumbel, state="closed")
    docs = {}
    for kind in ("signed_minutes", "signed_attendance"):
        doc = HearingDocument(hearing_id=hearing.id, kind=kind, original_name=f"{kind}.png",
                              stored_name=f"{kind}-x.png", content_type="image/png", size=4)  # fmt: skip
        db.session.add(doc)
        docs[kind] = doc
    db.session.commit()
    code = hearing.public_code
    assert client.get(f"/h/{code}/documents/{docs['signed_minutes'].id}").status_code == 404
    hearing.publish(utcnow())
    db.session.commit()
    assert not docs["signed_attendance"].is_public and docs["signed_minutes"].is_public
    assert client.get(f"/h/{code}/documents/{docs['signed_attendance'].id}").status_code == 404
    page = client.get(f"/h/{code}").get_data(as_text=True)
    assert "signed_attendance.png" not in page and "signed_minutes.png" in page
