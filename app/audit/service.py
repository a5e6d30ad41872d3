"""Writing audit events: one call per state change, inside the caller's transaction."""

import hashlib
import json

from flask_login import current_user

from app.audit.models import AuditEvent
from app.extensions import db
from app.timeutil import utcnow

GENESIS = "0" * 64


def event_digest(prev_hash: str, fields: dict) -> str:
    """The SHA-256 of the previous hash and this event's canonical JSON."""
    payload = json.dumps(fields, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256((prev_hash + payload).encode()).hexdigest()


def record(action, obj, before=None, after=None, municipality_id=None, user=None) -> AuditEvent:
    """Append an audit event for `action` on `obj`; the caller commits."""
    if user is None and current_user and current_user.is_authenticated:
        user = current_user
    last = db.session.execute(
        db.select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)
    ).scalar()
    prev_hash = last or GENESIS
    now = utcnow()
    fields = {
        "at": now.isoformat(),
        "user_id": user.id if user else None,
        "municipality_id": municipality_id,
        "action": action,
        "object_type": type(obj).__name__.lower(),
        "object_id": obj.id,
        "before": before,
        "after": after,
    }
    event = AuditEvent(
        at=now,
        user_id=fields["user_id"],
        municipality_id=municipality_id,
        action=action,
        object_type=fields["object_type"],
        object_id=obj.id,
        before=before,
        after=after,
        prev_hash=prev_hash,
        hash=event_digest(prev_hash, fields),
    )
    db.session.add(event)
    return event
