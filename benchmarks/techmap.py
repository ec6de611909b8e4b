"""The technology map at national scale: 400 organisations with 1,000 systems and 1,000
contracts each, timed. See benchmarks/README.md.

    python benchmarks/techmap.py                         # a temporary SQLite file
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python benchmarks/techmap.py

On PostgreSQL it DROPS and recreates the database named by BENCH_DB (default `loti_bench`,
and it must contain "bench") on the server DATABASE_URL points at; DATABASE_URL's own
database is never touched. It prints one JSON line. The estate is synthetic.
"""

from __future__ import annotations

import datetime
import heapq
import io
import json
import math
import os
import random
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from typing import Any

ORGANISATIONS = 400
SYSTEMS_PER_ORGANISATION = 1_000
IMPORT_ROWS = 100_000
PAGE_RUNS = int(os.environ.get("PAGE_RUNS", "100"))
WARM_UP = 3
# A page far over its target stops being fetched after this long (at least MIN_RUNS times), so
# that a regression shows in minutes rather than hours; the output says how many runs it got.
PAGE_BUDGET_S = float(os.environ.get("PAGE_BUDGET_S", "120"))
MIN_RUNS = 3
TARGETS = {
    "opportunities_s": 2.0,
    "opportunities_to_read_ratio": 1.5,
    "page_p95_ms": 300.0,
    "page_to_sql_ratio": 3.0,
    "import_100k_s": 60.0,
}

# Names for the extra, made-up vendors that scale the demo catalogue up.
PREFIXES = [
    "Albion", "Beacon", "Cedar", "Dovetail", "Elmstead", "Fenwick", "Greystone", "Harbour",
    "Ironbridge", "Juniper", "Kestrel", "Larkfield", "Meridian", "Northgate Valley", "Oakhurst",
    "Pennine", "Quayside", "Redwood", "Saxon", "Thameside", "Upland", "Vale", "Wessex",
    "Yarrow", "Zenith", "Aldgate", "Brookside", "Cobalt", "Dunmore", "Eastcote",
]  # fmt: skip
SUFFIXES = [
    "Software", "Systems", "Digital", "Technologies", "Solutions", "Data", "Civic Tech",
    "Cloud", "Informatics", "Networks", "Labs", "Computing",
]  # fmt: skip
KINDS = [
    "district_council", "unitary_authority", "county_council", "metropolitan_borough",
    "london_borough",
]  # fmt: skip

TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT")


def configure() -> str | None:
    """Set the environment Django needs and point DATABASE_URL at a fresh database (SQLite
    when unset). Returns the temporary directory to remove afterwards, if any."""
    from throwaway_database import POSTGRES_SCHEMES, django_environment, recreate_postgres

    django_environment()
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        directory = tempfile.mkdtemp(prefix="loti-bench-")
        os.environ["DATABASE_URL"] = f"sqlite:///{directory}/bench.sqlite3"
        return directory
    if url.split(":", 1)[0] not in POSTGRES_SCHEMES:
        raise SystemExit("DATABASE_URL must be a PostgreSQL URL, or unset for SQLite")
    os.environ["DATABASE_URL"] = recreate_postgres(url, os.environ.get("BENCH_DB", "loti_bench"))
    return None


# -- the estate ------------------------------------------------------------------------------


def scaled_catalogue(*, products: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The demo catalogue's vendors and products, plus made-up vendors (three or four products
    each, in different categories) until there are `products` products. The demo's products
    keep their dominant market shares; the made-up ones share the long tail."""
    from loti.techmap import demo

    data = demo.catalogue()
    vendors = [dict(v) for v in data["vendors"]]
    items = [
        {**p, "category": name, "weight": float(p["share"])}
        for name, category in data["categories"].items()
        for p in category["products"]
    ]
    categories = list(data["categories"])
    index = 0
    while len(items) < products:
        name = (
            f"{PREFIXES[index % len(PREFIXES)]} {SUFFIXES[index // len(PREFIXES) % len(SUFFIXES)]}"
        )
        if index >= len(PREFIXES) * len(SUFFIXES):
            name += f" {index // (len(PREFIXES) * len(SUFFIXES)) + 1}"
        vendors.append(
            {
                "name": name,
                "companies_house_number": f"99{500_000 + index:06d}",
                "is_sme": index % 3 != 0,
                "aliases": [],
            }
        )
        for offset in range(3 + index % 2):
            if len(items) >= products:
                break
            category = categories[(index * 5 + offset * 11) % len(categories)]
            rank = sum(1 for item in items if item["category"] == category)
            items.append(
                {
                    "vendor": name,
                    "name": f"{name} {category}",
                    "hosting": ("saas", "hosted", "on_premises")[(index + offset) % 3],
                    "category": category,
                    "weight": 20.0 / rank,
                }
            )
        index += 1
    return vendors, items


def build_estate(
    *,
    organisations: int = ORGANISATIONS,
    systems_per_organisation: int = SYSTEMS_PER_ORGANISATION,
    seed: int = 2019,
    today: datetime.date,
    chunk: int = 50_000,
) -> dict[str, Any]:
    """Create `organisations` synthetic councils, each with `systems_per_organisation` systems
    and one contract per system, and a member officer of the first to sign in as. Writes with
    COPY on PostgreSQL and bulk_create elsewhere, `chunk` systems at a time."""
    from django.apps import apps
    from django.db import connection, transaction
    from django.utils.text import slugify

    from loti.core.permissions import Role
    from loti.members.models import Organisation, Person
    from loti.techmap import demo, taxonomy
    from loti.techmap.matching import normalise
    from loti.techmap.models import Contract, Product, ProductCategory, System, Vendor

    rng = random.Random(f"{seed}:techmap-benchmark")  # noqa: S311 (synthetic data)
    taxonomy.load(models=apps)
    vendor_rows, product_rows = scaled_catalogue(
        products=max(math.ceil(systems_per_organisation * 1.5), 1)
    )
    data = demo.catalogue()
    with transaction.atomic():
        Vendor.objects.bulk_create(
            [
                Vendor(
                    name=v["name"],
                    normalised_name=normalise(v["name"]),
                    slug=slugify(v["name"]),
                    companies_house_number=v["companies_house_number"],
                    is_sme=v["is_sme"],
                )
                for v in vendor_rows
            ],
            ignore_conflicts=True,
        )
        vendors = dict(Vendor.objects.values_list("name", "pk"))
        categories = {
            c.name: c for c in ProductCategory.objects.prefetch_related("usual_service_areas")
        }
        area_ids = {
            n: sorted(a.pk for a in c.usual_service_areas.all()) for n, c in categories.items()
        }
        Product.objects.bulk_create(
            [
                Product(
                    vendor_id=vendors[p["vendor"]],
                    name=p["name"],
                    slug=slugify(p["name"]),
                    category=categories[p["category"]],
                    hosting=p["hosting"],
                )
                for p in product_rows
            ],
            ignore_conflicts=True,
        )
        product_ids = {
            (vendor_id, name): pk
            for pk, vendor_id, name in Product.objects.values_list("pk", "vendor_id", "name")
        }
        catalogue = [
            (product_ids[(vendors[p["vendor"]], p["name"])], vendors[p["vendor"]], p)
            for p in product_rows
        ]
        first = (Organisation.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
        Organisation.objects.bulk_create(
            Organisation(
                name=f"Synthetic Council {first + i:04d}",
                short_name=f"Synthetic {first + i:04d}",
                slug=f"synthetic-{first + i:04d}",
                kind=KINDS[i % len(KINDS)],
            )
            for i in range(organisations)
        )
        councils = list(
            Organisation.objects.filter(slug__startswith="synthetic-")
            .order_by("pk")
            .values_list("pk", flat=True)
        )[-organisations:]
        officer = Person.objects.create_user(
            f"bench.officer{first}@loti.example",
            None,
            full_name="Bench Officer",
            role=Role.OFFICER,
            organisation_id=councils[0],
        )
        writer = _copy_writer(connection) if connection.vendor == "postgresql" else _bulk_writer()
        system_id = (System.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
        contract_id = (
            Contract.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        ) + 1
        pending: dict[str, list[tuple]] = {"systems": [], "areas": [], "contracts": []}
        count = 0
        weights = [p["weight"] for _, _, p in catalogue]
        for organisation_id in councils:
            size = rng.random()
            # Weighted sampling without replacement (Efraimidis and Spirakis): keep the
            # largest random() ** (1 / weight).
            picked = heapq.nlargest(
                min(systems_per_organisation, len(catalogue)),
                range(len(catalogue)),
                key=lambda i: rng.random() ** (1.0 / weights[i]),
            )
            for index in sorted(picked):
                product_id, vendor_id, product = catalogue[index]
                category = data["categories"][product["category"]]
                contract = demo.contract_fields(
                    rng, category=category, product_name=product["name"], today=today, size=size
                )
                fields, served = demo.system_fields(
                    rng,
                    category=category,
                    today=today,
                    size=size,
                    area_ids=area_ids[product["category"]],
                    contract_starts_on=contract["starts_on"],
                )
                pending["systems"].append(
                    (
                        system_id,
                        organisation_id,
                        product_id,
                        fields["in_use_since"],
                        fields["users"],
                        fields["satisfaction"],
                        fields["notes"],
                        fields["updated_at"],
                    )
                )
                pending["areas"].extend((system_id, area) for area in served)
                pending["contracts"].append(
                    (
                        contract_id,
                        organisation_id,
                        system_id,
                        vendor_id,
                        contract["title"],
                        contract["starts_on"],
                        contract["ends_on"],
                        contract["extension_options"],
                        contract["annual_value"],
                        contract["total_value"],
                        contract["procurement_route"],
                        contract["source"],
                        contract["is_public"],
                        contract["notes"],
                        fields["updated_at"],
                    )
                )
                system_id += 1
                contract_id += 1
                count += 1
            if len(pending["systems"]) >= chunk:
                _flush(writer, pending)
        _flush(writer, pending)
        _reset_sequences(connection, [System, Contract])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {
        "organisations": len(councils),
        "systems": count,
        "contracts": count,
        "products": len(catalogue),
        "vendors": len(vendor_rows),
        "officer": officer,
    }


SYSTEM_COLUMNS = (
    "id", "organisation_id", "product_id", "in_use_since", "users", "satisfaction", "notes",
    "updated_at",
)  # fmt: skip
CONTRACT_COLUMNS = (
    "id", "organisation_id", "system_id", "vendor_id", "title", "starts_on", "ends_on",
    "extension_options", "annual_value", "total_value", "procurement_route", "source",
    "is_public", "notes", "updated_at",
)  # fmt: skip


def _flush(
    writer: Callable[[str, Sequence[str], list[tuple]], None], pending: dict[str, list[tuple]]
) -> None:
    writer("systems", SYSTEM_COLUMNS, pending["systems"])
    writer("areas", ("system_id", "servicearea_id"), pending["areas"])
    writer("contracts", CONTRACT_COLUMNS, pending["contracts"])
    for rows in pending.values():
        rows.clear()


def _models() -> dict[str, Any]:
    from loti.techmap.models import Contract, System

    return {"systems": System, "areas": System.service_areas.through, "contracts": Contract}


def _copy_writer(connection: Any) -> Callable[[str, Sequence[str], list[tuple]], None]:
    models = _models()

    def write(kind: str, columns: Sequence[str], rows: list[tuple]) -> None:
        table = models[kind]._meta.db_table
        with (
            connection.cursor() as cursor,
            cursor.copy(
                f"COPY {table} ({', '.join(columns)}) FROM STDIN"  # names are ours, not input
            ) as copy,
        ):
            for row in rows:
                copy.write_row(row)

    return write


def _bulk_writer() -> Callable[[str, Sequence[str], list[tuple]], None]:
    models = _models()

    def write(kind: str, columns: Sequence[str], rows: list[tuple]) -> None:
        model = models[kind]
        model.objects.bulk_create(
            (model(**dict(zip(columns, row, strict=True))) for row in rows), batch_size=2_000
        )

    return write


def _reset_sequences(connection: Any, models: list[Any]) -> None:
    from django.core.management.color import no_style

    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)


# -- measurements ------------------------------------------------------------------------------


def p95(samples: Sequence[float]) -> float:
    """The nearest-rank 95th percentile."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def time_page(client: Any, url: str, *, runs: int = PAGE_RUNS) -> dict[str, Any]:
    """p95 of fetching `url` through the test client, and p95 of replaying, through a bare
    cursor, exactly the SQL one fetch of it ran (session, user and page queries alike). Each
    fetch is followed by one replay, so that both see the machine in the same state: a busy
    spell slows the two alike rather than only whichever was being timed then."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(WARM_UP):
        _fetch(client, url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    # Copied now: the next request clears the connection's query log. Transaction control
    # (the session save's COMMIT, savepoints) is not replayed: it could end the caller's
    # transaction.
    queries = [query["sql"] for query in captured.captured_queries]
    statements = [sql for sql in queries if not sql.upper().startswith(TRANSACTION_CONTROL)]
    page: list[float] = []
    bare: list[float] = []
    with connection.cursor() as cursor:
        for _ in range(WARM_UP):
            _replay(cursor, statements)
        budget = time.perf_counter() + PAGE_BUDGET_S
        while len(page) < runs and (len(page) < MIN_RUNS or time.perf_counter() < budget):
            page.append(_seconds(lambda: _fetch(client, url)))
            bare.append(_seconds(lambda: _replay(cursor, statements)))
    return {
        "p95_ms": round(p95(page) * 1000, 1),
        "sql_p95_ms": round(p95(bare) * 1000, 1),
        "ratio": round(p95(page) / p95(bare), 2) if p95(bare) else None,
        "queries": len(queries),
        "runs": len(page),
        "bytes": len(response.content),
    }


def _seconds(work: Callable[[], Any]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def _fetch(client: Any, url: str) -> None:
    response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}")


def _replay(cursor: Any, statements: Sequence[str]) -> None:
    for statement in statements:
        cursor.execute(statement)
        if cursor.description is not None:
            cursor.fetchall()


def time_opportunities(*, user: Any, today: datetime.date, runs: int = 3) -> dict[str, Any]:
    """The analysis as the opportunities page asks for it (every opportunity found and
    ranked, then the first page shown with its organisations, suppliers, categories and
    interest), and, straight after each run, a bare cursor's read of the same rows: exactly
    the SQL statements the analysis ran (names, service-area links, the contracts with the
    columns the finder reads, interest), every row fetched, no Django in between. Both take
    the median of `runs`; their ratio is what the analysis costs beyond reading its rows."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from loti.techmap import selectors
    from loti.techmap.views import OPPORTUNITIES_PER_PAGE

    def analyse() -> list[Any]:
        found = selectors.opportunities(user=user, today=today, window_months=12, horizon_months=36)
        for item in selectors.with_interest(
            user=user, opportunities=found[:OPPORTUNITIES_PER_PAGE]
        ):
            o = item.opportunity
            o.organisations, o.vendors, o.categories  # noqa: B018 (read them, as the page does)
        return found

    with CaptureQueriesContext(connection) as captured:
        found = analyse()
    statements = [
        query["sql"]
        for query in captured.captured_queries
        if not query["sql"].upper().startswith(TRANSACTION_CONTROL)
    ]
    samples: list[float] = []
    bare: list[float] = []
    with connection.cursor() as cursor:
        for _ in range(runs):
            samples.append(_seconds(analyse))
            bare.append(_seconds(lambda: _replay(cursor, statements)))
            if samples[-1] > PAGE_BUDGET_S / 4:
                break  # far over target: one run says so
    seconds, read = statistics.median(samples), statistics.median(bare)
    # To the tenth of a millisecond and below: a small estate's reads take under a
    # millisecond, and are not nothing.
    return {
        "seconds": round(seconds, 5),
        "read_s": round(read, 5),
        "ratio": round(seconds / read, 2) if read else None,
        "queries": len(statements),
        "found": len(found),
        "runs": len(samples),
    }


def time_import(
    *, user: Any, rows: int = IMPORT_ROWS, seed: int = 2019, today: datetime.date
) -> dict[str, Any]:
    """Read, preview and commit a CSV of `rows` rows for a new organisation, as an upload is
    handled: `read_table`, `validate_rows`, `commit_rows`. `user` must be an officer of it."""
    from loti.core.spreadsheets import read_table
    from loti.techmap import estate_import

    data = import_csv(rows=rows, seed=seed, today=today)
    started = time.perf_counter()
    table = read_table(data, "estate.csv")
    read = time.perf_counter()
    preview = estate_import.validate_rows(
        table.rows, organisation=user.organisation, user=user, decisions={}, source="spreadsheet"
    )
    validated = time.perf_counter()
    if not preview.ready:
        summary = preview.as_dict()
        raise RuntimeError(
            f"The import preview is not ready: {summary['problems'][:5]} {summary['decisions'][:3]}"
        )
    result = estate_import.commit_rows(preview, user=user)
    done = time.perf_counter()
    return {
        "seconds": round(done - started, 2),
        "read_s": round(read - started, 2),
        "preview_s": round(validated - read, 2),
        "commit_s": round(done - validated, 2),
        "summary": result.get("summary", ""),
    }


def import_csv(*, rows: int, seed: int, today: datetime.date) -> bytes:
    """`rows` rows in the import template's columns, one system and its contract each: every
    product already on the map, then new products (modules) of the same vendors until there
    are `rows`. Cells vary as people type them: vendor names with "Ltd" or in capitals, UK and
    ISO dates, money with and without "£", named service areas or none."""
    import csv

    from loti.techmap import demo, estate_import
    from loti.techmap.models import Product

    rng = random.Random(f"{seed}:techmap-import")  # noqa: S311 (synthetic data)
    data = demo.catalogue()
    known = list(
        Product.objects.order_by("pk").values_list(
            "name", "vendor__name", "category__name", "hosting"
        )
    )
    areas = {
        name: [a.name for a in c.usual_service_areas.all()] for name, c in _categories().items()
    }
    hosting_labels = {"saas": "SaaS", "hosted": "Hosted", "on_premises": "On premises", "": ""}
    columns = [column.label for column in estate_import.COLUMNS]
    keys = [column.key for column in estate_import.COLUMNS]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    for index in range(rows):
        name, vendor, category_name, hosting = known[index % len(known)]
        if index >= len(known):
            name = f"{name} module {index // len(known)}"
        category = data["categories"].get(category_name) or next(iter(data["categories"].values()))
        contract = demo.contract_fields(
            rng, category=category, product_name=name, today=today, size=0.5
        )
        system, served = demo.system_fields(
            rng,
            category=category,
            today=today,
            size=0.5,
            area_ids=list(range(len(areas[category_name]))),
            contract_starts_on=contract["starts_on"],
        )
        uk = rng.random() < 0.5
        cells = {
            "product": name,
            "vendor": rng.choice((vendor, vendor, vendor, f"{vendor} Ltd", vendor.upper())),
            "category": category_name,
            "hosting": hosting_labels[hosting],
            "service_areas": "; ".join(areas[category_name][i] for i in served)
            if rng.random() < 0.5
            else "",
            "in_use_since": _date(system["in_use_since"], uk),
            "users": str(system["users"]),
            "satisfaction": str(system["satisfaction"] or ""),
            "system_notes": system["notes"],
            # The import tells contracts apart by vendor, title and start date.
            "contract_title": contract["title"]
            if name in contract["title"]
            else f"{contract['title']}: {name}",
            "contract_start": _date(contract["starts_on"], uk),
            "contract_end": _date(contract["ends_on"], uk),
            "extension_options": contract["extension_options"],
            "annual_value": _money(contract["annual_value"], rng),
            "total_value": _money(contract["total_value"], rng),
            "procurement_route": contract["procurement_route"],
            "contract_public": "Yes" if contract["is_public"] else "No",
        }
        writer.writerow([cells.get(key, "") for key in keys])
    return out.getvalue().encode("utf-8")


def _categories() -> dict[str, Any]:
    from loti.techmap.models import ProductCategory

    return {c.name: c for c in ProductCategory.objects.prefetch_related("usual_service_areas")}


def _date(day: datetime.date | None, uk: bool) -> str:
    if day is None:
        return ""
    return day.strftime("%d/%m/%Y") if uk else day.isoformat()


def _money(value: Any, rng: random.Random) -> str:
    if value is None:
        return ""
    return f"£{value:,.2f}" if rng.random() < 0.5 else str(value)


def _import_officer() -> Any:
    """An officer of a new organisation with nothing on the map yet, to import for."""
    from loti.core.permissions import Role
    from loti.members.models import Organisation, Person

    organisation = Organisation.objects.create(
        name="Import Benchmark Council",
        short_name="Import Benchmark",
        slug="import-benchmark",
        kind="unitary_authority",
    )
    return Person.objects.create_user(
        "bench.importer@loti.example",
        None,
        full_name="Bench Importer",
        role=Role.OFFICER,
        organisation=organisation,
    )


def _database_version(connection: Any) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT sqlite_version()" if connection.vendor == "sqlite" else "SHOW server_version"
        )
        return cursor.fetchone()[0]


def main() -> None:
    temporary = configure()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.utils import timezone

    from loti.techmap.models import Product

    today = timezone.localdate()
    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    migrate_s = time.perf_counter() - started
    started = time.perf_counter()
    estate = build_estate(today=today)
    build_s = time.perf_counter() - started
    if connection.vendor == "postgresql":
        # The steady state autovacuum reaches after a bulk load: visibility map set, so
        # index-only scans need no heap visits. Outside any transaction, as VACUUM must be.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    officer = estate.pop("officer")

    opportunities = time_opportunities(user=officer, today=today)
    client = Client()
    client.force_login(officer)
    product = Product.objects.annotate(uses=Count("systems")).order_by("-uses", "pk").first()
    pages = {
        "map": "/techmap/",
        "product": f"/techmap/products/{product.slug}/",
        "expiry": "/techmap/expiry/",
    }
    timings = {name: time_page(client, url) for name, url in pages.items()}
    imported = time_import(user=_import_officer(), today=today)

    figures = {
        "opportunities_s": opportunities["seconds"],
        "opportunities_to_read_ratio": opportunities["ratio"],
        "page_p95_ms": {name: t["p95_ms"] for name, t in timings.items()},
        "page_to_sql_ratio": {name: t["ratio"] for name, t in timings.items()},
        "import_100k_s": imported["seconds"],
    }
    meets = {
        "opportunities_s": figures["opportunities_s"] < TARGETS["opportunities_s"],
        "opportunities_to_read_ratio": figures["opportunities_to_read_ratio"] is not None
        and figures["opportunities_to_read_ratio"] <= TARGETS["opportunities_to_read_ratio"],
        "page_p95_ms": {n: v < TARGETS["page_p95_ms"] for n, v in figures["page_p95_ms"].items()},
        "page_to_sql_ratio": {
            n: v is not None and v <= TARGETS["page_to_sql_ratio"]
            for n, v in figures["page_to_sql_ratio"].items()
        },
        "import_100k_s": figures["import_100k_s"] < TARGETS["import_100k_s"],
    }
    print(
        json.dumps(
            {
                **figures,
                "targets": TARGETS,
                "meets_targets": meets,
                "page_sql_p95_ms": {n: t["sql_p95_ms"] for n, t in timings.items()},
                "page_queries": {n: t["queries"] for n, t in timings.items()},
                "page_bytes": {n: t["bytes"] for n, t in timings.items()},
                "pages": pages,
                "opportunities_found": opportunities["found"],
                "opportunities_read_s": opportunities["read_s"],
                "opportunities_queries": opportunities["queries"],
                "import_parts_s": {k: imported[k] for k in ("read_s", "preview_s", "commit_s")},
                "import_summary": imported["summary"],
                **estate,
                "database": connection.vendor,
                "database_version": _database_version(connection),
                "migrate_s": round(migrate_s, 1),
                "build_s": round(build_s, 1),
                "today": today.isoformat(),
                "page_runs": {n: t["runs"] for n, t in timings.items()},
                "opportunities_runs": opportunities["runs"],
            }
        )
    )
    if temporary:
        import shutil

        connection.close()
        shutil.rmtree(temporary, ignore_errors=True)


if __name__ == "__main__":
    main()
