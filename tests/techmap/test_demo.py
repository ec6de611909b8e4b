import datetime
import random
from collections import Counter
from decimal import Decimal

import pytest
import time_machine
from django.db.models import Count
from django.urls import reverse
from django.utils.text import slugify

from loti.members import services as members
from loti.members.models import Organisation
from loti.techmap import demo, selectors
from loti.techmap.matching import normalise
from loti.techmap.models import (
    Contract,
    Notice,
    Product,
    SkillArea,
    SkillLevel,
    System,
    Vendor,
    VendorAlias,
)

TODAY = datetime.date(2026, 11, 22)


def build(seed: int) -> None:
    demo.build(rng=random.Random(f"{seed}:techmap"), today=TODAY)


def clear() -> None:
    for model in (Notice, SkillLevel, Contract, System, Product, VendorAlias, Vendor):
        model.objects.all().delete()


def fingerprint():
    return {
        "systems": sorted(
            System.objects.values_list(
                "organisation__slug", "product__slug", "in_use_since", "users", "satisfaction"
            )
        ),
        "areas": sorted(
            System.service_areas.through.objects.values_list(
                "system__organisation__slug", "system__product__slug", "servicearea__slug"
            )
        ),
        "contracts": sorted(
            Contract.objects.values_list(
                "organisation__slug",
                "vendor__slug",
                "title",
                "starts_on",
                "ends_on",
                "annual_value",
                "total_value",
                "procurement_route",
                "is_public",
            ),
            key=repr,
        ),
        "aliases": sorted(VendorAlias.objects.values_list("vendor__slug", "name")),
        "skills": sorted(
            SkillLevel.objects.values_list("organisation__slug", "skill_area__slug", "level")
        ),
        "tenders": sorted(
            Notice.objects.values_list("ocid", "organisation__slug", "title", "closes_at")
        ),
    }


@pytest.fixture(scope="module")
def london(module_transaction):
    """London's organisations with the demo's estate for seed 2019, built once for this
    module; a test that builds another estate clears this one first (in its savepoint)."""
    members.organisations_import(actor=None)
    build(2019)
    return Organisation.objects.filter(kind__in=Organisation.COUNCILS)


def test_the_estate_is_deterministic_for_a_seed(db, london):
    first = fingerprint()
    clear()
    build(2019)
    assert fingerprint() == first
    clear()
    build(8)
    assert fingerprint() != first


def test_every_borough_has_25_to_40_systems_and_the_gla_a_handful(db, london):
    counts = dict(Organisation.objects.annotate(n=Count("systems")).values_list("short_name", "n"))
    boroughs = [o.short_name for o in london]
    assert len(boroughs) == 33
    assert all(25 <= counts[name] <= 40 for name in boroughs), counts
    assert 5 <= counts["GLA"] <= 8
    assert counts["London Councils"] == counts["Met Police"] == 0


def test_contract_ends_spread_over_the_next_five_years(db, london):
    ends = list(Contract.objects.values_list("ends_on", flat=True))
    dated = [end for end in ends if end is not None]
    assert 0 < ends.count(None) < 0.1 * len(ends)
    past = [end for end in dated if end < TODAY]
    assert past and min(past) >= TODAY - datetime.timedelta(days=365)
    assert len(past) < 0.15 * len(dated)
    assert max(dated) <= TODAY + datetime.timedelta(days=5 * 365)
    years = Counter((end - TODAY).days // 365 for end in dated if end >= TODAY)
    assert sorted(years) == [0, 1, 2, 3, 4]
    assert min(years.values()) > 0.12 * len(dated)


def test_contracts_look_like_a_real_market(db, london):
    contracts = Contract.objects.select_related("system__product__category", "vendor")
    assert contracts.count() > 0.8 * System.objects.count()
    for contract in contracts:
        assert contract.vendor_id == contract.system.product.vendor_id
        assert contract.organisation_id == contract.system.organisation_id
        # Every contract on the map has started.
        assert contract.starts_on <= TODAY
        if contract.annual_value is not None:
            category = demo.catalogue()["categories"][contract.system.product.category.name]
            low, high = category["annual_value"]
            assert low <= contract.annual_value <= high
            if contract.total_value is not None:
                term = contract.total_value / contract.annual_value
                assert term == term.to_integral_value() and 3 <= term <= 10
    social_care = contracts.filter(system__product__category__name="Social care case management")
    assert all(
        Decimal(150_000) <= c.annual_value <= Decimal(600_000)
        for c in social_care
        if c.annual_value is not None
    )
    assert 0 < contracts.filter(is_public=True).count() < 0.15 * contracts.count()
    routes = set(contracts.values_list("procurement_route", flat=True))
    assert {"Open tender", "Direct award", "YPO", "ESPO"} <= routes
    assert any(route.startswith("G-Cloud") for route in routes)
    # A few vendors dominate each category: the leader of social care case management
    # runs at least a quarter of the boroughs' systems.
    leaders = Counter(
        System.objects.filter(product__category__name="Social care case management").values_list(
            "product__vendor__name", flat=True
        )
    )
    assert leaders.most_common(1)[0][1] >= 0.25 * sum(leaders.values())
    satisfaction = Counter(
        System.objects.exclude(satisfaction=None).values_list("satisfaction", flat=True)
    )
    assert satisfaction[3] + satisfaction[4] > 0.6 * sum(satisfaction.values())


def test_vendors_are_synthetic_and_normalised(db, london):
    for vendor in Vendor.objects.all():
        assert vendor.normalised_name == normalise(vendor.name)
        number = vendor.companies_house_number
        assert number == "" or number.startswith("99")
    aliases = VendorAlias.objects.select_related("vendor")
    assert aliases.count() >= 20
    assert all(alias.normalised_name == normalise(alias.name) for alias in aliases)
    assert (
        Vendor.objects.filter(is_sme=True).exists() and Vendor.objects.filter(is_sme=False).exists()
    )
    assert "synthetic" in demo.__doc__.lower()


def test_the_map_says_so_while_it_holds_the_demos_synthetic_estate(db, london, client):
    notice = "The technology estate in this demo is synthetic"
    assert not System.objects.filter(synthetic=False).exists()
    assert notice in client.get(reverse("techmap:map")).content.decode()
    clear()
    assert notice not in client.get(reverse("techmap:map")).content.decode()


def test_the_catalogue_covers_every_category_with_unique_products():
    from loti.techmap import taxonomy

    catalogue = demo.catalogue()
    assert set(catalogue["categories"]) == {c["name"] for c in taxonomy.read()["categories"]}
    names = [p["name"] for c in catalogue["categories"].values() for p in c["products"]]
    assert len({slugify(name) for name in names}) == len(names)
    vendors = {v["name"] for v in catalogue["vendors"]}
    for category in catalogue["categories"].values():
        assert len(category["products"]) >= 3
        assert {p["vendor"] for p in category["products"]} <= vendors
    numbers = [
        v["companies_house_number"] for v in catalogue["vendors"] if v["companies_house_number"]
    ]
    assert len(set(numbers)) == len(numbers)


def test_every_borough_has_a_level_for_every_skill(db, london):
    levels = SkillLevel.objects.all()
    assert levels.count() == 33 * SkillArea.objects.count()
    assert set(levels.values_list("level", flat=True)) <= {1, 2, 3, 4, 5}


def test_the_opportunity_finder_finds_opportunities_in_the_demo(db, london, staff):
    from loti.techmap import selectors

    found = selectors.opportunities(user=staff, today=TODAY, window_months=12, horizon_months=36)
    assert len(found) > 10
    biggest = found[0]
    assert len(biggest.organisations) >= 2
    assert biggest.combined_annual_value > 0


def test_the_map_feeds_the_finder_every_contract_in_each_of_its_groups(db, london, staff):
    # The selector reads contracts, service areas and categories in bulk; the reference here
    # walks the models one contract at a time and hands the finder the same contracts, in
    # each service area of their system (the product category is only a facet).
    from loti.techmap import selectors
    from tests.techmap.contract_ends import ContractEnd, find_opportunities

    reference = []
    for contract in Contract.objects.exclude(system=None).select_related(
        "organisation", "vendor", "system__product__category"
    ):
        groups = [(a.slug, a.name) for a in contract.system.service_areas.all()]
        for group, name in groups:
            reference.append(
                ContractEnd(
                    contract.pk,
                    contract.organisation_id,
                    contract.organisation.short_name,
                    group,
                    name,
                    contract.vendor.name,
                    contract.ends_on,
                    contract.annual_value,
                    contract.system.product.category.name,
                )
            )
    fields = ("group", "window_starts_on", "organisations", "contract_ids", "vendors")
    fields += ("combined_annual_value", "unknown_values", "organisation_count", "categories")

    for window, horizon in [(12, 36), (3, 60)]:
        found = selectors.opportunities(
            user=staff, today=TODAY, window_months=window, horizon_months=horizon
        )
        expected = find_opportunities(
            [c for c in reference if c.ends_on is not None],
            today=TODAY,
            window_months=window,
            horizon_months=horizon,
        )
        assert len(found) > 10
        assert [[getattr(o, f) for f in fields] for o in found] == [
            [getattr(o, f) for f in fields] for o in expected
        ]


def test_the_demo_publishes_synthetic_open_tenders_through_the_import(db, london):
    now = datetime.datetime.combine(TODAY, datetime.time(12), tzinfo=datetime.UTC)
    tenders = list(selectors.open_tenders(now=now))
    low, high = demo.DEMO_TENDER_COUNT
    assert low <= len(tenders) <= high
    assert {tender.organisation for tender in tenders} <= set(london)
    assert all(
        tender.description == "Synthetic demo notice: not a real tender." for tender in tenders
    )
    assert all(tender.url == "" for tender in tenders)  # they link to no real notice
    # Placed in services by the words of their titles, as imported tenders are.
    assert all(tender.service_areas.exists() for tender in tenders)


def test_every_demo_tender_links_to_its_notice_and_claims_no_address_it_lacks(db, client, london):
    moment = datetime.datetime.combine(TODAY, datetime.time(12), tzinfo=datetime.UTC)
    with time_machine.travel(moment, tick=False):
        page = client.get(reverse("techmap:tenders")).content.decode()
        table = page.split("Open technology tenders, soonest closing first")[1]
        rows = table.split('<tbody class="govuk-table__body">')[1].split("</tbody>")[0]
        rows = rows.split('<tr class="govuk-table__row">')[1:]
        tenders = list(selectors.open_tenders(now=moment)[: len(rows)])
        assert rows and len(rows) == len(tenders)
        for row, tender in zip(rows, tenders, strict=True):
            assert f'href="{tender.get_absolute_url()}"' in row
            notice = client.get(tender.get_absolute_url()).content.decode()
            assert "The publisher gave no web address for this notice" in notice
            assert tender.ocid in notice and "Synthetic demo notice" in notice
