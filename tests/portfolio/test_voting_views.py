import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from loti.core.models import AuditEntry
from loti.core.permissions import Role
from loti.portfolio.calls import selectors, services
from loti.portfolio.models import Ballot, BallotChoice
from tests import clock
from tests.factories import PersonFactory
from tests.portfolio.call_helpers import make_call, make_core, make_proposal

TODAY = clock.TODAY

pytestmark = pytest.mark.django_db


frozen_today = clock.frozen_fixture()


def _choices(ballot):
    return {c.proposal_id: c.value for c in ballot.choices.all()}


def test_a_core_members_lead_casts_their_organisations_ballot(client_as, voting, lead_a):
    call, hub, standard = voting
    response = client_as("lead_a").post(
        reverse("portfolio:ballot", args=[call.slug]),
        {f"points_{hub.pk}": "7", f"points_{standard.pk}": "3"},
    )
    assert response.status_code == 302
    ballot = Ballot.objects.get()
    assert (ballot.organisation, ballot.cast_by) == (lead_a.organisation, lead_a)
    assert _choices(ballot) == {hub.pk: 7, standard.pk: 3}


def test_a_second_ballot_from_the_same_organisation_replaces_the_first(voting, lead_a):
    call, hub, standard = voting
    services.ballot_cast(actor=lead_a, call=call, choices={hub.pk: 10}, today=TODAY)
    second_lead = PersonFactory(role=Role.LEAD, organisation=lead_a.organisation)
    services.ballot_cast(
        actor=second_lead, call=call, choices={hub.pk: 4, standard.pk: 6}, today=TODAY
    )
    ballot = Ballot.objects.get()
    assert ballot.cast_by == second_lead
    assert _choices(ballot) == {hub.pk: 4, standard.pk: 6}
    assert BallotChoice.objects.count() == 2


def test_the_database_allows_one_ballot_per_organisation_per_call(voting, lead_a):
    call, hub, _ = voting
    services.ballot_cast(actor=lead_a, call=call, choices={hub.pk: 10}, today=TODAY)
    with pytest.raises(IntegrityError), transaction.atomic():
        Ballot.objects.create(call=call, organisation=lead_a.organisation, cast_at=timezone.now())


def test_the_form_shows_the_ballot_method_error_and_saves_nothing(client_as, voting):
    call, hub, standard = voting
    response = client_as("lead_a").post(
        reverse("portfolio:ballot", args=[call.slug]),
        {f"points_{hub.pk}": "2", f"points_{standard.pk}": "3"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Spread all 10 points: you have given 5" in page
    assert not Ballot.objects.exists()


def test_an_approval_ballot_is_a_set_of_checkboxes(client_as, borough_a, lead_a):
    call = make_call(today=TODAY, stage="voting", method="approval", approvals_max=1)
    one = make_proposal(call=call, organisation=borough_a, title="One")
    two = make_proposal(call=call, organisation=borough_a, title="Two")
    make_core(borough_a, on=call.voting_closes_on)
    client = client_as("lead_a")
    url = reverse("portfolio:ballot", args=[call.slug])
    response = client.post(url, {"proposals": [str(one.pk), str(two.pk)]})
    assert "Choose no more than 1 proposal: you have chosen 2" in response.content.decode()
    client.post(url, {"proposals": [str(two.pk)]})
    assert _choices(Ballot.objects.get()) == {two.pk: 1}


def test_a_basket_must_fit_the_budget(borough_a, lead_a):
    call = make_call(today=TODAY, stage="voting", method="basket", budget=50_000)
    dear = make_proposal(call=call, organisation=borough_a, cost=40_000)
    cheap = make_proposal(call=call, organisation=borough_a, cost=20_000, title="Cheap")
    make_core(borough_a, on=call.voting_closes_on)
    with pytest.raises(ValidationError, match="Your basket costs £60,000"):
        services.ballot_cast(
            actor=lead_a, call=call, choices={dear.pk: 1, cheap.pk: 1}, today=TODAY
        )


def test_only_a_lead_of_a_core_member_votes(client, voting, officer_a, staff):
    call, hub, _ = voting
    for actor in (officer_a, staff):
        with pytest.raises(PermissionDenied):
            services.ballot_cast(actor=actor, call=call, choices={hub.pk: 10}, today=TODAY)
    not_core = PersonFactory(role=Role.LEAD)
    with pytest.raises(PermissionDenied):
        services.ballot_cast(actor=not_core, call=call, choices={hub.pk: 10}, today=TODAY)
    client.force_login(not_core)
    response = client.get(reverse("portfolio:ballot", args=[call.slug]))
    assert response.status_code == 403
    assert "Only core members in 2026/27 vote in this call" in response.content.decode()


def test_core_membership_is_that_of_the_year_voting_closes_in(borough_a, lead_a):
    # Voting closes on 2 April 2027: the 2027/28 financial year.
    call = services.call_create(
        actor=None,
        criteria=[{"name": "Benefit", "weight": 1}],
        title="Spring call",
        proposals_open_on=datetime.date(2027, 1, 4),
        proposals_close_on=datetime.date(2027, 2, 1),
        voting_opens_on=datetime.date(2027, 3, 20),
        voting_closes_on=datetime.date(2027, 4, 2),
        budget=100_000,
        capacity_chunks=10,
        method="points",
    )
    make_core(borough_a, on=datetime.date(2026, 11, 22))
    assert not services.may_vote(actor=lead_a, call=call)
    make_core(borough_a, on=datetime.date(2027, 4, 2))
    assert services.may_vote(actor=lead_a, call=call)


def test_ballots_are_refused_outside_the_voting_window(voting, lead_a):
    call, hub, _ = voting
    after = call.voting_closes_on + datetime.timedelta(days=1)
    with pytest.raises(ValidationError, match="is not open"):
        services.ballot_cast(actor=lead_a, call=call, choices={hub.pk: 10}, today=after)


def test_ballots_are_secret_until_voting_closes(client_as, voting, lead_a, staff):
    call, hub, standard = voting
    services.ballot_cast(actor=lead_a, call=call, choices={hub.pk: 10}, today=TODAY)
    camden_lead = PersonFactory(role=Role.LEAD, organisation=standard.organisation)
    # Nobody but the organisation's own leads reads its ballot, not even the office.
    assert selectors.ballot_for(user=staff, call=call) is None
    assert selectors.ballot_for(user=camden_lead, call=call) is None
    assert selectors.ballot_for(user=lead_a, call=call).organisation == lead_a.organisation
    # No tally or count is shown while voting is open, and no results exist.
    assert selectors.ballot_count(call=call, today=TODAY) is None
    page = client_as("staff").get(call.get_absolute_url()).content.decode()
    assert "Ballots cast" not in page
    assert client_as("staff").get(reverse("portfolio:results", args=[call.slug])).status_code == 404
    after = call.voting_closes_on + datetime.timedelta(days=1)
    assert selectors.ballot_count(call=call, today=after) == 1


def test_the_audit_trail_records_that_a_ballot_was_cast_but_not_how(voting, lead_a):
    call, hub, _ = voting
    services.ballot_cast(actor=lead_a, call=call, choices={hub.pk: 10}, today=TODAY)
    entries = AuditEntry.objects.filter(object_repr__contains="ballot")
    assert entries.count() == 1
    assert "Inclusion hub" not in str(entries.get().changes)
    assert not AuditEntry.objects.filter(content_type__model="ballotchoice").exists()


def test_a_lead_sees_their_ballot_again_to_change_it(client_as, voting, lead_a):
    call, hub, standard = voting
    services.ballot_cast(actor=lead_a, call=call, choices={hub.pk: 6, standard.pk: 4}, today=TODAY)
    page = client_as("lead_a").get(reverse("portfolio:ballot", args=[call.slug])).content.decode()
    assert f'name="points_{hub.pk}" value="6"' in page
    assert "Sending this form replaces it" in page


def _link_and_label(page: str, proposal) -> tuple[str, str]:
    """The ballot's link to `proposal`'s page, and what labels its box or checkbox."""
    import re

    link = re.search(rf'<a class="govuk-link" href="{proposal.get_absolute_url()}">[^<]*', page)
    label = re.search(
        rf'<label class="govuk-label[^"]*" for="[^"]+">{proposal.title}</label>', page
    )
    assert link and label, f"no link or label for {proposal.title}"
    return link.group(0), label.group(0)


def test_a_points_ballot_links_to_each_proposal_beside_its_label(client_as, voting):
    call, hub, standard = voting
    response = client_as("lead_a").get(reverse("portfolio:ballot", args=[call.slug]))
    page = response.content.decode()
    for proposal in (hub, standard):
        link, label = _link_and_label(page, proposal)
        assert "Read the proposal" in link
        assert "href" not in label
    # The running total is for the script to fill; the page names the script.
    assert 'data-ballot="points"' in page and 'data-ballot-points="10"' in page
    assert 'aria-live="polite"' in page
    assert "portfolio/ballot" in page


def test_a_basket_ballot_links_to_each_proposal_outside_its_checkbox_label(
    client_as, borough_a, lead_a
):
    call = make_call(today=TODAY, stage="voting", method="basket", budget=50_000)
    dear = make_proposal(call=call, organisation=borough_a, cost=40_000, title="Dear")
    cheap = make_proposal(call=call, organisation=borough_a, cost=20_000, title="Cheap")
    make_core(borough_a, on=call.voting_closes_on)
    client = client_as("lead_a")
    url = reverse("portfolio:ballot", args=[call.slug])
    page = client.get(url).content.decode()
    for proposal in (dear, cheap):
        _link_and_label(page, proposal)
    assert 'data-ballot-cost="40000"' in page and 'data-ballot-budget="50000"' in page
    assert "must add up to £50,000 or less" in page
    # Without the script, the server's check says what the basket costs.
    response = client.post(url, {"proposals": [str(dear.pk), str(cheap.pk)]})
    assert "Your basket costs £60,000" in response.content.decode()
    client.post(url, {"proposals": [str(cheap.pk)]})
    assert _choices(Ballot.objects.get()) == {cheap.pk: 1}
