"""Authentication with throttling of failed attempts by account and by address."""

from datetime import timedelta
from math import ceil

from flask import current_app

from app.auth.models import LoginAttempt, User
from app.extensions import db
from app.timeutil import utcnow


class Throttled(Exception):
    """Too many recent failures; `minutes` until the oldest one leaves the window."""

    def __init__(self, minutes: int):
        super().__init__(minutes)
        self.minutes = minutes


def _recent_failures(username: str, address: str):
    window = timedelta(minutes=current_app.config["LOGIN_WINDOW_MINUTES"])
    since = utcnow() - window
    query = db.select(LoginAttempt.at).where(LoginAttempt.at > since)
    by_user = db.session.scalars(query.where(LoginAttempt.username == username)).all()
    by_address = db.session.scalars(query.where(LoginAttempt.address == address)).all()
    return by_user, by_address, window


def authenticate(username: str, password: str, address: str) -> User | None:
    """Return the user for correct credentials; record failures; raise Throttled when blocked."""
    username = username.strip().lower()
    limit = current_app.config["LOGIN_MAX_FAILURES"]
    by_user, by_address, window = _recent_failures(username, address)
    for failures in (by_user, by_address):
        if len(failures) >= limit:
            wait = min(failures) + window - utcnow()
            raise Throttled(max(1, ceil(wait.total_seconds() / 60)))
    user = db.session.scalar(db.select(User).where(User.username == username))
    if user is not None and user.active and user.check_password(password):
        db.session.commit()  # keeps a rehashed password
        return user
    db.session.add(LoginAttempt(username=username, address=address))
    db.session.commit()
    return None
