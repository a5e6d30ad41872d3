"""The clerk's check-in desk, live breakdown, projector view and attendance sheets."""

import csv
import io
import re
from dataclasses import dataclass

import sqlalchemy as sa
from flask import flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from markupsafe import Markup
from sqlalchemy.orm import joinedload

from app.audit.service import record
from app.auth.access import hearing_for
from app.auth.models import CAN_EDIT, CAN_VIEW
from app.extensions import db
from app.hearings.models import IllegalTransition
from app.hearings.outputs import absolute_url, qr_svg
from app.registration import bp, panel_cache, service
from app.registration.desk_forms import (
    GENDER_GROUPS,
    PERSON_GENDER,
    ConfirmForm,
    TicketsForm,
    UndoForm,
    scanned,
    walk_in_form,
)
from app.registration.models import CheckIn, Participant
from app.registration.service import PersonDetails, RegistrationError
from app.rules.breakdown import check_data, check_share
from app.timeutil import utc_to_local, utcnow

RECENT = 10
DESK = "registration/desk/"


@dataclass
class DeskResult:
    """What the desk shows after an action: ok, already, blank (bind form), undone, error or idle."""

    kind: str = "idle"
    message: str | None = None
    participant: Participant | None = None
    check_in: CheckIn | None = None
    bind_form: object = None


def _wants_fragment() -> bool:
    """An htmx request from a desk control (not a boosted link or form, which wants the page)."""
    return bool(request.headers.get("HX-Request")) and not request.headers.get("HX-Boosted")


def _recent(hearing) -> list[CheckIn]:
    return db.session.scalars(
        sa.select(CheckIn)
        .where(CheckIn.hearing_id == hearing.id)
        .options(
            joinedload(CheckIn.participant).joinedload(Participant.age_band),
            joinedload(CheckIn.participant).joinedload(Participant.settlement),
        )
        .order_by(CheckIn.id.desc())  # insertion order, read backwards along the primary key
        .limit(RECENT)
    ).all()


@bp.app_template_global()
def who(person, gender_labels, with_name=True) -> str:
    """Gender · age band · settlement (and the name, when the person gave one), as the desk shows a person.

    A function rather than a macro: the desk renders it twice after every scan.
    """
    parts = (gender_labels.get(person.gender, ""), person.age_band.label if person.age_band else "",
             person.settlement.name if person.settlement else "", (person.name or "") if with_name else "")  # fmt: skip
    return " · ".join(text for text in map(str, parts) if text)


def _render(template, hearing, status=200, **context):
    return render_template(
        DESK + template, hearing=hearing, municipality=hearing.municipality, gender_labels=PERSON_GENDER,
        **context,
    ), status  # fmt: skip


def _desk_response(hearing, result, status=200, walkin_form=None, undo_errors=None):
    """The result fragment plus out-of-band updates for htmx, else the whole desk page.

    A check-in only prepends its own row to the recent list; an undo redraws the list.
    """
    context = dict(result=result, attendance=service.headcount(hearing), undo_errors=undo_errors or {})
    if _wants_fragment():
        redraw = undo_errors is not None or result.kind == "undone"
        return _render("_update.html", hearing, status, oob=True, walkin_oob=walkin_form,
                       recent=_recent(hearing) if redraw else None, **context)  # fmt: skip
    context["walkin_form"] = walkin_form or walk_in_form(hearing.municipality, formdata=None)
    return _render("desk.html", hearing, status, recent=_recent(hearing), **context)


def _refused(hearing, error, **kwargs):
    status = 422 if hearing.accepts_check_in else 409
    return _desk_response(hearing, DeskResult("error", message=error.message), status, **kwargs)


def _checked_in(hearing, outcome, **kwargs):
    result = DeskResult(outcome.status, participant=outcome.participant, check_in=outcome.check_in)
    return _desk_response(hearing, result, **kwargs)


def _details(form) -> PersonDetails:
    return PersonDetails(
        gender=form.gender.data,
        age_band_id=form.age_band_id.data or None,
        settlement_id=form.settlement_id.data or None,
    )


@bp.route("/manage/hearings/<int:hearing_id>/desk")
@login_required
def desk(hearing_id):
    """The check-in desk: scan or type a code, register walk-ins, undo mistakes."""
    hearing = hearing_for(hearing_id, CAN_EDIT)
    return _desk_response(hearing, DeskResult())


@bp.route("/manage/hearings/<int:hearing_id>/desk/status")
@login_required
def desk_status(hearing_id):
    """The desk's state and count line (polled, so that every tablet sees the others' check-ins)."""
    hearing = hearing_for(hearing_id, CAN_EDIT)
    return _render("_desk_status.html", hearing, attendance=service.headcount(hearing))


@bp.route("/manage/hearings/<int:hearing_id>/checkin", methods=["POST"])
@login_required
def checkin(hearing_id):
    """Check in a scanned link, a token or a typed code; a blank printed ticket asks who it is."""
    hearing = hearing_for(hearing_id, CAN_EDIT)
    code, method = scanned(request.form)
    try:
        participant = service.find_ticket(hearing, code)
        if participant.is_blank and hearing.accepts_check_in:
            bind = walk_in_form(hearing.municipality, formdata=None, prefix="bind", token=participant.token)
            return _desk_response(hearing, DeskResult("blank", participant=participant, bind_form=bind))
        outcome = service.check_in(hearing, participant, current_user, method)
    except RegistrationError as error:
        return _refused(hearing, error)
    return _checked_in(hearing, outcome)


@bp.route("/manage/hearings/<int:hearing_id>/walkin", methods=["POST"])
@login_required
def walkin(hearing_id):
    """Register someone without a ticket at the door and check them in, in one request."""
    hearing = hearing_for(hearing_id, CAN_EDIT)
    form = walk_in_form(hearing.municipality)
    if not form.validate_on_submit():
        result = DeskResult("error", message=_("Choose gender and age, then check in."))
        return _desk_response(hearing, result, 422, walkin_form=form)
    try:
        outcome = service.walk_in(hearing, _details(form), current_user)
    except RegistrationError as error:
        _field_error(form, error)
        return _refused(hearing, error, walkin_form=form)
    return _checked_in(hearing, outcome, walkin_form=walk_in_form(hearing.municipality, formdata=None))


@bp.route("/manage/hearings/<int:hearing_id>/bind", methods=["POST"])
@login_required
def bind_ticket(hearing_id):
    """Bind a blank printed ticket to the person holding it and check them in."""
    hearing = hearing_for(hearing_id, CAN_EDIT)
    form = walk_in_form(hearing.municipality, prefix="bind")
    try:
        participant = service.find_ticket(hearing, form.token.data or "")
        if not form.validate_on_submit():
            message = _("Choose gender and age, then check in.")
            result = DeskResult("blank", message=message, participant=participant, bind_form=form)
            return _desk_response(hearing, result, 422)
        outcome = service.walk_in(hearing, _details(form), current_user, participant=participant)
    except RegistrationError as error:
        return _refused(hearing, error)
    return _checked_in(hearing, outcome)


def _field_error(form, error) -> None:
    if error.field and error.field in form:
        form[error.field].errors = [*form[error.field].errors, error.message]


@bp.route("/manage/hearings/<int:hearing_id>/checkins/<int:checkin_id>/undo", methods=["POST"])
@login_required
def undo_checkin(hearing_id, checkin_id):
    """Undo a mistaken check-in; the reason is required and goes to the audit log."""
    hearing = hearing_for(hearing_id, CAN_EDIT)
    entry = db.first_or_404(sa.select(CheckIn).where(CheckIn.id == checkin_id, CheckIn.hearing_id == hearing.id))
    participant = entry.participant
    form = UndoForm()
    try:
        if not hearing.accepts_check_in:
            raise RegistrationError(_("Check-in is not open for this hearing."))
        if not form.validate_on_submit():
            raise RegistrationError(form.reason.errors[0] if form.reason.errors else _("Give a reason."), "reason")
        service.undo_check_in(hearing, entry, current_user, form.reason.data)
    except RegistrationError as error:
        return _refused(hearing, error, undo_errors={checkin_id: error.message})
    if not _wants_fragment():
        flash(_("Check-in of %(code)s undone.", code=participant.short_code), "success")
        return redirect(url_for(".desk", hearing_id=hearing.id))
    return _desk_response(hearing, DeskResult("undone", participant=participant))


@bp.route("/manage/hearings/<int:hearing_id>/open", methods=["POST"])
@login_required
def open_session(hearing_id):
    """Open the session explicitly: announced becomes in_session."""
    hearing = hearing_for(hearing_id, CAN_EDIT)
    if ConfirmForm().validate_on_submit():
        before = hearing.snapshot()
        try:
            hearing.open_session(utcnow())
        except IllegalTransition as refused:
            flash(str(refused), "error")
        else:
            record("hearing.open", hearing, before, hearing.snapshot(), hearing.municipality_id)
            db.session.commit()
            flash(_("The session is open."), "success")
    if request.form.get("back") == "desk":
        return redirect(url_for(".desk", hearing_id=hearing.id))
    return redirect(url_for("hearings.dashboard", hearing_id=hearing.id))


# -- live breakdown ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One bar of a breakdown: a label, its count and its share of the total."""

    key: str
    label: str
    count: int
    percent: float
    small: bool  # under the small-cell threshold (the projector shows "<5")


def _figures(hearing) -> dict:
    """Everything the live panel and the projector show, counted by the database."""
    municipality = hearing.municipality
    result = service.attendance_for(hearing)
    threshold = municipality.small_cell_threshold

    def row(key, label, count):
        return Row(str(key), str(label), count, result.percent(count), 0 < count < threshold)

    genders = [g for g, n in result.by_gender.items() if g != "other" or n or municipality.allow_other_gender]
    bands = {band.id: band.label for band in municipality.age_bands}
    places = {settlement.id: settlement.name for settlement in municipality.settlements}
    return {
        "attendance": result,
        "women_percent": round(result.percent(result.women)),
        "target": municipality.women_share_target,
        "threshold": threshold,
        "checks": [check_share(result, municipality.women_share_target),
                   check_data(result, municipality.data_completeness_target)],
        "by_gender": [row(g, GENDER_GROUPS[g], result.by_gender[g]) for g in genders],
        "by_age_band": [row(key, bands.get(key) or _("Not said"), n) for key, n in result.by_age_band],
        "by_settlement": [row(key, places.get(key) or _("Not given"), n) for key, n in result.by_settlement],
    }  # fmt: skip


@bp.route("/manage/hearings/<int:hearing_id>/live")
@login_required
def live(hearing_id):
    """The clerk's live panel: who is in the room, by gender, age band and settlement."""
    hearing = hearing_for(hearing_id, CAN_VIEW)
    return _render("live.html", hearing, **_figures(hearing))


def _panel(template: str, hearing_id: int) -> str:
    """A polled panel; see panel_cache for why and how long it is reused, and why without its hearing."""
    hit = panel_cache.fresh(template, hearing_id)
    if hit is not None and current_user.role_in(hit[0]) in CAN_VIEW:
        return hit[1]
    hearing = hearing_for(hearing_id, CAN_VIEW)
    return panel_cache.remember(template, hearing, _render(template, hearing, **_figures(hearing))[0])


@bp.route("/manage/hearings/<int:hearing_id>/live/panel")
@login_required
def live_panel(hearing_id):
    """The live panel's figures alone, polled by htmx every 3 seconds."""
    return _panel("_live_panel.html", hearing_id)


@bp.route("/manage/hearings/<int:hearing_id>/projector")
@login_required
def projector(hearing_id):
    """Large figures for the hall's projector; no clerk controls, no names."""
    hearing = hearing_for(hearing_id, CAN_VIEW)
    return _render("projector.html", hearing, **_figures(hearing))


@bp.route("/manage/hearings/<int:hearing_id>/projector/panel")
@login_required
def projector_panel(hearing_id):
    """The projector's figures alone, polled by htmx every 3 seconds."""
    return _panel("_projector_panel.html", hearing_id)


# -- attendance sheets ---------------------------------------------------------------------------


def _attendance(hearing) -> list[CheckIn]:
    """Every check-in of the hearing with its participant, in order of arrival."""
    return db.session.scalars(
        sa.select(CheckIn)
        .where(CheckIn.hearing_id == hearing.id)
        .options(
            joinedload(CheckIn.participant).joinedload(Participant.age_band),
            joinedload(CheckIn.participant).joinedload(Participant.settlement),
            joinedload(CheckIn.participant).joinedload(Participant.organisation),
            joinedload(CheckIn.by_user),
        )
        .order_by(CheckIn.at, CheckIn.id)
    ).all()


_PHONE = re.compile(r"^\+?[\d\s()-]+$")


def _cell(value) -> str:
    """A CSV cell a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r") and not _PHONE.match(text):
        return "'" + text
    return text


@bp.route("/manage/hearings/<int:hearing_id>/attendance.csv")
@login_required
def attendance_csv(hearing_id):
    """The attendance list as CSV (UTF-8 with a byte-order mark, so spreadsheets read Cyrillic)."""
    hearing = hearing_for(hearing_id, CAN_EDIT)
    tz = hearing.municipality.timezone
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("Code"), _("Name"), _("Phone"), _("Gender"), _("Age"), _("Village or mahalla"),
                     _("Organisation"), _("Disability"), _("Checked in at"), _("Checked in by")])  # fmt: skip
    for entry in _attendance(hearing):
        person = entry.participant
        writer.writerow([_cell(value) for value in (
            person.short_code, person.name, person.phone, PERSON_GENDER.get(person.gender, ""),
            person.age_band.label if person.age_band else "", person.settlement.name if person.settlement else "",
            person.organisation.name if person.organisation else "", _("yes") if person.disability else "",
            utc_to_local(entry.at, tz).strftime("%Y-%m-%d %H:%M"),
            (entry.by_user.full_name or entry.by_user.username) if entry.by_user else "",
        )])  # fmt: skip
    response = make_response("\ufeff" + out.getvalue())
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="attendance-{hearing.public_code}.csv"'
    return response


@bp.route("/manage/hearings/<int:hearing_id>/attendance")
@login_required
def attendance(hearing_id):
    """A printable A4 attendance sheet with a signature column."""
    hearing = hearing_for(hearing_id, CAN_EDIT)
    return _render("attendance.html", hearing, entries=_attendance(hearing),
                   attendance=service.attendance_for(hearing))  # fmt: skip


# -- blank ticket sheets -------------------------------------------------------------------------


def _sheet_qr(token: str) -> Markup:
    """A ticket's QR code without the id every generated SVG carries, so ids stay unique on the sheet."""
    return Markup(str(qr_svg(absolute_url("registration.ticket", token=token))).replace(' id="qr-path"', ""))


def _render_tickets(hearing, form, status=200):
    start = request.args.get("from", 0, type=int)
    tickets = db.session.scalars(
        sa.select(Participant)
        .where(Participant.hearing_id == hearing.id, Participant.gender.is_(None), Participant.id >= start)
        .where(~sa.exists().where(CheckIn.participant_id == Participant.id))
        .order_by(Participant.id)
    ).all()
    sheet = [(ticket, _sheet_qr(ticket.token)) for ticket in tickets]
    return _render("tickets.html", hearing, status, form=form, sheet=sheet, start=start)


@bp.route("/manage/hearings/<int:hearing_id>/tickets/print")
@login_required
def print_tickets(hearing_id):
    """An A4 sheet of blank QR tickets (10 per page) for people without a phone."""
    hearing = hearing_for(hearing_id, CAN_EDIT)
    return _render_tickets(hearing, TicketsForm(formdata=None))


@bp.route("/manage/hearings/<int:hearing_id>/tickets", methods=["POST"])
@login_required
def create_tickets(hearing_id):
    """Issue a batch of blank tickets and show them ready to print."""
    hearing = hearing_for(hearing_id, CAN_EDIT)
    form = TicketsForm()
    if form.validate_on_submit():
        try:
            tickets = service.create_blank_tickets(hearing, form.count.data)
        except RegistrationError as error:
            form.count.errors = [*form.count.errors, error.message]
        else:
            flash(ngettext("%(num)d blank ticket is ready to print.", "%(num)d blank tickets are ready to print.",
                           len(tickets)), "success")  # fmt: skip
            return redirect(url_for(".print_tickets", hearing_id=hearing.id, **{"from": tickets[0].id}))
    return _render_tickets(hearing, form, 422)

