"""The organisation registry pages: list and add, edit, and the private tracking link."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.routing import BuildError

from app.auth.access import municipality_for
from app.auth.models import CAN_EDIT, CAN_VIEW
from app.extensions import db
from app.hearings.outputs import absolute_url
from app.organisations import bp, service
from app.organisations.forms import OrganisationForm, RotateTokenForm
from app.organisations.models import KIND_LABELS, Organisation
from app.proposals.labels import STATUS_LABELS
from app.proposals.models import Proposal


@bp.route("/manage/<slug>/organisations", methods=["GET", "POST"], endpoint="index")
@login_required
def organisation_list(slug):
    """List the municipality's organisations; clerks and admins add new ones."""
    municipality = municipality_for(slug, CAN_VIEW)
    form = OrganisationForm()
    status = 200
    if request.method == "POST":
        municipality_for(slug, CAN_EDIT)
        if form.validate_on_submit():
            try:
                service.add_organisation(municipality, **form.details())
            except service.OrganisationError as error:
                form[error.field or "name"].errors.append(error.message)
            else:
                flash(_("Organisation added."), "success")
                return redirect(url_for(".index", slug=slug), 303)
        status = 422
    return render_template("organisations/list.html", municipality=municipality, form=form,
                           organisations=service.organisations_of(municipality),
                           ORGANISATION_KIND_LABELS=KIND_LABELS), status  # fmt: skip


def _organisation(municipality, organisation_id) -> Organisation:
    return db.first_or_404(db.select(Organisation).filter_by(id=organisation_id, municipality_id=municipality.id))


def tracking_links(organisation: Organisation) -> dict:
    """The organisation's private tracking page and Atom feed; empty while those pages are not in this build."""
    try:
        return {"page": absolute_url("proposals.track", token=organisation.tracking_token),
                "feed": absolute_url("proposals.feed", token=organisation.tracking_token)}  # fmt: skip
    except BuildError:
        return {}


@bp.route("/manage/<slug>/organisations/<int:organisation_id>", methods=["GET", "POST"])
@login_required
def edit(slug, organisation_id):
    """Edit an organisation; the page also shows its private tracking link, so it is for clerks only."""
    municipality = municipality_for(slug, CAN_EDIT)
    organisation = _organisation(municipality, organisation_id)
    form = OrganisationForm(obj=organisation)
    if form.validate_on_submit():
        try:
            service.update_organisation(organisation, form.details())
        except service.OrganisationError as error:
            db.session.rollback()
            form[error.field or "name"].errors.append(error.message)
        else:
            flash(_("Changes saved."), "success")
            return redirect(url_for(".edit", slug=slug, organisation_id=organisation.id), 303)
    return _render_edit(municipality, organisation, form, 422 if form.is_submitted() else 200)


def _render_edit(municipality, organisation, form, status=200):
    proposals = db.session.scalars(
        db.select(Proposal).filter_by(organisation_id=organisation.id).order_by(Proposal.id.desc())
    ).all()
    return render_template("organisations/edit.html", municipality=municipality, organisation=organisation,
                           form=form, rotate_form=RotateTokenForm(formdata=None),
                           tracking=tracking_links(organisation),
                           proposals=proposals, ORGANISATION_KIND_LABELS=KIND_LABELS,
                           PROPOSAL_STATUS_LABELS=STATUS_LABELS), status  # fmt: skip


@bp.route("/manage/<slug>/organisations/<int:organisation_id>/rotate-token", methods=["POST"])
@login_required
def rotate_token(slug, organisation_id):
    """Give the organisation a new tracking link; the old link stops working at once."""
    municipality = municipality_for(slug, CAN_EDIT)
    organisation = _organisation(municipality, organisation_id)
    if RotateTokenForm().validate_on_submit():
        service.rotate_token(organisation)
        flash(_("New tracking link issued. The old link no longer works; send the new one to the organisation."),
              "success")  # fmt: skip
    return redirect(url_for(".edit", slug=slug, organisation_id=organisation.id), 303)
