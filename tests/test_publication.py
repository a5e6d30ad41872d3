"""Publishing a closed hearing: the checklist, justifications for unmet requirements, corrections afterwards."""

import json
import os

import pytest
import sqlalchemy as sa
from jsonschema import Draft202012Validator

from app.audit.models import AuditEvent
from app.consultations.models import Consultation, ConsultationCount
from app.extensions import db
from app.hearings.models import Hearing, Justification
from app.minutes.models import Question
from app.proposals.overview import local_today
from app.publication.models import Correction
from app.publication.service import requirement_checks
from app.registration import service as registration
from app.voting import service as voting
from tests.helpers import login, post
from tests.test_minutes_pdf import pdf_text

SCHEMA = os.path.join(os.path.dirname(os.path.dirname(__file__)), "app", "static", "open-data",
                      "results-v1.schema.json")  # fmt: skip


@pytest.fixture
def closed(make, client):
    """A budget hearing that took place today with three women and seven men, now closed."""
    kumbel = make.municipality()
    clerk = make.user("aigul", kumbel, "clerk")
    make.user("observer", kumbel, "observer")
    hearing = make.hearing(kumbel, state="announced", days=0)
    for gender in ("female",) * 3 + ("male",) * 7:
        registration.walk_in(hearing, registration.PersonDetails(gender=gender), clerk)
    voting.open_voting(hearing, clerk)
    voting.close_voting(hearing, clerk)
    login(client, "aigul")
    return {"hearing": hearing, "clerk": clerk, "municipality": kumbel}


def unmet(hearing):
    return [c.id for c in requirement_checks(hearing, published_on=local_today(hearing.municipality)) if not c.met]


def test_the_publish_page_lists_every_requirement_with_its_figure(client, closed):
    page = client.get(f"/manage/hearings/{closed['hearing'].id}/publish").get_data(as_text=True)
    for requirement in ("notice", "time", "venue", "languages", "consultation", "share", "data", "voice", "answers",
                        "budget", "publish"):  # fmt: skip
        assert f'data-check="{requirement}"' in page, requirement
    assert "Women 30% of 10 checked in, target 30%" in page
    assert "Consultation with women: none recorded before the hearing." in page


def test_publishing_with_unmet_requirements_asks_for_each_justification(client, closed):
    hearing = closed["hearing"]
    missing = unmet(hearing)
    assert "consultation" in missing and "share" not in missing
    response = post(client, f"/manage/hearings/{hearing.id}/publish", {})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="justification_consultation-error"' in page
    assert db.session.get(Hearing, hearing.id).state == "closed"
    assert db.session.scalar(db.select(db.func.count(Justification.id))) == 0


def test_publishing_with_every_justification_freezes_the_hearing_and_records_them(client, closed):
    hearing = closed["hearing"]
    data = {f"justification_{req}": f"Because of {req}: the WAG met informally." for req in unmet(hearing)}
    response = post(client, f"/manage/hearings/{hearing.id}/publish", data)
    assert response.status_code == 303
    hearing = db.session.get(Hearing, hearing.id)
    assert hearing.state == "published" and hearing.published_at is not None
    stored = {j.requirement: j.text for j in hearing.justifications if j.stage == "publish"}
    assert stored == {req: f"Because of {req}: the WAG met informally." for req in unmet(hearing)}
    assert db.session.scalar(db.select(AuditEvent.action).order_by(AuditEvent.id.desc())) == "hearing.publish"
    publish = next(c for c in requirement_checks(hearing) if c.id == "publish")
    assert publish.status == "met" and publish.figures["days"] == 0


def test_a_hearing_with_a_consultation_and_enough_women_needs_fewer_justifications(client, closed):
    hearing = closed["hearing"]
    consultation = Consultation(hearing_id=hearing.id, held_on=local_today(closed["municipality"]), place="School",
                                kind="focus_group")  # fmt: skip
    consultation.counts = [ConsultationCount(gender="female", age_band_id=None, count=9)]
    db.session.add(consultation)
    db.session.commit()
    assert "consultation" not in unmet(hearing)


def test_only_a_closed_hearing_is_published(client, make, closed):
    announced = make.hearing(closed["municipality"], state="announced")
    response = post(client, f"/manage/hearings/{announced.id}/publish", {})
    assert response.status_code in (409, 422)
    assert db.session.get(Hearing, announced.id).state == "announced"


def test_an_observer_cannot_publish(client, closed):
    post(client, "/logout")
    login(client, "observer")
    hearing = closed["hearing"]
    assert client.get(f"/manage/hearings/{hearing.id}/publish").status_code == 200
    assert post(client, f"/manage/hearings/{hearing.id}/publish", {}).status_code == 403
    assert db.session.get(Hearing, hearing.id).state == "closed"


@pytest.fixture
def published(client, closed):
    hearing = closed["hearing"]
    hearing.chair = "A. Toktogulova"
    db.session.add(Question(hearing_id=hearing.id, text="When will the water come?", asker_gender="female",
                            answered_by="Head", answer="In May"))  # fmt: skip
    db.session.commit()
    post(client, f"/manage/hearings/{hearing.id}/publish", {f"justification_{r}": "Reason" for r in unmet(hearing)})
    assert db.session.get(Hearing, hearing.id).state == "published"
    return closed


def test_a_correction_after_publication_keeps_before_after_and_reason(client, published):
    hearing = published["hearing"]
    response = post(client, f"/manage/hearings/{hearing.id}/corrections",
                    {"subject": "chair", "value": "A. Toktogulova-Asanova", "reason": "Surname misspelt"})
    assert response.status_code == 303
    correction = db.session.scalars(db.select(Correction)).one()
    assert (correction.before, correction.after, correction.reason) == (
        "A. Toktogulova", "A. Toktogulova-Asanova", "Surname misspelt")
    assert db.session.get(Hearing, hearing.id).chair == "A. Toktogulova-Asanova"
    page = client.get(f"/manage/hearings/{hearing.id}/corrections").get_data(as_text=True)
    assert "Surname misspelt" in page and "<del>A. Toktogulova</del>" in page
    assert db.session.scalar(db.select(AuditEvent.action).order_by(AuditEvent.id.desc())) == "hearing.correct"


def test_an_answer_is_corrected_through_its_question(client, published):
    hearing = published["hearing"]
    question = db.session.scalars(db.select(Question)).one()
    post(client, f"/manage/hearings/{hearing.id}/corrections",
         {"subject": f"answer:{question.id}", "value": "In June", "reason": "The head corrected the date"})
    assert db.session.get(Question, question.id).answer == "In June"


@pytest.mark.parametrize("values, message", [
    ({"subject": "chair", "value": "X", "reason": ""}, "This field is required."),
    ({"subject": "venue", "value": "X", "reason": "Why"}, "Not a valid choice."),
    ({"subject": "chair", "value": "A. Toktogulova", "reason": "Why"}, "Nothing changed."),
])  # fmt: skip
def test_a_bad_correction_is_refused_next_to_the_field(client, published, values, message):
    hearing = published["hearing"]
    response = post(client, f"/manage/hearings/{hearing.id}/corrections", values)
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Correction.id))) == 0


def test_corrections_are_refused_before_publication(client, closed):
    hearing = closed["hearing"]
    response = post(client, f"/manage/hearings/{hearing.id}/corrections",
                    {"subject": "chair", "value": "X", "reason": "Why"})  # fmt: skip
    assert response.status_code == 422
    assert db.session.scalar(db.select(db.func.count(Correction.id))) == 0


def test_the_dashboard_shows_the_whole_checklist_and_the_publish_action(client, closed):
    page = client.get(f"/manage/hearings/{closed['hearing'].id}").get_data(as_text=True)
    assert 'data-check="consultation"' in page and 'data-check="publish"' in page
    assert f"/manage/hearings/{closed['hearing'].id}/publish" in page


def test_a_published_hearing_keeps_its_documents(client, published):
    import io

    hearing = published["hearing"]
    pdf = (io.BytesIO(b"%PDF-1.4\n%%EOF\n"), "budget.pdf")
    response = post(client, f"/manage/hearings/{hearing.id}/documents", {"kind": "draft_budget", "file": pdf},
                    content_type="multipart/form-data")  # fmt: skip
    assert response.status_code == 409
    assert "its documents can no longer be changed" in response.get_data(as_text=True)
    assert db.session.get(Hearing, hearing.id).documents == []


def test_the_published_record_carries_the_audit_seal_that_catches_a_cut_log(app, client, published):
    hearing = published["hearing"]
    event = db.session.scalars(db.select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert event.action == "hearing.publish" and event.object_id == hearing.id
    seal = f"{event.id}:{event.hash}"
    client.set_cookie("lang", "en")
    page = client.get(f"/h/{hearing.public_code}/results").get_data(as_text=True)
    assert f'data-seal="{seal}"' in page and "Audit seal" in page
    document = client.get(f"/h/{hearing.public_code}/results.json").get_json()
    assert document["audit_seal"] == {"event": event.id, "sha256": event.hash}
    with open(SCHEMA, encoding="utf-8") as handle:
        assert list(Draft202012Validator(json.load(handle)).iter_errors(document)) == []
    minutes = client.get(f"/h/{hearing.public_code}/minutes?lang=en").get_data(as_text=True)
    assert f'<code class="seal-hash">{seal}</code>' in minutes  # the printed protocol carries it too
    pdf = client.get(f"/h/{hearing.public_code}/minutes.pdf?lang=ky")
    assert seal in "".join(pdf_text(pdf.data).split()) and "Аудит журналынын мөөрү" in pdf_text(pdf.data)
    client.set_cookie("lang", "ru")
    assert "Печать журнала аудита" in client.get(f"/h/{hearing.public_code}/results").get_data(as_text=True)

    def verify():
        return app.test_cli_runner().invoke(args=["audit", "verify", "--seal", seal])

    post(client, f"/manage/hearings/{hearing.id}/corrections",
         {"subject": "chair", "value": "A. Toktogulova-Asanova", "reason": "Surname misspelt"})  # fmt: skip
    assert verify().exit_code == 0  # events after the seal are fine
    db.session.execute(sa.delete(AuditEvent.__table__).where(AuditEvent.id >= event.id))
    db.session.commit()
    result = verify()
    assert result.exit_code == 1 and f"event {event.id}: sealed but not in the log" in result.output


def test_a_hearing_published_without_an_audited_step_has_no_seal(client, closed):
    hearing = closed["hearing"]
    hearing.state = "published"
    db.session.commit()
    page = client.get(f"/h/{hearing.public_code}/results").get_data(as_text=True)
    assert "data-seal" not in page
    assert client.get(f"/h/{hearing.public_code}/results.json").get_json()["audit_seal"] is None
    assert "seal-hash" not in client.get(f"/h/{hearing.public_code}/minutes?lang=en").get_data(as_text=True)
