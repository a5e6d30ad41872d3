"""The gender-responsive requirements engine, on plain facts."""

from datetime import date, datetime, timedelta

from app.rules.answers import WOMENS_GROUP, AnswerRecord, answer_due
from app.rules.breakdown import attendance
from app.rules.checks import MET, NOT_APPLICABLE, NOT_MET, REPORTED, Check
from app.rules.requirements import (
    REQUIREMENT_IDS,
    AllocationRecord,
    ConsultationRecord,
    HearingFacts,
    QuestionRecord,
    RequirementSettings,
    check_budget,
    check_consultation,
    check_publish,
    check_voice,
    evaluate,
)
from app.rules.schedule import ScheduleDraft, ScheduleSettings

HEARING = date(2026, 11, 20)
ANNOUNCED = ScheduleDraft(
    now=datetime(2026, 11, 2, 9, 0),
    starts=datetime(2026, 11, 20, 10, 0),
    ends=datetime(2026, 11, 20, 12, 0),
    languages=frozenset({"ky", "ru"}),
    step_free=True,
    childcare=False,
)
SETTINGS = RequirementSettings(schedule=ScheduleSettings(required_languages=("ky", "ru")))


def facts(kind="budget_draft", **overrides):
    return HearingFacts(kind=kind, schedule=ANNOUNCED, hearing_day=HEARING, **overrides)


def results(settings=SETTINGS, **overrides):
    return {check.id: check for check in evaluate(facts(**overrides), settings)}


def women_and_men(women, men):
    return attendance({("female", 1, None): women, ("male", 1, None): men}, [1], [])


def consultation(held_on, women=8, total=10, kind="wag_meeting"):
    return ConsultationRecord(held_on=held_on, kind=kind, women=women, total=total)


def test_defaults_follow_the_requirements_table():
    settings = RequirementSettings()
    assert settings.schedule == ScheduleSettings()
    assert settings.consultation_required is True
    assert (settings.women_share_target, settings.data_completeness_target, settings.publish_within_days) == (30, 90, 7)


def test_evaluate_returns_one_check_per_requirement_in_table_order():
    checks = evaluate(facts(), SETTINGS)
    assert [check.id for check in checks] == list(REQUIREMENT_IDS)
    assert len(checks) == 11


def test_schedule_requirements_come_from_the_announcement():
    checks = results()
    assert checks["notice"] == Check("notice", MET, {"days": 18, "required": 10})
    assert checks["time"].status == checks["venue"].status == checks["languages"].status == MET
    late = results(settings=RequirementSettings(schedule=ScheduleSettings(notice_days=19)))
    assert late["notice"].status == NOT_MET


def test_a_reported_figure_does_not_count_as_unmet():
    assert Check("voice", REPORTED).met
    assert Check("share", NOT_APPLICABLE).met and not Check("share", NOT_MET).met


def test_a_women_consultation_before_the_hearing_meets_the_requirement():
    early = consultation(date(2026, 11, 5), women=6, total=9, kind="focus_group")
    check = results(consultations=(consultation(date(2026, 11, 1)), early))["consultation"]
    assert check.status == MET
    assert check.figures == {"count": 2, "women": 14, "total": 19, "last_held_on": "2026-11-05", "required": True}


def test_a_consultation_on_the_hearing_day_still_counts():
    assert results(consultations=(consultation(HEARING),))["consultation"].status == MET


def test_a_consultation_after_the_hearing_day_does_not_count():
    check = results(consultations=(consultation(HEARING + timedelta(days=1)),))["consultation"]
    assert check.status == NOT_MET
    assert check.figures == {"count": 0, "women": 0, "total": 0, "last_held_on": None, "required": True}


def test_a_consultation_without_women_does_not_count():
    assert results(consultations=(consultation(date(2026, 11, 5), women=0),))["consultation"].status == NOT_MET


def test_a_budget_report_needs_a_consultation_too():
    assert results(kind="budget_report")["consultation"].status == NOT_MET


def test_consultation_is_not_required_outside_budget_hearings():
    for kind in ("participatory_budget", "general"):
        check = results(kind=kind)["consultation"]
        assert check.status == NOT_APPLICABLE and check.figures["required"] is False
    held = facts(kind="general", consultations=(consultation(date(2026, 11, 5)),))
    assert check_consultation(held, SETTINGS).status == MET


def test_a_municipality_can_turn_the_consultation_requirement_off():
    check = results(settings=RequirementSettings(consultation_required=False))["consultation"]
    assert check.status == NOT_APPLICABLE and check.figures["required"] is False


def test_before_anyone_checks_in_share_and_data_have_nothing_to_judge():
    checks = results()
    assert checks["share"] == Check("share", NOT_APPLICABLE, {"women": 0, "total": 0, "target": 30, "percent": 0})
    assert checks["data"] == Check("data", NOT_APPLICABLE, {"recorded": 0, "total": 0, "target": 90, "percent": 0})


def test_an_empty_hall_has_no_share_either():
    assert results(attendance=women_and_men(0, 0))["share"].status == NOT_APPLICABLE


def test_thirty_women_in_a_hundred_meet_the_share_and_twenty_nine_do_not():
    assert results(attendance=women_and_men(30, 70))["share"].status == MET
    assert results(attendance=women_and_men(29, 71))["share"].status == NOT_MET


def test_the_share_target_is_a_setting():
    stricter = RequirementSettings(women_share_target=40)
    assert results(settings=stricter, attendance=women_and_men(30, 70))["share"].status == NOT_MET


def test_ninety_percent_recorded_meets_the_data_requirement_and_eighty_nine_does_not():
    def recorded(known, unknown):
        return attendance({("female", 1, None): known, ("undisclosed", 1, None): unknown}, [1], [])

    assert results(attendance=recorded(90, 10))["data"].status == MET
    assert results(attendance=recorded(89, 11))["data"].status == NOT_MET


def test_voice_reports_the_womens_share_of_questions_with_a_known_asker():
    asked = [QuestionRecord(g) for g in ("female", "female", "male", "other", "undisclosed")]
    check = check_voice(asked)
    assert check == Check("voice", REPORTED, {"women": 2, "known": 4, "total": 5, "percent": 50})
    assert check_voice(asked[:3]).figures["percent"] == 67


def test_voice_with_no_questions_is_not_applicable():
    assert check_voice([]) == Check("voice", NOT_APPLICABLE, {"women": 0, "known": 0, "total": 0, "percent": 0})


def test_voice_when_no_asker_said_their_gender_is_still_reported():
    check = check_voice([QuestionRecord("undisclosed")] * 3)
    assert check == Check("voice", REPORTED, {"women": 0, "known": 0, "total": 3, "percent": 0})


def test_evaluate_reports_voice_from_the_questions():
    assert results(questions=(QuestionRecord("female"),))["voice"].status == REPORTED


def test_answers_are_judged_on_today_which_defaults_to_the_hearing_day():
    due = answer_due(HEARING, 30)
    pending = (AnswerRecord(WOMENS_GROUP, submitted_on=date(2026, 11, 10), due=due, answered_on=None),)
    assert results(answers=pending)["answers"].status == NOT_APPLICABLE
    overdue = results(answers=pending, today=due + timedelta(days=1))["answers"]
    assert overdue.status == NOT_MET and overdue.figures["overdue"] == 1
    assert results()["answers"].status == NOT_APPLICABLE


def test_budget_reports_the_share_allocated_to_proposals_benefiting_women():
    allocated = [AllocationRecord(300, True), AllocationRecord(650, False), AllocationRecord(50, False)]
    assert check_budget(allocated) == Check("budget", REPORTED, {"women_amount": 300, "total_amount": 1000,
                                                                 "percent": 30})  # fmt: skip
    assert results(allocations=tuple(allocated))["budget"].status == REPORTED


def test_budget_with_nothing_allocated_is_not_applicable():
    empty = {"women_amount": 0, "total_amount": 0, "percent": 0}
    assert check_budget([]) == Check("budget", NOT_APPLICABLE, empty)
    assert check_budget([AllocationRecord(0, True)]).status == NOT_APPLICABLE


def test_publishing_on_the_seventh_day_is_in_time_and_the_eighth_is_not():
    on_time = check_publish(HEARING, HEARING + timedelta(days=7), HEARING + timedelta(days=30), 7)
    assert on_time == Check("publish", MET, {"days": 7, "within": 7, "days_left": None})
    assert check_publish(HEARING, HEARING + timedelta(days=8), HEARING + timedelta(days=8), 7).status == NOT_MET
    assert check_publish(HEARING, HEARING, HEARING, 7).status == MET


def test_unpublished_results_are_pending_until_the_deadline_passes():
    last_day = check_publish(HEARING, None, HEARING + timedelta(days=7), 7)
    assert last_day == Check("publish", NOT_APPLICABLE, {"days": None, "within": 7, "days_left": 0})
    late = check_publish(HEARING, None, HEARING + timedelta(days=8), 7)
    assert late == Check("publish", NOT_MET, {"days": None, "within": 7, "days_left": -1})
    assert check_publish(HEARING, None, HEARING - timedelta(days=3), 7).figures["days_left"] == 10


def test_evaluate_uses_the_publication_deadline_from_settings():
    settings = RequirementSettings(publish_within_days=3)
    assert results(settings=settings, published_on=HEARING + timedelta(days=4))["publish"].status == NOT_MET
    assert results(today=HEARING + timedelta(days=8))["publish"].status == NOT_MET
    assert results()["publish"].figures == {"days": None, "within": 7, "days_left": 7}


def test_a_hearing_that_does_everything_meets_every_requirement():
    answered = AnswerRecord(WOMENS_GROUP, date(2026, 11, 10), answer_due(HEARING, 30), date(2026, 11, 25))
    checks = evaluate(
        facts(
            attendance=women_and_men(40, 60),
            consultations=(consultation(date(2026, 11, 5)),),
            questions=(QuestionRecord("female"), QuestionRecord("male")),
            answers=(answered,),
            allocations=(AllocationRecord(100, True),),
            published_on=date(2026, 11, 24),
            today=date(2026, 12, 1),
        ),
        SETTINGS,
    )
    assert all(check.met for check in checks)
    assert {check.id for check in checks if check.status == REPORTED} == {"voice", "budget"}
    assert {check.status for check in checks} == {MET, REPORTED}
