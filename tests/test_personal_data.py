"""Names and phones are erased after the retention period; the anonymous counts stay."""

from datetime import timedelta

from app.extensions import db
from app.registration import service
from app.registration.models import Participant
from app.timeutil import utcnow


def register_named(hearing, name):
    details = service.PersonDetails(gender="female", name=name, phone="+996 555 123 456")
    return service.register(hearing, details)


def test_names_and_phones_go_after_the_retention_period_and_gender_stays(app, make):
    kumbel = make.municipality()
    old = make.hearing(kumbel, state="announced")
    recent = make.hearing(kumbel, state="announced")
    register_named(old, "Aigul")
    register_named(recent, "Nurbek")
    old.published_at = utcnow() - timedelta(days=91)
    recent.published_at = utcnow() - timedelta(days=89)
    db.session.commit()

    result = app.test_cli_runner().invoke(args=["erase-personal-data"])
    assert result.exit_code == 0 and "1 participants" in result.output
    columns = (Participant.hearing_id, Participant.name, Participant.phone, Participant.gender)
    rows = db.session.execute(db.select(*columns).order_by(Participant.id)).all()
    assert rows == [(old.id, None, None, "female"), (recent.id, "Nurbek", "+996 555 123 456", "female")]
    assert service.erase_personal_data() == 0  # nothing left to erase


def test_unpublished_hearings_keep_their_attendance_details(make):
    hearing = make.hearing(make.municipality(), state="announced")
    register_named(hearing, "Aigul")
    assert service.erase_personal_data(utcnow() + timedelta(days=3650)) == 0
    assert db.session.scalar(db.select(Participant.name)) == "Aigul"


def test_retention_is_a_municipality_setting(make):
    kumbel = make.municipality()
    kumbel.personal_data_retention_days = 7
    hearing = make.hearing(kumbel, state="announced")
    register_named(hearing, "Aigul")
    hearing.published_at = utcnow() - timedelta(days=8)
    db.session.commit()
    assert service.erase_personal_data() == 1
