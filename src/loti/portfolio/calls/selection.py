"""Choosing the call's portfolio: the set of proposals with the highest total combined score
whose cost fits the budget and whose six-week chunks fit the team's capacity.

This is a 0-1 knapsack with two constraints, solved exactly as an integer programme with
``scipy.optimize.milp`` (HiGHS). The greedy rule ("highest first while it fits") is here too,
so a results page can show what the exact answer gained, and so can the reasons why each
proposal was left out.

Exactness. HiGHS works in floating point and stops when its bound is within an absolute
1e-6 of the best set found, which on scores in [0, 1] would let two sets a millionth apart
pass for equal. So the solver maximises integers instead: each score rounded to a multiple
of ``2**-36`` (about 1.5e-11). Its tolerance is then far below one step, so its proof of
optimality holds for the rounded scores, and the chosen set's true total is within
``len(candidates) * 2**-37`` of the best possible: rounding, nothing more. Within that
rounding the greedy rule's set could score a hair more, so it is checked too: the choice
never scores below it.

Ties. Scores are often equal (a call scored on criteria alone gives multiples of a
quarter), so many sets can share the best total. A second solve keeps the best integer total
and picks, among the sets that reach it, the cheapest, then the one with the smallest sum
of positions in key order (fewer and earlier proposals). The model is built in key order and
HiGHS is deterministic, so any tie left after that still gives the same set every time.

Feasibility. Costs run to millions of pounds, and the solver accepts a row a tolerance over
its bound. Every answer is checked again in integer arithmetic and one that does not fit is
never returned: a tie-break answer that fails falls back to the first solve's set, and a
first answer that fails is repaired by dropping its lowest scorers and reported with a gap.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, linprog, milp

from loti.core.money import money
from loti.core.text import join_words

SCALE = 2**36
ROW_UNIT = 2**18
TIME_LIMIT_S = 60.0
OPTIMAL = 0


@dataclass(frozen=True)
class Candidate:
    """A proposal as the selection sees it: its combined score in [0, 1], its estimated cost
    in whole pounds and the six-week chunks it needs."""

    key: int
    value: float
    cost: int
    chunks: int


@dataclass(frozen=True)
class Choice:
    """A chosen set. ``gap`` is the relative gap between its total and the best total that is
    still possible (0 when the set is proven best); ``optimal`` says it is proven best."""

    chosen: frozenset[int]
    total: float
    cost: int
    chunks: int
    gap: float
    optimal: bool


def _checked(candidates: Iterable[Candidate], budget: int, capacity: int) -> list[Candidate]:
    """The candidates in key order, after checking what the maths relies on."""
    if budget < 0 or capacity < 0:
        raise ValueError("The budget and the capacity must be 0 or more")
    ordered = sorted(candidates, key=lambda candidate: candidate.key)
    keys = [candidate.key for candidate in ordered]
    if len(set(keys)) != len(keys):
        raise ValueError("Each candidate needs a different key")
    for candidate in ordered:
        if not (math.isfinite(candidate.value) and 0 <= candidate.value <= 1):
            raise ValueError(f"Candidate {candidate.key} has a value outside 0 to 1")
        if candidate.cost < 0 or candidate.chunks < 0:
            raise ValueError(f"Candidate {candidate.key} has a negative cost or chunk count")
    return ordered


def _choice(
    candidates: Sequence[Candidate], keys: Iterable[int], *, gap: float, optimal: bool
) -> Choice:
    chosen = frozenset(keys)
    members = [candidate for candidate in candidates if candidate.key in chosen]
    return Choice(
        chosen=chosen,
        total=math.fsum(candidate.value for candidate in members),
        cost=sum(candidate.cost for candidate in members),
        chunks=sum(candidate.chunks for candidate in members),
        gap=gap,
        optimal=optimal,
    )


def _fits(members: Iterable[Candidate], budget: int, capacity: int) -> bool:
    members = list(members)
    return (
        sum(candidate.cost for candidate in members) <= budget
        and sum(candidate.chunks for candidate in members) <= capacity
    )


def _solve(
    objective: Sequence[float], rows: Sequence[tuple[Sequence[float], float, float]]
) -> tuple[int, np.ndarray | None, float]:
    """Minimise ``objective`` over 0-1 variables subject to ``lower <= row @ x <= upper``;
    returns the status, the rounded 0-1 solution (if any) and the relative gap."""
    matrix = np.asarray([row for row, _, _ in rows], dtype=float)
    lower = np.asarray([low for _, low, _ in rows], dtype=float)
    upper = np.asarray([high for _, _, high in rows], dtype=float)
    result = milp(
        c=np.asarray(objective, dtype=float),
        integrality=np.ones(len(objective)),
        bounds=Bounds(0, 1),
        constraints=LinearConstraint(matrix, lower, upper),
        options={"mip_rel_gap": 0, "time_limit": TIME_LIMIT_S},
    )
    solution = None if result.x is None else np.rint(result.x).astype(int)
    gap = 0.0 if result.status == OPTIMAL else float(getattr(result, "mip_gap", math.inf))
    return result.status, solution, gap


def _repair(members: list[Candidate], budget: int, capacity: int) -> list[Candidate]:
    """Drop the lowest-scoring members (ties: dearest, then highest key) until the rest fit."""
    kept = sorted(members, key=lambda c: (-c.value, c.cost, c.key))
    while kept and not _fits(kept, budget, capacity):
        kept.pop()
    return kept


def choose(candidates: Iterable[Candidate], *, budget: int, capacity: int) -> Choice:
    """The set with the highest total value whose cost is at most ``budget`` and whose chunks
    are at most ``capacity``, proven best by the integer programme (see the module's notes on
    exactness and ties)."""
    ordered = _checked(candidates, budget, capacity)
    # A candidate that cannot fit even alone can never be chosen; leaving it out of the model
    # keeps the model small and its coefficients in range.
    usable = [c for c in ordered if c.cost <= budget and c.chunks <= capacity]
    if not usable:
        return _choice(ordered, (), gap=0.0, optimal=True)
    weights = [round(c.value * SCALE) for c in usable]
    costs = [c.cost for c in usable]
    chunks = [c.chunks for c in usable]
    limits = [(costs, 0, budget), (chunks, 0, capacity)]

    status, solution, gap = _solve([-weight for weight in weights], limits)
    if solution is None:
        return _choice(ordered, (), gap=gap, optimal=False)
    first = [c for c, x in zip(usable, solution, strict=True) if x]
    if not _fits(first, budget, capacity):
        # The solver's set bounds the best total (within its gap), so the repaired set's gap
        # is measured against it.
        kept = _choice(
            ordered, (c.key for c in _repair(first, budget, capacity)), gap=0, optimal=False
        )
        bound = math.fsum(c.value for c in first)
        shortfall = 1 - (kept.total / bound) * (1 - gap) if bound > 0 else gap
        return _choice(
            ordered, kept.chosen, gap=shortfall, optimal=status == OPTIMAL and shortfall == 0
        )
    if status != OPTIMAL:
        return _choice(ordered, (c.key for c in first), gap=gap, optimal=False)

    best = sum(weight for weight, x in zip(weights, solution, strict=True) if x)
    # Among the sets reaching the same integer total: least cost first, then the smallest sum
    # of positions. The positions sum to less than ``spread``, so they only split equal costs.
    spread = len(usable) * (len(usable) + 1) // 2 + 1
    tie_break = [cost * spread + position for position, cost in enumerate(costs, start=1)]
    # The solver accepts a row up to an absolute 1e-6 short of its bound. Counting the row in
    # units of 2**18 (an exact division) makes that less than half an integer step, so any set
    # it accepts above best - 1/2 reaches best itself: its true total is an integer no greater.
    row = [weight / ROW_UNIT for weight in weights]
    status, solution, _ = _solve(tie_break, [*limits, (row, (best - 0.5) / ROW_UNIT, math.inf)])
    if status == OPTIMAL and solution is not None:
        second = [c for c, x in zip(usable, solution, strict=True) if x]
        reached = sum(weight for weight, x in zip(weights, solution, strict=True) if x)
        if reached == best and _fits(second, budget, capacity):
            return _proven(ordered, [c.key for c in second], budget, capacity)
    return _proven(ordered, [c.key for c in first], budget, capacity)


def _proven(ordered: Sequence[Candidate], keys: list[int], budget: int, capacity: int) -> Choice:
    """The proven set, unless the greedy rule's set has a higher exact total: possible only
    within the rounding of the scores, and checked so the choice never falls below it."""
    found = _choice(ordered, keys, gap=0.0, optimal=True)
    rule = _choice(ordered, _greedy_keys(ordered, budget, capacity), gap=0.0, optimal=True)
    return rule if rule.total > found.total else found


def greedy(candidates: Iterable[Candidate], *, budget: int, capacity: int) -> Choice:
    """The "highest first while it fits" rule: take candidates by value, highest first (ties:
    cheaper first, then lower key), skipping any that no longer fits and carrying on.

    Its ``gap`` is measured against the linear relaxation (fractions of proposals allowed),
    which no set can beat, so ``optimal`` is true only when that bound proves it."""
    ordered = _checked(candidates, budget, capacity)
    taken = _greedy_keys(ordered, budget, capacity)
    choice = _choice(ordered, taken, gap=0.0, optimal=False)
    bound = relaxation_bound(ordered, budget=budget, capacity=capacity)
    gap = 0.0 if bound <= choice.total else (bound - choice.total) / bound
    return Choice(
        chosen=choice.chosen,
        total=choice.total,
        cost=choice.cost,
        chunks=choice.chunks,
        gap=gap,
        optimal=gap <= 1e-12,
    )


def _greedy_keys(ordered: Sequence[Candidate], budget: int, capacity: int) -> list[int]:
    cost = chunks = 0
    taken = []
    for candidate in sorted(ordered, key=lambda c: (-c.value, c.cost, c.key)):
        if cost + candidate.cost <= budget and chunks + candidate.chunks <= capacity:
            taken.append(candidate.key)
            cost += candidate.cost
            chunks += candidate.chunks
    return taken


def relaxation_bound(candidates: Sequence[Candidate], *, budget: int, capacity: int) -> float:
    """The best total if fractions of proposals could be chosen: an upper bound on any set."""
    if not candidates:
        return 0.0
    result = linprog(
        c=[-c.value for c in candidates],
        A_ub=[[c.cost for c in candidates], [c.chunks for c in candidates]],
        b_ub=[budget, capacity],
        bounds=(0, 1),
        method="highs",
    )
    return -float(result.fun)


def _chunks(count: int) -> str:
    return f"{count} chunk" if count == 1 else f"{count} chunks"


def _score(value: float) -> str:
    return f"{value:.3f}"


def combined_scores(
    *, vote_shares: Mapping[int, float], criteria_scores: Mapping[int, float], vote_weight: float
) -> dict[int, float]:
    """Each proposal's combined score in [0, 1]: ``vote_weight`` times its vote share divided
    by the largest share, plus the rest times its criteria score (a weighted mean on the
    1–5 scale) mapped to 0–1 as (score - 1) / 4. A proposal with no votes, or no scores,
    gets 0 on that part."""
    if not 0 <= vote_weight <= 1:
        raise ValueError("The vote weight must be between 0 and 1")
    largest = max(vote_shares.values(), default=0.0)
    combined = {}
    for key in sorted(set(vote_shares) | set(criteria_scores)):
        share = vote_shares.get(key, 0.0)
        votes = share / largest if largest > 0 else 0.0
        score = criteria_scores.get(key)
        criteria = 0.0 if score is None else min(max((score - 1) / 4, 0.0), 1.0)
        combined[key] = vote_weight * votes + (1 - vote_weight) * criteria
    return combined


def rejection_reasons(
    candidates: Iterable[Candidate],
    chosen: Iterable[int],
    *,
    budget: int,
    capacity: int,
    names: Mapping[int, str] | None = None,
) -> dict[int, str]:
    """Why each candidate outside ``chosen`` was left out, in one or two plain sentences.

    ``chosen`` may be any set that fits (an override too), so every sentence is worked out
    from the numbers rather than assuming the set is the best. ``names`` labels the proposals
    a trade-off mentions; without it they are "proposal 12".

    A proposal that fits alone but not beside the chosen set costs one small integer
    programme (the least-scoring part of the set that would make room for it): milliseconds
    each, a few seconds for 300 proposals, so work the reasons out once and keep them.
    """
    ordered = _checked(candidates, budget, capacity)
    chosen_keys = frozenset(chosen)
    members = [c for c in ordered if c.key in chosen_keys]
    cost_left = budget - sum(c.cost for c in members)
    chunks_left = capacity - sum(c.chunks for c in members)

    def label(key: int) -> str:
        return f"“{names[key]}”" if names and key in names else f"proposal {key}"

    reasons = {}
    for candidate in ordered:
        if candidate.key in chosen_keys:
            continue
        alone = []
        if candidate.cost > budget:
            alone.append(
                f"its cost of {money(candidate.cost)} is more than the whole budget of "
                f"{money(budget)}"
            )
        if candidate.chunks > capacity:
            alone.append(
                f"it needs {_chunks(candidate.chunks)}, more than the whole capacity of "
                f"{_chunks(capacity)}"
            )
        if alone:
            reasons[candidate.key] = f"It does not fit even alone: {join_words(alone)}."
            continue
        beside = []
        if candidate.cost > cost_left:
            beside.append(
                f"Its cost of {money(candidate.cost)} would take the chosen set over the "
                f"{money(budget)} budget ({money(max(cost_left, 0))} is left)."
            )
        if candidate.chunks > chunks_left:
            left = "none" if chunks_left <= 0 else f"only {chunks_left}"
            verb = "remains" if chunks_left == 1 else "remain"
            beside.append(f"It needs {_chunks(candidate.chunks)}; {left} of {capacity} {verb}.")
        if not beside:
            reasons[candidate.key] = _fits_beside(candidate, cost_left, chunks_left)
            continue
        trade_off = _trade_off(
            candidate,
            members,
            need_cost=candidate.cost - cost_left,
            need_chunks=candidate.chunks - chunks_left,
            label=label,
        )
        reasons[candidate.key] = " ".join([*beside, trade_off])
    return reasons


def _fits_beside(candidate: Candidate, cost_left: int, chunks_left: int) -> str:
    room = f"It fits in what is left ({money(cost_left)} and {_chunks(chunks_left)})"
    if candidate.value == 0:
        return f"{room}, but its score of 0 would not raise the total."
    if candidate.value < 5e-4:
        return f"{room}, but its score would raise the total by less than 0.001."
    return f"{room} and would raise the total by {_score(candidate.value)}."


def _least_loss(
    members: Sequence[Candidate], *, need_cost: int, need_chunks: int
) -> tuple[list[Candidate], bool]:
    """The chosen proposals whose total score is least among those that free at least
    ``need_cost`` pounds and ``need_chunks`` chunks, and whether that is proven least."""
    weights = [round(c.value * SCALE) for c in members]
    rows = [
        ([c.cost for c in members], need_cost, math.inf),
        ([c.chunks for c in members], need_chunks, math.inf),
    ]
    status, solution, _ = _solve(weights, rows)
    dropped = [] if solution is None else [c for c, x in zip(members, solution, strict=True) if x]
    freed_cost = sum(c.cost for c in dropped)
    freed_chunks = sum(c.chunks for c in dropped)
    if status == OPTIMAL and freed_cost >= need_cost and freed_chunks >= need_chunks:
        return dropped, True
    # The solver's answer falls short (a tolerance) or is missing: add the lowest-scoring of
    # the rest until enough is freed. Some set does, as the candidate fits alone.
    for member in sorted(members, key=lambda c: (c.value, -c.cost, c.key)):
        if freed_cost >= need_cost and freed_chunks >= need_chunks:
            break
        if member not in dropped:
            dropped.append(member)
            freed_cost += member.cost
            freed_chunks += member.chunks
    return sorted(dropped, key=lambda c: c.key), False


def _trade_off(
    candidate: Candidate,
    members: Sequence[Candidate],
    *,
    need_cost: int,
    need_chunks: int,
    label: Callable[[int], str],
) -> str:
    """The least valuable way to make room for ``candidate`` by dropping chosen proposals,
    and what it would do to the total."""
    dropped, least = _least_loss(members, need_cost=need_cost, need_chunks=need_chunks)
    lost = math.fsum(c.value for c in dropped)
    change = candidate.value - lost
    given_up = join_words([label(c.key) for c in dropped])
    verb = "scores" if len(dropped) == 1 else "score"
    opening = (
        "The least the chosen set could give up to make room for it is"
        if least
        else "Making room for it would mean giving up"
    )
    making_room = (
        f"{opening} {given_up}, which {verb} {_score(lost)} against its {_score(candidate.value)}"
    )
    if abs(change) < 5e-4:
        if change == 0:
            return f"{making_room}, so the total would not change."
        return f"{making_room}, so the total would change by less than 0.001."
    if change < 0:
        return f"{making_room}, so the total would fall by {_score(-change)}."
    return f"{making_room}, so the total would rise by {_score(change)}."
