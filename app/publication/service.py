"""The requirement checklist from announcement to publication, publishing, and corrections afterwards."""

from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.audit.service import record
from app.consultations.models import Consultation
from app.extensions import db
from app.hearings.models import Hearing
from app.hearings.service import move_with_justifications, schedule_settings
from app.minutes.models import Question
from app.proposals import overview
from app.proposals.models import Proposal
from app.publication.models import Correction
from app.registration.service import attendance_for
from app.rules import requirements as rules
from app.rules.schedule import ScheduleDraft
from app.timeutil import utc_to_local, utcnow
from app.voting.models import Outcome
from app.voting.service import cost_of

# Proposal statuses that mean money was allocated to it (the `budget` requirement).
ALLOCATED = ("selected", "included", "in_progress", "completed")
# The minutes fields a clerk fills in and may later correct.
MINUTES_FIELDS = ("chair", "secretary", "presentations")


class PublicationError(Exception):
    """A refused publication step, with a translated message (and the field it is about)."""

    def __init__(self, message, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def requirement_settings(hearing: Hearing) -> rules.RequirementSettings:
    """The municipality's requirement figures as plain data."""
    municipality = hearing.municipality
    return rules.RequirementSettings(
        schedule=schedule_settings(municipality),
        consultation_required=municipality.consultation_required,
        women_share_target=municipality.women_share_target,
        data_completeness_target=municipality.data_completeness_target,
        publish_within_days=municipality.publish_within_days,
    )


def _local_day(hearing: Hearing, moment) -> date | None:
    return utc_to_local(moment, hearing.municipality.timezone).date() if moment else None


def requirement_facts(hearing: Hearing, published_on: date | None = None) -> rules.HearingFacts:
    """Everything the requirement rules look at, read from the hearing's records."""
    tz = hearing.municipality.timezone
    announced = utc_to_local(hearing.announced_at or utcnow(), tz)
    schedule = ScheduleDraft(
        now=announced, starts=utc_to_local(hearing.starts_at, tz), ends=utc_to_local(hearing.ends_at, tz),
        languages=frozenset(hearing.languages), step_free=hearing.step_free, childcare=hearing.childcare,
    )  # fmt: skip
    consultations = db.session.scalars(sa.select(Consultation).where(Consultation.hearing_id == hearing.id)).all()
    genders = db.session.scalars(sa.select(Question.asker_gender).where(Question.hearing_id == hearing.id)).all()
    proposals = overview.hearing_proposals(hearing)
    return rules.HearingFacts(
        kind=hearing.kind,
        schedule=schedule,
        hearing_day=schedule.starts.date(),
        attendance=attendance_for(hearing) if hearing.state not in ("draft", "postponed", "cancelled") else None,
        consultations=tuple(rules.ConsultationRecord(c.held_on, c.kind, c.women, c.total) for c in consultations),
        questions=tuple(rules.QuestionRecord(gender) for gender in genders),
        answers=tuple(overview.answer_record(p) for p in proposals),
        allocations=tuple(_allocations(hearing, proposals)),
        published_on=published_on or _local_day(hearing, hearing.published_at),
        today=overview.local_today(hearing.municipality),
    )


def _allocations(hearing: Hearing, proposals: list[Proposal]):
    selected = set(db.session.scalar(sa.select(Outcome.selected).where(Outcome.hearing_id == hearing.id)) or ())
    for proposal in proposals:
        if proposal.status in ALLOCATED or proposal.id in selected:
            yield rules.AllocationRecord(cost_of(proposal), proposal.benefits_women)


def requirement_checks(hearing: Hearing, published_on: date | None = None):
    """Every requirement of the DESIGN table for this hearing, in order, with its figures."""
    return rules.evaluate(requirement_facts(hearing, published_on), requirement_settings(hearing))


def publish(hearing: Hearing, justifications: dict[str, str], user) -> None:
    """Publish a closed hearing; each requirement not met needs a written justification, published beside it."""
    today = overview.local_today(hearing.municipality)
    move_with_justifications(hearing, "publish", requirement_checks(hearing, published_on=today), justifications,
                             user)  # fmt: skip


def correct(hearing: Hearing, subject: str, value: str, reason: str, user) -> Correction:
    """Change a published record: the old and new value and the reason are kept and shown publicly."""
    if not hearing.is_published:
        raise PublicationError(_l("Only a published hearing is corrected this way; edit it directly."))
    if not reason.strip():
        raise PublicationError(_l("Give a reason; it is shown publicly."), "reason")
    target, attribute = _correction_target(hearing, subject)
    limit = getattr(type(target).__table__.c[attribute].type, "length", None)
    if limit is not None and len(value.strip()) > limit:  # the chair's name fits 200 characters, not 5000
        raise PublicationError(_l("At most %(max)d characters.", max=limit), "value")
    before = getattr(target, attribute) or ""
    if before == value.strip():
        raise PublicationError(_l("Nothing changed."), "value")
    setattr(target, attribute, value.strip())
    correction = Correction(hearing_id=hearing.id, user_id=user.id, subject=subject, before=before,
                            after=value.strip(), reason=reason.strip())  # fmt: skip
    db.session.add(correction)
    db.session.flush()
    record("hearing.correct", hearing, {"subject": subject, "value": before},
           {"subject": subject, "value": value.strip(), "reason": reason.strip()}, hearing.municipality_id, user)
    db.session.commit()
    return correction


def _correction_target(hearing: Hearing, subject: str):
    """The record and attribute a correction subject names: a minutes field or a question's answer."""
    if subject in MINUTES_FIELDS:
        return hearing, subject
    kind, _, key = subject.partition(":")
    if kind in ("question", "answer") and key.isdigit():
        question = db.session.get(Question, int(key))
        if question is not None and question.hearing_id == hearing.id:
            return question, "text" if kind == "question" else "answer"
    raise PublicationError(_l("Choose one of the options."), "subject")


def corrections(hearing: Hearing) -> list[Correction]:
    """The hearing's corrections after publication, oldest first."""
    return db.session.scalars(
        sa.select(Correction).where(Correction.hearing_id == hearing.id).order_by(Correction.id)
    ).all()
