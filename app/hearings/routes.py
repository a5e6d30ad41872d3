"""The clerk's hearing pages: list, create, edit, dashboard, state changes, documents."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from app.audit.models import AuditEvent
from app.auth.access import hearing_for, municipality_for
from app.auth.models import CAN_EDIT, CAN_VIEW
from app.extensions import db
from app.hearings import bp, outputs, service
from app.hearings.forms import DocumentForm, ReasonForm, hearing_form
from app.hearings.models import Hearing, HearingDocument, IllegalTransition
from app.municipalities.forms import DeleteForm
from app.publication.service import requirement_checks


def _form_for(municipality, **kwargs):
    today = service.local_now(municipality).date()
    return hearing_form(municipality, municipality.settlements, today, **kwargs)


@bp.route("/manage/<slug>/hearings", endpoint="list")
@login_required
def hearing_list(slug):
    """Every hearing of the municipality, newest first."""
    municipality = municipality_for(slug, CAN_VIEW)
    hearings = db.session.scalars(
        db.select(Hearing).filter_by(municipality_id=municipality.id).order_by(Hearing.starts_at.desc())
    ).all()
    return render_template("hearings/list.html", municipality=municipality, hearings=hearings)


@bp.route("/manage/<slug>/hearings/new", methods=["GET", "POST"])
@login_required
def create(slug):
    """Create a draft hearing."""
    municipality = municipality_for(slug, CAN_EDIT)
    form = _form_for(municipality)
    if form.validate_on_submit():
        hearing = service.create_hearing(municipality, form)
        flash(_("Draft saved. Check the list below, then announce."), "success")
        return redirect(url_for(".dashboard", hearing_id=hearing.id))
    return _render_form(form, municipality, None)


@bp.route("/manage/hearings/<int:hearing_id>/edit", methods=["GET", "POST"])
@login_required
def edit(hearing_id):
    """Edit a hearing that has not taken place."""
    hearing = hearing_for(hearing_id, CAN_EDIT)
    if not hearing.is_editable:
        flash(_("This hearing can no longer be edited."), "error")
        return redirect(url_for(".dashboard", hearing_id=hearing.id))
    form = _form_for(hearing.municipality, data=service.form_data(hearing))
    if form.validate_on_submit():
        service.update_hearing(hearing, form)
        flash(_("Changes saved."), "success")
        return redirect(url_for(".dashboard", hearing_id=hearing.id))
    return _render_form(form, hearing.municipality, hearing)


def _render_form(form, municipality, hearing):
    status = 422 if form.is_submitted() else 200
    checks = service.checks_for_form(form, municipality) if form.is_submitted() or hearing else []
    return render_template(
        "hearings/form.html", form=form, municipality=municipality, hearing=hearing, checks=checks
    ), status


@bp.route("/manage/<slug>/hearings/checklist", methods=["POST"])
@login_required
def checklist(slug):
    """The live schedule checklist for the form as it is being filled in (htmx fragment)."""
    municipality = municipality_for(slug, CAN_EDIT)
    form = _form_for(municipality)
    form.validate()  # fills .data as far as it parses; errors are shown on save
    checks = service.checks_for_form(form, municipality)
    return render_template("hearings/_checklist.html", checks=checks, municipality=municipality)


@bp.route("/manage/hearings/<int:hearing_id>")
@login_required
def dashboard(hearing_id):
    """Everything about one hearing, with the actions its state allows."""
    hearing = hearing_for(hearing_id, CAN_VIEW)
    return _render_dashboard(hearing)


def _render_dashboard(hearing, status=200, missing=(), reason_form=None, document_form=None):
    history = db.session.scalars(
        db.select(AuditEvent)
        .where(AuditEvent.object_type == "hearing", AuditEvent.object_id == hearing.id)
        .order_by(AuditEvent.id.desc())
    ).all()
    shares = {code: outputs.share_text(hearing, code) for code in hearing.municipality.language_list}
    return render_template(
        "hearings/dashboard.html",
        hearing=hearing,
        municipality=hearing.municipality,
        checks=service.checks_for_hearing(hearing),
        requirements=requirement_checks(hearing),
        missing=set(missing),
        reason_form=reason_form or ReasonForm(),
        document_form=document_form or DocumentForm(),
        delete_form=DeleteForm(),
        history=history,
        shares=shares,
        public_url=outputs.public_url(hearing),
    ), status


@bp.route("/manage/hearings/<int:hearing_id>/announce", methods=["POST"])
@login_required
def announce(hearing_id):
    """Announce, with a justification for each unmet check."""
    hearing = hearing_for(hearing_id, CAN_EDIT)
    justifications = {
        key.removeprefix("justification_"): value[:2000]
        for key, value in request.form.items()
        if key.startswith("justification_")
    }
    try:
        service.announce(hearing, justifications)
    except service.JustificationNeeded as needed:
        flash(_("Explain why the hearing goes ahead although a requirement is not met."), "error")
        return _render_dashboard(hearing, 422, missing=needed.requirements)
    except IllegalTransition as refused:
        flash(str(refused), "error")
        return _render_dashboard(hearing, 409)
    flash(_("The hearing is announced. Print the poster and share the link."), "success")
    return redirect(url_for(".dashboard", hearing_id=hearing.id))


@bp.route("/manage/hearings/<int:hearing_id>/<any(postpone, cancel):action>", methods=["POST"])
@login_required
def change_state(hearing_id, action):
    """Postpone or cancel with a reason."""
    hearing = hearing_for(hearing_id, CAN_EDIT)
    form = ReasonForm()
    if not form.validate_on_submit():
        return _render_dashboard(hearing, 422, reason_form=form)
    try:
        service.change_state(hearing, action, form.reason.data)
    except IllegalTransition as refused:
        flash(str(refused), "error")
        return _render_dashboard(hearing, 409)
    messages = {"postpone": _("The hearing is postponed."), "cancel": _("The hearing is cancelled.")}
    flash(messages[action], "success")
    return redirect(url_for(".dashboard", hearing_id=hearing.id))


def _refuse_published(hearing):
    """A published hearing's documents are part of its frozen record."""
    flash(_("The hearing is published; its documents can no longer be changed."), "error")
    return _render_dashboard(hearing, 409)


@bp.route("/manage/hearings/<int:hearing_id>/documents", methods=["POST"])
@login_required
def upload_document(hearing_id):
    """Attach a PDF or image to the hearing."""
    hearing = hearing_for(hearing_id, CAN_EDIT)
    if hearing.is_published:
        return _refuse_published(hearing)
    form = DocumentForm()
    if form.validate_on_submit():
        try:
            service.store_document(hearing, form.kind.data, form.file.data)
        except service.ServiceError as error:
            form.file.errors.append(error.message)
        else:
            flash(_("Document uploaded."), "success")
            return redirect(url_for(".dashboard", hearing_id=hearing.id))
    return _render_dashboard(hearing, 422, document_form=form)


@bp.route("/manage/hearings/<int:hearing_id>/documents/<int:document_id>/delete", methods=["POST"])
@login_required
def delete_document(hearing_id, document_id):
    """Remove a document."""
    hearing = hearing_for(hearing_id, CAN_EDIT)
    document = db.first_or_404(
        db.select(HearingDocument).filter_by(id=document_id, hearing_id=hearing.id)
    )
    if hearing.is_published:
        return _refuse_published(hearing)
    if DeleteForm().validate_on_submit():
        service.delete_document(hearing, document)
        flash(_("Document removed."), "success")
    return redirect(url_for(".dashboard", hearing_id=hearing.id))


from app.hearings import public  # noqa: E402,F401  (public pages share the blueprint)
