"""Ballots (one per ticket, by constraint), show-of-hands counts, and stored outcomes."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.timeutil import utcnow


class VotingSetup(db.Model):
    """How a hearing votes: ballot kind, its limits, the outcome rule and its constraints."""

    id: Mapped[int] = mapped_column(primary_key=True)
    hearing_id: Mapped[int] = mapped_column(sa.ForeignKey("hearing.id"), unique=True)
    ballot_kind: Mapped[str] = mapped_column(sa.String(12), default="approval")
    rule: Mapped[str] = mapped_column(sa.String(20), default="greedy")
    min_choices: Mapped[int] = mapped_column(default=0)
    max_choices: Mapped[int | None] = mapped_column(nullable=True)
    points: Mapped[int | None] = mapped_column(nullable=True)
    rank_k: Mapped[int | None] = mapped_column(nullable=True)
    min_score: Mapped[int | None] = mapped_column(nullable=True)
    min_winners: Mapped[int] = mapped_column(default=0)
    max_winners: Mapped[int | None] = mapped_column(nullable=True)
    max_project_cost: Mapped[int | None] = mapped_column(sa.BigInteger, nullable=True)
    registered_may_vote: Mapped[bool] = mapped_column(default=False)  # PB rounds: any registered ticket
    opened_at: Mapped[datetime | None] = mapped_column(nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(nullable=True)
    hearing = relationship("Hearing")


class Ballot(db.Model):
    """One voter's ballot; a voter may change it until voting closes, and the last one counts."""

    __table_args__ = (sa.UniqueConstraint("hearing_id", "participant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    hearing_id: Mapped[int] = mapped_column(sa.ForeignKey("hearing.id"), index=True)
    participant_id: Mapped[int | None] = mapped_column(sa.ForeignKey("participant.id"), nullable=True)
    source: Mapped[str] = mapped_column(sa.String(10), default="digital")  # digital, paper
    gender: Mapped[str] = mapped_column(sa.String(12))
    age_band_id: Mapped[int | None] = mapped_column(sa.ForeignKey("age_band.id"), nullable=True)
    version: Mapped[int] = mapped_column(default=1)
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    entered_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"), nullable=True)
    choices: Mapped[list["BallotChoice"]] = relationship(
        back_populates="ballot", cascade="all, delete-orphan", order_by="BallotChoice.id"
    )
    participant = relationship("Participant")


class BallotChoice(db.Model):
    """A project on a ballot with its points (1 for approval, points for cumulative, place for ranking)."""

    __table_args__ = (sa.UniqueConstraint("ballot_id", "proposal_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ballot_id: Mapped[int] = mapped_column(sa.ForeignKey("ballot.id"), index=True)
    proposal_id: Mapped[int] = mapped_column(sa.ForeignKey("proposal.id"))
    value: Mapped[int] = mapped_column(default=1)
    ballot: Mapped[Ballot] = relationship(back_populates="choices")


class HandCount(db.Model):
    """Show of hands on one proposal (or agenda item) for one gender: for, against, abstain."""

    __table_args__ = (sa.UniqueConstraint("hearing_id", "subject", "gender"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    hearing_id: Mapped[int] = mapped_column(sa.ForeignKey("hearing.id"), index=True)
    subject: Mapped[str] = mapped_column(sa.String(30))  # "proposal:12" or "agenda:3"
    gender: Mapped[str] = mapped_column(sa.String(12))
    votes_for: Mapped[int] = mapped_column(default=0)
    votes_against: Mapped[int] = mapped_column(default=0)
    votes_abstain: Mapped[int] = mapped_column(default=0)
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Outcome(db.Model):
    """The result computed when voting closed; frozen once the hearing is published."""

    id: Mapped[int] = mapped_column(primary_key=True)
    hearing_id: Mapped[int] = mapped_column(sa.ForeignKey("hearing.id"), unique=True)
    rule: Mapped[str] = mapped_column(sa.String(20))
    parameters: Mapped[dict] = mapped_column(sa.JSON)
    selected: Mapped[list] = mapped_column(sa.JSON)  # proposal ids in the order the rule chose them
    scores: Mapped[dict] = mapped_column(sa.JSON)
    breakdown: Mapped[dict] = mapped_column(sa.JSON)  # support by gender and age band, top priorities
    ballots: Mapped[int] = mapped_column(default=0)
    computed_at: Mapped[datetime] = mapped_column(default=utcnow)
