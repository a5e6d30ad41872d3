"""Schedule checks made while a hearing is announced: notice, time window, languages, venue."""

from dataclasses import dataclass, field
from datetime import datetime

from app.rules.checks import MET, NOT_APPLICABLE, NOT_MET, Check


@dataclass(frozen=True)
class ScheduleSettings:
    """The municipality's figures for the schedule requirements."""

    notice_days: int = 10
    window_start_minute: int = 9 * 60
    window_end_minute: int = 17 * 60
    market_days: tuple[int, ...] = ()  # ISO weekdays, 1 = Monday
    required_languages: tuple[str, ...] = ()
    require_step_free_declared: bool = True
    require_childcare_declared: bool = True


@dataclass(frozen=True)
class ScheduleDraft:
    """What the clerk has entered so far, in the municipality's local time."""

    now: datetime
    starts: datetime | None = None
    ends: datetime | None = None
    languages: frozenset[str] = field(default_factory=frozenset)
    step_free: bool | None = None
    childcare: bool | None = None


def _minute(moment: datetime) -> int:
    return moment.hour * 60 + moment.minute


def _hhmm(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def check_notice(draft: ScheduleDraft, settings: ScheduleSettings) -> Check:
    """Announced at least `notice_days` whole days before the hearing starts."""
    if draft.starts is None:
        return Check("notice", NOT_APPLICABLE, {"required": settings.notice_days})
    days = (draft.starts.date() - draft.now.date()).days
    status = MET if days >= settings.notice_days else NOT_MET
    return Check("notice", status, {"days": days, "required": settings.notice_days})


def check_time(draft: ScheduleDraft, settings: ScheduleSettings) -> Check:
    """Starts and ends inside the window women can attend, on the same day, not a market day."""
    figures = {
        "window_start": _hhmm(settings.window_start_minute),
        "window_end": _hhmm(settings.window_end_minute),
    }
    if draft.starts is None or draft.ends is None:
        return Check("time", NOT_APPLICABLE, figures)
    figures |= {
        "start": _hhmm(_minute(draft.starts)),
        "end": _hhmm(_minute(draft.ends)),
        "market_day": draft.starts.isoweekday() in settings.market_days,
    }
    inside = (
        draft.starts.date() == draft.ends.date()
        and _minute(draft.starts) >= settings.window_start_minute
        and _minute(draft.ends) <= settings.window_end_minute
    )
    status = MET if inside and not figures["market_day"] else NOT_MET
    return Check("time", status, figures)


def check_languages(draft: ScheduleDraft, settings: ScheduleSettings) -> Check:
    """The announcement carries a title in every language the municipality requires."""
    missing = [code for code in settings.required_languages if code not in draft.languages]
    figures = {"required": list(settings.required_languages), "missing": missing}
    return Check("languages", NOT_MET if missing else MET, figures)


def check_venue(draft: ScheduleDraft, settings: ScheduleSettings) -> Check:
    """Step-free access and childcare are declared, yes or no."""
    undeclared = []
    if settings.require_step_free_declared and draft.step_free is None:
        undeclared.append("step_free")
    if settings.require_childcare_declared and draft.childcare is None:
        undeclared.append("childcare")
    figures = {"step_free": draft.step_free, "childcare": draft.childcare, "undeclared": undeclared}
    return Check("venue", NOT_MET if undeclared else MET, figures)


SCHEDULE_CHECKS = (check_notice, check_time, check_languages, check_venue)


def schedule_checks(draft: ScheduleDraft, settings: ScheduleSettings) -> list[Check]:
    """Every schedule check, in the order of the requirements table."""
    return [check(draft, settings) for check in SCHEDULE_CHECKS]
