"""The clerk's consultation pages: list and record, edit, delete, and make a priority a proposal."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.auth.access import hearing_for
from app.auth.models import CAN_EDIT, CAN_VIEW
from app.consultations import bp, service
from app.consultations.forms import KIND_LABELS, ProposeForm, consultation_form
from app.consultations.models import Consultation, ConsultationPriority
from app.extensions import db
from app.municipalities.forms import DeleteForm
from app.organisations.service import organisations_of
from app.proposals.overview import local_today
from app.registration.models import GENDER_LABELS


def _form(hearing, **kwargs):
    municipality = hearing.municipality
    return consultation_form(municipality, organisations_of(municipality), local_today(municipality), **kwargs)


def _data(form) -> dict:
    return {"held_on": form.held_on.data, "place": form.place.data, "kind": form.kind.data,
            "organisation_id": form.organisation_id.data, "notes": form.notes.data,
            "counts": form.counts(), "priorities": form.priority_lines}  # fmt: skip


def _render(template, hearing, form, status=200, **context):
    return render_template(template, hearing=hearing, municipality=hearing.municipality, form=form,
                           KIND_LABELS=KIND_LABELS, GENDER_LABELS=GENDER_LABELS, **context), status  # fmt: skip


def _saved(form, hearing, save) -> bool:
    """Validate and save; a refused save puts its message next to the field and leaves nothing written."""
    if not form.validate_on_submit():
        return False
    try:
        save(_data(form))
    except service.ConsultationError as error:
        if error.field is None:
            flash(str(error.message), "error")
        else:
            form[error.field].errors = [*form[error.field].errors, error.message]
        return False
    return True


@bp.route("/manage/hearings/<int:hearing_id>/consultations", methods=["GET", "POST"], endpoint="index")
@login_required
def consultation_list(hearing_id):
    """The consultations with women before the hearing; clerks record new ones here."""
    hearing = hearing_for(hearing_id, CAN_VIEW)
    form = _form(hearing)
    status = 200
    if request.method == "POST":
        hearing_for(hearing_id, CAN_EDIT)
        if _saved(form, hearing, lambda data: service.create(hearing, data, current_user)):
            flash(_("Consultation recorded."), "success")
            return redirect(url_for(".index", hearing_id=hearing.id), 303)
        status = 422
    return _render("consultations/index.html", hearing, form, status,
                   consultations=service.consultations_of(hearing), propose_form=ProposeForm(hearing.municipality),
                   delete_form=DeleteForm())  # fmt: skip


def _consultation(hearing, consultation_id) -> Consultation:
    return db.first_or_404(db.select(Consultation).filter_by(id=consultation_id, hearing_id=hearing.id))


@bp.route("/manage/hearings/<int:hearing_id>/consultations/<int:consultation_id>", methods=["GET", "POST"])
@login_required
def edit(hearing_id, consultation_id):
    """Correct a consultation's date, place, head counts or priorities."""
    hearing = hearing_for(hearing_id, CAN_EDIT)
    consultation = _consultation(hearing, consultation_id)
    data = {"held_on": consultation.held_on, "place": consultation.place, "kind": consultation.kind,
            "organisation_id": consultation.organisation_id or 0, "notes": consultation.notes,
            "priorities": "\n".join(p.text for p in consultation.priorities)}  # fmt: skip
    data |= {f"count_{c.gender}_{c.age_band_id or 'none'}": c.count for c in consultation.counts}
    form = _form(hearing, data=data)
    if request.method == "POST":
        if _saved(form, hearing, lambda values: service.update(hearing, consultation, values, current_user)):
            flash(_("Changes saved."), "success")
            return redirect(url_for(".index", hearing_id=hearing.id), 303)
        return _render("consultations/edit.html", hearing, form, 422, consultation=consultation)
    return _render("consultations/edit.html", hearing, form, consultation=consultation)


@bp.route("/manage/hearings/<int:hearing_id>/consultations/<int:consultation_id>/delete", methods=["POST"])
@login_required
def delete(hearing_id, consultation_id):
    """Remove a consultation recorded by mistake."""
    hearing = hearing_for(hearing_id, CAN_EDIT)
    consultation = _consultation(hearing, consultation_id)
    if DeleteForm().validate_on_submit():
        try:
            service.delete(hearing, consultation, current_user)
        except service.ConsultationError as error:
            flash(str(error.message), "error")
        else:
            flash(_("Consultation removed."), "success")
    return redirect(url_for(".index", hearing_id=hearing.id), 303)


@bp.route("/manage/hearings/<int:hearing_id>/priorities/<int:priority_id>/propose", methods=["POST"])
@login_required
def propose(hearing_id, priority_id):
    """Make a priority raised by women into a proposal to the hearing."""
    hearing = hearing_for(hearing_id, CAN_EDIT)
    priority = db.first_or_404(
        db.select(ConsultationPriority).join(Consultation)
        .where(ConsultationPriority.id == priority_id, Consultation.hearing_id == hearing.id)
    )  # fmt: skip
    form = ProposeForm(hearing.municipality)
    if not form.validate_on_submit():
        flash(_("Choose one of the options."), "error")
        return redirect(url_for(".index", hearing_id=hearing.id), 303)
    try:
        proposal = service.propose(hearing, priority, form.category.data, current_user)
    except service.ConsultationError as error:
        flash(str(error.message), "error")
        return redirect(url_for(".index", hearing_id=hearing.id), 303)
    flash(_("The priority is now proposal #%(id)d.", id=proposal.id), "success")
    return redirect(url_for(".index", hearing_id=hearing.id), 303)
