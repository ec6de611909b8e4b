"""The demo projects, built on their own small set of organisations, people and a published
call for ideas so they do not depend on the rest of the demo."""

import datetime
import itertools
import random
from collections import Counter

import pytest

from loti.core import search
from loti.core.permissions import Role
from loti.portfolio.models import Call, Cycle, Phase, Project, Resource, Weeknote, Workstream
from loti.portfolio.projects import demo as project_demo
from tests.factories import OrganisationFactory, PersonFactory
from tests.portfolio.call_helpers import make_call, make_proposal

TODAY = datetime.date(2026, 11, 22)
WORKSTREAMS = [
    "Digital leadership",
    "Collective knowledge",
    "Sharing and reusing",
    "Better partnerships",
    "Embedding standards",
    "Data collaboration",
    "Shared experiments",
]


def _prerequisites():
    for order, name in enumerate(WORKSTREAMS):
        Workstream.objects.create(name=name, slug=name.lower().replace(" ", "-"), order=order)
    boroughs = []
    for name in ("Barnet", "Camden", "Hackney", "Lambeth", "Newham", "Sutton"):
        borough = OrganisationFactory(
            name=f"London Borough of {name}", short_name=name, slug=name.lower()
        )
        PersonFactory(role=Role.LEAD, organisation=borough)
        PersonFactory(role=Role.OFFICER, organisation=borough)
        boroughs.append(borough)
    OrganisationFactory(
        name="Metropolitan Police Service",
        short_name="Met Police",
        slug="met-police",
        kind="police",
    )
    return boroughs


def _published_call(boroughs):
    call = make_call(opens=datetime.date(2025, 9, 1), published=True)
    call.results_published_at = datetime.datetime(2025, 12, 1, 10, tzinfo=datetime.UTC)
    call.save()
    titles = [
        "Shared temporary accommodation booking",
        "Open data standard for planning applications",
        "Assistive technology in adult social care",
        "Cutting failure demand in council tax",
    ]
    for index, title in enumerate(titles):
        make_proposal(
            call=call,
            organisation=boroughs[index],
            supporters=boroughs[index + 1 : index + 3],
            chunks=3 + index,
            title=title,
            selected=True,
        )
    make_proposal(call=call, organisation=boroughs[0], selected=False, title="Not chosen this time")
    return call


@pytest.fixture(scope="module")
def projects(module_transaction):
    """The demo's projects (seed 7) on their own small set of organisations and people and a
    published call, built once for this module; a test that builds them again removes these
    first (in its savepoint)."""
    _published_call(_prerequisites())
    project_demo.build(rng=random.Random(7), today=TODAY)


def _snapshot():
    return [
        (
            p.title,
            p.lead_organisation.slug,
            sorted(p.partners.values_list("slug", flat=True)),
            p.phase,
            p.started_on,
            p.ended_on,
            list(p.cycles.values_list("number", "starts_on", "decision", "goal", "decided_on")),
            list(p.weeknotes.values_list("published_on", "title", "author__email")),
            list(p.resources.values_list("title", "url")),
        )
        for p in Project.objects.order_by("title")
    ]


def test_selected_proposals_become_projects_beside_six_earlier_ones(db, projects):
    titles = set(Project.objects.values_list("title", flat=True))
    assert len(titles) == 10
    assert "Not chosen this time" not in titles
    assert Project.objects.filter(proposal__isnull=False).count() == 4
    assert {
        "Digital inclusion: device recycling across boroughs",
        "Shared cyber attack surface mapping pilot",
        "Common job descriptions for data roles",
    } <= titles
    for project in Project.objects.filter(proposal__isnull=False):
        assert project.started_on > datetime.date(2025, 12, 1)
        assert project.started_on.weekday() == 0
    assert not Project.objects.filter(synthetic=False).exists()


def test_the_reviews_are_mostly_continue_with_pivots_stops_and_completions(db, projects):
    decisions = Counter(Cycle.objects.exclude(decision="").values_list("decision", flat=True))
    assert decisions["continue"] > sum(decisions.values()) / 2
    assert decisions["pivot"] >= 1
    assert 1 <= decisions["stop"] <= 2
    assert 2 <= decisions["complete"] <= 4
    assert Project.objects.filter(phase=Phase.STOPPED).count() == decisions["stop"]


def test_every_cycle_ended_by_today_is_reviewed_and_none_later(db, projects):
    for project in Project.objects.all():
        for cycle in project.cycles.all():
            if cycle.ends_on <= TODAY:
                assert cycle.decision, f"{cycle} ended {cycle.ends_on} without a review"
                assert cycle.ends_on <= cycle.decided_on <= TODAY
            else:
                assert not cycle.decision
        if project.has_ended:
            assert project.cycles.order_by("number").last().decision in {"stop", "complete"}
        else:
            # A running project always has a cycle under way or to come.
            assert project.cycles.filter(ends_on__gt=TODAY).exists()


def test_weeknotes_and_resources_are_dated_and_linked_properly(db, projects):
    assert Weeknote.objects.filter(published_on__gt=TODAY).count() == 0
    for weeknote in Weeknote.objects.select_related("project"):
        assert weeknote.project.started_on <= weeknote.published_on
        assert weeknote.published_on <= (weeknote.project.ended_on or TODAY)
    assert Weeknote.objects.filter(author__isnull=False).count() == Weeknote.objects.count() > 0
    assert Resource.objects.exists()
    assert not Resource.objects.exclude(url__startswith="https://").exists()


def test_weeknotes_read_like_weeknotes_dated_weekly_within_the_projects_cycles(db, projects):
    for project in Project.objects.prefetch_related("weeknotes", "cycles"):
        weeknotes = sorted(project.weeknotes.all(), key=lambda w: w.published_on)
        if project.started_on <= TODAY - datetime.timedelta(days=7):
            assert weeknotes, project.title
        # Weekly: on the same day of the week, a week or two apart, inside a cycle.
        days = [w.published_on for w in weeknotes]
        assert {day.weekday() for day in days} <= {4}
        assert all(0 < (b - a).days <= 14 for a, b in itertools.pairwise(days))
        for day in days:
            assert project.started_on <= day <= min(project.ended_on or TODAY, TODAY)
            assert any(c.starts_on <= day < c.ends_on for c in project.cycles.all())
        # Each one different, about this week's work on this project, and what comes next.
        assert len({w.body for w in weeknotes}) == len(weeknotes)
        assert len({w.title for w in weeknotes}) == len(weeknotes)
        telling = [w[:5] for w in project.title.lower().split() if len(w) > 4]
        for weeknote in weeknotes:
            assert weeknote.title.startswith("Week ")
            assert weeknote.body.startswith("We ")
            assert "We learned" in weeknote.body and "Next week" in weeknote.body
            assert any(word in weeknote.body.lower() for word in telling), weeknote.body


def test_the_met_police_takes_part_in_the_projects_a_partner_would(db, projects):
    assert set(
        Project.objects.filter(partners__slug="met-police").values_list("title", flat=True)
    ) >= {
        "One information-sharing agreement for homelessness prevention",
        "Shared cyber attack surface mapping pilot",
    }


def test_the_same_seed_builds_the_same_projects(db, projects):
    first = _snapshot()
    Project.objects.all().delete()

    project_demo.build(rng=random.Random(7), today=TODAY)

    assert _snapshot() == first
    Project.objects.all().delete()
    project_demo.build(rng=random.Random(8), today=TODAY)
    assert _snapshot() != first


def test_without_a_published_call_only_the_earlier_projects_are_built(db, projects):
    Project.objects.all().delete()
    Call.objects.update(results_published_at=None)
    project_demo.build(rng=random.Random(7), today=TODAY)
    assert Project.objects.count() == 6
    assert not Project.objects.filter(proposal__isnull=False).exists()


def test_a_demo_project_page_says_it_is_synthetic(db, projects, client):
    project = Project.objects.get(title="Shared cyber attack surface mapping pilot")

    response = client.get(project.get_absolute_url())

    assert "This project is synthetic demo data" in response.content.decode()
    assert project.phase == Phase.STOPPED


def test_the_demos_projects_and_weeknotes_are_in_the_one_search(db, projects):
    # Every project and weeknote the demo wrote went through a save, so each is indexed.
    for project in Project.objects.all():
        assert project.pk in {
            p.pk for p in search.search(Project.objects.all(), search.parse(project.title))
        }
    weeknote = Weeknote.objects.order_by("pk").last()
    assert weeknote in list(search.search(Weeknote.objects.all(), search.parse(weeknote.title)))
