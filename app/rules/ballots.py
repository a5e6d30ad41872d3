"""Is a ballot valid for the hearing's ballot kind, and is a show-of-hands count possible?"""

from collections.abc import Mapping
from dataclasses import dataclass

KINDS = ("approval", "knapsack", "cumulative", "ranking")


@dataclass(frozen=True)
class BallotRules:
    """What a ballot may contain."""

    kind: str = "approval"
    min_choices: int = 0
    max_choices: int | None = None
    envelope: int | None = None  # knapsack: the chosen projects' total cost may not exceed it
    points: int | None = None  # cumulative: points to distribute
    rank_k: int | None = None  # ranking: how many places


def ballot_errors(rules: BallotRules, choices: Mapping[int, int], costs: Mapping[int, int]) -> list[tuple[str, dict]]:
    """Why a ballot {project: points or rank} is refused: (reason, figures) pairs; empty when valid."""
    errors = []
    unknown = [p for p in choices if p not in costs]
    if unknown:
        return [("unknown_project", {"count": len(unknown)})]
    chosen = [p for p, value in choices.items() if value]
    if len(chosen) < rules.min_choices:
        errors.append(("too_few", {"min": rules.min_choices}))
    limit = rules.rank_k if rules.kind == "ranking" else rules.max_choices
    if limit is not None and len(chosen) > limit:
        errors.append(("too_many", {"max": limit}))
    if any(value < 0 for value in choices.values()):
        errors.append(("negative", {}))
    if rules.kind == "knapsack" and rules.envelope is not None:
        total = sum(costs[p] for p in chosen)
        if total > rules.envelope:
            errors.append(("over_envelope", {"total": total, "envelope": rules.envelope}))
    if rules.kind == "cumulative" and rules.points is not None:
        spent = sum(choices.values())
        if spent > rules.points:
            errors.append(("too_many_points", {"spent": spent, "points": rules.points}))
    if rules.kind == "ranking":
        ranks = sorted(choices[p] for p in chosen)
        if ranks != list(range(1, len(chosen) + 1)):
            errors.append(("ranks_not_consecutive", {}))
    return errors


def ballot_points(rules: BallotRules, choices: Mapping[int, int]) -> tuple[list[int], list[int] | None]:
    """The ballot as pabulib lists it: projects (best first for rankings) and points where they matter."""
    chosen = [p for p, value in choices.items() if value]
    if rules.kind == "ranking":
        return sorted(chosen, key=lambda p: choices[p]), None
    if rules.kind == "cumulative":
        return chosen, [choices[p] for p in chosen]
    return chosen, None




def hand_count_errors(counts: Mapping[str, tuple[int, int, int]], present: Mapping[str, int]) -> list[str]:
    """Genders whose for + against + abstain exceed the people of that gender checked in."""
    return [g for g, (yes, no, abstain) in counts.items()
            if min(yes, no, abstain) < 0 or yes + no + abstain > present.get(g, 0)]  # fmt: skip
