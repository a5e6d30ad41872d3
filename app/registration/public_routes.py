"""Public registration and the participant's ticket page."""

from flask import abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from app.extensions import db
from app.hearings.models import Hearing
from app.hearings.outputs import absolute_url, qr_svg
from app.hearings.public import public_hearing
from app.organisations.models import Organisation
from app.registration import bp
from app.registration.forms import registration_form
from app.registration.models import Participant
from app.registration.service import RegistrationError, register
from app.security import configured, limiter


def ticket_url(participant: Participant) -> str:
    """The absolute address of a ticket page, as its QR code encodes it."""
    return absolute_url("registration.ticket", token=participant.token)


def spaced_code(code: str) -> str:
    """A short code in two groups of three, as people read it out: K7M 2QX."""
    return f"{code[:3]} {code[3:]}"


@bp.route("/h/<code>/register", methods=["GET", "POST"], endpoint="register")
@limiter.limit(configured("RATELIMIT_REGISTRATION"), methods=["POST"])  # per address
def register_page(code):
    """Pre-register for a hearing without an account; success shows the ticket."""
    hearing = public_hearing(code)
    if not hearing.accepts_registration:
        return _closed(hearing)
    municipality = hearing.municipality
    organisations = db.session.scalars(
        db.select(Organisation).filter_by(municipality_id=municipality.id).order_by(Organisation.name)
    ).all()
    form = registration_form(municipality, organisations)
    problem = None
    if form.validate_on_submit():
        try:
            participant = register(hearing, form.details())
        except RegistrationError as error:
            if error.field is None and not hearing.accepts_registration:
                return _closed(hearing)
            if error.field is None:
                problem = error.message
            else:
                form[error.field].errors.append(error.message)
        else:
            flash(_("You are registered. This is your ticket."), "success")
            return redirect(url_for(".ticket", token=participant.token), 303)
    status = 422 if form.is_submitted() else 200
    return render_template("registration/public/register.html", hearing=hearing, municipality=municipality,
                           text=hearing.best_text(str(get_locale())), form=form, problem=problem), status  # fmt: skip


def _closed(hearing: Hearing):
    """A friendly page instead of the form; a refused POST answers 409."""
    status = 409 if request.method == "POST" else 200
    return render_template("registration/public/closed.html", hearing=hearing, municipality=hearing.municipality,
                           text=hearing.best_text(str(get_locale()))), status  # fmt: skip


@bp.route("/t/<token>")
def ticket(token):
    """The participant's own ticket: QR code and short code, on screen or on paper."""
    participant = db.first_or_404(db.select(Participant).where(Participant.token == token))
    hearing = participant.hearing
    if not hearing.is_public:
        abort(404)
    g.public_municipality = hearing.municipality
    qr = None if participant.is_blank else qr_svg(ticket_url(participant))
    response = current_app.make_response(render_template(
        "registration/public/ticket.html", participant=participant, hearing=hearing,
        municipality=hearing.municipality, text=hearing.best_text(str(get_locale())), qr=qr,
        code=spaced_code(participant.short_code),
    ))  # fmt: skip
    response.headers["Referrer-Policy"] = "no-referrer"  # the token is the ticket; keep it out of Referer
    response.headers["X-Robots-Tag"] = "noindex"
    return response
