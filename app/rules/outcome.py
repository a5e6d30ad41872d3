"""Who won: majority per proposal, the greedy rules and the Method of Equal Shares, over plain data.

Scores: an approval (or choose-1) ballot gives each project on it 1 point; a cumulative ballot gives the
points written on it; a ranking gives Borda points, max_length for the first place, one less for each
place after it (Kraków's 3-2-1). A project's score is the sum over ballots; the greedy rules never fund
a project without points.

Ties in the greedy rules: the higher score first, then the lower cost, then the project listed first (for
a pabulib file, the file's order). MES: see mes.py (lower cost, then more supporters, then listing order).
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from app.rules import mes
from app.rules.breakdown import GENDERS
from app.rules.pabulib import Election

RULES = ("greedy", "greedy-no-skip", "greedy-threshold", "mes")
# pabulib's META `rule` -> (our rule, equalshares.net's comparison step)
FILE_RULES = {
    "greedy": ("greedy", False),
    "greedy-no-skip": ("greedy-no-skip", False),
    "greedy-threshold": ("greedy-threshold", False),
    "equalshares/add1": ("mes", False),
    "equalshares/add1-comparison": ("mes", True),
}

Points = tuple[tuple[str, int], ...]  # (project, points) for one ballot, sorted by project


@dataclass(frozen=True)
class Profile:
    """The ballots grouped: each distinct ballot once, with how many voters cast it."""

    kind: str  # approval, choose-1, cumulative, scoring or ordinal
    groups: list[tuple[Points, int]]

    @property
    def voters(self) -> int:
        """How many ballots there are, empty ones included."""
        return sum(count for _, count in self.groups)

    def scores(self) -> dict[str, int]:
        """Each project's total points."""
        totals: dict[str, int] = {}
        for ballot, count in self.groups:
            for project, points in ballot:
                totals[project] = totals.get(project, 0) + points * count
        return totals

    def supporters(self) -> dict[str, int]:
        """How many ballots name each project."""
        totals: dict[str, int] = {}
        for ballot, count in self.groups:
            for project, _ in ballot:
                totals[project] = totals.get(project, 0) + count
        return totals


def ballot_points(vote: Sequence[str], points: Sequence[int] | None, kind: str, max_length: int | None) -> Points:
    """What each project on one ballot counts for."""
    if kind == "ordinal" and points is None:
        top = max(max_length or 0, len(vote))
        points = [top - place for place in range(len(vote))]
    elif points is None or kind in ("approval", "choose-1"):
        points = [1] * len(vote)
    return tuple(sorted(zip(vote, points, strict=True)))


def profile(
    ballots: Iterable[tuple[Sequence[str], Sequence[int] | None]], kind: str = "approval", max_length: int | None = None
) -> Profile:
    """Group (projects, points or None) ballots; ordinal ballots list projects best first."""
    counts: dict[Points, int] = {}
    for vote, points in ballots:
        key = ballot_points(vote, points, kind, max_length)
        counts[key] = counts.get(key, 0) + 1
    return Profile(kind, list(counts.items()))


@dataclass(frozen=True)
class Constraints:
    """Limits on the outcome beyond the budget (Uzbekistan: 10 to 30 projects, at most 1.5 bn UZS each)."""

    min_winners: int = 0
    max_winners: int | None = None
    max_project_cost: int | None = None
    min_score: int | None = None  # pabulib's min_project_score_threshold
    group_of: Mapping[str, str] = field(default_factory=dict)  # project -> district or neighbourhood
    group_budgets: Mapping[str, int] = field(default_factory=dict)  # most to spend within a group


NO_CONSTRAINTS = Constraints()


@dataclass(frozen=True)
class Outcome:
    """The projects a rule chose, in the order it chose them, and why the others could not be."""

    rule: str
    selected: list[str]
    cost: int
    budget: Fraction
    scores: dict[str, int]
    excluded: dict[str, str]  # project -> "over_cost_cap" or "under_min_score"
    meets_min_winners: bool
    share: Fraction | None = None  # MES: each voter's virtual budget in the run that decided
    compared: str | None = None  # comparison step: "mes" kept, or "greedy" preferred by more voters


def eligible(costs: Mapping[str, int], scores: Mapping[str, int], limits: Constraints) -> tuple[list[str], dict]:
    """Projects a rule may choose, in listing order, and the reason each other one may not."""
    excluded = {}
    for project, cost in costs.items():
        if limits.max_project_cost is not None and cost > limits.max_project_cost:
            excluded[project] = "over_cost_cap"
        elif limits.min_score is not None and scores.get(project, 0) < limits.min_score:
            excluded[project] = "under_min_score"
    return [p for p in costs if p not in excluded], excluded


def ranked(projects: Iterable[str], costs: Mapping[str, int], scores: Mapping[str, int]) -> list[str]:
    """Projects in greedy order: higher score, then lower cost, then listing order."""
    return sorted(projects, key=lambda p: (-scores.get(p, 0), costs[p]))  # sorted() is stable


class _Purse:
    """Money left overall and per group, and the room a minimum number of winners needs."""

    def __init__(self, budget: Fraction, costs: Mapping[str, int], limits: Constraints, chosen: Sequence[str] = ()):
        self.left, self.costs, self.limits = budget, costs, limits
        self.group_left = dict(limits.group_budgets)
        self.chosen: list[str] = []
        for project in chosen:
            self.take(project)

    def fits(self, project: str, others: Iterable[str]) -> bool:
        """Affordable now, within its group, and still leaving enough for the minimum number of winners."""
        cost, limits = self.costs[project], self.limits
        group = limits.group_of.get(project)
        if cost > self.left or (group in self.group_left and cost > self.group_left[group]):
            return False
        if limits.max_winners is not None and len(self.chosen) >= limits.max_winners:
            return False
        still_needed = limits.min_winners - len(self.chosen) - 1
        if still_needed > 0:
            cheapest = sorted(self.costs[p] for p in others if p != project and p not in self.chosen)
            return len(cheapest) < still_needed or sum(cheapest[:still_needed]) <= self.left - cost
        return True

    def take(self, project: str) -> None:
        """Pay for a project."""
        self.chosen.append(project)
        self.left -= self.costs[project]
        group = self.limits.group_of.get(project)
        if group in self.group_left:
            self.group_left[group] -= self.costs[project]


def _greedy_fill(order: list[str], purse: _Purse, skip: bool) -> None:
    for project in order:
        if project in purse.chosen:
            continue
        if purse.fits(project, order):
            purse.take(project)
        elif not skip:
            break


def greedy(
    costs: Mapping[str, int],
    scores: Mapping[str, int],
    budget: Fraction | int,
    limits: Constraints = NO_CONSTRAINTS,
    *,
    skip: bool = True,
    rule: str = "greedy",
) -> Outcome:
    """Fund projects by score; skip one that no longer fits (or, with skip=False, stop there)."""
    candidates, excluded = eligible(costs, scores, limits)
    order = ranked([p for p in candidates if scores.get(p, 0) > 0], costs, scores)
    purse = _Purse(Fraction(budget), costs, limits)
    _greedy_fill(order, purse, skip)
    return _outcome(rule, purse.chosen, costs, budget, scores, excluded, limits)


def _outcome(rule, selected, costs, budget, scores, excluded, limits, **details) -> Outcome:
    return Outcome(rule=rule, selected=list(selected), cost=sum(costs[p] for p in selected), budget=Fraction(budget),
                   scores=dict(scores), excluded=excluded, meets_min_winners=len(selected) >= limits.min_winners,
                   **details)  # fmt: skip


def equal_shares(
    costs: Mapping[str, int],
    ballots: Profile,
    budget: Fraction | int,
    limits: Constraints = NO_CONSTRAINTS,
    *,
    add1: bool = True,
    fill: bool = False,
    compare: bool = False,
) -> Outcome:
    """Method of Equal Shares with Add1; optionally a greedy fill of what is left and the comparison step."""
    if limits.group_budgets:
        raise ValueError("MES with per-group budgets is not supported")
    scores = ballots.scores()
    candidates, excluded = eligible(costs, scores, limits)
    index = {p: i for i, p in enumerate(candidates)}
    approval = ballots.kind in ("approval", "choose-1")
    groups = [(tuple((index[p], u) for p, u in ballot if p in index), count) for ballot, count in ballots.groups]
    result = mes.equal_shares([costs[p] for p in candidates], groups, Fraction(budget), approval=approval,
                              add1=add1, max_winners=limits.max_winners)  # fmt: skip
    selected = [candidates[i] for i in result.winners]
    if fill:
        purse = _Purse(Fraction(budget), costs, limits, selected)
        _greedy_fill(ranked([p for p in candidates if scores.get(p, 0) > 0], costs, scores), purse, True)
        selected = purse.chosen
    compared = None
    if compare:
        other = greedy(costs, scores, budget, limits).selected
        compared = "greedy" if _prefer(ballots, other, selected) else "mes"
        selected = other if compared == "greedy" else selected
    return _outcome("mes", selected, costs, budget, scores, excluded, limits, share=result.share, compared=compared)


def _prefer(ballots: Profile, challenger: Sequence[str], incumbent: Sequence[str]) -> bool:
    """True when more voters have more of their projects in `challenger` than in `incumbent` than the reverse.

    This is equalshares.net's comparison step ("satisfaction": the number of a voter's projects chosen).
    Its browser tool leaves out voters with none of their projects in one of the two outcomes (a JavaScript
    `undefined` compared); they count here. Wieliczka 2023 keeps MES either way (1,615 to 873; 629 to 535).
    """
    first, second = set(challenger), set(incumbent)
    balance = 0
    for ballot, count in ballots.groups:
        a = sum(1 for p, _ in ballot if p in first)
        b = sum(1 for p, _ in ballot if p in second)
        balance += count if a > b else -count if b > a else 0
    return balance > 0


def majority(counts: Mapping[str, tuple[int, int]]) -> dict[str, bool]:
    """Per proposal: adopted when more vote for than against (abstentions do not count)."""
    return {proposal: votes_for > votes_against for proposal, (votes_for, votes_against) in counts.items()}


def decide(
    rule: str,
    costs: Mapping[str, int],
    ballots: Profile,
    budget: Fraction | int,
    limits: Constraints = NO_CONSTRAINTS,
    **options,
) -> Outcome:
    """Apply a rule by name: greedy, greedy-no-skip, greedy-threshold or mes."""
    if rule == "mes":
        return equal_shares(costs, ballots, budget, limits, **options)
    if rule not in RULES:
        raise ValueError(f"unknown rule {rule!r}")
    if options:
        raise ValueError(f"{', '.join(options)} apply to mes only")
    if rule == "greedy-threshold" and limits.min_score is None:
        raise ValueError("greedy-threshold needs a minimum score")
    return greedy(costs, ballots.scores(), budget, limits, skip=rule != "greedy-no-skip", rule=rule)


def file_constraints(election: Election, rule: str) -> Constraints:
    """A pabulib file's own limits: per-neighbourhood (or district) budgets, and for greedy-threshold the
    minimum score (META min_project_score_threshold)."""
    limits = {}
    if rule == "greedy-threshold":
        limits["min_score"] = election.meta_int("min_project_score_threshold")
    for column in ("neighborhood", "district"):
        names, amounts = election.meta.get(column + "s"), election.meta.get("budget_per_" + column)
        if names and amounts:
            limits["group_budgets"] = dict(zip(names.split(","), map(int, amounts.split(",")), strict=True))
            limits["group_of"] = {p.id: p.extra.get(column, "") for p in election.projects.values()}
    return Constraints(**limits)


def election_outcome(election: Election, rule: str = "auto", **options) -> Outcome:
    """Recount a pabulib election by its own rule (`auto`) or by a named one."""
    compare = False
    if rule == "auto":
        if election.rule not in FILE_RULES:
            raise ValueError(f"the file's rule {election.rule!r} cannot be recounted")
        rule, compare = FILE_RULES[election.rule]
    kind = election.vote_type
    ballots = profile(((v.vote, v.points) for v in election.voters), kind, election.meta_int("max_length"))
    costs = {p.id: p.cost for p in election.projects.values()}
    if rule == "mes" and compare:
        options.setdefault("compare", True)
    return decide(rule, costs, ballots, election.budget, file_constraints(election, rule), **options)


SEXES = {"f": "female", "female": "female", "m": "male", "male": "male", "other": "other"}


def gender_of(sex: str | None) -> str:
    """pabulib's sex (F, M) as the app's gender; anything missing is undisclosed."""
    return SEXES.get((sex or "").strip().lower(), "undisclosed" if not sex else "other")


def age_band(age: int | None, bands: Sequence[tuple[str, int, int | None]]) -> str | None:
    """The label of the band (label, lowest age, highest age or None) holding `age`; None if none does."""
    if age is not None:
        for label, low, high in bands:
            if age >= low and (high is None or age <= high):
                return label
    return None


@dataclass(frozen=True)
class Support:
    """Supporters of each project by gender and by age band, and how many voted in each group."""

    by_gender: dict[str, dict[str, int]]  # project -> gender -> supporters
    by_age_band: dict[str, dict[str | None, int]]  # project -> band label (None: not known) -> supporters
    voters_by_gender: dict[str, int]
    voters_by_age_band: dict[str | None, int]


def support(
    ballots: Iterable[tuple[Iterable[str], str, str | None]], projects: Sequence[str], bands: Sequence[str]
) -> Support:
    """Fold (projects supported, gender, age band) ballots into per-project counts, groups in display order."""
    genders = dict.fromkeys(GENDERS, 0)
    ages: dict[str | None, int] = dict.fromkeys([*bands, None], 0)
    by_gender = {p: dict(genders) for p in projects}
    by_age = {p: dict(ages) for p in projects}
    for chosen, gender, band in ballots:
        genders[gender] += 1
        ages[band] += 1
        for project in chosen:
            by_gender[project][gender] += 1
            by_age[project][band] += 1
    if not ages[None]:  # "not known" only when someone is in it
        del ages[None]
        for counts in by_age.values():
            del counts[None]
    return Support(by_gender, by_age, genders, ages)


def top_priorities(result: Support, k: int = 5, genders: Sequence[str] = ("female", "male")) -> dict[str, list[str]]:
    """Each gender's k most supported projects, side by side; ties go to more support overall, then listing order."""
    overall = {p: sum(counts.values()) for p, counts in result.by_gender.items()}
    return {
        gender: [p for p in sorted(overall, key=lambda p: (-result.by_gender[p][gender], -overall[p]))
                 if result.by_gender[p][gender]][:k]
        for gender in genders
    }  # fmt: skip
