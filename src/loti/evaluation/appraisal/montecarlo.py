"""Monte Carlo: every distribution input drawn at once for a block of draws, with numpy.

Each uncertain input is drawn once per draw and holds for every year it applies to (a cost
per incident does not jump from year to year); inputs are drawn independently of each other.
Draws are made in chunks of 100,000, so that a million of them need only a few arrays of
that size at a time, and chunks run in parallel threads.
"""

import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from . import distributions, measures
from .scenario import Model

CHUNK = 100_000


def simulate(
    model: Model, *, draws: int, seed: int, chunk: int = CHUNK
) -> tuple[np.ndarray, np.ndarray]:
    """PV of costs and PV of benefits for each draw.

    Chunk i draws from the i-th generator spawned from numpy.random.default_rng(seed), so the
    result depends only on the seed, the draws and the chunk size, and chunks can run on
    several cores at once (numpy releases the GIL while it draws and computes).
    """
    weight = measures.weights(model)
    base = measures.central_values(model)
    uncertain = [item for item in model.inputs() if distributions.is_distribution(item.spec)]
    pv_costs = np.empty(draws)
    pv_benefits = np.empty(draws)
    starts = range(0, draws, chunk)
    generators = np.random.default_rng(seed).spawn(len(starts))

    def run(start: int, rng: np.random.Generator) -> None:
        size = min(chunk, draws - start)
        values = dict(base)
        for item in uncertain:
            values[item.path] = distributions.sample(item.spec, rng, size)
        costs, benefits = measures.present_values(model, values, weight)
        pv_costs[start : start + size] = costs
        pv_benefits[start : start + size] = benefits

    if len(starts) == 1:
        run(0, generators[0])
    else:
        with ThreadPoolExecutor(max_workers=min(len(starts), os.cpu_count() or 1)) as pool:
            # list() re-raises any error from a chunk.
            list(pool.map(run, starts, generators))
    return pv_costs, pv_benefits


def summarise(pv_costs: np.ndarray, pv_benefits: np.ndarray, *, seed: int) -> dict:
    """P10, P50, P90 and mean of NPSV and BCR, and the chance that BCR is above 1.

    BCR figures are None when some draw has no costs (the ratio is undefined there).
    Figures beyond the float range (benefits over costs of a fraction of a penny, say) come
    out infinite or undefined, as the deterministic figures do, and print as null (see
    `engine.rounded`): numpy is told not to warn of them.
    """
    with np.errstate(over="ignore", invalid="ignore"):
        return _summarise(pv_costs, pv_benefits, seed=seed)


def _summarise(pv_costs: np.ndarray, pv_benefits: np.ndarray, *, seed: int) -> dict:
    npsv = pv_benefits - pv_costs
    result = {
        "draws": int(npsv.size),
        "seed": seed,
        "npsv": _spread(npsv),
        "bcr": None,
        "p_npsv_above_0": float(np.mean(npsv > 0)),
        "p_bcr_above_1": None,
    }
    if np.all(pv_costs > 0):
        ratio = pv_benefits / pv_costs
        result["bcr"] = _spread(ratio)
        result["p_bcr_above_1"] = float(np.mean(ratio > 1))
    return result


def _spread(values: np.ndarray) -> dict:
    p10, p50, p90 = np.percentile(values, [10, 50, 90])
    return {"p10": float(p10), "p50": float(p50), "p90": float(p90), "mean": float(values.mean())}
