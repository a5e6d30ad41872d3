"""Time helpers: the database stores naive UTC; people see the municipality's local time."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo


def utcnow() -> datetime:
    """Return the current time as naive UTC, the form stored in the database."""
    return datetime.now(UTC).replace(tzinfo=None)


def local_to_utc(local: datetime, timezone: str) -> datetime:
    """Turn a naive local wall-clock time in `timezone` into naive UTC."""
    return local.replace(tzinfo=ZoneInfo(timezone)).astimezone(UTC).replace(tzinfo=None)


def utc_to_local(utc: datetime, timezone: str) -> datetime:
    """Turn naive UTC into a naive wall-clock time in `timezone`."""
    return utc.replace(tzinfo=UTC).astimezone(ZoneInfo(timezone)).replace(tzinfo=None)
