"""A supporting organisation is shown, exported and counted as a supporter of a proposal
only once its own lead or officer confirms."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from loti.core.models import AuditEntry
from loti.core.permissions import Role
from loti.portfolio.calls import selectors, services
from loti.portfolio.models import Call, Support, SupportState
from loti.portfolio.projects import services as project_services
from tests import clock
from tests.factories import PersonFactory
from tests.portfolio.call_helpers import make_call, make_proposal

TODAY = clock.TODAY

pytestmark = pytest.mark.django_db

frozen_today = clock.frozen_fixture()


@pytest.fixture
def named(borough_a, borough_b):
    """Barnet's proposal naming Camden as a supporter, not yet confirmed."""
    call = make_call(today=TODAY, stage="proposing", title="Call 2027")
    proposal = make_proposal(
        call=call, organisation=borough_a, supporters=[borough_b], supporters_confirmed=False
    )
    return proposal, Support.objects.get(proposal=proposal)


def test_a_named_supporter_awaits_its_own_confirmation(named, borough_b):
    proposal, support = named
    assert support.state == SupportState.AWAITING
    assert proposal.confirmed_supporters == []
    assert proposal.awaiting_supporters == [borough_b]


def test_the_supporters_officer_confirms_and_only_then_it_counts(named, officer_b, borough_b):
    proposal, support = named
    services.proposal_support_confirm(actor=officer_b, support=support, today=TODAY)
    support.refresh_from_db()
    assert (support.state, support.decided_by) == (SupportState.CONFIRMED, officer_b)
    assert proposal.confirmed_supporters == [borough_b]
    entry = AuditEntry.objects.filter(actor=officer_b, object_id=support.pk).get()
    assert entry.action == AuditEntry.Action.UPDATE


def test_a_supporters_lead_may_decline(named, borough_b):
    proposal, support = named
    lead_b = PersonFactory(role=Role.LEAD, organisation=borough_b)
    services.proposal_support_decline(actor=lead_b, support=support, today=TODAY)
    assert Support.objects.get().state == SupportState.DECLINED
    assert proposal.confirmed_supporters == [] and proposal.awaiting_supporters == []


def test_no_one_else_answers_for_the_supporting_organisation(
    named, officer_a, lead_a, staff, partner
):
    _, support = named
    # Another borough (the proposer's own), the office and a partner cannot confirm.
    for actor in (officer_a, lead_a, staff, partner, None):
        with pytest.raises(PermissionDenied):
            services.proposal_support_confirm(actor=actor, support=support, today=TODAY)
    assert Support.objects.get().state == SupportState.AWAITING


def test_another_borough_cannot_reach_the_answer_page(client_as, named, officer_a):
    proposal, _ = named
    url = reverse("portfolio:proposal_support", args=[proposal.pk])
    response = client_as("officer_a").post(url, {"answer": "confirm"})
    assert response.status_code == 404
    assert Support.objects.get().state == SupportState.AWAITING


def test_the_supporter_confirms_on_its_page(client_as, named):
    proposal, _ = named
    client = client_as("officer_b")
    url = reverse("portfolio:proposal_support", args=[proposal.pk])
    detail = client.get(proposal.get_absolute_url()).content.decode()
    assert "Confirm or decline Camden's support" in detail
    response = client.post(url, {"answer": ""})
    assert "Select whether your organisation supports this proposal" in response.content.decode()
    response = client.post(url, {"answer": "confirm"})
    assert response.status_code == 302 and response["Location"] == proposal.get_absolute_url()
    assert Support.objects.get().state == SupportState.CONFIRMED


def test_answers_close_with_the_vote(named, officer_b):
    _, support = named
    after = support.proposal.call.voting_closes_on.replace(year=TODAY.year + 5)
    with pytest.raises(ValidationError, match="voting closed"):
        services.proposal_support_confirm(actor=officer_b, support=support, today=after)


def test_the_page_shows_confirmed_supporters_and_tells_the_proposer_who_is_awaited(
    client_as, named, officer_b
):
    proposal, support = named
    supported_by = '<dt class="govuk-summary-list__key">Supported by</dt>'
    for persona in ("officer_a", "staff"):
        page = client_as(persona).get(proposal.get_absolute_url()).content.decode()
        row = page[page.index(supported_by) :].split("</dd>")[0]
        assert "No supporting organisations yet" in row
        assert "Awaiting confirmation from Camden" in row
    # Another member sees only who has confirmed: nothing yet.
    services.proposal_support_confirm(actor=officer_b, support=support, today=TODAY)
    page = client_as("officer_a").get(proposal.get_absolute_url()).content.decode()
    row = page[page.index(supported_by) :].split("</dd>")[0]
    assert "Camden" in row and "Awaiting" not in row


def test_the_api_lists_only_confirmed_supporters(client, named, officer_a, officer_b):
    from tests.portfolio.test_api import bearer

    proposal, support = named
    url = f"/api/portfolio/rounds/{proposal.call.slug}/proposals"
    item = client.get(url, headers=bearer(officer_a)).json()["items"][0]
    assert (item["supporters"], item["awaiting_confirmation"]) == ([], ["camden"])
    services.proposal_support_confirm(actor=officer_b, support=support, today=TODAY)
    item = client.get(url, headers=bearer(officer_a)).json()["items"][0]
    assert (item["supporters"], item["awaiting_confirmation"]) == (["camden"], [])


def test_a_project_takes_only_confirmed_supporters_as_partners(
    borough_a, borough_b, police, staff, officer_b
):
    call = make_call(today=TODAY, stage="closed", title="Published call")
    proposal = make_proposal(
        call=call,
        organisation=borough_a,
        supporters=[borough_b, police],
        supporters_confirmed=False,
        selected=True,
    )
    camden = Support.objects.get(proposal=proposal, organisation=borough_b)
    services.proposal_support_confirm(
        actor=officer_b, support=camden, today=call.proposals_close_on
    )
    Call.objects.filter(pk=call.pk).update(results_published_at=timezone.now())
    proposal = selectors.proposal_for(user=staff, pk=proposal.pk)
    project = project_services.project_create_from_proposal(
        actor=staff, proposal=proposal, starts_on=TODAY
    )
    assert set(project.partners.all()) == {borough_b}
