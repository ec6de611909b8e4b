import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from loti.core.models import AuditEntry
from loti.techmap import selectors, services, views
from loti.techmap.models import (
    Contract,
    OpportunityInterest,
    Product,
    ProductCategory,
    ServiceArea,
    System,
    Vendor,
    VendorAlias,
)
from tests import clock

pytestmark = pytest.mark.django_db

TODAY = clock.TODAY


frozen_today = clock.frozen_fixture()


@pytest.fixture
def estate(borough_a, borough_b):
    housing = ProductCategory.objects.get(slug="housing-management-system")
    civica = services.vendor_create(actor=None, name="Civica UK Ltd", is_sme=False)
    tiny = services.vendor_create(actor=None, name="Tiny Housing Co", is_sme=True)
    cx = services.product_create(actor=None, vendor=civica, name="Civica CX", category=housing)
    small = services.product_create(actor=None, vendor=tiny, name="HomeSmall", category=housing)
    system_a = services.system_create(
        actor=None, organisation=borough_a, product=cx, satisfaction=2, notes="Slow"
    )
    system_b = services.system_create(actor=None, organisation=borough_b, product=small)
    contract_a = services.contract_create(
        actor=None,
        organisation=borough_a,
        vendor=civica,
        system=system_a,
        title="Housing system A",
        ends_on=datetime.date(2027, 6, 30),
        annual_value=Decimal(300000),
    )
    contract_b = services.contract_create(
        actor=None,
        organisation=borough_b,
        vendor=tiny,
        system=system_b,
        title="Housing system B",
        ends_on=datetime.date(2027, 11, 30),
        annual_value=Decimal(100000),
        is_public=True,
    )
    return {
        "system_a": system_a,
        "contract_a": contract_a,
        "contract_b": contract_b,
        "civica": civica,
        "cx": cx,
    }


def test_the_map_shows_each_organisations_product_for_each_service(client, estate):
    response = client.get(reverse("techmap:map"))
    rows = dict(response.context["map"].rows())
    areas = response.context["map"].areas
    housing = [a.slug for a in areas].index("housing-management")
    by_name = {org.short_name: cells for org, cells in rows.items()}
    assert by_name["Barnet"][housing].products == [("Civica CX", estate["cx"].slug)]
    assert by_name["Camden"][housing].products == [("HomeSmall", "tiny-housing-co-homesmall")]
    assert by_name["Barnet"][housing].more == 0
    # The chart counts, for each service, the organisations in the table that record a system.
    coverage = dict((row[0], row[1]) for row in response.context["chart"].rows)
    assert coverage["Housing management"] == "2"
    assert coverage["Libraries"] == "0"


def test_a_crowded_map_cell_shows_three_products_and_how_many_more(client, estate, borough_a):
    housing = ProductCategory.objects.get(slug="housing-management-system")
    for name in ("Alpha", "Beta", "Gamma", "Delta"):
        product = services.product_create(
            actor=None, vendor=estate["civica"], name=name, category=housing
        )
        services.system_create(actor=None, organisation=borough_a, product=product)
    response = client.get(reverse("techmap:map"))
    areas = [a.slug for a in response.context["map"].areas]
    barnet = dict((o.short_name, cells) for o, cells in response.context["map"].rows())["Barnet"]
    cell = barnet[areas.index("housing-management")]
    assert [name for name, _ in cell.products] == ["Alpha", "Beta", "Civica CX"]
    assert cell.more == 2
    assert "and 2 more" in response.content.decode()


def test_the_map_pages_its_organisations_and_keeps_the_function(client, estate, monkeypatch):
    monkeypatch.setattr(selectors, "MAP_PAGE_SIZE", 1)
    housing = ServiceArea.objects.get(slug="housing-management").function
    first = client.get(reverse("techmap:map") + f"?function={housing.slug}")
    assert [o.short_name for o in first.context["map"].page] == ["Barnet"]
    assert {a.function_id for a in first.context["map"].areas} == {housing.pk}
    assert f"?function={housing.slug}&amp;page=2" in first.content.decode()
    second = client.get(reverse("techmap:map") + f"?function={housing.slug}&page=2")
    assert [o.short_name for o in second.context["map"].page] == ["Camden"]


def test_a_product_page_lists_its_users_a_page_at_a_time_and_charts_them_all(
    client, estate, borough_b, monkeypatch
):
    monkeypatch.setattr(views, "PRODUCT_USERS_SHOWN", 1)
    system = services.system_create(actor=None, organisation=borough_b, product=estate["cx"])
    services.contract_create(
        actor=None,
        organisation=borough_b,
        vendor=estate["civica"],
        system=system,
        title="Camden CX",
        ends_on=datetime.date(2029, 3, 31),
    )
    url = reverse("techmap:product_detail", args=[estate["cx"].slug])

    first = client.get(url)

    assert [row.organisation for row in first.context["page"]] == ["Barnet"]
    page = first.content.decode()
    assert "2 organisations" in page
    assert "Housing management" in page  # the services Barnet uses it for
    assert "?page=2" in page
    # The chart counts every organisation's contracts, not only this page's.
    years = dict((row[0], row[1]) for row in first.context["chart"].rows)
    assert years == {"2027": "1", "2029": "1"}
    second = client.get(url + "?page=2")
    assert [row.organisation for row in second.context["page"]] == ["Camden"]
    assert "31 Mar 2029" in second.content.decode()


def test_the_product_list_counts_users_most_first_and_searches(client, estate, borough_b):
    services.system_create(actor=None, organisation=borough_b, product=estate["cx"])

    listed = client.get(reverse("techmap:product_list")).context["page"]

    assert [(p.name, p.organisations) for p in listed][:2] == [("Civica CX", 2), ("HomeSmall", 1)]
    found = client.get(reverse("techmap:product_list") + "?q=tiny housing").context["page"]
    assert [p.name for p in found] == ["HomeSmall"]  # by supplier name


def test_values_satisfaction_and_notes_are_for_members_unless_published(client_as, estate):
    url = reverse("techmap:organisation_estate", args=["barnet"])
    for persona in ("anonymous", "partner"):
        page = client_as(persona).get(url).content.decode()
        assert "Civica CX" in page and "30 Jun 2027" in page
        assert "300,000" not in page and "Satisfaction" not in page, persona
        detail = client_as(persona).get(estate["contract_a"].get_absolute_url()).content.decode()
        assert "300,000" not in detail and "Shown to members only" in detail
        assert (
            "Slow"
            not in client_as(persona).get(estate["system_a"].get_absolute_url()).content.decode()
        )
    page = client_as("officer_b").get(url).content.decode()
    assert "300,000" in page
    public = client_as("anonymous").get(estate["contract_b"].get_absolute_url()).content.decode()
    assert "100,000" in public


def test_no_notes_print_nothing_rather_than_none(client_as, estate):
    officer = client_as("officer_b")
    contract = officer.get(estate["contract_a"].get_absolute_url()).content.decode()
    assert "Notes</dt>" not in contract and ">None<" not in contract
    system = officer.get(estate["system_a"].get_absolute_url()).content.decode()
    assert "Notes</dt>" in system and "Slow" in system
    empty = officer.get(estate["contract_b"].system.get_absolute_url()).content.decode()
    assert "Notes</dt>" not in empty and ">None<" not in empty


def test_an_officer_adds_a_system_with_the_usual_services(client_as, borough_a):
    product = Product.objects.create(
        vendor=Vendor.objects.create(name="Idox", normalised_name="idox", slug="idox"),
        name="Uniform",
        slug="idox-uniform",
        category=ProductCategory.objects.get(slug="planning-and-building-control-system"),
    )
    response = client_as("officer_a").post(
        reverse("techmap:system_create", args=["barnet"]),
        {"product": product.pk, "satisfaction": "4"},
    )
    system = System.objects.get(organisation=borough_a)
    assert response["Location"] == system.get_absolute_url()
    assert set(system.service_areas.values_list("slug", flat=True)) == {
        "planning-and-development-management",
        "building-control",
    }
    assert system.satisfaction == 4
    assert AuditEntry.objects.filter(action="create", object_id=str(system.pk)).exists()


def test_a_contract_that_ends_before_it_starts_is_refused(client_as, estate):
    response = client_as("officer_a").post(
        reverse("techmap:contract_create", args=["barnet"]),
        {
            "title": "Backwards",
            "vendor": estate["civica"].pk,
            "starts_on_0": "1",
            "starts_on_1": "4",
            "starts_on_2": "2027",
            "ends_on_0": "31",
            "ends_on_1": "3",
            "ends_on_2": "2027",
        },
    )
    assert response.context["form"].errors["ends_on"] == [
        "The end date must be the same as or after the start date"
    ]
    assert not Contract.objects.filter(title="Backwards").exists()


def test_a_contract_cannot_cover_another_organisations_system(client_as, estate):
    response = client_as("officer_b").post(
        reverse("techmap:contract_create", args=["camden"]),
        {"title": "Sneaky", "vendor": estate["civica"].pk, "system": estate["system_a"].pk},
    )
    assert "system" in response.context["form"].errors
    assert not Contract.objects.filter(title="Sneaky").exists()


def test_staff_merge_duplicate_suppliers_keeping_the_old_names(client_as, estate, borough_b):
    duplicate = services.vendor_create(actor=None, name="Civca UK")  # a misspelt duplicate
    housing = ProductCategory.objects.get(slug="housing-management-system")
    twin = services.product_create(actor=None, vendor=duplicate, name="Civica CX", category=housing)
    services.system_create(actor=None, organisation=borough_b, product=twin)
    services.contract_create(
        actor=None, organisation=borough_b, vendor=duplicate, title="Dup contract"
    )
    response = client_as("staff").post(
        reverse("techmap:vendor_merge", args=[estate["civica"].slug]),
        {"duplicates": [duplicate.pk]},
    )
    assert response.status_code == 302
    assert not Vendor.objects.filter(pk=duplicate.pk).exists()
    assert VendorAlias.objects.filter(vendor=estate["civica"], name="Civca UK").exists()
    assert Contract.objects.get(title="Dup contract").vendor == estate["civica"]
    # The two products of the same name became one, used by both boroughs.
    assert Product.objects.filter(name="Civica CX").count() == 1
    assert estate["cx"].systems.count() == 2


def test_expiry_timeline_lists_contracts_ending_in_36_months_by_service(client, estate):
    response = client.get(reverse("techmap:expiry"))
    assert [c.title for c in response.context["contracts"]] == [
        "Housing system A",
        "Housing system B",
    ]
    chart = response.context["chart"]
    assert dict((row[0], row[1]) for row in chart.rows)["2027 Q2"] == "1"
    filtered = client.get(reverse("techmap:expiry") + "?area=libraries")
    assert list(filtered.context["contracts"]) == []
    assert client.get(reverse("techmap:expiry") + "?area=nowhere").status_code == 404


def test_the_public_market_counts_contracts_since_it_sees_only_published_values(client_as, estate):
    # Civica's £300,000 contract is private, Tiny's £100,000 one published: by the value the
    # public sees, Tiny would be a monopoly (an HHI of 10,000).
    response = client_as("anonymous").get(reverse("techmap:market"))
    public = response.context
    assert public["by"] == "contracts"
    assert public["hhi"]["housing-management"].hhi == pytest.approx(50**2 + 50**2)
    assert public["sme"].share_by_contracts == 0.5
    chart = public["top_chart"]
    assert chart.title == "Share of contracts held by the largest suppliers"
    assert chart.columns == ["Supplier", "Contracts", "Share of contracts"]
    assert chart.rows == [["Civica UK Ltd", "1", "50.0%"], ["Tiny Housing Co", "1", "50.0%"]]
    assert [v["value"] for v in chart.spec["data"]["values"]] == [50.0, 50.0]
    page = response.content.decode()
    assert "shares here are of the number of contracts" in page
    assert "HHI of contracts" in page
    assert "SMEs hold <strong>50%</strong> of the contracts whose supplier" in page
    assert "</strong> of their value" not in page and "Share of value" not in page
    assert "300,000" not in page and "300000" not in page and "75.0%" not in page


def test_members_see_the_market_by_value(client_as, estate):
    response = client_as("officer_a").get(reverse("techmap:market"))
    member = response.context
    assert member["by"] == "value"
    member_top = {s.vendor: s for s in member["top"]}
    assert member_top["Civica UK Ltd"].share_of_value == pytest.approx(0.75)
    assert member["sme"].share_by_value == pytest.approx(0.25)
    assert member["hhi"]["housing-management"].hhi == pytest.approx(75**2 + 25**2)
    chart = member["top_chart"]
    assert chart.title == "Share of value held by the largest suppliers"
    assert chart.rows[0] == ["Civica UK Ltd", "1", "75.0%", "50.0%"]
    assert [v["value"] for v in chart.spec["data"]["values"]] == [75.0, 25.0]
    page = response.content.decode()
    assert "Shares are of the annual value of all members" in page
    assert "HHI of value" in page
    assert "SMEs hold <strong>50%</strong> of the contracts" in page
    assert "<strong>25%</strong> of their value" in page
    different = dict((row[0], row[1]) for row in member["products_chart"].rows)
    assert different["Housing management"] == "2"


def _opportunities(client, query=""):
    return [
        item for item, _ in client.get(reverse("techmap:opportunities") + query).context["items"]
    ]


def test_members_see_opportunities_and_mark_interest(client_as, estate):
    client = client_as("officer_a")
    housing = [o for o in _opportunities(client) if o.group_slug == "housing-management"]
    assert len(housing) == 1
    opportunity = housing[0].opportunity
    assert [name for _, name in opportunity.organisations] == ["Barnet", "Camden"]
    assert opportunity.combined_annual_value == Decimal(400000)
    assert (opportunity.saving_low, opportunity.saving_high) == (Decimal(20000), Decimal(60000))
    response = client.post(
        reverse("techmap:opportunity_interest"),
        {
            "group_slug": "housing-management",
            "window_starts_on": opportunity.window_starts_on.isoformat(),
            "window_ends_on": opportunity.window_ends_on.isoformat(),
            "interested": "on",
        },
    )
    assert response.url == reverse(
        "techmap:opportunity_detail",
        args=["housing-management", opportunity.window_starts_on.isoformat()],
    )
    interest = OpportunityInterest.objects.get()
    assert (interest.organisation.short_name, interest.grouping) == ("Barnet", "area")
    mine = [o for o in _opportunities(client) if o.group_slug == "housing-management"]
    assert mine[0].own_interest and mine[0].interested == ("Barnet",)
    # Every member may see who wants to buy together, and the office too.
    for persona in ("officer_b", "staff"):
        [theirs] = [
            o for o in _opportunities(client_as(persona)) if o.group_slug == "housing-management"
        ]
        assert theirs.interested == ("Barnet",) and not theirs.own_interest


def test_a_narrower_window_splits_the_opportunity(client_as, estate):
    found = _opportunities(client_as("officer_a"), "?window=3")
    assert not [o for o in found if o.group_slug == "housing-management"]


def test_skills_are_recorded_and_peers_suggested(client_as, borough_a, borough_b):
    from loti.techmap.models import SkillArea

    area = SkillArea.objects.get(slug="user-research")
    client_as("officer_a").post(
        reverse("techmap:skills_edit", args=["barnet"]), {f"skill_{area.pk}": "5"}
    )
    client_as("officer_b").post(
        reverse("techmap:skills_edit", args=["camden"]), {f"skill_{area.pk}": "1"}
    )
    pairs = client_as("lead_a").get(reverse("techmap:skills")).context["pairs"]
    assert [(p.mentor_name, p.learner_name, p.gap) for p in pairs] == [("Barnet", "Camden", 4)]


def test_an_ended_contract_carries_an_ended_tag(client_as, estate, borough_a):
    ended = services.contract_create(
        actor=None,
        organisation=borough_a,
        vendor=estate["civica"],
        system=estate["system_a"],
        title="Old housing system",
        ends_on=TODAY - datetime.timedelta(days=1),
    )
    services.contract_create(
        actor=None,
        organisation=borough_a,
        vendor=estate["civica"],
        title="Ends today",
        ends_on=TODAY,
    )
    officer = client_as("officer_a")
    tag = '<strong class="govuk-tag govuk-tag--grey">Ended</strong>'
    page = officer.get(reverse("techmap:organisation_estate", args=["barnet"])).content.decode()
    rows = {
        title: row
        for row in page.split('<tr class="govuk-table__row">')
        for title in ("Old housing system", "Ends today", "Housing system A")
        if f">{title}</a>" in row
    }
    assert tag in rows["Old housing system"]
    assert tag not in rows["Ends today"] and tag not in rows["Housing system A"]
    assert tag in officer.get(ended.get_absolute_url()).content.decode()
    assert tag not in officer.get(estate["contract_a"].get_absolute_url()).content.decode()
