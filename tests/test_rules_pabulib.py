"""Reading and writing the pabulib format, on hand-made files and on every real election in ../shared."""

import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.rules.pabulib import Election, PabulibError, Project, Voter, load_pb, read_pb, write_pb

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "..", "shared", "data", "pabulib")
FILES = sorted(name for name in os.listdir(DATA) if name.endswith(".pb"))

SMALL = (
    "META\r\n"
    "key;value\r\n"
    'description;"Village PB; with a semicolon"\r\n'
    "budget;1000.50\r\n"
    "vote_type;cumulative\r\n"
    "rule;greedy\r\n"
    "PROJECTS\r\n"
    "project_id;cost;votes;score;name;category;selected\r\n"
    '1;600;2;7;"Well; stage II";water,health;1\r\n'
    '2;500;1;3;"The ""new"" road";roads;0\r\n'
    "VOTES\r\n"
    "voter_id;vote;points;age;sex;voting_method\r\n"
    "a;1,2;4,3;34;F;paper\r\n"
    "b;1;3;;M;internet\r\n"
)


def test_a_small_file_reads_into_plain_dataclasses():
    election = read_pb(SMALL)
    assert election.meta["description"] == "Village PB; with a semicolon"
    assert election.budget == 1000.5 and election.vote_type == "cumulative" and election.rule == "greedy"
    assert election.projects["1"] == Project("1", 600, "Well; stage II", 1,
                                             {"votes": "2", "score": "7", "category": "water,health"})  # fmt: skip
    assert election.projects["2"].name == 'The "new" road'
    assert election.voters == [
        Voter("a", ["1", "2"], [4, 3], 34, "F", {"voting_method": "paper"}),
        Voter("b", ["1"], [3], None, "M", {"voting_method": "internet"}),
    ]


def test_crlf_and_lf_line_endings_read_the_same():
    assert read_pb(SMALL) == read_pb(SMALL.replace("\r\n", "\n"))


def test_writing_quotes_only_fields_that_need_it_and_reads_back_identically():
    election = read_pb(SMALL)
    text = write_pb(election)
    assert '1;600;2;7;"Well; stage II";water,health;1\n' in text
    assert 'description;"Village PB; with a semicolon"\n' in text and "\r" not in text
    assert read_pb(text) == election


def test_optional_columns_are_left_out_when_nobody_has_them():
    election = Election({"budget": "10"}, {"p": Project("p", 5)}, [Voter("1", ["p"])])
    text = "META\nkey;value\nbudget;10\nPROJECTS\nproject_id;cost\np;5\nVOTES\nvoter_id;vote\n1;p\n"
    assert write_pb(election) == text
    assert read_pb(write_pb(election)) == election


def test_a_row_with_the_wrong_number_of_fields_is_refused():
    with pytest.raises(PabulibError, match="line 3"):
        read_pb("META\nkey;value\nbudget;10;extra\n")


def test_a_fractional_cost_a_missing_budget_or_a_missing_column_is_refused():
    with pytest.raises(PabulibError, match="cost must be a whole number"):
        read_pb("META\nkey;value\nbudget;10\nPROJECTS\nproject_id;cost\np;5.5\n")
    with pytest.raises(PabulibError, match="budget must be a number"):
        read_pb("META\nkey;value\nvote_type;approval\n")
    with pytest.raises(PabulibError, match="lacks vote"):
        read_pb("META\nkey;value\nbudget;10\nVOTES\nvoter_id;age\n")


@pytest.mark.parametrize("name", FILES, ids=FILES)
def test_every_real_file_reads_back_identically_after_writing(name):
    election = load_pb(os.path.join(DATA, name))
    assert election.projects and election.voters and election.budget > 0
    assert read_pb(write_pb(election)) == election


@pytest.mark.parametrize("name", ["Poland_Wieliczka_2023_Green_Budget.pb", "Poland_Czestochowa_2024_Mirow.pb",
                                  "Poland_Katowice_2020_Welnowiec-Jozefowiec.pb"])  # fmt: skip
def test_a_real_file_is_written_back_byte_for_byte_except_line_endings(name):
    with open(os.path.join(DATA, name), encoding="utf-8", newline="") as handle:
        text = handle.read()
    assert write_pb(read_pb(text)) == text.replace("\r\n", "\n")


ids = st.text("abcXYZ0123456789./-_", min_size=1, max_size=6)
words = st.text(st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]) | st.sampled_from(';"\n,'),
                max_size=12).map(str.strip)  # fmt: skip
names = words.filter(bool)
small = st.integers(0, 10**6)


@st.composite
def elections(draw):
    meta = {"budget": str(draw(small))} | draw(st.dictionaries(ids, words, max_size=3))
    project_ids = draw(st.lists(ids, min_size=1, max_size=5, unique=True))
    projects = {p: Project(p, draw(small), draw(st.none() | names), draw(st.none() | st.integers(0, 3)),
                           draw(st.dictionaries(st.sampled_from(["votes", "category", "x"]), names)))
                for p in project_ids}  # fmt: skip
    with_points = draw(st.booleans())
    voters = []
    for number in range(draw(st.integers(0, 6))):
        vote = draw(st.lists(st.sampled_from(project_ids), min_size=1, unique=True))
        points = [draw(small) for _ in vote] if with_points else None
        age, sex = draw(st.none() | st.integers(0, 99)), draw(st.none() | st.sampled_from(["F", "M"]))
        voters.append(Voter(str(number), vote, points, age, sex, draw(st.dictionaries(st.just("district"), names))))
    return Election(meta, projects, voters)


@settings(database=None, max_examples=60)
@given(elections())
def test_any_election_survives_a_round_trip(election):
    assert read_pb(write_pb(election)) == election
