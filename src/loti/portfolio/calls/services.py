"""Writes for calls for ideas: workstreams, calls and their criteria, proposals, assessments,
ballots and the selection. Each goes through the audit trail, except a ballot's choices,
which stay secret (the trail records that a ballot was cast, not how), and the selection's
per-proposal results, which are written together (the trail records the run on the call,
and every override on its result)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from loti.core import audit
from loti.core.models import AuditEntry
from loti.core.money import money
from loti.core.permissions import Action, Data, Role, can, is_office, role_of
from loti.core.slugs import unique_slug
from loti.core.text import join_words
from loti.members import selectors as member_selectors
from loti.portfolio.calls import selection, voting
from loti.portfolio.calls.models import (
    Assessment,
    Ballot,
    BallotChoice,
    Call,
    CallState,
    Criterion,
    Proposal,
    SelectionResult,
    Support,
    SupportState,
)
from loti.portfolio.calls.selectors import criteria_scores, whole_pounds_budget, whole_pounds_cost

if TYPE_CHECKING:
    from loti.members.models import Organisation

MAX_CRITERIA = 6


def _office(actor: Any) -> None:
    # No actor is the system itself (the demo, commands), which may do what the office does.
    if actor is not None and not is_office(actor):
        raise PermissionDenied


@transaction.atomic
def call_create(*, actor: Any, criteria: Sequence[Mapping[str, Any]], **fields: Any) -> Call:
    """Open a call for ideas with its published criteria (name, description, weight)."""
    _office(actor)
    if not criteria:
        raise ValidationError("Add at least one criterion")
    call = Call(slug=unique_slug(Call, fields.get("title", "")), **fields)
    audit.create(actor=actor, obj=call)
    _criteria_write(actor=actor, call=call, criteria=criteria)
    return call


@transaction.atomic
def call_update(
    *,
    actor: Any,
    call: Call,
    today: datetime.date,
    criteria: Sequence[Mapping[str, Any]] | None = None,
    **fields: Any,
) -> Call:
    """Change a call. Its criteria are fixed once voting has started: members vote knowing
    how proposals were scored."""
    _office(actor)
    if call.results_published_at is not None:
        raise ValidationError("This call's results are published: it can no longer be changed")
    audit.update(actor=actor, obj=call, **fields)
    if criteria is not None:
        if not criteria:
            raise ValidationError("Add at least one criterion")
        current = [
            {"name": c.name, "description": c.description, "weight": c.weight}
            for c in call.criteria.all()
        ]
        wanted = [
            {"name": c["name"], "description": c.get("description", ""), "weight": c["weight"]}
            for c in criteria
        ]
        if current != wanted:
            if call.voting_started(today):
                raise ValidationError("The criteria cannot be changed once voting has started")
            _criteria_write(actor=actor, call=call, criteria=criteria)
    return call


def _criteria_write(*, actor: Any, call: Call, criteria: Sequence[Mapping[str, Any]]) -> None:
    """Make the call's criteria these, in this order, keeping the assessments of criteria
    that stay in their place."""
    if len(criteria) > MAX_CRITERIA:
        raise ValidationError(f"A call can have at most {MAX_CRITERIA} criteria")
    names = [c["name"].strip().lower() for c in criteria]
    if len(set(names)) != len(names):
        raise ValidationError("Give each criterion a different name")
    existing = list(call.criteria.all())
    for criterion in existing[len(criteria) :]:
        audit.delete(actor=actor, obj=criterion)
    kept = existing[: len(criteria)]
    # Names are unique within a call: park the kept ones under names no person types, so
    # that two criteria may swap names. The copies in memory keep the old names, which the
    # audit trail compares against.
    for criterion in kept:
        Criterion.objects.filter(pk=criterion.pk).update(name=f"\x1f{criterion.pk}")
    for order, (data, criterion) in enumerate(
        zip(criteria, kept + [None] * (len(criteria) - len(kept)), strict=True)
    ):
        values = {
            "name": data["name"].strip(),
            "description": data.get("description", ""),
            "weight": data["weight"],
            "order": order,
        }
        if criterion is None:
            audit.create(actor=actor, obj=Criterion(call=call, **values))
        else:
            audit.update(actor=actor, obj=criterion, **values)


def _not_open(call: Call, today: datetime.date) -> str:
    if today < call.proposals_open_on:
        return f"proposals open on {call.proposals_open_on:%-d %B %Y}"
    return f"proposals closed on {call.proposals_close_on:%-d %B %Y}"


def _check_proposer(actor: Any, organisation: Organisation) -> None:
    if actor is not None and not can(actor, Data.CALLS, Action.WRITE, organisation.pk):
        raise PermissionDenied


def _supporters(organisation: Organisation, supporters: Iterable[Organisation]) -> list:
    chosen = list(supporters)
    if any(o.pk == organisation.pk for o in chosen):
        raise ValidationError(
            {"supporters": "The proposing organisation cannot also be a supporting one"}
        )
    return chosen


@transaction.atomic
def proposal_create(
    *,
    actor: Any,
    call: Call,
    organisation: Organisation,
    today: datetime.date,
    supporters: Iterable[Organisation] = (),
    **fields: Any,
) -> Proposal:
    """Propose an idea for `organisation` (a member's own; the office, any) while the call
    is open for proposals."""
    _check_proposer(actor, organisation)
    if call.state(today) != CallState.PROPOSING:
        raise ValidationError(f"{call.title} is not open for proposals: {_not_open(call, today)}")
    chosen = _supporters(organisation, supporters)
    proposal = Proposal(
        call=call,
        organisation=organisation,
        proposer=actor if getattr(actor, "pk", None) else None,
        **fields,
    )
    audit.create(actor=actor, obj=proposal)
    _supports_set(actor=actor, proposal=proposal, organisations=chosen)
    return proposal


@transaction.atomic
def proposal_update(
    *,
    actor: Any,
    proposal: Proposal,
    today: datetime.date,
    supporters: Iterable[Organisation] | None = None,
    **fields: Any,
) -> Proposal:
    """Members change their organisation's proposal while the call is open for proposals;
    the office may correct one until voting opens."""
    _check_proposer(actor, proposal.organisation)
    state = proposal.call.state(today)
    allowed = (
        {CallState.PROPOSING, CallState.ASSESSING} if is_office(actor) else {CallState.PROPOSING}
    )
    if state not in allowed:
        raise ValidationError(
            "This proposal can no longer be changed: " + _not_open(proposal.call, today)
        )
    fields.pop("organisation", None)
    audit.update(actor=actor, obj=proposal, **fields)
    if supporters is not None:
        _supports_set(
            actor=actor,
            proposal=proposal,
            organisations=_supporters(proposal.organisation, supporters),
        )
    return proposal


def _supports_set(*, actor: Any, proposal: Proposal, organisations: list) -> None:
    """Name these organisations, and no others, as the proposal's supporters. One newly
    named awaits its own confirmation; one named before keeps its answer."""
    wanted = {o.pk: o for o in organisations}
    current = {s.organisation_id: s for s in Support.objects.filter(proposal=proposal)}
    for pk, support in current.items():
        if pk not in wanted:
            audit.delete(actor=actor, obj=support)
    for pk, organisation in wanted.items():
        if pk not in current:
            audit.create(actor=actor, obj=Support(proposal=proposal, organisation=organisation))


def may_answer_support(*, actor: Any, support: Support) -> bool:
    """Only the supporting organisation's own lead or officers answer for it: not the
    proposer, not another organisation and not the office."""
    return (
        getattr(actor, "is_authenticated", False)
        and role_of(actor) in {Role.LEAD, Role.OFFICER}
        and actor.organisation_id == support.organisation_id
    )


def _support_answer(
    *, actor: Any, support: Support, state: SupportState, today: datetime.date
) -> Support:
    if not may_answer_support(actor=actor, support=support):
        raise PermissionDenied
    call = support.proposal.call
    if call.voting_closed(today):
        raise ValidationError(
            f"Support can no longer be changed: voting closed on {call.voting_closes_on:%-d %B %Y}"
        )
    return audit.update(
        actor=actor, obj=support, state=state, decided_by=actor, decided_at=timezone.now()
    )


def proposal_support_confirm(*, actor: Any, support: Support, today: datetime.date) -> Support:
    """The named organisation confirms it supports the proposal: from now it is shown and
    counted as a supporter."""
    return _support_answer(actor=actor, support=support, state=SupportState.CONFIRMED, today=today)


def proposal_support_decline(*, actor: Any, support: Support, today: datetime.date) -> Support:
    """The named organisation says it does not support the proposal: it is not shown as a
    supporter (the proposer sees that it declined)."""
    return _support_answer(actor=actor, support=support, state=SupportState.DECLINED, today=today)


@transaction.atomic
def assessment_set(
    *,
    actor: Any,
    proposal: Proposal,
    scores: Mapping[Criterion, tuple[int, str]],
) -> list[Assessment]:
    """Score a proposal on its call's criteria: {criterion: (score 1-5, rationale)}."""
    _office(actor)
    if proposal.call.selection_run_at is not None:
        raise ValidationError("The selection has been run: assessments can no longer be changed")
    saved = []
    for criterion, (score, rationale) in scores.items():
        if criterion.call_id != proposal.call_id:
            raise ValidationError("Score the proposal on its own call's criteria")
        current = Assessment.objects.filter(proposal=proposal, criterion=criterion).first()
        if current is None:
            saved.append(
                audit.create(
                    actor=actor,
                    obj=Assessment(
                        proposal=proposal,
                        criterion=criterion,
                        score=score,
                        rationale=rationale,
                        assessor=actor,
                    ),
                )
            )
        else:
            saved.append(
                audit.update(
                    actor=actor, obj=current, score=score, rationale=rationale, assessor=actor
                )
            )
    return saved


def may_vote(*, actor: Any, call: Call) -> bool:
    """Is `actor` the lead of an organisation that is a core member in the financial year
    the call's voting closes in?"""
    return (
        role_of(actor) == Role.LEAD
        and can(actor, Data.BALLOTS, Action.WRITE, actor.organisation_id)
        and member_selectors.is_core_member(
            organisation_id=actor.organisation_id, on=call.voting_closes_on
        )
    )


def ballot_cast(
    *, actor: Any, call: Call, choices: Mapping[int, int], today: datetime.date
) -> Ballot:
    """Cast (or replace) the actor's organisation's ballot: {proposal id: points, or 1}.

    One ballot per organisation per call, even when the same lead submits from two tabs at
    once: the call's row is locked for the write (PostgreSQL), and the database's unique
    constraint turns a lost race into an update of the ballot that won it.
    """
    if not may_vote(actor=actor, call=call):
        raise PermissionDenied
    if call.state(today) != CallState.VOTING:
        raise ValidationError(f"Voting in {call.title} is not open")
    proposals = {
        p.pk: whole_pounds_cost(p.estimated_cost)
        for p in Proposal.objects.filter(call=call).only("pk", "estimated_cost")
    }
    try:
        voting.check_ballot(
            method=call.method,
            choices=dict(choices),
            points=call.points,
            approvals_max=call.approvals_max,
            costs=proposals,
            budget=whole_pounds_budget(call.budget),
        )
    except voting.BallotError as error:
        raise ValidationError(str(error)) from error
    with transaction.atomic():
        # Ballots of one call are written one at a time (the call's row is locked).
        Call.objects.select_for_update().filter(pk=call.pk).first()
        ballot = Ballot.objects.filter(call=call, organisation_id=actor.organisation_id).first()
        created = False
        if ballot is None:
            ballot = Ballot(
                call=call,
                organisation_id=actor.organisation_id,
                cast_by=actor,
                cast_at=timezone.now(),
            )
            ballot.full_clean(validate_constraints=False)
            try:
                with transaction.atomic():
                    ballot.save()
                created = True
            except IntegrityError:
                ballot = Ballot.objects.get(call=call, organisation_id=actor.organisation_id)
        if created:
            audit.record(actor=actor, action=AuditEntry.Action.CREATE, obj=ballot)
        else:
            before = audit.snapshot(ballot)
            ballot.cast_by, ballot.cast_at = actor, timezone.now()
            ballot.save(update_fields=["cast_by", "cast_at"])
            audit.record(actor=actor, action=AuditEntry.Action.UPDATE, obj=ballot, before=before)
        ballot.choices.all().delete()
        BallotChoice.objects.bulk_create(
            BallotChoice(ballot=ballot, proposal_id=proposal_id, value=value)
            for proposal_id, value in sorted(choices.items())
            if value
        )
    return ballot


def _ballots(call: Call) -> list[dict[int, int]]:
    ballots: dict[int, dict[int, int]] = {}
    for ballot_id, proposal_id, value in BallotChoice.objects.filter(ballot__call=call).values_list(
        "ballot_id", "proposal_id", "value"
    ):
        ballots.setdefault(ballot_id, {})[proposal_id] = value
    return [ballots[pk] for pk in sorted(ballots)]


@transaction.atomic
def selection_run(*, actor: Any, call: Call, today: datetime.date) -> list[SelectionResult]:
    """Combine vote shares and criteria scores and choose the best set of proposals within
    the budget and the capacity, exactly; record the greedy rule's choice beside it and why
    each other proposal was not chosen. Overrides already made are kept."""
    _office(actor)
    _lock(call)
    if call.results_published_at is not None:
        raise ValidationError("The results are published: the selection cannot be run again")
    if not call.voting_closed(today):
        raise ValidationError("The selection can be run once voting has closed")
    proposals = list(Proposal.objects.filter(call=call).order_by("pk"))
    if not proposals:
        raise ValidationError("There are no proposals to choose from")
    shares = voting.vote_shares(method=call.method, ballots=_ballots(call))
    scores = criteria_scores(call)
    combined = selection.combined_scores(
        vote_shares=shares,
        criteria_scores={pk: s for pk, s in scores.items() if s is not None},
        vote_weight=float(call.vote_weight),
    )
    candidates = [
        selection.Candidate(
            key=p.pk,
            value=combined.get(p.pk, 0.0),
            cost=whole_pounds_cost(p.estimated_cost),
            chunks=p.chunks,
        )
        for p in proposals
    ]
    budget, capacity = whole_pounds_budget(call.budget), call.capacity_chunks
    best = selection.choose(candidates, budget=budget, capacity=capacity)
    greedy = selection.greedy(candidates, budget=budget, capacity=capacity)
    reasons = selection.rejection_reasons(
        candidates,
        best.chosen,
        budget=budget,
        capacity=capacity,
        names={p.pk: p.title for p in proposals},
    )
    overrides = {r.proposal_id: r for r in SelectionResult.objects.filter(call=call)}
    SelectionResult.objects.filter(call=call).delete()
    results = []
    for proposal in proposals:
        kept = overrides.get(proposal.pk)
        chosen = proposal.pk in best.chosen
        override = kept.override if kept else SelectionResult.Override.NONE
        result = SelectionResult(
            call=call,
            proposal=proposal,
            vote_share=min(max(shares.get(proposal.pk, 0.0), 0.0), 1.0),
            criteria_score=scores[proposal.pk],
            combined=combined.get(proposal.pk, 0.0),
            chosen_by_optimiser=chosen,
            chosen_by_greedy=proposal.pk in greedy.chosen,
            selected=_selected(chosen, override),
            reason=reasons.get(proposal.pk, ""),
            override=override,
            override_reason=kept.override_reason if kept else "",
            overridden_by=kept.overridden_by if kept else None,
            overridden_at=kept.overridden_at if kept else None,
        )
        result.full_clean(exclude=["call", "proposal"])
        results.append(result)
    SelectionResult.objects.bulk_create(results)
    audit.update(actor=actor, obj=call, selection_run_at=timezone.now())
    return results


def _lock(call: Call) -> None:
    """Lock the call's row until the transaction ends (PostgreSQL), and read it afresh: two
    of the office running, overriding or publishing at once take turns."""
    Call.objects.select_for_update().filter(pk=call.pk).first()
    call.refresh_from_db()


def _selected(chosen: bool, override: str) -> bool:
    if override == SelectionResult.Override.INCLUDE:
        return True
    if override == SelectionResult.Override.EXCLUDE:
        return False
    return chosen


@transaction.atomic
def selection_override(
    *,
    actor: Any,
    result: SelectionResult,
    override: str,
    reason: str = "",
    accept_over_limits: bool = False,
) -> SelectionResult:
    """Include or exclude a proposal against the optimiser's choice, with a reason that is
    published with the results; `override=""` returns it to the optimiser's choice.
    Including a proposal that takes the selection over the budget or the capacity needs
    `accept_over_limits`."""
    _office(actor)
    call = result.call
    _lock(call)
    if call.results_published_at is not None:
        raise ValidationError("The results are published: they can no longer be changed")
    if override and not reason.strip():
        raise ValidationError({"reason": "Enter the reason for the override"})
    selected = _selected(result.chosen_by_optimiser, override)
    if selected and not result.selected and not accept_over_limits:
        others = (
            SelectionResult.objects.filter(call=call, selected=True)
            .exclude(pk=result.pk)
            .select_related("proposal")
        )
        cost = sum(whole_pounds_cost(r.proposal.estimated_cost) for r in others)
        chunks = sum(r.proposal.chunks for r in others)
        cost += whole_pounds_cost(result.proposal.estimated_cost)
        chunks += result.proposal.chunks
        budget = whole_pounds_budget(call.budget)
        problems = []
        if cost > budget:
            problems.append(f"{money(cost - budget)} over the {money(budget)} budget")
        if chunks > call.capacity_chunks:
            problems.append(
                f"{chunks - call.capacity_chunks} chunks over the capacity of "
                f"{call.capacity_chunks}"
            )
        if problems:
            raise ValidationError(
                {
                    "accept_over_limits": "Including it takes the selection "
                    + join_words(problems)
                    + ". Tick the box to confirm you accept this"
                }
            )
    return audit.update(
        actor=actor,
        obj=result,
        override=override,
        override_reason=reason.strip() if override else "",
        overridden_by=actor if override else None,
        overridden_at=timezone.now() if override else None,
        selected=selected,
    )


@transaction.atomic
def results_publish(*, actor: Any, call: Call, today: datetime.date) -> Call:
    _office(actor)
    _lock(call)
    if call.results_published_at is not None:
        raise ValidationError("The results are already published")
    if call.selection_run_at is None:
        raise ValidationError("Run the selection before publishing the results")
    return audit.update(actor=actor, obj=call, results_published_at=timezone.now())
