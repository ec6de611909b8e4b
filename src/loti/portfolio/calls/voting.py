"""Ballots: checking one against its call's voting method, and turning a call's ballots
into each proposal's share of the vote.

A ballot is a mapping from proposal key to a whole number:

- ``points``: the points given to each proposal. Every point must be spent: the points add
  up to exactly the call's total (a ballot that may leave points unspent lets a borough
  weaken its own voice by accident, and "spread all 10 points" is easy to check on a form).
  Proposals given 0 points may be listed or left out.
- ``approval``: 1 for each proposal approved, between 1 and the call's maximum of them.
- ``basket``: 1 for each proposal in the basket: at least one, and together they cost no more
  than the call's budget.

For approval and basket ballots a 0 means "not chosen" and is ignored, as a form with a
checkbox per proposal sends.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from loti.core.money import money

POINTS = "points"
APPROVAL = "approval"
BASKET = "basket"
METHODS = (POINTS, APPROVAL, BASKET)


class BallotError(ValueError):
    """A ballot that its call's method does not allow; the message is for the voter."""


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def check_ballot(
    *,
    method: str,
    choices: Mapping[int, int],
    points: int,
    approvals_max: int,
    costs: Mapping[int, int],
    budget: int,
) -> None:
    """Raise ``BallotError`` unless ``choices`` is a valid ballot under ``method``. ``costs``
    holds every proposal on the ballot paper (key to cost in whole pounds); ``points``,
    ``approvals_max`` and ``budget`` are the call's, each used by its own method."""
    if method not in METHODS:
        raise ValueError(f"Unknown voting method {method!r}")
    if any(key not in costs for key in choices):
        raise BallotError("Choose only proposals from this call for ideas")
    if method == POINTS:
        if points < 1:
            raise ValueError("A points ballot needs at least 1 point to spread")
        if any(isinstance(value, bool) or not isinstance(value, int) for value in choices.values()):
            raise BallotError("Points must be whole numbers, like 2")
        if any(value < 0 for value in choices.values()):
            raise BallotError("Points must be 0 or more")
        given = sum(choices.values())
        if given < points:
            raise BallotError(f"Spread all {_plural(points, 'point')}: you have given {given}")
        if given > points:
            raise BallotError(
                f"You can give only {_plural(points, 'point')}: you have given {given}"
            )
        return
    if any(value not in (0, 1) for value in choices.values()):
        raise BallotError("Choose each proposal no more than once")
    picked = [key for key, value in choices.items() if value == 1]
    if method == APPROVAL:
        if approvals_max < 1:
            raise ValueError("An approval ballot needs a maximum of at least 1 proposal")
        if not picked:
            raise BallotError("Choose at least 1 proposal")
        if len(picked) > approvals_max:
            raise BallotError(
                f"Choose no more than {_plural(approvals_max, 'proposal')}: "
                f"you have chosen {len(picked)}"
            )
        return
    if not picked:
        raise BallotError("Choose at least 1 proposal for your basket")
    total = sum(costs[key] for key in picked)
    if total > budget:
        raise BallotError(
            f"Your basket costs {money(total)}: choose proposals that cost {money(budget)} or less "
            "in total"
        )


def vote_shares(*, method: str, ballots: Iterable[Mapping[int, int]]) -> dict[int, float]:
    """Each proposal's share of all the points (``points``) or of all the times a proposal
    was chosen (``approval``, ``basket``), for every proposal any ballot names. The shares add
    up to 1 when any vote was cast; with none, every share is 0. Ballots are assumed checked."""
    if method not in METHODS:
        raise ValueError(f"Unknown voting method {method!r}")
    tally: dict[int, int] = {}
    for ballot in ballots:
        for key, value in ballot.items():
            counted = value if method == POINTS else int(value > 0)
            tally[key] = tally.get(key, 0) + counted
    # Whole numbers are summed exactly, so the shares do not depend on the ballots' order.
    total = sum(tally.values())
    return {key: (tally[key] / total if total else 0.0) for key in sorted(tally)}
