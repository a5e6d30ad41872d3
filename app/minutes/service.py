"""Use cases of the minutes: log questions and answers, fill in chair and secretary, attach signed scans."""

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from app.audit.service import record
from app.extensions import db
from app.hearings import service as hearings
from app.hearings.models import SIGNED_KINDS, Hearing, HearingDocument
from app.minutes.models import Question
from app.registration.models import Participant
from app.rules.checks import Check
from app.rules.requirements import QuestionRecord, check_voice

MINUTES_FIELDS = ("chair", "secretary", "presentations")


class MinutesError(Exception):
    """A refused change to the minutes, with a translated message (and the field it is about)."""

    def __init__(self, message, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class Asker:
    """Who asked a question, as the minutes record it."""

    gender: str
    age_band_id: int | None
    participant_id: int | None = None

    @classmethod
    def from_ticket(cls, participant: Participant) -> "Asker":
        """The gender and age band written on the asker's ticket."""
        return cls(participant.gender, participant.age_band_id, participant.id)


def refusal(hearing: Hearing):
    """Why the minutes of `hearing` cannot change now, or None when they can."""
    if hearing.records_minutes:
        return None
    if hearing.is_published:
        return _l("This hearing is published: its minutes change only through a correction, with a reason.")
    return _l("Questions and minutes are recorded once the session is open.")


def _require_recording(hearing: Hearing) -> None:
    """Refuse a change to the minutes when the hearing's state does not allow it."""
    message = refusal(hearing)
    if message is not None:
        raise MinutesError(message)


def questions(hearing: Hearing) -> list[Question]:
    """The hearing's questions in the order they were asked."""
    return db.session.scalars(
        sa.select(Question).options(joinedload(Question.asker_age_band))
        .where(Question.hearing_id == hearing.id).order_by(Question.id)
    ).all()  # fmt: skip


def voice(logged: list[Question]) -> Check:
    """Women's share of the logged questions (the `voice` requirement)."""
    return check_voice([QuestionRecord(question.asker_gender) for question in logged])


def _snapshot(question: Question) -> dict:
    """The fields of a question the audit log records."""
    return {"text": question.text, "asker_gender": question.asker_gender,
            "asker_age_band_id": question.asker_age_band_id, "answered_by": question.answered_by,
            "answer": question.answer}  # fmt: skip


def add_question(hearing: Hearing, text: str, asker: Asker, answered_by: str, answer: str, user) -> Question:
    """Log a question from the floor with the asker's gender and age band, and the answer if already given."""
    _require_recording(hearing)
    municipality = hearing.municipality
    if asker.gender not in municipality.genders and not (asker.participant_id and asker.gender):
        raise MinutesError(_l("Choose one of the options."), "gender")
    if asker.age_band_id is not None and asker.age_band_id not in {band.id for band in municipality.age_bands}:
        raise MinutesError(_l("Choose one of the options."), "age_band_id")
    question = Question(
        hearing_id=hearing.id, text=text, asker_gender=asker.gender, asker_age_band_id=asker.age_band_id,
        participant_id=asker.participant_id, answered_by=answered_by or "", answer=answer or "", recorded_by_id=user.id,
    )  # fmt: skip
    db.session.add(question)
    db.session.flush()
    record("question.add", question, None, _snapshot(question), municipality.id, user)
    db.session.commit()
    return question


def answer_question(hearing: Hearing, question: Question, answered_by: str, answer: str, user) -> Question:
    """Write down (or change) who answered a question and the answer."""
    _require_recording(hearing)
    before = _snapshot(question)
    question.answered_by, question.answer = answered_by or "", answer or ""
    record("question.answer", question, before, _snapshot(question), hearing.municipality_id, user)
    db.session.commit()
    return question


def save_minutes(hearing: Hearing, values: dict[str, str], user) -> None:
    """Set the chair, the secretary and the presentations of the minutes."""
    _require_recording(hearing)
    before = {name: getattr(hearing, name) for name in MINUTES_FIELDS}
    for name in MINUTES_FIELDS:
        setattr(hearing, name, values.get(name) or "")
    record("hearing.minutes", hearing, before, {name: getattr(hearing, name) for name in MINUTES_FIELDS},
           hearing.municipality_id, user)  # fmt: skip
    db.session.commit()


# The signed attendance sheet carries names and signatures: the public minutes link only the signed protocol.
PUBLIC_SIGNED_KINDS = ("signed_minutes",)


def signed_documents(hearing: Hearing, kinds=SIGNED_KINDS) -> list[HearingDocument]:
    """The scans of the signed protocol and attendance sheet (or of `kinds`), oldest first."""
    return [document for document in hearing.documents if document.kind in kinds]


def upload_signed(hearing: Hearing, kind: str, upload) -> HearingDocument:
    """Attach a scan of the signed protocol or attendance sheet once the meeting is over."""
    if hearing.state not in ("closed", "published"):
        raise MinutesError(_l("Signed scans are uploaded after the meeting, once voting is closed."))
    if kind not in SIGNED_KINDS:
        raise MinutesError(_l("Choose one of the options."), "kind")
    try:
        return hearings.store_document(hearing, kind, upload)
    except hearings.ServiceError as refused:
        raise MinutesError(refused.message, "file") from None
