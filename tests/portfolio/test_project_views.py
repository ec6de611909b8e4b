"""The project pages: the public portfolio, a project's page, and the forms its people and
the office use."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from loti.core.models import AuditEntry
from loti.members.financial_year import FinancialYear
from loti.portfolio.models import Decision, Phase, Project, ProposalType
from loti.portfolio.projects import charts as project_charts
from loti.portfolio.projects import selectors as project_selectors
from loti.portfolio.projects import services as project_services
from tests import clock
from tests.portfolio import projects_setup as setup
from tests.portfolio.call_helpers import make_call, make_proposal

pytestmark = pytest.mark.django_db

TODAY = clock.TODAY


frozen_today = clock.frozen_fixture()


@pytest.fixture
def running(borough_a, police):
    return setup.project(lead=borough_a, partners=[police])


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_anyone_reads_a_project_page_with_its_collaborators_timeline_and_updates(
    client, staff, officer_a, running
):
    project_services.cycle_review(
        actor=staff,
        cycle=running.cycles.get(number=1),
        decision=Decision.PIVOT,
        notes="Members already share most descriptions",
        next_goal="Write the missing ones",
    )
    project_services.resource_add(
        actor=officer_a,
        project=running,
        title="Data analyst job description",
        url="https://example.org/jd",
        kind="document",
        licence="OGL v3.0",
    )
    for day, title in ((3, "First weeknote"), (17, "Second weeknote")):
        project_services.weeknote_post(
            actor=officer_a,
            project=running,
            published_on=datetime.date(2026, 11, day),
            title=title,
            body="Progress.",
        )

    response = client.get(running.get_absolute_url())

    assert response.status_code == 200
    page = _text(response)
    assert "Boroughs write the same data job descriptions" in page
    assert "London Borough of Barnet (lead)" in page
    assert "Metropolitan Police Service" in page
    assert "Cycle 1: Pivot" in page and "Members already share most descriptions" in page
    assert "Write the missing ones" in page
    assert 'href="https://example.org/jd"' in page
    assert page.index("Second weeknote") < page.index("First weeknote")
    assert "Post a weeknote" not in page
    chart = response.context["chart"]
    assert [row[-1] for row in chart.rows] == ["Pivot", "Review due", "Review due"]


def test_the_project_list_filters_by_workstream_type_and_phase_with_linkable_urls(
    client, staff, borough_a
):
    live = setup.project(lead=borough_a, title="Live thing", type=ProposalType.ADOPTION)
    project_services.project_phase_set(actor=staff, project=live, phase=Phase.LIVE)
    setup.project(lead=borough_a, title="New thing")

    response = client.get(
        reverse("portfolio:projects") + "?workstream=data-collaboration&type=adoption&phase=live"
    )

    assert [p.title for p in response.context["page"]] == ["Live thing"]
    assert response.context["chosen"] == {
        "workstream": "data-collaboration",
        "type": "adoption",
        "phase": "live",
    }
    for nonsense in ("phase=nonsense", "workstream=a%00b", "type=%00"):
        everything = client.get(reverse("portfolio:projects") + "?" + nonsense)
        assert everything.context["page"].paginator.count == 2


def test_a_partner_lists_the_projects_its_organisation_takes_part_in_with_their_weeknotes(
    client_as, borough_a, borough_b, police, officer_a
):
    joined = setup.project(lead=borough_a, partners=[police], title="Homelessness data sharing")
    setup.project(lead=police, title="Police-led thing")
    setup.project(lead=borough_b, partners=[borough_a], title="Camden's own thing")
    project_services.weeknote_post(
        actor=officer_a,
        project=joined,
        published_on=datetime.date(2026, 11, 20),
        title="Week 3: drafting the agreement",
        body="We drafted the agreement with the Met's information governance team.",
        today=TODAY,
    )
    client = client_as("partner")

    listed = client.get(reverse("portfolio:projects") + "?mine=yes")

    assert sorted(p.title for p in listed.context["page"]) == [
        "Homelessness data sharing",
        "Police-led thing",
    ]
    assert "Only projects Met Police leads or is a partner in" in _text(listed)
    assert 'name="mine" type="checkbox" value="yes" checked' in _text(listed)
    page = _text(client.get(joined.get_absolute_url()))
    assert "Week 3: drafting the agreement" in page
    assert "Post a weeknote" in page
    # Without the box, every project, as for anyone; the box is for people of an organisation.
    assert client.get(reverse("portfolio:projects")).context["page"].paginator.count == 3
    public = client_as("anonymous").get(reverse("portfolio:projects") + "?mine=yes")
    assert public.context["page"].paginator.count == 3
    assert 'name="mine"' not in _text(public)


def test_staff_start_a_selected_proposal_from_its_start_page(client_as, borough_a, borough_b):
    call = make_call(opens=datetime.date(2026, 1, 5), published=True)
    proposal = make_proposal(
        call=call, organisation=borough_a, supporters=[borough_b], chunks=3, selected=True
    )

    response = client_as("staff").post(
        reverse("portfolio:project_start", args=[proposal.pk]),
        {
            "starts_on_0": "7",
            "starts_on_1": "12",
            "starts_on_2": "2026",
            "lead_organisation": borough_b.pk,
        },
    )

    project = Project.objects.get(proposal=proposal)
    assert response.status_code == 302
    assert response["Location"] == project.get_absolute_url()
    assert project.lead_organisation == borough_b
    assert project.cycles.count() == 3


def test_a_proposal_not_selected_cannot_be_started_and_the_page_says_why(client_as, borough_a):
    call = make_call(opens=datetime.date(2026, 1, 5), published=True)
    proposal = make_proposal(call=call, organisation=borough_a, selected=False)

    response = client_as("staff").post(
        reverse("portfolio:project_start", args=[proposal.pk]),
        {
            "starts_on_0": "7",
            "starts_on_1": "12",
            "starts_on_2": "2026",
            "lead_organisation": borough_a.pk,
        },
    )

    assert response.status_code == 200
    assert "Only a proposal selected in a call&#x27;s published results" in _text(response)
    assert not Project.objects.exists()


def test_staff_enter_an_earlier_project(client_as, borough_a, borough_b):
    workstream = setup.workstream()
    response = client_as("staff").post(
        reverse("portfolio:project_create"),
        {
            "title": "Shared cyber attack surface mapping pilot",
            "introduction": "Mapping every borough's internet-facing assets.",
            "lead_organisation": borough_a.pk,
            "partners": [borough_b.pk],
            "type": "innovation",
            "workstream": workstream.pk,
            "phase": "alpha",
            "budget": "£40,000",
            "started_on_0": "4",
            "started_on_1": "3",
            "started_on_2": "2024",
            "chunks": "4",
        },
    )
    project = Project.objects.get()
    assert response["Location"] == project.get_absolute_url()
    assert (project.phase, project.budget, project.cycles.count()) == ("alpha", Decimal(40000), 4)


def test_the_project_form_says_what_is_missing(client_as):
    response = client_as("staff").post(reverse("portfolio:project_create"), {"chunks": "0"})
    page = _text(response)
    for message in (
        "Enter the title",
        "Enter the introduction",
        "Select the lead organisation",
        "Select the type of project",
        "The number of six-week cycles must be 1 or more",
        "Enter the start date",
    ):
        assert message in page


def test_the_lead_reviews_a_cycle_through_its_page(client_as, running):
    response = client_as("lead_a").post(
        reverse("portfolio:cycle_review", args=[running.slug, 1]),
        {"decision": "stop", "notes": "Nobody needs it"},
    )
    assert response.status_code == 302
    running.refresh_from_db()
    assert (running.phase, running.ended_on) == (Phase.STOPPED, TODAY)
    assert running.cycles.count() == 1


def test_a_pivot_without_a_goal_is_shown_as_an_error_on_the_review_page(client_as, running):
    response = client_as("staff").post(
        reverse("portfolio:cycle_review", args=[running.slug, 1]),
        {"decision": "pivot", "notes": "Change tack"},
    )
    assert response.status_code == 200
    assert "Enter the goal of the next cycle after the pivot" in _text(response)
    assert running.cycles.get(number=1).decision == ""


def test_a_partner_posts_a_weeknote_that_cannot_be_dated_tomorrow(client_as, running):
    client = client_as("partner")
    url = reverse("portfolio:weeknote_create", args=[running.slug])
    tomorrow = client.post(
        url,
        {
            "published_on_0": "23",
            "published_on_1": "11",
            "published_on_2": "2026",
            "title": "Week 1",
            "body": "Started",
        },
    )
    assert "The date must be today or in the past" in _text(tomorrow)

    today = client.post(
        url,
        {
            "published_on_0": "22",
            "published_on_1": "11",
            "published_on_2": "2026",
            "title": "Week 1",
            "body": "Started",
        },
    )
    assert today.status_code == 302
    assert running.weeknotes.get().organisation.short_name == "Met Police"


def test_a_resource_with_an_http_address_is_refused_with_a_message(client_as, running):
    response = client_as("officer_a").post(
        reverse("portfolio:resource_create", args=[running.slug]),
        {"title": "Code", "url": "http://example.org/code", "kind": "code"},
    )
    assert "Enter a web address starting with https://" in _text(response)
    assert not running.resources.exists()


def test_the_author_removes_their_weeknote_after_confirming(client_as, officer_a, running):
    weeknote = setup.post_weeknote(officer_a, running)
    client = client_as("officer_a")
    url = reverse("portfolio:weeknote_delete", args=[running.slug, weeknote.pk])

    confirm = client.get(url)
    assert "Remove the weeknote “Week 3”?" in _text(confirm)
    assert "Yes, remove it" in _text(confirm) and "delete" not in _text(confirm).lower()
    assert f'href="{running.get_absolute_url()}"' in _text(confirm)

    response = client.post(url, follow=True)

    assert response.redirect_chain == [(running.get_absolute_url(), 302)]
    assert "“Week 3” has been removed." in _text(response)
    assert not running.weeknotes.exists()
    entry = AuditEntry.objects.get(action="delete", object_id=str(weeknote.pk))
    assert (entry.actor, entry.object_repr) == (officer_a, "Week 3")


def test_staff_remove_a_resource_a_partner_linked(client_as, partner, running):
    resource = setup.link_resource(partner, running)

    response = client_as("staff").post(
        reverse("portfolio:resource_delete", args=[running.slug, resource.pk]), follow=True
    )

    assert response.redirect_chain == [(running.get_absolute_url(), 302)]
    assert "“Draft specification” has been removed." in _text(response)
    assert not running.resources.exists()
    assert AuditEntry.objects.filter(action="delete", object_id=str(resource.pk)).exists()


def test_someone_of_another_organisation_cannot_remove_a_weeknote_or_resource(
    client_as, officer_a, partner, running
):
    weeknote = setup.post_weeknote(officer_a, running)
    resource = setup.link_resource(partner, running)
    client = client_as("officer_b")

    for url in (
        reverse("portfolio:weeknote_delete", args=[running.slug, weeknote.pk]),
        reverse("portfolio:resource_delete", args=[running.slug, resource.pk]),
    ):
        assert client.get(url).status_code == 403
        assert client.post(url).status_code == 403

    assert running.weeknotes.get() == weeknote
    assert running.resources.get() == resource
    assert not AuditEntry.objects.filter(action="delete").exists()


def test_another_projects_weeknote_or_resource_is_not_found_through_this_one(
    client_as, borough_b, officer_b, running
):
    other = setup.project(lead=borough_b, title="Shared digital inclusion hub")
    weeknote = setup.post_weeknote(officer_b, other)
    resource = setup.link_resource(officer_b, other)
    client = client_as("staff")

    wrong_update = reverse("portfolio:weeknote_delete", args=[running.slug, weeknote.pk])
    wrong_resource = reverse("portfolio:resource_delete", args=[running.slug, resource.pk])
    assert client.post(wrong_update).status_code == 404
    assert client.post(wrong_resource).status_code == 404
    assert other.weeknotes.get() == weeknote
    assert other.resources.get() == resource


def test_the_remove_links_show_only_to_those_allowed(client_as, officer_a, partner, running):
    weeknote = setup.post_weeknote(officer_a, running)
    resource = setup.link_resource(partner, running)
    update_url = reverse("portfolio:weeknote_delete", args=[running.slug, weeknote.pk])
    resource_url = reverse("portfolio:resource_delete", args=[running.slug, resource.pk])

    def links(persona):
        page = _text(client_as(persona).get(running.get_absolute_url()))
        return (update_url in page, resource_url in page)

    assert links("staff") == (True, True)
    assert links("officer_a") == (True, False)
    assert links("partner") == (False, True)
    for persona in ("anonymous", "lead_a", "officer_b"):
        assert links(persona) == (False, False), persona


def test_the_timeline_page_has_a_bar_per_cycle_lettered_by_decision(client, staff, running):
    project_services.cycle_review(
        actor=staff, cycle=running.cycles.get(number=1), decision="continue", notes="Ok"
    )
    response = client.get(reverse("portfolio:timeline"))
    chart = response.context["chart"]
    assert [
        (v["row"], v["cycle"], v["mark"], v["status"]) for v in chart.spec["data"]["values"]
    ] == [
        (running.title, "Cycle 1", "C", "Continue (C)"),
        (running.title, "Cycle 2", "R", "Review due (R)"),
        (running.title, "Cycle 3", "R", "Review due (R)"),
    ]
    assert "Continue" in _text(response)


def test_the_quarterly_page_shows_the_chosen_year(client, borough_a):
    setup.project(lead=borough_a, title="Old", started_on=datetime.date(2025, 5, 1))
    response = client.get(reverse("portfolio:quarterly") + "?year=2025-26")
    assert response.context["year"] == FinancialYear(2025)
    assert response.context["chart"].rows[0][1] == "1"
    fallback = client.get(reverse("portfolio:quarterly") + "?year=rubbish")
    assert fallback.context["year"] == FinancialYear(2026)


def test_the_timeline_chart_has_a_row_per_cycle(staff, running):
    project_services.cycle_review(
        actor=staff, cycle=running.cycles.get(number=1), decision="pivot", notes="x", next_goal="y"
    )
    chart = project_charts.timeline_chart(
        running.cycles.select_related("project"), today=TODAY, id="t", title="T", by_project=True
    )
    assert len(chart.rows) == len(chart.spec["data"]["values"]) == 3


def test_the_quarterly_chart_stacks_to_the_running_total(borough_a):
    make_call(opens=datetime.date(2026, 4, 13), budget=Decimal(200000), published=True)
    setup.project(lead=borough_a, title="A", started_on=datetime.date(2026, 4, 6))
    setup.project(lead=borough_a, title="B", started_on=datetime.date(2026, 8, 3))
    chart = project_charts.quarterly_chart(
        project_selectors.quarterly_summary(user=None, year=FinancialYear(2026))
    )
    q2 = {v["part"]: v["amount"] for v in chart.spec["data"]["values"] if v["quarter"] == "Q2"}
    assert q2 == {"Earlier in the year": 60000.0, "Started this quarter": 60000.0}
    assert chart.rows[1][-1] == "£120,000"
    assert chart.spec["layer"][1]["encoding"]["x"]["field"] == "at"


def test_a_cycle_under_way_is_in_progress_and_later_ones_planned(borough_a):
    project = setup.project(lead=borough_a, started_on=datetime.date(2026, 11, 2), chunks=2)
    chart = project_charts.timeline_chart(
        project.cycles.select_related("project"), today=TODAY, id="t", title="T", by_project=False
    )
    assert [(row[0], row[-1]) for row in chart.rows] == [
        ("Cycle 1", "In progress"),
        ("Cycle 2", "Planned"),
    ]
    assert [v["mark"] for v in chart.spec["data"]["values"]] == ["…", ""]


def test_a_year_with_nothing_in_it_says_why_it_is_empty(client, borough_a):
    setup.project(lead=borough_a, title="Old", started_on=datetime.date(2025, 5, 1))
    empty = _text(client.get(reverse("portfolio:quarterly") + "?year=2026-27"))
    assert "There is nothing to show for 2026/27 yet" in empty
    assert "Choose an earlier year above" in empty
    assert "quarterly-allocation" not in empty
    full = _text(client.get(reverse("portfolio:quarterly") + "?year=2025-26"))
    assert "There is nothing to show" not in full
