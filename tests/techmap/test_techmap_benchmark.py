"""The technology-map benchmark's own code, run end to end at a tiny size (the figures are
measured by `benchmarks/techmap.py`, see benchmarks/README.md)."""

import datetime
import importlib.util
from pathlib import Path

from django.db.models import Count, F
from django.test import Client

from loti.members.models import Organisation
from loti.techmap.models import Contract, Product, System

TODAY = datetime.date(2026, 11, 22)
BENCHMARK = Path(__file__).resolve().parents[2] / "benchmarks" / "techmap.py"


def load_benchmark():
    spec = importlib.util.spec_from_file_location("benchmarks_techmap", BENCHMARK)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_benchmark_builds_a_tiny_estate_and_measures_it(db):
    benchmark = load_benchmark()
    estate = benchmark.build_estate(organisations=3, systems_per_organisation=20, today=TODAY)
    assert (estate["organisations"], estate["systems"], estate["contracts"]) == (3, 60, 60)
    officer = estate["officer"]
    councils = Organisation.objects.filter(slug__startswith="synthetic-")
    assert sorted(councils.annotate(n=Count("systems")).values_list("n", flat=True)) == [20] * 3
    assert not Contract.objects.exclude(organisation=F("system__organisation")).exists()
    assert System.service_areas.through.objects.count() >= 60
    # Ids were given explicitly: the sequences must have moved past them.
    system = System.objects.first()
    copy = System.objects.create(
        organisation=officer.organisation, product=_unused_product(officer)
    )
    assert copy.pk > system.pk
    Contract.objects.create(
        organisation=officer.organisation, vendor=copy.product.vendor, title="t"
    )

    client = Client()
    client.force_login(officer)
    timing = benchmark.time_page(client, "/techmap/", runs=2)
    assert timing["queries"] > 0 and timing["p95_ms"] > 0 and timing["ratio"] > 0
    opportunities = benchmark.time_opportunities(user=officer, today=TODAY, runs=1)
    assert opportunities["found"] > 0
    assert opportunities["read_s"] > 0 and opportunities["ratio"] > 0
    assert opportunities["queries"] >= 4  # names, areas, links, contracts (and interest)
    imported = benchmark.time_import(user=benchmark._import_officer(), rows=50, today=TODAY)
    assert "50 systems added" in imported["summary"]
    assert (
        benchmark.p95([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20]) == 19
    )


def _unused_product(officer):
    return Product.objects.exclude(systems__organisation=officer.organisation).first()


def _unused_product(officer):
    return Product.objects.exclude(systems__organisation=officer.organisation).first()
