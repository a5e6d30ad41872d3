"""Anyone can recompute the outcome from the published files alone and get the winners that were published."""

import os
from decimal import Decimal
from fractions import Fraction

import pytest

from app.rules import outcome as outcome_rules
from app.rules.pabulib import load_pb, read_pb
from app.voting.pabulib_io import import_election
from tests.results_fixtures import ballot_hearing, hands_hearing, publish

DATA = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "..", "shared", "data", "pabulib")
BALLOT_KINDS = {"ranking": "ordinal", "cumulative": "cumulative"}


def _published_files(client, code):
    """What a citizen downloads: the JSON record and the .pb ballots."""
    document = client.get(f"/h/{code}/results.json").get_json()
    pb = client.get(f"/h/{code}/results.pb").get_data(as_text=True)
    return document, read_pb(pb)


def recount(document, election) -> list[int]:
    """The winners by the published rule and parameters, over the published ballots."""
    rule = document["outcome"]["rule"]
    parameters = document["outcome"]["parameters"]
    kind = BALLOT_KINDS.get(parameters["ballot_kind"], "approval")
    ballots = outcome_rules.profile(((v.vote, v.points) for v in election.voters), kind,
                                    election.meta_int("max_length"))  # fmt: skip
    limits = outcome_rules.Constraints(
        min_winners=parameters["min_winners"] or 0, max_winners=parameters["max_winners"],
        max_project_cost=parameters["max_project_cost"], min_score=parameters["min_score"],
    )  # fmt: skip
    costs = {p.id: p.cost for p in election.projects.values()}
    budget = Fraction(Decimal(parameters["envelope"]))
    return [int(p) for p in outcome_rules.decide(rule, costs, ballots, budget, limits).selected]


@pytest.mark.parametrize("rule", ["greedy", "mes"])
def test_recounting_the_published_ballots_gives_the_published_winners(client, make, rule):
    hearing, items = ballot_hearing(make, rule=rule)
    document, election = _published_files(client, hearing.public_code)
    published = document["outcome"]["selected"]
    assert published and recount(document, election) == published
    assert {int(p) for p in outcome_rules.election_outcome(election).selected} == set(published)  # the file's META
    flagged = [p["id"] for p in document["proposals"] if p["selected"]]
    assert set(flagged) == set(published)
    assert {int(p.id) for p in election.projects.values() if p.selected == 1} == set(published)


def test_recounting_a_show_of_hands_from_the_published_hand_counts_gives_the_adopted_proposals(client, make):
    hearing, items = hands_hearing(make)
    document = client.get(f"/h/{hearing.public_code}/results.json").get_json()
    counts = {str(p["id"]): (p["hands"]["for"]["total"]["value"], p["hands"]["against"]["total"]["value"])
              for p in document["proposals"] if p["candidate"]}  # fmt: skip
    adopted = {int(p) for p, yes in outcome_rules.majority(counts).items() if yes}
    assert adopted == set(document["outcome"]["selected"]) == {items["water"].id, items["park"].id}
    assert {p["id"] for p in document["proposals"] if p["selected"]} == adopted


@pytest.mark.parametrize("name", ["Netherlands_Assen_2024.pb", "Poland_Czestochowa_2024_Mirow.pb"])
def test_a_real_election_published_and_downloaded_recounts_to_the_official_winners(client, make, name):
    original = load_pb(os.path.join(DATA, name))
    municipality = make.municipality()
    hearing = publish(import_election(original, municipality))
    document, election = _published_files(client, hearing.public_code)
    published = document["outcome"]["selected"]
    assert recount(document, election) == published
    pabulib_id = {p["id"]: p["title"] for p in document["proposals"]}
    official = {p.name or p.id for p in original.projects.values() if p.selected == 1}
    assert {pabulib_id[p] for p in published} == {name[:200] for name in official}
    assert len(election.voters) == len(original.voters)
    assert all(v.sex is None and v.age is None for v in election.voters)
