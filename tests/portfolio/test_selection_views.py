import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from loti.core.models import AuditEntry
from loti.core.permissions import Role
from loti.portfolio.calls import charts, selectors, services
from loti.portfolio.models import Call, SelectionResult
from tests import clock
from tests.factories import PersonFactory
from tests.portfolio.call_helpers import make_call, make_core, make_proposal

TODAY = clock.TODAY

pytestmark = pytest.mark.django_db


frozen_today = clock.frozen_fixture()


ONE_CRITERION = [{"name": "Benefit", "weight": 1}]


@pytest.fixture
def knapsack(borough_a, borough_b, staff):
    """Scored on one criterion, votes not counted: combined = (score - 1) / 4.
    A: 1.00 for £60,000; B and C: 0.75 each for £50,000. Budget £100,000.
    The greedy rule takes A and then nothing fits (total 1.00); the best set is B and C
    (total 1.50)."""
    call = make_call(
        today=TODAY,
        stage="assessing",
        vote_weight=Decimal(0),
        budget=100_000,
        capacity=10,
        criteria=ONE_CRITERION,
    )
    (criterion,) = call.criteria.all()
    proposals = {}
    for title, score, cost in (("A", 5, 60_000), ("B", 4, 50_000), ("C", 4, 50_000)):
        proposal = make_proposal(call=call, organisation=borough_a, title=title, cost=cost)
        services.assessment_set(
            actor=staff, proposal=proposal, scores={criterion: (score, "Reasoned")}
        )
        proposals[title] = proposal
    after_voting = call.voting_closes_on + datetime.timedelta(days=1)
    return call, proposals, after_voting


def _results(call):
    return {r.proposal.title: r for r in SelectionResult.objects.filter(call=call)}


def test_the_selection_chooses_the_best_set_within_the_budget_not_the_greedy_one(knapsack, staff):
    call, _, after = knapsack
    services.selection_run(actor=staff, call=call, today=after)
    results = _results(call)
    assert {t for t, r in results.items() if r.selected} == {"B", "C"}
    assert {t for t, r in results.items() if r.chosen_by_greedy} == {"A"}
    assert results["A"].combined == pytest.approx(1.0)
    assert results["B"].combined == pytest.approx(0.75)
    assert results["B"].criteria_score == pytest.approx(4.0)
    assert "£100,000 budget" in results["A"].reason
    assert results["B"].reason == ""
    call.refresh_from_db()
    assert call.selection_run_at is not None


def test_vote_shares_and_criteria_scores_combine_by_the_calls_vote_weight(
    borough_a, borough_b, staff, lead_a
):
    call = make_call(today=TODAY, stage="voting", criteria=ONE_CRITERION, vote_weight=0.5)
    (criterion,) = call.criteria.all()
    a, b, c = (make_proposal(call=call, organisation=borough_a, title=title) for title in "ABC")
    for proposal in (a, b, c):
        services.assessment_set(actor=staff, proposal=proposal, scores={criterion: (3, "Fair")})
    make_core(borough_a, on=call.voting_closes_on)
    make_core(borough_b, on=call.voting_closes_on)
    lead_b = PersonFactory(role=Role.LEAD, organisation=borough_b)
    services.ballot_cast(actor=lead_a, call=call, choices={a.pk: 10}, today=TODAY)
    services.ballot_cast(actor=lead_b, call=call, choices={b.pk: 6, c.pk: 4}, today=TODAY)
    after = call.voting_closes_on + datetime.timedelta(days=1)
    services.selection_run(actor=staff, call=call, today=after)
    results = _results(call)
    # Shares 10/20, 6/20, 4/20; against the largest: 1, 0.6, 0.4. Criteria: (3 - 1) / 4.
    assert [results[t].vote_share for t in "ABC"] == pytest.approx([0.5, 0.3, 0.2])
    assert [results[t].combined for t in "ABC"] == pytest.approx([0.75, 0.55, 0.45])


def test_the_selection_waits_until_voting_closes(knapsack, staff):
    call, _, _ = knapsack
    with pytest.raises(ValidationError, match="once voting has closed"):
        services.selection_run(actor=staff, call=call, today=call.voting_closes_on)


def test_the_results_page_shows_the_chosen_set_the_greedy_set_and_the_difference(
    client_as, knapsack, staff
):
    call, _, after = knapsack
    services.selection_run(actor=staff, call=call, today=after)
    with clock.frozen(after):
        page = client_as("staff").get(reverse("portfolio:results", args=[call.slug]))
    html = page.content.decode()
    assert "These results are not published yet" in html
    assert "£100,000 of the £100,000 budget" in html
    assert "4 of 10" in html
    assert "The greedy rule would have chosen <strong>A</strong>" in html
    assert "The optimiser chose <strong>B</strong>" in html
    assert "would take the chosen set over the £100,000 budget" in html
    assert 'data-chart="combined-scores"' in html


def test_the_chart_labels_selected_bars_and_has_a_table_of_the_same_data(knapsack, staff):
    call, _, after = knapsack
    services.selection_run(actor=staff, call=call, today=after)
    chart = charts.combined_scores_chart(selectors.results_for(user=staff, call=call).rows)
    assert chart.rows == [["A", "1.000", "No"], ["B", "0.750", "Yes"], ["C", "0.750", "Yes"]]
    bars, labels = chart.spec["layer"]
    # Selected bars are solid and unselected ones hollow, and selected ones say so in text.
    assert bars["encoding"]["fillOpacity"]["scale"]["range"] == [1, 0.15]
    assert labels["encoding"]["text"]["condition"]["value"] == "✓ Selected"


def test_an_override_needs_a_reason_and_is_published_with_the_results(client_as, knapsack, staff):
    call, proposals, after = knapsack
    services.selection_run(actor=staff, call=call, today=after)
    client = client_as("staff")
    url = reverse("portfolio:results_override", args=[call.slug, proposals["C"].pk])
    response = client.post(url, {"override": "exclude", "reason": ""})
    assert "Enter the reason for the override" in response.content.decode()
    client.post(url, {"override": "exclude", "reason": "Camden already runs this service."})
    result = SelectionResult.objects.get(proposal=proposals["C"])
    assert (result.selected, result.override, result.overridden_by) == (False, "exclude", staff)
    assert AuditEntry.objects.filter(
        content_type__model="selectionresult", object_id=str(result.pk)
    ).exists()
    client.post(reverse("portfolio:results_publish", args=[call.slug]))
    public = client_as("anonymous").get(reverse("portfolio:results", args=[call.slug]))
    assert "Camden already runs this service." in public.content.decode()


def test_an_override_over_the_budget_needs_confirming_and_is_flagged(client_as, knapsack, staff):
    call, proposals, after = knapsack
    services.selection_run(actor=staff, call=call, today=after)
    client = client_as("staff")
    url = reverse("portfolio:results_override", args=[call.slug, proposals["A"].pk])
    response = client.post(url, {"override": "include", "reason": "The board's priority."})
    assert (
        "Including it takes the selection £60,000 over the £100,000 budget"
        in response.content.decode()
    )
    assert not SelectionResult.objects.get(proposal=proposals["A"]).selected
    client.post(
        url,
        {"override": "include", "reason": "The board's priority.", "accept_over_limits": "on"},
    )
    assert SelectionResult.objects.get(proposal=proposals["A"]).selected
    page = client.get(reverse("portfolio:results", args=[call.slug])).content.decode()
    assert "Overrides take the selection £60,000 over the budget" in page


def test_removing_an_override_returns_to_the_optimisers_choice(knapsack, staff):
    call, proposals, after = knapsack
    services.selection_run(actor=staff, call=call, today=after)
    result = SelectionResult.objects.get(proposal=proposals["B"])
    services.selection_override(actor=staff, result=result, override="exclude", reason="No")
    services.selection_override(actor=staff, result=result, override="")
    result.refresh_from_db()
    assert (result.selected, result.override, result.override_reason) == (True, "", "")


def test_running_the_selection_again_keeps_the_overrides(knapsack, staff):
    call, proposals, after = knapsack
    services.selection_run(actor=staff, call=call, today=after)
    result = SelectionResult.objects.get(proposal=proposals["B"])
    services.selection_override(actor=staff, result=result, override="exclude", reason="Done")
    services.selection_run(actor=staff, call=call, today=after)
    again = SelectionResult.objects.get(proposal=proposals["B"])
    assert (again.chosen_by_optimiser, again.selected, again.override_reason) == (
        True,
        False,
        "Done",
    )


def test_results_are_public_only_once_published_and_then_final(client_as, knapsack, staff):
    call, _, after = knapsack
    services.selection_run(actor=staff, call=call, today=after)
    url = reverse("portfolio:results", args=[call.slug])
    assert client_as("anonymous").get(url).status_code == 404
    assert client_as("lead_a").get(url).status_code == 404
    services.results_publish(actor=staff, call=call, today=after)
    assert client_as("anonymous").get(url).status_code == 200
    assert client_as("anonymous").get(call.get_absolute_url()).status_code == 200
    with pytest.raises(ValidationError, match="cannot be run again"):
        services.selection_run(actor=staff, call=call, today=after)
    result = SelectionResult.objects.filter(call=call).first()
    with pytest.raises(ValidationError, match="no longer be changed"):
        services.selection_override(actor=staff, result=result, override="exclude", reason="x")
    published = client_as("anonymous").get(url).context["results"]
    assert {r.proposal.title for r in published.rows if r.selected} == {"B", "C"}
    assert Call.objects.get(pk=call.pk).proposals.get(title="B").is_selected


def test_staff_can_start_a_project_from_each_selected_proposal_once_published(
    client_as, knapsack, staff
):
    call, proposals, after = knapsack
    services.selection_run(actor=staff, call=call, today=after)
    services.results_publish(actor=staff, call=call, today=after)
    page = client_as("staff").get(reverse("portfolio:results", args=[call.slug]))
    html = page.content.decode()
    for title in "BC":
        assert reverse("portfolio:project_start", args=[proposals[title].pk]) in html
    assert reverse("portfolio:project_start", args=[proposals["A"].pk]) not in html
    public = client_as("anonymous").get(reverse("portfolio:results", args=[call.slug]))
    assert "Start project" not in public.content.decode()
