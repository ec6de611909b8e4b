"""The technology map's home-page items: an organisation's contracts ending and records
left alone for a year, opportunities that include it, notice files not imported, and open
tenders."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from loti.core.models import TaskProgress
from loti.techmap import home, services
from loti.techmap.models import Contract, Notice, OcdsImport, ProductCategory, System
from tests import clock

pytestmark = pytest.mark.django_db

frozen_today = clock.frozen_fixture()


@pytest.fixture
def estate(borough_a, borough_b):
    housing = ProductCategory.objects.get(slug="housing-management-system")
    civica = services.vendor_create(actor=None, name="Civica UK Ltd", is_sme=False)
    cx = services.product_create(actor=None, vendor=civica, name="Civica CX", category=housing)
    contracts = {}
    for organisation, ends_on, title in [
        (borough_a, datetime.date(2027, 3, 31), "Housing system A"),
        (borough_a, datetime.date(2027, 8, 31), "Housing support A"),
        (borough_b, datetime.date(2027, 2, 28), "Housing system B"),
    ]:
        system = System.objects.filter(organisation=organisation).first()
        system = system or services.system_create(actor=None, organisation=organisation, product=cx)
        contracts[title] = services.contract_create(
            actor=None,
            organisation=organisation,
            vendor=civica,
            system=system,
            title=title,
            ends_on=ends_on,
            annual_value=Decimal(200000),
        )
    return contracts


def test_an_organisations_people_see_its_contracts_ending_in_6_months(
    estate, officer_a, lead_a, officer_b, partner, staff
):
    for person in (officer_a, lead_a):
        (row,) = home.contracts_ending(person).rows
        assert (row.text, row.tag) == ("Housing system A", "Ends 31 March")
        assert row.url == estate["Housing system A"].get_absolute_url()
    # Camden's contract ends too, but never on Barnet's home, nor Barnet's on Camden's.
    assert [r.text for r in home.contracts_ending(officer_b).rows] == ["Housing system B"]
    for person in (partner, staff, None):
        assert home.contracts_ending(person) is None


def test_records_not_updated_for_12_months(estate, officer_a, officer_b, partner):
    assert home.stale_records(officer_a).rows == []
    long_ago = clock.NOW - datetime.timedelta(days=400)
    Contract.objects.filter(title="Housing support A").update(updated_at=long_ago)
    System.objects.filter(organisation__slug="camden").update(updated_at=long_ago)
    (row,) = home.stale_records(officer_a).rows
    assert row.text == "Housing support A (contract)"
    assert row.tag == "Last updated October 2025"
    assert [r.text for r in home.stale_records(officer_b).rows] == ["Civica CX (system)"]
    assert home.stale_records(partner) is None


def test_opportunities_that_include_the_organisation(estate, lead_a, partner, staff):
    found = home.opportunities(lead_a)
    rows = found.rows
    # The system serves three service areas: one opportunity in each (its product's category
    # is a facet of them, not a fourth), all shown, so there is no "more" link's count.
    assert (len(rows), found.total) == (3, None)
    assert len({row.text for row in rows}) == 3
    assert all(row.text.endswith(", with 1 other organisation") for row in rows)
    detail = reverse("techmap:opportunities")
    assert all(row.url.startswith(detail) and row.url != detail for row in rows)
    assert "save £30k to £90k a year" in rows[0].detail
    # Those who may not read contract values, and the office (of no organisation), are not
    # shown them.
    assert home.opportunities(partner) is None
    assert home.opportunities(staff) is None


def test_the_office_sees_notice_files_not_imported(staff, officer_a):
    OcdsImport.objects.create(filename="ok.json", state=OcdsImport.State.SUCCEEDED)
    OcdsImport.objects.create(filename="empty.json", state=OcdsImport.State.FAILED)
    crashed = TaskProgress.objects.create(label="Import", state=TaskProgress.State.FAILED)
    OcdsImport.objects.create(
        filename="crashed.json", state=OcdsImport.State.FAILED, progress=crashed
    )
    # The one whose work crashed is listed with failed background work instead.
    assert [row.text for row in home.failed_imports(staff)] == ["Notice file empty.json"]
    assert home.failed_imports(officer_a) is None


def test_open_tenders_are_for_everyone(borough_a, officer_a):
    assert home.tenders(None).rows == []
    for ocid, status, closes in [
        ("ocds-1", Notice.TenderStatus.ACTIVE, clock.NOW + datetime.timedelta(days=9)),
        ("ocds-2", Notice.TenderStatus.ACTIVE, clock.NOW - datetime.timedelta(days=1)),
    ]:
        Notice.objects.create(
            ocid=ocid,
            organisation=borough_a,
            buyer_name="London Borough of Barnet",
            released_at=clock.NOW,
            title=f"Tender {ocid}",
            is_technology=True,
            tender_status=status,
            closes_at=closes,
            url=f"https://www.find-tender.service.gov.uk/{ocid}",
        )
    for person in (None, officer_a):
        (row,) = home.tenders(person).rows
        assert (row.text, row.tag, row.detail) == ("Tender ocds-1", "Closes 1 December", "Barnet")
        assert row.url == "https://www.find-tender.service.gov.uk/ocds-1"
