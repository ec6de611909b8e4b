"""The change history as people read it: on a record's page and on /history/."""

import datetime
import html
from decimal import Decimal

import pytest
import time_machine
from django.db import models
from django.urls import reverse

from loti.core import history
from loti.core.models import AuditEntry
from loti.techmap import services
from loti.techmap.models import Contract, ProductCategory, System
from tests import clock

LONG_DESCRIPTION = "A" * 1240


def text_of(response) -> str:
    return html.unescape(response.content.decode())


# Formatting, without a database -----------------------------------------------------------


def contract_field(name: str) -> models.Field:
    return Contract._meta.get_field(name)


def test_money_is_a_decimal_declared_as_money():
    assert history.is_money(contract_field("annual_value"))
    assert not history.is_money(models.DecimalField(max_digits=5, decimal_places=2))
    assert not history.is_money(contract_field("title"))
    assert not history.is_money(None)


@pytest.mark.parametrize(
    ("name", "value", "shown"),
    [
        ("annual_value", "32500.00", "£32,500"),
        ("annual_value", "32500.50", "£32,500.50"),
        ("ends_on", "2027-03-31", "31 March 2027"),
        ("updated_at", "2026-12-03T09:30:00+00:00", "3 December 2026 at 9:30am"),
        ("is_public", True, "Yes"),
        ("is_public", False, "No"),
        ("source", "Published contract notice", "Published contract notice"),
        ("source", "ocds", "Published contract notice"),
        ("title", "", "Not set"),
        ("ends_on", None, "Not set"),
        ("vendor", {"id": 4, "name": "Civica UK Ltd"}, "Civica UK Ltd"),
        ("title", "Housing system", "Housing system"),
    ],
)
def test_values_read_as_the_pages_write_them(name, value, shown):
    assert history.value_text(contract_field(name), value) == shown


def test_numbers_that_are_not_money_keep_their_figures():
    rate = models.DecimalField(max_digits=5, decimal_places=2)
    assert history.value_text(rate, "3.50") == "3.5"
    assert history.value_text(models.PositiveIntegerField(), 2025) == "2025"


def test_a_label_no_longer_on_the_model_shows_its_value_as_recorded():
    assert history.value_text(None, "2027-03-31") == "2027-03-31"
    assert history.value_text(None, True) == "Yes"


def test_a_link_names_the_record_as_it_is_now_or_says_it_is_gone():
    vendor = contract_field("vendor")
    names = {(vendor.related_model, "4"): "Civica Ltd"}
    assert history.value_text(vendor, {"id": 4, "name": "Civica UK Ltd"}, names) == "Civica Ltd"
    assert (
        history.value_text(vendor, {"id": 5, "name": "Gone Ltd"}, names)
        == "a deleted record (id 5, “Gone Ltd”)"
    )


def test_a_change_reads_old_to_new_and_a_long_text_by_its_length():
    line = history.change_line(
        "Annual value", contract_field("annual_value"), "30000.00", "32500.00", None
    )
    assert str(line) == "Annual value: £30,000 → £32,500"
    description = contract_field("description")
    assert (
        str(history.change_line("Description", description, "Short", LONG_DESCRIPTION, None))
        == "Description changed (1,240 characters)"
    )
    assert (
        str(history.change_line("Description", description, "", LONG_DESCRIPTION, None))
        == "Description added (1,240 characters)"
    )
    assert (
        str(history.change_line("Description", description, LONG_DESCRIPTION, "", None))
        == "Description removed (it had 1,240 characters)"
    )


def test_a_creation_names_its_main_fields_and_counts_the_rest():
    fields = {"Title": contract_field("title"), "Annual value": contract_field("annual_value")}
    values = {
        "Title": "Housing system",  # the record's name, said already
        "Organisation": {"id": 1, "name": "Barnet"},
        "Vendor": {"id": 2, "name": "Civica UK Ltd"},
        "Annual value": "30000.00",
        "End date": "2027-03-31",
        "Description": LONG_DESCRIPTION,
        "Notes": "",
        "Total value": "90000.00",
    }
    lines, more = history.summary_lines(values, fields, "Housing system", None)
    assert [str(line) for line in lines] == [
        "Organisation: Barnet",
        "Vendor: Civica UK Ltd",
        "Annual value: £30,000",
        "End date: 2027-03-31",  # not a field in `fields`: shown as recorded
    ]
    assert more == "and 2 other fields"


# On the pages ---------------------------------------------------------------------------


@pytest.fixture
def estate(borough_a, staff, lead_a):
    housing = ProductCategory.objects.get(slug="housing-management-system")
    with time_machine.travel(clock.at_noon(datetime.date(2026, 3, 2)), tick=False):
        civica = services.vendor_create(actor=staff, name="Civica UK Ltd", is_sme=False)
        product = services.product_create(
            actor=staff, vendor=civica, name="Civica CX", category=housing
        )
        system = services.system_create(actor=staff, organisation=borough_a, product=product)
        contract = services.contract_create(
            actor=staff,
            organisation=borough_a,
            vendor=civica,
            title="Housing system",
            ends_on=datetime.date(2026, 12, 31),
            annual_value=Decimal(30000),
        )
    with time_machine.travel(clock.at_noon(datetime.date(2026, 3, 10)), tick=False):
        services.contract_update(
            actor=lead_a,
            contract=contract,
            annual_value=Decimal(32500),
            ends_on=datetime.date(2027, 3, 31),
        )
    with time_machine.travel(clock.at_noon(datetime.date(2026, 4, 20)), tick=False):
        services.contract_update(
            actor=staff, contract=contract, description=LONG_DESCRIPTION, system=system
        )
    return {"vendor": civica, "system": system, "contract": contract}


def entries_of(contract, staff):
    from loti.core import selectors

    return selectors.audit_history(user=staff, objects=[contract])


@pytest.mark.django_db
def test_a_changed_contract_reads_as_a_person_would(client_as, estate):
    page = text_of(client_as("staff").get(estate["contract"].get_absolute_url()))
    assert "Annual value: £30,000 → £32,500" in page
    assert "End date: 31 December 2026 → 31 March 2027" in page
    assert "Description added (1,240 characters)" in page
    assert LONG_DESCRIPTION not in page.split('id="history"')[1]
    # The creation names the supplier; the change of system names the system.
    assert "Supplier: Civica UK Ltd" in page
    assert "System: Not set → Civica CX at Barnet" in page
    assert "10 March 2026 at 12pm" in page
    assert "Lee Lead" in page
    assert "Decimal(" not in page and "32500.00" not in page and "2027-03-31" not in page


@pytest.mark.django_db
def test_an_update_shows_only_what_changed(estate, staff):
    described, changed, created = entries_of(estate["contract"], staff)
    assert [line.label for line in described.lines] == ["System", "Description"]
    assert [str(line) for line in changed.lines] == [
        "End date: 31 December 2026 → 31 March 2027",
        "Annual value: £30,000 → £32,500",
    ]
    assert changed.more == ""
    assert created.action == AuditEntry.Action.CREATE


@pytest.mark.django_db
def test_an_update_of_many_fields_names_the_rest_in_one_line(estate, staff):
    services.contract_update(
        actor=staff,
        contract=estate["contract"],
        title="Housing system 2",
        extension_options="1 + 1 years",
        total_value=Decimal(90000),
        procurement_route="G-Cloud 14",
        is_public=True,
        notes="Renewal agreed",
        starts_on=datetime.date(2024, 1, 1),
        annual_value=Decimal(31000),
    )
    newest = entries_of(estate["contract"], staff)[0]
    assert len(newest.lines) == history.MOST_CHANGES
    assert newest.more == "and 2 other fields changed: Published and Notes"


@pytest.mark.django_db
def test_a_record_renamed_since_is_named_as_it_is_now(estate, staff):
    services.vendor_update(actor=staff, vendor=estate["vendor"], name="Civica Group")
    created = entries_of(estate["contract"], staff)[-1]
    assert "Supplier: Civica Group" in [str(line) for line in created.lines]


@pytest.mark.django_db
def test_a_deleted_related_record_is_said_to_be_deleted(estate, staff, client_as):
    system_id = estate["system"].pk
    services.system_delete(actor=staff, system=estate["system"])
    page = text_of(client_as("staff").get(estate["contract"].get_absolute_url()))
    assert f"System: Not set → a deleted record (id {system_id}, “Civica CX at Barnet”)" in page


@pytest.mark.django_db
def test_a_deletion_names_what_was_deleted(estate, staff, client_as):
    contract = estate["contract"]
    url = contract.get_absolute_url()
    services.contract_delete(actor=staff, contract=contract)
    page = text_of(
        client_as("staff").get(reverse("core:audit_log"), {"kind": content_type_id(Contract)})
    )
    assert "Contract “Housing system” was deleted" in page
    # Its page is gone, so it is named without a link.
    assert url not in page


@pytest.mark.django_db
def test_the_history_is_shown_only_to_those_who_may_read_it(estate, client_as):
    page = text_of(client_as("lead_a").get(estate["contract"].get_absolute_url()))
    assert "Change history" not in page
    assert "£30,000 → £32,500" not in page
    response = client_as("lead_a").get(
        reverse("core:audit_log"), {"kind": content_type_id(Contract)}
    )
    assert response.status_code == 403


# /history/ ------------------------------------------------------------------------------


def content_type_id(model) -> int:
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(model).pk


def records_listed(response) -> list[tuple[str, str]]:
    return [(entry.kind, entry.record) for entry in response.context["entries"]]


@pytest.mark.django_db
def test_the_history_links_each_entry_to_its_record(estate, client_as):
    page = text_of(client_as("staff").get(reverse("core:audit_log")))
    contract = estate["contract"]
    assert f'<a class="govuk-link" href="{contract.get_absolute_url()}">Housing system</a>' in page
    assert f'href="{estate["vendor"].get_absolute_url()}">Civica UK Ltd</a>' in page
    assert "Annual value: £30,000 → £32,500" in page


@pytest.mark.django_db
def test_the_history_filters_by_kind_of_record(estate, client_as):
    client = client_as("staff")
    response = client.get(reverse("core:audit_log"))
    kinds = dict(response.context["form"].fields["kind"].choices)
    # Only kinds that have changes are offered.
    assert set(kinds.values()) == {
        "Every kind of record",
        "Contracts",
        "Products",
        "Systems",
        "Vendors",
    }
    response = client.get(reverse("core:audit_log"), {"kind": content_type_id(Contract)})
    assert set(records_listed(response)) == {("Contract", "Housing system")}
    assert response.context["page"].paginator.count == 3
    response = client.get(reverse("core:audit_log"), {"kind": content_type_id(System)})
    assert records_listed(response) == [("System", "Civica CX at Barnet")]


@pytest.mark.django_db
def test_the_history_filters_by_person(estate, client_as, lead_a):
    client = client_as("staff")
    people = dict(client.get(reverse("core:audit_log")).context["form"].fields["person"].choices)
    assert people == {"": "Anyone", str(lead_a.pk): "Lee Lead", **_staff_choice(estate)}
    response = client.get(reverse("core:audit_log"), {"person": lead_a.pk})
    entries = response.context["entries"]
    assert [(e.who, e.action) for e in entries] == [("Lee Lead", "update")]


def _staff_choice(estate):
    from loti.members.models import Person

    staff = Person.objects.get(email="staff@loti.example")
    return {str(staff.pk): "Sam Staff"}


@pytest.mark.django_db
def test_the_history_filters_by_date_range(estate, client_as):
    client = client_as("staff")
    response = client.get(
        reverse("core:audit_log"),
        {"since_0": "10", "since_1": "3", "since_2": "2026", "until_0": "19", "until_1": "4"}
        | {"until_2": "2026"},
    )
    assert [e.at.date() for e in response.context["entries"]] == [datetime.date(2026, 3, 10)]
    response = client.get(
        reverse("core:audit_log"), {"since_0": "11", "since_1": "3", "since_2": "2026"}
    )
    assert [e.at.date() for e in response.context["entries"]] == [datetime.date(2026, 4, 20)]
    response = client.get(
        reverse("core:audit_log"), {"until_0": "2", "until_1": "3", "until_2": "2026"}
    )
    assert response.context["page"].paginator.count == 4  # vendor, product, system, contract


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            {"since_0": "31", "since_1": "2", "since_2": "2026"},
            "The earliest date must be a real date",
        ),
        (
            {"since_0": "1", "since_1": "", "since_2": "2026"},
            "The earliest date must include a month",
        ),
        ({"until_0": "1", "until_1": "3", "until_2": "26"}, "Year must include 4 numbers"),
        (
            {"since_0": "2", "since_1": "3", "since_2": "2026"}
            | {"until_0": "1", "until_1": "3", "until_2": "2026"},
            "The latest date must be the same as or after the earliest date",
        ),
        ({"kind": "999999"}, "Select a kind of record from the list"),
    ],
)
def test_an_invalid_filter_says_what_is_wrong(estate, client_as, query, message):
    response = client_as("staff").get(reverse("core:audit_log"), query)
    assert response.status_code == 200
    page = text_of(response)
    assert "<title>Error: Change history" in page
    assert "There is a problem" in page
    assert page.count(message) == 2  # in the summary and by the field
    # The filter in error is left out: every change is listed.
    assert response.context["page"].paginator.count == 6


@pytest.mark.django_db
def test_the_filters_are_kept_on_every_page(estate, client_as, staff):
    for number in range(60):
        services.vendor_create(actor=staff, name=f"Vendor {number:02d}")
    from loti.techmap.models import Vendor

    query = {"kind": content_type_id(Vendor)}
    page = text_of(client_as("staff").get(reverse("core:audit_log"), query))
    assert "61 changes" in page
    assert f"?kind={query['kind']}&page=2" in page


@pytest.mark.django_db
def test_a_page_of_fifty_entries_costs_a_bounded_number_of_queries(
    estate, client_as, staff, django_assert_max_num_queries
):
    housing = ProductCategory.objects.get(slug="housing-management-system")
    contract = estate["contract"]
    for number in range(25):
        vendor = services.vendor_create(actor=staff, name=f"Vendor {number:02d}")
        services.product_create(
            actor=staff, vendor=vendor, name=f"Product {number}", category=housing
        )
        services.contract_update(actor=staff, contract=contract, vendor=vendor)
    client = client_as("staff")
    with django_assert_max_num_queries(16):
        response = client.get(reverse("core:audit_log"))
    assert len(response.context["entries"]) == 50
    assert "Supplier: Vendor 23 → Vendor 24" in text_of(response)


def test_the_services_own_bookkeeping_is_not_shown_but_a_moment_it_records_is():
    from loti.portfolio.calls.models import Call
    from loti.techmap.models import System, Vendor

    field = Vendor._meta.get_field
    assert not history.is_shown(field("normalised_name"))  # folded for matching
    assert history.is_shown(field("name"))
    assert not history.is_shown(System._meta.get_field("synthetic"))  # the demo's flag
    assert not history.is_shown(System._meta.get_field("updated_at"))
    assert history.is_shown(Call._meta.get_field("results_published_at"))
    values = {"Name": "Civica", "Normalised name": "civica", "Synthetic": True}
    fields = {"Name": field("name"), "Normalised name": field("normalised_name")}
    fields["Synthetic"] = System._meta.get_field("synthetic")
    lines, more = history.summary_lines(values, fields, "Civica", None)
    assert (lines, more) == ([], "")
