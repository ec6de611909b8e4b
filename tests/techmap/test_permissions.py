import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from loti.core.models import ImportBatch
from loti.techmap import services
from loti.techmap.models import Notice, OcdsImport, ProductCategory, ServiceArea
from tests.permission_matrix import Row, api_tokens, case_id, cases, check, expect, posted
from tests.personas import PERSONAS, build_personas

EVERYONE = expect(others=200)
OWN_WRITE = expect(anonymous=302, staff=200, lead_a=200, officer_a=200, others=403)
ANY_MEMBER_WRITE = expect(anonymous=302, partner=403, others=200)
OFFICE_ONLY = expect(anonymous=302, staff=200, others=403)
MEMBERS_READ = expect(anonymous=302, partner=403, others=200)
API_OWN_CREATE = expect(anonymous=401, staff=201, lead_a=201, officer_a=201, others=403)
API_OWN_UPDATE = expect(anonymous=401, staff=200, lead_a=200, officer_a=200, others=403)


def url(name, *args):
    return lambda o: reverse(name, args=[o.get(a, a) for a in args])


MATRIX = [
    Row("techmap:map", "GET", url("techmap:map"), EVERYONE),
    Row(
        "techmap:organisation_estate", "GET", url("techmap:organisation_estate", "barnet"), EVERYONE
    ),
    Row("techmap:system_create", "GET", url("techmap:system_create", "barnet"), OWN_WRITE),
    Row("techmap:contract_create", "GET", url("techmap:contract_create", "barnet"), OWN_WRITE),
    Row("techmap:skills_edit", "GET", url("techmap:skills_edit", "barnet"), OWN_WRITE),
    Row("techmap:estate_import", "GET", url("techmap:estate_import", "barnet"), OWN_WRITE),
    Row("techmap:system_detail", "GET", url("techmap:system_detail", "system"), EVERYONE),
    Row("techmap:system_edit", "GET", url("techmap:system_edit", "system"), OWN_WRITE),
    Row("techmap:system_delete", "GET", url("techmap:system_delete", "system"), OWN_WRITE),
    Row(
        "techmap:system_delete",
        "POST",
        url("techmap:system_delete", "system"),
        expect(anonymous=302, staff=302, lead_a=302, officer_a=302, others=403),
    ),
    Row("techmap:contract_detail", "GET", url("techmap:contract_detail", "contract"), EVERYONE),
    Row("techmap:contract_edit", "GET", url("techmap:contract_edit", "contract"), OWN_WRITE),
    Row("techmap:contract_delete", "GET", url("techmap:contract_delete", "contract"), OWN_WRITE),
    Row("techmap:product_list", "GET", url("techmap:product_list"), EVERYONE),
    Row("techmap:product_create", "GET", url("techmap:product_create"), ANY_MEMBER_WRITE),
    Row("techmap:product_detail", "GET", url("techmap:product_detail", "product"), EVERYONE),
    Row("techmap:vendor_list", "GET", url("techmap:vendor_list"), EVERYONE),
    Row("techmap:vendor_create", "GET", url("techmap:vendor_create"), ANY_MEMBER_WRITE),
    Row("techmap:vendor_detail", "GET", url("techmap:vendor_detail", "vendor"), EVERYONE),
    Row("techmap:vendor_edit", "GET", url("techmap:vendor_edit", "vendor"), OFFICE_ONLY),
    Row("techmap:vendor_merge", "GET", url("techmap:vendor_merge", "vendor"), OFFICE_ONLY),
    Row("techmap:expiry", "GET", url("techmap:expiry"), EVERYONE),
    Row("techmap:market", "GET", url("techmap:market"), EVERYONE),
    Row("techmap:opportunities", "GET", url("techmap:opportunities"), MEMBERS_READ),
    Row(
        "techmap:opportunity_detail",
        "GET",
        url("techmap:opportunity_detail", "housing-management", "2027-03-31"),
        MEMBERS_READ,
    ),
    Row(
        "techmap:opportunity_interest",
        "POST",
        url("techmap:opportunity_interest"),
        # Interest is marked for the person's own organisation; office staff have none.
        expect(anonymous=302, staff=403, partner=403, others=302),
        data={
            "group_slug": "housing-management",
            "window_starts_on": "2027-01-31",
            "window_ends_on": "2027-06-30",
            "interested": "on",
        },
    ),
    Row(
        "techmap:opportunity_interest",
        "GET",
        url("techmap:opportunity_interest"),
        expect(anonymous=302, partner=403, others=405),
    ),
    Row("techmap:skills", "GET", url("techmap:skills"), MEMBERS_READ),
    Row(
        "techmap:estate_template",
        "GET",
        lambda o: reverse("techmap:estate_template") + "?format=csv",
        EVERYONE,
    ),
    Row(
        "techmap:import_detail",
        "GET",
        url("techmap:import_detail", "batch"),
        expect(anonymous=302, staff=200, officer_a=200, others=404),
    ),
    Row(
        "techmap:estate_export",
        "GET",
        lambda o: reverse("techmap:estate_export") + "?format=csv",
        EVERYONE,
    ),
    Row("techmap:tenders", "GET", url("techmap:tenders"), EVERYONE),
    Row("techmap:tender_detail", "GET", url("techmap:tender_detail", "tender"), EVERYONE),
    Row("techmap:ocds_imports", "GET", url("techmap:ocds_imports"), OFFICE_ONLY),
    # An empty form: staff see it again with its errors; nothing is imported.
    Row("techmap:ocds_imports", "POST", url("techmap:ocds_imports"), OFFICE_ONLY),
    Row(
        "techmap:ocds_import_detail",
        "GET",
        url("techmap:ocds_import_detail", "ocds_import"),
        OFFICE_ONLY,
    ),
    Row(
        "techmap:contract_conflict",
        "POST",
        url("techmap:contract_conflict", "contract"),
        # Back to the contract (with "no difference to settle"): this one has no notice.
        expect(anonymous=302, staff=302, lead_a=302, officer_a=302, others=403),
        data={"field": "ends_on", "choice": "take"},
    ),
    Row(
        "techmap:contract_conflict",
        "GET",
        url("techmap:contract_conflict", "contract"),
        expect(anonymous=302, partner=403, others=405),
    ),
    Row("api:list_systems", "GET", lambda o: "/api/techmap/organisations/barnet/systems", EVERYONE),
    Row(
        "api:create_system",
        "POST",
        lambda o: "/api/techmap/organisations/barnet/systems",
        API_OWN_CREATE,
        data={"product": "acme-software-ltd-other-product"},
    ),
    Row(
        "api:update_system",
        "PATCH",
        lambda o: f"/api/techmap/systems/{o['system']}",
        API_OWN_UPDATE,
        data={"users": 40},
    ),
    Row(
        "api:list_contracts",
        "GET",
        lambda o: "/api/techmap/organisations/barnet/contracts",
        EVERYONE,
    ),
    Row("api:list_tenders", "GET", lambda o: "/api/techmap/tenders", EVERYONE),
    Row(
        "api:create_contract",
        "POST",
        lambda o: "/api/techmap/organisations/barnet/contracts",
        API_OWN_CREATE,
        data={"title": "Support", "vendor": "acme-software-ltd"},
    ),
    Row(
        "api:update_contract",
        "PATCH",
        lambda o: f"/api/techmap/contracts/{o['contract']}",
        API_OWN_UPDATE,
        data={"extension_options": "1 + 1 years"},
    ),
    Row(
        "api:upsert_estate",
        "POST",
        lambda o: "/api/techmap/organisations/barnet/estate",
        expect(anonymous=401, staff=200, lead_a=200, officer_a=200, others=403),
        data={"rows": []},
    ),
]


MATRIX += [
    posted(MATRIX, route)
    for route in (
        "techmap:system_create",
        "techmap:contract_create",
        "techmap:skills_edit",
        "techmap:estate_import",
        "techmap:system_edit",
        "techmap:contract_edit",
        "techmap:product_create",
        "techmap:vendor_create",
        "techmap:vendor_edit",
        "techmap:vendor_merge",
    )
]
MATRIX += [
    # Deleting needs no form: the contract goes, and the writer is sent back to the estate.
    posted(
        MATRIX,
        "techmap:contract_delete",
        expect(anonymous=302, staff=302, lead_a=302, officer_a=302, others=403),
    ),
    # An empty answer to the preview's questions: back to the import's page.
    posted(MATRIX, "techmap:import_detail"),
]


@pytest.fixture(scope="module")
def objects(module_transaction):
    built = build_personas()
    personas = {name: built[name] for name in PERSONAS}
    borough_a, officer_a = built["borough_a"], built["officer_a"]
    tokens = api_tokens(personas)
    category = ProductCategory.objects.get(slug="housing-management-system")
    vendor = services.vendor_create(actor=None, name="Acme Software Ltd")
    product = services.product_create(
        actor=None, vendor=vendor, name="Acme Housing", category=category
    )
    services.product_create(actor=None, vendor=vendor, name="Other Product", category=category)
    system = services.system_create(
        actor=None,
        organisation=borough_a,
        product=product,
        service_areas=ServiceArea.objects.filter(slug="housing-management"),
    )
    contract = services.contract_create(
        actor=None,
        organisation=borough_a,
        vendor=vendor,
        system=system,
        title="Housing management system",
        ends_on=datetime.date(2027, 3, 31),
        annual_value=Decimal(250000),
    )
    # Camden's contract ending a month later makes an opportunity of the two.
    camden_system = services.system_create(
        actor=None,
        organisation=built["borough_b"],
        product=services.product_create(
            actor=None, vendor=vendor, name="Acme Repairs", category=category
        ),
        service_areas=ServiceArea.objects.filter(slug="housing-management"),
    )
    services.contract_create(
        actor=None,
        organisation=built["borough_b"],
        vendor=vendor,
        system=camden_system,
        title="Repairs",
        ends_on=datetime.date(2027, 4, 30),
    )
    batch = ImportBatch.objects.create(
        kind="techmap.estate",
        requested_by=officer_a,
        organisation_id=borough_a.pk,
        filename="estate.csv",
        content=b"a\n",
    )
    ocds_import = OcdsImport.objects.create(
        requested_by=personas["staff"],
        filename="notices.json",
        state=OcdsImport.State.SUCCEEDED,
        report={"imported": True, "releases": 0, "ocids": 0, "skipped": {}},
    )
    tender = Notice.objects.create(
        ocid="ocds-test-tender",
        organisation=borough_a,
        buyer_name=borough_a.name,
        released_at=datetime.datetime(2026, 11, 1, 9, tzinfo=datetime.UTC),
        title="Housing management system",
        is_technology=True,
        tender_status=Notice.TenderStatus.ACTIVE,
        closes_at=datetime.datetime(2027, 1, 15, 12, tzinfo=datetime.UTC),
    )
    return {
        "personas": personas,
        "tender": tender.pk,
        "tokens": tokens,
        "system": system.pk,
        "contract": contract.pk,
        "product": product.slug,
        "vendor": vendor.slug,
        "batch": batch.pk,
        "ocds_import": ocds_import.pk,
    }


@pytest.mark.parametrize(("row", "persona"), cases(MATRIX), ids=case_id)
def test_permission_matrix(db, client, objects, row, persona):
    check(client, objects, row, persona)
