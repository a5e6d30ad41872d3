"""Writing audit events (one call per state change, inside the caller's transaction) and checking the chain."""

from collections.abc import Iterator

import sqlalchemy as sa
from flask_login import current_user

from app.audit.models import AuditEvent
from app.extensions import db
from app.rules.audit_chain import GENESIS, HASHED_FIELDS, ChainReport, Link, event_digest, event_fields, verify_chain
from app.timeutil import utcnow

__all__ = ["GENESIS", "event_digest", "event_fields", "record", "stored_links", "verify"]

PENDING = "pending"
_PG_AUDIT_LOCK = 7_400_001  # advisory lock key that serialises appends to the chain on PostgreSQL
STREAM_BATCH = 2000  # rows fetched at a time while verifying, so a long log never sits in memory


def record(action, obj, before=None, after=None, municipality_id=None, user=None) -> AuditEvent:
    """Append an audit event for `action` on `obj`; the caller commits.

    The row is inserted first so that, on SQLite, this transaction holds the write lock before
    the previous hash is read; on PostgreSQL an advisory lock does the same. Either way no two
    events can claim the same predecessor.
    """
    if user is None and current_user and current_user.is_authenticated:
        user = current_user
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_AUDIT_LOCK})
    event = AuditEvent(
        at=utcnow(), user_id=user.id if user else None, municipality_id=municipality_id, action=action,
        object_type=type(obj).__name__.lower(), object_id=obj.id, before=before, after=after,
        prev_hash=PENDING, hash=PENDING,
    )  # fmt: skip
    db.session.add(event)
    db.session.flush()
    previous = db.session.scalar(
        sa.select(AuditEvent.hash).where(AuditEvent.id < event.id).order_by(AuditEvent.id.desc()).limit(1)
    )
    event.prev_hash = previous or GENESIS
    event.hash = event_digest(event.prev_hash, event_fields(event))
    return event


def stored_links() -> Iterator[Link]:
    """Every stored event in id order, fetched in batches (a server-side cursor on PostgreSQL)."""
    columns = [getattr(AuditEvent, name) for name in ("id", "prev_hash", "hash", *HASHED_FIELDS)]
    query = sa.select(*columns).order_by(AuditEvent.id).execution_options(yield_per=STREAM_BATCH)
    for row in db.session.execute(query):
        yield Link(row.id, row.prev_hash, row.hash, event_fields(row))


def verify(keep: int = 100) -> ChainReport:
    """Check the whole stored chain."""
    return verify_chain(stored_links(), keep=keep)
