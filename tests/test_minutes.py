"""The minutes: chair and secretary, the protocol assembled from the records, the printable page, signed scans."""

import html as html_lib
import io
import re
from decimal import Decimal
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from app.audit.models import AuditEvent
from app.extensions import db
from app.hearings.models import HearingDocument, Justification
from app.minutes import protocol
from app.minutes.models import Question
from app.proposals import service as proposals
from app.publication.models import Correction
from app.registration.models import CheckIn, Participant
from app.registration.service import new_token
from app.rules.codes import new_code
from app.voting import service as voting
from tests.helpers import csrf_token, login, post

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 64


def seat(hearing, gender, band, settlement, n):
    """Check `n` people of one group in, written straight to the tables (fast, as many as a test needs)."""
    for _ in range(n):
        person = Participant(hearing_id=hearing.id, token=new_token(), short_code=new_code(6), source="walk_in",
                             gender=gender, age_band_id=band.id, settlement_id=settlement.id)  # fmt: skip
        db.session.add(person)
        db.session.flush()
        db.session.add(CheckIn(hearing_id=hearing.id, participant_id=person.id))
    db.session.commit()


def build_hearing(make, country="KG", slug="kumbel", name="Kumbel", settlements=("Kumbel", "Ak-Bulak"),
                  titles=None, question="When will the bridge be repaired?"):  # fmt: skip
    """A hearing after a show of hands: 23 people, women of 14-17 only 3, two proposals, one question, closed."""
    municipality = make.municipality(country, slug, name, settlements=settlements)
    clerk = make.user(f"{slug}-clerk", municipality, "clerk")
    hearing = make.hearing(municipality, state="in_session", titles=titles, chair="Asel Toktosunova",
                           secretary="Nurlan Abdyrakhmanov", presentations="The draft budget for 2027.")  # fmt: skip
    bands, places = municipality.age_bands, municipality.settlements
    seat(hearing, "female", bands[0], places[0], 3)
    seat(hearing, "male", bands[0], places[0], 6)
    seat(hearing, "female", bands[1], places[1], 8)
    seat(hearing, "male", bands[1], places[1], 6)
    road = proposals.submit(hearing, {"title": "Road to the school", "category": municipality.category_list[0]},
                            user=clerk)  # fmt: skip
    lights = proposals.submit(hearing, {"title": "Street lights", "category": municipality.category_list[0]},
                              user=clerk)  # fmt: skip
    for proposal in (road, lights):
        proposals.admit(proposal, clerk)
    voting.record_hands(hearing, f"proposal:{road.id}", {"female": (9, 2, 0), "male": (7, 3, 2)}, clerk)
    voting.record_hands(hearing, f"proposal:{lights.id}", {"female": (3, 8, 0), "male": (4, 8, 0)}, clerk)
    db.session.add(Question(hearing_id=hearing.id, text=question, asker_gender="female",
                            asker_age_band_id=bands[1].id, answered_by="Head of aiyl okmotu", answer="In June."))
    db.session.commit()
    voting.open_voting(hearing, clerk)
    voting.close_voting(hearing, clerk)
    return SimpleNamespace(municipality=municipality, clerk=clerk, hearing=hearing, road=road, lights=lights,
                           url=f"/manage/hearings/{hearing.id}/minutes")  # fmt: skip


@pytest.fixture
def closed(client, make):
    """Kumbel's closed hearing with its clerk logged in."""
    world = build_hearing(make)
    login(client, world.clerk.username)
    return world


def text_of(response) -> str:
    return html_lib.unescape(response.get_data(as_text=True))


def error_of(response, field_id):
    match = re.search(rf'id="{field_id}-error" role="alert">(.*?)</p>', response.get_data(as_text=True), re.S)
    return html_lib.unescape(match.group(1)).strip() if match else None


def built(hearing, locale="en") -> protocol.Protocol:
    with force_locale(locale):
        return protocol.build(hearing)


# -- chair, secretary, presentations -------------------------------------------------------------


def test_chair_secretary_and_presentations_are_saved_and_audited(client, closed):
    response = post(client, f"{closed.url}/edit", {"chair": "Bakyt Usenov", "secretary": "Aida Asanova",
                                                   "presentations": "Budget 2027 by the finance officer."})
    assert response.status_code == 303 and response.location.endswith(closed.url)
    db.session.refresh(closed.hearing)
    assert (closed.hearing.chair, closed.hearing.secretary) == ("Bakyt Usenov", "Aida Asanova")
    event = db.session.scalar(db.select(AuditEvent).filter_by(action="hearing.minutes"))
    assert event.before["chair"] == "Asel Toktosunova" and event.after["chair"] == "Bakyt Usenov"


def test_a_too_long_chair_is_refused_next_to_the_field(client, closed):
    response = post(client, f"{closed.url}/edit", {"chair": "x" * 201, "secretary": "Aida"})
    assert response.status_code == 422 and error_of(response, "chair")
    db.session.refresh(closed.hearing)
    assert closed.hearing.secretary == "Nurlan Abdyrakhmanov"


def test_minutes_fields_are_frozen_once_published(client, closed):
    closed.hearing.state = "published"
    db.session.commit()
    response = post(client, f"{closed.url}/edit", {"chair": "Someone else"})
    assert response.status_code == 409 and "only through a correction" in text_of(response)
    db.session.refresh(closed.hearing)
    assert closed.hearing.chair == "Asel Toktosunova"


def test_an_observer_cannot_edit_the_minutes(client, closed, make):
    make.user("bakyt", closed.municipality, "observer")
    post(client, "/logout")
    login(client, "bakyt")
    assert client.get(f"{closed.url}/edit").status_code == 403
    assert post(client, f"{closed.url}/edit", {"chair": "Me"}).status_code == 403


# -- the protocol --------------------------------------------------------------------------------


def test_the_protocol_suppresses_small_attendance_cells_and_keeps_the_total(app, closed):
    with app.test_request_context():
        minutes = built(closed.hearing)
    assert minutes.checked_in == 23
    assert minutes.attendance.head == ["Age", "Women", "Men", "Not said", "All"]
    first = minutes.attendance.rows[0]
    assert first[0] == closed.municipality.age_bands[0].label and first[1] == "<5"  # 3 women aged 14-17
    assert "3" not in first
    assert minutes.attendance.foot[-1] == "23"
    assert [row[0] for row in minutes.settlements.rows] == ["Ak-Bulak", "Kumbel"]


def test_the_protocol_lists_questions_votes_decisions_and_signatures(app, closed):
    closed.hearing.justifications.append(Justification(stage="publish", requirement="share", text="Harvest time."))
    db.session.commit()
    with app.test_request_context():
        minutes = built(closed.hearing)
    assert (minutes.chair, minutes.secretary) == ("Asel Toktosunova", "Nurlan Abdyrakhmanov")
    [question] = minutes.questions
    assert question.asker == "Woman, " + closed.municipality.age_bands[1].label and question.answer == "In June."
    road, lights = minutes.proposals
    assert road.title == "Road to the school" and road.result == "Adopted by the vote" and lights.result == ""
    assert road.summary == "For 16, against 5, abstained 2"
    assert road.votes.rows[0] == ["For", "9", "7", "16"]
    assert road.votes.rows[1] == ["Against", "<5", "<5", "5"]  # 2 and 3: both hidden, the total kept
    assert lights.status == "Admitted" and minutes.rule == "Majority per proposal (show of hands)"
    assert [check.name for check in minutes.checks][:1] == ["Notice"]
    assert any(check.justification == "Harvest time." for check in minutes.checks)
    assert minutes.signatures == [("Chair", "Asel Toktosunova"), ("Secretary", "Nurlan Abdyrakhmanov")]


def test_the_protocol_of_a_ballot_vote_shows_scores_and_suppressed_support_by_gender(app, make):
    kumbel = make.municipality()
    clerk = make.user("aigul", kumbel, "clerk")
    hearing = make.hearing(kumbel, state="in_session", kind="participatory_budget", envelope=Decimal("1000"))
    seat(hearing, "female", kumbel.age_bands[1], kumbel.settlements[0], 7)
    seat(hearing, "male", kumbel.age_bands[1], kumbel.settlements[0], 2)
    well = proposals.submit(hearing, {"title": "Well", "category": kumbel.category_list[0]}, user=clerk)
    proposals.admit(well, clerk)
    proposals.set_cost(well, Decimal(600), clerk)
    voting.configure(hearing, {"ballot_kind": "approval", "rule": "greedy"}, clerk)
    voting.open_voting(hearing, clerk)
    for person in db.session.scalars(db.select(Participant)):
        voting.cast(hearing, person, {well.id: 1})
    voting.close_voting(hearing, clerk)
    with app.test_request_context():
        [entry] = built(hearing).proposals
    assert entry.result == "Funded by the vote" and entry.summary == "Score 9"
    assert entry.votes.rows == [["Supporters", "×", "<5", "9"]]  # 7 women would give away the 2 men


def test_corrections_after_publication_are_in_the_protocol(app, closed):
    closed.hearing.state = "published"
    question = db.session.scalar(db.select(Question))
    db.session.add(Correction(hearing_id=closed.hearing.id, subject=f"answer:{question.id}", before="In June.",
                              after="In July.", reason="Misheard"))  # fmt: skip
    db.session.commit()
    with app.test_request_context():
        [correction] = built(closed.hearing).corrections
    assert correction.subject == "Answer to question 1" and correction.reason == "Misheard"


def test_the_protocol_needs_the_same_queries_for_5_and_60_participants(app, make):
    """Aggregates only: the number of people in the hall never adds a query."""
    kumbel = make.municipality()
    hearing = make.hearing(kumbel, state="in_session")
    band, place = kumbel.age_bands[1], kumbel.settlements[0]
    statements = []

    def count(*args):
        statements.append(args[2])

    counts = []
    for n in (5, 55):
        seat(hearing, "female", band, place, n)
        db.session.expire_all()
        statements.clear()
        sa.event.listen(db.engine, "before_cursor_execute", count)
        try:
            with app.test_request_context():
                minutes = built(db.session.get(type(hearing), hearing.id))
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", count)
        counts.append(len(statements))
    assert minutes.checked_in == 60
    assert counts[0] == counts[1]


# -- the pages -----------------------------------------------------------------------------------


def test_the_minutes_page_prints_the_protocol_in_the_language_asked_for(client, closed):
    page = client.get(closed.url)
    body = text_of(page)
    assert page.status_code == 200 and 'id="protocol"' in body
    assert "Asel Toktosunova" in body and "When will the bridge be repaired?" in body and "<5" in body
    assert 'data-figure="checked-in">23<' in body
    russian = text_of(client.get(f"{closed.url}?lang=ru"))
    assert '<html lang="ru">' in russian and "Слушания по бюджету" in russian
    assert f'href="/manage/hearings/{closed.hearing.id}/minutes.pdf?lang=ru"' in russian


def test_minutes_do_not_exist_before_the_session(client, closed, make):
    announced = make.hearing(closed.municipality, state="announced")
    assert client.get(f"/manage/hearings/{announced.id}/minutes").status_code == 404
    assert client.get(f"/manage/hearings/{announced.id}/minutes.pdf").status_code == 404


def test_public_minutes_are_not_found_until_the_hearing_is_published(client, closed):
    code = closed.hearing.public_code
    assert client.get(f"/h/{code}/minutes").status_code == 404
    assert client.get(f"/h/{code}/minutes.pdf").status_code == 404
    closed.hearing.publish(closed.hearing.ends_at)
    db.session.commit()
    post(client, "/logout")
    page = client.get(f"/h/{code}/minutes?lang=ky")
    assert page.status_code == 200 and '<html lang="ky">' in text_of(page)
    assert "Бюджет боюнча угуу" in text_of(page) and "<5" in text_of(page)
    pdf = client.get(f"/h/{code}/minutes.pdf?lang=uz")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert pdf.headers["Content-Disposition"] == f'inline; filename="minutes-{code}-uz.pdf"'


def test_the_clerk_pdf_is_inline_with_a_named_file(client, closed):
    response = client.get(f"{closed.url}.pdf?lang=ky")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == f'inline; filename="minutes-{closed.hearing.public_code}-ky.pdf"'


# -- signed scans --------------------------------------------------------------------------------


def upload(client, world, content, name, kind="signed_minutes"):
    data = {"csrf_token": csrf_token(client), "kind": kind, "file": (io.BytesIO(content), name)}
    return client.post(f"{world.url}/signed", data=data, content_type="multipart/form-data")


def test_a_signed_scan_is_attached_and_served_publicly(client, closed):
    assert upload(client, closed, PNG, "protocol.png").status_code == 303
    assert upload(client, closed, PDF, "sheet.pdf", "signed_attendance").status_code == 303
    documents = db.session.scalars(db.select(HearingDocument).order_by(HearingDocument.id)).all()
    assert [d.kind for d in documents] == ["signed_minutes", "signed_attendance"]
    page = text_of(client.get(closed.url))
    link = f"/h/{closed.hearing.public_code}/documents/{documents[0].id}"
    assert link in page and "Signed minutes (scan)" in page
    with client.get(link) as served:
        assert served.status_code == 200 and served.data == PNG
    closed.hearing.publish(closed.hearing.ends_at)
    db.session.commit()
    public = text_of(client.get(f"/h/{closed.hearing.public_code}/minutes"))
    assert link in public and f"/documents/{documents[1].id}" not in public  # the sheet carries names


def test_a_signed_scan_of_the_wrong_type_or_kind_is_refused(client, closed):
    response = upload(client, closed, b"<html>not a scan</html>", "protocol.png")
    assert response.status_code == 422
    assert error_of(response, "file") == "Only PDF, PNG and JPEG files are accepted."
    assert upload(client, closed, PNG, "p.png", kind="draft_budget").status_code == 422
    assert db.session.scalars(db.select(HearingDocument)).all() == []


def test_signed_scans_wait_until_the_meeting_is_over(client, closed, make):
    running = make.hearing(closed.municipality, state="voting")
    world = SimpleNamespace(url=f"/manage/hearings/{running.id}/minutes")
    response = upload(client, world, PNG, "protocol.png")
    assert response.status_code == 409 and "once voting is closed" in text_of(response)
    assert db.session.scalars(db.select(HearingDocument)).all() == []
