"""Organisations, memberships and contributions through the JSON API, as each persona, with
real tokens and real URLs."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client

from loti.core.models import AuditEntry
from loti.core.services import api_token_create
from loti.members.models import Contribution, Membership, Organisation, Tier
from tests.factories import ContributionFactory, FeeRateFactory, MembershipFactory


class Api:
    """The test client with a persona's token (none for the anonymous public)."""

    def __init__(self, client, raw):
        self.client = client
        self.headers = {"Authorization": f"Bearer {raw}"} if raw else {}

    def get(self, url, params=None):
        return self.client.get(url, params or {}, headers=self.headers)

    def post(self, url, body):
        return self.client.post(url, body, content_type="application/json", headers=self.headers)

    def patch(self, url, body):
        return self.client.patch(url, body, content_type="application/json", headers=self.headers)

    def delete(self, url):
        return self.client.delete(url, headers=self.headers)


@pytest.fixture
def api(personas):
    """api("officer_a") -> a client that calls the API with that persona's token."""
    # CSRF checks on, as for any real client: token requests must not depend on them.
    client = Client(enforce_csrf_checks=True)
    tokens = {
        name: api_token_create(person=person, name="Tests")[1]
        for name, person in personas.items()
        if person is not None
    }
    return lambda persona: Api(client, tokens.get(persona))


@pytest.fixture
def finance(borough_a, borough_b, police):
    """Two years of memberships and fees for both boroughs, and a partner membership."""
    FeeRateFactory(year=2027, tier=Tier.CORE, amount=Decimal("31500.00"))
    FeeRateFactory(year=2027, tier=Tier.ASSOCIATE, amount=Decimal("12000.00"))
    records = {
        "a_2026": MembershipFactory(organisation=borough_a, year=2026),
        "a_2025": MembershipFactory(organisation=borough_a, year=2025, fee_due=Decimal(29000)),
        "b_2026": MembershipFactory(organisation=borough_b, year=2026),
        "police_2026": MembershipFactory(
            organisation=police,
            year=2026,
            tier=Tier.PARTNER,
            fee_due=Decimal(0),
            declaration_signed_on=None,
        ),
        "a_fee_2026": ContributionFactory(
            organisation=borough_a,
            year=2026,
            status=Contribution.Status.PAID,
            paid_on=datetime.date(2026, 5, 2),
        ),
        "a_fee_2025": ContributionFactory(organisation=borough_a, year=2025, amount=Decimal(29000)),
        "b_fee_2026": ContributionFactory(organisation=borough_b, year=2026),
        "b_grant_2026": ContributionFactory(
            organisation=borough_b, year=2026, kind=Contribution.Kind.GRANT, amount=Decimal(5000)
        ),
    }
    return records


def audit_entries(obj, *, model=None, object_id=None):
    content_type = ContentType.objects.get_for_model(model or type(obj))
    return AuditEntry.objects.filter(
        content_type=content_type, object_id=str(object_id if object_id is not None else obj.pk)
    )


def assert_reason(response, status, *mentions):
    """A refusal with the status and a JSON reason mentioning each of `mentions`."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    detail = response.json()["detail"]
    assert detail
    for mention in mentions:
        assert mention in str(detail), (mention, detail)


# Organisations ---------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["anonymous", "staff", "lead_a", "officer_b", "partner"])
def test_everyone_reads_the_organisations(api, persona, borough_a, borough_b, police):
    listed = api(persona).get("/api/organisations")
    one = api(persona).get("/api/organisations/camden")

    assert listed.status_code == 200
    body = listed.json()
    assert body["count"] == 3
    assert [item["slug"] for item in body["items"]] == ["barnet", "camden", "met-police"]
    assert one.status_code == 200
    assert one.json() == {
        "slug": "camden",
        "name": "London Borough of Camden",
        "short_name": "Camden",
        "kind": "london_borough",
        "gss_code": "E09000007",
        "website": "",
    }


def test_an_unknown_organisation_is_a_json_404(api, db):
    assert_reason(api("anonymous").get("/api/organisations/nowhere"), 404, "Not found")


ORGANISATION = {
    "name": "London Borough of Hackney",
    "short_name": "Hackney",
    "kind": "london_borough",
    "gss_code": "e09000012",
    "website": "https://hackney.gov.uk",
}


def test_the_office_creates_an_organisation_with_an_audit_entry(api, staff):
    response = api("staff").post("/api/organisations", ORGANISATION)

    assert response.status_code == 201, response.content
    assert response.json() == {
        "slug": "hackney",
        "name": "London Borough of Hackney",
        "short_name": "Hackney",
        "kind": "london_borough",
        "gss_code": "E09000012",
        "website": "https://hackney.gov.uk",
    }
    organisation = Organisation.objects.get(slug="hackney")
    entry = audit_entries(organisation).get()
    assert entry.action == AuditEntry.Action.CREATE
    assert entry.actor == staff
    assert entry.changes["Name"] == [None, "London Borough of Hackney"]


@pytest.mark.parametrize("persona", ["lead_a", "officer_a", "officer_b", "partner"])
def test_only_the_office_creates_organisations(api, persona, personas):
    response = api(persona).post("/api/organisations", ORGANISATION)

    assert_reason(response, 403, "role")
    assert not Organisation.objects.filter(short_name="Hackney").exists()
    assert not AuditEntry.objects.exists()


def test_anonymous_writes_need_a_token(api, borough_a):
    assert_reason(api("anonymous").post("/api/organisations", ORGANISATION), 401, "Authorization")
    assert_reason(
        api("anonymous").patch("/api/organisations/barnet", {"name": "X"}), 401, "Authorization"
    )
    assert not Organisation.objects.filter(short_name="Hackney").exists()
    assert Organisation.objects.get(slug="barnet").name == "London Borough of Barnet"


@pytest.mark.parametrize(
    ("change", "status", "field"),
    [
        ({"gss_code": "X123"}, 400, "gss_code"),
        ({"website": "not a url"}, 400, "website"),
        ({"name": "London Borough of Barnet"}, 400, "name"),  # taken
        ({"kind": "parish"}, 422, "kind"),
        ({"name": ""}, 422, "name"),
        ({"name": 42}, 422, "name"),
        ({"name": "x" * 201}, 422, "name"),
        ({"name": "Nul\x00Borough"}, 422, "NUL"),
        ({"short_name": None}, 422, "short_name"),
    ],
)
def test_a_bad_organisation_is_refused_with_a_reason(api, staff, borough_a, change, status, field):
    before = Organisation.objects.count()

    response = api("staff").post("/api/organisations", {**ORGANISATION, **change})

    assert_reason(response, status, field)
    assert Organisation.objects.count() == before
    assert not AuditEntry.objects.exists()


def test_the_office_patches_an_organisation_with_an_audit_entry(api, staff, borough_a):
    response = api("staff").patch(
        "/api/organisations/barnet", {"website": "https://barnet.gov.uk", "gss_code": "e09000003"}
    )

    assert response.status_code == 200, response.content
    assert response.json()["website"] == "https://barnet.gov.uk"
    assert response.json()["name"] == "London Borough of Barnet"  # left out, so unchanged
    borough_a.refresh_from_db()
    assert borough_a.website == "https://barnet.gov.uk"
    entry = audit_entries(borough_a).get()
    assert entry.action == AuditEntry.Action.UPDATE
    assert entry.actor == staff
    # The GSS code was only re-cased, so the website is the one real change.
    assert entry.changes == {"Website": ["", "https://barnet.gov.uk"]}


@pytest.mark.parametrize(
    ("persona", "status"),
    [("lead_a", 403), ("officer_a", 403), ("partner", 403), ("anonymous", 401)],
)
def test_only_the_office_patches_organisations(api, personas, persona, status):
    response = api(persona).patch("/api/organisations/barnet", {"name": "Hijacked"})

    assert response.status_code == status
    assert Organisation.objects.get(slug="barnet").name == "London Borough of Barnet"


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"gss_code": None}, 422),  # was a 500
        ({"name": None}, 422),
        ({"kind": "parish"}, 422),
        ({"gss_code": "12"}, 400),
        (5, 422),  # not an object: was accepted as an empty patch
        ([], 422),
    ],
)
def test_a_bad_organisation_patch_is_refused(api, staff, borough_a, body, status):
    response = api("staff").patch("/api/organisations/barnet", body)

    assert_reason(response, status)
    borough_a.refresh_from_db()
    assert (borough_a.name, borough_a.gss_code) == ("London Borough of Barnet", "E09000003")
    assert not audit_entries(borough_a).exists()


def test_patching_an_unknown_organisation_is_a_404(api, staff):
    assert_reason(api("staff").patch("/api/organisations/nowhere", {"name": "X"}), 404)
    assert_reason(api("staff").patch("/api/organisations/not%00a-slug", {"name": "X"}), 404)


# Reading memberships and contributions ----------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "organisations"),
    [
        ("staff", ["barnet", "barnet", "camden", "met-police"]),
        ("lead_a", ["barnet", "barnet", "camden", "met-police"]),
        ("officer_a", ["barnet", "barnet"]),
        ("officer_b", ["camden"]),
        ("partner", []),
    ],
)
def test_who_reads_which_memberships(api, finance, persona, organisations):
    response = api(persona).get("/api/memberships")

    assert response.status_code == 200
    body = response.json()
    assert sorted(item["organisation"] for item in body["items"]) == organisations
    assert body["count"] == len(organisations)


@pytest.mark.parametrize(
    ("persona", "organisations"),
    [
        ("staff", ["barnet", "barnet", "camden", "camden"]),
        ("lead_a", ["barnet", "barnet", "camden", "camden"]),
        ("officer_a", ["barnet", "barnet"]),
        ("officer_b", ["camden", "camden"]),
        ("partner", []),
    ],
)
def test_who_reads_which_contributions(api, finance, persona, organisations):
    response = api(persona).get("/api/contributions")

    assert response.status_code == 200
    assert sorted(item["organisation"] for item in response.json()["items"]) == organisations


@pytest.mark.parametrize("url", ["/api/memberships", "/api/contributions"])
def test_anonymous_reads_of_money_need_a_token(api, finance, url):
    assert_reason(api("anonymous").get(url), 401, "Authorization: Bearer")
    pk = finance["a_2026"].pk if "memberships" in url else finance["a_fee_2026"].pk
    assert_reason(api("anonymous").get(f"{url}/{pk}"), 401)


@pytest.mark.parametrize(
    ("persona", "own", "other"),
    [
        ("staff", 200, 200),
        ("lead_a", 200, 200),
        ("officer_a", 200, 404),
        ("officer_b", 404, 200),
        ("partner", 404, 404),
    ],
)
def test_reading_one_membership_or_contribution(api, finance, persona, own, other):
    """Barnet's records are "own" for borough A; Camden's are another organisation's, which an
    officer of A cannot tell from a record that does not exist."""
    client = api(persona)
    for barnet, camden, url in [
        (finance["a_2026"], finance["b_2026"], "/api/memberships"),
        (finance["a_fee_2026"], finance["b_grant_2026"], "/api/contributions"),
    ]:
        assert client.get(f"{url}/{barnet.pk}").status_code == own
        response = client.get(f"{url}/{camden.pk}")
        assert response.status_code == other
        if other == 404:
            assert response.json() == {"detail": "Not found."}
            assert "camden" not in response.content.decode()


def test_a_membership_shows_its_fees_paid_and_invoiced(api, finance):
    response = api("lead_a").get(f"/api/memberships/{finance['a_2026'].pk}")

    assert response.status_code == 200
    assert response.json() == {
        "id": finance["a_2026"].pk,
        "organisation": "barnet",
        "year": 2026,
        "financial_year": "2026/27",
        "tier": "core",
        "fee_due": "30000.00",
        "fee_paid": "30000.00",
        "fee_invoiced": "0.00",
        "declaration_signed_on": "2019-03-01",
    }
    a_2025 = api("lead_a").get(f"/api/memberships/{finance['a_2025'].pk}").json()
    assert (a_2025["fee_paid"], a_2025["fee_invoiced"]) == ("0.00", "29000.00")


def test_filtering_by_another_organisation_shows_an_officer_nothing(api, finance):
    response = api("officer_a").get("/api/memberships", {"organisation": "camden"})

    assert response.status_code == 200
    assert response.json() == {"items": [], "count": 0}
    assert (
        api("officer_a").get("/api/contributions", {"organisation": "camden"}).json()["count"] == 0
    )


def test_the_year_and_organisation_filters(api, finance):
    client = api("staff")

    in_2025 = client.get("/api/memberships", {"year": 2025}).json()
    barnet = client.get("/api/memberships", {"organisation": "barnet"}).json()
    both = client.get("/api/contributions", {"year": 2026, "organisation": "camden"}).json()

    assert [(item["organisation"], item["year"]) for item in in_2025["items"]] == [("barnet", 2025)]
    assert in_2025["count"] == 1
    assert {item["year"] for item in barnet["items"]} == {2025, 2026}
    assert all(item["organisation"] == "barnet" for item in barnet["items"])
    assert sorted(item["kind"] for item in both["items"]) == ["grant", "membership_fee"]
    assert client.get("/api/memberships", {"year": 2030}).json() == {"items": [], "count": 0}


@pytest.mark.parametrize(
    "params",
    [
        {"year": 1989},
        {"year": 2101},
        {"year": "last"},
        {"limit": 0},
        {"limit": 1001},
        {"offset": -1},
    ],
)
def test_bad_filters_are_a_422_with_a_reason(api, finance, params):
    response = api("staff").get("/api/memberships", params)

    assert_reason(response, 422, next(iter(params)))


def test_unknown_organisation_filter_is_a_404(api, finance):
    assert_reason(api("staff").get("/api/memberships", {"organisation": "nowhere"}), 404)
    assert_reason(api("staff").get("/api/memberships", {"organisation": "no\x00where"}), 404)


def test_pagination(api, finance, borough_a):
    # Eight Barnet memberships, newest first.
    for year in range(2018, 2024):
        MembershipFactory(organisation=borough_a, year=year)
    client = api("staff")

    first = client.get("/api/memberships", {"organisation": "barnet", "limit": 3}).json()
    second = client.get(
        "/api/memberships", {"organisation": "barnet", "limit": 3, "offset": 3}
    ).json()
    last = client.get(
        "/api/memberships", {"organisation": "barnet", "limit": 3, "offset": 6}
    ).json()
    beyond = client.get("/api/memberships", {"organisation": "barnet", "offset": 50}).json()

    assert first["count"] == second["count"] == last["count"] == 8
    assert [item["year"] for item in first["items"]] == [2026, 2025, 2023]
    assert [item["year"] for item in second["items"]] == [2022, 2021, 2020]
    assert [item["year"] for item in last["items"]] == [2019, 2018]
    assert beyond == {"items": [], "count": 8}
    organisations = client.get("/api/organisations", {"limit": 1, "offset": 1}).json()
    assert organisations == {"items": [organisations["items"][0]], "count": 3}
    assert organisations["items"][0]["slug"] == "camden"


@pytest.mark.parametrize("params", [{"limit": 10**20}, {"offset": 10**20}, {"offset": 2**63}])
def test_a_huge_page_is_refused_not_a_server_error(api, finance, params):
    # These reached the database as out-of-range integers: a 500.
    for url in ["/api/memberships", "/api/contributions", "/api/organisations"]:
        assert_reason(api("staff").get(url, params), 422, next(iter(params)))


def test_a_huge_id_is_a_404(api, finance):
    assert_reason(api("staff").get(f"/api/memberships/{10**30}"), 404)
    assert_reason(api("staff").delete(f"/api/contributions/{2**64}"), 404)


# Writing memberships ----------------------------------------------------------------------


def test_the_office_creates_a_membership_with_the_scheduled_fee(api, finance, staff, borough_a):
    response = api("staff").post(
        "/api/memberships", {"organisation": "barnet", "year": 2027, "tier": "core"}
    )

    assert response.status_code == 201, response.content
    body = response.json()
    membership = Membership.objects.get(organisation=borough_a, year=2027)
    assert body == {
        "id": membership.pk,
        "organisation": "barnet",
        "year": 2027,
        "financial_year": "2027/28",
        "tier": "core",
        "fee_due": "31500.00",  # from the 2027 fee schedule
        "fee_paid": "0.00",
        "fee_invoiced": "0.00",
        "declaration_signed_on": "2019-03-01",  # carried from Barnet's earlier membership
    }
    entry = audit_entries(membership).get()
    assert (entry.action, entry.actor) == (AuditEntry.Action.CREATE, staff)


def test_a_given_fee_overrides_the_schedule(api, finance, police):
    response = api("staff").post(
        "/api/memberships",
        {"organisation": "met-police", "year": 2027, "tier": "associate", "fee_due": "500.5"},
    )

    assert response.status_code == 201, response.content
    assert response.json()["fee_due"] == "500.50"
    assert Membership.objects.get(organisation=police, year=2027).fee_due == Decimal("500.50")


def test_a_core_membership_needs_a_declaration_date(api, finance, police):
    # Police have never signed the Declaration, so there is none to carry forward.
    response = api("staff").post(
        "/api/memberships", {"organisation": "met-police", "year": 2027, "tier": "core"}
    )

    assert_reason(response, 400, "declaration_signed_on", "Declaration")
    assert set(response.json()["detail"]) == {"declaration_signed_on"}
    assert not Membership.objects.filter(organisation=police, year=2027).exists()

    signed = api("staff").post(
        "/api/memberships",
        {
            "organisation": "met-police",
            "year": 2027,
            "tier": "core",
            "declaration_signed_on": "2026-09-01",
        },
    )
    assert signed.status_code == 201, signed.content


def test_no_scheduled_fee_and_none_given_is_a_400_naming_the_fee(api, finance):
    response = api("staff").post(
        "/api/memberships", {"organisation": "barnet", "year": 2030, "tier": "funder"}
    )

    assert_reason(response, 400, "fee_due")


def test_a_second_membership_for_the_same_year_is_a_400_not_a_500(api, finance, borough_a):
    response = api("staff").post(
        "/api/memberships",
        {"organisation": "barnet", "year": 2026, "tier": "associate", "fee_due": 1},
    )

    assert_reason(response, 400, "already exists")
    assert Membership.objects.filter(organisation=borough_a, year=2026).count() == 1
    assert Membership.objects.get(organisation=borough_a, year=2026).tier == Tier.CORE


@pytest.mark.parametrize(
    ("change", "status", "mention"),
    [
        ({"year": "next"}, 422, "year"),
        ({"year": 2027.5}, 422, "year"),
        ({"year": 1989}, 422, "year"),
        ({"year": 2101}, 422, "year"),
        ({"tier": "platinum"}, 422, "tier"),
        ({"tier": None}, 422, "tier"),
        ({"fee_due": "-1"}, 422, "fee_due"),
        ({"fee_due": -0.01}, 422, "fee_due"),
        ({"fee_due": "lots"}, 422, "fee_due"),
        ({"fee_due": "NaN"}, 422, "fee_due"),
        ({"fee_due": "Infinity"}, 422, "fee_due"),
        ({"fee_due": "1.001"}, 422, "fee_due"),
        ({"fee_due": "1" * 13 + ".00"}, 422, "fee_due"),
        ({"declaration_signed_on": "yesterday"}, 422, "declaration_signed_on"),
        ({"declaration_signed_on": "2999-01-01"}, 400, "declaration_signed_on"),
        ({"organisation": "nowhere"}, 400, "organisation"),
        ({"organisation": "no where\x00"}, 422, "organisation"),
        ({"organisation": 7}, 422, "organisation"),
    ],
)
def test_a_bad_membership_is_refused_with_a_reason(api, finance, change, status, mention):
    before = Membership.objects.count()
    body = {"organisation": "barnet", "year": 2027, "tier": "associate", "fee_due": "100", **change}

    response = api("staff").post("/api/memberships", body)

    assert_reason(response, status, mention)
    assert Membership.objects.count() == before


@pytest.mark.parametrize("body", [b"", b"{", b"[]", b"null", b'"membership"'])
def test_a_body_that_is_not_a_json_object_is_refused(api, finance, body):
    response = api("staff").client.post(
        "/api/memberships", body, content_type="application/json", headers=api("staff").headers
    )

    assert response.status_code in {400, 422}
    assert response.json()["detail"]


@pytest.mark.parametrize(
    ("persona", "status"),
    [("lead_a", 403), ("officer_a", 403), ("partner", 403), ("anonymous", 401)],
)
def test_only_the_office_creates_memberships(api, finance, persona, status):
    before = Membership.objects.count()

    response = api(persona).post(
        "/api/memberships", {"organisation": "barnet", "year": 2027, "tier": "core"}
    )

    assert_reason(response, status)
    assert Membership.objects.count() == before


def test_the_office_patches_a_membership_with_an_audit_entry(api, finance, staff):
    membership = finance["b_2026"]

    response = api("staff").patch(f"/api/memberships/{membership.pk}", {"fee_due": "27500"})

    assert response.status_code == 200, response.content
    assert response.json()["fee_due"] == "27500.00"
    assert response.json()["tier"] == "core"
    membership.refresh_from_db()
    assert membership.fee_due == Decimal(27500)
    entry = audit_entries(membership).get()
    assert (entry.action, entry.actor) == (AuditEntry.Action.UPDATE, staff)
    assert entry.changes == {"Fee due": ["30000.00", "27500.00"]}


@pytest.mark.parametrize(
    ("body", "status", "mention"),
    [
        ({"tier": "core", "declaration_signed_on": None}, 400, "declaration_signed_on"),
        ({"fee_due": None}, 422, "fee_due"),
        ({"fee_due": -5}, 422, "fee_due"),
        ({"tier": "gold"}, 422, "tier"),
    ],
)
def test_a_bad_membership_patch_changes_nothing(api, finance, body, status, mention):
    membership = finance["a_2026"]

    response = api("staff").patch(f"/api/memberships/{membership.pk}", body)

    assert_reason(response, status, mention)
    membership.refresh_from_db()
    assert (membership.tier, membership.fee_due) == (Tier.CORE, Decimal(30000))
    assert membership.declaration_signed_on == datetime.date(2019, 3, 1)
    assert not audit_entries(membership).exists()


@pytest.mark.parametrize(
    ("persona", "own", "other"),
    [("lead_a", 403, 403), ("officer_a", 403, 404), ("partner", 404, 404), ("anonymous", 401, 401)],
)
def test_only_the_office_changes_or_deletes_memberships(api, finance, persona, own, other):
    client = api(persona)
    for membership, status in [(finance["a_2026"], own), (finance["b_2026"], other)]:
        assert (
            client.patch(f"/api/memberships/{membership.pk}", {"fee_due": 1}).status_code == status
        )
        assert client.delete(f"/api/memberships/{membership.pk}").status_code == status
        membership.refresh_from_db()
        assert membership.fee_due == Decimal(30000)
    assert not AuditEntry.objects.exists()


def test_the_office_deletes_a_membership_with_an_audit_entry(api, finance, staff):
    membership = finance["b_2026"]
    pk = membership.pk

    response = api("staff").delete(f"/api/memberships/{pk}")

    assert response.status_code == 204
    assert not Membership.objects.filter(pk=pk).exists()
    entry = audit_entries(membership, model=Membership, object_id=pk).get()
    assert (entry.action, entry.actor) == (AuditEntry.Action.DELETE, staff)
    assert entry.changes["Fee due"] == ["30000.00", None]
    assert_reason(api("staff").get(f"/api/memberships/{pk}"), 404)
    assert_reason(api("staff").delete(f"/api/memberships/{pk}"), 404)


# Writing contributions --------------------------------------------------------------------


CONTRIBUTION = {
    "organisation": "camden",
    "year": 2027,
    "kind": "grant",
    "status": "invoiced",
    "amount": "1250.00",
    "description": "Data sharing pilot",
    "invoice_reference": "INV-0042",
    "invoiced_on": "2027-05-01",
}


def test_the_office_records_a_contribution_with_an_audit_entry(api, finance, staff):
    response = api("staff").post("/api/contributions", CONTRIBUTION)

    assert response.status_code == 201, response.content
    body = response.json()
    contribution = Contribution.objects.get(pk=body["id"])
    assert body == {
        "id": contribution.pk,
        "financial_year": "2027/28",
        "paid_on": None,
        **CONTRIBUTION,
    }
    entry = audit_entries(contribution).get()
    assert (entry.action, entry.actor) == (AuditEntry.Action.CREATE, staff)


@pytest.mark.parametrize(
    ("change", "status", "mention"),
    [
        ({"status": "paid"}, 400, "paid_on"),
        ({"paid_on": "2027-06-01"}, 400, "paid_on"),
        ({"status": "paid", "paid_on": "2027-04-01"}, 400, "paid_on"),  # before invoiced
        ({"amount": "0"}, 400, "amount"),
        ({"amount": "-10"}, 422, "amount"),
        ({"amount": None}, 422, "amount"),
        ({"kind": "donation"}, 422, "kind"),
        ({"status": "pending"}, 422, "status"),
        ({"year": 3000}, 422, "year"),
        ({"organisation": "nowhere"}, 400, "organisation"),
        ({"description": "d" * 201}, 422, "description"),
        ({"invoice_reference": "INV\x00"}, 422, "invoice_reference"),
    ],
)
def test_a_bad_contribution_is_refused_with_a_reason(api, finance, change, status, mention):
    before = Contribution.objects.count()

    response = api("staff").post("/api/contributions", {**CONTRIBUTION, **change})

    assert_reason(response, status, mention)
    assert Contribution.objects.count() == before


@pytest.mark.parametrize(
    ("persona", "status"),
    [("lead_a", 403), ("officer_b", 403), ("partner", 403), ("anonymous", 401)],
)
def test_only_the_office_records_contributions(api, finance, persona, status):
    before = Contribution.objects.count()

    assert_reason(api(persona).post("/api/contributions", CONTRIBUTION), status)
    assert Contribution.objects.count() == before


def test_the_office_marks_a_contribution_paid_and_deletes_one(api, finance, staff):
    invoiced = finance["b_fee_2026"]
    grant = finance["b_grant_2026"]

    paid = api("staff").patch(
        f"/api/contributions/{invoiced.pk}", {"status": "paid", "paid_on": "2026-06-30"}
    )
    deleted = api("staff").delete(f"/api/contributions/{grant.pk}")

    assert paid.status_code == 200, paid.content
    assert (paid.json()["status"], paid.json()["paid_on"]) == ("paid", "2026-06-30")
    invoiced.refresh_from_db()
    assert invoiced.status == Contribution.Status.PAID
    assert audit_entries(invoiced).get().changes["Status"] == ["Invoiced", "Paid"]
    assert deleted.status_code == 204
    assert not Contribution.objects.filter(pk=grant.pk).exists()
    assert (
        audit_entries(grant, model=Contribution, object_id=grant.pk).get().action
        == AuditEntry.Action.DELETE
    )
    # The membership now shows the fee as paid.
    membership = api("lead_a").get(f"/api/memberships/{finance['b_2026'].pk}").json()
    assert (membership["fee_paid"], membership["fee_invoiced"]) == ("30000.00", "0.00")


def test_a_contribution_patch_that_breaks_a_rule_changes_nothing(api, finance):
    invoiced = finance["b_fee_2026"]

    response = api("staff").patch(f"/api/contributions/{invoiced.pk}", {"status": "paid"})

    assert_reason(response, 400, "paid_on")
    invoiced.refresh_from_db()
    assert invoiced.status == Contribution.Status.INVOICED
    assert_reason(
        api("staff").patch(f"/api/contributions/{invoiced.pk}", {"description": None}), 422
    )


@pytest.mark.parametrize(
    ("persona", "own", "other"),
    [("lead_a", 403, 403), ("officer_a", 403, 404), ("partner", 404, 404), ("anonymous", 401, 401)],
)
def test_only_the_office_changes_or_deletes_contributions(api, finance, persona, own, other):
    client = api(persona)
    for contribution, status in [(finance["a_fee_2025"], own), (finance["b_fee_2026"], other)]:
        assert (
            client.patch(f"/api/contributions/{contribution.pk}", {"amount": 1}).status_code
            == status
        )
        assert client.delete(f"/api/contributions/{contribution.pk}").status_code == status
        contribution.refresh_from_db()
        assert contribution.amount != 1
    assert not AuditEntry.objects.exists()
