"""Many tablets at once: the database, not Python, keeps check-ins and short codes unique."""

import threading

import pytest

from app.auth.models import User
from app.extensions import db
from app.hearings.models import Hearing
from app.registration import service
from app.registration.models import CheckIn, Participant

THREADS = 50


def run_at_once(app, work):
    """Start THREADS threads that wait at a barrier, then all call `work` in their own app context."""
    barrier = threading.Barrier(THREADS)
    results, errors = [], []

    def worker():
        with app.app_context():
            barrier.wait()
            try:
                results.append(work())
            except Exception as error:  # noqa: BLE001 - collected and asserted below
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=worker) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


@pytest.fixture
def hearing(make):
    kumbel = make.municipality()
    make.user("desk1", kumbel, "clerk")
    return make.hearing(kumbel, state="announced")


def test_fifty_tablets_checking_in_one_ticket_make_exactly_one_check_in(app, hearing):
    participant = service.register(hearing, service.PersonDetails(gender="female"))
    hearing_id, participant_id = hearing.id, participant.id

    def scan():
        h = db.session.get(Hearing, hearing_id)
        p = db.session.get(Participant, participant_id)
        clerk = db.session.scalar(db.select(User).filter_by(username="desk1"))
        return service.check_in(h, p, clerk, "camera").status

    results, errors = run_at_once(app, scan)
    assert errors == []
    assert sorted(results) == ["already"] * (THREADS - 1) + ["checked_in"]
    assert db.session.scalar(db.select(db.func.count(CheckIn.id))) == 1
    assert db.session.scalar(db.select(Hearing.state)) == "in_session"


def test_fifty_walk_ins_at_once_get_fifty_distinct_short_codes(app, hearing):
    hearing_id = hearing.id

    def walk_in():
        h = db.session.get(Hearing, hearing_id)
        clerk = db.session.scalar(db.select(User).filter_by(username="desk1"))
        return service.walk_in(h, service.PersonDetails(gender="male"), clerk).participant.short_code

    results, errors = run_at_once(app, walk_in)
    assert errors == []
    assert len(set(results)) == THREADS
    codes = db.session.scalars(db.select(Participant.short_code)).all()
    assert len(codes) == len(set(codes)) == THREADS
    assert db.session.scalar(db.select(db.func.count(CheckIn.id))) == THREADS


def test_the_audit_chain_stays_unbroken_under_concurrent_check_ins(app, hearing):
    from app.audit.models import AuditEvent
    from app.audit.service import GENESIS, event_digest, event_fields

    hearing_id = hearing.id

    def walk_in():
        h = db.session.get(Hearing, hearing_id)
        clerk = db.session.scalar(db.select(User).filter_by(username="desk1"))
        return service.walk_in(h, service.PersonDetails(gender="female"), clerk).status

    run_at_once(app, walk_in)
    events = db.session.scalars(db.select(AuditEvent).order_by(AuditEvent.id)).all()
    assert len(events) == THREADS + 1  # fifty check-ins and the opening of the session
    previous = GENESIS
    for event in events:
        assert event.prev_hash == previous
        assert event.hash == event_digest(previous, event_fields(event))
        previous = event.hash
