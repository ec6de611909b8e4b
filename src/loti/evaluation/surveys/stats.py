"""Survey statistics, with no database: shares, the Wilson score interval for a proportion,
net agreement and the distribution of answers on the five-point agreement scale.

"Don't know" answers are counted and shown, but left out of the base of every share of
agreement: the share agreeing is of those who gave a view.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from django.db.models import TextChoices

# The 97.5th percentile of the standard normal distribution: a two-sided 95% interval.
Z_95 = 1.959963984540054


class Likert(TextChoices):
    """The five-point agreement scale with "don't know"; the same for every Likert question,
    so it is not stored as options."""

    STRONGLY_DISAGREE = "strongly_disagree", "Strongly disagree"
    DISAGREE = "disagree", "Disagree"
    NEITHER = "neither", "Neither agree nor disagree"
    AGREE = "agree", "Agree"
    STRONGLY_AGREE = "strongly_agree", "Strongly agree"
    DONT_KNOW = "dont_know", "Don't know"


LIKERT_SCALE = tuple(Likert.values)
LIKERT_LABELS = dict(Likert.choices)
AGREE = (Likert.AGREE.value, Likert.STRONGLY_AGREE.value)
DISAGREE = (Likert.STRONGLY_DISAGREE.value, Likert.DISAGREE.value)
DONT_KNOW = Likert.DONT_KNOW.value


def share(k: int, n: int) -> float:
    """k of n as a fraction; 0 when there is no base."""
    return k / n if n else 0.0


def wilson_interval(k: int, n: int, *, z: float = Z_95) -> tuple[float, float]:
    """The Wilson score interval for a proportion of k successes in n trials.

    Unlike the textbook p ± z·√(p(1−p)/n), it stays within [0, 1] and does not collapse to
    a point at 0 or n successes, which matters for the small groups a survey breaks down
    into. With no answers (n = 0) nothing is known: the interval is the whole of [0, 1].
    """
    if n < 0 or not 0 <= k <= n:
        raise ValueError(f"need 0 <= k <= n, got k={k}, n={n}")
    if n == 0:
        return 0.0, 1.0
    p = k / n
    z2 = z * z
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass(frozen=True)
class LikertSummary:
    """How one question's answers fall on the scale. `counts` has every point of the scale
    (don't know included); `n` is the base for shares: answers that gave a view."""

    counts: dict[str, int]
    n: int
    agree: int
    disagree: int
    neither: int
    dont_know: int
    agree_share: float
    disagree_share: float
    low: float
    high: float
    net_agreement: float

    @property
    def answers(self) -> int:
        return self.n + self.dont_know

    @property
    def agree_text(self) -> str:
        return percent(self.agree_share)

    @property
    def interval_text(self) -> str:
        return f"{percent(self.low)} to {percent(self.high)}"

    @property
    def net_text(self) -> str:
        return signed_percent(self.net_agreement)

    def share_of_base(self, value: str) -> float:
        """A point's share of those who gave a view (don't know: its share of all answers)."""
        if value == DONT_KNOW:
            return share(self.dont_know, self.answers)
        return share(self.counts[value], self.n)


def summarise_likert(counts: Mapping[str, int]) -> LikertSummary:
    """Summarise answers counted by scale point (missing points count 0)."""
    unknown = set(counts) - set(LIKERT_SCALE)
    if unknown:
        raise ValueError(f"not points of the scale: {sorted(unknown)}")
    full = {value: int(counts.get(value, 0)) for value in LIKERT_SCALE}
    if any(count < 0 for count in full.values()):
        raise ValueError("counts cannot be negative")
    dont_know = full[DONT_KNOW]
    n = sum(full.values()) - dont_know
    agree = sum(full[value] for value in AGREE)
    disagree = sum(full[value] for value in DISAGREE)
    low, high = wilson_interval(agree, n)
    return LikertSummary(
        counts=full,
        n=n,
        agree=agree,
        disagree=disagree,
        neither=full["neither"],
        dont_know=dont_know,
        agree_share=share(agree, n),
        disagree_share=share(disagree, n),
        low=low,
        high=high,
        net_agreement=net_agreement(full),
    )


def net_agreement(counts: Mapping[str, int]) -> float:
    """Agree and strongly agree minus disagree and strongly disagree, as a share of those
    who gave a view: from −1 (all disagree) to +1 (all agree); 0 with no views."""
    n = sum(count for value, count in counts.items() if value != DONT_KNOW)
    agree = sum(counts.get(value, 0) for value in AGREE)
    disagree = sum(counts.get(value, 0) for value in DISAGREE)
    return share(agree - disagree, n)


@dataclass(frozen=True)
class ChoiceCount:
    label: str
    count: int
    share: float


def choice_distribution(counts: list[tuple[str, int]], *, base: int) -> list[ChoiceCount]:
    """Counts of each option with its share of `base`: the respondents who answered the
    question, so that for a multiple-choice question the shares may add up to more than 1."""
    return [
        ChoiceCount(label=label, count=count, share=share(count, base)) for label, count in counts
    ]


def percent(value: float, places: int = 0) -> str:
    """0.4567 -> "46%"."""
    return f"{100 * value:.{places}f}%"


def signed_percent(value: float) -> str:
    """Net agreement as people read it: +46%, −12%, 0%."""
    rounded = round(100 * value)
    if rounded > 0:
        return f"+{rounded}%"
    if rounded < 0:
        return f"−{-rounded}%"
    return "0%"
