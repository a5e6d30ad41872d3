"""What the clerk's proposal pages read: proposer type, answer dates, overdue flags, counts and the answer report."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.proposals.models import Proposal
from app.rules.answers import OTHERS, WOMENS_GROUP, AnswerRecord, answer_report, check_answers, is_overdue
from app.timeutil import utc_to_local, utcnow


def local_today(municipality) -> date:
    """The municipality's calendar day now."""
    return utc_to_local(utcnow(), municipality.timezone).date()


def proposer_type(proposal: Proposal) -> str:
    """WOMENS_GROUP for a proposal from a women's action group, OTHERS for everyone else."""
    organisation = proposal.organisation
    return WOMENS_GROUP if organisation is not None and organisation.is_womens_group else OTHERS


def answered_on(proposal: Proposal) -> date | None:
    """The local day the proposal was answered; a merged duplicate is answered with the proposal it joined."""
    answered_at = proposal.answered_at
    if answered_at is None and proposal.merged_into is not None:
        answered_at = proposal.merged_into.answered_at
    return utc_to_local(answered_at, proposal.municipality.timezone).date() if answered_at else None


def overdue(proposal: Proposal, today: date) -> bool:
    """Still without an official answer after its due day."""
    return is_overdue(proposal.answer_due, answered_on(proposal), today)


def answer_record(proposal: Proposal) -> AnswerRecord:
    """The proposal as `rules.answers` sees it."""
    submitted = utc_to_local(proposal.created_at, proposal.municipality.timezone).date()
    return AnswerRecord(proposer_type(proposal), submitted, proposal.answer_due, answered_on(proposal))


def _query():
    return sa.select(Proposal).options(joinedload(Proposal.organisation), joinedload(Proposal.merged_into))


def hearing_proposals(hearing) -> list[Proposal]:
    """The hearing's proposals in the order they were submitted."""
    return db.session.scalars(_query().where(Proposal.hearing_id == hearing.id).order_by(Proposal.id)).all()


def municipality_proposals(municipality, hearing_id: int | None = None) -> list[Proposal]:
    """Every proposal of the municipality, or of one of its hearings."""
    query = _query().where(Proposal.municipality_id == municipality.id)
    if hearing_id:
        query = query.where(Proposal.hearing_id == hearing_id)
    return db.session.scalars(query.order_by(Proposal.id)).all()


@dataclass
class Summary:
    """Counts for the hearing dashboard and the top of the proposal list."""

    total: int = 0
    by_status: Counter = field(default_factory=Counter)
    unanswered: int = 0
    overdue: int = 0


def summarise(proposals: list[Proposal], today: date) -> Summary:
    """How many proposals, in which status, how many still without an answer and overdue."""
    summary = Summary(total=len(proposals), by_status=Counter(p.status for p in proposals))
    for proposal in proposals:
        if answered_on(proposal) is None:
            summary.unanswered += 1
            summary.overdue += overdue(proposal, today)
    return summary


def report(proposals: list[Proposal], today: date):
    """Time to answer by proposer type and the `answers` check, over `proposals`."""
    records = [answer_record(p) for p in proposals]
    return answer_report(records, today), check_answers(records, today)
