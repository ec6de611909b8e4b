"""Choosing a call's portfolio at scale: 300 proposals, a budget and a chunk capacity that
both bind, solved to proven optimality by `loti.portfolio.calls.selection.choose` and timed against
the greedy rule and the linear relaxation in the same process. See benchmarks/README.md.

    python benchmarks/portfolio.py                       # 300 proposals
    PROPOSALS=1000 RUNS=3 python benchmarks/portfolio.py # another size, fewer repeats

No database and no Django: the selection is pure maths. The call is synthetic and the same
for the same size (seeded). It prints one JSON line; progress goes to stderr.
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))

import scipy  # noqa: E402

from loti.portfolio.calls.selection import (  # noqa: E402
    Candidate,
    choose,
    combined_scores,
    greedy,
    relaxation_bound,
)
from loti.portfolio.calls.voting import vote_shares  # noqa: E402

PROPOSALS = int(os.environ.get("PROPOSALS", "300"))
RUNS = int(os.environ.get("RUNS", "5"))
SEED = 2026
TARGET_S = 2.0
SHARE_OF_COST = 0.3
SHARE_OF_CHUNKS = 0.3
BOROUGHS = 33  # the core members, one ballot each
POINTS = 10
CRITERIA_WEIGHTS = (3, 3, 2, 2)  # relevance, benefit, ethics, achievability
VOTE_WEIGHT = 0.5

T = TypeVar("T")


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def generate(count: int, seed: int = SEED) -> tuple[list[Candidate], int, int]:
    """A call of ``count`` proposals with the budget and the capacity.

    Costs are log-uniform from £5,000 to £250,000 in £500 steps. Chunks, the team's time,
    are 1 to 8 whatever the cost: adopting an existing product can cost much and take little
    of the team, building capability little money and much time. Each proposal has a hidden
    quality; assessors score it 1-5 on four weighted criteria around that quality, and each
    borough spreads 10 points over three to five proposals it likes, drawn by quality. The
    values are the combined scores the app would compute from those, half votes and half
    criteria.
    """
    rng = random.Random(f"{seed}:portfolio-benchmark:{count}")  # noqa: S311 (synthetic data)
    costs, chunks, quality, criteria = [], [], [], {}
    for key in range(1, count + 1):
        cost = round(5_000 * (250_000 / 5_000) ** rng.random() / 500) * 500
        costs.append(cost)
        chunks.append(rng.randint(1, 8))
        merit = rng.random()
        quality.append(merit)
        scores = [min(5, max(1, round(1 + 4 * merit + rng.gauss(0, 0.8)))) for _ in range(4)]
        criteria[key] = sum(w * s for w, s in zip(CRITERIA_WEIGHTS, scores, strict=True)) / sum(
            CRITERIA_WEIGHTS
        )
    keys = list(range(1, count + 1))
    appeal = [0.05 + merit**3 for merit in quality]
    ballots = []
    for _ in range(BOROUGHS):
        favourites = set()
        while len(favourites) < min(count, rng.randint(3, 5)):
            favourites.add(rng.choices(keys, weights=appeal)[0])
        ballot = dict.fromkeys(favourites, 0)
        for _ in range(POINTS):
            ballot[rng.choice(sorted(favourites))] += 1
        ballots.append(ballot)
    values = combined_scores(
        vote_shares=vote_shares(method="points", ballots=ballots),
        criteria_scores=criteria,
        vote_weight=VOTE_WEIGHT,
    )
    candidates = [
        Candidate(key=key, value=values[key], cost=cost, chunks=chunk)
        for key, cost, chunk in zip(keys, costs, chunks, strict=True)
    ]
    budget = round(sum(costs) * SHARE_OF_COST)
    capacity = round(sum(chunks) * SHARE_OF_CHUNKS)
    return candidates, budget, capacity


@contextlib.contextmanager
def stdout_to_stderr() -> Iterator[None]:
    """Send file descriptor 1 to stderr: HiGHS writes the odd diagnostic line straight to it,
    and stdout must carry only the JSON line."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        os.dup2(2, 1)
        yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)


def timed(runs: int, work: Callable[[], T]) -> tuple[list[float], T]:
    """Wall times of ``runs`` calls of ``work``, and the last result."""
    seconds = []
    for _ in range(runs):
        start = time.perf_counter()
        result = work()
        seconds.append(time.perf_counter() - start)
    return seconds, result


def benchmark() -> dict[str, Any]:
    candidates, budget, capacity = generate(PROPOSALS)
    log(
        f"{len(candidates)} proposals, £{sum(c.cost for c in candidates):,} asked for, "
        f"budget £{budget:,}, capacity {capacity} of {sum(c.chunks for c in candidates)} chunks"
    )
    with stdout_to_stderr():
        solve_runs, best = timed(RUNS, lambda: choose(candidates, budget=budget, capacity=capacity))
        # The baselines take milliseconds; many calls make their medians steady.
        greedy_runs, rule = timed(
            max(RUNS, 20), lambda: greedy(candidates, budget=budget, capacity=capacity)
        )
        relaxation_runs, bound = timed(
            max(RUNS, 20),
            lambda: relaxation_bound(candidates, budget=budget, capacity=capacity),
        )
    solve_s = statistics.median(solve_runs)
    greedy_s = statistics.median(greedy_runs)
    relaxation_s = statistics.median(relaxation_runs)
    log(f"choose: {[round(s, 3) for s in solve_runs]} s; greedy {greedy_s * 1000:.1f} ms")
    return {
        "proposals": len(candidates),
        "solve_s": round(solve_s, 4),
        "gap": best.gap,
        "optimal": best.optimal,
        "optimal_total": round(best.total, 6),
        "greedy_total": round(rule.total, 6),
        "improvement_over_greedy": round((best.total - rule.total) / rule.total, 4),
        "greedy_differs": best.chosen != rule.chosen,
        "relaxation_bound": round(bound, 6),
        "vs_greedy_time": round(solve_s / greedy_s, 1),
        "vs_lp_relaxation": round(solve_s / relaxation_s, 1),
        "greedy_s": round(greedy_s, 5),
        "lp_relaxation_s": round(relaxation_s, 5),
        "solve_runs_s": [round(seconds, 4) for seconds in solve_runs],
        "chosen": len(best.chosen),
        "greedy_chosen": len(rule.chosen),
        "budget": budget,
        "cost_used": best.cost,
        "capacity": capacity,
        "chunks_used": best.chunks,
        "greedy_cost_used": rule.cost,
        "greedy_chunks_used": rule.chunks,
        "target_s": TARGET_S,
        "meets_target": best.optimal and best.gap == 0 and solve_s < TARGET_S,
        "runs": RUNS,
        "seed": SEED,
        "python": platform.python_version(),
        "scipy": scipy.__version__,
    }


def main() -> None:
    if PROPOSALS < 1 or RUNS < 1:
        raise SystemExit("PROPOSALS and RUNS must be 1 or more")
    print(json.dumps(benchmark()))


if __name__ == "__main__":
    main()
