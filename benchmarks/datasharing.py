"""Who may share with whom at scale: 400 organisations and 5,000 agreements in force of 2 to
400 parties with 20 data items each, bulk created; then the "can we share?" question
(`coverage.selectors.can_we_share`) and the overall coverage matrix
(`coverage.selectors.coverage_matrix`), each timed against the bare SQL it runs (the queries
the selector sent, captured and replayed through a cursor, rows fetched). See
benchmarks/README.md.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python benchmarks/datasharing.py
    ... python benchmarks/datasharing.py --agreements 500      # a quick run

PostgreSQL only (the production database): it DROPS and recreates the database named by
BENCH_DB (default `loti_bench_datasharing`, and it must contain "bench") on the server
DATABASE_URL points at, and drops it again at the end; DATABASE_URL's own database is only
connected to. It prints one JSON line; progress goes to stderr.
"""

from __future__ import annotations

import argparse
import datetime
import gc
import json
import math
import os
import random
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any

SEED = 2026
ORGANISATIONS = 400
AGREEMENTS = 5_000
ITEMS = 20
FEWEST, MOST = 2, 400
QUESTIONS = 200
MATRICES = 30
BATCH = 5_000
TARGETS = {"question_p95_ms": 200.0, "question_to_sql_ratio": 3.0, "matrix_p95_ms": 200.0}

THEMES = [
    "adult social care placements", "children's safeguarding referrals", "youth offending",
    "school admissions", "housing needs and homelessness", "troubled families support",
    "public health surveillance", "domestic abuse risk assessment", "council tax fraud",
    "parking enforcement", "waste collection routes", "flood risk planning",
    "anti-social behaviour", "hospital discharge", "special educational needs",
    "rough sleeping outreach", "benefit take-up", "licensing enforcement",
    "electoral registration", "air quality monitoring",
]  # fmt: skip
ITEM_NAMES = {
    "personal": ["name", "address", "date of birth", "phone number", "email address",
                 "household members", "tenancy reference", "NHS number", "UPRN"],
    "special": ["health condition", "care needs", "disability", "ethnicity", "religion",
                "mental health history"],
    "criminal": ["offending history", "police warnings", "court orders", "risk flags"],
    "pseudonymised": ["pseudonymised case number", "hashed identifier", "linked record key"],
    "anonymised": ["counts by ward", "monthly totals", "aggregate outcomes"],
}  # fmt: skip

started_at = time.perf_counter()


def log(message: str) -> None:
    print(f"[{time.perf_counter() - started_at:7.1f}s] {message}", file=sys.stderr, flush=True)


def configure() -> tuple[str, str]:
    from throwaway_database import postgres_benchmark  # beside this script

    return postgres_benchmark("loti_bench_datasharing")


# -- the registry ------------------------------------------------------------------------------


def party_count(rng: random.Random, spread: str) -> int:
    """2 to 400 parties. `log`: uniform in the logarithm, so most agreements are bilateral or
    small and a few are consortium-wide, as registries are; `uniform`: any size alike (about
    200 parties on average, the heavier case)."""
    if spread == "uniform":
        return rng.randint(FEWEST, MOST)
    return min(MOST, round(math.exp(rng.uniform(math.log(FEWEST), math.log(MOST + 0.5)))))


def build_registry(
    *, agreements: int, spread: str, rng: random.Random, today: datetime.date
) -> dict[str, Any]:
    """ORGANISATIONS organisations and `agreements` agreements, each with one version of ITEMS
    data items and its parties, bulk created: 94% signed by every party and in force, 3%
    ended, 3% awaiting signatures; one party in fifty of those in force has withdrawn."""
    from django.db import connection
    from django.utils import timezone

    from loti.core.permissions import Role
    from loti.datasharing.lawful_basis import Article6, Article9, Article10, Schedule1
    from loti.datasharing.models import Agreement, DataItem, Frequency, Party, Signature, Version
    from loti.members.models import Organisation, Person

    organisations = Organisation.objects.bulk_create(
        Organisation(
            name=f"Bench Organisation {n:03d}",
            short_name=f"Bench {n:03d}",
            slug=f"bench-{n:03d}",
            kind="london_borough",
        )
        for n in range(ORGANISATIONS)
    )
    office = Person.objects.create_user(
        email="bench.office@loti.example", password=None, full_name="Bench Office", role=Role.OFFICE
    )
    officer = Person.objects.create_user(
        email="bench.officer@loti.example",
        password=None,
        full_name="Bench Officer",
        role=Role.OFFICER,
        organisation=organisations[0],
    )
    now = timezone.now()
    sizes: list[int] = []
    for start in range(0, agreements, BATCH):
        count = min(BATCH, agreements - start)
        states = [
            rng.choices(["signed", "ended", "consultation"], weights=[94, 3, 3])[0]
            for _ in range(count)
        ]
        created = Agreement.objects.bulk_create(
            Agreement(
                title=f"{rng.choice(THEMES).capitalize()} agreement {start + n}",
                slug=f"bench-agreement-{start + n}",
                status=Agreement.Status.CONSULTATION
                if state == "consultation"
                else Agreement.Status.SIGNED,
                created_at=now,
                updated_at=now,
            )
            for n, state in enumerate(states)
        )
        versions, items, chosen = [], [], []
        for agreement, state in zip(created, states, strict=True):
            theme, other = rng.sample(THEMES, 2)
            begins = today - datetime.timedelta(days=rng.randint(30, 5 * 365))
            special = rng.random() < 0.5
            criminal = rng.random() < 0.3
            versions.append(
                Version(
                    agreement_id=agreement.pk,
                    number=1,
                    purpose=f"Share data for {theme}, and for {other} where it helps residents",
                    benefits="Fewer repeated questions; services joined up",
                    article6=Article6.PUBLIC_TASK,
                    article6_detail="Local Government Act 1972, section 111",
                    article9=Article9.HEALTH_OR_SOCIAL_CARE if special else "",
                    schedule1=Schedule1.HEALTH_OR_SOCIAL_CARE if special else "",
                    article10=Article10.OFFICIAL_AUTHORITY if criminal else "",
                    data_subjects="Residents",
                    transfer_method="Secure file transfer",
                    frequency=Frequency.MONTHLY,
                    security="Encrypted at rest and in transit",
                    retention="Two years",
                    deletion="Deleted with a certificate",
                    rights="Each controller answers for its residents",
                    privacy_information="Each party's privacy notice",
                    breach_reporting="Within 24 hours",
                    start_date=begins,
                    review_date=begins + datetime.timedelta(days=3 * 365),
                    end_date=today - datetime.timedelta(days=10) if state == "ended" else None,
                    created_at=now,
                )
            )
            wanted = (
                ["personal"] + (["special"] if special else []) + (["criminal"] if criminal else [])
            )
            wanted += rng.sample(["pseudonymised", "anonymised"], rng.randint(0, 2))
            names = [(c, name) for c in wanted for name in ITEM_NAMES[c]]
            rng.shuffle(names)
            names = names[:ITEMS]
            while len(names) < ITEMS:
                names.append(("personal", f"field {len(names)}"))
            items.append(names)
            size = party_count(rng, spread)
            sizes.append(size)
            chosen.append(rng.sample(organisations, size))
        versions = Version.objects.bulk_create(versions)
        DataItem.objects.bulk_create(
            (
                DataItem(version_id=version.pk, name=name, category=category, order=k)
                for version, names in zip(versions, items, strict=True)
                for k, (category, name) in enumerate(names)
            ),
            batch_size=BATCH,
        )
        parties = Party.objects.bulk_create(
            (
                Party(
                    version_id=version.pk,
                    organisation_id=organisation.pk,
                    role=Party.Role.JOINT_CONTROLLER,
                    withdrawn_on=today - datetime.timedelta(days=5)
                    if state == "signed" and rng.random() < 0.02
                    else None,
                )
                for version, state, members in zip(versions, states, chosen, strict=True)
                for organisation in members
            ),
            batch_size=BATCH,
        )
        state_of = {version.pk: state for version, state in zip(versions, states, strict=True)}
        Signature.objects.bulk_create(
            (
                Signature(
                    party_id=party.pk,
                    person_id=office.pk,
                    name="Bench Signatory",
                    capacity="Chief Digital Officer",
                    signed_at=now,
                )
                for party in parties
                if state_of[party.version_id] != "consultation" or rng.random() < 0.5
            ),
            batch_size=BATCH,
        )
        log(f"built {start + count:,} agreements, {len(parties):,} parties in this batch")
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE datasharing_agreement a SET current_version_id = v.id, "
            "in_force_version_id = CASE WHEN a.status = 'signed' THEN v.id END "
            "FROM datasharing_version v WHERE v.agreement_id = a.id"
        )
    return {
        "officer": officer,
        "organisations": organisations,
        "parties": sum(sizes),
        "parties_median": sorted(sizes)[len(sizes) // 2],
        "parties_max": max(sizes),
    }


# -- timing ------------------------------------------------------------------------------------


def p95(samples: Sequence[float]) -> float:
    """The nearest-rank 95th percentile."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def median(samples: Sequence[float]) -> float:
    return sorted(samples)[len(samples) // 2]


def timed(work: Callable[[], Any]) -> tuple[float, Any, list[tuple[str, Any]]]:
    """Seconds `work` took, its result, and the SQL it sent (with parameters)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        result = work()
        seconds = time.perf_counter() - started
    return seconds, result, [query["sql"] for query in captured.captured_queries]


def replay(statements: list[str]) -> float:
    """Seconds to run `statements` (as sent, parameters inlined) through a cursor, fetching
    every row."""
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
            cursor.fetchall()
    return time.perf_counter() - started


def time_each(
    works: list[Callable[[], Any]], *, keep: bool = True
) -> tuple[list[float], list[float], list[Any]]:
    """Each work, then the SQL it ran replayed bare, one after the other, so that a busy spell
    on the machine slows both alike. Without `keep`, only the first result is kept: a web
    process does not hold every matrix it has served, and holding 30 would slow the
    collector's passes through the runs after them."""
    for work in works[:3]:  # warm-up
        _, _, statements = timed(work)
        replay(statements)
    selector, bare, results = [], [], []
    for work in works:
        seconds, result, statements = timed(work)
        selector.append(seconds)
        bare.append(replay(statements))
        results.append((result if keep or not results else None, len(statements)))
        del result
    return selector, bare, results


def explain(work: Callable[[], Any], label: str) -> None:
    """EXPLAIN ANALYZE of each query `work` sends, to stderr."""
    from django.db import connection

    _, _, statements = timed(work)
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute("EXPLAIN ANALYZE " + sql)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            log(f"{label}: {sql[:300]}\n{plan}")


def figures(prefix: str, selector: list[float], bare: list[float]) -> dict[str, Any]:
    return {
        f"{prefix}_p95_ms": round(p95(selector) * 1000, 1),
        f"{prefix}_sql_p95_ms": round(p95(bare) * 1000, 1),
        f"{prefix}_to_sql_ratio": round(p95(selector) / p95(bare), 2),
        f"{prefix}_median_ms": round(median(selector) * 1000, 1),
        f"{prefix}_sql_median_ms": round(median(bare) * 1000, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--agreements", type=int, default=AGREEMENTS)
    parser.add_argument("--questions", type=int, default=QUESTIONS)
    parser.add_argument("--matrices", type=int, default=MATRICES)
    parser.add_argument("--spread", choices=["log", "uniform"], default="log")
    parser.add_argument("--explain", action="store_true", help="print query plans to stderr")
    args = parser.parse_args()
    server, name = configure()
    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from loti.datasharing.coverage import selectors
    from loti.datasharing.models import Category

    try:
        rng = random.Random(f"{SEED}:datasharing:{args.agreements}:{args.spread}")  # noqa: S311
        today = timezone.localdate()
        call_command("migrate", interactive=False, verbosity=0)
        started = time.perf_counter()
        registry = build_registry(
            agreements=args.agreements, spread=args.spread, rng=rng, today=today
        )
        build_s = time.perf_counter() - started
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        # What building the registry left behind is collected now, as a web process never
        # held it, rather than in the middle of a timed request.
        gc.collect()
        user = registry["officer"]
        organisations = registry["organisations"]

        log("timing questions")
        categories = list(Category.values)
        questions = []
        for _ in range(args.questions):
            a, b = rng.sample(organisations, 2)
            question = {
                "a": a,
                "b": b,
                "category": rng.choices(categories, weights=[5, 3, 2, 1, 1])[0],
                "purpose": rng.choice(THEMES),
            }
            questions.append(lambda q=question: selectors.can_we_share(user=user, **q))
        q_selector, q_bare, answers = time_each(questions)

        log("timing the matrix")

        def computed():
            # As the first request after a change to the registry: nothing kept.
            cache.clear()
            return selectors.coverage_matrix(user=user)

        matrices = [computed] * args.matrices
        m_selector, m_bare, built = time_each(matrices, keep=False)
        # As every later request until the next change: the matrix kept between requests.
        kept = [lambda: selectors.coverage_matrix(user=user)] * args.matrices
        k_selector, k_bare, _ = time_each(kept, keep=False)
        matrix = built[0][0]
        if args.explain:
            explain(lambda: selectors.coverage_matrix(user=user), "matrix")
            explain(questions[0], "question")

        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            version = cursor.fetchone()[0]
        covered = [answer.total for answer, _ in answers]
        print(
            json.dumps(
                {
                    "agreements": args.agreements,
                    "question_p95_ms": round(p95(q_selector) * 1000, 1),
                    "question_to_sql_ratio": round(p95(q_selector) / p95(q_bare), 2),
                    "matrix_p95_ms": round(p95(m_selector) * 1000, 1),
                    "matrix_to_sql_ratio": round(p95(m_selector) / p95(m_bare), 2),
                    **figures("question", q_selector, q_bare),
                    **figures("matrix", m_selector, m_bare),
                    **figures("matrix_kept", k_selector, k_bare),
                    "targets": TARGETS,
                    "organisations": ORGANISATIONS,
                    "spread": args.spread,
                    "parties": registry["parties"],
                    "parties_median": registry["parties_median"],
                    "parties_max": registry["parties_max"],
                    "data_items": args.agreements * ITEMS,
                    "questions": len(questions),
                    "questions_covered": sum(1 for total in covered if total),
                    "covering_median": median(covered),
                    "question_queries_max": max(n for _, n in answers),
                    "matrix_queries": built[0][1],
                    "matrix_runs": len(matrices),
                    "pairs_covered": matrix.pair_count(),
                    "agreements_in_force": len(matrix.coverage.agreements),
                    "build_s": round(build_s, 1),
                    "database": connection.vendor,
                    "database_version": version,
                }
            )
        )
    finally:
        connection.close()
        from throwaway_database import drop_postgres

        if not os.environ.get("BENCH_KEEP"):
            drop_postgres(server, name)


if __name__ == "__main__":
    main()
