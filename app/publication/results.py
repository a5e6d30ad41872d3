"""A published hearing's public results, assembled once for the page, the open data and the summary.

Everything here is already suppressed: the raw counts of `AttendanceFigures.attendance` never leave it.
A constant number of queries whatever the number of participants, proposals or ballots.
"""

from dataclasses import dataclass, field

import sqlalchemy as sa
from flask import abort, current_app, url_for

from app.audit.service import publication_seal
from app.extensions import db
from app.hearings.models import SIGNED_KINDS, Hearing, HearingDocument
from app.hearings.public import public_hearing
from app.proposals import overview
from app.proposals.models import Proposal
from app.publication import service
from app.publication.figures import AttendanceFigures, attendance_figures
from app.publication.models import Correction
from app.rules import disclosure
from app.rules.checks import Check
from app.voting.models import Outcome
from app.voting.service import cost_of, hand_counts

MINUTES_LANGUAGES = ("ky", "ru", "uz", "en")


@dataclass
class ProposalResult:
    """One proposal as published: cost, decision, and its votes with the gender split suppressed."""

    proposal: Proposal
    cost: int
    candidate: bool  # counted in the vote
    place: int | None = None  # its place among the selected (adopted) ones
    score: int | None = None
    votes: disclosure.Split | None = None  # ballots naming it, by gender (beside the hands too, if any were cast)
    hands: dict[str, disclosure.Split] = field(default_factory=dict)  # show of hands: for/against/abstain

    @property
    def selected(self) -> bool:
        """Chosen by the rule (funded, or adopted by a show of hands)."""
        return self.place is not None

    @property
    def costed(self) -> bool:
        """The municipality or the proposer gave a cost (else `cost` is 0 only because nobody did)."""
        return self.proposal.cost is not None or self.proposal.estimated_cost is not None


@dataclass
class Results:
    """Everything the public sees of a published hearing."""

    hearing: Hearing
    genders: list[str]
    figures: AttendanceFigures
    outcome: Outcome | None
    proposals: list[ProposalResult]
    voters: disclosure.Split | None
    checks: list[Check]
    justifications: dict[str, dict[str, str]]  # requirement -> stage -> text
    corrections: list[Correction]
    documents: list[HearingDocument]
    seal: tuple[int, str] | None = None  # (event id, hash) of the audit log's head when it was published

    @property
    def threshold(self) -> int:
        """The municipality's small-cell threshold."""
        return self.figures.threshold

    @property
    def selected(self) -> list[ProposalResult]:
        """The selected proposals in the order the rule chose them."""
        return sorted((p for p in self.proposals if p.selected), key=lambda p: p.place)

    @property
    def allocated(self) -> int:
        """The cost of every selected proposal together."""
        return sum(p.cost for p in self.selected)

    @property
    def show_of_hands(self) -> bool:
        """Voted by a show of hands (majority), not by ballots."""
        return self.outcome is not None and self.outcome.rule == "majority"

    @property
    def women(self) -> int | None:
        """Women checked in as published (None when suppressed)."""
        return self.figures.table.column_totals[self.genders.index("female")]


def published_hearing(code: str) -> Hearing:
    """A hearing whose results are published; anything else is not found."""
    hearing = public_hearing(code)
    if not hearing.is_published:
        abort(404)
    return hearing


def _proposal_results(hearing: Hearing, outcome: Outcome | None, genders: list[str], threshold: int):
    proposals = overview.hearing_proposals(hearing)
    breakdown = (outcome.breakdown or {}) if outcome else {}
    by_gender = breakdown.get("by_gender", {})
    scores = outcome.scores if outcome else {}
    place = {str(p): n for n, p in enumerate(outcome.selected if outcome else (), start=1)}
    majority = outcome is not None and outcome.rule == "majority"
    hands = hand_counts(hearing) if majority else {}
    rows = []
    for proposal in proposals:
        key = str(proposal.id)
        candidate = key in by_gender or key in scores or key in place
        row = ProposalResult(proposal, cost_of(proposal), candidate, place.get(key))
        if candidate and majority:
            row.hands = disclosure.hand_splits(hands.get(key, {}), genders, threshold)
            if outcome.ballots:  # ballots on phones or paper beside the hands: shown, though the hands decide
                row.votes = disclosure.split(by_gender.get(key, {}), genders, threshold)
        elif candidate:
            row.score = int(scores.get(key, 0))
            row.votes = disclosure.split(by_gender.get(key, {}), genders, threshold)
        rows.append(row)
    rows.sort(key=lambda r: (not r.candidate, r.place is None, r.place or 0, -(r.score or 0), r.proposal.id))
    return rows


def vote_results(hearing: Hearing) -> dict[int, ProposalResult]:
    """Each proposal of a published hearing with its vote as the results page shows it, by proposal id."""
    outcome = db.session.scalar(sa.select(Outcome).where(Outcome.hearing_id == hearing.id))
    municipality = hearing.municipality
    rows = _proposal_results(hearing, outcome, municipality.genders, municipality.small_cell_threshold)
    return {row.proposal.id: row for row in rows}


def public_checks(hearing: Hearing, figures: AttendanceFigures, genders: list[str]) -> list[Check]:
    """The requirement checks with every figure the published tables hide hidden too."""
    table = figures.table
    women_shown = table.column_totals[genders.index("female")] is not None
    unrecorded = []
    if "undisclosed" in genders:
        unrecorded.append(table.column_totals[genders.index("undisclosed")])
    for (band_id, _), cells in zip(figures.bands, table.cells, strict=True):
        if band_id is None:
            unrecorded.extend(v for gender, v in zip(genders, cells, strict=True) if gender != "undisclosed")
    unrecorded_shown = all(v is not None for v in unrecorded)
    return [disclosure.public_check(check, figures.threshold, women_shown, unrecorded_shown)
            for check in service.requirement_checks(hearing)]  # fmt: skip


def public_results(hearing: Hearing) -> Results:
    """The published hearing's results, every figure suppressed as the public sees it."""
    municipality = hearing.municipality
    genders = municipality.genders
    figures = attendance_figures(hearing)
    outcome = db.session.scalar(sa.select(Outcome).where(Outcome.hearing_id == hearing.id))
    threshold = figures.threshold
    voters = None
    if outcome is not None and (outcome.rule != "majority" or outcome.ballots):
        voters = disclosure.split((outcome.breakdown or {}).get("voters_by_gender", {}), genders, threshold)
    justifications: dict[str, dict[str, str]] = {}
    for justification in hearing.justifications:
        justifications.setdefault(justification.requirement, {})[justification.stage] = justification.text
    documents = [doc for doc in hearing.documents if doc.kind in SIGNED_KINDS and doc.is_public]
    return Results(
        hearing=hearing, genders=genders, figures=figures, outcome=outcome,
        proposals=_proposal_results(hearing, outcome, genders, threshold), voters=voters,
        checks=public_checks(hearing, figures, genders), justifications=justifications,
        corrections=service.corrections(hearing), documents=documents, seal=publication_seal(hearing),
    )  # fmt: skip


def minutes_links(hearing: Hearing, languages: list[str]) -> list[tuple[str, str | None, str | None]]:
    """(language, page address, PDF address) for the minutes, where those pages exist in this build."""
    views = current_app.view_functions
    links = []
    for lang in [code for code in languages if code in MINUTES_LANGUAGES] or ["en"]:
        page = url_for("minutes.public_view", code=hearing.public_code, lang=lang) if "minutes.public_view" in views \
            else None  # fmt: skip
        pdf = url_for("minutes.public_pdf", code=hearing.public_code, lang=lang) if "minutes.public_pdf" in views \
            else None  # fmt: skip
        if page or pdf:
            links.append((lang, page, pdf))
    return links
