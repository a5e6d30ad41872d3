"""What the public checklist and vote splits may show: pure rules over plain figures."""

from app.rules import disclosure
from app.rules.checks import MET, NOT_MET, REPORTED, Check
from app.rules.suppression import recoverable


def test_the_women_share_is_hidden_when_the_table_hides_the_number_of_women():
    share = Check("share", NOT_MET, {"women": 12, "total": 60, "target": 30, "percent": 20})
    hidden = disclosure.public_check(share, 5, women_shown=False)
    assert hidden.figures["women"] is None and hidden.figures["percent"] is None
    assert hidden.figures["total"] == 60 and hidden.figures["suppressed"] == ["women", "percent"]
    assert disclosure.public_check(share, 5, women_shown=True) == share


def test_a_small_number_of_women_is_hidden_even_if_the_table_would_show_it():
    share = Check("share", NOT_MET, {"women": 4, "total": 60, "target": 30, "percent": 7})
    assert disclosure.public_check(share, 5).figures["women"] is None


def test_data_completeness_is_hidden_when_few_people_lack_a_gender_or_age():
    data = Check("data", MET, {"recorded": 57, "total": 60, "target": 90, "percent": 95})
    assert disclosure.public_check(data, 5).figures["recorded"] is None
    whole = Check("data", MET, {"recorded": 60, "total": 60, "target": 90, "percent": 100})
    assert disclosure.public_check(whole, 5) == whole  # nobody unrecorded: nothing small to hide
    assert disclosure.public_check(whole, 5, unrecorded_shown=False).figures["percent"] is None


def test_voice_and_consultation_counts_under_the_threshold_are_hidden():
    voice = Check("voice", REPORTED, {"women": 2, "known": 10, "total": 11, "percent": 20})
    assert disclosure.public_check(voice, 5).figures["women"] is None
    consultation = Check("consultation", MET, {"count": 1, "women": 14, "total": 17, "last_held_on": "2025-01-01",
                                               "required": True})  # fmt: skip
    masked = disclosure.public_check(consultation, 5).figures
    assert masked["women"] is None and masked["total"] is None and masked["count"] == 1


def test_a_vote_split_keeps_its_total_and_hides_a_lone_small_part_with_a_complement():
    split = disclosure.split({"female": 12, "male": 3, "undisclosed": 0}, ["female", "male", "undisclosed"], 5)
    assert split.total == 15 and split.parts["male"] is None
    assert split.labels == {"female": "×", "male": "<5", "undisclosed": "0"}  # the zero is shown, not a complement
    assert recoverable(split.as_table()) == set()


def test_hands_are_split_per_column_and_every_total_stays():
    hands = disclosure.hand_splits({"female": (10, 2, 0), "male": (3, 6, 1)}, ["female", "male"], 5)
    assert [hands[c].total for c in disclosure.HAND_COLUMNS] == [13, 8, 1]
    assert recoverable(hands["for"].as_table()) == recoverable(hands["against"].as_table()) == set()
    assert hands["for"].parts["male"] is None
    assert hands["abstain"].labels == {"female": "0", "male": "<5"}  # 1 - 0: see the next test


def test_a_small_total_with_one_nonzero_part_gives_that_part_away():
    # Zeros are published, and a vote total is kept: "2, of them women 0" says 2 men. Nothing else can be
    # hidden to cover it; the part is still printed "<5", never as a number.
    abstain = disclosure.split({"female": 0, "male": 2}, ["female", "male"], 5)
    assert abstain.total == 2 and abstain.labels == {"female": "0", "male": "<5"}
    assert recoverable(abstain.as_table()) == {("cell", 0, 1), ("column", 1)}
    # With two non-zero parts the bounds of "<5" (1 to 4) leave it open.
    three = disclosure.split({"female": 0, "male": 2, "undisclosed": 1}, ["female", "male", "undisclosed"], 5)
    assert recoverable(three.as_table()) == set()


def test_a_total_of_nobody_shows_its_parts_as_nobody():
    nobody = disclosure.split({}, ["female", "male"], 5)
    assert nobody.total == 0 and nobody.parts == {"female": 0, "male": 0}
    assert recoverable(nobody.as_table()) == set()
