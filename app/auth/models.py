"""Users, their roles per municipality, and login attempts for throttling."""

from datetime import datetime

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerifyMismatchError
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.timeutil import utcnow

_hasher = PasswordHasher()

ROLES = ("admin", "clerk", "observer")
# What each role may do; a role includes everything of the roles after it.
CAN_MANAGE = {"admin"}
CAN_EDIT = {"admin", "clerk"}
CAN_VIEW = {"admin", "clerk", "observer"}


class User(UserMixin, db.Model):
    """A person who logs in: clerk, admin or observer of one or more municipalities."""

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(80), unique=True)
    full_name: Mapped[str] = mapped_column(sa.String(200), default="")
    password_hash: Mapped[str] = mapped_column(sa.String(200))
    locale: Mapped[str | None] = mapped_column(sa.String(5), nullable=True)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    memberships: Mapped[list["Membership"]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    @property
    def is_active(self) -> bool:
        """Deactivated users cannot log in."""
        return self.active

    def set_password(self, password: str) -> None:
        """Store an argon2 hash of `password`."""
        self.password_hash = _hasher.hash(password)

    def check_password(self, password: str) -> bool:
        """Return True when `password` matches; rehash when argon2's parameters changed."""
        try:
            _hasher.verify(self.password_hash, password)
        except (VerifyMismatchError, InvalidHashError):
            return False
        if _hasher.check_needs_rehash(self.password_hash):
            self.set_password(password)
        return True

    def role_in(self, municipality_id: int) -> str | None:
        """The user's role in a municipality, or None."""
        for membership in self.memberships:
            if membership.municipality_id == municipality_id:
                return membership.role
        return None


class Membership(db.Model):
    """A user's role in one municipality."""

    __table_args__ = (
        sa.UniqueConstraint("user_id", "municipality_id"),
        sa.CheckConstraint("role IN ('admin', 'clerk', 'observer')", name="role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"), index=True)
    municipality_id: Mapped[int] = mapped_column(sa.ForeignKey("municipality.id"), index=True)
    role: Mapped[str] = mapped_column(sa.String(10))
    user: Mapped[User] = relationship(back_populates="memberships")
    municipality = relationship("Municipality")


class LoginAttempt(db.Model):
    """A failed login, kept to throttle guessing by account and by address."""

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(80), index=True)
    address: Mapped[str] = mapped_column(sa.String(64), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
