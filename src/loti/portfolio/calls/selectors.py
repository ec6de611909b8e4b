"""Reads for calls for ideas, each scoped to the acting user.

Members (officers and leads) read every call and proposal; the office reads everything but
ballots. The public, and partners, see a call only once its results are published, and then
only its results. Nobody reads another organisation's ballot, and nobody sees any tally until
voting has closed.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse

from loti.core import search
from loti.core.access import get_for_user
from loti.core.permissions import Action, Data, Role, can, is_office, role_of
from loti.core.proposals import Prefill, ProposalStart
from loti.members import selectors as member_selectors
from loti.portfolio.calls.models import (
    Assessment,
    Ballot,
    Call,
    Criterion,
    Proposal,
    SelectionResult,
    Support,
)

if TYPE_CHECKING:
    from loti.members.models import Organisation

SIMILAR_SHOWN = 5
# What the proposal form offers as similar work: kinds of the one search, by key.
SIMILAR_KINDS = ["proposals", "projects", "library"]


def whole_pounds_cost(amount: Any) -> int:
    """A proposal's cost in whole pounds for the selection, rounded up so that a chosen set
    never costs more than the budget allows."""
    return math.ceil(amount)


def whole_pounds_budget(amount: Any) -> int:
    return math.floor(amount)


def criteria_scores(call: Call) -> dict[int, float | None]:
    """Each proposal's weighted mean score on 1 to 5 over the criteria it was scored on;
    None for a proposal not yet assessed."""
    totals: dict[int, list[float]] = {}
    for proposal_id, score, weight in Assessment.objects.filter(proposal__call=call).values_list(
        "proposal_id", "score", "criterion__weight"
    ):
        weighted, weights = totals.setdefault(proposal_id, [0.0, 0.0])
        totals[proposal_id] = [weighted + score * weight, weights + weight]
    return {
        pk: (totals[pk][0] / totals[pk][1] if pk in totals else None)
        for pk in Proposal.objects.filter(call=call).values_list("pk", flat=True)
    }


def reads_calls(user: Any) -> bool:
    return can(user, Data.CALLS)


def call_list(*, user: Any) -> QuerySet[Call]:
    calls = Call.objects.annotate(proposal_count=Count("proposals"))
    if not reads_calls(user):
        calls = calls.filter(results_published_at__isnull=False)
    return calls


def call_for(*, user: Any, slug: str, published_only: bool = False) -> Call:
    """A call the user may see: any, for members and the office; one with published
    results, for everyone else (or when `published_only`). Otherwise a 404."""
    calls = Call.objects.all()
    if published_only or not reads_calls(user):
        calls = calls.filter(results_published_at__isnull=False)
    return get_object_or_404(calls, slug=slug)


def criteria(call: Call) -> QuerySet[Criterion]:
    """A call's criteria are published with it."""
    return call.criteria.all()


def proposals_seen_by(user: Any) -> QuerySet[Proposal]:
    """The proposals `user` may read, of every call: all of them for members and the office,
    none for partners and the public (who see only a call's published results)."""
    if not reads_calls(user):
        return Proposal.objects.none()
    return Proposal.objects.all()


def proposal_list(*, user: Any, call: Call) -> QuerySet[Proposal]:
    return (
        proposals_seen_by(user)
        .filter(call=call)
        .select_related("organisation", "workstream")
        .prefetch_related("supports__organisation")
        .annotate(assessed=Count("assessments"))
    )


def proposal_for(*, user: Any, pk: int, action: Action = Action.READ) -> Proposal:
    """Members read every proposal and change their own organisation's; the office, any."""
    return get_for_user(
        Proposal.objects.select_related("call", "organisation", "workstream", "proposer"),
        user,
        Data.CALLS,
        action=action,
        pk=pk,
    )


def support_for(*, user: Any, pk: int) -> Support:
    """The user's own organisation's support of proposal `pk`, for its lead or officers to
    answer; a 404 for anyone else, so nobody learns who else was named."""
    organisation_id = getattr(user, "organisation_id", None)
    if organisation_id is None or not reads_calls(user):
        raise Http404
    return get_object_or_404(
        Support.objects.select_related("proposal__call", "proposal__organisation", "organisation"),
        proposal_id=pk,
        organisation_id=organisation_id,
    )


def proposer_organisations(*, user: Any) -> QuerySet[Organisation]:
    """The organisations the user may propose for: their own; the office, any."""
    if is_office(user):
        return member_selectors.organisations()
    if can(user, Data.CALLS, Action.WRITE):
        return member_selectors.organisations(ids=[user.organisation_id])
    return member_selectors.organisations().none()


def proposal_start(*, user: Any, today: datetime.date, prefill: Prefill) -> ProposalStart:
    """Where `user` may start a proposal prefilled with `prefill` (registered with
    `loti.core.proposals` for other apps' pages): the form of the call open for proposals
    that closes first, or why not."""
    if not proposer_organisations(user=user).exists():
        return ProposalStart(
            reason="Only the office and member organisations' leads and officers may propose ideas."
        )
    calls = Call.objects.filter(results_published_at__isnull=True)
    call = (
        calls.filter(proposals_open_on__lte=today, proposals_close_on__gte=today)
        .order_by("proposals_close_on", "pk")
        .first()
    )
    if call is None:
        upcoming = calls.filter(proposals_open_on__gt=today).order_by("proposals_open_on").first()
        reason = "No call for ideas is open for proposals now."
        if upcoming is not None:
            day = upcoming.proposals_open_on
            reason += f" {upcoming.title} opens for proposals on {day.day} {day:%B} {day.year}."
        return ProposalStart(reason=reason)
    url = reverse("portfolio:proposal_create", args=[call.slug])
    return ProposalStart(url=f"{url}?{urlencode(prefill, doseq=True)}", call_title=call.title)


@dataclass(frozen=True)
class Scored:
    """A proposal's assessments, one per criterion (None where not yet scored), and their
    weighted mean on 1 to 5."""

    rows: list[tuple[Criterion, Assessment | None]]
    weighted: float | None

    @property
    def complete(self) -> bool:
        return all(assessment is not None for _, assessment in self.rows)


def assessments(*, user: Any, proposal: Proposal) -> Scored:
    """The office's scores of a proposal: members read them (criteria are published)."""
    if not reads_calls(user):
        raise Http404
    given = {a.criterion_id: a for a in proposal.assessments.select_related("criterion")}
    rows = [(c, given.get(c.pk)) for c in proposal.call.criteria.all()]
    scored = [(c.weight, a.score) for c, a in rows if a is not None]
    weight = sum(w for w, _ in scored)
    return Scored(rows=rows, weighted=sum(w * s for w, s in scored) / weight if weight else None)


def ballot_for(*, user: Any, call: Call) -> Ballot | None:
    """The user's own organisation's ballot in the call, for its lead; None for anyone
    else (not even the office reads a ballot)."""
    if not can(user, Data.BALLOTS, Action.READ, getattr(user, "organisation_id", None)):
        return None
    return (
        Ballot.objects.filter(call=call, organisation_id=user.organisation_id)
        .prefetch_related("choices")
        .first()
    )


def ballot_count(*, call: Call, today: datetime.date) -> int | None:
    """How many organisations voted: told only once voting has closed."""
    if not call.voting_closed(today):
        return None
    return call.ballots.count()


def similar_work(
    *, user: Any, text: str, exclude_proposal: int | None = None
) -> list[dict[str, Any]]:
    """Library resources, proposals (of every call) and projects whose words look like
    `text`, best first, of those `user` may read: so that nobody proposes what has been
    done, proposed or written up already. The kinds are the one search's, ranked together
    by one similarity (`loti.core.search.similar`)."""
    exclude = [f"proposals:{exclude_proposal}"] if exclude_proposal is not None else []
    return [
        {
            "kind": kind.noun,
            "title": hit.title,
            "url": hit.url,
            "context": hit.detail,
            "score": score,
        }
        for kind, hit, score in search.similar(
            user, text, keys=SIMILAR_KINDS, limit=SIMILAR_SHOWN, exclude=exclude
        )
    ]


@dataclass(frozen=True)
class Totals:
    cost: int
    chunks: int
    score: float
    count: int


@dataclass(frozen=True)
class Results:
    """A call's selection as its results page shows it."""

    call: Call
    rows: list[SelectionResult]
    budget: int
    capacity: int
    selected: Totals
    optimiser: Totals
    greedy: Totals
    # Proposals the greedy rule would have chosen and the optimiser did not, and the reverse.
    greedy_only: list[SelectionResult]
    optimiser_only: list[SelectionResult]
    overrides: list[SelectionResult]

    @property
    def over_budget(self) -> int:
        return max(self.selected.cost - self.budget, 0)

    @property
    def over_capacity(self) -> int:
        return max(self.selected.chunks - self.capacity, 0)


def _totals(rows: list[SelectionResult]) -> Totals:
    return Totals(
        cost=sum(whole_pounds_cost(r.proposal.estimated_cost) for r in rows),
        chunks=sum(r.proposal.chunks for r in rows),
        score=sum(r.combined for r in rows),
        count=len(rows),
    )


def results_for(*, user: Any, call: Call) -> Results:
    """The selection of a call: for everyone once published; before that for the office
    only (a 404 for anyone else), and only once it has been run."""
    published = call.results_published_at is not None
    if not (published or (is_office(user) and call.selection_run_at is not None)):
        raise Http404
    rows = list(
        SelectionResult.objects.filter(call=call)
        .select_related("proposal__organisation", "proposal__workstream", "overridden_by")
        .prefetch_related(Prefetch("proposal__supports__organisation"))
    )
    chosen = [r for r in rows if r.chosen_by_optimiser]
    by_greedy = [r for r in rows if r.chosen_by_greedy]
    return Results(
        call=call,
        rows=rows,
        budget=whole_pounds_budget(call.budget),
        capacity=call.capacity_chunks,
        selected=_totals([r for r in rows if r.selected]),
        optimiser=_totals(chosen),
        greedy=_totals(by_greedy),
        greedy_only=[r for r in by_greedy if not r.chosen_by_optimiser],
        optimiser_only=[r for r in chosen if not r.chosen_by_greedy],
        overrides=[r for r in rows if r.override],
    )


def result_for(*, call: Call, proposal_pk: int) -> SelectionResult:
    return get_object_or_404(
        SelectionResult.objects.select_related("proposal"), call=call, proposal_id=proposal_pk
    )


def _voting_on(today: datetime.date) -> QuerySet[Call]:
    return Call.objects.filter(
        voting_opens_on__lte=today, voting_closes_on__gte=today, results_published_at__isnull=True
    ).order_by("voting_closes_on", "title")


@dataclass(frozen=True)
class OpenBallot:
    """A call open for voting in which the user's organisation votes, and whether its ballot
    has been cast (never what it holds)."""

    call: Call
    cast: bool


def ballots_open(*, user: Any, today: datetime.date) -> list[OpenBallot] | None:
    """The calls open for voting today in which the user, a member lead, casts their
    organisation's ballot (it is a core member in the year voting closes); None for anyone
    who casts no ballot."""
    organisation_id = getattr(user, "organisation_id", None)
    if role_of(user) != Role.LEAD or not can(user, Data.BALLOTS, Action.WRITE, organisation_id):
        return None
    calls = list(_voting_on(today))
    members = {
        day: organisation_id in member_selectors.core_member_ids(on=day)
        for day in {call.voting_closes_on for call in calls}
    }
    cast = set(
        Ballot.objects.filter(call__in=calls, organisation_id=organisation_id).values_list(
            "call_id", flat=True
        )
    )
    return [
        OpenBallot(call=call, cast=call.pk in cast)
        for call in calls
        if members[call.voting_closes_on]
    ]


def calls_open_for_proposals(*, user: Any, today: datetime.date) -> QuerySet[Call] | None:
    """Calls taking proposals today, for those who may propose; None for anyone else."""
    if not can(user, Data.CALLS, Action.WRITE) or is_office(user):
        return None
    return Call.objects.filter(
        proposals_open_on__lte=today,
        proposals_close_on__gte=today,
        results_published_at__isnull=True,
    ).order_by("proposals_close_on", "title")


@dataclass(frozen=True)
class Turnout:
    """Which core members have cast a ballot in a call open for voting, and which have not:
    never what any ballot holds."""

    call: Call
    voted: list[str]
    not_voted: list[str]


def ballot_turnout(*, user: Any, today: datetime.date) -> list[Turnout] | None:
    """Turnout of every call open for voting today, for the office (who chase those yet to
    vote); None for anyone else."""
    if not is_office(user):
        return None
    calls = list(_voting_on(today))
    if not calls:
        return []
    voters = {
        day: member_selectors.core_member_ids(on=day) for day in {c.voting_closes_on for c in calls}
    }
    names = dict(
        member_selectors.organisations(ids=set().union(*voters.values())).values_list(
            "pk", "short_name"
        )
    )
    cast: dict[int, set[int]] = {}
    for call_id, organisation_id in Ballot.objects.filter(call__in=calls).values_list(
        "call_id", "organisation_id"
    ):
        cast.setdefault(call_id, set()).add(organisation_id)
    result = []
    for call in calls:
        eligible = voters[call.voting_closes_on]
        voted = cast.get(call.pk, set()) & eligible
        result.append(
            Turnout(
                call=call,
                voted=sorted(names[pk] for pk in voted if pk in names),
                not_voted=sorted(names[pk] for pk in eligible - voted if pk in names),
            )
        )
    return result


def published_results(*, limit: int) -> list[Call]:
    """The calls whose results were published most recently: public."""
    return list(
        Call.objects.filter(results_published_at__isnull=False).order_by(
            "-results_published_at", "title"
        )[:limit]
    )
