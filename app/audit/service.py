"""Writing audit events (one call per state change, inside the caller's transaction) and checking the chain."""

from collections.abc import Iterator
from types import SimpleNamespace

import sqlalchemy as sa
from flask_login import current_user

from app.audit.models import AuditEvent
from app.extensions import db
from app.rules.audit_chain import GENESIS, HASHED_FIELDS, ChainReport, Link, event_digest, event_fields, verify_chain
from app.timeutil import utcnow

__all__ = ["GENESIS", "event_digest", "event_fields", "publication_seal", "record", "stored_links", "verify"]

PENDING = "pending"
_PG_AUDIT_LOCK = 7_400_001  # advisory lock key that serialises appends to the chain on PostgreSQL
STREAM_BATCH = 2000  # rows fetched at a time while verifying, so a long log never sits in memory


def record(action, obj, before=None, after=None, municipality_id=None, user=None) -> None:
    """Append an audit event for `action` on `obj`; the caller commits.

    No two events may claim the same predecessor, so the previous hash is read only while this
    transaction holds the database's write lock: on PostgreSQL an advisory lock; on SQLite the lock
    that the transaction's first write took. When the transaction has written nothing yet (SQLite),
    the row is inserted first to take that lock, and its hashes are filled in afterwards.
    """
    if user is None and current_user and current_user.is_authenticated:
        user = current_user
    values = {"at": utcnow(), "user_id": user.id if user else None, "municipality_id": municipality_id,
              "action": action, "object_type": type(obj).__name__.lower(), "object_id": obj.id,
              "before": before, "after": after}  # fmt: skip
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(_PG_LOCK, {"key": _PG_AUDIT_LOCK})
        holds_lock = True
    else:
        holds_lock = connection.connection.dbapi_connection.in_transaction  # sqlite3 begins only before a write
    fields = event_fields(SimpleNamespace(**values))
    if holds_lock:
        previous = connection.scalar(_LAST_HASH) or GENESIS
        connection.execute(_INSERT, values | {"prev_hash": previous, "hash": event_digest(previous, fields)})
        return
    event_id = connection.scalar(_INSERT_PENDING, values | {"prev_hash": PENDING, "hash": PENDING})
    previous = connection.scalar(_HASH_BEFORE, {"event_id": event_id}) or GENESIS
    digest = event_digest(previous, fields)
    connection.execute(_SET_HASHES, {"event_id": event_id, "new_prev": previous, "new_hash": digest})


# Built once: every check-in and ballot appends an event, and building a statement costs more than running it.
_PG_LOCK = sa.text("SELECT pg_advisory_xact_lock(:key)")
_LAST_HASH = sa.select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)
_INSERT = sa.insert(AuditEvent)
_INSERT_PENDING = sa.insert(AuditEvent).returning(AuditEvent.id)
_HASH_BEFORE = (
    sa.select(AuditEvent.hash).where(AuditEvent.id < sa.bindparam("event_id")).order_by(AuditEvent.id.desc()).limit(1)
)
_SET_HASHES = (
    sa.update(AuditEvent)
    .where(AuditEvent.id == sa.bindparam("event_id"))
    .values(prev_hash=sa.bindparam("new_prev"), hash=sa.bindparam("new_hash"))
)


def stored_links() -> Iterator[Link]:
    """Every stored event in id order, fetched in batches (a server-side cursor on PostgreSQL)."""
    columns = [getattr(AuditEvent, name) for name in ("id", "prev_hash", "hash", *HASHED_FIELDS)]
    query = sa.select(*columns).order_by(AuditEvent.id).execution_options(yield_per=STREAM_BATCH)
    for row in db.session.execute(query):
        yield Link(row.id, row.prev_hash, row.hash, event_fields(row))


def verify(keep: int = 100, seals: dict[int, str] | None = None) -> ChainReport:
    """Check the whole stored chain, and the seals (event id -> hash) recorded outside it."""
    return verify_chain(stored_links(), keep=keep, seals=seals)


def publication_seal(hearing) -> tuple[int, str] | None:
    """(event id, hash) of the hearing's latest publication event: the head of the log when it was published."""
    row = db.session.execute(
        sa.select(AuditEvent.id, AuditEvent.hash)
        .where(AuditEvent.object_type == "hearing", AuditEvent.object_id == hearing.id,
               AuditEvent.action == "hearing.publish")
        .order_by(AuditEvent.id.desc())
        .limit(1)
    ).first()  # fmt: skip
    return (row.id, row.hash) if row is not None else None
