"""The appraisal benchmark runs end to end at a small size, so it cannot rot unnoticed (its
figures at full size are in benchmarks/README.md)."""

import json
import os
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "appraisal.py"


def test_the_benchmark_prints_its_figures_as_one_json_line():
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    result = subprocess.run(
        [sys.executable, str(SCRIPT)],
        env={**env, "DRAWS": "20000", "PYTHON_DRAWS": "2000", "RUNS": "1"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    [line] = result.stdout.strip().splitlines()
    figures = json.loads(line)
    assert figures["draws"] == 20_000
    assert figures["python_draws"] == 2_000
    for key in ("seconds", "speedup_vs_python", "python_seconds", "peak_alloc_mb"):
        assert figures[key] > 0, key
    assert (figures["activities"], figures["years"]) == (10, 40)
    assert figures["uncertain_inputs"] >= 20
    # The numpy and the plain-Python runs simulate the same model.
    assert figures["p50_agree"] is True
    assert figures["p10_npsv"] < figures["p50_npsv"] < figures["p90_npsv"]
    assert 0 <= figures["p_bcr_above_1"] <= 1
    assert isinstance(figures["meets_target"], bool)
