"""Importing published contract notices (OCDS): 50,000 releases replicated from the real
samples, imported with `loti import-ocds` and timed against bare parsing and `ocdskit
compile` on the same file. See benchmarks/README.md.

    python benchmarks/ocds.py                            # a temporary SQLite file
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python benchmarks/ocds.py
    RELEASES=150000 python benchmarks/ocds.py            # another size
    MEMBERS=all python benchmarks/ocds.py                # every buyer one of ours

On PostgreSQL it DROPS and recreates the database named by BENCH_DB (default
`loti_bench_ocds`, and it must contain "bench") on the server DATABASE_URL points at;
DATABASE_URL's own database is never touched. The consortium is London's reference list of
organisations; with MEMBERS=all, every other buyer in the samples is added to it, so that no
process is skipped. It prints one JSON line; progress goes to stderr.
"""

from __future__ import annotations

import copy
import csv
import dataclasses
import datetime
import heapq
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TextIO

RELEASES = int(os.environ.get("RELEASES", "50000"))
MEMBERS = os.environ.get("MEMBERS", "london")
SEED = 2022
MAX_RELEASES_PER_OCID = 4
# Releases a package line holds, as on a Contracts Finder search page.
PACKAGE_SIZE = 100
# The releases of one ocid land anywhere among the next SPREAD ocids' releases, in any order.
SPREAD = 2_000
PARSE_RUNS = 3
TARGETS = {"vs_ocdskit": 3.0, "peak_mb": 500.0}

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "techmap" / "fixtures" / "ocds"
SCHEMA = FIXTURES / "release-schema-1.1.5.json"
LONDON = ROOT / "src" / "loti" / "members" / "data" / "london-organisations.csv"
BIN = Path(sys.executable).parent
# Stand-ins for the ocid and release id in a sample release's JSON text.
OCID_STANDIN = "@@bench-ocid@@"
ID_STANDIN = "@@bench-release-id@@"

started_at = time.perf_counter()


def log(message: str) -> None:
    print(f"[{time.perf_counter() - started_at:7.1f}s] {message}", file=sys.stderr, flush=True)


# -- the database ---------------------------------------------------------------------------


def child_environment(directory: Path) -> dict[str, str]:
    """The environment for `loti`: the settings it needs, each only if unset, and DATABASE_URL
    pointing at a fresh database (a file in `directory` when DATABASE_URL is unset)."""
    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "loti.config.settings")
    defaults = {
        "SECRET_KEY": "benchmark-only-secret-key-not-for-any-deployment-0123456789",
        "HTTPS": "false",
    }
    for name, value in defaults.items():
        if not env.get(name):
            env[name] = value
    url = env.get("DATABASE_URL", "")
    if not url:
        env["DATABASE_URL"] = f"sqlite:///{directory / 'bench.sqlite3'}"
        return env
    if url.split(":", 1)[0] not in {"postgres", "postgresql", "pgsql"}:
        raise SystemExit("DATABASE_URL must be a PostgreSQL URL, or unset for SQLite")
    from throwaway_database import recreate_postgres  # beside this script

    env["DATABASE_URL"] = recreate_postgres(url, env.get("BENCH_DB", "loti_bench_ocds"))
    return env


def buyers_csv(path: Path) -> int:
    """Write an organisations CSV naming every buyer in the samples that London's list does
    not already name, one per normalised name (a name two organisations share would match
    neither). Returns how many."""
    from loti.members.naming import organisation_name_keys

    with LONDON.open(newline="", encoding="utf-8") as handle:
        known = {
            key
            for row in csv.DictReader(handle)
            for name in (row["name"], row["short_name"])
            for key in organisation_name_keys(name)
        }
    names = sorted(
        {
            release["buyer"]["name"].strip()
            for sample in FIXTURES.glob("*.json")
            if sample != SCHEMA
            for release in json.loads(sample.read_text(encoding="utf-8"))["releases"]
            if (release.get("buyer") or {}).get("name", "").strip()
        }
    )
    rows = []
    for name in names:
        keys = set(organisation_name_keys(name))
        if keys and not keys & known:
            known |= keys
            rows.append(["", name, name[:100], "other", ""])
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["gss_code", "name", "short_name", "kind", "website"])
        writer.writerows(rows)
    return len(rows)


# -- the file -------------------------------------------------------------------------------


@dataclasses.dataclass
class Group:
    """The releases of one sample ocid, oldest first, as JSON text with the ocid and release
    id replaced by stand-ins; `prefix` is the publisher's ocid prefix."""

    prefix: str
    templates: list[str]


def sample_groups() -> tuple[list[Group], dict[str, dict[str, Any]]]:
    """The sample releases grouped by ocid, and each publisher's package metadata (without
    the pagination `links`) by ocid prefix."""
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    packages: dict[str, dict[str, Any]] = {}
    for path in sorted(FIXTURES.glob("*.json")):
        if path == SCHEMA:
            continue
        package = json.loads(path.read_text(encoding="utf-8"))
        for release in package["releases"]:
            prefix = "-".join(release["ocid"].split("-", 2)[:2])
            packages.setdefault(
                prefix, {k: v for k, v in package.items() if k not in {"releases", "links"}}
            )
            groups[release["ocid"]].append(release)
    result = []
    for ocid, releases in groups.items():
        templates = []
        for release in sorted(releases, key=lambda r: r["date"]):
            release = {**release, "ocid": OCID_STANDIN}
            if "id" in release:
                release["id"] = ID_STANDIN
            templates.append(json.dumps(release).replace(ocid, OCID_STANDIN))
        result.append(Group(prefix="-".join(ocid.split("-", 2)[:2]), templates=templates))
    return result, packages


def derive(release: dict[str, Any], *, release_id: str | None, rng: random.Random) -> dict:
    """A later release of the same contracting process: a few days to three months on, with
    the award values (or, before an award, the tender's value) changed."""
    derived = copy.deepcopy(release)
    date = datetime.datetime.fromisoformat(release["date"])
    date += datetime.timedelta(days=rng.randint(1, 90), minutes=rng.randint(0, 600))
    zulu = release["date"].endswith("Z")
    derived["date"] = date.strftime("%Y-%m-%dT%H:%M:%SZ") if zulu else date.isoformat()
    if release_id is not None:
        derived["id"] = release_id
    factor = rng.uniform(1.05, 1.3)
    awards = [a for a in derived.get("awards") or [] if (a.get("value") or {}).get("amount")]
    if awards:
        derived["tag"] = ["awardUpdate"]
        for award in awards:
            award["value"]["amount"] = round(award["value"]["amount"] * factor, 2)
    else:
        derived["tag"] = ["tenderAmendment"]
        tender = derived.setdefault("tender", {})
        value = tender.get("value") or {}
        amount = value.get("amount") or rng.randrange(10_000, 2_000_000, 500)
        tender["value"] = {"currency": "GBP", **value, "amount": round(amount * factor, 2)}
    return derived


def generated_releases(
    groups: list[Group], *, releases: int, rng: random.Random, stats: dict[str, int]
) -> Iterator[tuple[str, int, str]]:
    """(prefix, ocid number, release JSON) for `releases` releases under new ocids, each
    from a random sample group: 1-4 releases, the group's first ones and then releases
    derived from its last, with fresh release ids where the publisher gives ids."""
    count = number = 0
    while count < releases:
        number += 1
        group = rng.choice(groups)
        ocid = f"{group.prefix}-bench-{number:06d}"
        wanted = min(rng.randint(1, MAX_RELEASES_PER_OCID), releases - count)
        texts = [
            template.replace(OCID_STANDIN, ocid).replace(ID_STANDIN, f"{ocid}-{index + 1}")
            for index, template in enumerate(group.templates[:wanted])
        ]
        while len(texts) < wanted:
            last = json.loads(texts[-1])
            release_id = f"{ocid}-{len(texts) + 1}" if "id" in last else None
            texts.append(json.dumps(derive(last, release_id=release_id, rng=rng)))
            stats["derived"] += 1
        for text in texts:
            yield group.prefix, number, text
        count += len(texts)
        stats["ocids"] += 1


def build_file(path: Path, *, releases: int, seed: int = SEED) -> dict[str, int]:
    """Write `releases` releases to `path` as JSON Lines of release packages, PACKAGE_SIZE
    releases a line, each line one publisher's. An ocid's releases are scattered, in random
    order, among those of the next SPREAD ocids, so nothing can rely on them being together
    or in date order. Returns counts."""
    rng = random.Random(seed)  # noqa: S311 (synthetic data)
    groups, packages = sample_groups()
    heads = {prefix: json.dumps(meta)[:-1] + ', "releases": [' for prefix, meta in packages.items()}
    stats = {"releases": 0, "ocids": 0, "derived": 0, "packages": 0}
    pending: list[tuple[float, int, str, str]] = []
    buffers: dict[str, list[str]] = defaultdict(list)

    def emit(out: TextIO, prefix: str, text: str) -> None:
        buffers[prefix].append(text)
        stats["releases"] += 1
        if len(buffers[prefix]) == PACKAGE_SIZE:
            flush(out, prefix)

    def flush(out: TextIO, prefix: str) -> None:
        out.write(heads[prefix] + ", ".join(buffers[prefix]) + "]}\n")
        buffers[prefix].clear()
        stats["packages"] += 1

    with path.open("w", encoding="utf-8") as out:
        generated = generated_releases(groups, releases=releases, rng=rng, stats=stats)
        for sequence, (prefix, number, text) in enumerate(generated):
            heapq.heappush(pending, (number + rng.uniform(0, SPREAD), sequence, prefix, text))
            while pending and pending[0][0] < number:
                _, _, ready_prefix, ready = heapq.heappop(pending)
                emit(out, ready_prefix, ready)
        while pending:
            _, _, ready_prefix, ready = heapq.heappop(pending)
            emit(out, ready_prefix, ready)
        for prefix, texts in buffers.items():
            if texts:
                flush(out, prefix)
    return stats


# -- measurements ---------------------------------------------------------------------------


@dataclasses.dataclass
class Run:
    seconds: float
    peak_mb: float
    stdout: str


def run(argv: list[str], *, env: dict[str, str] | None = None, stdin: Path | None = None) -> Run:
    """Run `argv` to the end: wall time around it, and its peak resident memory from the
    child's own rusage (wait4). Its stderr passes through; stdout is kept, unless stdin is a
    file, when it goes to /dev/null."""
    with tempfile.TemporaryFile() as captured:
        source = stdin.open("rb") if stdin else subprocess.DEVNULL
        sink = subprocess.DEVNULL if stdin else captured
        try:
            started = time.perf_counter()
            process = subprocess.Popen(argv, env=env, stdin=source, stdout=sink)  # noqa: S603
            _, status, usage = os.wait4(process.pid, 0)
            seconds = time.perf_counter() - started
        finally:
            if stdin:
                source.close()
        process.returncode = os.waitstatus_to_exitcode(status)
        captured.seek(0)
        stdout = captured.read().decode("utf-8")
    if process.returncode:
        raise RuntimeError(f"{' '.join(argv)} exited with {process.returncode}: {stdout[:2000]}")
    # ru_maxrss is in KiB on Linux.
    return Run(seconds=seconds, peak_mb=usage.ru_maxrss / 1024, stdout=stdout)


def best_of(runs: int, work: Callable[[], int], expected: int) -> float:
    """The shortest of `runs` timings of `work`, which must return `expected`."""
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        found = work()
        samples.append(time.perf_counter() - started)
        if found != expected:
            raise RuntimeError(f"parsed {found} releases, expected {expected}")
    return min(samples)


def parse_ijson(path: Path) -> int:
    """Every release parsed with ijson's yajl2_c backend (as the import streams a single JSON
    document): `releases.item` of each package in the stream, numbers as floats."""
    import ijson

    backend = ijson.get_backend("yajl2_c")
    with path.open("rb") as handle:
        items = backend.items(handle, "releases.item", multiple_values=True, use_float=True)
        return sum(1 for _ in items)


def parse_json(path: Path) -> int:
    """Every release parsed with json.loads, a line at a time (as the import reads JSON
    Lines)."""
    with path.open("rb") as handle:
        return sum(len(json.loads(line)["releases"]) for line in handle)


def import_ocds(path: Path, env: dict[str, str]) -> tuple[Run, dict[str, Any]]:
    result = run([str(BIN / "loti"), "import-ocds", str(path), "--json"], env=env)
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    return result, json.loads(lines[-1])


def main() -> None:
    directory = Path(tempfile.mkdtemp(prefix="loti-bench-ocds-"))
    try:
        print(json.dumps(benchmark(directory)))
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def benchmark(directory: Path) -> dict[str, Any]:
    if MEMBERS not in {"london", "all"}:
        raise SystemExit(f"MEMBERS must be london or all, not {MEMBERS!r}")
    path = directory / "releases.jsonl"
    log(f"writing {RELEASES:,} releases to {path}")
    stats = build_file(path, releases=RELEASES)
    file_mb = path.stat().st_size / 2**20
    log(f"{stats['releases']:,} releases, {stats['ocids']:,} ocids, {file_mb:,.0f} MB")

    parse_ijson_s = best_of(PARSE_RUNS, lambda: parse_ijson(path), stats["releases"])
    parse_json_s = best_of(PARSE_RUNS, lambda: parse_json(path), stats["releases"])
    parse_s = min(parse_ijson_s, parse_json_s)
    log(f"parsing: ijson {parse_ijson_s:.2f} s, json.loads {parse_json_s:.2f} s")

    ocdskit = run([str(BIN / "ocdskit"), "compile", "--schema", str(SCHEMA)], stdin=path)
    log(f"ocdskit compile: {ocdskit.seconds:.1f} s, {ocdskit.peak_mb:.0f} MB")

    env = child_environment(directory)
    commands = [["migrate", "--no-input", "-v", "0"], ["load_organisations"]]
    if MEMBERS == "all":
        log(f"{buyers_csv(directory / 'buyers.csv')} more buyers made organisations")
        commands.append(["load_organisations", str(directory / "buyers.csv")])
    for command in commands:
        subprocess.run([str(BIN / "loti"), *command], env=env, check=True, stdout=sys.stderr)  # noqa: S603
    log("database migrated, organisations loaded; importing")
    ours, report = import_ocds(path, env)
    log(f"import: {ours.seconds:.1f} s, {ours.peak_mb:.0f} MB: {report}")
    again, rereport = import_ocds(path, env)
    log(f"re-import: {again.seconds:.1f} s, {again.peak_mb:.0f} MB: {rereport}")

    releases = stats["releases"]
    vs_ocdskit = ocdskit.seconds / ours.seconds
    peak_mb = ours.peak_mb
    return {
        "releases": releases,
        "releases_per_s": round(releases / ours.seconds),
        "peak_mb": round(peak_mb, 1),
        "vs_ocdskit": round(vs_ocdskit, 2),
        "vs_parse": round(ours.seconds / parse_s, 1),
        "ours_s": round(ours.seconds, 2),
        "reimport_s": round(again.seconds, 2),
        "reimport_peak_mb": round(again.peak_mb, 1),
        "ocdskit_s": round(ocdskit.seconds, 2),
        "ocdskit_releases_per_s": round(releases / ocdskit.seconds),
        "ocdskit_peak_mb": round(ocdskit.peak_mb, 1),
        "parse_s": round(parse_s, 2),
        "parse_ijson_s": round(parse_ijson_s, 2),
        "parse_json_s": round(parse_json_s, 2),
        "targets": {
            "vs_ocdskit": {
                "at_least": TARGETS["vs_ocdskit"],
                "met": vs_ocdskit >= TARGETS["vs_ocdskit"],
            },
            "peak_mb": {"below": TARGETS["peak_mb"], "met": peak_mb < TARGETS["peak_mb"]},
        },
        "import": report,
        "reimport": rereport,
        "ocids": stats["ocids"],
        "members": MEMBERS,
        "derived_releases": stats["derived"],
        "packages": stats["packages"],
        "file_mb": round(file_mb, 1),
        "database": "sqlite" if env["DATABASE_URL"].startswith("sqlite") else "postgres",
        "python": sys.version.split()[0],
        "seed": SEED,
    }


if __name__ == "__main__":
    main()
