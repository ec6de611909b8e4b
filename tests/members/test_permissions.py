import pytest
from django.urls import reverse

from loti.core import services
from loti.members.models import OrganisationAlias
from tests.factories import ContributionFactory, FeeRateFactory, MembershipFactory
from tests.permission_matrix import Row, case_id, cases, check, expect, posted
from tests.personas import PERSONAS, build_personas

FY = "2026-27"

# Reading a record another organisation owns is a 404: its existence is not disclosed.
OWN_FINANCE_READ = expect(anonymous=302, staff=200, lead_a=200, officer_a=200, others=404)
OWN_FINANCE_WRITE = expect(anonymous=302, staff=200, lead_a=403, officer_a=403, others=404)
OFFICE_ONLY = expect(anonymous=302, staff=200, others=403)
CONSORTIUM_FINANCE = expect(anonymous=302, staff=200, lead_a=200, others=403)
API_OWN_READ = expect(anonymous=401, staff=200, lead_a=200, officer_a=200, others=404)
API_OWN_WRITE = expect(anonymous=401, staff=200, lead_a=403, officer_a=403, others=404)
API_OFFICE_WRITE = expect(anonymous=401, staff=201, others=403)


def membership_url(name):
    return lambda o: reverse(name, args=[o["membership"].pk])


def contribution_url(name):
    return lambda o: reverse(name, args=[o["contribution"].pk])


def finance_url(name):
    return lambda o: reverse(name, args=[FY])


MATRIX = [
    Row(
        "members:organisation_list",
        "GET",
        lambda o: reverse("members:organisation_list"),
        expect(others=200),
    ),
    Row(
        "members:organisation_create",
        "GET",
        lambda o: reverse("members:organisation_create"),
        OFFICE_ONLY,
    ),
    Row(
        "members:organisation_create",
        "POST",
        lambda o: reverse("members:organisation_create"),
        expect(anonymous=302, staff=302, others=403),
        data={"name": "London Borough of Sutton", "short_name": "Sutton", "kind": "london_borough"},
    ),
    Row(
        "members:organisation_detail",
        "GET",
        lambda o: reverse("members:organisation_detail", args=["barnet"]),
        expect(others=200),
    ),
    Row(
        "members:organisation_edit",
        "GET",
        lambda o: reverse("members:organisation_edit", args=["barnet"]),
        OFFICE_ONLY,
    ),
    Row(
        "members:organisation_aliases",
        "GET",
        lambda o: reverse("members:organisation_aliases", args=["barnet"]),
        OFFICE_ONLY,
    ),
    Row(
        "members:organisation_aliases",
        "POST",
        lambda o: reverse("members:organisation_aliases", args=["barnet"]),
        expect(anonymous=302, staff=302, others=403),
        data={"kind": "name", "value": "LBB"},
    ),
    Row(
        "members:organisation_alias_delete",
        "GET",
        lambda o: reverse("members:organisation_alias_delete", args=["barnet", o["alias"].pk]),
        # Removing takes a POST, from the button on the aliases page.
        expect(anonymous=302, staff=405, others=403),
    ),
    Row(
        "members:organisation_alias_delete",
        "POST",
        lambda o: reverse("members:organisation_alias_delete", args=["barnet", o["alias"].pk]),
        expect(anonymous=302, staff=302, others=403),
    ),
    Row(
        "members:membership_create",
        "GET",
        lambda o: reverse("members:membership_create", args=["barnet"]),
        OFFICE_ONLY,
    ),
    Row(
        "members:membership_detail",
        "GET",
        membership_url("members:membership_detail"),
        OWN_FINANCE_READ,
    ),
    Row(
        "members:membership_edit",
        "GET",
        membership_url("members:membership_edit"),
        OWN_FINANCE_WRITE,
    ),
    Row(
        "members:membership_delete",
        "GET",
        membership_url("members:membership_delete"),
        OWN_FINANCE_WRITE,
    ),
    Row(
        "members:membership_delete",
        "POST",
        membership_url("members:membership_delete"),
        expect(anonymous=302, staff=302, lead_a=403, officer_a=403, others=404),
    ),
    Row(
        "members:finance_index",
        "GET",
        lambda o: reverse("members:finance_index"),
        expect(anonymous=302, staff=302, lead_a=302, others=403),
    ),
    Row("members:finance_year", "GET", finance_url("members:finance_year"), CONSORTIUM_FINANCE),
    Row("members:fee_schedule_edit", "GET", finance_url("members:fee_schedule_edit"), OFFICE_ONLY),
    Row("members:budget_edit", "GET", finance_url("members:budget_edit"), OFFICE_ONLY),
    Row("members:invoices_raise", "GET", finance_url("members:invoices_raise"), OFFICE_ONLY),
    Row(
        "members:contribution_create",
        "GET",
        finance_url("members:contribution_create"),
        OFFICE_ONLY,
    ),
    Row(
        "members:contribution_detail",
        "GET",
        contribution_url("members:contribution_detail"),
        OWN_FINANCE_READ,
    ),
    Row(
        "members:contribution_edit",
        "GET",
        contribution_url("members:contribution_edit"),
        OWN_FINANCE_WRITE,
    ),
    Row(
        "members:contribution_delete",
        "GET",
        contribution_url("members:contribution_delete"),
        OWN_FINANCE_WRITE,
    ),
    Row("members:people_list", "GET", lambda o: reverse("members:people_list"), OFFICE_ONLY),
    Row("members:person_create", "GET", lambda o: reverse("members:person_create"), OFFICE_ONLY),
    Row(
        "members:person_detail",
        "GET",
        lambda o: reverse("members:person_detail", args=[o["personas"]["officer_a"].pk]),
        # The office sees everyone; a person sees only themselves.
        expect(anonymous=302, staff=200, officer_a=200, others=404),
    ),
    Row(
        "members:person_edit",
        "GET",
        lambda o: reverse("members:person_edit", args=[o["personas"]["officer_a"].pk]),
        OFFICE_ONLY,
    ),
    Row(
        "members:person_delete",
        "GET",
        lambda o: reverse("members:person_delete", args=[o["personas"]["officer_a"].pk]),
        OFFICE_ONLY,
    ),
    Row(
        "members:advisory_board",
        "GET",
        lambda o: reverse("members:advisory_board"),
        expect(others=200),
    ),
    # The API: public directory, finance by token.
    Row("api:list_organisations", "GET", lambda o: "/api/organisations", expect(others=200)),
    Row("api:get_organisation", "GET", lambda o: "/api/organisations/barnet", expect(others=200)),
    Row(
        "api:create_organisation",
        "POST",
        lambda o: "/api/organisations",
        API_OFFICE_WRITE,
        data={"name": "London Borough of Sutton", "short_name": "Sutton", "kind": "london_borough"},
    ),
    Row(
        "api:update_organisation",
        "PATCH",
        lambda o: "/api/organisations/barnet",
        expect(anonymous=401, staff=200, others=403),
        data={"website": "https://www.barnet.gov.uk"},
    ),
    Row(
        "api:list_memberships",
        "GET",
        lambda o: "/api/memberships",
        expect(anonymous=401, others=200),
    ),
    Row(
        "api:get_membership",
        "GET",
        lambda o: f"/api/memberships/{o['membership'].pk}",
        API_OWN_READ,
    ),
    Row(
        "api:create_membership",
        "POST",
        lambda o: "/api/memberships",
        API_OFFICE_WRITE,
        data={"organisation": "camden", "year": 2026, "tier": "associate"},
    ),
    Row(
        "api:update_membership",
        "PATCH",
        lambda o: f"/api/memberships/{o['membership'].pk}",
        API_OWN_WRITE,
        data={"fee_due": "25000"},
    ),
    Row(
        "api:delete_membership",
        "DELETE",
        lambda o: f"/api/memberships/{o['membership'].pk}",
        expect(anonymous=401, staff=204, lead_a=403, officer_a=403, others=404),
    ),
    Row(
        "api:list_contributions",
        "GET",
        lambda o: "/api/contributions",
        expect(anonymous=401, others=200),
    ),
    Row(
        "api:get_contribution",
        "GET",
        lambda o: f"/api/contributions/{o['contribution'].pk}",
        API_OWN_READ,
    ),
    Row(
        "api:create_contribution",
        "POST",
        lambda o: "/api/contributions",
        API_OFFICE_WRITE,
        data={
            "organisation": "barnet",
            "year": 2026,
            "kind": "grant",
            "status": "invoiced",
            "amount": "5000",
        },
    ),
    Row(
        "api:update_contribution",
        "PATCH",
        lambda o: f"/api/contributions/{o['contribution'].pk}",
        API_OWN_WRITE,
        data={"invoice_reference": "INV-1"},
    ),
    Row(
        "api:delete_contribution",
        "DELETE",
        lambda o: f"/api/contributions/{o['contribution'].pk}",
        expect(anonymous=401, staff=204, lead_a=403, officer_a=403, others=404),
    ),
]


MATRIX += [
    posted(MATRIX, route)
    for route in (
        "members:organisation_edit",
        "members:membership_create",
        "members:membership_edit",
        "members:fee_schedule_edit",
        "members:budget_edit",
        "members:contribution_create",
        "members:contribution_edit",
        "members:person_create",
        "members:person_edit",
    )
]
MATRIX += [
    # These need no form: the office raises the invoices (in the background) or deletes.
    posted(MATRIX, "members:invoices_raise", expect(anonymous=302, staff=302, others=403)),
    posted(
        MATRIX,
        "members:contribution_delete",
        expect(anonymous=302, staff=302, lead_a=403, officer_a=403, others=404),
    ),
    posted(MATRIX, "members:person_delete", expect(anonymous=302, staff=302, others=403)),
]


@pytest.fixture(scope="module")
def objects(module_transaction):
    built = build_personas()
    personas = {name: built[name] for name in PERSONAS}
    borough_a = built["borough_a"]
    tokens = {
        name: services.api_token_create(person=person, name="matrix")[1]
        for name, person in personas.items()
        if person is not None
    }
    FeeRateFactory(year=2026, tier="associate", amount=10000)
    return {
        "personas": personas,
        "tokens": tokens,
        "membership": MembershipFactory(organisation=borough_a, year=2026),
        "contribution": ContributionFactory(organisation=borough_a, year=2026),
        "alias": OrganisationAlias.objects.create(
            organisation=borough_a, kind="identifier", value="GB-LAE-BNE", key="GB-LAE-BNE"
        ),
    }


@pytest.mark.parametrize(("row", "persona"), cases(MATRIX), ids=case_id)
def test_permission_matrix(db, client, objects, row, persona):
    check(client, objects, row, persona)
