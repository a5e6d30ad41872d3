"""Consultations with women before the hearing: recording, counts, priorities that become proposals."""

from datetime import timedelta

import pytest

from app.audit.models import AuditEvent
from app.consultations.models import Consultation, ConsultationPriority
from app.extensions import db
from app.proposals.models import Proposal
from app.proposals.overview import local_today
from app.publication.service import requirement_checks
from tests.helpers import login, post


@pytest.fixture
def kumbel(make, client):
    municipality = make.municipality()
    make.user("aigul", municipality, "clerk")
    make.user("observer", municipality, "observer")
    hearing = make.hearing(municipality, state="announced")
    login(client, "aigul")
    return {"municipality": municipality, "hearing": hearing}


def form(kumbel, **values):
    municipality = kumbel["municipality"]
    band = municipality.age_bands[1].id
    data = {"held_on": (local_today(municipality) - timedelta(days=3)).isoformat(), "place": "Ak-Bulak school",
            "kind": "wag_meeting", "organisation_id": "0", f"count_female_{band}": "12", "count_male_none": "2",
            "priorities": "Drinking water at the school\nStreet lights on the road to the clinic\n"}  # fmt: skip
    data.update(values)
    return data


def consultation_check(hearing):
    return next(c for c in requirement_checks(hearing) if c.id == "consultation")


def test_a_recorded_consultation_meets_the_requirement_with_its_counts(client, kumbel):
    hearing = kumbel["hearing"]
    assert consultation_check(hearing).status == "not_met"
    response = post(client, f"/manage/hearings/{hearing.id}/consultations", form(kumbel))
    assert response.status_code == 303
    consultation = db.session.scalars(db.select(Consultation)).one()
    assert (consultation.total, consultation.women) == (14, 12)
    assert [p.text for p in consultation.priorities] == ["Drinking water at the school",
                                                         "Street lights on the road to the clinic"]
    check = consultation_check(hearing)
    assert check.status == "met" and check.figures["women"] == 12 and check.figures["count"] == 1
    page = client.get(f"/manage/hearings/{hearing.id}/consultations").get_data(as_text=True)
    assert "Ak-Bulak school" in page and "Drinking water at the school" in page
    assert db.session.scalar(db.select(AuditEvent.action).where(AuditEvent.object_type == "consultation")) == (
        "consultation.create")


def test_a_consultation_without_anyone_is_refused_next_to_the_grid(client, kumbel):
    hearing, band = kumbel["hearing"], kumbel["municipality"].age_bands[1].id
    response = post(client, f"/manage/hearings/{hearing.id}/consultations",
                    form(kumbel, **{f"count_female_{band}": "0", "count_male_none": ""}))  # fmt: skip
    assert response.status_code == 422
    assert "Enter how many people took part." in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Consultation.id))) == 0


@pytest.mark.parametrize("field, value, message", [
    ("place", "", "This field is required."),
    ("kind", "tea_party", "Not a valid choice."),
    ("held_on", "2999-01-01", "The meeting cannot be in the future."),
    ("count_male_none", "-3", "Number must be between 0 and 10000."),
    ("priorities", "x" * 301, "Each priority can have at most 300 characters."),
])  # fmt: skip
def test_bad_input_is_refused_with_a_message_and_nothing_is_written(client, kumbel, field, value, message):
    response = post(client, f"/manage/hearings/{kumbel['hearing'].id}/consultations", form(kumbel, **{field: value}))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Consultation.id))) == 0


def test_a_priority_becomes_a_proposal_benefiting_women_once(client, kumbel):
    hearing = kumbel["hearing"]
    post(client, f"/manage/hearings/{hearing.id}/consultations", form(kumbel))
    priority = db.session.scalars(db.select(ConsultationPriority).order_by(ConsultationPriority.id)).first()
    url = f"/manage/hearings/{hearing.id}/priorities/{priority.id}/propose"
    assert post(client, url, {"category": "water_supply"}).status_code == 303
    proposal = db.session.scalars(db.select(Proposal)).one()
    assert proposal.title == "Drinking water at the school" and proposal.raised_in_consultation
    assert proposal.benefits_women and proposal.category == "water_supply"
    assert db.session.get(ConsultationPriority, priority.id).proposal_id == proposal.id
    post(client, url, {"category": "water_supply"})
    assert db.session.scalar(db.select(db.func.count(Proposal.id))) == 1


def test_editing_keeps_priorities_that_became_proposals(client, kumbel):
    hearing = kumbel["hearing"]
    post(client, f"/manage/hearings/{hearing.id}/consultations", form(kumbel))
    consultation = db.session.scalars(db.select(Consultation)).one()
    first = consultation.priorities[0]
    post(client, f"/manage/hearings/{hearing.id}/priorities/{first.id}/propose", {"category": "water_supply"})
    response = post(client, f"/manage/hearings/{hearing.id}/consultations/{consultation.id}",
                    form(kumbel, place="Ak-Bulak club", priorities="A playground"))  # fmt: skip
    assert response.status_code == 303
    db.session.expire_all()
    consultation = db.session.get(Consultation, consultation.id)
    assert consultation.place == "Ak-Bulak club"
    assert [p.text for p in consultation.priorities] == ["Drinking water at the school", "A playground"]


def test_a_consultation_after_the_hearing_day_does_not_count(client, kumbel, make):
    hearing = make.hearing(kumbel["municipality"], state="announced", days=-3)
    post(client, f"/manage/hearings/{hearing.id}/consultations",
         form(kumbel, held_on=local_today(kumbel["municipality"]).isoformat()))  # fmt: skip
    assert db.session.scalar(db.select(db.func.count(Consultation.id))) == 1
    assert consultation_check(hearing).status == "not_met"


def test_an_observer_sees_but_cannot_record(client, kumbel):
    post(client, "/logout")
    login(client, "observer")
    hearing = kumbel["hearing"]
    assert client.get(f"/manage/hearings/{hearing.id}/consultations").status_code == 200
    assert post(client, f"/manage/hearings/{hearing.id}/consultations", form(kumbel)).status_code == 403
    assert db.session.scalar(db.select(db.func.count(Consultation.id))) == 0


def test_a_published_hearing_refuses_new_consultations(client, kumbel):
    hearing = kumbel["hearing"]
    hearing.state = "published"
    db.session.commit()
    response = post(client, f"/manage/hearings/{hearing.id}/consultations", form(kumbel))
    assert response.status_code == 422
    assert "can no longer be changed" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Consultation.id))) == 0
