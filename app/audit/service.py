"""Writing audit events: one call per state change, inside the caller's transaction."""

import hashlib
import json

import sqlalchemy as sa
from flask_login import current_user

from app.audit.models import AuditEvent
from app.extensions import db
from app.timeutil import utcnow

GENESIS = "0" * 64
PENDING = "pending"
_PG_AUDIT_LOCK = 7_400_001  # advisory lock key that serialises appends to the chain on PostgreSQL


def event_digest(prev_hash: str, fields: dict) -> str:
    """The SHA-256 of the previous hash and this event's canonical JSON."""
    payload = json.dumps(fields, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256((prev_hash + payload).encode()).hexdigest()


def event_fields(event: AuditEvent) -> dict:
    """The fields of an event that its hash covers."""
    return {
        "at": event.at.isoformat(),
        "user_id": event.user_id,
        "municipality_id": event.municipality_id,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "before": event.before,
        "after": event.after,
    }


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
