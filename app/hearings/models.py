"""Hearings, their texts per language, agenda, documents, and the state machine."""

from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.municipalities.models import Municipality
from app.timeutil import utcnow

KINDS = ("budget_draft", "budget_report", "participatory_budget", "general")
BUDGET_KINDS = ("budget_draft", "budget_report")
STATES = ("draft", "announced", "postponed", "cancelled", "in_session", "voting", "closed", "published")
DOCUMENT_KINDS = ("draft_budget", "citizens_budget", "other", "signed_minutes", "signed_attendance")
# Scans of the signed paper protocol and attendance sheet: uploaded after the meeting, published with the record.
SIGNED_KINDS = ("signed_minutes", "signed_attendance")


class IllegalTransition(Exception):
    """A state change the hearing's current state does not allow; carries a translated message."""


class Hearing(db.Model):
    """A public hearing on the budget, or a participatory-budgeting meeting."""

    __table_args__ = (
        sa.CheckConstraint(f"kind IN {KINDS}", name="kind"),
        sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(sa.ForeignKey("municipality.id"), index=True)
    public_code: Mapped[str] = mapped_column(sa.String(8), unique=True)
    kind: Mapped[str] = mapped_column(sa.String(30))
    state: Mapped[str] = mapped_column(sa.String(20), default="draft")
    state_reason: Mapped[str] = mapped_column(sa.Text, default="")
    starts_at: Mapped[datetime] = mapped_column()  # naive UTC
    ends_at: Mapped[datetime] = mapped_column()
    venue: Mapped[str] = mapped_column(sa.String(200))
    address: Mapped[str] = mapped_column(sa.String(300), default="")
    settlement_id: Mapped[int | None] = mapped_column(sa.ForeignKey("settlement.id"), nullable=True)
    step_free: Mapped[bool | None] = mapped_column(nullable=True)
    childcare: Mapped[bool | None] = mapped_column(nullable=True)
    interpretation: Mapped[bool | None] = mapped_column(nullable=True)
    provisions_note: Mapped[str] = mapped_column(sa.String(300), default="")
    envelope: Mapped[Decimal | None] = mapped_column(sa.Numeric(18, 2), nullable=True)
    currency: Mapped[str] = mapped_column(sa.String(3))
    announced_at: Mapped[datetime | None] = mapped_column(nullable=True)
    opened_at: Mapped[datetime | None] = mapped_column(nullable=True)
    published_at: Mapped[datetime | None] = mapped_column(nullable=True)
    # The minutes: who chaired and who took the minutes, and what was presented.
    chair: Mapped[str] = mapped_column(sa.String(200), default="")
    secretary: Mapped[str] = mapped_column(sa.String(200), default="")
    presentations: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    municipality: Mapped[Municipality] = relationship()
    settlement = relationship("Settlement")
    texts: Mapped[list["HearingText"]] = relationship(
        back_populates="hearing", cascade="all, delete-orphan", order_by="HearingText.id"
    )
    agenda: Mapped[list["AgendaItem"]] = relationship(
        back_populates="hearing", cascade="all, delete-orphan", order_by="AgendaItem.position"
    )
    documents: Mapped[list["HearingDocument"]] = relationship(
        back_populates="hearing", cascade="all, delete-orphan", order_by="HearingDocument.id"
    )
    justifications: Mapped[list["Justification"]] = relationship(
        back_populates="hearing", cascade="all, delete-orphan", order_by="Justification.id"
    )

    # -- texts ---------------------------------------------------------------------------------
    def text_in(self, locale: str) -> "HearingText | None":
        """The title and description in `locale`, if the hearing has them."""
        return next((text for text in self.texts if text.locale == locale), None)

    def best_text(self, locale: str) -> "HearingText | None":
        """The text in `locale`, else in the municipality's first language that has one."""
        preferred = [locale, *self.municipality.language_list]
        for code in preferred:
            text = self.text_in(code)
            if text is not None:
                return text
        return self.texts[0] if self.texts else None

    @property
    def languages(self) -> list[str]:
        """Locales the hearing has a title in."""
        return [text.locale for text in self.texts]

    @property
    def is_public(self) -> bool:
        """Drafts stay private; everything announced, postponed or cancelled is public."""
        return self.state != "draft"

    @property
    def accepts_registration(self) -> bool:
        """Citizens can register before and during the hearing, voting included."""
        return self.state in ("announced", "in_session", "voting")

    @property
    def accepts_check_in(self) -> bool:
        """The door is open from announcement until voting closes."""
        return self.state in ("announced", "in_session", "voting")

    @property
    def is_published(self) -> bool:
        """Published records are frozen; they change only through logged corrections."""
        return self.state == "published"

    @property
    def records_minutes(self) -> bool:
        """Questions, chair, secretary and presentations are recorded from the session until publication."""
        return self.state in ("in_session", "voting", "closed")

    @property
    def is_editable(self) -> bool:
        """Drafts, announced and postponed hearings can still be edited."""
        return self.state in ("draft", "announced", "postponed")

    # -- state machine -------------------------------------------------------------------------
    def announce(self, now: datetime) -> None:
        """Move draft or postponed to announced; the hearing must still lie in the future."""
        if self.state not in ("draft", "postponed"):
            raise IllegalTransition(_l("Only a draft or postponed hearing can be announced."))
        if self.starts_at <= now:
            raise IllegalTransition(_l("The hearing starts in the past; change the date first."))
        if not self.texts:
            raise IllegalTransition(_l("Add a title before announcing."))
        self.state = "announced"
        self.state_reason = ""
        self.announced_at = now

    def postpone(self, reason: str) -> None:
        """Move an announced hearing to postponed, with the reason people will read."""
        if self.state != "announced":
            raise IllegalTransition(_l("Only an announced hearing can be postponed."))
        self._require_reason(reason)
        self.state = "postponed"
        self.state_reason = reason.strip()

    def cancel(self, reason: str) -> None:
        """Cancel a hearing that has not taken place, with the reason people will read."""
        if self.state not in ("draft", "announced", "postponed"):
            raise IllegalTransition(_l("This hearing can no longer be cancelled."))
        self._require_reason(reason)
        self.state = "cancelled"
        self.state_reason = reason.strip()

    def open_session(self, now: datetime) -> None:
        """Open the hearing: announced becomes in_session (the first check-in does this too)."""
        if self.state != "announced":
            raise IllegalTransition(_l("Only an announced hearing can be opened."))
        self.state = "in_session"
        self.opened_at = now

    def open_voting(self) -> None:
        """Open voting during the session."""
        if self.state != "in_session":
            raise IllegalTransition(_l("Voting can only be opened while the hearing is in session."))
        self.state = "voting"

    def close_voting(self) -> None:
        """Close voting; the ballots are frozen."""
        if self.state != "voting":
            raise IllegalTransition(_l("Voting is not open."))
        self.state = "closed"

    def publish(self, now: datetime) -> None:
        """Publish a closed hearing: its records are frozen from now on."""
        if self.state != "closed":
            raise IllegalTransition(_l("Only a closed hearing can be published."))
        self.state = "published"
        self.published_at = now

    @staticmethod
    def _require_reason(reason: str) -> None:
        if not reason or not reason.strip():
            raise IllegalTransition(_l("Give a reason; it is shown on the public page."))

    def snapshot(self) -> dict:
        """The fields the audit log records before and after a change."""
        return {
            "state": self.state,
            "state_reason": self.state_reason,
            "kind": self.kind,
            "starts_at": self.starts_at.isoformat() if self.starts_at else None,
            "ends_at": self.ends_at.isoformat() if self.ends_at else None,
            "venue": self.venue,
            "titles": {text.locale: text.title for text in self.texts},
        }


class HearingText(db.Model):
    """A hearing's title and description in one language."""

    __table_args__ = (sa.UniqueConstraint("hearing_id", "locale"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    hearing_id: Mapped[int] = mapped_column(sa.ForeignKey("hearing.id"), index=True)
    locale: Mapped[str] = mapped_column(sa.String(5))
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    hearing: Mapped[Hearing] = relationship(back_populates="texts")


class AgendaItem(db.Model):
    """One item of a hearing's agenda, in the order it will be discussed."""

    id: Mapped[int] = mapped_column(primary_key=True)
    hearing_id: Mapped[int] = mapped_column(sa.ForeignKey("hearing.id"), index=True)
    position: Mapped[int] = mapped_column()
    text: Mapped[str] = mapped_column(sa.String(300))
    hearing: Mapped[Hearing] = relationship(back_populates="agenda")


class HearingDocument(db.Model):
    """An uploaded document (draft budget, citizens' budget), stored under instance/uploads."""

    id: Mapped[int] = mapped_column(primary_key=True)
    hearing_id: Mapped[int] = mapped_column(sa.ForeignKey("hearing.id"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(30))
    original_name: Mapped[str] = mapped_column(sa.String(200))
    stored_name: Mapped[str] = mapped_column(sa.String(80), unique=True)
    content_type: Mapped[str] = mapped_column(sa.String(40))
    size: Mapped[int] = mapped_column()
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)
    hearing: Mapped[Hearing] = relationship(back_populates="documents")

    @property
    def is_public(self) -> bool:
        """Anyone may download it: not the signed attendance sheet (names, signatures), and the signed
        minutes only once the hearing is published."""
        if self.kind == "signed_attendance":
            return False
        return self.kind != "signed_minutes" or self.hearing.is_published


class Justification(db.Model):
    """A written reason for going ahead although a requirement is not met; published."""

    __table_args__ = (sa.UniqueConstraint("hearing_id", "stage", "requirement"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    hearing_id: Mapped[int] = mapped_column(sa.ForeignKey("hearing.id"), index=True)
    stage: Mapped[str] = mapped_column(sa.String(20))  # announce, publish
    requirement: Mapped[str] = mapped_column(sa.String(20))
    text: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    hearing: Mapped[Hearing] = relationship(back_populates="justifications")
