"""`loti appraise SCENARIO.json`: one JSON document out, or exit status 2 with every error."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "data-sharing.json"
LOTI = Path(sys.executable).with_name("loti")


def run(*args) -> dict:
    out = io.StringIO()
    call_command("appraise", *args, stdout=out)
    return json.loads(out.getvalue())


def test_the_documented_example_prints_its_appraisal_as_json():
    result = run(str(EXAMPLE))
    # 560 agreements avoided at £2,500; costs £65,000 (£5,000 in year 1) plus a 10% uplift.
    assert result["pv_benefits"] == 1_400_000
    assert result["pv_costs"] == round((60_000 + 5_000 / 1.035) * 1.1, 2)
    assert result["npsv"] == round(1_400_000 - result["pv_costs"], 2)
    assert result["payback_year"] == 0
    assert result["monte_carlo"]["draws"] == 10_000
    assert result["monte_carlo"]["p_bcr_above_1"] == 1.0
    assert result["years"][0]["calendar_year"] == 2024
    assert any("561 agreements replaced by 1" in line for line in result["assumptions"])


def test_draws_and_seed_override_the_scenarios_own():
    first = run(str(EXAMPLE), "--draws", "2000", "--seed", "3")
    assert first["monte_carlo"]["draws"] == 2_000
    assert first["monte_carlo"]["seed"] == 3
    assert run(str(EXAMPLE), "--draws", "2000", "--seed", "3") == first
    assert run(str(EXAMPLE), "--draws", "2000", "--seed", "4") != first


def test_a_scenario_can_come_from_standard_input(monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(EXAMPLE.read_text()))
    assert run("-")["pv_benefits"] == 1_400_000


def test_invalid_json_exits_with_status_2(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"title": "Broken",')
    with pytest.raises(CommandError) as caught:
        run(str(path))
    assert caught.value.returncode == 2
    assert "is not valid JSON" in str(caught.value)


def test_nan_is_not_accepted_as_a_number(tmp_path):
    path = tmp_path / "nan.json"
    path.write_text('{"title": "N", "costs": [{"year": 0, "amount": NaN}], "benefits": []}')
    with pytest.raises(CommandError) as caught:
        run(str(path))
    assert caught.value.returncode == 2
    assert "NaN is not a JSON number" in str(caught.value)


def test_an_invalid_scenario_lists_every_error_with_its_path(tmp_path):
    path = tmp_path / "invalid.json"
    path.write_text(
        json.dumps(
            {
                "title": "Invalid",
                "costs": [{"year": 0, "amount": "£10,000"}],
                "benefits": [
                    {
                        "model": "avoided_duplication",
                        "first_year": 0,
                        "last_year": 0,
                        "inputs": {"parties": 34, "cost_per_agreement": "2500"},
                    }
                ],
            }
        )
    )
    with pytest.raises(CommandError) as caught:
        run(str(path))
    assert caught.value.returncode == 2
    assert str(caught.value).splitlines() == [
        "The scenario is not valid:",
        "costs[0].amount: must be a number or a distribution",
        "benefits[0].inputs.cost_per_agreement: must be a number or a distribution",
    ]


def test_a_missing_file_exits_with_status_2(tmp_path):
    with pytest.raises(CommandError) as caught:
        run(str(tmp_path / "absent.json"))
    assert caught.value.returncode == 2
    assert "No such file or directory" in str(caught.value)


def test_draws_out_of_range_exit_with_status_2():
    with pytest.raises(CommandError) as caught:
        run(str(EXAMPLE), "--draws", "0")
    assert caught.value.returncode == 2


def test_the_loti_script_prints_json_and_reports_errors_without_a_traceback(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env["SECRET_KEY"] = "test-only-secret-key-not-for-any-deployment-0123456789abcdef"
    ok = subprocess.run(
        [str(LOTI), "appraise", str(EXAMPLE), "--draws", "1000"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["monte_carlo"]["draws"] == 1_000

    bad = subprocess.run(
        [str(LOTI), "appraise", "-"],
        input='{"title": "", "costs": [], "benefits": [{"model": "outcome"}]}',
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert bad.returncode == 2
    assert bad.stdout == ""
    assert "Traceback" not in bad.stderr
    assert "title: must not be empty" in bad.stderr
    assert "benefits[0].first_year: is required" in bad.stderr
