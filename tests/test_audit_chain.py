"""The audit log's hash chain: the pure check, and `flask audit verify` on the real database."""

import weakref
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from app.audit import service as audit
from app.audit.models import AuditEvent
from app.extensions import db
from app.registration import service as registration
from app.rules.audit_chain import (
    CUT_OFF,
    EDITED,
    GENESIS,
    MISSING,
    MOVED,
    RESEALED,
    Link,
    event_digest,
    parse_seal,
    verify_chain,
)
from app.voting import service as voting

# -- the pure check ------------------------------------------------------------------------------------


def chain(n: int, start: int = 1):
    """`n` well-linked events, made one at a time."""
    previous = GENESIS
    for event_id in range(start, start + n):
        fields = {"at": f"2026-05-01T10:00:{event_id % 60:02d}", "action": "checkin.create", "object_id": event_id,
                  "before": None, "after": {"participant": event_id, "method": "code"}}  # fmt: skip
        link = Link(event_id, previous, event_digest(previous, fields), fields)
        previous = link.hash
        yield link


def test_an_untouched_chain_is_intact():
    report = verify_chain(chain(50))
    assert report.intact and report.events == 50 and report.last_id == 50


def test_an_edited_event_is_named_as_a_hash_mismatch_and_nothing_else():
    links = list(chain(10))
    links[4] = Link(5, links[4].prev_hash, links[4].hash, links[4].fields | {"after": {"participant": 99}})
    report = verify_chain(links)
    assert [(b.event_id, b.kind) for b in report.breaks] == [(5, EDITED)]


def test_an_edit_with_a_recomputed_hash_breaks_the_link_of_the_next_event():
    links = list(chain(10))
    forged = links[4].fields | {"after": {"participant": 99}}
    links[4] = Link(5, links[4].prev_hash, event_digest(links[4].prev_hash, forged), forged)
    report = verify_chain(links)
    assert [(b.event_id, b.kind, b.previous_id) for b in report.breaks] == [(6, MISSING, 5)]


def test_a_deleted_event_breaks_the_link_of_the_one_after_it():
    links = [link for link in chain(10) if link.id != 4]
    report = verify_chain(links)
    assert [(b.event_id, b.kind, b.previous_id) for b in report.breaks] == [(5, MISSING, 3)]


def test_deleting_the_first_event_is_caught():
    report = verify_chain(list(chain(3))[1:])
    assert [(b.event_id, b.kind) for b in report.breaks] == [(2, MISSING)]


def test_swapped_events_are_caught_as_moved():
    links = list(chain(6))
    links[2], links[3] = links[3], links[2]
    report = verify_chain(links)
    found = [(b.event_id, b.kind, b.linked_to) for b in report.breaks]
    assert found == [(4, MISSING, None), (3, MOVED, 2), (5, MOVED, 4)]


def test_an_event_inserted_as_a_second_start_of_the_chain_is_caught():
    links = list(chain(5)) + list(chain(1, start=6))
    report = verify_chain(links)
    assert [(b.event_id, b.kind, b.linked_to) for b in report.breaks] == [(6, MOVED, None)]


def test_the_digest_is_that_of_the_json_read_back_whatever_the_key_order_or_types():
    written = {"after": {"counts": {"male": (1, 2, 0), "female": (3, 0, 0)}, 7: "seven"}, "at": "2026-05-01"}
    read_back = {"at": "2026-05-01", "after": {"7": "seven", "counts": {"female": [3, 0, 0], "male": [1, 2, 0]}}}
    assert event_digest(GENESIS, written) == event_digest(GENESIS, read_back)
    assert event_digest(GENESIS, written) != event_digest(GENESIS, read_back | {"at": "2026-05-02"})


def test_the_check_reports_every_break_but_keeps_only_the_first():
    forged = {"forged": True}
    links = (link if link.id % 2 else Link(link.id, link.prev_hash, link.hash, forged) for link in chain(2000))
    report = verify_chain(links, keep=10)
    assert report.events == 2000 and report.break_count == 1000
    assert [b.event_id for b in report.breaks] == list(range(2, 21, 2))


def test_the_check_holds_one_event_at_a_time_so_a_long_log_streams():
    alive = {"now": 0, "most": 0}

    def forget():
        alive["now"] -= 1

    def watched():
        for link in chain(3000):
            alive["most"] = max(alive["most"], alive["now"])
            alive["now"] += 1
            weakref.finalize(link, forget)
            yield link

    assert verify_chain(watched()).intact
    assert alive["most"] <= 1  # the previous event, still named by the loop; a list of them would grow to 3,000


def rewritten(links: list[Link], at: int) -> list[Link]:
    """`links` with event `at` edited and every hash from there on recomputed: a chain that is intact again."""
    out, previous = [], GENESIS
    for link in links:
        fields = link.fields | {"after": {"participant": 99}} if link.id == at else link.fields
        previous = event_digest(previous, fields) if link.id >= at else link.hash
        out.append(Link(link.id, out[-1].hash if out else GENESIS, previous, fields))
    return out


def test_events_cut_off_the_end_leave_an_intact_chain_that_only_a_seal_catches():
    links = list(chain(10))
    seal = {10: links[-1].hash}
    assert verify_chain(links, seals=seal).intact
    assert verify_chain(links[:8]).intact  # the chain alone cannot tell
    report = verify_chain(links[:8], seals=seal)
    assert [(b.event_id, b.kind, b.previous_id) for b in report.breaks] == [(10, CUT_OFF, 8)]
    assert [(b.event_id, b.kind) for b in verify_chain([], seals=seal).breaks] == [(10, CUT_OFF)]


def test_a_chain_rewritten_from_an_edit_onwards_breaks_the_seal_after_it():
    links = list(chain(10))
    forged = rewritten(links, at=4)
    assert verify_chain(forged).intact and forged[7].hash != links[7].hash
    report = verify_chain(forged, seals={3: links[2].hash, 8: links[7].hash[:16]})
    assert [(b.event_id, b.kind) for b in report.breaks] == [(8, RESEALED)]  # event 3, before the edit, holds


def test_a_seal_is_an_event_id_and_the_hash_or_at_least_its_first_16_hex_digits():
    digest = "ab" * 32
    assert parse_seal(f"12:{digest}") == (12, digest)
    assert parse_seal(f" 12:{digest.upper()[:16]} ") == (12, digest[:16])
    for bad in ("", "12", f"x:{digest}", f"12:{digest[:15]}", f"12:{digest}0", "12:" + "g" * 64, f"-1:{digest}"):
        assert parse_seal(bad) is None, bad


# -- flask audit verify on the database -----------------------------------------------------------------


@pytest.fixture
def logged(make):
    """A hearing in session with audited check-ins, a show of hands and an event with integer keys."""
    kumbel = make.municipality()
    clerk = make.user("aigul", kumbel, "clerk")
    hearing = make.hearing(kumbel)
    for gender in ("female", "female", "male"):
        registration.walk_in(hearing, registration.PersonDetails(gender=gender), clerk)
    voting.record_hands(hearing, "agenda:1", {"female": (2, 0, 0), "male": (0, 1, 0)}, clerk)
    audit.record("test.keys", hearing, {3: "three", 10: "ten"}, {"nested": {2: [1.5, None]}}, kumbel.id, clerk)
    db.session.commit()
    ids = db.session.scalars(sa.select(AuditEvent.id).order_by(AuditEvent.id)).all()
    return SimpleNamespace(hearing=hearing, ids=ids)


def verify(app, *seals):
    result = app.test_cli_runner().invoke(args=["audit", "verify", *(f"--seal={seal}" for seal in seals)])
    return result.exit_code, result.output


def test_audited_changes_through_the_services_form_an_intact_chain(app, logged):
    assert len(logged.ids) == 6  # the session opens on the first check-in, three check-ins, hands, keys
    code, output = verify(app)
    assert code == 0, output
    assert f"{len(logged.ids)} events, chain intact" in output


def test_an_empty_log_is_intact(app):
    assert verify(app) == (0, "0 events, chain intact.\n")


def test_a_row_edited_in_the_database_fails_naming_it(app, logged):
    edited = logged.ids[2]
    db.session.execute(sa.update(AuditEvent.__table__).where(AuditEvent.id == edited).values(after={"forged": 1}))
    db.session.commit()
    code, output = verify(app)
    assert code == 1
    assert f"event {edited}: hash mismatch" in output
    assert "chain intact" not in output


def test_a_column_changed_with_raw_sql_is_caught_too(app, logged):
    edit = sa.text("UPDATE audit_event SET object_id = object_id + 1 WHERE id = :id")
    db.session.execute(edit, {"id": logged.ids[0]})
    db.session.commit()
    code, output = verify(app)
    assert code == 1 and f"event {logged.ids[0]}: hash mismatch" in output


def test_a_deleted_middle_row_fails_naming_the_row_after_it(app, logged):
    before, deleted, after = logged.ids[1:4]
    db.session.execute(sa.text("DELETE FROM audit_event WHERE id = :id"), {"id": deleted})
    db.session.commit()
    code, output = verify(app)
    assert code == 1
    assert f"event {after}: prev_hash does not match event {before}" in output


def test_a_row_moved_to_the_end_of_the_log_is_caught(app, logged):
    moved = db.session.get(AuditEvent, logged.ids[2])
    columns = {c.name: getattr(moved, c.key) for c in AuditEvent.__table__.columns if c.name != "id"}
    db.session.execute(sa.delete(AuditEvent.__table__).where(AuditEvent.id == moved.id))
    db.session.execute(sa.insert(AuditEvent.__table__).values(id=logged.ids[-1] + 1, **columns))
    db.session.commit()
    code, output = verify(app)
    assert code == 1
    assert f"event {logged.ids[3]}: prev_hash does not match event {logged.ids[1]}" in output
    assert f"event {logged.ids[-1] + 1}: links to event {logged.ids[1]}, not to event {logged.ids[-1]}" in output


def test_the_last_line_is_a_seal_that_catches_events_cut_off_later(app, logged):
    code, output = verify(app)
    head = f"{logged.ids[-1]}:" + output.rsplit("hash ", 1)[1].split(")")[0]
    assert code == 0 and verify(app, head)[0] == 0
    cut = sa.delete(AuditEvent.__table__).where(AuditEvent.id >= logged.ids[-2])
    db.session.execute(cut)
    db.session.commit()
    assert verify(app)[0] == 0  # what is left is a well-linked chain
    code, output = verify(app, head)
    assert code == 1
    assert f"event {logged.ids[-1]}: sealed but not in the log (the log ends at event {logged.ids[-3]})" in output


def test_a_malformed_seal_is_refused_before_anything_is_read(app, logged):
    code, output = verify(app, "12:not-a-hash")
    assert code == 2 and "is not EVENT:HASH" in output
