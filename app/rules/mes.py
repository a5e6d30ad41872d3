"""Method of Equal Shares (MES) with the Add1 completion, as equalshares.net computes it.

Every voter gets an equal share of the budget. Round by round, the project whose cost its supporters can
cover with the smallest payment per unit of utility (rho) is chosen, and its supporters pay: each pays
rho times their utility, or all they have left if that is less. Approval ballots use cost utilities (a
supporter's utility is the project's cost, so rho*cost is the most any supporter pays, equalshares.net's
"effective vote count" is 1/rho); cumulative and ordinal ballots use the voter's points as utility.

Ties in rho go to the lower cost, then to more supporters, then to the project listed first.

Add1 (equalshares.net's completion): run MES with a per-voter share of budget/n, then budget/n + 1,
budget/n + 2, ... (one currency unit more for every voter each time) until the outcome would cost more
than the budget; the outcome is the last one that did not.

Arithmetic is exact. Approval ballots run in floating point with a guard: any comparison closer than
one part in 10^9 (a near tie, a project just affordable) makes that whole run recomputed in fractions.
"""

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import partial
from itertools import compress
from operator import mul, not_

# A ballot group: ((project index, utility), ...) and how many voters cast exactly that ballot.
Group = tuple[tuple[tuple[int, int], ...], int]
Run = tuple[list[int], bool]  # winners in order, and whether a larger share could change nothing

TOLERANCE = 1e-9


@dataclass(frozen=True)
class EqualShares:
    """The projects MES chose, in the order it chose them, and the per-voter share that chose them."""

    winners: list[int]
    share: Fraction  # each voter's virtual budget in the final run
    increments: int  # how many times Add1 raised the share


def equal_shares(
    costs: Sequence[int],
    groups: Sequence[Group],
    budget: Fraction,
    *,
    approval: bool,
    add1: bool = True,
    max_winners: int | None = None,
) -> EqualShares:
    """MES over projects 0..len(costs)-1, optionally completed by Add1."""
    voters = sum(count for _, count in groups)
    if voters == 0:
        return EqualShares([], Fraction(0), 0)
    share = Fraction(budget) / voters
    method = _Approval(costs, groups) if approval else _Cardinal(costs, groups)
    run = partial(method.run, max_winners=max_winners)
    winners, settled = run(share)
    increments = 0
    while add1 and not settled and len(winners) < len(method.candidates):
        bigger, bigger_settled = run(share + 1)
        if sum(costs[c] for c in bigger) > budget:
            break
        share, winners, settled = share + 1, bigger, bigger_settled
        increments += 1
    return EqualShares(winners, share, increments)


def fixed_share(costs: Sequence[int], groups: Sequence[Group], share: Fraction, *, approval: bool) -> list[int]:
    """One MES run without completion, every voter starting with `share`."""
    method = _Approval(costs, groups) if approval else _Cardinal(costs, groups)
    return method.run(Fraction(share))[0]


def _tie_key(costs: Sequence[int], votes: Sequence[int]) -> Callable[[int], tuple]:
    return lambda c: (costs[c], -votes[c], c)


class _Cardinal:
    """MES over utility ballots (also approval with cost utilities), in fractions, one budget per ballot group."""

    def __init__(self, costs: Sequence[int], groups: Sequence[Group]):
        self.costs = costs
        self.counts = [count for _, count in groups]
        self.supporters: list[list[tuple[int, int]]] = [[] for _ in costs]
        self.votes = [0] * len(costs)
        for g, (ballot, count) in enumerate(groups):
            for c, utility in ballot:
                if utility > 0:
                    self.supporters[c].append((g, utility))
                    self.votes[c] += count
        self.candidates = [c for c, cost in enumerate(costs) if cost > 0 and self.votes[c] > 0]
        self.tie = _tie_key(costs, self.votes)

    def run(self, share: Fraction, max_winners: int | None = None) -> Run:
        """One MES run with `share` per voter."""
        budget = [Fraction(share)] * len(self.counts)
        remaining, winners, settled = list(self.candidates), [], True
        while remaining and (max_winners is None or len(winners) < max_winners):
            best = None
            for c in list(remaining):
                if sum(self.counts[g] * budget[g] for g, _ in self.supporters[c]) < self.costs[c]:
                    remaining.remove(c)  # budgets only shrink: it never becomes affordable again
                    settled = False
                    continue
                rho, constrained = self._rho(c, budget)
                settled = settled and not constrained
                if best is None or (rho, self.tie(c)) < (best[0], self.tie(best[1])):
                    best = (rho, c)
            if best is None:
                break
            rho, chosen = best
            for g, utility in self.supporters[chosen]:
                budget[g] -= min(budget[g], rho * utility)
            winners.append(chosen)
            remaining.remove(chosen)
        return winners, settled

    def _rho(self, c: int, budget: list[Fraction]) -> tuple[Fraction, bool]:
        """The least rho with sum of min(budget, rho * utility) over supporters equal to the cost."""
        supporters = sorted(self.supporters[c], key=lambda gu: budget[gu[0]] / gu[1])
        paid, weight = Fraction(0), sum(self.counts[g] * u for g, u in supporters)
        for g, utility in supporters:
            rho = (self.costs[c] - paid) / weight
            if rho * utility <= budget[g]:
                return rho, paid > 0
            paid += self.counts[g] * budget[g]
            weight -= self.counts[g] * utility
        raise AssertionError("an affordable project always has a rho")


class _Uncertain(Exception):
    """A floating-point comparison was too close to call."""


class _Approval:
    """MES over approval ballots with cost utilities, fast.

    Voters who approve the same set of already chosen projects have paid the same and hold the same
    budget, so budgets are kept per "class" (that set, as a bit mask) and each project sees its
    supporters as a few classes with head counts. Those counts depend only on the chosen set and are
    cached across the many runs Add1 makes.
    """

    def __init__(self, costs: Sequence[int], groups: Sequence[Group]):
        self.costs = costs
        by_mask: dict[int, int] = {}
        for ballot, count in groups:
            mask = 0
            for c, _ in ballot:
                mask |= 1 << c
            by_mask[mask] = by_mask.get(mask, 0) + count
        self.members: list[list[int]] = [[] for _ in costs]  # one ballot mask per supporting voter
        self.comask = [0] * len(costs)
        for mask, count in by_mask.items():
            for c in range(mask.bit_length()):
                if mask >> c & 1:
                    self.members[c].extend([mask] * count)
                    self.comask[c] |= mask
        self.votes = [len(members) for members in self.members]
        self.candidates = [c for c, cost in enumerate(costs) if cost > 0 and self.votes[c] > 0]
        self.tie = _tie_key(costs, self.votes)
        self.classes: dict[tuple[int, int], tuple[list[int], list[int], list[int]]] = {}

    def _classes(self, chosen: int, c: int) -> tuple[list[int], list[int], list[int]]:
        """Supporters of c as classes (chosen projects they approve): masks, head counts, masks with c."""
        key = (c, chosen & self.comask[c])
        found = self.classes.get(key)
        if found is None:
            counts = Counter(map(key[1].__and__, self.members[c]))
            bit = 1 << c
            found = self.classes[key] = (list(counts), list(counts.values()), [k | bit for k in counts])
        return found

    def run(self, share: Fraction, max_winners: int | None = None) -> Run:
        """One MES run with `share` per voter: in floats, or in fractions when floats cannot decide."""
        try:
            return self._run(float(share), False, max_winners)
        except _Uncertain:
            return self._run(Fraction(share), True, max_winners)

    def _run(self, share, exact: bool, max_winners: int | None) -> Run:
        tolerance = 0 if exact else TOLERANCE
        zero = share * 0
        budgets = {0: share}
        chosen, winners, settled = 0, [], True
        remaining = list(self.candidates)
        bound = {c: self.votes[c] for c in remaining}  # effective vote counts only fall
        while remaining and (max_winners is None or len(winners) < max_winners):
            remaining.sort(key=lambda c: -bound[c])
            found = []  # (effective vote count, exactly known, project, payment)
            best = 0
            for c in list(remaining):
                if bound[c] < best * (1 - tolerance):
                    break
                evaluated = self._evaluate(c, chosen, budgets, exact)
                if evaluated is None:
                    remaining.remove(c)
                    settled = False
                    continue
                count, known, payment = evaluated
                settled = settled and known
                bound[c] = count
                best = max(best, count)
                found.append((count, known or exact, c, payment))
            if not found:
                break
            near = [f for f in found if f[0] >= best * (1 - tolerance)]
            if len(near) > 1 and not all(known for _, known, _, _ in near):
                raise _Uncertain
            _, _, winner, payment = min((f for f in near if f[0] == best), key=lambda f: self.tie(f[2]))
            keys, _, raised = self._classes(chosen, winner)
            left = [b - payment if b > payment else zero for b in map(budgets.__getitem__, keys)]
            budgets.update(zip(raised, left, strict=True))
            chosen |= 1 << winner
            winners.append(winner)
            remaining.remove(winner)
        return winners, settled

    def _evaluate(self, c: int, chosen: int, budgets: dict, exact: bool):
        """(effective vote count, whether it is the plain head count, max payment), None if unaffordable."""
        cost = self.costs[c]
        keys, counts, _ = self._classes(chosen, c)
        have = list(map(budgets.__getitem__, keys))
        money = sum(map(mul, have, counts))
        if money < cost:
            if not exact and money > cost * (1 - TOLERANCE):
                raise _Uncertain
            return None
        if not exact and money < cost * (1 + TOLERANCE):
            raise _Uncertain
        payers = self.votes[c]
        payment = Fraction(cost, payers) if exact else cost / payers
        poorest = min(have)
        if poorest >= payment if exact else poorest > payment * (1 + TOLERANCE):
            return payers, True, payment  # nobody short of money: the plain head count, exactly
        paid = payment * 0
        while True:  # those who cannot pay an equal share pay all they have; the rest share what is left
            poor = list(map(payment.__gt__, have))
            if not any(poor):
                return cost / payment, False, payment
            paid += sum(map(mul, compress(have, poor), compress(counts, poor)))
            payers -= sum(compress(counts, poor))
            rich = list(map(not_, poor))
            have, counts = list(compress(have, rich)), list(compress(counts, rich))
            payment = (cost - paid) / payers
