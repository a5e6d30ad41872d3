"""Outcome rules: hand-made elections, every real pabulib election, and properties of random elections."""

import os
from fractions import Fraction
from functools import cache

import pytest
from flask import Flask
from hypothesis import given, settings
from hypothesis import strategies as st

from app.pb_cli import init_app
from app.rules import mes
from app.rules.outcome import (
    FILE_RULES,
    Constraints,
    Profile,
    age_band,
    decide,
    election_outcome,
    equal_shares,
    gender_of,
    greedy,
    majority,
    profile,
    ranked,
    support,
    top_priorities,
)
from app.rules.pabulib import load_pb

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "..", "shared", "data", "pabulib")
FILES = sorted(name for name in os.listdir(DATA) if name.endswith(".pb"))

GREEDY_CUSTOM = ("greedy-custom: Poznań also funds the next project when the leftover covers 80% of it, from reserve "
                 "funds outside the budget (META comment)")  # fmt: skip
GREEDY_EXCLUSIVE = ("greedy-exclusive: a project incompatible with a funded one is skipped; which projects exclude "
                    "each other is in a report, not in the file")  # fmt: skip
BUDAPEST = "rule unknown: online votes only, half the votes were on paper and counted per neighbourhood (META comment)"
POZNAN = [
    "Poland_Poznan_2023_12_-_Antoninek-Zieliniec-Kobylepole_Glowna_Ostrow_Tumski-_Srodka-Zawady-Komandoria_"
    "Warszawskie-Pomet-Maltanskie.pb",
    "Poland_Poznan_2023_1_-_Nowe_Winogrady_Polnoc_Nowe_Winogrady_Poludnie_Nowe_Winogrady_Wschod_Stare_Winogrady.pb",
    "Poland_Poznan_2023_4_-_Gluszyna_Krzesiny-Pokrzywno-Garaszewo_Staroleka-Minikowo_Szczepankowo-Splawie-Krzesinki.pb",
    "Poland_Poznan_2023_8_-_Chartowo_Rataje_Zegrze.pb",
    "Poland_Poznan_2023_9_-_Stare_Miasto.pb",
    "Poland_Poznan_2024_7-_Morasko-Radojewo_Naramowice_Umultowo__small.pb",
    "Poland_Poznan_2026_11_-_Fabianowo-Kotowo_Gorczyn_Junikowo_Kwiatowe_Lawica__small.pb",
    "Poland_Poznan_2026_12_-_Antoninek-Zieliniec-Kobylepole_Glowna_Ostrow_Tumski-_Srodka-Zawady-Komandoria_"
    "Warszawskie-Pomet-Maltanskie__small.pb",
    "Poland_Poznan_2026_5_-_Grunwald_Polnoc_Grunwald_Poludnie_Stary_Grunwald__small.pb",
    "Poland_Poznan_2026_9_-_Stare_Miasto__large.pb",
]
WARSAW_EXCLUSIVE = [
    "Poland_Warszawa_2022_Bemowo.pb",
    "Poland_Warszawa_2024_Praga-Polnoc.pb",
    "Poland_Warszawa_2024_Srodmiescie.pb",
    "Poland_Warszawa_2024_Wilanow.pb",
    "Poland_Warszawa_2024_Zoliborz.pb",
]
NOT_RECOUNTED = {
    "Hungary_Budapest_2023_VIII_Jozsefvaros.pb": BUDAPEST,
    "Hungary_Budapest_2024_VIII_Jozsefvaros.pb": BUDAPEST,
    "Hungary_Budapest_2025_VIII_Jozsefvaros.pb": BUDAPEST,
    "Hungary_Budapest_2025_XI_Ujbuda.pb": "rule unknown: strict greedy within categories with fixed caps, then a "
    "global top-up, and about 1% paper votes missing (META comment)",
    "Hungary_Veszprem_2025.pb": "rule unknown: costs are price bands and the winners exceed the budget (META comment)",
    "Netherlands_Amsterdam_252.pb": "no selected column: the file has the votes but not the city's decision",
    "Poland_Warszawa_2020_Targowek.pb": "greedy, but project 1667 (1,012 votes) was not funded although it fits; "
    "the file does not say why (see the test below: without it the recount is exact)",
    "Switzerland_Zurich_D10.pb": "rule unknown and no selected column: a research survey, not an official vote",
}
NOT_RECOUNTED |= dict.fromkeys(POZNAN, GREEDY_CUSTOM) | dict.fromkeys(WARSAW_EXCLUSIVE, GREEDY_EXCLUSIVE)
# Recountable rule and a selected column, yet not reproducible for a reason the file does not encode.
UNEXPLAINED_IN_FILE = {"Poland_Warszawa_2020_Targowek.pb"}
RECOUNTED = [name for name in FILES if name not in NOT_RECOUNTED]


@cache
def election(name):
    return load_pb(os.path.join(DATA, name))


def official(name) -> set[str]:
    """The funded projects; Katowice marks with 2 a project funded outside the rule, so only 1 counts."""
    return {p.id for p in election(name).projects.values() if p.selected == 1}


def test_the_skip_list_is_exactly_the_files_the_format_cannot_express():
    cannot = {name for name in FILES if election(name).rule not in FILE_RULES
              or all(p.selected is None for p in election(name).projects.values())}  # fmt: skip
    assert set(NOT_RECOUNTED) == cannot | UNEXPLAINED_IN_FILE
    assert len(RECOUNTED) == 38


@pytest.mark.parametrize("name", RECOUNTED, ids=RECOUNTED)
def test_the_recount_funds_exactly_the_officially_selected_projects(name):
    result = election_outcome(election(name))
    assert set(result.selected) == official(name)
    assert result.cost <= election(name).budget


def test_targowek_2020_is_exact_once_the_unfunded_project_1667_is_left_out():
    name = "Poland_Warszawa_2020_Targowek.pb"
    ballots = profile((v.vote, v.points) for v in election(name).voters)
    costs = {p.id: p.cost for p in election(name).projects.values() if p.id != "1667"}
    assert set(greedy(costs, ballots.scores(), election(name).budget).selected) == official(name)


def test_wieliczka_keeps_raising_shares_past_the_first_exhaustive_outcome():
    result = election_outcome(election("Poland_Wieliczka_2023_Green_Budget.pb"))
    assert "46" in result.selected and not {"66", "67"} & set(result.selected)
    assert result.cost == 995_079 and result.compared == "mes"
    assert 315 < result.share < 316  # 151.84 per voter at the start, raised 164 times by 1 zł


def test_amsterdam_greedy_keeps_within_each_neighbourhood_budget():
    amsterdam = election("Netherlands_Amsterdam_252.pb")
    result = election_outcome(amsterdam)
    spent = {}
    for project in result.selected:
        neighbourhood = amsterdam.projects[project].extra["neighborhood"]
        spent[neighbourhood] = spent.get(neighbourhood, 0) + amsterdam.projects[project].cost
    assert spent and all(spent[n] <= limit for n, limit in
                         {"Oostelijke Eilanden": 150_000, "Haarlemmerhouttuinen": 100_000, "Other": 250_000}.items()
                         if n in spent)  # fmt: skip


def test_a_rule_the_format_cannot_express_is_refused():
    with pytest.raises(ValueError, match="greedy-custom"):
        election_outcome(election("Poland_Poznan_2023_9_-_Stare_Miasto.pb"))


# Hand-made elections

COSTS = {"a": 60, "b": 50, "c": 30}
SCORES = {"a": 5, "b": 4, "c": 3}


def test_greedy_skips_a_project_that_no_longer_fits_and_takes_the_next():
    assert greedy(COSTS, SCORES, 100).selected == ["a", "c"]


def test_greedy_no_skip_stops_at_the_first_project_that_does_not_fit():
    assert greedy(COSTS, SCORES, 100, skip=False).selected == ["a"]


def test_greedy_threshold_drops_projects_under_the_minimum_score_first():
    result = greedy(COSTS, SCORES, 100, Constraints(min_score=4))
    assert result.selected == ["a"] and result.excluded == {"c": "under_min_score"}


def test_ties_go_to_the_cheaper_project_then_to_the_one_listed_first():
    costs = {"x": 40, "y": 30, "z": 30}
    assert ranked(costs, costs, {"x": 7, "y": 7, "z": 7}) == ["y", "z", "x"]
    assert greedy(costs, {"x": 7, "y": 7, "z": 7}, 60).selected == ["y", "z"]


def test_a_project_without_points_is_never_funded():
    assert greedy({"a": 10, "b": 10}, {"a": 1}, 100).selected == ["a"]


def test_cost_cap_and_maximum_number_of_winners():
    uzbekistan = Constraints(min_winners=10, max_winners=30, max_project_cost=1_500_000_000)
    costs = {f"p{i}": 100_000_000 for i in range(40)} | {"big": 2_000_000_000}
    scores = {p: 1000 - i for i, p in enumerate(costs)} | {"big": 5000}
    result = greedy(costs, scores, 10**12, uzbekistan)
    assert len(result.selected) == 30 and "big" not in result.selected
    assert result.excluded == {"big": "over_cost_cap"} and result.meets_min_winners


def test_a_minimum_number_of_winners_keeps_room_for_cheaper_projects():
    costs, scores = {"a": 70, "b": 40, "c": 20, "d": 20}, {"a": 10, "b": 9, "c": 8, "d": 7}
    assert greedy(costs, scores, 100).selected == ["a", "c"]
    result = greedy(costs, scores, 100, Constraints(min_winners=3))
    assert result.selected == ["b", "c", "d"] and result.meets_min_winners
    assert not greedy(costs, scores, 30, Constraints(min_winners=3)).meets_min_winners


def test_majority_adopts_a_proposal_only_with_more_for_than_against():
    assert majority({"road": (12, 5), "park": (6, 6), "well": (0, 1)}) == {"road": True, "park": False, "well": False}


def test_ordinal_ballots_score_borda_points_from_max_length():
    ballots = profile([(["a", "b", "c"], None), (["b"], None)], "ordinal", max_length=3)
    assert ballots.scores() == {"a": 3, "b": 5, "c": 1} and ballots.supporters() == {"a": 1, "b": 2, "c": 1}


def test_cumulative_ballots_score_their_points():
    ballots = profile([(["a", "b"], [7, 3]), (["a", "b"], [7, 3]), (["b"], [10])], "cumulative")
    assert ballots.scores() == {"a": 14, "b": 16} and ballots.voters == 3 and len(ballots.groups) == 2


def red_and_blue():
    """51 voters want five red projects, 49 want five blue ones; money for five."""
    costs = {f"R{i}": 1000 for i in range(1, 6)} | {f"B{i}": 1000 for i in range(1, 6)}
    ballots = profile([([f"R{i}" for i in range(1, 6)], None)] * 51 + [([f"B{i}" for i in range(1, 6)], None)] * 49)
    return costs, ballots


def test_greedy_gives_a_51_percent_majority_everything():
    costs, ballots = red_and_blue()
    assert greedy(costs, ballots.scores(), 5000).selected == ["R1", "R2", "R3", "R4", "R5"]


def test_equal_shares_with_add1_is_proportional():
    costs, ballots = red_and_blue()
    result = equal_shares(costs, ballots, 5000)
    assert result.selected == ["R1", "R2", "R3", "B1", "B2"]
    assert result.share == 61  # 50 each at first; at 62 the blue voters could buy a third: 6,000 > 5,000


def test_equal_shares_without_add1_leaves_money_a_greedy_fill_spends():
    costs, ballots = red_and_blue()
    assert equal_shares(costs, ballots, 5000, add1=False).selected == ["R1", "R2", "B1", "B2"]
    assert equal_shares(costs, ballots, 5000, add1=False, fill=True).selected == ["R1", "R2", "B1", "B2", "R3"]


def test_the_comparison_step_takes_greedy_when_more_voters_prefer_it():
    costs, ballots = red_and_blue()
    result = equal_shares(costs, ballots, 5000, compare=True)
    assert result.compared == "greedy" and result.selected == ["R1", "R2", "R3", "R4", "R5"]


def test_equal_shares_ties_go_to_the_cheaper_project():
    ballots = profile([(["x", "y"], None)] * 4)
    assert equal_shares({"x": 40, "y": 20}, ballots, 40, add1=False).selected == ["y"]


def test_decide_refuses_unknown_rules_and_mes_options_on_greedy():
    costs, ballots = red_and_blue()
    with pytest.raises(ValueError, match="unknown rule"):
        decide("lottery", costs, ballots, 5000)
    with pytest.raises(ValueError, match="mes only"):
        decide("greedy", costs, ballots, 5000, fill=True)
    with pytest.raises(ValueError, match="minimum score"):
        decide("greedy-threshold", costs, ballots, 5000)


def test_support_by_gender_and_age_band_sets_womens_priorities_beside_mens():
    bands = [("18-29", 18, 29), ("30-59", 30, 59), ("60+", 60, None)]
    voters = [(["well", "school"], "F", 34), (["well"], "F", 70), (["road"], "M", 45), (["road", "well"], "M", 20),
              (["road"], None, None)]  # fmt: skip
    result = support(((vote, gender_of(sex), age_band(age, bands)) for vote, sex, age in voters),
                     ["road", "well", "school"], [label for label, _, _ in bands])  # fmt: skip
    assert result.by_gender["well"] == {"female": 2, "male": 1, "other": 0, "undisclosed": 0}
    assert result.by_age_band["road"] == {"18-29": 1, "30-59": 1, "60+": 0, None: 1}
    assert result.voters_by_gender == {"female": 2, "male": 2, "other": 0, "undisclosed": 1}
    assert top_priorities(result, k=2) == {"female": ["well", "school"], "male": ["road", "well"]}


def test_support_in_a_real_election_adds_up_to_each_projects_votes():
    podgorze = election("Poland_Krakow_2023_Podgorze.pb")
    bands = [("under 30", 0, 29), ("30-59", 30, 59), ("60+", 60, None)]
    result = support(((v.vote, gender_of(v.sex), age_band(v.age, bands)) for v in podgorze.voters),
                     list(podgorze.projects), [label for label, _, _ in bands])  # fmt: skip
    for project in podgorze.projects.values():
        votes = int(project.extra["votes"])
        assert sum(result.by_gender[project.id].values()) == sum(result.by_age_band[project.id].values()) == votes
    assert sum(result.voters_by_gender.values()) == len(podgorze.voters)
    priorities = top_priorities(result, k=3)
    assert len(priorities["female"]) == len(priorities["male"]) == 3


def test_pabulib_sex_codes_map_to_genders():
    genders = [gender_of(sex) for sex in ["F", "m", None, "", "X"]]
    assert genders == ["female", "male", "undisclosed", "undisclosed", "other"]


# The command line


def cli(*args):
    app = Flask(__name__)
    init_app(app)
    return app.test_cli_runner().invoke(args=["pb", "outcome", *args])


def test_flask_pb_outcome_prints_the_selected_ids_one_per_line():
    path = os.path.join(DATA, "Netherlands_Assen_2024.pb")
    result = cli(path)
    assert result.exit_code == 0 and set(result.output.split()) == official("Netherlands_Assen_2024.pb")
    greedy_ids = cli(path, "--rule", "greedy").output.split()
    assert greedy_ids == election_outcome(election("Netherlands_Assen_2024.pb"), "greedy").selected


def test_flask_pb_outcome_explains_a_file_it_cannot_recount():
    result = cli(os.path.join(DATA, "Switzerland_Zurich_D10.pb"))
    assert result.exit_code != 0 and "unknown" in result.output


# Properties of random small elections

PROJECTS = "abcdef"


@st.composite
def elections(draw, kind="approval"):
    projects = PROJECTS[: draw(st.integers(1, 6))]
    costs = {p: draw(st.integers(1, 100)) for p in projects}
    raw = []
    for _ in range(draw(st.integers(0, 12))):
        vote = draw(st.lists(st.sampled_from(projects), unique=True, max_size=len(projects)))
        raw.append((vote, [draw(st.integers(1, 5)) for _ in vote] if kind == "cumulative" else None))
    return costs, profile(raw, kind, max_length=len(projects)), draw(st.integers(0, 300))


any_kind = st.sampled_from(["approval", "cumulative", "ordinal"]).flatmap(elections)
fast = settings(database=None, deadline=None, max_examples=150)


@fast
@given(any_kind, st.sampled_from(["greedy", "greedy-no-skip", "greedy-threshold", "mes"]), st.integers(0, 10))
def test_no_rule_ever_spends_more_than_the_budget(election, rule, min_score):
    costs, ballots, budget = election
    limits = Constraints(min_score=min_score)
    result = decide(rule, costs, ballots, budget, limits)
    assert result.cost == sum(costs[p] for p in result.selected) <= budget
    assert len(set(result.selected)) == len(result.selected)
    if rule == "mes":
        for options in ({"fill": True}, {"compare": True}, {"add1": False}):
            assert decide(rule, costs, ballots, budget, limits, **options).cost <= budget


@fast
@given(any_kind)
def test_greedy_leaves_no_supported_project_that_would_still_fit(election):
    costs, ballots, budget = election
    result = greedy(costs, ballots.scores(), budget)
    left = budget - result.cost
    assert not [p for p, score in ballots.scores().items() if p not in result.selected and costs[p] <= left]


@fast
@given(any_kind)
def test_greedy_no_skip_funds_the_ranking_up_to_the_first_misfit(election):
    costs, ballots, budget = election
    scores = ballots.scores()
    expected, left = [], budget
    for project in ranked([p for p in costs if scores.get(p, 0) > 0], costs, scores):
        if costs[project] > left:
            break
        expected.append(project)
        left -= costs[project]
    assert greedy(costs, scores, budget, skip=False).selected == expected


def check_equal_shares(costs, ballots: Profile, share, winners):
    """Replay MES voter by voter: each winner is affordable when chosen and has the least payment per unit
    of utility (ties: lower cost, more supporters, listed first); its supporters pay it in full; nobody pays
    more than their share; and at the end no remaining project is affordable."""
    approval = ballots.kind in ("approval", "choose-1")
    ballots_of_voters = [dict(ballot) for ballot, count in ballots.groups for _ in range(count)]
    utility = [{p: (costs[p] if approval else u) for p, u in b.items()} for b in ballots_of_voters]
    money = [Fraction(share)] * len(utility)

    def rho(project):
        """The least r with sum of min(money, r * utility) over supporters equal to the cost, None if none."""
        payers = [(i, u[project]) for i, u in enumerate(utility) if project in u]
        if sum(money[i] for i, _ in payers) < costs[project]:
            return None
        low = Fraction(0)
        for kink in sorted({money[i] / u for i, u in payers}):  # the sum is linear between kinks
            fixed = sum(money[i] for i, u in payers if money[i] / u <= low)
            slope = sum(u for i, u in payers if money[i] / u > low)
            r = (Fraction(costs[project]) - fixed) / slope
            if r <= kink:
                return r
            low = kink
        raise AssertionError("affordable, so some r works")

    votes = ballots.supporters()
    remaining = [p for p in costs if votes.get(p)]
    for winner in winners:
        affordable = {p: r for p in remaining if (r := rho(p)) is not None}
        assert winner == min(affordable, key=lambda p: (affordable[p], costs[p], -votes[p], list(costs).index(p)))
        paid = 0
        for i, u in enumerate(utility):
            if winner in u:
                payment = min(money[i], affordable[winner] * u[winner])
                money[i] -= payment
                paid += payment
        assert paid == costs[winner] and min(money) >= 0
        remaining.remove(winner)
    assert all(rho(p) is None for p in remaining)


@fast
@given(any_kind)
def test_equal_shares_pays_every_winner_in_full_within_each_voters_share(election):
    costs, ballots, budget = election
    result = equal_shares(costs, ballots, budget)
    if ballots.voters:
        check_equal_shares(costs, ballots, result.share, result.selected)


def unit_steps(costs, groups, budget):
    """Add1 by its definition, one currency unit at a time, on the plain fraction implementation."""
    cost_groups = [(tuple((c, costs[c]) for c, _ in ballot), n) for ballot, n in groups]  # cost utilities
    supported = {c for ballot, _ in groups for c, _ in ballot}
    share = Fraction(budget, sum(n for _, n in groups))
    winners = mes.fixed_share(costs, cost_groups, share, approval=False)
    # Past a share of sum(costs) anyone can pay for anything alone, so nothing changes any more.
    while share <= sum(costs) and set(winners) != supported:
        bigger = mes.fixed_share(costs, cost_groups, share + 1, approval=False)
        if sum(costs[c] for c in bigger) > budget:
            break
        share, winners = share + 1, bigger
    return winners


@fast
@given(elections())
def test_fast_approval_equal_shares_matches_the_definition_step_by_step(election):
    costs, ballots, budget = election
    index = {p: i for i, p in enumerate(costs)}
    groups = [(tuple((index[p], u) for p, u in ballot), n) for ballot, n in ballots.groups]
    if ballots.voters:
        fast_result = mes.equal_shares(list(costs.values()), groups, Fraction(budget), approval=True)
        assert fast_result.winners == unit_steps(list(costs.values()), groups, budget)
