"""The portfolio's home-page items: a lead's ballots, calls taking proposals, the office's
turnout of open ballots, cycle reviews, the projects an organisation works on, and what is
new."""

import datetime

import pytest
from django.urls import reverse

from loti.core.permissions import Role
from loti.portfolio.calls import home as calls_home
from loti.portfolio.calls import services
from loti.portfolio.projects import home as projects_home
from loti.portfolio.projects import services as project_services
from tests import clock
from tests.factories import OrganisationFactory, PersonFactory
from tests.portfolio.call_helpers import make_call
from tests.portfolio.projects_setup import project

TODAY = clock.TODAY

pytestmark = pytest.mark.django_db

frozen_today = clock.frozen_fixture()


def test_a_lead_sees_the_open_ballot_and_whether_it_is_cast(voting, lead_a):
    call, hub, _ = voting
    (row,) = calls_home.ballots(lead_a)
    assert (row.tag, row.url) == ("Not voted", reverse("portfolio:ballot", args=[call.slug]))
    assert row.detail == "Voting closes 2 December"
    services.ballot_cast(actor=lead_a, call=call, choices={hub.pk: 10}, today=TODAY)
    (row,) = calls_home.ballots(lead_a)
    assert row.tag == "Voted"
    assert row.text == "Change your ballot in Call 2027"


def test_a_ballot_is_only_for_a_lead_of_a_core_member(voting, officer_a, officer_b, staff):
    for person in (officer_a, officer_b, staff, None):
        assert calls_home.ballots(person) is None
    # A lead of an organisation that is not a core member this year casts no ballot.
    outsider = OrganisationFactory(short_name="Bexley", slug="bexley", gss_code="E09000004")
    lead = PersonFactory(role=Role.LEAD, organisation=outsider)
    assert calls_home.ballots(lead) == []


def test_the_office_sees_who_has_voted_never_how(voting, lead_a, staff, client_as):
    call, hub, standard = voting
    services.ballot_cast(actor=lead_a, call=call, choices={hub.pk: 7, standard.pk: 3}, today=TODAY)
    (row,) = calls_home.turnout(staff)
    assert row.text == "Call 2027: 1 of 2 core members have voted"
    assert row.detail == "Not voted yet: Camden"
    page = client_as("staff").get(reverse("core:home")).content.decode()
    assert "1 of 2 core members have voted" in page
    # Nothing of what the ballot holds: no proposal is named, no points.
    assert "Inclusion hub" not in page and "Data standard" not in page
    for person in (lead_a, None):
        assert calls_home.turnout(person) is None


def test_members_see_calls_taking_proposals(borough_a, officer_a, staff, partner):
    make_call(today=TODAY, stage="proposing", title="Spring call")
    make_call(today=TODAY, stage="assessing", title="Being assessed")
    (row,) = calls_home.proposing(officer_a)
    assert (row.text, row.tag) == ("Spring call", "Closes 2 December")
    assert calls_home.proposing(staff) is None
    assert calls_home.proposing(partner) is None


def test_everyone_sees_published_results(borough_a):
    make_call(today=TODAY, stage="closed", title="Closed call")
    make_call(opens=datetime.date(2025, 1, 6), published=True, title="Winter call")
    (row,) = calls_home.results(None)
    assert row.text == "Results of Winter call"


def test_an_organisations_people_see_its_projects_with_the_next_review(
    borough_a, borough_b, police, officer_a, officer_b, partner, staff
):
    led = project(lead=borough_a, started_on=datetime.date(2026, 11, 2), title="Led by A")
    project(lead=borough_b, partners=[police], title="Camden's")
    (row,) = projects_home.worked_on(officer_a).rows
    assert (row.text, row.url) == ("Led by A", led.get_absolute_url())
    # The first cycle ends 42 days after the start: 14 December.
    assert row.tag == "Review due 14 December"
    assert row.detail == "Led by Barnet. Next: the review of cycle 1"
    (row,) = projects_home.worked_on(partner).rows
    assert row.text == "Camden's"
    assert "Met Police as a partner" in row.detail
    assert [r.text for r in projects_home.worked_on(officer_b).rows] == ["Camden's"]
    assert projects_home.worked_on(staff) is None
    assert projects_home.worked_on(None) is None


def test_the_office_sees_the_cycle_reviews_due_or_overdue(borough_a, staff, lead_a):
    late = project(lead=borough_a, started_on=datetime.date(2026, 9, 7), title="Housing data")
    project(lead=borough_a, started_on=datetime.date(2026, 11, 16), title="Not due yet")
    # Cycle 1 ended on 19 October, cycle 2 ends on 30 November: only the first is asked for,
    # as reviews are taken in order.
    rows = projects_home.reviews(staff).rows
    assert [(r.text, r.tag, r.tag_colour) for r in rows] == [
        ("Housing data: review cycle 1", "Review overdue since 19 October", "red")
    ]
    assert rows[0].url == reverse("portfolio:cycle_review", args=[late.slug, 1])
    project_services.cycle_review(
        actor=staff,
        cycle=late.cycles.get(number=1),
        decision="continue",
        notes="Going well",
        today=TODAY,
    )
    rows = projects_home.reviews(staff).rows
    assert [(r.text, r.tag, r.tag_colour) for r in rows] == [
        ("Housing data: review cycle 2", "Review due 30 November", "yellow")
    ]
    assert projects_home.reviews(lead_a) is None


def test_everyone_sees_the_newest_projects(borough_a):
    project(lead=borough_a, started_on=datetime.date(2026, 1, 5), title="Older")
    project(lead=borough_a, started_on=datetime.date(2026, 6, 1), title="Newer")
    assert [r.text for r in projects_home.newest(None)] == ["Newer", "Older"]
