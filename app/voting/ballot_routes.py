"""The voter's ballot on the ticket page: fill it in, watch the running total, read the receipt."""

import functools
import re
from dataclasses import dataclass

import sqlalchemy as sa
from flask import abort, current_app, g, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.forms import AppForm
from app.hearings.models import Hearing
from app.proposals.models import Proposal
from app.registration.models import Participant
from app.security import configured, limiter, ticket_key
from app.voting import bp, service
from app.voting.models import Ballot, VotingSetup


@functools.cache
def _ticket_statement():
    """The ticket with its hearing and municipality, built on first use (the mappers are complete by then)."""
    return sa.select(Participant).where(Participant.token == sa.bindparam("token")).options(
        joinedload(Participant.hearing).joinedload(Hearing.municipality))


# Every ballot request runs this: built once, since building a statement costs more than running it.
_BALLOT = sa.select(Ballot).where(Ballot.hearing_id == sa.bindparam("hearing_id"),
                                  Ballot.participant_id == sa.bindparam("participant_id"))  # fmt: skip
NUMBER_FIELD = {"cumulative": re.compile(r"points-(\d+)"), "ranking": re.compile(r"place-(\d+)")}


class BallotForm(AppForm):
    """The ballot's CSRF token; the choices are read per project from the request."""


@dataclass(frozen=True)
class Tally:
    """What the running total line says: the chosen count, their cost, the points given."""

    chosen: int
    cost: int
    spent: int

    def fits(self, hearing: Hearing, setup: VotingSetup) -> bool:
        """Within the envelope (knapsack) and the points (cumulative)."""
        if setup.ballot_kind == "knapsack" and hearing.envelope is not None:
            return self.cost <= int(hearing.envelope)
        if setup.ballot_kind == "cumulative" and setup.points is not None:
            return self.spent <= setup.points
        return True


@bp.app_template_global()
def ballot_open_for(participant: Participant) -> bool:
    """The ticket page shows the Vote button only while this ticket can vote."""
    hearing = participant.hearing
    return hearing.state == "voting" and service.may_vote(hearing, participant)


def _ticket(token: str) -> Participant:
    """The registered ticket of a public hearing; the token is the key."""
    participant = db.session.scalar(_ticket_statement(), {"token": token})
    if participant is None:
        abort(404)
    if not participant.hearing.is_public or participant.is_blank:
        abort(404)
    g.public_municipality = participant.hearing.municipality
    return participant


def _private(response):
    """The token is the ticket: keep it out of Referer headers, search engines and shared caches."""
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex"
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _page(template: str, participant: Participant, status: int = 200, **context):
    hearing = participant.hearing
    body = render_template(template, participant=participant, hearing=hearing, municipality=hearing.municipality,
                           text=hearing.best_text(str(get_locale())), cost_of=service.cost_of, **context)  # fmt: skip
    return _private(current_app.make_response((body, status)))


def _ballot_of(participant: Participant) -> Ballot | None:
    return db.session.scalar(_BALLOT, {"hearing_id": participant.hearing_id, "participant_id": participant.id})


def _choices_from(form, kind: str) -> dict[int, int]:
    """The ballot as {proposal id: value}; every id the form names goes to the service, which refuses strangers."""
    if kind in ("approval", "knapsack"):
        values = form.getlist("project")
        if not all(v.isascii() and v.isdigit() for v in values):  # "²".isdigit(), but int("²") fails
            raise service.VotingError(_("The ballot names a project that is not on it."))
        return {int(v): 1 for v in values}
    choices = {}
    for key, value in form.items():
        match = NUMBER_FIELD[kind].fullmatch(key)
        if match and value.strip():
            try:
                choices[int(match.group(1))] = int(value)
            except ValueError:
                raise service.VotingError(_("Enter whole numbers.")) from None
    return choices


def _tally(candidates: list[Proposal], choices: dict[int, int]) -> Tally:
    chosen = [p for p in candidates if choices.get(p.id, 0) > 0]
    return Tally(chosen=len(chosen), cost=sum(service.cost_of(p) for p in chosen),
                 spent=sum(choices[p.id] for p in chosen))  # fmt: skip


def _closed(participant: Participant, reason: str):
    """A clear page instead of the ballot; a refused POST answers 409."""
    status = 409 if request.method == "POST" else 200
    return _page("voting/ballot/closed.html", participant, status, reason=reason, ballot=_ballot_of(participant))


def _refusal(participant: Participant, ticket: bool = True) -> str | None:
    """Why this ticket cannot vote now, or None; `ticket=False` leaves the ticket's own right to service.cast."""
    hearing = participant.hearing
    if hearing.state != "voting":
        return "closed" if hearing.state == "closed" else "not_open"
    return None if not ticket or service.may_vote(hearing, participant) else "not_allowed"


@bp.route("/t/<token>/ballot", methods=["GET", "POST"])
@limiter.limit(configured("RATELIMIT_BALLOT"), methods=["POST"], key_func=ticket_key)
def ballot(token):
    """The ballot of the ticket's hearing while voting is open; sending it again replaces it."""
    participant = _ticket(token)
    hearing = participant.hearing
    refusal = _refusal(participant, ticket=request.method != "POST")  # cast checks a sent ballot's ticket
    if refusal:
        return _closed(participant, refusal)
    setup, form, problem, sent = service.setup_for(hearing), BallotForm(), None, None
    if form.validate_on_submit():
        try:
            sent = _choices_from(request.form, setup.ballot_kind)
            service.cast(hearing, participant, sent)
        except service.VotingError as error:
            db.session.rollback()
            if _refusal(participant):
                return _closed(participant, _refusal(participant))
            problem = error.message
        else:
            return redirect(url_for(".receipt", token=token), 303)
    existing = _ballot_of(participant)  # read only to draw the form: a ballot that was cast is not shown again
    choices = sent if sent is not None else {c.proposal_id: c.value for c in existing.choices} if existing else {}
    candidates = service.candidates(hearing)
    return _page("voting/ballot/ballot.html", participant, 422 if problem else 200, form=form, setup=setup,
                 candidates=candidates, choices=choices, tally=_tally(candidates, choices), problem=problem,
                 existing=existing, places=setup.rank_k or len(candidates))  # fmt: skip


@bp.route("/t/<token>/ballot/total", methods=["POST"])
def ballot_total(token):
    """The running total (htmx fragment): chosen projects, their cost against the envelope, points left."""
    participant = _ticket(token)
    hearing = participant.hearing
    refusal = _refusal(participant)
    setup = service.setup_for(hearing)
    try:
        choices = _choices_from(request.form, setup.ballot_kind) if not refusal else {}
    except service.VotingError:
        choices = {}
    tally = _tally(service.candidates(hearing), choices)
    return _page("voting/ballot/_total.html", participant, 409 if refusal else 200, setup=setup, tally=tally,
                 refusal=refusal)  # fmt: skip


@bp.route("/t/<token>/receipt")
def receipt(token):
    """What was recorded for this ticket, when, and how often it changed."""
    participant = _ticket(token)
    ballot = _ballot_of(participant)
    setup = service.setup_for(participant.hearing)
    rows = []
    if ballot is not None:
        values = {c.proposal_id: c.value for c in ballot.choices}
        proposals = db.session.scalars(sa.select(Proposal).where(Proposal.id.in_(values))).all()
        key = (lambda p: values[p.id]) if setup.ballot_kind == "ranking" else (lambda p: p.id)
        rows = [(p, values[p.id]) for p in sorted(proposals, key=key)]
    return _page("voting/ballot/receipt.html", participant, ballot=ballot, rows=rows, setup=setup,
                 total=sum(service.cost_of(p) for p, _ in rows), may_change=_refusal(participant) is None)  # fmt: skip
