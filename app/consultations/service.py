"""Use cases of consultations: record, edit, delete, and turn a priority into a proposal."""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.audit.service import record
from app.consultations.models import Consultation, ConsultationCount, ConsultationPriority
from app.extensions import db
from app.hearings.models import Hearing
from app.organisations.models import Organisation
from app.proposals import service as proposals


class ConsultationError(Exception):
    """A refused change with a translated message (and the field it is about)."""

    def __init__(self, message, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def consultations_of(hearing: Hearing) -> list[Consultation]:
    """The hearing's consultations, oldest first."""
    return db.session.scalars(
        sa.select(Consultation).where(Consultation.hearing_id == hearing.id)
        .order_by(Consultation.held_on, Consultation.id)
    ).unique().all()  # fmt: skip


def _check_open(hearing: Hearing) -> None:
    if hearing.state in ("cancelled", "published"):
        raise ConsultationError(_l("Consultations of this hearing can no longer be changed."))


def _organisation(hearing: Hearing, organisation_id: int | None) -> Organisation | None:
    if not organisation_id:
        return None
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None or organisation.municipality_id != hearing.municipality_id:
        raise ConsultationError(_l("Choose one of the options."), "organisation_id")
    return organisation


def _snapshot(consultation: Consultation) -> dict:
    return {"held_on": consultation.held_on.isoformat(), "place": consultation.place, "kind": consultation.kind,
            "counts": {f"{c.gender}:{c.age_band_id}": c.count for c in consultation.counts},
            "priorities": [p.text for p in consultation.priorities]}  # fmt: skip


def _apply(consultation: Consultation, data: dict) -> None:
    """Copy validated values onto the consultation; priorities that became proposals are kept."""
    consultation.held_on, consultation.place, consultation.kind = data["held_on"], data["place"], data["kind"]
    consultation.notes = (data.get("notes") or "").strip()
    _set_counts(consultation, data["counts"])
    kept = [p for p in consultation.priorities if p.proposal_id is not None]
    texts = {p.text for p in kept}
    fresh = [ConsultationPriority(text=t) for t in data["priorities"] if t not in texts]
    consultation.priorities = kept + fresh
    for position, priority in enumerate(consultation.priorities):
        priority.position = position


def _set_counts(consultation: Consultation, counts: dict) -> None:
    """Update the head counts in place (replacing rows would insert before deleting and hit the unique key)."""
    existing = {(c.gender, c.age_band_id): c for c in consultation.counts}
    for key, row in existing.items():
        if key not in counts:
            consultation.counts.remove(row)
    for (gender, band), n in counts.items():
        if (gender, band) in existing:
            existing[gender, band].count = n
        else:
            consultation.counts.append(ConsultationCount(gender=gender, age_band_id=band, count=n))


def create(hearing: Hearing, data: dict, user) -> Consultation:
    """Record a consultation held before the hearing."""
    _check_open(hearing)
    consultation = Consultation(hearing_id=hearing.id, organisation=_organisation(hearing, data.get("organisation_id")))
    _apply(consultation, data)
    db.session.add(consultation)
    db.session.flush()
    record("consultation.create", consultation, None, _snapshot(consultation), hearing.municipality_id, user)
    db.session.commit()
    return consultation


def update(hearing: Hearing, consultation: Consultation, data: dict, user) -> None:
    """Save changes to a consultation."""
    _check_open(hearing)
    before = _snapshot(consultation)
    consultation.organisation = _organisation(hearing, data.get("organisation_id"))
    _apply(consultation, data)
    db.session.flush()
    record("consultation.edit", consultation, before, _snapshot(consultation), hearing.municipality_id, user)
    db.session.commit()


def delete(hearing: Hearing, consultation: Consultation, user) -> None:
    """Remove a consultation recorded by mistake; proposals made from it stay."""
    _check_open(hearing)
    record("consultation.delete", consultation, _snapshot(consultation), None, hearing.municipality_id, user)
    db.session.delete(consultation)
    db.session.commit()


def propose(hearing: Hearing, priority: ConsultationPriority, category: str, user):
    """Make a priority raised by women into a proposal to the hearing, marked as benefiting women."""
    _check_open(hearing)
    if priority.proposal_id is not None:
        raise ConsultationError(_l("This priority is already a proposal."))
    data = {"title": priority.text[:200], "category": category, "beneficiaries": ["women"],
            "raised_in_consultation": True,
            "description": str(_l("Raised at a consultation with women on %(date)s.",
                                  date=priority.consultation.held_on.isoformat()))}  # fmt: skip
    try:
        proposal = proposals.submit(hearing, data, source="floor", organisation=priority.consultation.organisation,
                                    user=user)  # fmt: skip
    except proposals.ProposalError as error:
        raise ConsultationError(error.message, error.field) from None
    priority.proposal_id = proposal.id
    record("consultation.propose", priority.consultation, None, {"priority": priority.text, "proposal": proposal.id},
           hearing.municipality_id, user)  # fmt: skip
    db.session.commit()
    return proposal
