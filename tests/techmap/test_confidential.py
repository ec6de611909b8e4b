"""A canary for confidential contract details: a private contract with a distinctive value
and notes, and a system with distinctive notes and a satisfaction score, must not reach the
public or a partner through any techmap page, API endpoint, export or search; a member with
contract details sees them (so the canary can fail). A contract marked public shows its
values to everyone, never its notes or its system's satisfaction and notes.

The pages and API endpoints are read from the URLconf and the API's schema, so a new
techmap page is checked without being listed here.
"""

import datetime
import io
import json
import re
import zipfile
from decimal import Decimal

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from loti.config.api import api
from loti.core import permissions
from loti.core.models import ImportBatch
from loti.core.spreadsheets import read_table
from loti.techmap import selectors, services
from loti.techmap.models import OcdsImport, ProductCategory, ServiceArea
from tests.permission_matrix import api_tokens
from tests.personas import PERSONAS, build_personas

PRIVATE_VALUE = Decimal("987654.32")
PRIVATE_TOTAL = Decimal("1975000.55")
PRIVATE_NOTE = "Canary contract note: break clause kw7q"
SYSTEM_NOTE = "Canary system note: unhappy with support zx3r"
PUBLIC_VALUE = Decimal("123456.78")
PUBLIC_TOTAL = Decimal("246913.56")
PUBLIC_NOTE = "Published contract's private note pq9m"
PUBLIC_SYSTEM_NOTE = "Published contract's system note vb2n"
SATISFACTION_LABEL = "Satisfaction (1–5)"

# What must never reach the public or partners: the private contract's values (as the
# database, the API, pages and spreadsheets write them) and every note.
SECRETS = [
    "987654",
    "987,654",
    "1975000",
    "1,975,000",
    PRIVATE_NOTE,
    SYSTEM_NOTE,
    PUBLIC_NOTE,
    PUBLIC_SYSTEM_NOTE,
]
PUBLIC_VALUES = ["123456.78", "123,456"]
OUTSIDERS = ["anonymous", "partner"]
MEMBER = "officer_b"  # another borough's officer: contract details are read consortium-wide

# A route's parameter is filled from the path segment before it.
SEGMENT_OBJECTS = {
    "organisations": "organisation",
    "systems": "systems",
    "contracts": "contracts",
    "products": "product",
    "suppliers": "vendor",
    "notices": "ocds_import",
    "imports": "batch",
    "opportunities": "opportunity_area",
    "<slug:area>": "opportunity_start",
}
# More than one way to ask some pages: searches, filters and both export formats.
QUERIES = {
    "techmap:estate_export": [
        "format=csv",
        "format=xlsx",
        "format=csv&organisation=barnet",
        "format=xlsx&organisation=barnet",
    ],
    "techmap:estate_template": ["format=csv", "format=xlsx"],
    "techmap:product_list": ["", "q=Canary"],
    "techmap:vendor_list": [""],
    "techmap:expiry": ["", "area=housing-management"],
    "techmap:market": ["", "area=housing-management"],
    "techmap:tenders": ["", "buyer=barnet"],
    "techmap:opportunities": ["", "horizon=120", "supplier=canary&min_value=1&mine=on"],
    "techmap:opportunity_detail": ["", "window=1"],
}


def _techmap_routes(patterns=None, namespace=""):
    """(route name, path pattern) for every route in the techmap namespace."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver) and pattern.namespace in (None, "techmap"):
            yield from _techmap_routes(pattern.url_patterns, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern) and namespace == "techmap":
            yield f"techmap:{pattern.name}", str(pattern.pattern)


def _api_routes():
    """(operation id, path) for every GET in the API's techmap paths."""
    for path, item in api.get_openapi_schema()["paths"].items():
        if "/techmap/" in path and "get" in item:
            yield f"api:{item['get']['operationId']}", path


def _objects_in(path):
    """The objects a path's parameters stand for, by the segment before each."""
    segments = [s for s in path.strip("/").split("/") if s]
    wanted = []
    for before, segment in zip(["", *segments], segments, strict=False):
        if segment.startswith(("<", "{")):
            wanted.append(SEGMENT_OBJECTS.get(before))
    return wanted


def _targets():
    targets = []
    for name, path in _techmap_routes():
        for query in QUERIES.get(name, [""]):
            targets.append(("page", name, path, query))
    for name, path in _api_routes():
        targets.append(("api", name, path, ""))
    return targets


TARGETS = _targets()


def _target_id(target):
    _, name, _, query = target
    return f"{name}?{query}" if query else name


@pytest.fixture(scope="module")
def world(module_transaction):
    built = build_personas()
    personas = {name: built[name] for name in PERSONAS}
    borough_a, officer_a = built["borough_a"], built["officer_a"]
    category = ProductCategory.objects.get(slug="housing-management-system")
    areas = ServiceArea.objects.filter(slug="housing-management")
    vendor = services.vendor_create(actor=None, name="Canary Software Ltd")
    ends_on = datetime.date.today() + datetime.timedelta(days=400)

    def system_with(name, note, satisfaction):
        product = services.product_create(actor=None, vendor=vendor, name=name, category=category)
        return services.system_create(
            actor=None,
            organisation=borough_a,
            product=product,
            service_areas=areas,
            satisfaction=satisfaction,
            notes=note,
        )

    private_system = system_with("Canary Housing", SYSTEM_NOTE, 1)
    public_system = system_with("Canary Lettings", PUBLIC_SYSTEM_NOTE, 2)
    private = services.contract_create(
        actor=None,
        organisation=borough_a,
        vendor=vendor,
        system=private_system,
        title="Canary housing contract",
        starts_on=datetime.date(2024, 4, 1),
        ends_on=ends_on,
        annual_value=PRIVATE_VALUE,
        total_value=PRIVATE_TOTAL,
        notes=PRIVATE_NOTE,
    )
    public = services.contract_create(
        actor=None,
        organisation=borough_a,
        vendor=vendor,
        system=public_system,
        title="Canary lettings contract",
        starts_on=datetime.date(2024, 4, 1),
        ends_on=ends_on,
        annual_value=PUBLIC_VALUE,
        total_value=PUBLIC_TOTAL,
        is_public=True,
        notes=PUBLIC_NOTE,
    )
    # Another borough's contract ending the same day makes an opportunity of the canary's.
    camden_product = services.product_create(
        actor=None, vendor=vendor, name="Canary Repairs", category=category
    )
    services.contract_create(
        actor=None,
        organisation=built["borough_b"],
        vendor=vendor,
        system=services.system_create(
            actor=None, organisation=built["borough_b"], product=camden_product, service_areas=areas
        ),
        title="Camden repairs contract",
        ends_on=ends_on,
        annual_value=Decimal(1000),
    )
    batch = ImportBatch.objects.create(
        kind="techmap.estate",
        requested_by=officer_a,
        organisation_id=borough_a.pk,
        filename="estate.csv",
        content=f"annual_value\n{PRIVATE_VALUE}\n".encode(),
    )
    ocds_import = OcdsImport.objects.create(
        requested_by=personas["staff"],
        filename="notices.json",
        state=OcdsImport.State.SUCCEEDED,
        report={"imported": True, "releases": 0, "ocids": 0, "skipped": {}},
    )
    return {
        "personas": personas,
        "tokens": api_tokens(personas),
        "objects": {
            "organisation": [borough_a.slug],
            "systems": [private_system.pk, public_system.pk],
            "contracts": [private.pk, public.pk],
            "product": [private_system.product.slug],
            "vendor": [vendor.slug],
            "ocds_import": [ocds_import.pk],
            "batch": [batch.pk],
            "opportunity_area": ["housing-management"],
            "opportunity_start": [ends_on.isoformat()],
        },
        "private": private.pk,
        "public": public.pk,
    }


def _unfillable(world, target):
    """Why a target's parameters cannot be filled with the canary's objects, if they cannot."""
    _, name, path, _ = target
    if any(w is None or w not in world["objects"] for w in _objects_in(path)):
        return f"{name}: no canary object for a parameter of {path}; add one to SEGMENT_OBJECTS"
    return None


def _urls(world, target):
    """Every URL a target stands for with the canary's objects (each system and contract)."""
    kind, name, path, query = target
    wanted = _objects_in(path)
    choices = [[]]
    for key in wanted:
        choices = [[*done, value] for done in choices for value in world["objects"][key]]
    urls = []
    for args in choices:
        if kind == "page":
            url = reverse(name, args=args)
        else:
            url = re.sub(r"\{[^}]+\}", "{}", path).format(*args)
        urls.append(f"{url}?{query}" if query else url)
    return urls


def _body(response):
    """A response's text; an XLSX download's sheets and strings, unzipped."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if content[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(content)) as xlsx:
            return "\n".join(
                xlsx.read(member).decode() for member in xlsx.namelist() if member.endswith(".xml")
            )
    return content.decode()


def _fetch(client, world, persona, url):
    client.logout()
    person = world["personas"][persona]
    headers = {}
    if person is not None:
        client.force_login(person)
        if url.startswith("/api/"):
            headers["Authorization"] = f"Bearer {world['tokens'][persona]}"
    response = client.get(url, headers=headers)
    return response, _body(response)


def _satisfaction_shown(url, response, body):
    """Any satisfaction score in a response: a page's label, an API field or a sheet's cell."""
    if response["Content-Type"].startswith("application/json"):
        found = []

        def walk(value):
            if isinstance(value, dict):
                if value.get("satisfaction") is not None:
                    found.append(value["satisfaction"])
                for inner in value.values():
                    walk(inner)
            elif isinstance(value, list):
                for inner in value:
                    walk(inner)

        walk(json.loads(body))
        return found
    if "techmap/export/" in url:
        kind = "xlsx" if "format=xlsx" in url else "csv"
        table = read_table(response.content, f"export.{kind}")
        return [cells["satisfaction"] for _, cells in table.rows if cells["satisfaction"]]
    return [SATISFACTION_LABEL] if SATISFACTION_LABEL in body else []


@pytest.mark.parametrize("persona", OUTSIDERS)
@pytest.mark.parametrize("target", TARGETS, ids=_target_id)
def test_no_private_value_or_note_reaches_the_public_or_partners(
    db, client, world, target, persona
):
    reason = _unfillable(world, target)
    if reason:
        pytest.skip(reason)
    for url in _urls(world, target):
        response, body = _fetch(client, world, persona, url)
        leaked = [secret for secret in SECRETS if secret in body]
        assert not leaked, f"{persona} sees {leaked} at {url} ({response.status_code})"
        assert not _satisfaction_shown(url, response, body), f"{persona} sees satisfaction at {url}"


def test_the_routes_walked_include_every_kind_of_response(world):
    """The walk reaches pages, the API and both export formats (so it cannot pass empty)."""
    names = {name for _, name, _, _ in TARGETS}
    assert {
        "techmap:organisation_estate",
        "techmap:contract_detail",
        "techmap:system_detail",
        "techmap:estate_export",
        "api:list_contracts",
        "api:list_systems",
    } <= names
    assert len(TARGETS) >= 40


def test_a_member_with_contract_details_sees_the_private_value_and_notes(db, client, world):
    """The same walk, as a member: every secret shows somewhere, and where it should."""
    seen: dict[str, set[str]] = {secret: set() for secret in SECRETS}
    satisfaction = set()
    for target in TARGETS:
        if _unfillable(world, target):
            continue
        for url in _urls(world, target):
            response, body = _fetch(client, world, MEMBER, url)
            for secret in SECRETS:
                if secret in body:
                    seen[secret].add(url)
            if _satisfaction_shown(url, response, body):
                satisfaction.add(url)
    assert all(seen.values()), {secret: urls for secret, urls in seen.items() if not urls}
    private = reverse("techmap:contract_detail", args=[world["private"]])
    assert private in seen["987,654"] and private in seen[PRIVATE_NOTE]
    assert "/techmap/export/?format=xlsx" in seen["987654"]
    assert "/techmap/export/?format=csv" in seen[SYSTEM_NOTE]
    assert "/api/techmap/organisations/barnet/contracts" in seen[PRIVATE_NOTE]
    assert "/api/techmap/organisations/barnet/systems" in satisfaction
    opportunity = reverse(
        "techmap:opportunity_detail",
        args=world["objects"]["opportunity_area"] + world["objects"]["opportunity_start"],
    )
    assert opportunity in seen["987,654"]
    assert reverse("techmap:organisation_estate", args=["barnet"]) in satisfaction


def _export_rows(client, world, persona, kind):
    response, _ = _fetch(client, world, persona, f"/techmap/export/?format={kind}")
    table = read_table(response.content, f"export.{kind}")
    return {cells["contract_title"]: cells for _, cells in table.rows}


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_a_contract_marked_public_shows_its_values_but_not_notes_or_satisfaction(
    db, client, world, persona
):
    page_url = reverse("techmap:contract_detail", args=[world["public"]])
    _, page = _fetch(client, world, persona, page_url)
    assert "£123,456.78" in page and "£246,913.56" in page
    assert PUBLIC_NOTE not in page and ">Notes</dt>" not in page

    _, system_page = _fetch(
        client,
        world,
        persona,
        reverse("techmap:system_detail", args=[world["objects"]["systems"][1]]),
    )
    assert PUBLIC_SYSTEM_NOTE not in system_page and SATISFACTION_LABEL not in system_page

    _, body = _fetch(client, world, persona, "/api/techmap/organisations/barnet/contracts")
    contracts = {c["title"]: c for c in json.loads(body)["items"]}
    published = contracts["Canary lettings contract"]
    assert (published["annual_value"], published["total_value"]) == ("123456.78", "246913.56")
    assert published["notes"] is None
    private = contracts["Canary housing contract"]
    assert (private["annual_value"], private["total_value"], private["notes"]) == (None,) * 3

    for kind in ("csv", "xlsx"):
        rows = _export_rows(client, world, persona, kind)
        published = rows["Canary lettings contract"]
        assert str(published["annual_value"]).startswith("123456.78"), kind
        assert published["satisfaction"] in ("", None) and published["system_notes"] in ("", None)
        private = rows["Canary housing contract"]
        assert private["annual_value"] in ("", None) and private["total_value"] in ("", None)


def test_a_member_sees_the_published_contracts_notes_and_satisfaction(db, client, world):
    rows = _export_rows(client, world, MEMBER, "csv")
    published = rows["Canary lettings contract"]
    assert published["system_notes"] == PUBLIC_SYSTEM_NOTE and published["satisfaction"] == "2"
    private = rows["Canary housing contract"]
    assert (private["annual_value"], private["satisfaction"]) == ("987654.32", "1")


def test_a_rule_granting_only_ones_own_organisation_limits_the_details_to_it(
    db, world, monkeypatch
):
    """Should officers read only their own organisation's details, the one selector says so
    row by row: their own contracts in full, another's only as the public sees them."""
    monkeypatch.setitem(
        permissions.RULES,
        (permissions.Data.CONTRACT_DETAILS, permissions.Role.OFFICER),
        {permissions.Action.READ: permissions.OWN},
    )
    personas = world["personas"]

    def seen(persona):
        return {
            c.title: (c.seen_annual_value, c.seen_notes)
            for c in selectors.contracts_seen_by(personas[persona])
        }

    assert seen("officer_a") == {
        "Canary housing contract": (PRIVATE_VALUE, PRIVATE_NOTE),
        "Canary lettings contract": (PUBLIC_VALUE, PUBLIC_NOTE),
        "Camden repairs contract": (None, ""),
    }
    assert seen("officer_b") == {
        "Canary housing contract": (None, ""),
        "Canary lettings contract": (PUBLIC_VALUE, ""),
        "Camden repairs contract": (Decimal(1000), ""),
    }
    assert [s.seen_satisfaction for s in selectors.systems_seen_by(personas["officer_b"])] == [
        None,
        None,
        None,
    ]
