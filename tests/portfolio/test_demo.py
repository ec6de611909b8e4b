"""The demo's calls for ideas, built on the members app's demo (organisations, core members
and their leads), as `loti demo` builds them."""

import datetime
import random

import numpy as np
import pytest

from loti.members import demo as members_demo
from loti.members.selectors import core_member_ids
from loti.portfolio import demo
from loti.portfolio.calls import selectors
from loti.portfolio.models import (
    Assessment,
    Ballot,
    BallotChoice,
    Call,
    CallState,
    Criterion,
    Project,
    Proposal,
    SelectionResult,
    Support,
    SupportState,
    Workstream,
)
from tests import clock

TODAY = clock.TODAY


frozen_today = clock.frozen_fixture(scope="module")


@pytest.fixture(scope="module")
def members(module_transaction, frozen_today):
    """The members' demo and the portfolio's for seed 7, built once for this module; a test
    that builds the portfolio again clears it first (in its savepoint)."""
    members_demo.build(rng=random.Random("7:members"), today=TODAY)
    build(7)


def build(seed: int) -> None:
    demo.build(rng=random.Random(f"{seed}:portfolio"), today=TODAY)


def clear() -> None:
    for model in (
        Project,
        SelectionResult,
        BallotChoice,
        Ballot,
        Assessment,
        Proposal,
        Criterion,
        Call,
    ):
        model.objects.all().delete()
    Workstream.objects.all().delete()


def fingerprint():
    return {
        "proposals": sorted(
            Proposal.objects.values_list(
                "call__title", "title", "organisation__slug", "estimated_cost", "chunks"
            )
        ),
        "assessments": sorted(
            Assessment.objects.values_list("proposal__title", "criterion__name", "score")
        ),
        "ballots": sorted(
            BallotChoice.objects.values_list(
                "ballot__call__title", "ballot__organisation__slug", "proposal__title", "value"
            )
        ),
        "selected": sorted(
            SelectionResult.objects.filter(selected=True).values_list("proposal__title")
        ),
        "supports": sorted(
            Support.objects.values_list("proposal__title", "organisation__slug", "state")
        ),
    }


def test_the_demo_builds_the_workstreams_a_published_call_and_one_open_for_voting(db, members):
    assert list(Workstream.objects.values_list("name", flat=True)) == [
        "Digital leadership",
        "Collective knowledge",
        "Sharing and reusing",
        "Better partnerships",
        "Embedding standards",
        "Data collaboration",
        "Shared experiments",
    ]
    past = Call.objects.get(title="Call for ideas 2025")
    current = Call.objects.get(title="Call for ideas 2026")
    assert past.state(TODAY) == CallState.PUBLISHED
    assert current.state(TODAY) == CallState.VOTING
    assert past.proposals.count() == 18 and current.proposals.count() == 12
    assert [c.name for c in past.criteria.all()] == [
        "Relevance to the workstreams",
        "Clear benefit to London's public sector and residents",
        "Compatibility with ethical standards",
        "Achievability of tangible results within a year",
    ]
    # Every proposal is scored on every criterion, with a reason.
    assert Assessment.objects.filter(proposal__call=past).count() == 18 * 4
    assert not Assessment.objects.filter(rationale="").exists()
    # Every core member's lead voted last year (23 then: 4 joined since); some have voted this
    # year, Barnet not yet.
    assert past.ballots.count() == len(core_member_ids(on=past.voting_closes_on)) == 23
    assert 0 < current.ballots.count() < len(core_member_ids(on=current.voting_closes_on))
    assert not current.ballots.filter(organisation__slug="barnet").exists()
    assert past.results_published_at.date() == past.voting_closes_on + datetime.timedelta(days=7)


def test_the_demos_supporters_have_confirmed_but_barnet_is_still_to_answer(db, members):
    assert Support.objects.filter(state=SupportState.CONFIRMED).count() > 10
    awaiting = Support.objects.filter(state=SupportState.AWAITING)
    assert [(s.organisation.slug, s.proposal.call.title) for s in awaiting] == [
        ("barnet", "Call for ideas 2026")
    ]
    assert not Support.objects.filter(state=SupportState.DECLINED).exists()


# Words a reason about each criterion cannot avoid.
CRITERION_WORDS = {
    "Relevance to the workstreams": ("workstream",),
    "Clear benefit to London's public sector and residents": ("benefit", "gain", "saving"),
    "Compatibility with ethical standards": (
        "ethic",
        "data protection",
        "personal data",
        "fair",
        "bias",
        "accessib",
    ),
    "Achievability of tangible results within a year": (
        "within a year",
        "twelve months",
        "within the year",
        "first year",
        "cycles",
        "in months",
    ),
}


def test_every_assessment_reason_is_about_its_criterion_and_its_proposal(db, members):
    assessments = list(Assessment.objects.select_related("criterion", "proposal"))
    assert len(assessments) == 30 * 4
    for assessment in assessments:
        text = assessment.rationale.lower()
        words = CRITERION_WORDS[assessment.criterion.name]
        assert any(word in text for word in words), (assessment.criterion.name, text)
        # Named for its idea: one of the idea's telling words appears in the reason.
        telling = [w for w in assessment.proposal.title.lower().split() if len(w) > 4]
        assert any(w[:5] in text for w in telling), (assessment.proposal.title, text)
    # Reasons vary: a criterion's reasons are not one sentence for every proposal.
    for name in CRITERION_WORDS:
        reasons = {a.rationale for a in assessments if a.criterion.name == name}
        assert len(reasons) > 20


def test_the_demo_is_deterministic_for_a_seed(db, members):
    first = fingerprint()
    clear()
    build(7)
    assert fingerprint() == first
    clear()
    build(8)
    assert fingerprint() != first


def test_the_published_selection_is_the_best_set_within_the_budget_and_capacity(db, members):
    past = Call.objects.get(title="Call for ideas 2025")
    results = list(SelectionResult.objects.filter(call=past).select_related("proposal"))
    chosen = [r for r in results if r.selected]
    assert chosen
    assert sum(r.proposal.estimated_cost for r in chosen) <= past.budget
    assert sum(r.proposal.chunks for r in chosen) <= past.capacity_chunks
    assert [r for r in results if r.override] == []
    # No affordable set of the 18 proposals scores more: all 2**18 sets, checked at once.
    n = len(results)
    sets = (np.arange(2**n)[:, None] >> np.arange(n)) & 1
    costs = np.array([int(r.proposal.estimated_cost) for r in results])
    chunks = np.array([r.proposal.chunks for r in results])
    scores = np.array([r.combined for r in results])
    affordable = (sets @ costs <= past.budget) & (sets @ chunks <= past.capacity_chunks)
    assert (sets[affordable] @ scores).max() == pytest.approx(sum(r.combined for r in chosen))
    outcome = selectors.results_for(user=None, call=past)
    assert outcome.optimiser.score >= outcome.greedy.score - 1e-9


def test_the_demo_calls_pages_render_for_their_readers(db, members, client):
    from loti.members.models import Person

    past = Call.objects.get(title="Call for ideas 2025")
    current = Call.objects.get(title="Call for ideas 2026")
    public = client.get(f"/portfolio/rounds/{past.slug}/results/")
    assert public.status_code == 200
    assert "Against the greedy rule" in public.content.decode()
    client.force_login(Person.objects.get(email="barnet.lead@loti.example"))
    ballot = client.get(f"/portfolio/rounds/{current.slug}/ballot/")
    assert ballot.status_code == 200
    assert "Spread all 10 points" in ballot.content.decode()
    detail = client.get(current.get_absolute_url()).content.decode()
    assert "Vote for your organisation" in detail
