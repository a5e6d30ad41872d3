"""Official answers: due dates, overdue flags, time to answer by proposer type, the `answers` check."""

import statistics
from dataclasses import dataclass
from datetime import date, timedelta

from app.rules.checks import MET, NOT_APPLICABLE, NOT_MET, Check

WOMENS_GROUP = "womens_group"
OTHERS = "others"


def answer_due(hearing_day: date, deadline_days: int) -> date:
    """The last day an answer is on time: the hearing's day plus the municipality's deadline."""
    return hearing_day + timedelta(days=deadline_days)


def is_overdue(due: date, answered_on: date | None, today: date) -> bool:
    """Unanswered after its due day."""
    return answered_on is None and today > due


@dataclass(frozen=True)
class AnswerRecord:
    """One proposal as the report needs it."""

    proposer_type: str  # WOMENS_GROUP or OTHERS
    submitted_on: date
    due: date
    answered_on: date | None


@dataclass(frozen=True)
class AnswerFigures:
    """Answers for one kind of proposer."""

    total: int
    answered: int
    on_time: int
    overdue: int
    median_days: float | None  # from submission to answer, over answered proposals


def answer_report(records: list[AnswerRecord], today: date) -> dict[str, AnswerFigures]:
    """Time to answer and punctuality for women's groups and for everyone else."""
    report = {}
    for kind in (WOMENS_GROUP, OTHERS):
        rows = [r for r in records if r.proposer_type == kind]
        answered = [r for r in rows if r.answered_on is not None]
        days = [(r.answered_on - r.submitted_on).days for r in answered]
        report[kind] = AnswerFigures(
            total=len(rows),
            answered=len(answered),
            on_time=sum(1 for r in answered if r.answered_on <= r.due),
            overdue=sum(1 for r in rows if is_overdue(r.due, r.answered_on, today)),
            median_days=statistics.median(days) if days else None,
        )
    return report


def check_answers(records: list[AnswerRecord], today: date) -> Check:
    """Every proposal from a women's group answered by its deadline."""
    figures = answer_report(records, today)[WOMENS_GROUP]
    data = {"total": figures.total, "on_time": figures.on_time, "overdue": figures.overdue,
            "late": figures.answered - figures.on_time, "pending": figures.total - figures.answered - figures.overdue}
    if figures.total == 0:
        return Check("answers", NOT_APPLICABLE, data)
    if data["overdue"] or data["late"]:
        return Check("answers", NOT_MET, data)
    if data["pending"]:
        return Check("answers", NOT_APPLICABLE, data)
    return Check("answers", MET, data)
