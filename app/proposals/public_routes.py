"""Public proposal pages, the filterable list, online submission, and organisations' tracking pages."""

import os
from itertools import groupby

import sqlalchemy as sa
from flask import abort, flash, g, make_response, redirect, render_template, request, send_file, url_for
from flask_babel import format_date, get_locale
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.hearings.models import Hearing
from app.hearings.public import public_hearing
from app.municipalities.models import Municipality
from app.organisations.models import KIND_LABELS as ORGANISATION_KIND_LABELS
from app.organisations.models import Organisation
from app.proposals import bp, feed, service
from app.proposals.labels import BENEFICIARIES, CATEGORIES, EVENT_LABELS, STATUS_LABELS
from app.proposals.models import Proposal, ProposalEvent
from app.proposals.public_forms import filter_form, proposal_form
from app.publication.results import vote_results
from app.registration.models import Participant
from app.rules.answers import OTHERS, WOMENS_GROUP, is_overdue
from app.timeutil import utc_to_local, utcnow
from app.uploads import upload_path

# Online proposals are taken from announcement until the session ends; the service refuses drafts and
# cancelled hearings whatever this list says.
OPEN_FOR_PROPOSALS = ("announced", "postponed", "in_session")
PER_PAGE = 50
MAX_PAGE = 100_000
FEED_ENTRIES = 200
PHOTO_MIMETYPES = {"png": "image/png", "jpg": "image/jpeg"}
LABELS = {"CATEGORIES": CATEGORIES, "BENEFICIARIES": BENEFICIARIES, "STATUS_LABELS": STATUS_LABELS,
          "EVENT_LABELS": EVENT_LABELS, "ORGANISATION_KIND_LABELS": ORGANISATION_KIND_LABELS}  # fmt: skip


def accepts_proposals(hearing: Hearing) -> bool:
    """Citizens and groups can propose online to this hearing now."""
    return hearing.state in OPEN_FOR_PROPOSALS


@bp.app_context_processor
def proposal_helpers():
    """Lets the hearing and ticket pages offer the proposal form only when it is open."""
    return {"accepts_proposals": accepts_proposals}


class ProposalView:
    """What the public pages show about a proposal besides its fields: today's overdue flag."""

    def __init__(self, today):
        self.today = today

    def overdue(self, proposal: Proposal) -> bool:
        """Unanswered after its due day (a merged duplicate is answered through the one it joined)."""
        tz = proposal.municipality.timezone
        answered = utc_to_local(proposal.answered_at, tz).date() if proposal.answered_at else None
        return proposal.status != "merged" and is_overdue(proposal.answer_due, answered, self.today)


def _view(municipality: Municipality) -> ProposalView:
    return ProposalView(utc_to_local(utcnow(), municipality.timezone).date())


def _render(template: str, status: int = 200, **context):
    return render_template(template, **LABELS, note=feed.event_note, **context), status


def _private(response):
    """Headers for pages whose address is a secret (a tracking token or a ticket)."""
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex"
    response.headers["Cache-Control"] = "private, no-store"
    return response


# -- one proposal ----------------------------------------------------------------------------------------
def public_proposal(proposal_id: int) -> Proposal:
    """A proposal of a public hearing (those of drafts do not exist for the public)."""
    proposal = db.get_or_404(Proposal, proposal_id)
    if not proposal.hearing.is_public:
        abort(404)
    g.public_municipality = proposal.municipality
    return proposal


@bp.route("/p/<int:proposal_id>")
def public_page(proposal_id):
    """A proposal's public page: what, status and reason, the official answer, progress and its timeline."""
    proposal = public_proposal(proposal_id)
    hearing = proposal.hearing
    return _render("proposals/public/proposal.html", proposal=proposal, hearing=hearing,
                   municipality=proposal.municipality, view=_view(proposal.municipality),
                   linked=_merge_partners(proposal), text=hearing.best_text(str(get_locale())))  # fmt: skip


def _merge_partners(proposal: Proposal) -> dict[int, Proposal]:
    """The proposals its merge events name ("#12"), by id, so that the timeline can link to them by title."""
    ids = {int(e.text[1:]) for e in proposal.events if e.kind in ("merged", "merged_in") and e.text[1:].isdigit()}
    if not ids:
        return {}
    partners = db.session.scalars(db.select(Proposal).where(Proposal.id.in_(ids),
                                                            Proposal.hearing_id == proposal.hearing_id))  # fmt: skip
    return {partner.id: partner for partner in partners}


def _send_photo(stored_name: str):
    """An uploaded photo, which the browser must treat as an image and nothing else."""
    name = os.path.basename(stored_name)
    mimetype = PHOTO_MIMETYPES.get(name.rsplit(".", 1)[-1])
    path = upload_path(name)
    if mimetype is None or not os.path.isfile(path):
        abort(404)
    response = send_file(path, mimetype=mimetype, max_age=3600)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@bp.route("/p/<int:proposal_id>/photo")
def photo(proposal_id):
    """The photo sent with a proposal."""
    proposal = public_proposal(proposal_id)
    if not proposal.photo:
        abort(404)
    return _send_photo(proposal.photo)


@bp.route("/p/<int:proposal_id>/events/<int:event_id>/photo")
def event_photo(proposal_id, event_id):
    """The photo of a progress update."""
    proposal = public_proposal(proposal_id)
    event = db.first_or_404(db.select(ProposalEvent).filter_by(id=event_id, proposal_id=proposal.id))
    if not event.photo:
        abort(404)
    return _send_photo(event.photo)


# -- submitting ------------------------------------------------------------------------------------------
def _propose(hearing: Hearing, action: str, *, participant=None, organisation=None, done=None, ticket_problem=None):
    """Show the proposal form and submit it; `done(proposal)` says where to go afterwards."""
    municipality = hearing.municipality
    page = {"hearing": hearing, "municipality": municipality, "text": hearing.best_text(str(get_locale())),
            "participant": participant, "organisation": organisation}  # fmt: skip
    if not accepts_proposals(hearing):
        return make_response(*_render("proposals/public/closed.html", 409 if request.method == "POST" else 200, **page))
    form = proposal_form(municipality)
    problem = ticket_problem
    if form.validate_on_submit():
        try:
            proposal = service.submit(hearing, form.details(), participant=participant, organisation=organisation,
                                      photo=form.photo.data or None)  # fmt: skip
        except service.ProposalError as error:
            if error.field in form._fields:
                form[error.field].errors.append(error.message)
            else:
                problem = error.message
        else:
            flash(_("Thank you. Your proposal has been received."), "success")
            return redirect(done(proposal), 303)
    status = 422 if form.is_submitted() else 200
    return make_response(*_render("proposals/public/submit.html", status, form=form, action=action, problem=problem,
                                  **page))


@bp.route("/h/<code>/propose", methods=["GET", "POST"], endpoint="submit")
def submit_page(code):
    """Online proposal to a hearing; with ?ticket= the proposer's gender and age band come from the ticket."""
    hearing = public_hearing(code)
    token = request.args.get("ticket")
    if not token:
        return _propose(hearing, url_for(".submit", code=hearing.public_code),
                        done=lambda p: url_for(".public_page", proposal_id=p.id))  # fmt: skip
    participant = db.first_or_404(db.select(Participant).where(Participant.token == token))
    problem = _("This ticket is for another hearing.") if participant.hearing_id != hearing.id else None
    return _private(_propose(hearing, url_for(".submit", code=hearing.public_code, ticket=token),
                             participant=participant, ticket_problem=problem,
                             done=lambda p: url_for(".public_page", proposal_id=p.id)))  # fmt: skip


# -- an organisation's tracking link ---------------------------------------------------------------------
def tracked_organisation(token: str) -> Organisation:
    """The organisation whose current tracking token this is; an old (rotated) token is unknown."""
    organisation = db.first_or_404(db.select(Organisation).where(Organisation.tracking_token == token))
    g.public_municipality = organisation.municipality
    return organisation


@bp.route("/track/<token>")
def track(token):
    """An organisation's own dashboard: all its proposals across hearings and years, and where to propose."""
    organisation = tracked_organisation(token)
    proposals = db.session.scalars(
        db.select(Proposal).join(Hearing, Proposal.hearing_id == Hearing.id)
        .where(Proposal.organisation_id == organisation.id, Hearing.state != "draft")
        .order_by(Hearing.starts_at.desc(), Hearing.id, Proposal.id)
        .options(selectinload(Proposal.hearing).selectinload(Hearing.texts), selectinload(Proposal.settlement))
    ).all()  # fmt: skip
    by_hearing = [(hearing, list(items)) for hearing, items in groupby(proposals, key=lambda p: p.hearing)]
    open_hearings = db.session.scalars(
        db.select(Hearing).where(Hearing.municipality_id == organisation.municipality_id,
                                 Hearing.state.in_(OPEN_FOR_PROPOSALS)).order_by(Hearing.starts_at)
    ).all()  # fmt: skip
    view = _view(organisation.municipality)
    votes = {}  # what the vote decided, once a hearing's results are published
    for hearing, _items in by_hearing:
        if hearing.is_published:
            votes |= vote_results(hearing)
    body, status = _render("proposals/public/track.html", organisation=organisation, by_hearing=by_hearing,
                           proposals=proposals, open_hearings=open_hearings, view=view, votes=votes,
                           municipality=organisation.municipality,
                           overdue_count=sum(1 for p in proposals if view.overdue(p)),
                           answered_count=sum(1 for p in proposals if p.is_answered))  # fmt: skip
    return _private(make_response(body, status))


@bp.route("/track/<token>/propose/<code>", methods=["GET", "POST"])
def track_submit(token, code):
    """Submit a proposal on behalf of the organisation to one of its municipality's open hearings."""
    organisation = tracked_organisation(token)
    hearing = public_hearing(code)
    if hearing.municipality_id != organisation.municipality_id:
        abort(404)
    return _private(_propose(hearing, url_for(".track_submit", token=token, code=hearing.public_code),
                             organisation=organisation, done=lambda p: url_for(".track", token=token)))  # fmt: skip


@bp.route("/track/<token>/feed.atom", endpoint="feed")
def feed_atom(token):
    """The organisation's Atom feed: every change to its proposals, newest first."""
    organisation = tracked_organisation(token)
    events = db.session.scalars(
        db.select(ProposalEvent).join(Proposal, ProposalEvent.proposal_id == Proposal.id)
        .join(Hearing, Proposal.hearing_id == Hearing.id)
        .where(Proposal.organisation_id == organisation.id, Hearing.state != "draft")
        .order_by(ProposalEvent.at.desc(), ProposalEvent.id.desc()).limit(FEED_ENTRIES)
    ).all()  # fmt: skip
    response = make_response(feed.organisation_feed(organisation, events))
    response.headers["Content-Type"] = feed.CONTENT_TYPE
    return _private(response)



# -- the public list -------------------------------------------------------------------------------------
@bp.route("/m/<slug>/proposals", endpoint="list")
def proposal_list(slug):
    """Every proposal of the municipality's public hearings, filtered by a plain GET form."""
    municipality = db.first_or_404(db.select(Municipality).where(Municipality.slug == slug))
    g.public_municipality = municipality
    locale = str(get_locale())
    hearings = db.session.scalars(
        db.select(Hearing).where(Hearing.municipality_id == municipality.id, Hearing.state != "draft")
        .order_by(Hearing.starts_at.desc())
    ).all()  # fmt: skip
    form = filter_form(municipality, [(h, _hearing_label(h, locale)) for h in hearings], request.args)
    form.validate()
    filters = form.active()
    number = min(max(request.args.get("page", 1, type=int), 1), MAX_PAGE)  # a huge page overflows the OFFSET
    page = db.paginate(_filtered(municipality, filters), page=number, per_page=PER_PAGE, error_out=False)
    args = {name: request.args[name] for name in filters}
    fragment = bool(request.headers.get("HX-Request")) and not request.headers.get("HX-Boosted") \
        and not request.headers.get("HX-History-Restore-Request")
    template = "proposals/public/_results.html" if fragment else "proposals/public/list.html"
    body, status = _render(template, municipality=municipality, form=form, page=page, args=args,
                           view=_view(municipality), locale=locale)  # fmt: skip
    response = make_response(body, status)
    response.vary.add("HX-Request")
    return response


def _hearing_label(hearing: Hearing, locale: str) -> str:
    text = hearing.best_text(locale)
    return f"{text.title if text else hearing.public_code} ({format_date(hearing.starts_at, 'd MMM y')})"


def _filtered(municipality: Municipality, filters: dict):
    """The query behind the list: the municipality's public proposals narrowed by each given filter."""
    query = (
        db.select(Proposal).join(Hearing, Proposal.hearing_id == Hearing.id)
        .outerjoin(Organisation, Proposal.organisation_id == Organisation.id)
        .where(Proposal.municipality_id == municipality.id, Hearing.state != "draft")
        .options(selectinload(Proposal.hearing).selectinload(Hearing.texts), selectinload(Proposal.settlement),
                 selectinload(Proposal.organisation))
        .order_by(Proposal.created_at.desc(), Proposal.id.desc())
    )  # fmt: skip
    if "hearing" in filters:
        query = query.where(Proposal.hearing_id == filters["hearing"])
    if "status" in filters:
        query = query.where(Proposal.status == filters["status"])
    if "category" in filters:
        query = query.where(Proposal.category == filters["category"])
    if "settlement" in filters:
        query = query.where(Proposal.settlement_id == filters["settlement"])
    if "beneficiary" in filters:  # a comma-separated column: match whole items only
        query = query.where((sa.literal(",") + Proposal.beneficiaries + sa.literal(",")).like(
            f"%,{filters['beneficiary']},%"))  # fmt: skip
    if filters.get("proposer") == WOMENS_GROUP:
        query = query.where(Organisation.kind == "wag")
    elif filters.get("proposer") == OTHERS:
        query = query.where(sa.or_(Proposal.organisation_id.is_(None), Organisation.kind != "wag"))
    return query
