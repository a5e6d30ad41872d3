"""Use cases for proposals: submit, review, answer, decide, implement; each change is a timeline event."""

from decimal import Decimal

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.audit.service import record
from app.extensions import db
from app.hearings.models import Hearing, IllegalTransition
from app.hearings.outputs import absolute_url
from app.notifications.service import enqueue
from app.organisations.models import Organisation
from app.proposals.labels import CATEGORIES, EVENT_LABELS
from app.proposals.models import MOVES, Proposal, ProposalEvent
from app.registration.models import Participant
from app.rules.answers import answer_due
from app.timeutil import utc_to_local, utcnow
from app.uploads import PHOTO_TYPES, UploadRefused, save_upload


class ProposalError(Exception):
    """A refused change with a translated message (and the field it is about)."""

    def __init__(self, message, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def submit(hearing: Hearing, data: dict, *, source: str = "online", participant: Participant | None = None,
           organisation: Organisation | None = None, user=None, photo=None) -> Proposal:
    """Record a proposal; the proposer's gender and age band come from the ticket when there is one."""
    if hearing.state in ("draft", "cancelled", "published"):
        raise ProposalError(_l("This hearing does not take proposals."))
    municipality = hearing.municipality
    if data["category"] not in municipality.category_list + municipality.excluded_category_list:
        raise ProposalError(_l("Choose one of the options."), "category")
    for ref in (participant, organisation):
        if ref is not None and getattr(ref, "hearing_id", hearing.id) != hearing.id:
            raise ProposalError(_l("This ticket is for another hearing."))
    if organisation is not None and organisation.municipality_id != municipality.id:
        raise ProposalError(_l("This organisation belongs to another municipality."))
    stored = _photo(photo)
    day = utc_to_local(hearing.starts_at, municipality.timezone).date()
    proposal = Proposal(
        municipality_id=municipality.id, hearing_id=hearing.id, source=source,
        participant_id=participant.id if participant else None,
        organisation_id=organisation.id if organisation else None,
        proposer_gender=participant.gender if participant else None,
        proposer_age_band_id=participant.age_band_id if participant else None,
        proposer_email=(data.get("proposer_email") or "").strip() or None,
        title=data["title"].strip(), description=(data.get("description") or "").strip(),
        settlement_id=data.get("settlement_id") or None, category=data["category"],
        beneficiaries=",".join(data.get("beneficiaries") or []),
        raised_in_consultation=bool(data.get("raised_in_consultation")),
        estimated_cost=data.get("estimated_cost"), photo=stored,
        answer_due=answer_due(day, municipality.answer_deadline_days),
    )  # fmt: skip
    db.session.add(proposal)
    db.session.flush()
    _event(proposal, "submitted", user, to_status="submitted")
    db.session.commit()
    return proposal


def _photo(upload) -> str | None:
    if upload is None or not getattr(upload, "filename", ""):
        return None
    try:
        return save_upload(upload, PHOTO_TYPES).stored_name
    except UploadRefused as refused:
        raise ProposalError(refused.message, "photo") from None


def set_cost(proposal: Proposal, cost: Decimal, user) -> None:
    """The municipality's own estimate of the cost."""
    if cost is None or cost < 0:
        raise ProposalError(_l("Enter a cost of zero or more."), "cost")
    proposal.cost = cost
    _event(proposal, "cost_set", user, text=str(cost))
    db.session.commit()


def admit(proposal: Proposal, user) -> bool:
    """Admit a proposal; one in a category the municipality excludes is not admitted, with that reason."""
    if proposal.category in proposal.municipality.excluded_category_list:
        with force_locale(proposal.municipality.default_locale):
            reason = _("Proposals for “%(category)s” cannot be financed under this municipality's rules.",
                       category=CATEGORIES[proposal.category])  # fmt: skip
        not_admit(proposal, reason, user)
        return False
    _change(proposal, "admit", "admitted", user)
    return True


def not_admit(proposal: Proposal, reason: str, user) -> None:
    """Refuse a proposal with a public reason; the reason is also its official answer."""
    _change(proposal, "not_admit", "not_admitted", user, reason=reason, require_reason=True)
    _record_answer(proposal, reason, user, event=False)
    db.session.commit()


def decide(proposal: Proposal, action: str, user, reason: str = "") -> None:
    """After the vote or the hearing's recommendation: select, not_select, recommend or reject."""
    to_status = {"select": "selected", "not_select": "not_selected", "recommend": "recommended",
                 "reject": "rejected"}[action]  # fmt: skip
    _change(proposal, action, to_status, user, reason=reason, require_reason=action == "reject")


def include(proposal: Proposal, budget_line: str, user) -> None:
    """Put a selected or recommended proposal into the budget under a budget line."""
    _ensure(proposal, "include")
    if not budget_line.strip():
        raise ProposalError(_l("Enter the budget line."), "budget_line")
    proposal.budget_line = budget_line.strip()[:120]
    _change(proposal, "include", "included", user, text=proposal.budget_line)


def report_progress(proposal: Proposal, percent: int, note: str, user, photo=None) -> None:
    """A dated progress update (0-100 %), optionally with a photo; 100 % does not complete it by itself."""
    _ensure(proposal, "progress")
    if percent is None or not 0 <= percent <= 100:
        raise ProposalError(_l("Enter a percentage from 0 to 100."), "percent")
    stored = _photo(photo)
    proposal.progress_percent = percent
    _change(proposal, "progress", "in_progress", user, text=note.strip(), percent=percent, photo=stored,
            kind="progress")  # fmt: skip


def complete(proposal: Proposal, note: str, user) -> None:
    """The project is built."""
    _ensure(proposal, "complete")
    proposal.progress_percent = 100
    _change(proposal, "complete", "completed", user, text=note.strip())


def drop(proposal: Proposal, reason: str, user) -> None:
    """The project will not be built, with a public reason."""
    _change(proposal, "drop", "dropped", user, reason=reason, require_reason=True)


def merge(proposal: Proposal, into: Proposal, user) -> None:
    """Merge a duplicate into another proposal of the same hearing; both proposers keep being informed."""
    open_statuses = MOVES["merge"]  # a duplicate joins a proposal that is still being decided
    if into.id == proposal.id or into.hearing_id != proposal.hearing_id or into.status not in open_statuses:
        raise ProposalError(_l("Choose another proposal of the same hearing."), "into")
    proposal.merged_into_id = into.id
    _change(proposal, "merge", "merged", user, text=f"#{into.id}", commit=False)
    _event(into, "merged_in", user, text=f"#{proposal.id}")
    db.session.commit()


def record_answer(proposal: Proposal, text: str, user) -> None:
    """Give (or correct) the official answer."""
    if not text.strip():
        raise ProposalError(_l("Write the answer."), "answer")
    _record_answer(proposal, text, user)
    db.session.commit()


def _record_answer(proposal: Proposal, text: str, user, event: bool = True) -> None:
    proposal.answer = text.strip()
    if proposal.answered_at is None:
        proposal.answered_at = utcnow()
    if event:
        _event(proposal, "answered", user, text=proposal.answer)


def _ensure(proposal: Proposal, action: str) -> None:
    """Refuse before touching anything when the status does not allow `action`."""
    if not proposal.can(action):
        raise ProposalError(_l("This change is not possible in the proposal's current status."))


def _change(proposal, action, to_status, user, *, reason="", require_reason=False, text="", percent=None,
            photo=None, kind=None, commit=True) -> None:
    """Move the proposal through the model (which refuses illegal moves) and log the event."""
    try:
        before = proposal.move(action, to_status, reason=reason, require_reason=require_reason)
    except IllegalTransition as refused:
        raise ProposalError(str(refused), "reason" if require_reason else None) from None
    _event(proposal, kind or to_status, user, from_status=before, to_status=to_status,
           text=text or reason.strip(), percent=percent, photo=photo)  # fmt: skip
    if commit:
        db.session.commit()


def _event(proposal, kind, user, *, from_status=None, to_status=None, text="", percent=None, photo=None):
    """Append to the public timeline and the audit log, and queue the notifications."""
    event = ProposalEvent(proposal=proposal, kind=kind, user_id=user.id if user else None, from_status=from_status,
                          to_status=to_status, text=text, percent=percent, photo=photo)  # fmt: skip
    db.session.add(event)
    db.session.flush()
    record(f"proposal.{kind}", proposal, {"status": from_status}, {"status": to_status or proposal.status,
           "text": text[:500]}, proposal.municipality_id, user)  # fmt: skip
    _notify(proposal, event)
    return event


def recipients(proposal: Proposal) -> list[str]:
    """Who hears of a change: the organisation, the proposer, and the proposers of merged duplicates."""
    addresses = []
    sources = [proposal] + list(db.session.scalars(sa.select(Proposal).where(Proposal.merged_into_id == proposal.id)))
    for item in sources:
        if item.organisation is not None and item.organisation.contact_email:
            addresses.append(item.organisation.contact_email)
        if item.proposer_email:
            addresses.append(item.proposer_email)
    return list(dict.fromkeys(a.lower() for a in addresses))


def _notify(proposal: Proposal, event: ProposalEvent) -> None:
    addresses = recipients(proposal)
    if not addresses:
        return
    municipality = proposal.municipality
    with force_locale(municipality.default_locale):
        subject = _("%(municipality)s: “%(title)s” — %(change)s", municipality=municipality.name,
                    title=proposal.title, change=EVENT_LABELS[event.kind])  # fmt: skip
        lines = [subject]
        if event.text:
            lines.append(event.text)
        lines.append(_("Follow the proposal: %(url)s", url=absolute_url("proposals.public_page",
                                                                        proposal_id=proposal.id)))
        body = "\n\n".join(lines)
    for address in addresses:
        enqueue(address, subject, body)
