"""The minutes (protocol) of a hearing assembled from its records, as plain text in the current locale.

Build it inside `flask_babel.force_locale(...)`: every label is resolved when the protocol is built, so the
HTML page and the PDF print exactly the same words. Every figure is suppressed as on the public results page
(the minutes are public once the hearing is published). The queries are aggregates: the number of
participants does not change how many are run.
"""

from dataclasses import dataclass, field

import sqlalchemy as sa
from babel.dates import format_date
from flask import get_template_attribute
from flask_babel import get_locale
from flask_babel import gettext as _
from markupsafe import Markup

from app.audit.service import publication_seal
from app.extensions import db
from app.hearings.forms import KIND_LABELS
from app.hearings.models import Hearing
from app.minutes.models import Question
from app.minutes.service import questions as hearing_questions
from app.organisations.models import KIND_LABELS as ORGANISATION_KINDS
from app.proposals import overview
from app.proposals.labels import STATUS_LABELS
from app.publication import service as publication
from app.publication.figures import attendance_figures
from app.registration.desk_forms import GENDER_GROUPS, PERSON_GENDER, SETTLEMENT_LABELS
from app.rules import suppression
from app.timeutil import utc_to_local
from app.voting import service as voting
from app.voting.clerk_forms import HAND_COLUMNS, RULE_LABELS
from app.voting.models import Outcome


@dataclass(frozen=True)
class Table:
    """A table as printed: a header row, body rows whose first cell names the row, an optional footer row."""

    head: list[str]
    rows: list[list[str]]
    foot: list[str] | None = None


@dataclass(frozen=True)
class QuestionEntry:
    """One question from the floor and its answer."""

    number: int
    text: str
    asker: str
    answered_by: str
    answer: str


@dataclass(frozen=True)
class ProposalEntry:
    """One proposal: who proposed it, the decision and its reason, and the votes by gender."""

    number: int
    title: str
    proposer: str
    status: str
    reason: str
    result: str  # "Adopted"/"Funded" by the vote, else ""
    summary: str  # the vote in words: "For 12, against 3, abstain 1" or "Score 40"
    votes: Table | None


@dataclass(frozen=True)
class CheckEntry:
    """One requirement of the checklist: its figure, verdict, and the written justification if any."""

    name: str
    text: str
    status: str
    justification: str


@dataclass(frozen=True)
class CorrectionEntry:
    """A change made after publication, with its reason."""

    on: str
    subject: str
    before: str
    after: str
    reason: str


@dataclass(frozen=True)
class Protocol:
    """Everything the minutes say, as text in one locale."""

    locale: str
    code: str
    municipality: str
    region: str
    kind: str
    title: str
    date: str
    time: str
    venue: str
    chair: str
    secretary: str
    checked_in: int
    attendance: Table
    settlements: Table
    threshold_note: str
    agenda: list[str]
    presentations: str
    questions: list[QuestionEntry]
    rule: str
    proposals: list[ProposalEntry]
    checks: list[CheckEntry]
    corrections: list[CorrectionEntry]
    signatures: list[tuple[str, str]] = field(default_factory=list)  # (role, name)
    seal: str = ""  # "event:hash" of the audit log's head at publication; empty before (see audit_chain)


def build(hearing: Hearing) -> Protocol:
    """The protocol of `hearing` in the current locale."""
    locale = str(get_locale())
    municipality = hearing.municipality
    tz = municipality.timezone
    starts, ends = utc_to_local(hearing.starts_at, tz), utc_to_local(hearing.ends_at, tz)
    text = hearing.best_text(locale)
    figures = attendance_figures(hearing)
    numbers = {}
    entries = []
    for number, question in enumerate(hearing_questions(hearing), start=1):
        numbers[question.id] = number
        entries.append(_question_entry(number, question))
    rule, proposals = _proposals(hearing)
    return Protocol(
        locale=locale, code=hearing.public_code, municipality=municipality.name, region=municipality.region,
        kind=str(KIND_LABELS[hearing.kind]), title=text.title if text else str(KIND_LABELS[hearing.kind]),
        date=format_date(starts.date(), "long", locale=locale),
        time=f"{starts:%H:%M}–{ends:%H:%M}",
        venue=", ".join(part for part in (hearing.venue, hearing.address) if part),
        chair=hearing.chair, secretary=hearing.secretary,
        checked_in=figures.attendance.total,
        attendance=_attendance_table(figures), settlements=_settlement_table(municipality, figures),
        threshold_note=_("Figures under %(n)d are shown as “<%(n)d”, and “×” marks a figure hidden so that they cannot "
                         "be worked out.", n=figures.threshold),
        agenda=[item.text for item in hearing.agenda], presentations=hearing.presentations,
        questions=entries, rule=rule, proposals=proposals, checks=_checks(hearing, figures),
        corrections=_corrections(hearing, numbers),
        signatures=[(_("Chair"), hearing.chair), (_("Secretary"), hearing.secretary)],
        seal=":".join(map(str, publication_seal(hearing) or ())),
    )  # fmt: skip


def _attendance_table(figures) -> Table:
    """Checked-in participants by age band (rows) and gender (columns), small cells suppressed."""
    cells, row_totals, column_totals, total = figures.table.labels()
    head = [_("Age"), *[str(GENDER_GROUPS[g]) for g in figures.genders], _("All")]
    rows = [[label, *row, row_total] for (_band, label), row, row_total in zip(figures.bands, cells, row_totals,
                                                                                strict=True)]  # fmt: skip
    return Table(head, rows, [_("All"), *column_totals, total])


def _settlement_table(municipality, figures) -> Table:
    """Checked-in participants by village or mahalla, small cells suppressed."""
    rows = [[name, label] for name, label in figures.settlements]
    return Table([str(SETTLEMENT_LABELS[municipality.settlement_kind]), _("Checked in")], rows,
                 [_("All"), figures.settlement_total])  # fmt: skip


def _question_entry(number: int, question: Question) -> QuestionEntry:
    """A logged question with its asker described as gender and age band."""
    asker = str(PERSON_GENDER.get(question.asker_gender, question.asker_gender))
    if question.asker_age_band is not None:
        asker = f"{asker}, {question.asker_age_band.label}"
    return QuestionEntry(number, question.text, asker, question.answered_by, question.answer)


# -- proposals and votes -------------------------------------------------------------------------


def _proposer(proposal) -> str:
    """Who proposed: the organisation's kind and name, else an individual."""
    organisation = proposal.organisation
    if organisation is None:
        return _("Individual")
    return f"{ORGANISATION_KINDS[organisation.kind]}: {organisation.name}"


def _vote_row(label: str, counts: list[int], threshold: int) -> tuple[list[str], int]:
    """One row of a vote table: the label, each gender's figure (suppressed) and the total (kept)."""
    shown, _total = suppression.suppress_counts_labelled(counts, threshold, keep_total=True)
    return [label, *shown, str(sum(counts))], sum(counts)


def _hand_votes(genders, hands, threshold) -> tuple[Table, str]:
    """The show of hands on one proposal: for, against and abstain by gender, and in words."""
    head = ["", *[str(GENDER_GROUPS[g]) for g in genders], _("All")]
    rows, totals = [], []
    for column, label in enumerate(HAND_COLUMNS.values()):
        row, total = _vote_row(str(label), [hands.get(g, (0, 0, 0))[column] for g in genders], threshold)
        rows.append(row)
        totals.append(total)
    summary = _("For %(yes)d, against %(no)d, abstained %(abstain)d", yes=totals[0], no=totals[1], abstain=totals[2])
    return Table(head, rows), summary


def _ballot_votes(genders, support: dict, score: int, threshold: int) -> tuple[Table, str]:
    """The ballots naming one proposal, by gender, and its score in words."""
    head = ["", *[str(GENDER_GROUPS[g]) for g in genders], _("All")]
    row, _total = _vote_row(_("Supporters"), [int(support.get(g, 0)) for g in genders], threshold)
    return Table(head, [row]), _("Score %(score)d", score=score)


def _vote_genders(hearing: Hearing, outcome: Outcome | None, show_of_hands: bool) -> list[str]:
    """The genders of the vote tables: a gender nobody of which was present (or voted) has only zeros."""
    if show_of_hands:
        present = voting.present_by_gender(hearing)
        for gender, n in ((outcome.breakdown or {}).get("voters_by_gender", {}) if outcome else {}).items():
            present[gender] = present.get(gender, 0) + n  # a paper ballot's voter need not be checked in
    else:
        present = (outcome.breakdown or {}).get("voters_by_gender", {})
    return [gender for gender in hearing.municipality.genders if present.get(gender)]


def _proposals(hearing: Hearing) -> tuple[str, list[ProposalEntry]]:
    """The voting rule, and every proposal of the hearing with its decision and votes."""
    outcome = db.session.scalar(sa.select(Outcome).where(Outcome.hearing_id == hearing.id))
    municipality = hearing.municipality
    threshold = municipality.small_cell_threshold
    show_of_hands = outcome is None or outcome.rule == "majority"
    hands = voting.hand_counts(hearing) if show_of_hands else {}
    by_gender = (outcome.breakdown or {}).get("by_gender", {}) if outcome is not None else {}
    selected = set(outcome.selected) if outcome is not None else set()
    genders = _vote_genders(hearing, outcome, show_of_hands)
    entries = []
    for number, proposal in enumerate(overview.hearing_proposals(hearing), start=1):
        key = str(proposal.id)
        votes = summary = None
        if show_of_hands and key in hands:
            votes, summary = _hand_votes(genders, hands[key], threshold)
            if outcome is not None and outcome.ballots:  # phones or paper beside the hands; the hands decide
                ballots, _total = _vote_row(_("Ballots"), [int(by_gender.get(key, {}).get(g, 0)) for g in genders],
                                            threshold)  # fmt: skip
                votes = Table(votes.head, [*votes.rows, ballots])
        elif not show_of_hands and (key in outcome.scores or key in by_gender):
            votes, summary = _ballot_votes(genders, by_gender.get(key, {}), int(outcome.scores.get(key, 0)),
                                           threshold)  # fmt: skip
        result = ""
        if proposal.id in selected:
            result = _("Adopted by the vote") if show_of_hands else _("Funded by the vote")
        entries.append(ProposalEntry(
            number, proposal.title, _proposer(proposal), str(STATUS_LABELS[proposal.status]), proposal.status_reason,
            result, summary or "", votes,
        ))  # fmt: skip
    rule = str(RULE_LABELS.get(outcome.rule, outcome.rule)) if outcome is not None else ""
    return rule, entries


# -- checklist and corrections -------------------------------------------------------------------


def _plain(markup) -> str:
    """A macro's output as plain text (tags dropped, entities resolved, spaces collapsed)."""
    return Markup(str(markup)).striptags()


def _checks(hearing: Hearing, figures) -> list[CheckEntry]:
    """The requirement checklist as the public sees it (no figure the tables hide), with the justifications."""
    from app.publication.results import public_checks

    check_text = get_template_attribute("publication/public/_macros.html", "public_check_text")
    status_label = get_template_attribute("_macros/checks.html", "status_label")
    requirement_name = get_template_attribute("_macros/checks.html", "requirement_name")
    reasons: dict[str, list[str]] = {}
    for justification in hearing.justifications:
        reasons.setdefault(justification.requirement, []).append(justification.text)
    return [
        CheckEntry(_plain(requirement_name(check.id)),
                   _plain(check_text(check, figures.threshold, figures.women, hearing.currency)),
                   _plain(status_label(check)), "\n".join(reasons.get(check.id, [])))
        for check in public_checks(hearing, figures, hearing.municipality.genders)
    ]  # fmt: skip


def _subject(subject: str, numbers: dict[int, int]) -> str:
    """What a correction changed, in words (questions by their number in the minutes)."""
    names = {"chair": _("Chair"), "secretary": _("Secretary"), "presentations": _("Presentations")}
    if subject in names:
        return names[subject]
    kind, _sep, key = subject.partition(":")
    number = numbers.get(int(key), 0) if key.isdigit() else 0
    if kind == "question":
        return _("Question %(number)d", number=number)
    if kind == "answer":
        return _("Answer to question %(number)d", number=number)
    return subject


def _corrections(hearing: Hearing, numbers: dict[int, int]) -> list[CorrectionEntry]:
    """The corrections after publication, oldest first, dated in the municipality's calendar."""
    tz, locale = hearing.municipality.timezone, str(get_locale())
    return [
        CorrectionEntry(format_date(utc_to_local(c.at, tz).date(), "medium", locale=locale),
                        _subject(c.subject, numbers), c.before, c.after, c.reason)
        for c in publication.corrections(hearing)
    ]  # fmt: skip
