"""Hostile appraisal scenarios: one too large or too deep is refused in words, before any of
it is checked, and `loti appraise` prints the refusal and exits with status 2, with no
traceback. No database. See also tests/test_hostile_documents.py."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from loti.evaluation.appraisal import scenario
from loti.evaluation.appraisal.scenario import MAX_BYTES, MAX_DEPTH, ScenarioError

LOTI = Path(sys.executable).with_name("loti")
EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "data-sharing.json"


def deep(levels: int) -> str:
    return '{"title": "Deep", "costs": [], "benefits": [], "description": ' + (
        "[" * levels + "]" * levels
    ) + "}"  # fmt: skip


def refusal(data) -> list[str]:
    with pytest.raises(ScenarioError) as caught:
        scenario.parse(data)
    return caught.value.errors


@pytest.mark.parametrize("levels", [MAX_DEPTH, 5_000, 100_000])
def test_a_scenario_nested_too_deep_is_refused(levels):
    # The scenario object is level 1, so its description array may be 15 deep.
    assert refusal(deep(levels)) == ["The scenario is nested more than 16 levels deep"]


def test_a_scenario_at_the_depth_limit_is_parsed():
    assert scenario.parse(deep(MAX_DEPTH - 1))["title"] == "Deep"


@pytest.mark.parametrize("as_bytes", [False, True], ids=["text", "bytes"])
def test_a_scenario_larger_than_the_limit_is_refused(as_bytes):
    text = json.dumps({"title": "Big", "costs": [], "benefits": [], "description": "x" * MAX_BYTES})
    assert refusal(text.encode() if as_bytes else text) == ["The scenario is larger than 1 MB"]


def test_text_is_measured_in_utf8_bytes():
    text = json.dumps({"description": "é" * (MAX_BYTES // 2)}, ensure_ascii=False)
    assert len(text) < MAX_BYTES < len(text.encode())
    assert refusal(text) == ["The scenario is larger than 1 MB"]


def test_reading_a_stream_reads_no_more_than_one_byte_past_the_limit():
    class Endless(io.RawIOBase):
        asked: list[int] = []

        def readable(self):
            return True

        def read(self, size=-1):
            self.asked.append(size)
            return b" " * size

    stream = Endless()
    with pytest.raises(ScenarioError, match="larger than 1 MB"):
        scenario.read(stream)
    assert stream.asked == [MAX_BYTES + 1]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b'{"title": "\xc0\x80"}', "The scenario is not UTF-8 text: invalid start byte"),
        (b"\xef\xbb\xbf{}", None),
        ('{"costs": [NaN]}', "The scenario is not valid JSON: NaN is not a JSON number"),
        ('{"title": ', "The scenario is not valid JSON: "),
        ('{"n": 1' + "0" * 5000 + "}", "The scenario is not valid JSON: "),
    ],
    ids=["overlong UTF-8", "byte order mark", "NaN", "cut short", "huge integer"],
)
def test_malformed_scenarios_are_refused_in_words(data, message):
    if message is None:
        assert scenario.parse(data) == {}
    else:
        assert refusal(data)[0].startswith(message)


def test_the_command_refuses_a_deep_scenario_with_status_2(tmp_path):
    path = tmp_path / "deep.json"
    path.write_text(deep(50_000))
    with pytest.raises(CommandError) as caught:
        call_command("appraise", str(path), stdout=io.StringIO())
    assert caught.value.returncode == 2
    assert str(caught.value) == f"{path} is nested more than 16 levels deep"


def test_the_command_refuses_a_large_scenario_with_status_2(tmp_path):
    path = tmp_path / "large.json"
    path.write_text(json.dumps({"title": "L", "description": " " * (2 * MAX_BYTES)}))
    with pytest.raises(CommandError) as caught:
        call_command("appraise", str(path), stdout=io.StringIO())
    assert caught.value.returncode == 2
    assert str(caught.value) == f"{path} is larger than 1 MB"


def test_the_loti_script_refuses_a_deep_scenario_on_standard_input_without_a_traceback():
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env["SECRET_KEY"] = "test-only-secret-key-not-for-any-deployment-0123456789abcdef"
    done = subprocess.run(
        [str(LOTI), "appraise", "-"],
        input=deep(5_000),
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert "Traceback" not in done.stderr
    assert "Standard input is nested more than 16 levels deep" in done.stderr


def test_the_documented_example_is_within_the_limits():
    data = EXAMPLE.read_bytes()
    assert len(data) < MAX_BYTES // 10
    assert scenario.parse(data) == json.loads(data)
