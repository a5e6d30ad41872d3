"""The gender-responsive requirements of a hearing, each a check over plain facts."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from app.rules.answers import AnswerRecord, check_answers
from app.rules.breakdown import Attendance, attendance, check_data, check_share
from app.rules.checks import MET, NOT_APPLICABLE, NOT_MET, REPORTED, Check
from app.rules.schedule import (
    ScheduleDraft,
    ScheduleSettings,
    check_languages,
    check_notice,
    check_time,
    check_venue,
)

BUDGET_KINDS = ("budget_draft", "budget_report")

REQUIREMENT_IDS = (
    "notice", "time", "venue", "languages", "consultation", "share", "data", "voice", "answers", "budget", "publish",
)  # fmt: skip


@dataclass(frozen=True)
class RequirementSettings:
    """The municipality's figures for every requirement."""

    schedule: ScheduleSettings = ScheduleSettings()
    consultation_required: bool = True  # for budget hearings only
    women_share_target: int = 30
    data_completeness_target: int = 90
    publish_within_days: int = 7


@dataclass(frozen=True)
class ConsultationRecord:
    """A consultation with women before the hearing: a WAG meeting, a focus group or another kind."""

    held_on: date
    kind: str
    women: int
    total: int


@dataclass(frozen=True)
class QuestionRecord:
    """A question or a speaker, by the asker's gender."""

    gender: str  # female, male, other or undisclosed


@dataclass(frozen=True)
class AllocationRecord:
    """The amount allocated to one proposal, in whole currency units."""

    amount: int
    benefits_women: bool


@dataclass(frozen=True)
class HearingFacts:
    """Everything the requirements look at, for one hearing."""

    kind: str  # budget_draft, budget_report, participatory_budget or general
    schedule: ScheduleDraft  # as announced; schedule.now is the moment of the announcement
    hearing_day: date
    attendance: Attendance | None = None  # None before anyone can check in
    consultations: tuple[ConsultationRecord, ...] = ()
    questions: tuple[QuestionRecord, ...] = ()
    answers: tuple[AnswerRecord, ...] = ()
    allocations: tuple[AllocationRecord, ...] = ()
    published_on: date | None = None
    today: date | None = None  # the hearing day when None


def _percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


def check_consultation(facts: HearingFacts, settings: RequirementSettings) -> Check:
    """At least one consultation with women held on or before the hearing day."""
    held = [c for c in facts.consultations if c.held_on <= facts.hearing_day and c.women > 0]
    required = settings.consultation_required and facts.kind in BUDGET_KINDS
    figures = {
        "count": len(held),
        "women": sum(c.women for c in held),
        "total": sum(c.total for c in held),
        "last_held_on": max(c.held_on for c in held).isoformat() if held else None,
        "required": required,
    }
    if held:
        return Check("consultation", MET, figures)
    return Check("consultation", NOT_MET if required else NOT_APPLICABLE, figures)


def check_voice(questions: Sequence[QuestionRecord]) -> Check:
    """Women's share of the questions whose asker's gender is known."""
    known = [q for q in questions if q.gender != "undisclosed"]
    women = sum(1 for q in known if q.gender == "female")
    figures = {"women": women, "known": len(known), "total": len(questions), "percent": _percent(women, len(known))}
    return Check("voice", REPORTED if questions else NOT_APPLICABLE, figures)


def check_budget(allocations: Sequence[AllocationRecord]) -> Check:
    """Share of the allocated amount going to proposals that benefit women."""
    total = sum(a.amount for a in allocations)
    women = sum(a.amount for a in allocations if a.benefits_women)
    figures = {"women_amount": women, "total_amount": total, "percent": _percent(women, total)}
    return Check("budget", REPORTED if total else NOT_APPLICABLE, figures)


def check_publish(hearing_day: date, published_on: date | None, today: date, within_days: int) -> Check:
    """Results published within `within_days` days of the hearing."""
    if published_on is not None:
        days = (published_on - hearing_day).days
        figures = {"days": days, "within": within_days, "days_left": None}
        return Check("publish", MET if days <= within_days else NOT_MET, figures)
    days_left = within_days - (today - hearing_day).days
    figures = {"days": None, "within": within_days, "days_left": days_left}
    return Check("publish", NOT_MET if days_left < 0 else NOT_APPLICABLE, figures)


def evaluate(facts: HearingFacts, settings: RequirementSettings) -> list[Check]:
    """Every requirement, in the order of REQUIREMENT_IDS."""
    draft, schedule = facts.schedule, settings.schedule
    present = facts.attendance if facts.attendance is not None else attendance({}, [], [])
    today = facts.today if facts.today is not None else facts.hearing_day
    return [
        check_notice(draft, schedule),
        check_time(draft, schedule),
        check_venue(draft, schedule),
        check_languages(draft, schedule),
        check_consultation(facts, settings),
        check_share(present, settings.women_share_target),
        check_data(present, settings.data_completeness_target),
        check_voice(facts.questions),
        check_answers(list(facts.answers), today),
        check_budget(facts.allocations),
        check_publish(facts.hearing_day, facts.published_on, today, settings.publish_within_days),
    ]
