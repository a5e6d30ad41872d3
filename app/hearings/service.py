"""Use cases for hearings: create, edit, announce, postpone, cancel, upload documents."""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from app.audit.service import record
from app.extensions import db
from app.forms import from_tri_state
from app.hearings.models import AgendaItem, Hearing, HearingDocument, HearingText, Justification
from app.municipalities.models import Municipality
from app.rules.codes import new_code
from app.rules.schedule import ScheduleDraft, ScheduleSettings, schedule_checks
from app.timeutil import local_to_utc, utc_to_local, utcnow
from app.uploads import DOCUMENT_TYPES, UploadRefused, remove_upload, save_upload, upload_path


class ServiceError(Exception):
    """A refused change with a translated message for `field`."""

    def __init__(self, message, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class JustificationNeeded(Exception):
    """Announcing or publishing with unmet checks needs a written justification for each of `requirements`."""

    def __init__(self, requirements: list[str]):
        super().__init__(requirements)
        self.requirements = requirements


def schedule_settings(municipality: Municipality) -> ScheduleSettings:
    """The municipality's schedule requirement figures as plain data."""
    return ScheduleSettings(
        notice_days=municipality.notice_days,
        window_start_minute=municipality.window_start_minute,
        window_end_minute=municipality.window_end_minute,
        market_days=tuple(municipality.market_day_list),
        required_languages=tuple(municipality.required_language_list),
        require_step_free_declared=municipality.require_step_free_declared,
        require_childcare_declared=municipality.require_childcare_declared,
    )


def local_now(municipality: Municipality) -> datetime:
    """The municipality's wall-clock time now."""
    return utc_to_local(utcnow(), municipality.timezone)


def checks_for_form(form, municipality: Municipality):
    """The schedule checks for what the form holds now (possibly incomplete)."""
    starts = ends = None
    if form.date.data and form.start_time.data:
        starts = datetime.combine(form.date.data, form.start_time.data)
    if form.date.data and form.end_time.data:
        ends = datetime.combine(form.date.data, form.end_time.data)
    languages = frozenset(code for code, title, _ in form.language_fields if (title.data or "").strip())
    draft = ScheduleDraft(
        now=local_now(municipality), starts=starts, ends=ends, languages=languages,
        step_free=from_tri_state(form.step_free.data), childcare=from_tri_state(form.childcare.data),
    )  # fmt: skip
    return schedule_checks(draft, schedule_settings(municipality))


def checks_for_hearing(hearing: Hearing):
    """The schedule checks for a saved hearing, as if announced now."""
    tz = hearing.municipality.timezone
    draft = ScheduleDraft(
        now=local_now(hearing.municipality),
        starts=utc_to_local(hearing.starts_at, tz),
        ends=utc_to_local(hearing.ends_at, tz),
        languages=frozenset(hearing.languages),
        step_free=hearing.step_free,
        childcare=hearing.childcare,
    )
    return schedule_checks(draft, schedule_settings(hearing.municipality))


def form_data(hearing: Hearing) -> dict:
    """A saved hearing as the data its edit form starts from."""
    from app.forms import tri_state

    tz = hearing.municipality.timezone
    starts, ends = utc_to_local(hearing.starts_at, tz), utc_to_local(hearing.ends_at, tz)
    data = {
        "kind": hearing.kind, "date": starts.date(), "start_time": starts.time(),
        "end_time": ends.time(), "venue": hearing.venue, "address": hearing.address,
        "settlement_id": hearing.settlement_id or 0, "step_free": tri_state(hearing.step_free),
        "childcare": tri_state(hearing.childcare),
        "interpretation": tri_state(hearing.interpretation),
        "provisions_note": hearing.provisions_note,
        "agenda": "\n".join(item.text for item in hearing.agenda),
        "envelope": hearing.envelope, "currency": hearing.currency,
    }  # fmt: skip
    for text in hearing.texts:
        data[f"title_{text.locale}"] = text.title
        data[f"description_{text.locale}"] = text.description
    return data


def _apply_form(hearing: Hearing, form) -> None:
    """Copy the form's values onto the hearing, its texts and its agenda."""
    tz = hearing.municipality.timezone
    hearing.kind = form.kind.data
    hearing.starts_at = local_to_utc(datetime.combine(form.date.data, form.start_time.data), tz)
    hearing.ends_at = local_to_utc(datetime.combine(form.date.data, form.end_time.data), tz)
    hearing.venue = form.venue.data.strip()
    hearing.address = (form.address.data or "").strip()
    hearing.settlement_id = form.settlement_id.data or None
    hearing.step_free = from_tri_state(form.step_free.data)
    hearing.childcare = from_tri_state(form.childcare.data)
    hearing.interpretation = from_tri_state(form.interpretation.data)
    hearing.provisions_note = (form.provisions_note.data or "").strip()
    is_pb = form.kind.data == "participatory_budget"
    hearing.envelope = form.envelope.data if is_pb else None
    hearing.currency = form.currency.data if is_pb else hearing.municipality.currency
    for code, title, description in form.language_fields:
        _set_text(hearing, code, (title.data or "").strip(), (description.data or "").strip())
    hearing.agenda.clear()
    for position, text in enumerate(form.agenda_items):
        hearing.agenda.append(AgendaItem(position=position, text=text))


def _set_text(hearing: Hearing, locale: str, title: str, description: str) -> None:
    existing = hearing.text_in(locale)
    if not title:
        if existing is not None:
            hearing.texts.remove(existing)
        return
    if existing is None:
        hearing.texts.append(HearingText(locale=locale, title=title, description=description))
    else:
        existing.title, existing.description = title, description


def create_hearing(municipality: Municipality, form) -> Hearing:
    """Save a new draft hearing from a validated form."""
    hearing = Hearing(municipality=municipality, state="draft", public_code=_unused_code())
    _apply_form(hearing, form)
    db.session.add(hearing)
    db.session.flush()
    record("hearing.create", hearing, None, hearing.snapshot(), municipality.id)
    db.session.commit()
    return hearing


def _unused_code() -> str:
    """A public code no hearing has yet (the unique constraint is the final word)."""
    while True:
        code = new_code(6)
        if db.session.scalar(db.select(Hearing.id).where(Hearing.public_code == code)) is None:
            return code


def update_hearing(hearing: Hearing, form) -> None:
    """Save edits to a hearing that is still editable."""
    if not hearing.is_editable:
        raise ServiceError(_l("This hearing can no longer be edited."))
    before = hearing.snapshot()
    _apply_form(hearing, form)
    record("hearing.edit", hearing, before, hearing.snapshot(), hearing.municipality_id)
    db.session.commit()


def announce(hearing: Hearing, justifications: dict[str, str]) -> None:
    """Announce; every unmet schedule check needs a non-empty justification."""
    move_with_justifications(hearing, "announce", checks_for_hearing(hearing), justifications)


def move_with_justifications(hearing: Hearing, stage: str, checks, justifications: dict[str, str], user=None):
    """Make the `stage` move (announce, publish); each unmet check needs a written, published justification."""
    unmet = [check.id for check in checks if not check.met]
    missing = [req for req in unmet if not (justifications.get(req) or "").strip()]
    if missing:
        raise JustificationNeeded(missing)
    before = hearing.snapshot()
    getattr(hearing, stage)(utcnow())
    for requirement in unmet:
        justify(hearing, stage, requirement, justifications[requirement].strip())
    record(f"hearing.{stage}", hearing, before, hearing.snapshot() | {"justified": unmet},
           hearing.municipality_id, user)  # fmt: skip
    db.session.commit()


def justify(hearing: Hearing, stage: str, requirement: str, text: str) -> None:
    """Record (or replace) the written justification for an unmet requirement at `stage`."""
    existing = next(
        (j for j in hearing.justifications if j.stage == stage and j.requirement == requirement), None
    )
    if existing is None:
        hearing.justifications.append(Justification(stage=stage, requirement=requirement, text=text))
    else:
        existing.text = text


def change_state(hearing: Hearing, action: str, reason: str) -> None:
    """Postpone or cancel with a reason; the model refuses illegal moves."""
    before = hearing.snapshot()
    getattr(hearing, action)(reason)
    record(f"hearing.{action}", hearing, before, hearing.snapshot(), hearing.municipality_id)
    db.session.commit()


def store_document(hearing: Hearing, kind: str, upload) -> HearingDocument:
    """Check an upload's size and real type, store it under instance/uploads, and record it."""
    try:
        stored = save_upload(upload, DOCUMENT_TYPES)
    except UploadRefused as refused:
        raise ServiceError(refused.message, "file") from None
    document = HearingDocument(
        hearing=hearing, kind=kind, original_name=stored.original_name, stored_name=stored.stored_name,
        content_type=stored.content_type, size=stored.size,
    )  # fmt: skip
    db.session.add(document)
    try:
        db.session.flush()
        record("document.upload", document, None, {"name": stored.original_name, "kind": kind},
               hearing.municipality_id)  # fmt: skip
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        remove_upload(stored.stored_name)
        raise
    return document


def delete_document(hearing: Hearing, document: HearingDocument) -> None:
    """Remove a document and its file."""
    record("document.delete", document, {"name": document.original_name}, None,
           hearing.municipality_id)  # fmt: skip
    db.session.delete(document)
    db.session.commit()
    remove_upload(document.stored_name)


def document_path(document: HearingDocument) -> str:
    """Where a document's bytes live on disk."""
    return upload_path(document.stored_name)
