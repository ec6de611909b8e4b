"""Running projects: starting them, their plan of six-week cycles, reviews, phases, weeknotes
and resources, and the quarterly summary."""

import datetime
import itertools
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import given
from hypothesis import strategies as st

from loti.core.models import AuditEntry
from loti.core.permissions import Role
from loti.members.financial_year import FinancialYear
from loti.portfolio.models import Cycle, Decision, Phase, Project, ProposalType, Weeknote
from loti.portfolio.projects import selectors as project_selectors
from loti.portfolio.projects import services as project_services
from loti.portfolio.projects.cycles import CYCLE_DAYS, Quarter, plan, quarters
from tests import clock
from tests.factories import PersonFactory
from tests.portfolio import projects_setup as setup
from tests.portfolio.call_helpers import make_call, make_proposal

TODAY = clock.TODAY
START = datetime.date(2026, 5, 4)


frozen_today = clock.frozen_fixture()


# Plain calculations ----------------------------------------------------------------------


def test_a_plan_of_three_chunks_runs_back_to_back_from_the_start():
    cycles = plan(starts_on=datetime.date(2026, 1, 5), chunks=3)
    assert [(c.number, c.starts_on, c.ends_on) for c in cycles] == [
        (1, datetime.date(2026, 1, 5), datetime.date(2026, 2, 16)),
        (2, datetime.date(2026, 2, 16), datetime.date(2026, 3, 30)),
        (3, datetime.date(2026, 3, 30), datetime.date(2026, 5, 11)),
    ]


def test_a_plan_needs_at_least_one_chunk():
    with pytest.raises(ValueError, match="at least one"):
        plan(starts_on=TODAY, chunks=0)


@given(
    start=st.dates(min_value=datetime.date(2000, 1, 1), max_value=datetime.date(2090, 1, 1)),
    chunks=st.integers(min_value=1, max_value=50),
)
def test_every_planned_cycle_lasts_42_days_and_the_next_starts_as_it_ends(start, chunks):
    cycles = plan(starts_on=start, chunks=chunks)
    assert len(cycles) == chunks
    assert cycles[0].starts_on == start
    for n, cycle in enumerate(cycles, start=1):
        assert cycle.number == n
        assert (cycle.ends_on - cycle.starts_on).days == CYCLE_DAYS
        assert cycle.starts_on == start + datetime.timedelta(days=42 * (n - 1))
    for before, after in itertools.pairwise(cycles):
        assert after.starts_on == before.ends_on


@pytest.mark.parametrize(
    ("day", "label", "start", "end"),
    [
        (
            datetime.date(2026, 4, 1),
            "2026/27 Q1",
            datetime.date(2026, 4, 1),
            datetime.date(2026, 6, 30),
        ),
        (
            datetime.date(2026, 9, 30),
            "2026/27 Q2",
            datetime.date(2026, 7, 1),
            datetime.date(2026, 9, 30),
        ),
        (
            datetime.date(2026, 12, 25),
            "2026/27 Q3",
            datetime.date(2026, 10, 1),
            datetime.date(2026, 12, 31),
        ),
        (
            datetime.date(2027, 3, 31),
            "2026/27 Q4",
            datetime.date(2027, 1, 1),
            datetime.date(2027, 3, 31),
        ),
    ],
)
def test_financial_year_quarters_run_from_april(day, label, start, end):
    quarter = Quarter.containing(day)
    assert (quarter.label, quarter.start, quarter.end) == (label, start, end)
    assert day in quarter


@given(day=st.dates(min_value=datetime.date(2000, 1, 1), max_value=datetime.date(2090, 1, 1)))
def test_every_day_falls_in_exactly_one_quarter_of_its_financial_year(day):
    year = FinancialYear.containing(day)
    assert [day in q for q in quarters(year)].count(True) == 1
    assert Quarter.containing(day) in quarters(year)


# Starting projects -----------------------------------------------------------------------


@pytest.fixture
def published_call(db):
    return make_call(opens=datetime.date(2026, 1, 5), published=True)


def test_a_selected_proposal_becomes_a_project_with_its_chunks_as_cycles(
    staff, published_call, borough_a, borough_b, police
):
    proposal = make_proposal(
        call=published_call,
        organisation=borough_a,
        supporters=[borough_b, police],
        chunks=3,
        selected=True,
    )

    project = project_services.project_create_from_proposal(
        actor=staff, proposal=proposal, starts_on=START
    )

    assert project.proposal == proposal
    assert project.title == proposal.title == "Shared digital inclusion hub"
    assert project.type == proposal.type == ProposalType.ADOPTION
    assert project.workstream == proposal.workstream
    assert project.budget == proposal.estimated_cost == Decimal(20000)
    assert project.lead_organisation == borough_a
    assert set(project.partners.all()) == {borough_b, police}
    assert project.phase == Phase.DISCOVERY
    assert project.started_on == START
    assert [(c.number, c.starts_on, c.ends_on) for c in project.cycles.all()] == [
        (1, START, datetime.date(2026, 6, 15)),
        (2, datetime.date(2026, 6, 15), datetime.date(2026, 7, 27)),
        (3, datetime.date(2026, 7, 27), datetime.date(2026, 9, 7)),
    ]
    assert project.cycles.get(number=1).goal == proposal.outcome
    assert AuditEntry.objects.filter(object_repr=project.title, action="create").exists()


def test_another_lead_organisation_makes_the_proposer_a_partner(
    staff, published_call, borough_a, borough_b
):
    proposal = make_proposal(
        call=published_call, organisation=borough_a, supporters=[borough_b], selected=True
    )

    project = project_services.project_create_from_proposal(
        actor=staff, proposal=proposal, starts_on=START, lead_organisation=borough_b
    )

    assert project.lead_organisation == borough_b
    assert list(project.partners.all()) == [borough_a]


def test_a_proposal_becomes_a_project_only_once(staff, published_call, borough_a):
    proposal = make_proposal(call=published_call, organisation=borough_a, selected=True)
    project_services.project_create_from_proposal(actor=staff, proposal=proposal, starts_on=START)

    with pytest.raises(ValidationError, match="already been started"):
        project_services.project_create_from_proposal(
            actor=staff, proposal=proposal, starts_on=START
        )
    assert Project.objects.count() == 1


def test_a_proposal_not_selected_cannot_become_a_project(staff, published_call, borough_a):
    proposal = make_proposal(call=published_call, organisation=borough_a, selected=False)

    with pytest.raises(ValidationError, match="selected"):
        project_services.project_create_from_proposal(
            actor=staff, proposal=proposal, starts_on=START
        )
    assert not Project.objects.exists()


def test_a_selected_proposal_waits_for_the_results_to_be_published(staff, borough_a):
    unpublished = make_call(opens=datetime.date(2026, 1, 5), published=False)
    proposal = make_proposal(call=unpublished, organisation=borough_a, selected=True)

    with pytest.raises(ValidationError, match="published results"):
        project_services.project_create_from_proposal(
            actor=staff, proposal=proposal, starts_on=START
        )


def test_only_the_office_starts_a_project(lead_a, published_call, borough_a):
    proposal = make_proposal(call=published_call, organisation=borough_a, selected=True)

    with pytest.raises(PermissionDenied):
        project_services.project_create_from_proposal(
            actor=lead_a, proposal=proposal, starts_on=START
        )


def test_an_earlier_project_is_entered_with_its_number_of_chunks(staff, borough_a):
    project = project_services.project_create(
        actor=staff,
        title="Digital inclusion: device recycling across boroughs",
        introduction="Refurbished council laptops for residents without a device.",
        lead_organisation=borough_a,
        type=ProposalType.ADOPTION,
        workstream=setup.workstream(),
        budget=Decimal(25000),
        started_on=datetime.date(2023, 9, 4),
        chunks=2,
        phase=Phase.ALPHA,
    )

    assert project.proposal is None
    assert project.slug == "digital-inclusion-device-recycling-across-boroughs"
    assert project.phase == Phase.ALPHA
    assert project.cycles.count() == 2


# Reviews ---------------------------------------------------------------------------------


@pytest.fixture
def running(borough_a, police):
    """Three cycles from 4 May 2026: they ended on 15 June, 27 July and 7 September."""
    return setup.project(lead=borough_a, partners=[police])


def test_continue_on_the_last_planned_cycle_adds_a_following_cycle(staff, running):
    for number in (1, 2):
        project_services.cycle_review(
            actor=staff, cycle=running.cycles.get(number=number), decision="continue", notes="Ok"
        )

    project_services.cycle_review(
        actor=staff,
        cycle=running.cycles.get(number=3),
        decision=Decision.CONTINUE,
        notes="Pilot users want more",
        next_goal="Roll out to two more boroughs",
    )

    fourth = running.cycles.get(number=4)
    assert (fourth.starts_on, fourth.ends_on) == (
        datetime.date(2026, 9, 7),
        datetime.date(2026, 10, 19),
    )
    assert fourth.goal == "Roll out to two more boroughs"
    running.refresh_from_db()
    assert running.phase == Phase.DISCOVERY


def test_continue_before_the_last_cycle_keeps_the_plan(staff, running):
    project_services.cycle_review(
        actor=staff, cycle=running.cycles.get(number=1), decision="continue", notes="On track"
    )
    assert running.cycles.count() == 3
    first = running.cycles.get(number=1)
    assert (first.decision, first.decided_by, first.decided_on) == ("continue", staff, TODAY)
    entry = AuditEntry.objects.get(action="update", object_repr=str(first))
    assert entry.actor == staff
    assert entry.changes["Decision"] == ["", "Continue"]


def test_a_pivot_needs_the_goal_of_the_next_cycle(staff, running):
    cycle = running.cycles.get(number=1)
    with pytest.raises(ValidationError) as error:
        project_services.cycle_review(actor=staff, cycle=cycle, decision="pivot", notes="Wrong")
    assert error.value.message_dict == {
        "next_goal": ["Enter the goal of the next cycle after the pivot"]
    }
    cycle.refresh_from_db()
    assert cycle.decision == ""

    project_services.cycle_review(
        actor=staff,
        cycle=cycle,
        decision="pivot",
        notes="Residents need help at home, not in libraries",
        next_goal="Test home visits",
    )
    assert running.cycles.get(number=2).goal == "Test home visits"


def test_a_stop_ends_the_project_and_removes_the_later_cycles(staff, running):
    project_services.cycle_review(
        actor=staff, cycle=running.cycles.get(number=1), decision="continue", notes="Ok"
    )
    project_services.cycle_review(
        actor=staff, cycle=running.cycles.get(number=2), decision="stop", notes="No demand"
    )

    running.refresh_from_db()
    assert running.phase == Phase.STOPPED
    assert running.ended_on == TODAY
    assert list(running.cycles.values_list("number", flat=True)) == [1, 2]
    assert AuditEntry.objects.filter(action="delete", object_repr=f"{running} cycle 3").exists()
    with pytest.raises(ValidationError, match="stopped"):
        project_services.project_phase_set(actor=staff, project=running, phase=Phase.ALPHA)
    with pytest.raises(ValidationError, match="stopped"):
        project_services.cycle_goal_set(
            actor=staff, cycle=running.cycles.get(number=2), goal="Try again"
        )


def test_a_complete_decision_completes_the_project(staff, running):
    project_services.cycle_review(
        actor=staff, cycle=running.cycles.get(number=1), decision="complete", notes="Done early"
    )
    running.refresh_from_db()
    assert (running.phase, running.ended_on) == (Phase.COMPLETED, TODAY)
    assert running.cycles.count() == 1
    with pytest.raises(ValidationError, match="completed"):
        project_services.cycle_review(
            actor=staff, cycle=running.cycles.get(number=1), decision="stop", notes="Again"
        )


def test_a_review_is_final(staff, running):
    cycle = running.cycles.get(number=1)
    project_services.cycle_review(actor=staff, cycle=cycle, decision="continue", notes="Ok")
    with pytest.raises(ValidationError, match="final"):
        project_services.cycle_review(actor=staff, cycle=cycle, decision="stop", notes="Changed")
    cycle.refresh_from_db()
    assert cycle.decision == "continue"


def test_cycles_are_reviewed_in_order(staff, running):
    with pytest.raises(ValidationError, match="Review cycle 1 first"):
        project_services.cycle_review(
            actor=staff, cycle=running.cycles.get(number=2), decision="continue", notes="Ok"
        )


def test_the_lead_organisations_lead_reviews_once_the_cycle_has_ended(lead_a, borough_a):
    project = setup.project(lead=borough_a, started_on=datetime.date(2026, 11, 2))
    cycle = project.cycles.get(number=1)  # ends on 14 December 2026
    with pytest.raises(ValidationError, match="from 14 December 2026"):
        project_services.cycle_review(actor=lead_a, cycle=cycle, decision="continue", notes="Ok")

    project_services.cycle_review(
        actor=lead_a,
        cycle=cycle,
        decision="continue",
        notes="Ok",
        today=datetime.date(2026, 12, 14),
    )
    cycle.refresh_from_db()
    assert cycle.decided_on == datetime.date(2026, 12, 14)


def test_the_office_may_review_a_cycle_early(staff, borough_a):
    project = setup.project(lead=borough_a, started_on=datetime.date(2026, 11, 2))
    project_services.cycle_review(
        actor=staff, cycle=project.cycles.get(number=1), decision="stop", notes="Funding cut"
    )
    project.refresh_from_db()
    assert (project.phase, project.ended_on) == (Phase.STOPPED, TODAY)


def test_only_the_office_and_the_lead_organisations_lead_review(officer_a, running, borough_b):
    lead_b = PersonFactory(role=Role.LEAD, organisation=borough_b)
    running.partners.add(borough_b)
    for person in (officer_a, lead_b):
        with pytest.raises(PermissionDenied):
            project_services.cycle_review(
                actor=person, cycle=running.cycles.get(number=1), decision="stop", notes="No"
            )
    assert running.cycles.get(number=1).decision == ""


# Phases ----------------------------------------------------------------------------------


def test_the_phase_moves_forward_only(staff, running):
    project_services.project_phase_set(actor=staff, project=running, phase=Phase.BETA)
    assert Project.objects.get(pk=running.pk).phase == Phase.BETA
    with pytest.raises(ValidationError) as error:
        project_services.project_phase_set(actor=staff, project=running, phase=Phase.ALPHA)
    assert error.value.message_dict == {"phase": ["Choose a phase after the current one"]}


def test_a_project_is_completed_only_by_a_review(staff, running):
    with pytest.raises(ValidationError, match="review of a cycle"):
        project_services.project_phase_set(actor=staff, project=running, phase=Phase.COMPLETED)


def test_only_the_office_changes_the_phase(lead_a, running):
    with pytest.raises(PermissionDenied):
        project_services.project_phase_set(actor=lead_a, project=running, phase=Phase.ALPHA)


# Updates and resources -------------------------------------------------------------------


def test_people_of_the_lead_and_partner_organisations_post_updates(
    officer_a, partner, staff, running
):
    for person in (officer_a, partner, staff):
        weeknote = project_services.weeknote_post(
            actor=person,
            project=running,
            published_on=TODAY,
            title=f"Week 12 by {person.full_name}",
            body="We met the suppliers.",
        )
        assert weeknote.author == person
    assert running.weeknotes.get(author=partner).organisation == partner.organisation
    assert running.weeknotes.get(author=staff).organisation is None


def test_someone_outside_the_project_cannot_post_an_update(officer_b, running):
    with pytest.raises(PermissionDenied):
        project_services.weeknote_post(
            actor=officer_b, project=running, published_on=TODAY, title="Hi", body="Hello"
        )
    assert not running.weeknotes.exists()


def test_an_update_cannot_be_dated_in_the_future(officer_a, running):
    with pytest.raises(ValidationError) as error:
        project_services.weeknote_post(
            actor=officer_a,
            project=running,
            published_on=TODAY + datetime.timedelta(days=1),
            title="Tomorrow",
            body="Not yet",
        )
    assert error.value.message_dict == {"published_on": ["The date must be today or in the past"]}


def test_updates_are_newest_first(officer_a, running):
    for day, title in ((10, "Older"), (20, "Newest"), (15, "Middle")):
        project_services.weeknote_post(
            actor=officer_a,
            project=running,
            published_on=datetime.date(2026, 11, day),
            title=title,
            body="…",
        )
    assert list(running.weeknotes.values_list("title", flat=True)) == ["Newest", "Middle", "Older"]


def test_a_resource_needs_an_https_address(partner, running):
    with pytest.raises(ValidationError) as error:
        project_services.resource_add(
            actor=partner, project=running, title="Spec", url="http://example.org/spec", kind="code"
        )
    assert error.value.message_dict["url"] == ["Enter a web address starting with https://"]

    resource = project_services.resource_add(
        actor=partner,
        project=running,
        title="Spec",
        url="https://example.org/spec",
        kind="specification",
        licence="Open Government Licence v3.0",
    )
    assert resource.added_by == partner


def test_someone_outside_the_project_cannot_link_a_resource(officer_b, running):
    with pytest.raises(PermissionDenied):
        project_services.resource_add(
            actor=officer_b, project=running, title="S", url="https://example.org", kind="other"
        )


def test_the_author_removes_their_weeknote_and_its_history_records_the_removal(officer_a, running):
    weeknote = setup.post_weeknote(officer_a, running)
    update_id = weeknote.pk

    project_services.weeknote_delete(actor=officer_a, weeknote=weeknote)

    assert not Weeknote.objects.filter(pk=update_id).exists()
    entry = AuditEntry.objects.get(action="delete", object_id=str(update_id))
    assert entry.actor == officer_a
    assert entry.object_repr == "Week 3"
    assert entry.changes["Title"] == ["Week 3", None]


def test_the_office_removes_a_resource_someone_else_linked(staff, partner, running):
    resource = setup.link_resource(partner, running, title="Spec")
    resource_id = resource.pk

    project_services.resource_delete(actor=staff, resource=resource)

    assert not running.resources.exists()
    entry = AuditEntry.objects.get(action="delete", object_id=str(resource_id))
    assert (entry.actor, entry.object_repr) == (staff, "Spec")


def test_only_the_office_and_the_poster_may_remove_a_weeknote_or_resource(
    personas, officer_a, partner, running
):
    weeknote = setup.post_weeknote(officer_a, running)
    resource = setup.link_resource(partner, running)

    def removers(posted_by_id):
        return {
            name
            for name, person in personas.items()
            if project_selectors.may_remove(person, running, posted_by_id)
        }

    assert removers(weeknote.author_id) == {"staff", "officer_a"}
    assert removers(resource.added_by_id) == {"staff", "partner"}


def test_someone_else_of_the_project_or_another_organisation_cannot_remove_them(
    lead_a, officer_a, officer_b, partner, running
):
    weeknote = setup.post_weeknote(officer_a, running)
    resource = setup.link_resource(partner, running)
    for person in (lead_a, officer_b):
        with pytest.raises(PermissionDenied):
            project_services.weeknote_delete(actor=person, weeknote=weeknote)
        with pytest.raises(PermissionDenied):
            project_services.resource_delete(actor=person, resource=resource)
    assert running.weeknotes.get() == weeknote
    assert running.resources.get() == resource
    assert not AuditEntry.objects.filter(action="delete").exists()


def test_an_author_who_has_left_the_projects_organisations_cannot_remove_their_weeknote(
    officer_a, borough_b, running
):
    weeknote = setup.post_weeknote(officer_a, running)
    resource = setup.link_resource(officer_a, running)
    officer_a.organisation = borough_b
    officer_a.save()

    with pytest.raises(PermissionDenied):
        project_services.weeknote_delete(actor=officer_a, weeknote=weeknote)
    with pytest.raises(PermissionDenied):
        project_services.resource_delete(actor=officer_a, resource=resource)
    assert running.weeknotes.exists() and running.resources.exists()


# Reading ---------------------------------------------------------------------------------


def test_projects_filter_by_workstream_type_and_phase(staff, borough_a):
    one = setup.project(lead=borough_a, title="One", type=ProposalType.ADOPTION)
    setup.project(lead=borough_a, title="Two", type=ProposalType.CAPABILITY)
    project_services.project_phase_set(actor=staff, project=one, phase=Phase.LIVE)

    def titles(**filters):
        return sorted(p.title for p in project_selectors.project_list(user=None, **filters))

    assert titles() == ["One", "Two"]
    assert titles(type=ProposalType.ADOPTION) == ["One"]
    assert titles(phase=Phase.DISCOVERY) == ["Two"]
    assert titles(workstream="data-collaboration", phase=Phase.LIVE) == ["One"]
    assert titles(workstream="no-such-workstream") == []


def test_the_quarterly_summary_counts_each_quarter(staff, borough_a):
    make_call(opens=datetime.date(2026, 4, 13), budget=Decimal(200000), published=True)
    # Q1 2026/27: two projects start (£60,000 and £30,000); Q2: one (£50,000).
    a = setup.project(lead=borough_a, title="A", started_on=datetime.date(2026, 4, 6))
    setup.project(
        lead=borough_a, title="B", started_on=datetime.date(2026, 6, 29), budget=Decimal(30000)
    )
    c = setup.project(
        lead=borough_a, title="C", started_on=datetime.date(2026, 7, 6), budget=Decimal(50000)
    )
    # An earlier year's project is not counted.
    setup.project(lead=borough_a, title="Old", started_on=datetime.date(2026, 3, 30))
    # A's first cycle is decided in Q2 (18 May is Q1, but the decision is on 20 July).
    project_services.cycle_review(
        actor=staff,
        cycle=a.cycles.get(number=1),
        decision="continue",
        notes="Ok",
        today=datetime.date(2026, 7, 20),
    )
    project_services.cycle_review(
        actor=staff,
        cycle=c.cycles.get(number=1),
        decision="stop",
        notes="No",
        today=datetime.date(2026, 10, 1),
    )
    project_services.cycle_review(
        actor=staff,
        cycle=a.cycles.get(number=2),
        decision="complete",
        notes="Done",
        today=datetime.date(2026, 10, 2),
    )

    summary = project_selectors.quarterly_summary(user=None, year=FinancialYear(2026))

    assert [
        (q.started, q.completed, q.stopped, q.chunks_delivered, q.allocated)
        for q in summary.quarters
    ] == [
        (2, 0, 0, 0, Decimal(90000)),
        (1, 0, 0, 1, Decimal(50000)),
        (0, 1, 1, 2, Decimal(0)),
        (0, 0, 0, 0, Decimal(0)),
    ]
    assert summary.allocated == Decimal(140000)
    assert summary.round_budget == 200_000


def test_is_member_covers_any_role_of_the_lead_and_partner_organisations(personas, running):
    members = {
        name for name, person in personas.items() if project_selectors.is_member(person, running)
    }
    assert members == {"staff", "lead_a", "officer_a", "partner"}


def test_a_cycle_has_its_number_once_per_project(running):
    duplicate = Cycle(
        project=running,
        number=1,
        starts_on=datetime.date(2027, 1, 1),
        ends_on=datetime.date(2027, 2, 12),
    )
    with pytest.raises(ValidationError, match="already exists"):
        duplicate.full_clean()
    backwards = Cycle(
        project=running, number=9, starts_on=TODAY, ends_on=TODAY - datetime.timedelta(days=1)
    )
    with pytest.raises(ValidationError):
        backwards.full_clean()
