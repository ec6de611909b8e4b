"""The estate importer: every problem it reports, vendor matching and decisions, upserts,
all-or-nothing commits, and the export it shares its columns with."""

import datetime
import os
import subprocess
import sys
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from loti.core import imports
from loti.core import tasks as core_tasks
from loti.core.models import ImportBatch, TaskProgress
from loti.core.spreadsheets import read_table, write_csv, write_xlsx
from loti.techmap import estate_import
from loti.techmap.estate_import import HEADERS, commit_rows, export_rows, validate_rows
from loti.techmap.matching import normalise
from loti.techmap.models import (
    Contract,
    Product,
    ProductCategory,
    System,
    Vendor,
    VendorAlias,
)

HOUSING = "Housing management system"


def make_vendor(name, *aliases, **fields):
    vendor = Vendor.objects.create(
        name=name, normalised_name=normalise(name), slug=name.lower().replace(" ", "-"), **fields
    )
    for alias in aliases:
        VendorAlias.objects.create(vendor=vendor, name=alias, normalised_name=normalise(alias))
    return vendor


@pytest.fixture
def market(db):
    civica = make_vendor("Civica")
    nec = make_vendor("NEC Software Solutions", "Northgate Public Services")
    make_vendor("Idox", companies_house_number="03984070")
    housing = ProductCategory.objects.get(name=HOUSING)
    cx = Product.objects.create(
        vendor=civica, name="Civica CX", slug="civica-cx", category=housing, hosting="hosted"
    )
    return {"civica": civica, "nec": nec, "housing": housing, "cx": cx}


def row(**cells):
    """A good row for Barnet's Civica CX with a contract; keyword arguments change cells."""
    base = {
        "organisation": "",
        "product": "Civica CX",
        "vendor": "Civica",
        "category": HOUSING,
        "hosting": "Hosted",
        "service_areas": "Housing management",
        "in_use_since": "01/04/2019",
        "users": "250",
        "satisfaction": "4",
        "system_notes": "Upgraded in 2024",
        "contract_title": "Housing system support",
        "contract_start": "2024-04-01",
        "contract_end": "31/03/2027",
        "extension_options": "1 + 1 years",
        "annual_value": "£30,000.00",
        "total_value": "90000",
        "procurement_route": "G-Cloud 14",
        "contract_public": "no",
        "vendor_companies_house_number": "",
        "vendor_is_sme": "",
    }
    return {**base, **cells}


def no_contract(**cells):
    return row(**{column: "" for column in estate_import.CONTRACT_COLUMNS}, **cells)


def check(rows, *, organisation, user, decisions=None, source="spreadsheet"):
    numbered = [(number, cells) for number, cells in enumerate(rows, start=2)]
    return validate_rows(
        numbered, organisation=organisation, user=user, decisions=decisions, source=source
    )


def written():
    return (
        Vendor.objects.count(),
        VendorAlias.objects.count(),
        Product.objects.count(),
        System.objects.count(),
        Contract.objects.count(),
    )


# A good import ---------------------------------------------------------------------------


def test_a_good_row_creates_a_system_and_its_contract(market, borough_a, officer_a):
    preview = check([row()], organisation=borough_a, user=officer_a)
    assert preview.problems == [] and preview.ready
    assert preview.as_dict()["new_vendors"] == []

    result = commit_rows(preview, user=officer_a)

    assert result["systems"] == {"created": 1, "updated": 0, "unchanged": 0}
    assert result["contracts"] == {"created": 1, "updated": 0, "unchanged": 0}
    system = System.objects.get()
    assert (system.organisation, system.product) == (borough_a, market["cx"])
    assert (system.in_use_since, system.users, system.satisfaction) == (
        datetime.date(2019, 4, 1),
        250,
        4,
    )
    assert system.notes == "Upgraded in 2024"
    assert [area.name for area in system.service_areas.all()] == ["Housing management"]
    contract = Contract.objects.get()
    assert contract.system == system and contract.vendor == market["civica"]
    assert (contract.starts_on, contract.ends_on) == (
        datetime.date(2024, 4, 1),
        datetime.date(2027, 3, 31),
    )
    assert (contract.annual_value, contract.total_value) == (Decimal(30000), Decimal(90000))
    assert contract.source == "spreadsheet" and not contract.is_public
    assert contract.procurement_route == "G-Cloud 14"
    assert contract.extension_options == "1 + 1 years"


def test_new_vendors_and_products_are_created_with_unique_slugs(market, borough_a, officer_a):
    Vendor.objects.create(name="Other", normalised_name="other", slug="acme-housing")
    rows = [
        no_contract(
            product="Acme Housing",
            vendor="Acme Housing Ltd",
            hosting="saas",
            vendor_companies_house_number="1234567",
            vendor_is_sme="yes",
        ),
        row(
            product="Acme Repairs",
            vendor="ACME HOUSING LIMITED",
            category="repairs-and-asset-management",
            contract_title="Repairs",
        ),
    ]
    preview = check(rows, organisation=borough_a, user=officer_a)
    assert preview.problems == []
    assert preview.as_dict()["new_vendors"] == ["Acme Housing Ltd"]
    assert preview.as_dict()["new_products"] == 2

    result = commit_rows(preview, user=officer_a)

    acme = Vendor.objects.get(name="Acme Housing Ltd")
    assert acme.normalised_name == "acme housing"
    assert acme.slug == "acme-housing-ltd"
    assert acme.companies_house_number == "01234567"  # the leading zero a spreadsheet drops
    assert acme.is_sme is True
    housing = Product.objects.get(name="Acme Housing")
    assert (housing.vendor, housing.category, housing.hosting) == (acme, market["housing"], "saas")
    assert housing.slug == "acme-housing-ltd-acme-housing"
    assert Product.objects.get(name="Acme Repairs").category.slug == "repairs-and-asset-management"
    assert result["vendors_created"] == 1 and result["products_created"] == 2
    assert result["systems"]["created"] == 2 and result["contracts"]["created"] == 1


def test_blank_service_areas_mean_the_categorys_usual_ones(market, borough_a, officer_a):
    commit_rows(
        check([row(service_areas="")], organisation=borough_a, user=officer_a), user=officer_a
    )
    usual = set(market["housing"].usual_service_areas.values_list("pk", flat=True))
    assert usual and set(System.objects.get().service_areas.values_list("pk", flat=True)) == usual


def test_service_areas_by_name_or_slug_separated_by_semicolons(market, borough_a, officer_a):
    rows = [row(service_areas="housing management;  homelessness-and-housing-options ;")]
    commit_rows(check(rows, organisation=borough_a, user=officer_a), user=officer_a)
    assert set(System.objects.get().service_areas.values_list("slug", flat=True)) == {
        "housing-management",
        "homelessness-and-housing-options",
    }


def test_headers_are_matched_loosely_and_json_values_need_not_be_text(market, borough_a, officer_a):
    cells = {
        "Product": "Civica CX",
        "Vendor ": "Civica",
        "Contract title": "Support",
        "contract-start": datetime.date(2024, 4, 1),
        "Annual value": 30000.0,
        "users": 250,
        "contract_public": True,
        "satisfaction": None,
    }
    preview = validate_rows([cells], organisation=borough_a, user=officer_a, source="api")
    assert preview.problems == []
    commit_rows(preview, user=officer_a)
    contract = Contract.objects.get()
    assert contract.is_public and contract.source == "api"
    assert contract.annual_value == Decimal(30000)
    assert System.objects.get().users == 250


def test_a_row_may_name_its_own_organisation_by_gss_code_slug_or_name(
    market, borough_a, borough_b, staff
):
    rows = [
        row(organisation="E09000003"),
        no_contract(organisation="camden", product="Other"),
        row(organisation="London Borough of Camden", contract_title="Camden support"),
    ]
    preview = check(rows, organisation=None, user=staff)
    assert preview.problems == []
    commit_rows(preview, user=staff)
    assert sorted(System.objects.values_list("organisation__slug", "product__name")) == [
        ("barnet", "Civica CX"),
        ("camden", "Civica CX"),
        ("camden", "Other"),
    ]


# Every problem ---------------------------------------------------------------------------

DATE = "Enter a date in the format 31/03/2027 or 2027-03-31"


@pytest.mark.parametrize(
    ("cells", "column", "message"),
    [
        (
            {"organisation": "Nowhere"},
            "organisation",
            "There is no organisation with the GSS code, slug or name “Nowhere”",
        ),
        (
            {"organisation": "Camden"},
            "organisation",
            "This import is for Barnet: leave the organisation blank, or enter Barnet",
        ),
        ({"product": ""}, "product", "Enter the product name"),
        ({"product": "x" * 201}, "product", "Product must be 200 characters or fewer"),
        ({"vendor": ""}, "vendor", "Enter the vendor name"),
        ({"vendor": "!!!"}, "vendor", "The vendor name must include letters or numbers"),
        (
            {"category": "Spaceships"},
            "category",
            "There is no product category called “Spaceships”",
        ),
        (
            {"product": "Brand New", "category": ""},
            "category",
            "Enter the category: Brand New from Civica is a new product",
        ),
        ({"hosting": "in the cloud"}, "hosting", "Hosting must be on premises, hosted or SaaS"),
        (
            {"service_areas": "Housing management; Moon base"},
            "service_areas",
            "There is no service area called “Moon base”",
        ),
        ({"in_use_since": "March 2019"}, "in_use_since", DATE),
        ({"in_use_since": "2019/04/01"}, "in_use_since", DATE),
        (
            {"in_use_since": "31/02/2019"},
            "in_use_since",
            "Enter a real date in the format 31/03/2027 or 2027-03-31: 31/02/2019 is not a date",
        ),
        ({"users": "lots"}, "users", "Users must be a whole number, like 250"),
        ({"users": "-3"}, "users", "Users must be a whole number, like 250"),
        ({"satisfaction": "6"}, "satisfaction", "Satisfaction must be a whole number from 1 to 5"),
        (
            {"satisfaction": "4.5"},
            "satisfaction",
            "Satisfaction must be a whole number from 1 to 5",
        ),
        (
            {"contract_title": "", "annual_value": "5"},
            "contract_title",
            "Enter the contract title, or leave all the contract columns blank",
        ),
        (
            {"contract_title": "x" * 301},
            "contract_title",
            "Contract title must be 300 characters or fewer",
        ),
        ({"contract_start": "1st April"}, "contract_start", DATE),
        ({"contract_end": "2024-03-31"}, "contract_end", "The contract ends before it starts"),
        (
            {"extension_options": "x" * 101},
            "extension_options",
            "Extension options must be 100 characters or fewer",
        ),
        (
            {"annual_value": "thirty grand"},
            "annual_value",
            "Annual value must be an amount in pounds, like 30000 or £30,000.00",
        ),
        ({"annual_value": "-5"}, "annual_value", "Annual value must be £0 or more"),
        (
            {"total_value": "10.555"},
            "total_value",
            "Total value must be in pounds and pence, like 30000.50",
        ),
        (
            {"total_value": "1000000000000"},
            "total_value",
            "Total value must be less than £1,000,000,000,000",
        ),
        (
            {"total_value": "NaN"},
            "total_value",
            "Total value must be an amount in pounds, like 30000 or £30,000.00",
        ),
        (
            {"procurement_route": "x" * 201},
            "procurement_route",
            "Procurement route must be 200 characters or fewer",
        ),
        ({"contract_public": "maybe"}, "contract_public", "Contract public must be yes or no"),
        (
            {"vendor_companies_house_number": "ABC"},
            "vendor_companies_house_number",
            "Enter a Companies House number in the correct format, like 01234567 or SC123456",
        ),
        (
            {"vendor_companies_house_number": "03984070"},
            "vendor_companies_house_number",
            "Companies House number 03984070 belongs to Idox, not Civica",
        ),
        (
            {"vendor_is_sme": "perhaps"},
            "vendor_is_sme",
            "Vendor is SME must be yes, no, or blank if you do not know",
        ),
    ],
)
def test_every_problem_is_reported_by_row_column_and_message(
    market, borough_a, borough_b, officer_a, cells, column, message
):
    second = row(**{"contract_title": "Second contract", **cells})
    preview = check([row(), second], organisation=borough_a, user=officer_a)
    assert preview.problems == [{"row": 3, "column": column, "message": message}]
    assert not preview.ready
    with pytest.raises(ValidationError):
        commit_rows(preview, user=officer_a)


def test_every_problem_of_a_row_is_listed_not_just_the_first(market, borough_a, officer_a):
    preview = check(
        [row(users="many", satisfaction="0", contract_end="soon", annual_value="?")],
        organisation=borough_a,
        user=officer_a,
    )
    assert [(p["row"], p["column"]) for p in preview.problems] == [
        (2, "users"),
        (2, "satisfaction"),
        (2, "contract_end"),
        (2, "annual_value"),
    ]


def test_rows_for_one_system_must_agree(market, borough_a, officer_a):
    rows = [
        row(users="250"),
        row(users="", contract_title="Second contract"),  # blank: leaves it to row 2
        row(users="300", contract_title="Third contract"),
    ]
    preview = check(rows, organisation=borough_a, user=officer_a)
    assert preview.problems == [
        {
            "row": 4,
            "column": "users",
            "message": "Row 2 gives a different users for Civica CX at this organisation: "
            "give the same on every row, or leave it blank",
        }
    ]


def test_a_contract_appears_once(market, borough_a, officer_a):
    preview = check([row(), row()], organisation=borough_a, user=officer_a)
    assert preview.problems == [
        {
            "row": 3,
            "column": "contract_title",
            "message": "This contract is also on row 2: give each contract one row",
        }
    ]


def test_unknown_and_missing_columns_are_reported_once(market, borough_a, officer_a, staff):
    rows = [{"product": "Civica CX", "vendor": "Civica", "colour": "red"}] * 3
    preview = validate_rows(
        [(n, r) for n, r in enumerate(rows, 2)],
        organisation=borough_a,
        user=officer_a,
        header_row=1,
    )
    assert preview.problems == [
        {
            "row": 1,
            "column": "colour",
            "message": "There is no column called “colour”: use the column names in the template",
        }
    ]
    preview = validate_rows([{"product": "Civica CX"}], organisation=None, user=staff)
    assert [(p["column"], p["message"]) for p in preview.problems] == [
        ("vendor", "The file must have a column called “vendor”"),
        ("organisation", "The file must have a column called “organisation”"),
    ]


def test_no_rows_is_a_problem(borough_a, officer_a):
    preview = validate_rows([], organisation=borough_a, user=officer_a)
    assert preview.problem_count == 1 and not preview.ready


def test_problems_are_counted_beyond_those_kept(market, borough_a, officer_a, monkeypatch):
    monkeypatch.setattr(estate_import.validation, "MAX_PROBLEMS", 2)
    preview = check([row(users="x")] * 5, organisation=borough_a, user=officer_a)
    assert preview.problem_count == 5
    assert len(preview.as_dict()["problems"]) == 2


# Who may import what ---------------------------------------------------------------------


def test_an_officer_cannot_import_for_another_organisation(
    market, borough_a, borough_b, officer_a, partner
):
    with pytest.raises(PermissionDenied):
        check([row()], organisation=borough_b, user=officer_a)
    with pytest.raises(PermissionDenied):
        check([row()], organisation=borough_a, user=partner)
    preview = check([row(organisation="Camden")], organisation=None, user=officer_a)
    assert preview.problems == [
        {"row": 2, "column": "organisation", "message": "You cannot import systems for Camden"}
    ]
    preview = check([row()], organisation=None, user=officer_a)
    assert preview.problems[0]["message"] == "Enter the organisation: its GSS code, slug or name"


def test_commit_checks_the_user_may_write_every_organisation(
    market, borough_a, officer_a, officer_b
):
    preview = check([row()], organisation=borough_a, user=officer_a)
    with pytest.raises(PermissionDenied):
        commit_rows(preview, user=officer_b)
    assert System.objects.count() == 0


# Vendors ---------------------------------------------------------------------------------


def test_vendor_names_match_after_normalising_and_through_aliases(market, borough_a, officer_a):
    rows = [
        row(vendor="CIVICA UK LIMITED"),
        row(
            product="iWorld",
            vendor="Northgate Public Services Ltd",
            category=HOUSING,
            contract_title="Revs",
        ),
    ]
    preview = check(rows, organisation=borough_a, user=officer_a)
    assert preview.problems == [] and preview.decisions == {}
    assert preview.as_dict()["new_vendors"] == []
    commit_rows(preview, user=officer_a)
    assert Product.objects.get(name="iWorld").vendor == market["nec"]
    assert Vendor.objects.count() == 3


def test_a_close_fuzzy_match_is_taken_and_shown(market, borough_a, officer_a):
    make_vendor("Capita Business Services")
    rows = [row(product="Academy", vendor="Capita Busines Services", category=HOUSING)]
    preview = check(rows, organisation=borough_a, user=officer_a)
    assert preview.ready
    [matched] = preview.as_dict()["matched_vendors"]
    assert matched["name"] == "Capita Busines Services"
    assert matched["vendor"] == "Capita Business Services"


def test_a_misspelt_vendor_waits_for_a_decision_covering_all_its_rows(market, borough_a, officer_a):
    rows = [
        row(vendor="Civca"),
        row(vendor="civca ltd", contract_title="Second"),
        row(product="Other", vendor="Idox", category=HOUSING, contract_title="Idox"),
    ]
    preview = check(rows, organisation=borough_a, user=officer_a)
    assert preview.problems == []
    assert not preview.ready
    [decision] = preview.as_dict()["decisions"]
    assert decision["key"] == "civca"
    assert decision["rows"] == [2, 3] and decision["row_count"] == 2
    assert [s["name"] for s in decision["suggestions"]] == ["Civica"]
    with pytest.raises(ValidationError):
        commit_rows(preview, user=officer_a)
    assert Vendor.objects.count() == 3 and System.objects.count() == 0

    decided = check(
        rows, organisation=borough_a, user=officer_a, decisions={"civca": str(market["civica"].pk)}
    )
    assert decided.ready
    result = commit_rows(decided, user=officer_a)
    assert result["aliases_created"] == 1 and result["vendors_created"] == 0
    assert set(Contract.objects.values_list("vendor__name", flat=True)) == {"Civica", "Idox"}
    # The decision is remembered: the same file needs none next time.
    assert VendorAlias.objects.filter(vendor=market["civica"], normalised_name="civca").exists()
    again = check(rows, organisation=borough_a, user=officer_a)
    assert again.ready and again.decisions == {}


def test_a_person_may_decide_a_close_name_is_a_new_vendor(market, borough_a, officer_a):
    rows = [row(vendor="Civca", product="Civca One", category=HOUSING)]
    preview = check(rows, organisation=borough_a, user=officer_a, decisions={"civca": "new"})
    assert preview.ready
    assert preview.as_dict()["new_vendors"] == ["Civca"]
    commit_rows(preview, user=officer_a)
    assert Vendor.objects.get(name="Civca").products.get().name == "Civca One"
    assert not VendorAlias.objects.filter(normalised_name="civca").exists()


def test_vendors_gain_only_what_was_unknown(market, borough_a, officer_a):
    rows = [row(vendor_companies_house_number="sc123456", vendor_is_sme="no")]
    commit_rows(check(rows, organisation=borough_a, user=officer_a), user=officer_a)
    civica = Vendor.objects.get(pk=market["civica"].pk)
    assert (civica.companies_house_number, civica.is_sme) == ("SC123456", False)
    rows = [row(vendor_is_sme="yes")]
    commit_rows(check(rows, organisation=borough_a, user=officer_a), user=officer_a)
    assert Vendor.objects.get(pk=market["civica"].pk).is_sme is False


# Upserts ---------------------------------------------------------------------------------


def test_importing_the_same_rows_again_changes_nothing(market, borough_a, officer_a):
    rows = [
        row(),
        row(contract_title="Hosting", contract_start="", annual_value=""),
        no_contract(product="New thing", vendor="Brand New Supplier"),
    ]
    first = commit_rows(check(rows, organisation=borough_a, user=officer_a), user=officer_a)
    assert first["systems"]["created"] == 2 and first["contracts"]["created"] == 2
    before = written()
    stamps = list(System.objects.values_list("updated_at", flat=True))

    second = commit_rows(check(rows, organisation=borough_a, user=officer_a), user=officer_a)

    assert second["systems"] == {"created": 0, "updated": 0, "unchanged": 2}
    assert second["contracts"] == {"created": 0, "updated": 0, "unchanged": 2}
    assert second["vendors_created"] == second["products_created"] == 0
    assert written() == before
    assert list(System.objects.values_list("updated_at", flat=True)) == stamps


def test_a_changed_row_updates_the_system_and_contract_it_is_keyed_to(market, borough_a, officer_a):
    commit_rows(check([row()], organisation=borough_a, user=officer_a), user=officer_a)
    changed = row(
        users="300", service_areas="Council tax", contract_end="2028-03-31", annual_value="31000"
    )
    result = commit_rows(check([changed], organisation=borough_a, user=officer_a), user=officer_a)
    assert result["systems"] == {"created": 0, "updated": 1, "unchanged": 0}
    assert result["contracts"] == {"created": 0, "updated": 1, "unchanged": 0}
    system = System.objects.get()
    assert system.users == 300
    assert list(system.service_areas.values_list("name", flat=True)) == ["Council tax"]
    contract = Contract.objects.get()
    assert (contract.ends_on, contract.annual_value) == (datetime.date(2028, 3, 31), Decimal(31000))
    # Another start date is another contract.
    commit_rows(
        check(
            [row(contract_start="2027-04-01", contract_end="")],
            organisation=borough_a,
            user=officer_a,
        ),
        user=officer_a,
    )
    assert Contract.objects.count() == 2


def test_an_existing_contract_keeps_its_source_and_notes(market, borough_a, officer_a):
    Contract.objects.create(
        organisation=borough_a,
        vendor=market["civica"],
        title="Housing system support",
        starts_on=datetime.date(2024, 4, 1),
        source="manual",
        notes="Negotiated a discount",
    )
    result = commit_rows(check([row()], organisation=borough_a, user=officer_a), user=officer_a)
    assert result["contracts"] == {"created": 0, "updated": 1, "unchanged": 0}
    contract = Contract.objects.get()
    assert (contract.source, contract.notes) == ("manual", "Negotiated a discount")
    assert contract.system == System.objects.get()


def test_validation_and_commit_take_a_fixed_number_of_queries(
    market, borough_a, officer_a, django_assert_max_num_queries
):
    def rows(n):
        return [
            row(
                product=f"Product {i}",
                vendor=f"Supplier {i % 7}",
                category=HOUSING,
                contract_title=f"C{i}",
            )
            for i in range(n)
        ]

    with django_assert_max_num_queries(40):
        commit_rows(check(rows(300), organisation=borough_a, user=officer_a), user=officer_a)
    assert System.objects.count() == 300
    with django_assert_max_num_queries(40):
        result = commit_rows(
            check(rows(300), organisation=borough_a, user=officer_a), user=officer_a
        )
    assert result["systems"]["unchanged"] == 300


# All or nothing --------------------------------------------------------------------------


def test_a_file_with_one_bad_row_writes_nothing(market, borough_a, officer_a):
    rows = [row(product=f"P{i}", category=HOUSING, contract_title=f"C{i}") for i in range(20)]
    rows[13]["satisfaction"] = "10"
    preview = check(rows, organisation=borough_a, user=officer_a)
    assert preview.problem_count == 1
    before = written()
    with pytest.raises(ValidationError):
        commit_rows(preview, user=officer_a)
    assert written() == before


def test_a_failure_part_way_through_writing_rolls_everything_back(
    market, borough_a, officer_a, monkeypatch
):
    rows = [row(product="New", vendor="New Supplier", category=HOUSING)]
    preview = check(rows, organisation=borough_a, user=officer_a)
    before = written()

    def explode(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(estate_import.commit, "_write_contracts", explode)
    with pytest.raises(RuntimeError):
        commit_rows(preview, user=officer_a)
    assert written() == before


# Through the import framework ------------------------------------------------------------


def batch_for(content, filename, *, organisation, user):
    progress = TaskProgress.objects.create(label="test", requested_by=user)
    return ImportBatch.objects.create(
        kind=estate_import.KIND,
        requested_by=user,
        organisation_id=organisation.pk,
        filename=filename,
        content=content,
        progress=progress,
    )


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_csv_and_xlsx_files_import_alike(market, borough_a, officer_a, kind):
    rows = [
        row(),
        row(product="Uniform", vendor="Idox", category=HOUSING, contract_title="Planning"),
    ]
    writer = write_csv if kind == "csv" else write_xlsx
    content = writer(HEADERS, [[r[h] for h in HEADERS] for r in rows])
    batch = batch_for(content, f"estate.{kind}", organisation=borough_a, user=officer_a)

    core_tasks.preview_import.call(batch_id=str(batch.pk), progress_id=str(batch.progress_id))
    batch.refresh_from_db()
    assert batch.state == "previewed" and batch.preview["ready"], batch.preview
    progress = TaskProgress.objects.get(pk=batch.progress_id)
    assert (progress.state, progress.done, progress.total) == ("succeeded", 2, 2)

    batch = imports.import_batch_commit(batch=batch)
    core_tasks.commit_import.call(batch_id=str(batch.pk), progress_id=str(batch.progress_id))
    batch.refresh_from_db()
    assert batch.state == "committed"
    assert batch.result["contracts"]["created"] == 2
    assert set(Contract.objects.values_list("title", flat=True)) == {
        "Housing system support",
        "Planning",
    }


def test_problems_in_a_file_point_at_its_spreadsheet_rows(market, borough_a, officer_a):
    content = b"\xef\xbb\xbfproduct,vendor,users\n\nCivica CX,Civica,many\n"
    batch = batch_for(content, "estate.csv", organisation=borough_a, user=officer_a)
    core_tasks.preview_import.call(batch_id=str(batch.pk), progress_id=str(batch.progress_id))
    batch.refresh_from_db()
    assert batch.preview["problems"] == [
        {"row": 3, "column": "users", "message": "Users must be a whole number, like 250"}
    ]
    with pytest.raises(ValidationError):
        imports.import_batch_commit(batch=batch)


def test_an_unreadable_file_fails_with_a_reason(borough_a, officer_a):
    batch = batch_for(b"\xff\xfe\x00garbage", "estate.csv", organisation=borough_a, user=officer_a)
    core_tasks.preview_import.call(batch_id=str(batch.pk), progress_id=str(batch.progress_id))
    batch.refresh_from_db()
    assert batch.state == "failed"
    assert batch.message.startswith("The selected file is not a CSV file")
    assert TaskProgress.objects.get(pk=batch.progress_id).state == "failed"


def test_a_commit_that_fails_leaves_nothing_and_says_so(market, borough_a, officer_a, monkeypatch):
    content = write_csv(HEADERS, [[row(product="New", category=HOUSING)[h] for h in HEADERS]])
    batch = batch_for(content, "estate.csv", organisation=borough_a, user=officer_a)
    core_tasks.preview_import.call(batch_id=str(batch.pk), progress_id=str(batch.progress_id))
    batch = imports.import_batch_commit(batch=ImportBatch.objects.get(pk=batch.pk))
    before = written()

    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(estate_import.commit, "_write_contracts", explode)
    with pytest.raises(RuntimeError):
        core_tasks.commit_import.call(batch_id=str(batch.pk), progress_id=str(batch.progress_id))
    batch.refresh_from_db()
    assert batch.state == "failed"
    assert "Nothing has been imported" in batch.message
    assert written() == before


def test_a_commit_refuses_when_the_map_has_changed_since_the_preview(market, borough_a, officer_a):
    cells = row(vendor="Northpoint", product="A", category=HOUSING)
    content = write_csv(HEADERS, [[cells[h] for h in HEADERS]])
    batch = batch_for(content, "estate.csv", organisation=borough_a, user=officer_a)
    core_tasks.preview_import.call(batch_id=str(batch.pk), progress_id=str(batch.progress_id))
    batch = imports.import_batch_commit(batch=ImportBatch.objects.get(pk=batch.pk))
    make_vendor("Northpoynt")  # now the file's vendor is close to a known one: a person decides
    core_tasks.commit_import.call(batch_id=str(batch.pk), progress_id=str(batch.progress_id))
    batch.refresh_from_db()
    assert batch.state == "previewed"
    assert batch.preview["decisions"][0]["key"] == "northpoint"
    assert System.objects.count() == 0


def test_a_worker_process_finds_the_importer_without_the_views():
    script = (
        "import sys, django; django.setup()\n"
        "assert 'loti.techmap.estate_import' not in sys.modules\n"
        "from loti.core.imports import importer_for\n"
        "print(type(importer_for('techmap.estate')).__name__)\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "loti.config.settings"}
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "EstateImporter"


# Exports ---------------------------------------------------------------------------------


@pytest.fixture
def estate(market, borough_a, borough_b, officer_a):
    rows = [
        row(system_notes='=HYPERLINK("http://evil.example","Click")'),
        row(
            product="Uniform",
            vendor="Idox",
            category=HOUSING,
            contract_title="Planning",
            contract_public="yes",
            annual_value="12000",
        ),
    ]
    commit_rows(check(rows, organisation=borough_a, user=officer_a), user=officer_a)
    return rows


def exported(user, **kwargs):
    table = read_table(write_csv(HEADERS, export_rows(user=user, **kwargs)), "export.csv")
    return {cells["contract_title"]: cells for _, cells in table.rows}


def test_export_is_in_the_import_columns_and_neutralises_formulas(estate, officer_a):
    rows = exported(officer_a)
    support = rows["Housing system support"]
    assert support["system_notes"] == '\'=HYPERLINK("http://evil.example","Click")'
    assert support["annual_value"] == "30000.00"
    assert support["organisation"] == "London Borough of Barnet"
    assert support["contract_public"] == "no"
    xlsx = read_table(write_xlsx(HEADERS, export_rows(user=officer_a)), "export.xlsx")
    assert xlsx.headers == HEADERS
    notes = {cells["contract_title"]: cells["system_notes"] for _, cells in xlsx.rows}
    assert notes["Housing system support"].startswith("'=")


@pytest.mark.parametrize("persona", ["anonymous", "partner"])
def test_export_hides_values_notes_and_satisfaction_unless_public(estate, personas, persona):
    rows = exported(personas[persona])
    private = rows["Housing system support"]
    assert private["annual_value"] == private["total_value"] == ""
    assert private["system_notes"] == private["satisfaction"] == ""
    assert private["contract_end"] == "2027-03-31"  # when contracts end is public
    public = rows["Planning"]
    assert public["annual_value"] == "12000.00"


def test_an_export_imports_back_unchanged(estate, borough_a, officer_a):
    data = write_xlsx(HEADERS, export_rows(user=officer_a, organisation=borough_a))
    table = read_table(data, "export.xlsx")
    preview = validate_rows(table.rows, organisation=borough_a, user=officer_a, header_row=1)
    assert preview.problems == []
    result = commit_rows(preview, user=officer_a)
    assert result["contracts"] == {"created": 0, "updated": 0, "unchanged": 2}
    assert result["systems"] == {"created": 0, "updated": 0, "unchanged": 2}
    # The notes lose the quote that protected them in the file.
    assert System.objects.get(product__name="Civica CX").notes.startswith("=HYPERLINK")


def test_export_for_one_organisation(estate, borough_a, borough_b, staff):
    assert exported(staff, organisation=borough_b) == {}
    assert len(exported(staff, organisation=borough_a)) == 2
