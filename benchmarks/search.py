"""Searching the library at scale: 100,000 resources with about 2 KB of text each, indexed with
modelsearch, then 200 searches with filters through the library's own query, each timed
against the same full-text query written by hand against the index. See benchmarks/README.md.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python benchmarks/search.py
    ... python benchmarks/search.py --resources 5000      # a quick run

PostgreSQL only (the production database): it DROPS and recreates the database named by
BENCH_DB (default `loti_bench_search`, and it must contain "bench") on the server
DATABASE_URL points at, and drops it again at the end; DATABASE_URL's own database is only
connected to. It prints one JSON line; progress goes to stderr.
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import random
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any

SEED = 2026
QUERIES = 200
PAGE = 20
BATCH = 2_000  # rows per bulk_create and per index_all
VOCABULARY = 4_000
WORDS_PER_TEXT = 300  # about 2 KB of text
ORGANISATIONS = 33
SELECTOR = "loti.library.selectors.resource_search"
TARGETS = {"query_p95_ms": 100.0, "query_to_sql_ratio": 2.0}

started_at = time.perf_counter()


def log(message: str) -> None:
    print(f"[{time.perf_counter() - started_at:7.1f}s] {message}", file=sys.stderr, flush=True)


def configure() -> tuple[str, str]:
    from throwaway_database import postgres_benchmark  # beside this script

    return postgres_benchmark("loti_bench_search", why=": the bare query is PostgreSQL's")


# -- the library -------------------------------------------------------------------------------


def vocabulary(rng: random.Random) -> tuple[list[str], list[float]]:
    """VOCABULARY made-up words (pronounceable, 4 to 10 letters, distinct) and Zipf weights,
    so a few words are in most resources and most words in a few, as in real text."""
    consonants, vowels = "bcdfghjklmnprstvwz", "aeiou"
    words: dict[str, None] = {}
    while len(words) < VOCABULARY:
        syllables = rng.randint(2, 5)
        words["".join(rng.choice(consonants) + rng.choice(vowels) for _ in range(syllables))] = None
    ranked = list(words)
    cumulative, total = [], 0.0
    for rank in range(1, len(ranked) + 1):
        total += 1 / rank
        cumulative.append(total)
    return ranked, cumulative


def build_library(*, resources: int, rng: random.Random, today: datetime.date) -> dict[str, Any]:
    """`resources` published resources (a few members-only, a few drafts), each with 1 to 3
    authors of ORGANISATIONS boroughs and one link version holding its text, bulk created."""
    from django.utils import timezone

    from loti.core.permissions import Role
    from loti.library.models import Kind, Licence, Resource, TextState, Version
    from loti.members.models import Organisation, Person

    words, cumulative = vocabulary(rng)
    organisations = Organisation.objects.bulk_create(
        Organisation(
            name=f"Bench Borough {n}",
            short_name=f"Bench {n}",
            slug=f"bench-{n}",
            kind="london_borough",
        )
        for n in range(ORGANISATIONS)
    )
    officer = Person.objects.create_user(
        email="bench.officer@loti.example",
        password=None,
        full_name="Bench Officer",
        role=Role.OFFICER,
        organisation=organisations[0],
    )
    kinds, licences = list(Kind.values), list(Licence.values)
    through = Resource.organisations.through
    texts: list[str] = []
    for start in range(0, resources, BATCH):
        rows, chosen = [], []
        for _ in range(min(BATCH, resources - start)):
            text = rng.choices(words, cum_weights=cumulative, k=WORDS_PER_TEXT)
            # The title and summary are words of the text, so the hand-written query over
            # the body alone finds what modelsearch finds over the title and the body.
            title = " ".join(rng.sample(text, 5)).capitalize()
            summary = " ".join(rng.sample(text, 20)).capitalize() + "."
            day = today - datetime.timedelta(days=rng.randint(0, 5 * 365))
            moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
            rows.append(
                Resource(
                    title=title,
                    summary=summary,
                    kind=rng.choice(kinds),
                    licence=rng.choice(licences),
                    published_at=None if rng.random() < 0.02 else moment,
                    created_at=moment,
                    updated_at=moment,
                )
            )
            chosen.append(rng.sample(organisations, rng.choice([1, 1, 1, 2, 3])))
            texts.append(" ".join(text))
        created = Resource.objects.bulk_create(rows)
        through.objects.bulk_create(
            through(resource_id=resource.pk, organisation_id=org.pk)
            for resource, orgs in zip(created, chosen, strict=True)
            for org in orgs
        )
        Version.objects.bulk_create(
            Version(
                resource_id=resource.pk,
                label="1.0",
                link=f"https://example.org/library/{resource.pk}",
                text=texts[start + n],
                text_state=TextState.READ,
                created_at=resource.created_at,
            )
            for n, resource in enumerate(created)
        )
        log(f"built {start + len(rows):,} resources")
    return {"officer": officer, "organisations": organisations, "words": words, "texts": texts}


def index_library() -> tuple[float, int]:
    """Index every resource with `core.search.index_all`, BATCH at a time, as a bulk import
    would; returns seconds and rows."""
    from loti.core import search
    from loti.library.models import Resource

    ids = list(Resource.objects.order_by("pk").values_list("pk", flat=True))
    started = time.perf_counter()
    for start in range(0, len(ids), BATCH):
        search.index_all(
            Resource, Resource.get_indexed_objects().filter(pk__in=ids[start : start + BATCH])
        )
        if (start // BATCH) % 10 == 0:
            log(f"indexed {start + BATCH:,}")
    return time.perf_counter() - started, len(ids)


# -- the searches -------------------------------------------------------------------------------


def queries(rng: random.Random, library: dict[str, Any], *, count: int) -> list[dict[str, Any]]:
    """`count` searches: one to three words of middling frequency (the words people search
    for, neither "the" nor a typo), a quarter with a phrase taken from a resource's text,
    and each with none, one or two of the filters."""
    from loti.library.models import Kind, Licence

    words, texts = library["words"], library["texts"]
    middling = words[20:1500]
    found = []
    for _ in range(count):
        if rng.random() < 0.25:
            text = rng.choice(texts).split()
            at = rng.randrange(len(text) - 1)
            q = f'"{text[at]} {text[at + 1]}"'
            if rng.random() < 0.5:
                q += f" {rng.choice(middling)}"
        else:
            q = " ".join(rng.sample(middling, rng.choice([1, 1, 2, 2, 3])))
        filters: dict[str, Any] = {}
        for name in rng.sample(
            ["kind", "licence", "year", "organisation"], rng.choice([0, 1, 1, 2])
        ):
            filters[name] = {
                "kind": lambda: rng.choice(Kind.values),
                "licence": lambda: rng.choice(Licence.values),
                "year": lambda: rng.randint(
                    datetime.date.today().year - 4, datetime.date.today().year
                ),
                "organisation": lambda: rng.choice(library["organisations"]),
            }[name]()
        if "organisation" in filters:
            # The bare query names the organisation by id, the selector by its slug.
            chosen = filters.pop("organisation")
            filters |= {"organisation": chosen.pk, "organisation_slug": chosen.slug}
        found.append({"q": q, **filters})
    return found


def selector_search(user: Any, spec: dict[str, Any]) -> tuple[list[int], int]:
    """The library's search as its page runs it (`selectors.resource_search`): the first
    page and the count."""
    from loti.library.selectors import resource_search

    results = resource_search(
        user=user,
        text=spec["q"],
        kind=spec.get("kind", ""),
        licence=spec.get("licence", ""),
        year=spec.get("year"),
        organisation=spec.get("organisation_slug", ""),
    )
    return [resource.pk for resource in results[:PAGE]], results.count()


def _start_of(year: int) -> datetime.datetime:
    from django.utils import timezone

    return timezone.make_aware(datetime.datetime(year, 1, 1))


def tsquery(text: str) -> str:
    """The query `core.search.parse` makes of `text`, in to_tsquery's syntax: every word, and
    each phrase's words in order."""
    from loti.core import search

    query = search.parse(text)
    parts = [f"'{term}'" for term in query.terms]
    parts += ["(" + " <-> ".join(f"'{w}'" for w in phrase) + ")" for phrase in query.phrases]
    return " & ".join(parts)


def bare_sql(user: Any, spec: dict[str, Any], content_type: int) -> tuple[str, str, list[Any]]:
    """The same search by hand: the index's body matched and ranked by its GIN index, joined
    to the resources with the same visibility and filters. Returns the page's SQL, the
    count's SQL and their parameters."""
    where = [
        "e.content_type_id = %s",
        "e.body @@ to_tsquery('simple', %s)",
        "(r.published_at IS NOT NULL OR r.id IN "
        "(SELECT resource_id FROM library_resource_organisations WHERE organisation_id = %s))",
    ]
    params: list[Any] = [content_type, tsquery(spec["q"]), user.organisation_id]
    if "kind" in spec:
        where.append("r.kind = %s")
        params.append(spec["kind"])
    if "licence" in spec:
        where.append("r.licence = %s")
        params.append(spec["licence"])
    if "year" in spec:
        where.append("r.published_at >= %s AND r.published_at < %s")
        params += [_start_of(spec["year"]), _start_of(spec["year"] + 1)]
    if "organisation" in spec:
        where.append(
            "r.id IN (SELECT resource_id FROM library_resource_organisations "
            "WHERE organisation_id = %s)"
        )
        params.append(spec["organisation"])
    joined = (
        "FROM modelsearch_indexentry e JOIN library_resource r ON r.id = e.object_id::integer "
        "WHERE " + " AND ".join(where)
    )
    page = (
        f"SELECT r.id, ts_rank(e.body, to_tsquery('simple', %s)) AS rank {joined} "
        f"ORDER BY rank DESC, r.id DESC LIMIT {PAGE}"
    )
    return page, f"SELECT count(*) {joined}", params


def p95(samples: Sequence[float]) -> float:
    """The nearest-rank 95th percentile."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def _seconds(work: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = work()
    return time.perf_counter() - started, result


def time_queries(user: Any, specs: list[dict[str, Any]]) -> dict[str, Any]:
    """Each search through the selector, then the same by hand, one after the other, so a
    busy spell on the machine slows both alike."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    from loti.library.models import Resource

    content_type = ContentType.objects.get_for_model(Resource).pk
    selector, bare, mismatched, totals = [], [], [], []

    def by_hand(page: str, count: str, params: list[Any]) -> int:
        with connection.cursor() as cursor:
            cursor.execute(page, [params[1], *params])
            cursor.fetchall()
            cursor.execute(count, params)
            return cursor.fetchone()[0]

    for spec in specs[:3]:  # warm-up
        selector_search(user, spec)
        by_hand(*bare_sql(user, spec, content_type))
    for spec in specs:
        seconds, (_, total) = _seconds(lambda spec=spec: selector_search(user, spec))
        selector.append(seconds)
        sql = bare_sql(user, spec, content_type)
        seconds, bare_total = _seconds(lambda sql=sql: by_hand(*sql))
        bare.append(seconds)
        totals.append(total)
        if total != bare_total:
            mismatched.append({**spec, "selector": total, "bare": bare_total})
    return {
        "query_p95_ms": round(p95(selector) * 1000, 1),
        "sql_p95_ms": round(p95(bare) * 1000, 1),
        "query_to_sql_ratio": round(p95(selector) / p95(bare), 2),
        "query_median_ms": round(sorted(selector)[len(selector) // 2] * 1000, 1),
        "sql_median_ms": round(sorted(bare)[len(bare) // 2] * 1000, 1),
        "results_median": sorted(totals)[len(totals) // 2],
        "counts_differ": mismatched[:5],
        "counts_differ_n": len(mismatched),
    }


def explain(user: Any, spec: dict[str, Any]) -> dict[str, str]:
    """EXPLAIN ANALYZE of the selector's page query and the bare one, for the slowest kind
    of search: what the report below quotes."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from loti.library.models import Resource

    with CaptureQueriesContext(connection) as captured:
        selector_search(user, spec)
    page, _, params = bare_sql(user, spec, ContentType.objects.get_for_model(Resource).pk)
    plans = {}
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN ANALYZE " + captured.captured_queries[0]["sql"])
        plans["selector_page"] = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("EXPLAIN ANALYZE " + page, [params[1], *params])
        plans["bare_page"] = "\n".join(row[0] for row in cursor.fetchall())
    return plans


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--resources", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=QUERIES)
    parser.add_argument("--explain", action="store_true", help="print query plans to stderr")
    args = parser.parse_args()
    server, name = configure()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    try:
        rng = random.Random(f"{SEED}:search:{args.resources}")  # noqa: S311 (synthetic data)
        today = timezone.localdate()
        call_command("migrate", interactive=False, verbosity=0)
        started = time.perf_counter()
        library = build_library(resources=args.resources, rng=rng, today=today)
        build_s = time.perf_counter() - started
        index_s, indexed = index_library()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        log("timing searches")
        specs = queries(rng, library, count=args.queries)
        timings = time_queries(library["officer"], specs)
        if args.explain:
            for label, plan in explain(library["officer"], specs[0]).items():
                log(f"{label} for {specs[0]}:\n{plan}")
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            version = cursor.fetchone()[0]
        print(
            json.dumps(
                {
                    "resources": args.resources,
                    "query_p95_ms": timings.pop("query_p95_ms"),
                    "query_to_sql_ratio": timings.pop("query_to_sql_ratio"),
                    "index_per_s": round(indexed / index_s, 1),
                    **timings,
                    "targets": TARGETS,
                    "queries": len(specs),
                    "index_s": round(index_s, 1),
                    "build_s": round(build_s, 1),
                    "text_bytes_mean": round(
                        sum(map(len, library["texts"])) / len(library["texts"])
                    ),
                    "selector": SELECTOR,
                    "database": connection.vendor,
                    "database_version": version,
                }
            )
        )
    finally:
        connection.close()
        from throwaway_database import drop_postgres

        drop_postgres(server, name)


if __name__ == "__main__":
    main()
