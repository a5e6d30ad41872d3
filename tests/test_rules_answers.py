"""Answer deadlines, overdue flags, the time-to-answer report and the `answers` check, on plain data."""

from datetime import date

from app.rules.answers import OTHERS, WOMENS_GROUP, AnswerRecord, answer_due, answer_report, check_answers, is_overdue
from app.rules.checks import MET, NOT_APPLICABLE, NOT_MET

HEARING = date(2026, 11, 2)
DUE = answer_due(HEARING, 30)


def record(kind, answered=None, submitted=date(2026, 10, 25)):
    return AnswerRecord(proposer_type=kind, submitted_on=submitted, due=DUE, answered_on=answered)


def test_the_deadline_counts_from_the_hearing_day():
    assert DUE == date(2026, 12, 2)


def test_overdue_means_unanswered_after_the_due_day():
    assert not is_overdue(DUE, None, DUE)
    assert is_overdue(DUE, None, date(2026, 12, 3))
    assert not is_overdue(DUE, date(2026, 12, 20), date(2026, 12, 30))


def test_report_separates_womens_groups_from_the_others():
    records = [
        record(WOMENS_GROUP, date(2026, 11, 4)),
        record(WOMENS_GROUP, date(2026, 12, 10)),
        record(WOMENS_GROUP, None),
        record(OTHERS, date(2026, 11, 14)),
    ]
    report = answer_report(records, today=date(2026, 12, 15))
    women = report[WOMENS_GROUP]
    assert (women.total, women.answered, women.on_time, women.overdue) == (3, 2, 1, 1)
    assert women.median_days == (10 + 46) / 2
    assert report[OTHERS].median_days == 20 and report[OTHERS].overdue == 0


def test_answers_check_needs_every_womens_group_proposal_answered_in_time():
    today = date(2026, 12, 15)
    assert check_answers([record(OTHERS, None)], today).status == NOT_APPLICABLE
    assert check_answers([record(WOMENS_GROUP, date(2026, 11, 20))], today).status == MET
    late = check_answers([record(WOMENS_GROUP, date(2026, 12, 10))], today)
    assert late.status == NOT_MET and late.figures["late"] == 1
    assert check_answers([record(WOMENS_GROUP, None)], today).figures["overdue"] == 1
    waiting = check_answers([record(WOMENS_GROUP, None)], date(2026, 11, 20))
    assert waiting.status == NOT_APPLICABLE and waiting.figures["pending"] == 1
