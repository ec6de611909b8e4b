import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from loti.core.models import AuditEntry
from loti.portfolio.calls import services
from loti.portfolio.models import Call, CallState, Criterion, Workstream
from tests import clock
from tests.portfolio.call_helpers import make_call, make_workstream

TODAY = clock.TODAY


frozen_today = clock.frozen_fixture()


def _call(**dates):
    return Call(
        proposals_open_on=datetime.date(2026, 1, 10),
        proposals_close_on=datetime.date(2026, 1, 31),
        voting_opens_on=datetime.date(2026, 2, 10),
        voting_closes_on=datetime.date(2026, 2, 20),
        **dates,
    )


@pytest.mark.parametrize(
    ("day", "state"),
    [
        (datetime.date(2026, 1, 9), CallState.UPCOMING),
        (datetime.date(2026, 1, 10), CallState.PROPOSING),
        (datetime.date(2026, 1, 31), CallState.PROPOSING),
        (datetime.date(2026, 2, 1), CallState.ASSESSING),
        (datetime.date(2026, 2, 9), CallState.ASSESSING),
        (datetime.date(2026, 2, 10), CallState.VOTING),
        (datetime.date(2026, 2, 20), CallState.VOTING),
        (datetime.date(2026, 2, 21), CallState.CLOSED),
    ],
)
def test_a_calls_stage_follows_from_its_dates_which_are_inclusive(day, state):
    assert _call().state(day) == state


def test_a_call_with_published_results_is_published_whatever_the_date():
    published = _call(results_published_at=datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC))
    assert published.state(datetime.date(2026, 1, 15)) == CallState.PUBLISHED


def _form(**overrides):
    data = {
        "title": "Call for ideas 2027",
        "description": "",
        "proposals_open_on_0": "1",
        "proposals_open_on_1": "12",
        "proposals_open_on_2": "2026",
        "proposals_close_on_0": "31",
        "proposals_close_on_1": "1",
        "proposals_close_on_2": "2027",
        "voting_opens_on_0": "15",
        "voting_opens_on_1": "2",
        "voting_opens_on_2": "2027",
        "voting_closes_on_0": "28",
        "voting_closes_on_1": "2",
        "voting_closes_on_2": "2027",
        "budget": "£250,000",
        "capacity_chunks": "24",
        "method": "basket",
        "points": "10",
        "approvals_max": "3",
        "vote_weight": "0.4",
        "criterion_1_name": "Relevance to the workstreams",
        "criterion_1_weight": "3",
        "criterion_2_name": "Achievability within a year",
        "criterion_2_description": "Tangible results in twelve months",
        "criterion_2_weight": "1",
    }
    return data | overrides


def test_staff_open_a_call_with_its_criteria_in_order(client_as):
    response = client_as("staff").post(reverse("portfolio:call_create"), _form())
    call = Call.objects.get()
    assert response.status_code == 302
    assert response["Location"] == call.get_absolute_url()
    assert call.budget == Decimal(250000)
    assert call.vote_weight == Decimal("0.4")
    assert call.state(TODAY) == CallState.UPCOMING
    assert [(c.name, c.weight, c.order) for c in call.criteria.all()] == [
        ("Relevance to the workstreams", 3, 0),
        ("Achievability within a year", 1, 1),
    ]
    assert AuditEntry.objects.filter(object_repr="Call for ideas 2027").exists()


def test_voting_must_open_after_proposals_close(client_as):
    response = client_as("staff").post(
        reverse("portfolio:call_create"),
        _form(voting_opens_on_0="31", voting_opens_on_1="1", voting_opens_on_2="2027"),
    )
    assert response.status_code == 200
    assert "Voting must open after proposals close" in response.content.decode()
    assert not Call.objects.exists()


def test_a_criterion_needs_a_weight_and_a_call_needs_a_criterion(client_as):
    client = client_as("staff")
    response = client.post(reverse("portfolio:call_create"), _form(criterion_2_weight=""))
    assert "Enter the weight of criterion 2" in response.content.decode()
    response = client.post(
        reverse("portfolio:call_create"),
        _form(
            criterion_1_name="",
            criterion_1_weight="",
            criterion_2_name="",
            criterion_2_description="",
            criterion_2_weight="",
        ),
    )
    assert "Enter at least one criterion" in response.content.decode()
    assert not Call.objects.exists()


def test_the_database_refuses_voting_before_proposals_close(db):
    call = make_call(today=TODAY, stage="proposing")
    with pytest.raises(IntegrityError), transaction.atomic():
        Call.objects.filter(pk=call.pk).update(voting_opens_on=call.proposals_close_on)


def test_staff_may_rename_and_reorder_criteria_before_voting(db, staff):
    call = make_call(today=TODAY, stage="assessing")
    first, second = call.criteria.all()
    services.call_update(
        actor=staff,
        call=call,
        today=TODAY,
        criteria=[
            {"name": second.name, "weight": 5},
            {"name": first.name, "weight": 1},
        ],
    )
    assert [(c.name, c.weight) for c in call.criteria.all()] == [
        (second.name, 5),
        (first.name, 1),
    ]


def test_criteria_cannot_change_once_voting_has_started(db, staff):
    call = make_call(today=TODAY, stage="voting")
    with pytest.raises(ValidationError, match="once voting has started"):
        services.call_update(
            actor=staff,
            call=call,
            today=TODAY,
            criteria=[{"name": "Something else", "weight": 1}],
        )
    assert Criterion.objects.filter(call=call).count() == 2


def test_the_edit_page_locks_the_criteria_once_voting_has_started(client_as, db):
    call = make_call(today=TODAY, stage="voting")
    client = client_as("staff")
    page = client.get(reverse("portfolio:call_edit", args=[call.slug])).content.decode()
    assert "the criteria can no longer be changed" in page
    data = _form(
        title="Renamed",
        proposals_open_on_0=str(call.proposals_open_on.day),
        proposals_open_on_1=str(call.proposals_open_on.month),
        proposals_open_on_2=str(call.proposals_open_on.year),
        proposals_close_on_0=str(call.proposals_close_on.day),
        proposals_close_on_1=str(call.proposals_close_on.month),
        proposals_close_on_2=str(call.proposals_close_on.year),
        voting_opens_on_0=str(call.voting_opens_on.day),
        voting_opens_on_1=str(call.voting_opens_on.month),
        voting_opens_on_2=str(call.voting_opens_on.year),
        voting_closes_on_0=str(call.voting_closes_on.day),
        voting_closes_on_1=str(call.voting_closes_on.month),
        voting_closes_on_2=str(call.voting_closes_on.year),
    )
    response = client.post(reverse("portfolio:call_edit", args=[call.slug]), data)
    assert response.status_code == 302
    call.refresh_from_db()
    # The other fields change; the posted criteria are ignored, the published ones kept.
    assert call.title == "Renamed"
    assert [c.name for c in call.criteria.all()] == [
        "Relevance to the workstreams",
        "Clear benefit to London",
    ]


def test_the_public_see_only_calls_with_published_results(client_as, db, staff):
    make_call(today=TODAY, stage="proposing", title="Open call")
    published = make_call(today=TODAY, stage="closed", title="Published call")
    Call.objects.filter(pk=published.pk).update(
        results_published_at=datetime.datetime(2026, 11, 21, tzinfo=datetime.UTC)
    )
    public = client_as("anonymous").get(reverse("portfolio:calls")).content.decode()
    assert "Published call" in public and "Open call" not in public
    members = client_as("officer_b").get(reverse("portfolio:calls")).content.decode()
    assert "Published call" in members and "Open call" in members


def test_everyone_finds_calls_for_ideas_in_the_navigation(client_as, db):
    # Members reach every call; the public and partners the published results of past ones:
    # through the navigation's "Shared work", which lists them beside projects and the library.
    link = f'href="{reverse("portfolio:calls")}"'
    group = reverse("core:section", args=["shared-work"])

    def navigation(persona):
        page = client_as(persona).get(reverse("portfolio:workstreams")).content.decode()
        return (
            page.split('id="navigation"')[1].split("</ul>")[0] if 'id="navigation"' in page else ""
        )

    for persona in ("officer_a", "anonymous", "partner"):
        assert f'href="{group}"' in navigation(persona), persona
        listed = client_as(persona).get(group).content.decode().split("data-sections")[1]
        assert link in listed.split("</ul>")[0], persona


def test_staff_add_and_rename_a_workstream_through_the_audit_trail(client_as, db):
    client = client_as("staff")
    response = client.post(
        reverse("portfolio:workstream_create"),
        {"name": "Shared experiments", "description": "Trying things together", "order": "7"},
    )
    assert response.status_code == 302
    workstream = Workstream.objects.get(slug="shared-experiments")
    response = client.post(
        reverse("portfolio:workstream_edit", args=[workstream.slug]),
        {"name": "Shared experiments fund", "description": "", "order": "7"},
    )
    workstream.refresh_from_db()
    assert workstream.name == "Shared experiments fund"
    assert AuditEntry.objects.filter(object_repr="Shared experiments fund").count() == 1
    page = client_as("anonymous").get(reverse("portfolio:workstreams")).content.decode()
    assert "Shared experiments fund" in page


def test_a_workstream_needs_a_name(client_as, db):
    response = client_as("staff").post(
        reverse("portfolio:workstream_create"), {"name": "", "order": "0"}
    )
    assert "Enter the workstream&#x27;s name" in response.content.decode()
    assert not Workstream.objects.exists()
    assert make_workstream().name == "Data collaboration"


def test_empty_lists_say_why_and_what_to_do(client_as, db):
    assert not Call.objects.exists()
    office = client_as("staff").get(reverse("portfolio:calls")).content.decode()
    assert "There are no calls for ideas yet. Open one to invite" in office
    member = client_as("officer_a").get(reverse("portfolio:calls")).content.decode()
    assert "The office opens one to invite members' proposals" in member
    public = client_as("anonymous").get(reverse("portfolio:calls")).content.decode()
    assert "listed here once the office publishes" in public
    Workstream.objects.all().delete()
    page = client_as("staff").get(reverse("portfolio:workstreams")).content.decode()
    assert "There are no workstreams yet. Add one for each theme" in page
    assert "govuk-summary-list" not in page.split("<main")[1]
