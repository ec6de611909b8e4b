"""Monte Carlo appraisal: a 10-activity, 40-year model, 1,000,000 draws with numpy, against a
plain-Python loop over 10,000 draws of the same model. See benchmarks/README.md.

    python benchmarks/appraisal.py            # 1,000,000 draws
    DRAWS=100000 python benchmarks/appraisal.py

No database and no Django: the engine (loti.evaluation.appraisal) is pure Python and numpy.
Prints one JSON line.
"""

import json
import math
import os
import random
import resource
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import numpy as np

from loti.evaluation.appraisal import distributions, measures, montecarlo
from loti.evaluation.appraisal.models import MODELS
from loti.evaluation.appraisal.scenario import build

DRAWS = int(os.environ.get("DRAWS", "1000000"))
PYTHON_DRAWS = int(os.environ.get("PYTHON_DRAWS", str(min(10_000, DRAWS))))
RUNS = int(os.environ.get("RUNS", "3"))
SEED = 2026
ACTIVITIES = 10
YEARS = 40


def tri(low, mode, high):
    return {"distribution": "triangular", "low": low, "mode": mode, "high": high}


def pert(low, mode, high):
    return {"distribution": "pert", "low": low, "mode": mode, "high": high}


def benefit(index: int) -> dict:
    """Benefit models in turn, each with several uncertain inputs, for years 1 to 40."""
    scale = 1 + index / 10
    kind = index % 4
    if kind == 0:
        model, inputs = (
            "market_rate",
            {
                "quantity": {"distribution": "uniform", "low": 10 * scale, "high": 30 * scale},
                "market_unit_cost": pert(6_000, 9_000, 14_000),
                "our_unit_cost": tri(800, 1_500, 2_500),
            },
        )
    elif kind == 1:
        model, inputs = (
            "avoided_incidents",
            {
                "incidents": pert(0, 0.3 * scale, 1.5),
                "cost_per_incident": {"distribution": "lognormal", "mean": 242_000, "sd": 80_000},
            },
        )
    elif kind == 2:
        model, inputs = (
            "outcome",
            {
                "outcomes": tri(5 * scale, 12 * scale, 25 * scale),
                "unit_cost": 9_500,
                "deadweight": {"distribution": "uniform", "low": 0.1, "high": 0.35},
                "attribution": pert(0.3, 0.5, 0.8),
            },
        )
    else:
        model, inputs = (
            "avoided_duplication",
            {
                "parties": tri(20, 30, 34),
                "cost_per_agreement": pert(1_500, 2_500, 4_000),
            },
        )
    return {
        "model": model,
        "label": f"Activity {index + 1}",
        "first_year": 1,
        "last_year": YEARS,
        "inputs": inputs,
    }


def scenario() -> dict:
    costs = []
    for index in range(ACTIVITIES):
        label = f"Activity {index + 1}"
        setup = 60_000 * (1 + index / 5)
        costs.append(
            {"year": 0, "amount": tri(setup * 0.9, setup, setup * 1.5), "label": f"{label}: set-up"}
        )
        costs.extend(
            {"year": year, "amount": 8_000 + 500 * index, "label": f"{label}: running"}
            for year in range(1, YEARS + 1)
        )
    return {
        "title": "Ten activities over forty years",
        "optimism_bias": {"method": "custom", "uplift": tri(0.05, 0.15, 0.4)},
        "costs": costs,
        "benefits": [benefit(index) for index in range(ACTIVITIES)],
    }


def python_loop(model, draws: int, seed: int) -> list[float]:
    """NPSV per draw with the random module: the same model and formulas, one draw at a time.

    It uses the same per-stream discount weights as the numpy run, so the ratio measures
    vectorisation, not a different algorithm.
    """
    rng = random.Random(seed)  # noqa: S311 (a simulation, not a secret)
    weight = measures.weights(model)
    base = measures.central_values(model)
    uncertain = [
        (item.path, item.spec)
        for item in model.inputs()
        if distributions.is_distribution(item.spec)
    ]
    streams = list(zip(model.streams, weight.streams, strict=True))
    uplift_path = model.uplift.path
    results = []
    for _ in range(draws):
        values = dict(base)
        for path, spec in uncertain:
            values[path] = draw_one(spec, rng)
        costs = benefits = 0.0
        for stream, stream_weight in streams:
            if stream.kind == "cost":
                amount = values[stream.inputs["amount"].path]
                costs += amount * (1 + values[uplift_path]) * stream_weight
            else:
                own = {name: values[item.path] for name, item in stream.inputs.items()}
                benefits += MODELS[stream.model].yearly(own, stream.options) * stream_weight
        results.append(benefits - costs)
    return results


def draw_one(spec, rng: random.Random) -> float:
    kind = spec["distribution"]
    if kind == "lognormal":
        mu, sigma = distributions.lognormal_mu_sigma(spec)
        return rng.lognormvariate(mu, sigma)
    low, high = spec["low"], spec["high"]
    if kind == "uniform":
        return rng.uniform(low, high)
    mode = spec["mode"]
    if kind == "triangular":
        return rng.triangular(low, high, mode)
    lam = distributions.PERT_LAMBDA
    alpha = 1 + lam * (mode - low) / (high - low)
    beta = 1 + lam * (high - mode) / (high - low)
    return low + (high - low) * rng.betavariate(alpha, beta)


def main() -> None:
    model = build(scenario(), draws=DRAWS, seed=SEED)
    uncertain = sum(distributions.is_distribution(item.spec) for item in model.inputs())

    timings, cpu = [], []
    for _ in range(RUNS):
        start, start_cpu = time.perf_counter(), time.process_time()
        pv_costs, pv_benefits = montecarlo.simulate(model, draws=DRAWS, seed=SEED)
        summary = montecarlo.summarise(pv_costs, pv_benefits, seed=SEED)
        timings.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
        del pv_costs, pv_benefits
    seconds = statistics.median(timings)
    peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    tracemalloc.start()
    montecarlo.summarise(*montecarlo.simulate(model, draws=DRAWS, seed=SEED), seed=SEED)
    peak_alloc_mb = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()

    start = time.perf_counter()
    python_npsv = python_loop(model, PYTHON_DRAWS, SEED)
    python_seconds = time.perf_counter() - start

    p50 = summary["npsv"]["p50"]
    python_p50 = statistics.median(python_npsv)
    spread = summary["npsv"]["p90"] - summary["npsv"]["p10"]
    # The Python run's median has a sampling error of about 1.25 sd / sqrt(draws); the
    # spread P90 - P10 is about 2.56 sd, so this allows about five standard errors.
    tolerance = 2.5 * spread / math.sqrt(PYTHON_DRAWS)
    print(
        json.dumps(
            {
                "draws": DRAWS,
                "seconds": round(seconds, 3),
                "speedup_vs_python": round((python_seconds / PYTHON_DRAWS) / (seconds / DRAWS), 1),
                "python_draws": PYTHON_DRAWS,
                "python_seconds": round(python_seconds, 3),
                "p50_npsv": round(p50, 2),
                "python_p50_npsv": round(python_p50, 2),
                "p50_tolerance": round(tolerance, 2),
                "p50_agree": abs(p50 - python_p50) <= tolerance,
                "p10_npsv": round(summary["npsv"]["p10"], 2),
                "p90_npsv": round(summary["npsv"]["p90"], 2),
                "p50_bcr": round(summary["bcr"]["p50"], 4),
                "p_bcr_above_1": summary["p_bcr_above_1"],
                "runs_s": [round(value, 3) for value in timings],
                # CPU time of all threads: above runs_s when chunks ran on several cores.
                "cpu_s": [round(value, 3) for value in cpu],
                "cores": os.cpu_count(),
                "load_average": round(os.getloadavg()[0], 2),
                "peak_alloc_mb": round(peak_alloc_mb, 1),
                "peak_rss_mb": round(peak_rss_mb, 1),
                "chunk": montecarlo.CHUNK,
                "activities": ACTIVITIES,
                "years": YEARS,
                "streams": len(model.streams),
                "uncertain_inputs": int(uncertain),
                "numpy": np.__version__,
                "python": sys.version.split()[0],
                "target_s": 2.0,
                "meets_target": seconds < 2.0,
            }
        )
    )


if __name__ == "__main__":
    main()
