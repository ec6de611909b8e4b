"""London's demo technology estate. It is SYNTHETIC: every system, contract, value, date,
satisfaction score and skill level is generated at random from a made-up catalogue
(data/demo_catalogue.json). Vendor and product names are there for realism only, and
Companies House numbers beginning 99 belong to no real company.

Each London borough and the City of London gets 25 to 40 systems, the GLA a handful. Market
shares are skewed as in the real market (a few vendors dominate each category), and contract
end dates spread over the next five years, a few already past and a few with no end date, so
the expiry and collaborative-procurement pages have something to find.
"""

from __future__ import annotations

import datetime
import io
import json
import math
import random
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.utils import timezone
from django.utils.text import slugify

from loti.core.demo import Login
from loti.members import selectors as member_selectors
from loti.techmap import search, taxonomy
from loti.techmap.matching import normalise
from loti.techmap.models import (
    Contract,
    Product,
    ProductCategory,
    SkillArea,
    SkillLevel,
    System,
    Vendor,
    VendorAlias,
)
from loti.techmap.ocds import importing

if TYPE_CHECKING:
    from loti.members.models import Organisation

CATALOGUE = Path(__file__).parent / "data" / "demo_catalogue.json"
SYSTEMS_PER_BOROUGH = (25, 40)
GLA_SYSTEMS = (5, 8)
GLA_CATEGORIES = [
    "Customer relationship management",
    "Data and analytics platform",
    "Document and records management",
    "Hosting and cloud",
    "Identity and access management",
    "Productivity and collaboration",
    "Security tooling",
    "Telephony and contact centre",
]
# Satisfaction 1-5, skewed to 3 and 4 as in LOTI's own surveys; None is "not asked".
SATISFACTION = {None: 8, 1: 3, 2: 9, 3: 34, 4: 36, 5: 10}
SKILL_LEVELS = {1: 10, 2: 26, 3: 36, 4: 20, 5: 8}
# Where a contract ends, relative to today: share of contracts per bucket.
ENDED_LAST_YEAR, NO_END_DATE, NO_CONTRACT = 0.07, 0.04, 0.12
HORIZON_DAYS = 5 * 365
SYSTEM_NOTES = [
    "Replacement being scoped with neighbouring boroughs.",
    "Hosted by the supplier since the data-centre exit.",
    "Integration with the CRM through the supplier's API.",
    "Upgrade to the supplier's cloud version planned.",
    "Shared service with a neighbouring borough.",
]
CONTRACT_NOTES = [
    "Extension agreed while the replacement is procured.",
    "Price held for the first two years, then indexed to CPI.",
    "Includes implementation and data migration.",
    "Break clause at the end of year three.",
]


def logins() -> list[Login]:
    return []


@cache
def catalogue() -> dict[str, Any]:
    return json.loads(CATALOGUE.read_text(encoding="utf-8"))


def weighted(rng: random.Random, weights: dict[Any, float]) -> Any:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def procurement_route(rng: random.Random, starts_on: datetime.date | None) -> str:
    route = weighted(rng, dict(catalogue()["procurement_routes"]))
    if route == "G-Cloud 14" and starts_on is not None and starts_on < datetime.date(2024, 11, 1):
        # A call-off from before G-Cloud 14 was live came from an earlier iteration.
        return "G-Cloud 13" if starts_on >= datetime.date(2022, 11, 1) else "G-Cloud 12"
    return route


def annual_value(rng: random.Random, low: float, high: float, size: float) -> Decimal:
    """Log-uniform within the category's range, nudged up for bigger organisations (`size`
    from 0 to 1), rounded to £100."""
    position = min(1.0, max(0.0, rng.gauss(0.25 + 0.5 * size, 0.22)))
    value = math.exp(math.log(low) + position * (math.log(high) - math.log(low)))
    return Decimal(round(value, -2))


def contract_fields(
    rng: random.Random,
    *,
    category: dict[str, Any],
    product_name: str,
    today: datetime.date,
    size: float,
) -> dict[str, Any]:
    """The fields of one synthetic contract for a product of `category` (a catalogue entry)."""
    term = rng.randint(*category["term_years"])
    draw = rng.random()
    if draw < NO_END_DATE:
        ends_on = None
        starts_on = today - datetime.timedelta(days=rng.randint(365, 6 * 365))
    else:
        if draw < NO_END_DATE + ENDED_LAST_YEAR:
            ends_on = today - datetime.timedelta(days=rng.randint(1, 365))
        else:
            ends_on = today + datetime.timedelta(days=rng.randint(0, HORIZON_DAYS))
        # Contracts on the map are running: one ending far ahead had a longer term.
        while (starts_on := years_before(ends_on, term) + datetime.timedelta(days=1)) > today:
            term += 1
    annual = None if rng.random() < 0.04 else annual_value(rng, *category["annual_value"], size)
    template = rng.choice(catalogue()["title_templates"])
    service = category["service"]
    article = "an" if service[0] in "aeiou" else "a"
    title = template.format(product=product_name, service=service, a_service=f"{article} {service}")
    return {
        "title": title[0].upper() + title[1:],
        "starts_on": starts_on,
        "ends_on": ends_on,
        "extension_options": weighted(rng, dict(catalogue()["extension_options"]))
        if ends_on
        else "",
        "annual_value": annual,
        "total_value": annual * term if annual is not None and ends_on is not None else None,
        "procurement_route": procurement_route(rng, starts_on),
        "source": Contract.Source.SPREADSHEET if rng.random() < 0.3 else Contract.Source.MANUAL,
        "is_public": rng.random() < 0.06,
        "notes": rng.choice(CONTRACT_NOTES) if rng.random() < 0.08 else "",
    }


def system_fields(
    rng: random.Random,
    *,
    category: dict[str, Any],
    today: datetime.date,
    size: float,
    area_ids: list[int],
    contract_starts_on: datetime.date | None = None,
) -> tuple[dict[str, Any], list[int]]:
    """The fields of one synthetic system, and the service areas it serves (most of its
    category's usual areas). A system is in use from its current contract's start or before."""
    low, high = category["users"]
    users = round(low + (high - low) * min(1.0, max(0.0, rng.gauss(size, 0.2))))
    count = len(area_ids) if rng.random() < 0.6 else rng.randint(1, len(area_ids))
    days_ago = rng.randint(0, 120)
    return (
        {
            "in_use_since": (contract_starts_on or today - datetime.timedelta(days=180))
            - datetime.timedelta(days=rng.choice((0, rng.randint(0, 10 * 365)))),
            "users": max(1, users),
            "satisfaction": weighted(rng, SATISFACTION),
            "notes": rng.choice(SYSTEM_NOTES) if rng.random() < 0.07 else "",
            "updated_at": timezone.make_aware(
                datetime.datetime.combine(
                    today - datetime.timedelta(days=days_ago), datetime.time(10)
                )
            ),
        },
        sorted(rng.sample(area_ids, count)),
    )


def build(*, rng: random.Random, today: datetime.date) -> None:
    # `loti demo --reset` flushes the taxonomy its data migration loaded: put it back.
    taxonomy.load(models=apps)
    data = catalogue()
    vendors = _vendors(data)
    products = _products(data, vendors)
    search.index_vendors(vendor.pk for vendor in vendors.values())
    search.index_products(product.pk for product in products.values())
    categories = {
        c.name: c for c in ProductCategory.objects.prefetch_related("usual_service_areas")
    }
    area_ids = {
        name: sorted(a.pk for a in c.usual_service_areas.all()) for name, c in categories.items()
    }
    organisations = list(member_selectors.councils().order_by("slug"))
    choices: list[tuple[Organisation, float, list[str]]] = []
    for organisation in organisations:
        size = rng.random()
        choices.append((organisation, size, _borough_products(rng, data)))
    gla = member_selectors.organisations().filter(short_name="GLA").first()
    if gla is not None:
        picked = rng.sample(GLA_CATEGORIES, rng.randint(*GLA_SYSTEMS))
        choices.append((gla, 0.5, [_pick(rng, data["categories"][c]) for c in sorted(picked)]))

    systems: list[System] = []
    areas_of: list[list[int]] = []
    contracts: list[tuple[int, dict[str, Any]]] = []
    for organisation, size, names in choices:
        for name in names:
            product = products[name]
            category = data["categories"][product.category.name]
            contract = None
            if rng.random() >= NO_CONTRACT:
                contract = contract_fields(
                    rng, category=category, product_name=product.name, today=today, size=size
                )
                contracts.append((len(systems), contract))
            fields, served = system_fields(
                rng,
                category=category,
                today=today,
                size=size,
                area_ids=area_ids[product.category.name],
                contract_starts_on=contract["starts_on"] if contract else None,
            )
            systems.append(
                System(organisation=organisation, product=product, synthetic=True, **fields)
            )
            areas_of.append(served)
    _save(systems, areas_of, contracts)
    _tenders(rng, organisations, today)
    skills = list(SkillArea.objects.order_by("slug"))
    SkillLevel.objects.bulk_create(
        SkillLevel(organisation=organisation, skill_area=skill, level=weighted(rng, SKILL_LEVELS))
        for organisation in organisations
        for skill in skills
    )


# Synthetic open tenders, published as OCDS and imported as a real file would be: (title,
# CPV code). The demo's notices say they are synthetic and link to nothing.
DEMO_TENDERS = [
    ("Housing management system replacement", "48000000"),
    ("Parking permits and penalty charge notice processing system", "48000000"),
    ("Library management system and self-service kiosks", "48000000"),
    ("Council tax and business rates revenues system", "48000000"),
    ("Customer relationship management and webchat platform", "72000000"),
    ("Adult social care case management system", "48000000"),
    ("Cyber security operations centre service", "72000000"),
    ("Laptops and devices refresh", "30213100"),
    ("Data warehouse and analytics platform", "72000000"),
    ("Corporate network and telephony services", "64200000"),
    ("HR and payroll system", "48000000"),
    ("Electoral registration and elections management software", "48000000"),
]
DEMO_TENDER_COUNT = (14, 20)


def _tenders(rng: random.Random, organisations: list[Organisation], today: datetime.date) -> None:
    """Open and planned technology tenders from some boroughs, through the OCDS import."""
    releases = []
    for number in range(rng.randint(*DEMO_TENDER_COUNT)):
        buyer = rng.choice(organisations)
        title, cpv = rng.choice(DEMO_TENDERS)
        closes = today + datetime.timedelta(days=rng.randint(5, 120))
        published = today - datetime.timedelta(days=rng.randint(1, 30))
        releases.append(
            {
                "ocid": f"ocds-demo-{number:04d}",
                "id": f"ocds-demo-{number:04d}-1",
                "date": f"{published.isoformat()}T09:00:00Z",
                "tag": ["tender"],
                "buyer": {"id": f"demo-{buyer.slug}", "name": buyer.name},
                "tender": {
                    "id": f"DEMO-{number:04d}",
                    "title": title,
                    "description": "Synthetic demo notice: not a real tender.",
                    "status": "planned" if rng.random() < 0.2 else "active",
                    "classification": {"scheme": "CPV", "id": cpv},
                    "value": {"amount": rng.randrange(50_000, 2_000_000, 5_000), "currency": "GBP"},
                    "tenderPeriod": {"endDate": f"{closes.isoformat()}T12:00:00Z"},
                    "suitability": {"sme": rng.random() < 0.6, "vcse": rng.random() < 0.2},
                },
            }
        )
    package = json.dumps({"version": "1.1", "releases": releases}).encode()
    importing.import_ocds(io.BytesIO(package))


def _vendors(data: dict[str, Any]) -> dict[str, Vendor]:
    Vendor.objects.bulk_create(
        Vendor(
            name=entry["name"],
            normalised_name=normalise(entry["name"]),
            slug=slugify(entry["name"]),
            companies_house_number=entry["companies_house_number"],
            is_sme=entry["is_sme"],
        )
        for entry in data["vendors"]
    )
    vendors = {
        v.name: v for v in Vendor.objects.filter(name__in=[e["name"] for e in data["vendors"]])
    }
    # An alias is only worth storing when it does not already normalise to a vendor's name.
    taken = {v.normalised_name for v in vendors.values()}
    aliases = []
    for entry in data["vendors"]:
        for name in entry["aliases"]:
            key = normalise(name)
            if key and key not in taken:
                taken.add(key)
                aliases.append(
                    VendorAlias(vendor=vendors[entry["name"]], name=name, normalised_name=key)
                )
    VendorAlias.objects.bulk_create(aliases)
    return vendors


def _products(data: dict[str, Any], vendors: dict[str, Vendor]) -> dict[str, Product]:
    categories = {c.name: c for c in ProductCategory.objects.all()}
    Product.objects.bulk_create(
        Product(
            vendor=vendors[entry["vendor"]],
            name=entry["name"],
            slug=slugify(entry["name"]),
            category=categories[category],
            hosting=entry["hosting"],
        )
        for category, detail in data["categories"].items()
        for entry in detail["products"]
    )
    return {
        p.name: p
        for p in Product.objects.select_related("category").filter(
            vendor__in=list(vendors.values())
        )
    }


def _pick(
    rng: random.Random, category: dict[str, Any], exclude: frozenset[str] = frozenset()
) -> str:
    shares = {p["name"]: p["share"] for p in category["products"] if p["name"] not in exclude}
    return weighted(rng, shares)


def _borough_products(rng: random.Random, data: dict[str, Any]) -> list[str]:
    """25 to 40 product names: one per category (some boroughs go without an optional one,
    such as a repairs system after a housing stock transfer), then second products where a
    borough commonly runs several (security tools, data platforms)."""
    wanted = rng.randint(*SYSTEMS_PER_BOROUGH)
    categories = data["categories"]
    names = list(categories)
    optional = [n for n in names if categories[n]["optional"]]
    skipped = set(rng.sample(optional, max(0, len(names) - wanted)))
    picked = [_pick(rng, categories[n]) for n in names if n not in skipped]
    multiple = [n for n in names if categories[n]["multiple"]]
    while len(picked) < wanted:
        category = categories[rng.choice(multiple)]
        taken = frozenset(picked)
        if all(p["name"] in taken for p in category["products"]):
            continue
        picked.append(_pick(rng, category, taken))
    return picked


def _save(
    systems: list[System],
    areas_of: list[list[int]],
    contracts: list[tuple[int, dict[str, Any]]],
) -> None:
    System.objects.bulk_create(systems)
    if systems and systems[0].pk is None:  # a database that cannot return ids from a bulk insert
        lookup = {
            (o, p): pk
            for pk, o, p in System.objects.values_list("pk", "organisation_id", "product_id")
        }
        for system in systems:
            system.pk = lookup[(system.organisation_id, system.product_id)]
    through = System.service_areas.through
    through.objects.bulk_create(
        through(system_id=system.pk, servicearea_id=area)
        for system, areas in zip(systems, areas_of, strict=True)
        for area in areas
    )
    Contract.objects.bulk_create(
        Contract(
            organisation_id=systems[index].organisation_id,
            system_id=systems[index].pk,
            vendor_id=systems[index].product.vendor_id,
            **fields,
        )
        for index, fields in contracts
    )
