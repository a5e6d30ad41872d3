"""The clerk's voting pages: setup, open and close, show of hands, paper ballots, outcome."""

import sqlalchemy as sa
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.auth.access import hearing_for
from app.auth.models import CAN_EDIT, CAN_VIEW
from app.extensions import db
from app.hearings.models import IllegalTransition
from app.registration import service as registration
from app.registration.desk_forms import GENDER_GROUPS
from app.registration.service import RegistrationError
from app.rules.ballots import hand_count_errors
from app.voting import bp, service
from app.voting.clerk_forms import (
    HAND_COLUMNS,
    KIND_LABELS,
    RULE_LABELS,
    SetupForm,
    genders_of,
    hand_cell,
    hand_row,
    paper_ballot_form,
    paper_choices,
    setup_form,
)
from app.voting.clerk_outcome import outcome_view
from app.voting.models import Ballot, HandCount, Outcome
from app.voting.service import VotingError

CLERK = "voting/clerk/"


def _level() -> set[str]:
    """Anyone of the municipality may look; only a clerk or admin may change anything."""
    return CAN_VIEW if request.method == "GET" else CAN_EDIT


def _wants_fragment() -> bool:
    """An htmx request from a control of the page (not a boosted link or form, which wants the page)."""
    return bool(request.headers.get("HX-Request")) and not request.headers.get("HX-Boosted")


def _render(template, hearing, status=200, **context):
    return render_template(
        CLERK + template, hearing=hearing, municipality=hearing.municipality, setup=service.setup_for(hearing),
        group_labels=GENDER_GROUPS, kind_labels=KIND_LABELS, rule_labels=RULE_LABELS, **context,
    ), status  # fmt: skip


# -- setup, open, close --------------------------------------------------------------------------


def _setup_page(hearing, form, status=200):
    proposals = service.candidates(hearing)
    costs = {p.id: service.cost_of(p) for p in proposals}
    return _render("setup.html", hearing, status, form=form, proposals=proposals, costs=costs)


@bp.route("/manage/hearings/<int:hearing_id>/voting", methods=["GET", "POST"])
@login_required
def setup(hearing_id):
    """The voting setup (ballot kind, limits, rule) beside the projects on the ballot."""
    hearing = hearing_for(hearing_id, _level())
    if request.method == "GET":
        return _setup_page(hearing, setup_form(service.setup_for(hearing)))
    form = SetupForm()
    if not form.validate():
        return _setup_page(hearing, form, 422)
    if form.rule.data != "majority" and not hearing.envelope:
        form.rule.errors = [_("This rule needs the amount for citizens' projects; set it on the hearing first.")]
        return _setup_page(hearing, form, 422)
    try:
        service.configure(hearing, form.values(), current_user)
    except VotingError as refused:
        db.session.rollback()
        flash(str(refused.message), "error")
        return _setup_page(hearing, form, 409)
    flash(_("Voting setup saved."), "success")
    return redirect(url_for(".setup", hearing_id=hearing.id))


def _refused(hearing, refused):
    """A state change the hearing's state does not allow: the message on the setup page, 409."""
    db.session.rollback()
    flash(str(getattr(refused, "message", refused)), "error")
    return _setup_page(hearing, setup_form(service.setup_for(hearing)), 409)


@bp.route("/manage/hearings/<int:hearing_id>/voting/open", methods=["POST"], endpoint="open")
@login_required
def open_voting(hearing_id):
    """Open voting: in_session becomes voting."""
    hearing = hearing_for(hearing_id, CAN_EDIT)
    try:
        service.open_voting(hearing, current_user)
    except (IllegalTransition, VotingError) as refused:
        return _refused(hearing, refused)
    flash(_("Voting is open."), "success")
    return redirect(url_for(".setup", hearing_id=hearing.id))


@bp.route("/manage/hearings/<int:hearing_id>/voting/close", methods=["POST"], endpoint="close")
@login_required
def close_voting(hearing_id):
    """Close voting: the ballots freeze, the outcome is counted and shown."""
    hearing = hearing_for(hearing_id, CAN_EDIT)
    try:
        service.close_voting(hearing, current_user)
    except (IllegalTransition, VotingError) as refused:
        return _refused(hearing, refused)
    flash(_("Voting is closed and counted."), "success")
    return redirect(url_for(".outcome", hearing_id=hearing.id))


# -- show of hands -------------------------------------------------------------------------------


def _stored_hands(hearing) -> dict[str, str]:
    """The saved show-of-hands figures as the grid's input values."""
    values = {}
    for row in db.session.scalars(sa.select(HandCount).where(HandCount.hearing_id == hearing.id)):
        kind, _sep, key = row.subject.partition(":")
        if kind == "proposal" and key.isdigit():
            figures = (row.votes_for, row.votes_against, row.votes_abstain)
            for column, figure in zip(HAND_COLUMNS, figures, strict=True):
                values[hand_cell(int(key), row.gender, column)] = str(figure)
    return values


def _hands_page(hearing, status=200, errors=None, bad=(), entered=None, message=None, refusal=None):
    return _render(
        "hands.html", hearing, status, proposals=service.candidates(hearing), costs=None,
        genders=genders_of(hearing.municipality), present=service.present_by_gender(hearing),
        columns=HAND_COLUMNS, cell=hand_cell, values=entered if entered is not None else _stored_hands(hearing),
        errors=errors or {}, bad=set(bad), message=message, refusal=refusal,
    )  # fmt: skip


def _impossible(row, over, present) -> str:
    return " ".join(
        _("%(group)s: %(votes)d hands, but %(present)d checked in.", group=GENDER_GROUPS[g],
          votes=sum(row[g]), present=present.get(g, 0))
        for g in over
    )  # fmt: skip


@bp.route("/manage/hearings/<int:hearing_id>/hands", methods=["GET", "POST"])
@login_required
def hands(hearing_id):
    """The show-of-hands grid: for, against and abstain per proposal, split by gender."""
    hearing = hearing_for(hearing_id, _level())
    if request.method == "GET":
        return _hands_page(hearing)
    genders, present = genders_of(hearing.municipality), service.present_by_gender(hearing)
    which = request.form.get("save", "all")
    rows = [p for p in service.candidates(hearing) if which == "all" or str(p.id) == which]
    counts, errors, bad = {}, {}, []
    for proposal in rows:  # check every row first: one impossible figure saves nothing
        counts[proposal.id], cells = hand_row(request.form, proposal.id, genders)
        over = [] if cells else hand_count_errors(counts[proposal.id], present)
        if cells:
            errors[proposal.id] = _("Enter whole numbers of zero or more.")
        elif over:
            errors[proposal.id] = _impossible(counts[proposal.id], over, present)
        bad += cells + [hand_cell(proposal.id, g, c) for g in over for c in HAND_COLUMNS]
    if errors or not rows:
        refusal = None if rows else _("Choose a row to save.")
        return _hands_page(hearing, 422, errors, bad, request.form, refusal=refusal)
    try:
        for proposal in rows:
            service.record_hands(hearing, f"proposal:{proposal.id}", counts[proposal.id], current_user)
    except VotingError as refused:
        db.session.rollback()
        status = 422 if refused.field else 409
        return _hands_page(hearing, status, entered=request.form, refusal=refused.message)
    saved = _("Hands saved for “%(title)s”.", title=rows[0].title) if which != "all" else _("All rows saved.")
    if _wants_fragment():
        return _hands_page(hearing, message=saved)
    flash(saved, "success")
    return redirect(url_for(".hands", hearing_id=hearing.id))


# -- paper ballots -------------------------------------------------------------------------------


def _paper_count(hearing) -> int:
    """Paper ballots entered so far, to match against the ballot box."""
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(Ballot).where(Ballot.hearing_id == hearing.id, Ballot.source == "paper")
    )


def _paper_page(hearing, form, status=200, choices_error=None, entered=None):
    proposals = service.candidates(hearing)
    return _render(
        "paper.html", hearing, status, form=form, proposals=proposals,
        costs={p.id: service.cost_of(p) for p in proposals}, count=_paper_count(hearing),
        choices_error=choices_error, entered=entered,
    )  # fmt: skip


@bp.route("/manage/hearings/<int:hearing_id>/paper", methods=["GET", "POST"])
@login_required
def paper(hearing_id):
    """Paper ballots typed in one by one, with the voter's gender and age band, and a running count."""
    hearing = hearing_for(hearing_id, _level())
    if request.method == "GET":
        return _paper_page(hearing, paper_ballot_form(hearing.municipality, formdata=None))
    form = paper_ballot_form(hearing.municipality)
    ids = [p.id for p in service.candidates(hearing)]
    chosen = paper_choices(request.form, service.setup_for(hearing).ballot_kind, ids)
    valid = form.validate()
    if chosen is None or not valid:
        message = _("Enter whole numbers of zero or more.") if chosen is None else None
        return _paper_page(hearing, form, 422, message, request.form)
    try:
        participant = _ticket(hearing, form.ticket.data)
        gender = participant.gender if participant else form.gender.data
        band = participant.age_band_id if participant else (form.age_band_id.data or None)
        service.enter_paper_ballot(hearing, chosen, gender, band, current_user, participant=participant)
    except RegistrationError as error:
        db.session.rollback()
        form.ticket.errors = [error.message]
        return _paper_page(hearing, form, 422, entered=request.form)
    except VotingError as refused:
        db.session.rollback()
        if refused.field == "gender":
            form.gender.errors = [refused.message]
        return _paper_page(hearing, form, 422, None if refused.field == "gender" else refused.message, request.form)
    flash(_("Paper ballot number %(number)d saved.", number=_paper_count(hearing)), "success")
    return redirect(url_for(".paper", hearing_id=hearing.id))


def _ticket(hearing, text):
    """The participant whose ticket code is written on the ballot, or None when there is none."""
    if not (text or "").strip():
        return None
    participant = registration.find_ticket(hearing, text)
    if participant.is_blank:
        raise RegistrationError(_("This printed ticket is not registered yet."), "ticket")
    return participant


# -- outcome -------------------------------------------------------------------------------------


@bp.route("/manage/hearings/<int:hearing_id>/outcome")
@login_required
def outcome(hearing_id):
    """The stored outcome: what was funded or adopted, the scores, and support by gender."""
    hearing = hearing_for(hearing_id, CAN_VIEW)
    result = db.session.scalar(sa.select(Outcome).where(Outcome.hearing_id == hearing.id))
    view = outcome_view(hearing, result) if result is not None else None
    return _render("outcome.html", hearing, result=result, view=view)


@bp.route("/manage/hearings/<int:hearing_id>/ballots.pb")
@login_required
def export_ballots(hearing_id):
    """The hearing's candidates and ballots as a pabulib file, voters with sex and age band (no names)."""
    from app.voting.pabulib_io import export_pb

    hearing = hearing_for(hearing_id, CAN_VIEW)
    return export_pb(hearing), 200, {
        "Content-Type": "text/plain; charset=utf-8",
        "Content-Disposition": f'attachment; filename="hearing-{hearing.public_code}.pb"',
    }
