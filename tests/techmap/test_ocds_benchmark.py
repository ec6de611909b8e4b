"""The OCDS benchmark runs end to end at a tiny size, so it cannot rot unnoticed (its figures
at full size are in benchmarks/README.md)."""

import json
import os
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "ocds.py"


def test_the_benchmark_prints_its_figures_as_one_json_line(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    result = subprocess.run(
        [sys.executable, str(SCRIPT)],
        env={**env, "RELEASES": "120", "TMPDIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    [line] = result.stdout.strip().splitlines()
    figures = json.loads(line)
    assert figures["releases"] == 120
    assert figures["database"] == "sqlite"
    for key in ("releases_per_s", "peak_mb", "vs_ocdskit", "vs_parse"):
        assert figures[key] > 0, key
    assert figures["import"]["releases"] == 120 and figures["import"]["errors"] == []
    # The second import of the same file changes nothing.
    assert figures["reimport"]["created"] == figures["reimport"]["updated"] == 0
