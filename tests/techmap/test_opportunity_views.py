"""The opportunities pages: filters, pages, an opportunity's own page with its timeline, who
else is interested, and a proposal started from it in the open call for ideas."""

import datetime
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from loti.techmap import selectors, services, views
from loti.techmap.models import OpportunityInterest, ProductCategory, ServiceArea
from tests import clock
from tests.factories import OrganisationFactory
from tests.portfolio.call_helpers import make_call

pytestmark = pytest.mark.django_db

TODAY = clock.TODAY
frozen_today = clock.frozen_fixture()
HOUSING = "housing-management"
WASTE = "waste-and-recycling-collection"
MARCH_27, JUNE_27 = datetime.date(2027, 3, 31), datetime.date(2027, 6, 30)
FEB_28, MARCH_28 = datetime.date(2028, 2, 1), datetime.date(2028, 3, 1)
MARCH_29, APRIL_29 = datetime.date(2029, 3, 31), datetime.date(2029, 4, 30)


def _contract(organisation, *, vendor, category, ends_on, value, areas=(HOUSING,), title=None):
    product = services.product_create(
        actor=None,
        vendor=vendor,
        name=f"{vendor.name} {category.name} {organisation.short_name} {ends_on}",
        category=category,
    )
    served = ServiceArea.objects.filter(slug__in=areas)
    assert served.count() == len(areas)
    system = services.system_create(
        actor=None, organisation=organisation, product=product, service_areas=served
    )
    return services.contract_create(
        actor=None,
        organisation=organisation,
        vendor=vendor,
        system=system,
        title=title or f"{organisation.short_name} {category.name}",
        starts_on=ends_on - datetime.timedelta(days=3 * 365),
        ends_on=ends_on,
        annual_value=Decimal(value),
    )


@pytest.fixture
def estate(frozen_today, borough_a, borough_b):
    """Housing: Barnet and Camden end together in 2027 (one for a housing system, one for a
    CRM), Hackney and Islington in 2029. Waste: Camden and Hackney in 2028."""
    hackney = OrganisationFactory(short_name="Hackney", slug="hackney", name="Hackney Council")
    islington = OrganisationFactory(short_name="Islington", slug="islington", name="Islington")
    housing = ProductCategory.objects.get(slug="housing-management-system")
    crm = ProductCategory.objects.exclude(pk=housing.pk).order_by("name").first()
    civica = services.vendor_create(actor=None, name="Civica UK Ltd")
    capita = services.vendor_create(actor=None, name="Capita plc")
    waste = (WASTE,)
    contracts = [
        _contract(borough_a, vendor=civica, category=housing, ends_on=MARCH_27, value=300_000),
        _contract(borough_b, vendor=capita, category=crm, ends_on=JUNE_27, value=100_000),
        _contract(hackney, vendor=capita, category=housing, ends_on=MARCH_29, value=20_000),
        _contract(islington, vendor=capita, category=housing, ends_on=APRIL_29, value=10_000),
        _contract(borough_b, vendor=civica, category=housing, ends_on=FEB_28, value=5, areas=waste),
        _contract(hackney, vendor=civica, category=housing, ends_on=MARCH_28, value=5, areas=waste),
    ]
    return {"contracts": contracts, "hackney": hackney, "housing": housing, "crm": crm}


def _listed(client, query=""):
    response = client.get(reverse("techmap:opportunities") + query)
    assert response.status_code == 200
    return response, [
        (item.opportunity.group, item.opportunity.window_starts_on)
        for item, _ in response.context["items"]
    ]


def test_the_page_lists_each_opportunity_once_with_its_product_categories(client_as, estate):
    response, listed = _listed(client_as("officer_a"))
    assert listed == [(HOUSING, MARCH_27), (HOUSING, MARCH_29), (WASTE, FEB_28)]
    body = response.content.decode()
    # The CRM contract is in the housing opportunity, a facet of it, not one of its own.
    # One contract each: by name.
    names = sorted([estate["housing"].name, estate["crm"].name])
    facet = f"{names[0]} (1), {names[1]} (1)<"
    assert f'Product categories</dt><dd class="govuk-summary-list__value">{facet}' in body
    assert "more of their contracts are in both groups than in only one" in body
    assert "£20k to £60k a year" in body


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?area=waste-and-recycling-collection", [(WASTE, FEB_28)]),
        ("?supplier=civica", [(HOUSING, MARCH_27), (WASTE, FEB_28)]),
        ("?supplier=CAPITA&area=housing-management", [(HOUSING, MARCH_27), (HOUSING, MARCH_29)]),
        ("?min_value=%C2%A330%2C001", [(HOUSING, MARCH_27)]),
        ("?mine=on", [(HOUSING, MARCH_27)]),
        ("?supplier=nobody", []),
    ],
)
def test_filters_narrow_the_list(client_as, estate, query, expected):
    response, listed = _listed(client_as("officer_a"), query)
    assert listed == expected
    if not expected:
        assert "No opportunities match these filters" in response.content.decode()


def test_a_wrong_filter_says_what_is_wrong_and_filters_nothing(client_as, estate):
    response, listed = _listed(client_as("officer_a"), "?min_value=lots&window=99")
    body = response.content.decode()
    assert "There is a problem" in body
    assert "The minimum combined value must be an amount in pounds" in body
    assert "must be 36 or less" in body
    assert len(listed) == 3


def test_who_may_filter_by_their_organisation_or_by_value(client_as, estate):
    staff = client_as("staff").get(reverse("techmap:opportunities")).context["form"]
    officer = client_as("officer_a").get(reverse("techmap:opportunities")).context["form"]
    assert "mine" not in staff.fields and "min_value" in staff.fields
    assert {"mine", "area", "supplier", "min_value"} <= set(officer.fields)


def test_the_list_is_paged_and_keeps_its_filters(client_as, estate, monkeypatch):
    monkeypatch.setattr(views, "OPPORTUNITIES_PER_PAGE", 1)
    client = client_as("officer_a")
    first, listed = _listed(client, "?supplier=capita")
    assert listed == [(HOUSING, MARCH_27)]
    assert "?supplier=capita&amp;page=2" in first.content.decode()
    _, second = _listed(client, "?supplier=capita&page=2")
    assert second == [(HOUSING, MARCH_29)]


def _detail(start=MARCH_27, area=HOUSING, query=""):
    url = reverse("techmap:opportunity_detail", args=[area, start.isoformat()])
    return f"{url}?{query}" if query else url


def test_an_opportunity_has_its_own_page_with_a_timeline_and_its_table(client_as, estate):
    response = client_as("officer_b").get(_detail())
    assert response.status_code == 200
    chart = response.context["chart"]
    assert [row[0] for row in chart.rows] == ["Barnet", "Camden"]
    assert chart.rows[0][-1] == "£300,000"
    assert len(chart.spec["layer"][1]["data"]["values"]) == 2
    body = response.content.decode()
    assert "£20k to £60k a year" in body
    assert "No other organisation has marked its interest yet." in body


def test_the_page_names_who_else_is_interested(client_as, estate, personas):
    services.opportunity_interest_set(
        actor=personas["officer_a"],
        organisation=personas["officer_a"].organisation,
        group_slug=HOUSING,
        window_starts_on=MARCH_27,
        window_ends_on=JUNE_27,
        interested=True,
    )
    camden = client_as("officer_b").get(_detail())
    assert camden.context["others_interested"] == ["Barnet"]
    barnet = client_as("officer_a").get(_detail())
    assert barnet.context["others_interested"] == []
    assert "Withdraw interest" in barnet.content.decode()


def test_a_link_to_a_merged_window_leads_to_the_opportunity_it_is_now_part_of(
    client_as, estate, borough_a, personas
):
    # With a 6-month window, Barnet's three more contracts make the windows from March and
    # from June share 3 contracts and hold 2 apart: they are one opportunity from March.
    civica = estate["contracts"][0].vendor
    for day in (datetime.date(2027, 8, 1), datetime.date(2027, 9, 1), datetime.date(2027, 10, 1)):
        _contract(borough_a, vendor=civica, category=estate["housing"], ends_on=day, value=1)
    found = selectors.opportunities(
        user=personas["officer_a"], today=TODAY, window_months=6, area=HOUSING
    )
    [merged] = [o for o in found if o.window_starts_on == MARCH_27]
    assert (merged.windows, merged.contract_count) == (2, 5)
    assert not [o for o in found if o.window_starts_on == JUNE_27]
    response = client_as("officer_a").get(_detail(JUNE_27, query="window=6"))
    assert response.status_code == 302
    assert response.url == _detail(query="window=6")


def test_no_opportunity_there_is_a_404(client_as, estate):
    client = client_as("officer_a")
    assert client.get(_detail(datetime.date(2026, 12, 1))).status_code == 404
    assert client.get(_detail(area="libraries")).status_code == 404
    assert (
        client.get(reverse("techmap:opportunity_detail", args=[HOUSING, "soon"])).status_code == 404
    )


def test_start_a_proposal_opens_the_open_calls_form_prefilled(client_as, estate, borough_b):
    call = make_call(today=TODAY, stage="proposing", title="Ideas for 2027")
    client = client_as("officer_a")
    start = client.get(_detail()).context["start"]
    assert start.call_title == "Ideas for 2027"
    parts = urlsplit(start.url)
    assert parts.path == reverse("portfolio:proposal_create", args=[call.slug])
    prefill = parse_qs(parts.query)
    assert prefill["title"] == ["Buying together: Housing management"]
    problem = prefill["problem"][0]
    assert "2 organisations (Barnet, Camden)" in problem
    assert (
        "Barnet: Barnet Housing management system with Civica UK Ltd, ending March 2027" in problem
    )
    assert "300,000" not in problem and "£" not in problem  # values stay out of proposals
    assert prefill["supporters"] == [str(borough_b.pk)]

    form = client.get(start.url).context["form"]
    assert form["title"].value() == "Buying together: Housing management"
    assert form["problem"].value() == problem
    assert [int(pk) for pk in form["supporters"].value()] == [borough_b.pk]
    assert "Start a proposal from this opportunity" in client.get(_detail()).content.decode()


def test_without_an_open_call_the_page_says_why_no_proposal_can_be_started(client_as, estate):
    make_call(today=TODAY, stage="upcoming", title="Ideas for spring")
    body = client_as("officer_a").get(_detail()).content.decode()
    assert "Start a proposal from this opportunity" not in body
    assert "No call for ideas is open for proposals now." in body
    assert "Ideas for spring opens for proposals on" in body


def test_interests_marked_on_product_categories_move_to_their_service_areas(borough_a, personas):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("loti.techmap.migrations.0006_opportunity_interest_by_service_area")
    category = ProductCategory.objects.get(slug="housing-management-system")
    areas = sorted(category.usual_service_areas.values_list("slug", flat=True))
    assert areas
    OpportunityInterest.objects.create(
        organisation=borough_a,
        grouping="category",
        group_slug=category.slug,
        window_starts_on=MARCH_27,
        window_ends_on=JUNE_27,
        marked_by=personas["officer_a"],
    )
    migration.category_interests_to_areas(apps, None)
    moved = OpportunityInterest.objects.order_by("group_slug")
    assert [(i.grouping, i.group_slug) for i in moved] == [("area", slug) for slug in areas]
    assert {i.window_starts_on for i in moved} == {MARCH_27}
