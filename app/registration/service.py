"""Use cases at the door: register, issue tickets, check in, walk in, undo, count who came."""

import secrets
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from app.audit.service import record
from app.database import insert_row
from app.extensions import db
from app.hearings.models import Hearing
from app.municipalities.models import AgeBand, Settlement
from app.organisations.models import Organisation
from app.registration.models import AttendanceTally, CheckIn, Participant
from app.rules import breakdown
from app.rules.codes import is_wellformed, new_code, normalize_code
from app.security import check_ticket_guesses, count_ticket_miss
from app.timeutil import utcnow

CODE_ATTEMPTS = 20
MAX_BLANK_TICKETS = 200


class RegistrationError(Exception):
    """A refused registration or check-in, with a translated message (and the field it is about)."""

    def __init__(self, message, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class PersonDetails:
    """What a person tells us about themselves; everything but gender is optional."""

    gender: str
    age_band_id: int | None = None
    settlement_id: int | None = None
    organisation_id: int | None = None
    disability: bool = False
    name: str | None = None
    phone: str | None = None


@dataclass(frozen=True)
class CheckInResult:
    """`checked_in` when this call created the check-in, `already` when it existed."""

    status: str
    check_in: CheckIn
    participant: Participant


def new_token() -> str:
    """An unguessable ticket token: 192 random bits, URL-safe."""
    return secrets.token_urlsafe(24)


def _validate_details(hearing: Hearing, details: PersonDetails) -> None:
    """Refuse genders, bands, settlements and organisations that are not this municipality's."""
    municipality = hearing.municipality
    if details.gender not in municipality.genders:
        raise RegistrationError(_l("Choose one of the options."), "gender")
    for value, model, field in (
        (details.age_band_id, AgeBand, "age_band_id"),
        (details.settlement_id, Settlement, "settlement_id"),
        (details.organisation_id, Organisation, "organisation_id"),
    ):
        if value is not None:
            found = db.session.scalar(
                sa.select(model.id).where(model.id == value, model.municipality_id == municipality.id)
            )
            if found is None:
                raise RegistrationError(_l("Choose one of the options."), field)


def _insert_participant(hearing: Hearing, source: str, details: PersonDetails | None, retry=True) -> Participant:
    """Insert a participant with a fresh token and a short code unique in the hearing.

    A clash of codes rolls the transaction back, so only a caller whose transaction holds nothing
    else may `retry`; others get the IntegrityError.
    """
    hearing_id = hearing.id
    for _ in range(CODE_ATTEMPTS if retry else 1):
        participant = Participant(hearing_id=hearing_id, token=new_token(), short_code=new_code(6), source=source)
        if details is not None:
            _apply_details(participant, details)
        db.session.add(participant)
        try:
            db.session.flush()
            return participant
        except IntegrityError:
            if not retry:
                raise
            db.session.rollback()
    raise RegistrationError(_l("Could not issue a ticket. Please try again."))


def _apply_details(participant: Participant, details: PersonDetails) -> None:
    participant.gender = details.gender
    participant.age_band_id = details.age_band_id
    participant.settlement_id = details.settlement_id
    participant.organisation_id = details.organisation_id
    participant.disability = details.disability
    participant.name = (details.name or "").strip() or None
    participant.phone = (details.phone or "").strip() or None
    participant.consent_at = utcnow()


def register(hearing: Hearing, details: PersonDetails) -> Participant:
    """Pre-register a citizen from the public page and issue a ticket."""
    if not hearing.accepts_registration:
        raise RegistrationError(_l("Registration for this hearing is closed."))
    _validate_details(hearing, details)
    participant = _insert_participant(hearing, "online", details)
    db.session.commit()
    return participant


def create_blank_tickets(hearing: Hearing, count: int) -> list[Participant]:
    """Issue `count` blank tickets for a printed sheet; the first scan at the door binds each."""
    if not hearing.accepts_check_in:
        raise RegistrationError(_l("Tickets can only be printed for an announced or open hearing."))
    if not 1 <= count <= MAX_BLANK_TICKETS:
        raise RegistrationError(_l("Between 1 and %(max)d tickets.", max=MAX_BLANK_TICKETS), "count")
    for _ in range(3):  # a clash of short codes rolls the whole batch back; try again
        try:
            tickets = [_insert_participant(hearing, "sheet", None, retry=False) for _ in range(count)]
        except IntegrityError:
            db.session.rollback()
            continue
        record("tickets.print", hearing, None, {"count": count}, hearing.municipality_id)
        db.session.commit()
        return tickets
    raise RegistrationError(_l("Could not issue a ticket. Please try again."))


# The desk shows the person's age band and settlement right after the scan: load them at once. Built once,
# since building a statement costs more than running it (the desk runs one per scan).
_TICKET = sa.select(Participant).options(joinedload(Participant.age_band), joinedload(Participant.settlement))
_TICKET_BY_TOKEN = _TICKET.where(Participant.token == sa.bindparam("token"))
_TICKET_BY_CODE = _TICKET.where(
    Participant.hearing_id == sa.bindparam("hearing_id"), Participant.short_code == sa.bindparam("code")
)


def find_ticket(hearing: Hearing, text: str) -> Participant:
    """The participant for a scanned URL, a token or a typed short code, in this hearing."""
    check_ticket_guesses()  # a clerk who typed too many unknown codes waits, whatever the code now
    text = (text or "").strip()[:300]
    if "/t/" in text:
        text = text.rsplit("/t/", 1)[1].split("?")[0].strip("/")
    if len(text) >= 20:
        participant = db.session.scalar(_TICKET_BY_TOKEN, {"token": text})
    else:
        code = normalize_code(text)
        if not is_wellformed(code):
            raise RegistrationError(_l("A code has 6 letters and digits, for example K7M2QX."), "code")
        participant = db.session.scalar(_TICKET_BY_CODE, {"hearing_id": hearing.id, "code": code})
    if participant is None:
        count_ticket_miss()
        raise RegistrationError(_l("No ticket with this code."), "code")
    if participant.hearing_id != hearing.id:
        raise RegistrationError(_l("This ticket is for another hearing."), "code")
    return participant


def check_in(hearing: Hearing, participant: Participant, user, method: str = "code") -> CheckInResult:
    """Check a participant in once; a repeat reports the first check-in and creates nothing."""
    if not hearing.accepts_check_in:
        raise RegistrationError(_l("Check-in is not open for this hearing."))
    if participant.is_blank:
        raise RegistrationError(_l("This printed ticket is not registered yet."), "code")
    hearing_id, participant_id, user_id = hearing.id, participant.id, user.id
    values = {"hearing_id": hearing_id, "participant_id": participant_id, "by_user_id": user_id, "method": method,
              "at": utcnow()}  # fmt: skip
    try:
        entry = insert_row(CheckIn, values)  # the desk's hot path: one INSERT, no flush
    except IntegrityError:
        db.session.rollback()
        existing = db.session.scalar(sa.select(CheckIn).where(CheckIn.participant_id == participant_id))
        record("checkin.repeat", existing, None, {"participant": participant_id}, hearing.municipality_id, user)
        db.session.commit()
        return CheckInResult("already", existing, existing.participant)
    _open_on_first_check_in(hearing, user)
    record("checkin.create", entry, None, {"participant": participant_id, "method": method},
           hearing.municipality_id, user)  # fmt: skip
    db.session.commit()
    return CheckInResult("checked_in", entry, participant)


def _open_on_first_check_in(hearing: Hearing, user) -> None:
    """Move an announced hearing to in_session; only one of many concurrent check-ins does it."""
    if hearing.state != "announced":
        return  # already open: skip the write on the hot path
    now = utcnow()
    moved = db.session.execute(
        sa.update(Hearing)
        .where(Hearing.id == hearing.id, Hearing.state == "announced")
        .values(state="in_session", opened_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if moved:
        record("hearing.open", hearing, {"state": "announced"}, {"state": "in_session"},
               hearing.municipality_id, user)  # fmt: skip
        db.session.expire(hearing, ["state", "opened_at"])


def walk_in(hearing: Hearing, details: PersonDetails, user, participant: Participant | None = None):
    """Register someone at the door (or bind a blank printed ticket to them) and check them in."""
    if not hearing.accepts_check_in:
        raise RegistrationError(_l("Check-in is not open for this hearing."))
    _validate_details(hearing, details)
    if participant is None:
        participant = _insert_participant(hearing, "walk_in", details)
    else:
        bound = db.session.execute(
            sa.update(Participant)
            .where(Participant.id == participant.id, Participant.gender.is_(None))
            .values(gender=details.gender, age_band_id=details.age_band_id, settlement_id=details.settlement_id,
                    consent_at=utcnow())
            .execution_options(synchronize_session=False)
        ).rowcount  # fmt: skip
        db.session.expire(participant)
        if not bound:
            db.session.rollback()
    return check_in(hearing, participant, user, "walk_in")


def undo_check_in(hearing: Hearing, entry: CheckIn, user, reason: str) -> None:
    """Remove a mistaken check-in; the reason goes to the audit log."""
    reason = (reason or "").strip()
    if not reason:
        raise RegistrationError(_l("Give a reason for undoing the check-in."), "reason")
    before = {"participant": entry.participant_id, "at": entry.at.isoformat(), "by": entry.by_user_id}
    record("checkin.undo", entry, before, {"reason": reason[:500]}, hearing.municipality_id, user)
    db.session.delete(entry)
    db.session.commit()


# The desk and the live panels run these after every scan and every poll: built once, since building a
# statement costs more than running it.
_HEADCOUNT = sa.select(AttendanceTally.total, AttendanceTally.women).where(
    AttendanceTally.hearing_id == sa.bindparam("hearing_id")
)
_ATTENDANCE = (
    sa.select(Participant.gender, Participant.age_band_id, Participant.settlement_id, sa.func.count())
    .join(CheckIn, CheckIn.participant_id == Participant.id)
    .where(CheckIn.hearing_id == sa.bindparam("hearing_id"))
    .group_by(Participant.gender, Participant.age_band_id, Participant.settlement_id)
)


def headcount(hearing: Hearing) -> breakdown.Headcount:
    """Checked-in total and women (the desk's status line after each scan): the tally the database keeps."""
    # Two integers: through the session's connection, without the ORM's result machinery (a third of the cost).
    row = db.session.connection().execute(_HEADCOUNT, {"hearing_id": hearing.id}).first()
    total, women = row or (0, 0)  # no row: nobody yet
    return breakdown.Headcount(total=total, women=women)


def attendance_for(hearing: Hearing) -> breakdown.Attendance:
    """Who is checked in, counted by the database and folded by the pure breakdown rule."""
    rows = db.session.execute(_ATTENDANCE, {"hearing_id": hearing.id}).all()
    municipality = hearing.municipality
    return breakdown.attendance(
        {(gender, band, settlement): n for gender, band, settlement, n in rows},
        [band.id for band in municipality.age_bands],
        [settlement.id for settlement in municipality.settlements],
    )


def erase_personal_data(now=None) -> int:
    """Erase names and phones once a hearing's retention period after publication has passed."""
    now = now or utcnow()
    erased = 0
    hearings = db.session.scalars(sa.select(Hearing).where(Hearing.published_at.is_not(None))).all()
    for hearing in hearings:
        days = hearing.municipality.personal_data_retention_days
        if (now - hearing.published_at).days < days:
            continue
        erased += db.session.execute(
            sa.update(Participant)
            .where(Participant.hearing_id == hearing.id, Participant.personal_data_erased_at.is_(None))
            .where(sa.or_(Participant.name.is_not(None), Participant.phone.is_not(None)))
            .values(name=None, phone=None, personal_data_erased_at=now)
        ).rowcount
    db.session.commit()
    return erased
