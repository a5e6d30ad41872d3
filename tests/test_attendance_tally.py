"""The attendance tally that the database keeps (migration 5b7e2c1a9d40): whatever writes check_in, the desk's
count line equals a fresh count of the check-ins, on SQLite and on PostgreSQL."""

import sqlalchemy as sa

from app.extensions import db
from app.registration import service
from app.registration.models import AttendanceTally, CheckIn, Participant
from app.registration.service import PersonDetails
from tests.test_checkin import register


def recount(hearing) -> tuple[int, int]:
    """Total and women, counted the slow way: every check-in joined to its participant."""
    return db.session.execute(
        sa.select(sa.func.count(), sa.func.count().filter(Participant.gender == "female"))
        .select_from(CheckIn)
        .join(Participant, Participant.id == CheckIn.participant_id)
        .where(CheckIn.hearing_id == hearing.id)
    ).one()  # fmt: skip


def shown(hearing) -> tuple[int, int]:
    figures = service.headcount(hearing)
    return figures.total, figures.women


def test_a_hearing_nobody_came_to_counts_zero_without_a_row(make):
    kumbel = make.municipality()
    hearing = make.hearing(kumbel, state="announced")
    assert shown(hearing) == (0, 0) == recount(hearing)
    assert db.session.get(AttendanceTally, hearing.id) is None


def test_check_ins_repeats_undo_walk_ins_and_bound_blanks_keep_it_exact(make):
    kumbel = make.municipality()
    clerk = make.user("aigul", kumbel, "clerk")
    hearing = make.hearing(kumbel, state="announced")
    other = make.hearing(kumbel, state="announced", days=20)
    women = [register(hearing, "female") for _ in range(3)]
    man = register(hearing, "male")
    for person in [*women, man]:
        service.check_in(hearing, person, clerk)
    assert service.check_in(hearing, women[0], clerk).status == "already"  # a repeat adds nothing
    service.check_in(other, register(other, "female"), clerk)  # another hearing's count is its own
    assert shown(hearing) == (4, 3) == recount(hearing)
    assert shown(other) == (1, 1) == recount(other)

    service.undo_check_in(hearing, women[1].check_in, clerk, "wrong ticket")
    assert shown(hearing) == (3, 2) == recount(hearing)
    service.walk_in(hearing, PersonDetails(gender="female"), clerk)
    service.walk_in(hearing, PersonDetails(gender="undisclosed"), clerk)
    blank = service.create_blank_tickets(hearing, 1)[0]
    service.walk_in(hearing, PersonDetails(gender="female"), clerk, participant=blank)
    assert shown(hearing) == (6, 4) == recount(hearing)
    assert shown(other) == (1, 1) == recount(other)


def test_rows_written_behind_the_app_and_a_changed_gender_are_counted(make):
    kumbel = make.municipality()
    hearing = make.hearing(kumbel, state="in_session")
    people = [register(hearing, gender) for gender in ("female", "male", "female", "undisclosed")]
    db.session.execute(sa.insert(CheckIn), [{"hearing_id": hearing.id, "participant_id": p.id} for p in people])
    db.session.commit()
    assert shown(hearing) == (4, 2) == recount(hearing)

    db.session.execute(sa.update(Participant).where(Participant.id == people[1].id).values(gender="female"))
    db.session.execute(sa.update(Participant).where(Participant.id == people[0].id).values(gender="undisclosed"))
    db.session.execute(sa.update(Participant).where(Participant.id == people[2].id).values(age_band_id=None))
    not_in = register(hearing, "male")
    db.session.execute(sa.update(Participant).where(Participant.id == not_in.id).values(gender="female"))
    db.session.commit()
    assert shown(hearing) == (4, 2) == recount(hearing)

    db.session.execute(sa.delete(CheckIn).where(CheckIn.participant_id.in_([people[1].id, people[3].id])))
    db.session.commit()
    assert shown(hearing) == (2, 1) == recount(hearing)


def test_a_rolled_back_check_in_leaves_the_tally_alone(make):
    kumbel = make.municipality()
    clerk = make.user("aigul", kumbel, "clerk")
    hearing = make.hearing(kumbel, state="in_session")
    first, second = register(hearing, "female"), register(hearing, "female")
    service.check_in(hearing, first, clerk)
    db.session.execute(sa.insert(CheckIn), [{"hearing_id": hearing.id, "participant_id": second.id}])
    db.session.rollback()
    assert shown(hearing) == (1, 1) == recount(hearing)
