"""The organisation registry pages."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from app.auth.access import municipality_for
from app.auth.models import CAN_EDIT, CAN_VIEW
from app.organisations import bp, service
from app.organisations.forms import OrganisationForm
from app.organisations.models import KIND_LABELS


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
                service.add_organisation(municipality, form.name.data, form.kind.data)
            except service.OrganisationError as error:
                form[error.field or "name"].errors.append(error.message)
            else:
                flash(_("Organisation added."), "success")
                return redirect(url_for(".index", slug=slug), 303)
        status = 422
    return render_template("organisations/list.html", municipality=municipality, form=form,
                           organisations=service.organisations_of(municipality),
                           ORGANISATION_KIND_LABELS=KIND_LABELS), status  # fmt: skip
