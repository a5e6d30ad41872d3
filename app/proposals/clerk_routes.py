"""The clerk's proposal pages: floor submission, review, answer, decisions and implementation."""

from flask import flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from app.auth.access import hearing_for, municipality_for, require_role
from app.auth.models import CAN_EDIT, CAN_VIEW
from app.extensions import db
from app.hearings.models import Hearing
from app.organisations.models import KIND_LABELS
from app.organisations.service import organisations_of
from app.proposals import bp, overview, service
from app.proposals.clerk_forms import DECISION_STATUS, FORMS, floor_form, merge_form
from app.proposals.labels import BENEFICIARIES, CATEGORIES, EVENT_LABELS, STATUS_LABELS
from app.proposals.models import MOVES, STATUSES, Proposal
from app.registration.desk_forms import PERSON_GENDER, SETTLEMENT_LABELS
from app.registration.service import RegistrationError, find_ticket
from app.rules.answers import OTHERS, WOMENS_GROUP

PROPOSER_TYPES = {WOMENS_GROUP: _l("Women's groups"), OTHERS: _l("Others")}
# Which status moves each review form makes; cost and answer can be given in any status.
ACTION_MOVES = {"admit": ("admit",), "not_admit": ("not_admit",), "decide": tuple(DECISION_STATUS),
                "include": ("include",), "progress": ("progress",), "complete": ("complete",), "drop": ("drop",),
                "merge": ("merge",)}  # fmt: skip
ILLEGAL = _l("This change is not possible in the proposal's current status.")


def proposal_for(proposal_id: int, allowed: set[str] = CAN_VIEW) -> Proposal:
    """The proposal with `proposal_id`, if the user has a role in its municipality."""
    proposal = db.get_or_404(Proposal, proposal_id)
    require_role(proposal.municipality, allowed)
    return proposal


def allowed_actions(proposal: Proposal) -> set[str]:
    """The review forms the proposal's status allows (models.MOVES)."""
    moves = {name for name, actions in ACTION_MOVES.items() if any(proposal.status in MOVES[a] for a in actions)}
    return moves | {"set_cost", "answer"}


def _labels(**context) -> dict:
    return dict(STATUS_LABELS=STATUS_LABELS, CATEGORIES=CATEGORIES, BENEFICIARIES=BENEFICIARIES,
                EVENT_LABELS=EVENT_LABELS, PROPOSER_TYPES=PROPOSER_TYPES, ORGANISATION_KINDS=KIND_LABELS,
                PERSON_GENDER=PERSON_GENDER, proposer_type=overview.proposer_type, **context)  # fmt: skip


@bp.app_template_global()
def proposal_summary(hearing: Hearing) -> overview.Summary:
    """Counts of a hearing's proposals for its dashboard: by status, unanswered, overdue."""
    return overview.summarise(overview.hearing_proposals(hearing), overview.local_today(hearing.municipality))


@bp.route("/manage/hearings/<int:hearing_id>/proposals", endpoint="manage")
@login_required
def manage(hearing_id):
    """The hearing's proposals as a list to work through, with overdue answers flagged."""
    hearing = hearing_for(hearing_id, CAN_VIEW)
    today = overview.local_today(hearing.municipality)
    proposals = overview.hearing_proposals(hearing)
    summary = overview.summarise(proposals, today)
    show = request.args.get("show", "")
    if show == "overdue":
        proposals = [p for p in proposals if overview.overdue(p, today)]
    elif show == "unanswered":
        proposals = [p for p in proposals if overview.answered_on(p) is None]
    elif show in STATUSES:
        proposals = [p for p in proposals if p.status == show]
    else:
        show = ""
    return render_template("proposals/clerk/manage.html", **_labels(
        hearing=hearing, municipality=hearing.municipality, proposals=proposals, summary=summary, show=show,
        today=today, overdue=overview.overdue, answered_on=overview.answered_on))  # fmt: skip


def _ticket(hearing, code: str):
    """The participant of a typed ticket code, or None when no code was given."""
    if not code:
        return None
    participant = find_ticket(hearing, code)
    if participant.is_blank:
        raise RegistrationError(_l("This printed ticket is not registered yet."), "code")
    return participant


@bp.route("/manage/hearings/<int:hearing_id>/proposals/new", methods=["GET", "POST"])
@login_required
def floor(hearing_id):
    """Record a proposal made from the floor; a ticket code gives the proposer's gender and age band."""
    hearing = hearing_for(hearing_id, CAN_EDIT)
    organisations = organisations_of(hearing.municipality)
    form = floor_form(hearing.municipality, organisations)
    problem, status = None, 200
    if form.validate_on_submit():
        try:
            participant = _ticket(hearing, form.ticket_code.data)
            organisation = next((o for o in organisations if o.id == form.organisation_id.data), None)
            proposal = service.submit(hearing, form.details(), source="floor", participant=participant,
                                      organisation=organisation, user=current_user._get_current_object(),
                                      photo=form.photo.data)  # fmt: skip
        except (service.ProposalError, RegistrationError) as error:
            db.session.rollback()
            field = {"code": "ticket_code"}.get(error.field, error.field)
            if field in form:
                form[field].errors.append(error.message)
            else:
                problem, status = error.message, 409
        else:
            flash(_("Proposal #%(number)d recorded. The form is ready for the next one.", number=proposal.id),
                  "success")  # fmt: skip
            return redirect(url_for(".floor", hearing_id=hearing.id), 303)
    if form.is_submitted() and status == 200:
        status = 422
    recent = [p for p in overview.hearing_proposals(hearing) if p.source == "floor"][-5:][::-1]
    return render_template("proposals/clerk/floor.html", **_labels(
        hearing=hearing, municipality=hearing.municipality, form=form, problem=problem,
        recent=recent)), status  # fmt: skip


def _merge_candidates(proposal: Proposal) -> list[Proposal]:
    return [p for p in overview.hearing_proposals(proposal.hearing) if p.id != proposal.id and p.status != "merged"]


def _fresh_forms(proposal: Proposal) -> dict:
    """Every review form, empty (not filled from the request), the cost and answer with their current values."""
    forms = {name: cls(formdata=None, prefix=name) for name, cls in FORMS.items() if name != "merge"}
    forms["merge"] = merge_form(_merge_candidates(proposal), formdata=None, prefix="merge")
    forms["set_cost"].cost.data = proposal.cost
    forms["answer"].answer.data = proposal.answer
    return forms


def _render_review(proposal: Proposal, status: int = 200, failed=None, refused=None):
    """The review page; `failed` is (action, form) of a refused post, shown with its errors."""
    forms = _fresh_forms(proposal)
    if failed:
        forms[failed[0]] = failed[1]
    today = overview.local_today(proposal.municipality)
    body = render_template("proposals/clerk/review.html", **_labels(
        proposal=proposal, hearing=proposal.hearing, municipality=proposal.municipality, forms=forms,
        allowed=allowed_actions(proposal), refused=refused, today=today, is_overdue=overview.overdue(proposal, today),
        answered_on=overview.answered_on(proposal),
        SETTLEMENT_LABEL=SETTLEMENT_LABELS[proposal.municipality.settlement_kind],
        excluded=proposal.category in proposal.municipality.excluded_category_list))  # fmt: skip
    response = make_response(body, status)
    if request.headers.get("HX-Request"):
        # A boosted form would otherwise leave the address bar on the POST-only action URL.
        response.headers["HX-Replace-Url"] = url_for(".review", proposal_id=proposal.id)
    return response


@bp.route("/manage/proposals/<int:proposal_id>")
@login_required
def review(proposal_id):
    """One proposal: its facts, its timeline and the actions its status allows."""
    return _render_review(proposal_for(proposal_id, CAN_VIEW))


def _act(proposal_id: int, action: str, change, done: str):
    """Run one review action: refuse a move the status does not allow (409) or bad input (422), else save."""
    proposal = proposal_for(proposal_id, CAN_EDIT)
    if action not in allowed_actions(proposal):
        return _render_review(proposal, 409, refused=ILLEGAL)
    if action == "merge":
        form = merge_form(_merge_candidates(proposal), prefix=action)
    else:
        form = FORMS[action](prefix=action)
    if not form.validate_on_submit():
        return _render_review(proposal, 422, failed=(action, form))
    try:
        message = change(proposal, form, current_user._get_current_object()) or done
    except service.ProposalError as refused:
        db.session.rollback()
        fields = [name for name in form._fields]
        target = refused.field if refused.field in fields else (fields[0] if fields else None)
        if target is None:
            return _render_review(proposal, 422, refused=refused.message)
        form[target].errors.append(refused.message)
        return _render_review(proposal, 422, failed=(action, form))
    flash(message, "success")
    return redirect(url_for(".review", proposal_id=proposal.id), 303)


def _admit(proposal, form, user):
    if not service.admit(proposal, user):
        return _("Not admitted: proposals in this category cannot be financed. The reason is shown publicly.")
    return None


def _merge(proposal, form, user):
    into = db.session.get(Proposal, form.into.data)
    if into is None:
        raise service.ProposalError(_l("Choose another proposal of the same hearing."), "into")
    service.merge(proposal, into, user)


@bp.route("/manage/proposals/<int:proposal_id>/admit", methods=["POST"])
@login_required
def admit(proposal_id):
    """Admit the proposal (one in an excluded category is refused with that reason)."""
    return _act(proposal_id, "admit", _admit, _("Admitted."))


@bp.route("/manage/proposals/<int:proposal_id>/not-admit", methods=["POST"])
@login_required
def not_admit(proposal_id):
    """Refuse the proposal with a public reason."""
    return _act(proposal_id, "not_admit", lambda p, f, u: service.not_admit(p, f.reason.data, u),
                _("Not admitted. The reason is the official answer."))  # fmt: skip


@bp.route("/manage/proposals/<int:proposal_id>/cost", methods=["POST"])
@login_required
def set_cost(proposal_id):
    """Set the municipality's own cost estimate."""
    return _act(proposal_id, "set_cost", lambda p, f, u: service.set_cost(p, f.cost.data, u), _("Cost saved."))


@bp.route("/manage/proposals/<int:proposal_id>/answer", methods=["POST"])
@login_required
def answer(proposal_id):
    """Give or correct the official answer."""
    return _act(proposal_id, "answer", lambda p, f, u: service.record_answer(p, f.answer.data, u),
                _("Official answer saved."))  # fmt: skip


@bp.route("/manage/proposals/<int:proposal_id>/decide", methods=["POST"])
@login_required
def decide(proposal_id):
    """Select, not select, recommend or reject (with a reason) after the vote or the hearing."""
    return _act(proposal_id, "decide", lambda p, f, u: service.decide(p, f.action.data, u, f.reason.data or ""),
                _("Decision saved."))  # fmt: skip


@bp.route("/manage/proposals/<int:proposal_id>/include", methods=["POST"])
@login_required
def include(proposal_id):
    """Include the proposal in the budget under a budget line."""
    return _act(proposal_id, "include", lambda p, f, u: service.include(p, f.budget_line.data, u),
                _("Included in the budget."))  # fmt: skip


@bp.route("/manage/proposals/<int:proposal_id>/progress", methods=["POST"])
@login_required
def progress(proposal_id):
    """Add a dated progress update with an optional photo."""
    return _act(proposal_id, "progress",
                lambda p, f, u: service.report_progress(p, f.percent.data, f.note.data or "", u, photo=f.photo.data),
                _("Progress update saved."))  # fmt: skip


@bp.route("/manage/proposals/<int:proposal_id>/complete", methods=["POST"])
@login_required
def complete(proposal_id):
    """Mark the project as built."""
    return _act(proposal_id, "complete", lambda p, f, u: service.complete(p, f.note.data or "", u),
                _("Marked as completed."))  # fmt: skip


@bp.route("/manage/proposals/<int:proposal_id>/drop", methods=["POST"])
@login_required
def drop(proposal_id):
    """Drop the project with a public reason."""
    return _act(proposal_id, "drop", lambda p, f, u: service.drop(p, f.reason.data, u), _("Dropped."))


@bp.route("/manage/proposals/<int:proposal_id>/merge", methods=["POST"])
@login_required
def merge(proposal_id):
    """Merge a duplicate into another proposal of the same hearing."""
    return _act(proposal_id, "merge", _merge, _("Merged. Both proposers will be informed of every change."))


@bp.route("/manage/<slug>/proposals/report")
@login_required
def report(slug):
    """Time to answer by proposer type (women's groups and others) and the `answers` requirement."""
    municipality = municipality_for(slug, CAN_VIEW)
    hearings = db.session.scalars(
        db.select(Hearing).filter_by(municipality_id=municipality.id).order_by(Hearing.starts_at.desc())
    ).all()
    hearing_id = request.args.get("hearing_id", type=int)
    if hearing_id not in {h.id for h in hearings}:
        hearing_id = None
    today = overview.local_today(municipality)
    proposals = overview.municipality_proposals(municipality, hearing_id)
    figures, check = overview.report(proposals, today)
    late = [p for p in proposals if overview.overdue(p, today)]
    return render_template("proposals/clerk/report.html", **_labels(
        municipality=municipality, hearings=hearings, hearing_id=hearing_id, figures=figures, check=check,
        overdue_proposals=late, today=today))  # fmt: skip
