"""The home page's registry (no database), and the page itself for every persona."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from django.urls import reverse

from loti.core import home
from tests import clock
from tests.personas import PERSONAS

SIGNED_IN = SimpleNamespace(is_authenticated=True, role="officer", organisation_id=1)
ANONYMOUS = SimpleNamespace(is_authenticated=False)
ROW = home.Row(text="Answer the survey", url="/s/1/", tag="Closes 1 January")


def item(key, section, order=0, rows=lambda user: [ROW], empty="Nothing here."):
    return home.Item(
        key=key, heading=key.title(), section=section, order=order, rows=rows, empty=empty
    )


def test_waiting_comes_first_and_the_sections_follow_their_order():
    items = [
        item("new", home.RECENT),
        item("ending", home.ORGANISATION),
        item("votes", home.WAITING),
        item("rates", home.CONSORTIUM),
    ]
    shown = home.sections_for(SIGNED_IN, items)
    assert [s.section for s in shown] == [
        home.WAITING,
        home.ORGANISATION,
        home.CONSORTIUM,
        home.RECENT,
    ]


def test_an_item_that_is_not_for_the_person_is_left_out_and_an_empty_one_says_so():
    items = [
        item("ballots", home.WAITING, rows=lambda user: None),
        item("surveys", home.WAITING, rows=lambda user: []),
        item("turnout", home.CONSORTIUM, rows=lambda user: None),
    ]
    (waiting,) = home.sections_for(SIGNED_IN, items)
    assert [entry.item.key for entry in waiting.items] == ["surveys"]
    assert list(waiting.items[0].rows.rows) == []


def test_waiting_says_nothing_is_waiting_when_no_item_is_for_the_person():
    items = [item("ballots", home.WAITING, rows=lambda user: None), item("new", home.RECENT)]
    waiting, recent = home.sections_for(SIGNED_IN, items)
    assert waiting.section == home.WAITING and waiting.items == []
    assert waiting.section.empty == "Nothing is waiting for you at the moment."
    assert recent.items[0].rows.rows == [ROW]


def test_the_public_see_no_waiting_section():
    items = [item("new", home.RECENT), item("surveys", home.WAITING, rows=lambda user: None)]
    assert [s.section for s in home.sections_for(ANONYMOUS, items)] == [home.RECENT]


def test_items_keep_their_order_within_a_section():
    items = [item("b", home.WAITING, order=20), item("a", home.WAITING, order=10)]
    (waiting,) = home.sections_for(SIGNED_IN, sorted(items, key=lambda i: i.order))
    assert [entry.item.key for entry in waiting.items] == ["a", "b"]


def test_each_selector_is_given_the_user():
    seen = []
    home.sections_for(SIGNED_IN, [item("x", home.WAITING, rows=lambda user: seen.append(user))])
    assert seen == [SIGNED_IN]


def test_registering_again_replaces_and_an_item_needs_its_empty_sentence(monkeypatch):
    monkeypatch.setattr(home, "_items", {})
    home.register(
        key="k", heading="One", section=home.WAITING, order=1, rows=lambda u: [], empty="None."
    )
    home.register(
        key="k", heading="Two", section=home.WAITING, order=1, rows=lambda u: [], empty="None."
    )
    assert [i.heading for i in home.registered()] == ["Two"]
    with pytest.raises(ValueError, match="needs a sentence"):
        home.register(key="e", heading="E", section=home.WAITING, order=1, rows=list, empty="")


def test_the_apps_register_their_items():
    keys = {i.key for i in home.registered()}
    assert {
        "ballots",
        "ballot-turnout",
        "calls-proposing",
        "call-results",
        "reviews-due",
        "projects-worked-on",
        "newest-projects",
        "contracts-ending",
        "stale-records",
        "opportunities",
        "failed-ocds-imports",
        "open-tenders",
        "unpaid-invoices",
        "survey-invitations",
        "survey-response-rates",
        "published-reports",
        "failed-work",
    } <= keys
    assert all(i.empty.endswith(".") for i in home.registered())


def test_rows_show_the_first_and_count_the_rest():
    rows = [home.Row(text=str(n), url=f"/{n}/") for n in range(7)]
    first = home.rows_of(rows, limit=5, row=lambda r: r, more_url="/all/")
    assert [r.text for r in first.rows] == ["0", "1", "2", "3", "4"]
    assert (first.total, first.more, first.more_url) == (7, 2, "/all/")
    few = home.rows_of(rows[:5], limit=5, row=lambda r: r, more_url="/all/")
    assert (few.total, few.more) == (None, 0)


def test_a_near_date_goes_without_its_year():
    today = datetime.date(2026, 11, 22)
    assert home.day(datetime.date(2026, 12, 15), today) == "15 December"
    assert home.day(datetime.date(2027, 3, 1), today) == "1 March"
    assert home.day(datetime.date(2027, 11, 30), today) == "30 November 2027"
    assert home.day(datetime.date(2025, 3, 31), today) == "31 March 2025"


# The page, for every persona.

frozen_today = clock.frozen_fixture()


PUBLIC = {"newest-projects", "call-results", "open-tenders", "published-reports", "library-new"}
MEMBER = {
    "calls-proposing",
    "survey-invitations",
    "contracts-ending",
    "stale-records",
    "opportunities",
    "projects-worked-on",
    "library-own-drafts",
    "datasharing-own-reviews",
}
# The items each persona is shown (those of other apps' later items aside).
ITEMS = {
    "anonymous": PUBLIC,
    "staff": PUBLIC
    | {
        "ballot-turnout",
        "unpaid-invoices",
        "reviews-due",
        "survey-invitations",
        "failed-ocds-imports",
        "failed-work",
        "survey-response-rates",
        "library-drafts",
        "datasharing-reviews",
    },
    "lead_a": PUBLIC | MEMBER | {"ballots", "datasharing-to-sign"},
    "officer_a": PUBLIC | MEMBER,
    "officer_b": PUBLIC | MEMBER,
    "partner": PUBLIC | {"survey-invitations", "projects-worked-on", "datasharing-own-reviews"},
}


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_the_home_page_for_every_persona(client_as, persona, django_assert_max_num_queries):
    client = client_as(persona)
    with django_assert_max_num_queries(40):
        response = client.get(reverse("core:home"))
    assert response.status_code == 200
    page = response.content.decode()
    sections = response.context["sections"]
    headings = [s.section.heading for s in sections]
    assert {entry.item.key for s in sections for entry in s.items} == ITEMS[persona]
    if persona == "anonymous":
        assert "Waiting for you" not in headings
        assert reverse("login") in page
    else:
        assert headings[0] == "Waiting for you"
        assert "Hello, " in page
    assert "New and published" in headings
    # An empty item says so in words.
    assert "No project has started yet." in page
    # The navigation is in the header, not repeated as the page's content.
    assert '<h2 class="govuk-heading-m">Sections</h2>' not in page


@pytest.mark.django_db
def test_the_office_sees_background_work_that_failed(staff, officer_a):
    from loti.core.models import TaskProgress

    failed = TaskProgress.objects.create(
        label="Import of estate.xlsx", state=TaskProgress.State.FAILED, message="Row 3 is bad."
    )
    TaskProgress.objects.create(label="Invoicing", state=TaskProgress.State.SUCCEEDED)
    (row,) = home.failed_work(staff).rows
    assert (row.text, row.tag, row.detail) == ("Import of estate.xlsx", "Failed", "Row 3 is bad.")
    assert row.url == reverse("core:task_progress", args=[failed.pk])
    assert home.failed_work(officer_a) is None


@pytest.mark.django_db
def test_the_queries_do_not_grow_with_the_rows(
    client_as, borough_a, borough_b, lead_a, django_assert_max_num_queries
):
    """A member lead with something in every item of theirs: the page's queries stay within
    the same bound as an empty one's, as each item reads its rows in a fixed number."""
    from decimal import Decimal

    from loti.techmap import services as techmap_services
    from loti.techmap.models import ProductCategory
    from tests.evaluation import survey_builders
    from tests.portfolio.call_helpers import make_call, make_core
    from tests.portfolio.projects_setup import project

    for n in range(3):
        call = make_call(today=clock.TODAY, stage="voting", title=f"Call {n}")
        project(lead=borough_a, partners=[borough_b], title=f"Project {n}")
    make_core(borough_a, on=call.voting_closes_on)
    survey = survey_builders.make_survey(
        opens_on=clock.TODAY, closes_on=clock.TODAY + datetime.timedelta(days=9)
    )
    survey_builders.invite(survey, lead_a)
    category = ProductCategory.objects.get(slug="housing-management-system")
    vendor = techmap_services.vendor_create(actor=None, name="Civica", is_sme=False)
    for n in range(8):
        product = techmap_services.product_create(
            actor=None, vendor=vendor, name=f"Product {n}", category=category
        )
        for organisation in (borough_a, borough_b):
            system = techmap_services.system_create(
                actor=None, organisation=organisation, product=product
            )
            techmap_services.contract_create(
                actor=None,
                organisation=organisation,
                vendor=vendor,
                system=system,
                title=f"Contract {n}",
                ends_on=clock.TODAY + datetime.timedelta(days=30 * (n + 1)),
                annual_value=Decimal(100000),
            )
    client = client_as("lead_a")
    with django_assert_max_num_queries(40):
        response = client.get(reverse("core:home"))
    shown = {e.item.key: e.rows for s in response.context["sections"] for e in s.items}
    assert len(shown["ballots"].rows) == 3
    assert len(shown["projects-worked-on"].rows) == 3
    assert len(shown["survey-invitations"].rows) == 1
    assert (len(shown["contracts-ending"].rows), shown["contracts-ending"].total) == (5, 6)
    assert shown["opportunities"].rows
