"""The portfolio benchmark runs end to end, so it cannot rot unnoticed (its figures at full
size are in benchmarks/README.md)."""

import json
import os
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "portfolio.py"


def run_benchmark(**env):
    result = subprocess.run(
        [sys.executable, str(SCRIPT)],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    [line] = result.stdout.strip().splitlines()
    return json.loads(line)


def test_the_benchmark_prints_its_figures_as_one_json_line():
    figures = run_benchmark(PROPOSALS="40", RUNS="2")
    assert figures["proposals"] == 40
    assert figures["gap"] == 0 and figures["optimal"] is True
    assert figures["solve_s"] > 0 and len(figures["solve_runs_s"]) == 2
    assert figures["optimal_total"] >= figures["greedy_total"]
    assert figures["optimal_total"] <= figures["relaxation_bound"] + 1e-6
    assert figures["cost_used"] <= figures["budget"]
    assert figures["chunks_used"] <= figures["capacity"]
    for key in ("improvement_over_greedy", "vs_greedy_time", "vs_lp_relaxation", "greedy_s"):
        assert key in figures, key


def test_at_full_size_both_limits_bind_and_the_greedy_rule_falls_short():
    figures = run_benchmark(RUNS="1")
    assert figures["proposals"] == 300
    assert figures["optimal"] is True and figures["gap"] == 0
    # A real optimisation: the greedy answer is a different, worse set, and the best set
    # uses nearly all of both the money and the team's time.
    assert figures["greedy_differs"] is True
    assert figures["improvement_over_greedy"] > 0.05
    assert figures["cost_used"] > 0.95 * figures["budget"]
    assert figures["chunks_used"] > 0.95 * figures["capacity"]
