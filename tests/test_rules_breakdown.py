"""Attendance breakdowns and the share and data requirements, on plain counts."""

from app.rules.breakdown import attendance, check_data, check_share
from app.rules.checks import MET, NOT_APPLICABLE, NOT_MET

BANDS = [1, 2, 3, 4]
VILLAGES = [10, 11]


def test_grouped_counts_fold_into_gender_band_and_settlement_totals():
    counts = {("female", 2, 10): 30, ("male", 3, 10): 50, ("female", 1, None): 5, ("undisclosed", None, 11): 3}
    result = attendance(counts, BANDS, VILLAGES)
    assert result.total == 88
    assert result.by_gender == {"female": 35, "male": 50, "other": 0, "undisclosed": 3}
    assert result.by_age_band == [(1, 5), (2, 30), (3, 50), (4, 0), (None, 3)]
    assert result.by_settlement == [(10, 80), (11, 3), (None, 5)]
    assert result.recorded == 85


def test_women_share_meets_the_target_at_exactly_thirty_percent():
    result = attendance({("female", 1, None): 30, ("male", 1, None): 70}, BANDS, VILLAGES)
    check = check_share(result, 30)
    assert check.status == MET and check.figures == {"women": 30, "total": 100, "target": 30, "percent": 30}
    fewer = attendance({("female", 1, None): 29, ("male", 1, None): 71}, BANDS, VILLAGES)
    assert check_share(fewer, 30).status == NOT_MET


def test_an_empty_hall_has_no_share_yet():
    empty = attendance({}, BANDS, VILLAGES)
    assert empty.total == 0 and empty.percent(0) == 0.0
    assert check_share(empty, 30).status == NOT_APPLICABLE
    assert check_data(empty, 90).status == NOT_APPLICABLE
    assert empty.by_age_band == [(1, 0), (2, 0), (3, 0), (4, 0)]


def test_data_completeness_counts_undisclosed_gender_and_missing_age_as_unrecorded():
    result = attendance({("female", 1, 10): 8, ("undisclosed", 1, 10): 1, ("male", None, 10): 1}, BANDS, VILLAGES)
    assert result.recorded == 8
    assert check_data(result, 90).status == NOT_MET
    assert check_data(result, 80).status == MET
