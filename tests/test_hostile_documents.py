"""Hostile documents, generated: deep nesting, huge strings, many keys, long lines, gzip bombs
of a few kilobytes, invalid UTF-8. Each is fed to the OCDS reader (read_releases, then
compiling and facts for every release) and to the scenario parser, in a child process limited
to 1 GiB of address space and a few seconds. Each must end in a clean refusal (the parser's
own error, with a message) or a bounded success: never a crash, MemoryError, RecursionError,
or a timeout. No database. The limits themselves are tested in tests/techmap/
test_security_ocds.py and tests/evaluation/test_security_scenarios.py."""

import gzip
import json
import os
import subprocess
import sys
import textwrap

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

MEMORY = 1024**3
TIMEOUT = 8  # seconds for one document, start-up included

CHILD = textwrap.dedent(
    """
    import io, json, resource, sys

    from loti.evaluation.appraisal import scenario
    from loti.techmap.ocds import compiling, notices, reading

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))
    data = sys.stdin.buffer.read()
    if sys.argv[1] == "ocds":
        releases = refused = 0
        try:
            for release in reading.read_releases(io.BytesIO(data)):
                releases += 1
                if not isinstance(release.data, dict):
                    continue
                try:
                    state = {}
                    compiling.merge(state, [release.data])
                    notices.facts(compiling.compiled(state))
                except compiling.CompileError as error:
                    assert str(error)
                    refused += 1
        except reading.ReadError as error:
            print(json.dumps({"refused": str(error), "releases": releases}))
        else:
            print(json.dumps({"read": releases, "not_compiled": refused}))
    else:
        try:
            value = scenario.parse(data)
        except scenario.ScenarioError as error:
            print(json.dumps({"refused": str(error)}))
        else:
            print(json.dumps({"read": len(scenario.validate(value))}))
    """
).replace("MEMORY", str(MEMORY))


def run(parser: str, data: bytes) -> dict:
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    done = subprocess.run(
        [sys.executable, "-c", CHILD, parser],
        input=data,
        capture_output=True,
        timeout=TIMEOUT,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-2000:]
    outcome = json.loads(done.stdout)
    if "refused" in outcome and isinstance(outcome["refused"], str):
        assert outcome["refused"].strip(), "a refusal must say why"
    return outcome


def release(**fields) -> dict:
    return {"ocid": "ocds-h-1", "id": "1", "date": "2024-01-01T00:00:00Z", **fields}


@st.composite
def deep(draw) -> bytes:
    depth = draw(st.integers(1, 200_000))
    opener, closer = draw(
        st.sampled_from([(b"[", b"]"), (b'{"a":', b"}"), (b'[{"id":"x","a":', b"}]")])
    )
    inner = opener * depth + b"1" + closer * depth
    where = draw(st.sampled_from(["items", "roles", "top", "scenario"]))
    if where == "items":
        return b'{"releases": [{"ocid":"x","date":"2024-01-01","tender":{"items":' + inner + b"}}]}"
    if where == "roles":
        return b'[{"ocid":"x","date":"2024-01-01","parties":[{"id":"p","roles":' + inner + b"}]}]"
    if where == "top":
        return inner
    return b'{"title":"t","costs":[],"benefits":[],"description":' + inner + b"}"


@st.composite
def huge_string(draw) -> bytes:
    size = draw(st.integers(0, 12_000_000))
    text = draw(st.sampled_from(["x", "é", "\\u00e9", "\\\\"])) * (size // 4)
    return (
        json.dumps({"releases": [release()]})[:-2].encode()
        + (', {"ocid": "y", "date": "2024-01-01", "description": "' + text + '"}]}').encode()
    )


@st.composite
def many_keys(draw) -> bytes:
    count = draw(st.integers(0, 300_000))
    keyed = {f"k{n}": n for n in range(count)}
    return json.dumps({"releases": [release(tender=keyed), release(**keyed)], **keyed}).encode()


@st.composite
def long_lines(draw) -> bytes:
    size = draw(st.integers(0, 14_000_000))
    first = json.dumps(release()).encode()
    long = b'{"ocid": "z", "date": "2024-01-01", "pad": "' + b"p" * size + b'"}'
    newline = draw(st.sampled_from([b"\n", b"\r\n"]))
    return first + newline + long + newline + first + newline


@st.composite
def gzip_bomb(draw) -> bytes:
    size = draw(st.integers(1_000_000, 60_000_000))
    filler = draw(st.sampled_from([b" ", b"[", b'"', b"0"]))
    body = b'{"releases": [' + filler * size + b"]}"
    bomb = gzip.compress(body, compresslevel=9)
    if draw(st.booleans()):
        bomb = gzip.compress(bomb)  # twice zipped: read as not JSON, never unzipped twice
    return bomb


@st.composite
def invalid_utf8(draw) -> bytes:
    good = json.dumps({"releases": [release(), release(id="2")]}).encode()
    bad = draw(
        st.sampled_from(
            [b"\xc0\x80", b"\xc0", b"\xff", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\xef\xbb\xbf"]
        )
    )
    at = draw(st.integers(0, len(good)))
    text = good[:at] + bad + good[at:]
    if draw(st.booleans()):
        text = good.decode().encode(draw(st.sampled_from(["utf-16", "utf-32", "utf-16-le"])))
    return text


HOSTILE = st.one_of(
    deep(),
    huge_string(),
    many_keys(),
    long_lines(),
    gzip_bomb(),
    invalid_utf8(),
    st.binary(max_size=2_000),
)
SETTINGS = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@SETTINGS
@given(HOSTILE)
def test_the_ocds_reader_refuses_or_reads_a_hostile_document_within_bounds(data):
    outcome = run("ocds", data)
    assert "read" in outcome or "refused" in outcome


@SETTINGS
@given(HOSTILE)
def test_the_scenario_parser_refuses_or_reads_a_hostile_document_within_bounds(data):
    outcome = run("scenario", data)
    assert "read" in outcome or "refused" in outcome


def test_the_child_reports_a_crash_as_a_failure():
    # The harness itself: a child that runs out of memory under its limit is seen to fail.
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            CHILD.replace("data = sys.stdin", "x = b' ' * 2**31\ndata = sys.stdin"),
            "ocds",
        ],
        input=b"[]",
        capture_output=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert done.returncode != 0
    assert b"MemoryError" in done.stderr
