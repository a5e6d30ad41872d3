"""Public municipality pages and the admin's settings pages."""

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.auth.access import municipality_for
from app.auth.models import CAN_MANAGE, CAN_VIEW, Membership
from app.extensions import db
from app.hearings.models import Hearing
from app.municipalities import bp, service
from app.municipalities.forms import (
    AgeBandsForm,
    DeleteForm,
    MemberForm,
    SettingsForm,
    SettlementForm,
)
from app.municipalities.models import Municipality, Settlement
from app.timeutil import utcnow


@bp.route("/")
def index():
    """The start page: every municipality that uses the app."""
    municipalities = db.session.scalars(db.select(Municipality).order_by(Municipality.name)).all()
    return render_template("municipalities/index.html", municipalities=municipalities)


@bp.route("/m/<slug>")
def public(slug):
    """A municipality's public page: upcoming and past hearings."""
    municipality = db.first_or_404(db.select(Municipality).where(Municipality.slug == slug))
    g.public_municipality = municipality
    hearings = db.session.scalars(
        db.select(Hearing)
        .where(Hearing.municipality_id == municipality.id, Hearing.state != "draft")
        .order_by(Hearing.starts_at.desc())
    ).all()
    now = utcnow()
    upcoming = sorted((h for h in hearings if h.ends_at >= now), key=lambda h: h.starts_at)
    past = [h for h in hearings if h.ends_at < now]
    return render_template(
        "municipalities/public.html", municipality=municipality, upcoming=upcoming, past=past
    )


@bp.route("/manage/")
@login_required
def manage_index():
    """The municipalities where the logged-in user has a role."""
    memberships = sorted(current_user.memberships, key=lambda m: m.municipality.name)
    if len(memberships) == 1:
        return redirect(url_for("hearings.list", slug=memberships[0].municipality.slug))
    return render_template("municipalities/manage_index.html", memberships=memberships)


@bp.route("/manage/<slug>/settings", methods=["GET", "POST"])
@login_required
def settings(slug):
    """Edit languages, currency, timezone and the requirement figures."""
    municipality = municipality_for(slug, CAN_MANAGE)
    form = SettingsForm(data=service.settings_snapshot(municipality))
    if form.validate_on_submit():
        service.update_settings(municipality, form.data)
        flash(_("Settings saved."), "success")
        return redirect(url_for(".settings", slug=slug))
    status = 422 if form.is_submitted() else 200
    return render_template("municipalities/settings.html", municipality=municipality, form=form), status


@bp.route("/manage/<slug>/age-bands", methods=["GET", "POST"])
@login_required
def age_bands(slug):
    """Edit the age-band scheme."""
    municipality = municipality_for(slug, CAN_MANAGE)
    rows = [
        {"label": b.label, "min_age": b.min_age, "max_age": b.max_age, "is_youth": b.is_youth}
        for b in municipality.age_bands
    ]
    form = AgeBandsForm(data={"bands": rows})
    if form.validate_on_submit():
        try:
            service.replace_age_bands(municipality, form.bands.data)
        except service.ServiceError as error:
            form.bands.errors.append(error.message)
        else:
            flash(_("Age bands saved."), "success")
            return redirect(url_for(".age_bands", slug=slug))
    status = 422 if form.is_submitted() else 200
    return render_template("municipalities/age_bands.html", municipality=municipality, form=form), status


@bp.route("/manage/<slug>/settlements", methods=["GET", "POST"])
@login_required
def settlements(slug):
    """List and add villages or mahallas."""
    municipality = municipality_for(slug, CAN_MANAGE)
    form = SettlementForm()
    status = 200
    if form.validate_on_submit():
        try:
            service.add_settlement(municipality, form.name.data)
        except service.ServiceError as error:
            form.name.errors.append(error.message)
        else:
            flash(_("Settlement added."), "success")
            return redirect(url_for(".settlements", slug=slug))
    if form.is_submitted():
        status = 422
    return render_template(
        "municipalities/settlements.html", municipality=municipality, form=form, delete_form=DeleteForm()
    ), status


@bp.route("/manage/<slug>/settlements/<int:settlement_id>/delete", methods=["POST"])
@login_required
def delete_settlement(slug, settlement_id):
    """Remove a settlement nothing refers to."""
    municipality = municipality_for(slug, CAN_MANAGE)
    settlement = db.first_or_404(
        db.select(Settlement).filter_by(id=settlement_id, municipality_id=municipality.id)
    )
    if DeleteForm().validate_on_submit():
        try:
            service.remove_settlement(municipality, settlement)
            flash(_("Settlement removed."), "success")
        except service.ServiceError as error:
            flash(error.message, "error")
    return redirect(url_for(".settlements", slug=slug))


@bp.route("/manage/<slug>/members", methods=["GET", "POST"])
@login_required
def members(slug):
    """List people with a role here and give someone a role."""
    municipality = municipality_for(slug, CAN_VIEW)
    form = MemberForm()
    status = 200
    if request.method == "POST":
        municipality_for(slug, CAN_MANAGE)
        if form.validate_on_submit():
            try:
                service.set_member(municipality, form.username.data, form.full_name.data or "",
                                   form.password.data or "", form.role.data)  # fmt: skip
            except service.ServiceError as error:
                getattr(form, error.field or "username").errors.append(error.message)
            else:
                flash(_("Role saved."), "success")
                return redirect(url_for(".members", slug=slug))
        status = 422
    memberships = db.session.scalars(
        db.select(Membership).filter_by(municipality_id=municipality.id).order_by(Membership.role)
    ).all()
    return render_template("municipalities/members.html", municipality=municipality, form=form,
                           memberships=memberships, delete_form=DeleteForm()), status  # fmt: skip


@bp.route("/manage/<slug>/members/<int:membership_id>/delete", methods=["POST"])
@login_required
def delete_member(slug, membership_id):
    """Take a role away."""
    municipality = municipality_for(slug, CAN_MANAGE)
    membership = db.first_or_404(
        db.select(Membership).filter_by(id=membership_id, municipality_id=municipality.id)
    )
    if DeleteForm().validate_on_submit():
        try:
            service.remove_member(municipality, membership, current_user)
            flash(_("Role removed."), "success")
        except service.ServiceError as error:
            flash(error.message, "error")
    return redirect(url_for(".members", slug=slug))
