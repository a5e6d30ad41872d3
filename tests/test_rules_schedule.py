"""The schedule checks, on plain data."""

from datetime import datetime

from app.rules.checks import MET, NOT_APPLICABLE, NOT_MET
from app.rules.schedule import ScheduleDraft, ScheduleSettings, schedule_checks

NOW = datetime(2026, 11, 2, 9, 0)
SETTINGS = ScheduleSettings(required_languages=("ky", "ru"))


def checks(**draft):
    return {c.id: c for c in schedule_checks(ScheduleDraft(now=NOW, **draft), SETTINGS)}


def test_ten_days_of_notice_is_enough_and_nine_is_not():
    assert checks(starts=datetime(2026, 11, 12, 10))["notice"].status == MET
    nine = checks(starts=datetime(2026, 11, 11, 10))["notice"]
    assert nine.status == NOT_MET
    assert nine.figures == {"days": 9, "required": 10}


def test_notice_is_not_applicable_without_a_date():
    assert checks()["notice"].status == NOT_APPLICABLE


def test_a_hearing_inside_the_window_meets_the_time_requirement():
    result = checks(starts=datetime(2026, 11, 20, 9), ends=datetime(2026, 11, 20, 17))["time"]
    assert result.status == MET
    assert result.figures["start"] == "09:00"


def test_an_evening_hearing_misses_the_window():
    assert checks(starts=datetime(2026, 11, 20, 16), ends=datetime(2026, 11, 20, 18))["time"].status == NOT_MET


def test_a_market_day_fails_the_time_requirement():
    settings = ScheduleSettings(market_days=(5,))  # Friday
    friday = ScheduleDraft(now=NOW, starts=datetime(2026, 11, 20, 10), ends=datetime(2026, 11, 20, 12))
    result = {c.id: c for c in schedule_checks(friday, settings)}["time"]
    assert result.status == NOT_MET
    assert result.figures["market_day"] is True


def test_missing_russian_title_fails_languages():
    result = checks(languages=frozenset({"ky"}))["languages"]
    assert result.status == NOT_MET
    assert result.figures["missing"] == ["ru"]
    assert checks(languages=frozenset({"ky", "ru"}))["languages"].status == MET


def test_venue_needs_both_provisions_declared_even_as_no():
    assert checks(step_free=False, childcare=False)["venue"].status == MET
    undeclared = checks(step_free=True)["venue"]
    assert undeclared.status == NOT_MET
    assert undeclared.figures["undeclared"] == ["childcare"]


def test_checks_come_in_the_order_of_the_requirements_table():
    assert list(checks()) == ["notice", "time", "languages", "venue"]
