"""Pages of a call's vote and selection: a member lead's ballot, running the selection,
the results, the office's overrides and publishing the results."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse

from loti.core.access import check_office, methods, require
from loti.core.pages import save_form
from loti.core.permissions import Action, Data, is_office
from loti.members.financial_year import FinancialYear
from loti.portfolio.calls import charts, selectors, services
from loti.portfolio.calls.forms import BallotForm, OverrideForm
from loti.portfolio.calls.models import CallState, VotingMethod
from loti.portfolio.calls.selectors import whole_pounds_budget
from loti.portfolio.calls.views import call_crumbs, today


@require(Data.BALLOTS, Action.WRITE)
@methods("GET", "POST")
def ballot(request, slug):
    call = selectors.call_for(user=request.user, slug=slug)
    day = today()
    context = {"call": call, "breadcrumbs": call_crumbs(call), "methods": VotingMethod}
    if not services.may_vote(actor=request.user, call=call):
        year = FinancialYear.containing(call.voting_closes_on)
        context["refusal"] = (
            f"Only core members in {year} vote in this call, and "
            f"{request.user.organisation.short_name} is not one."
        )
        return render(request, "portfolio/calls/ballot_form.html", context, status=403)
    if call.state(day) != CallState.VOTING:
        context["closed"] = True
        context["ballot"] = selectors.ballot_for(user=request.user, call=call)
        return render(request, "portfolio/calls/ballot_form.html", context)
    proposals = selectors.proposal_list(user=request.user, call=call)
    current = selectors.ballot_for(user=request.user, call=call)
    form = BallotForm.for_call(
        call, proposals, request.POST or None, initial=BallotForm.initial_for(call, current)
    )
    saved = save_form(
        request,
        form,
        save=lambda _: services.ballot_cast(
            actor=request.user, call=call, choices=form.choices(), today=day
        ),
        success=lambda _: (
            f"{request.user.organisation.short_name}'s ballot has been recorded. You can change "
            f"it until voting closes on {call.voting_closes_on:%-d %B %Y}."
        ),
        then=lambda _: call.get_absolute_url(),
    )
    return saved or render(
        request,
        "portfolio/calls/ballot_form.html",
        context | {"form": form, "ballot": current, "budget": whole_pounds_budget(call.budget)},
    )


@require(Data.CALLS, Action.WRITE)
@methods("POST")
def selection_run(request, slug):
    check_office(request.user)
    call = selectors.call_for(user=request.user, slug=slug)
    try:
        services.selection_run(actor=request.user, call=call, today=today())
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(call)
    messages.success(request, "The selection has been run. Check it before publishing it.")
    return redirect("portfolio:results", slug=call.slug)


@methods("GET")
def results(request, slug):
    call = selectors.call_for(user=request.user, slug=slug)
    outcome = selectors.results_for(user=request.user, call=call)
    office = is_office(request.user)
    return render(
        request,
        "portfolio/calls/results.html",
        {
            "call": call,
            "results": outcome,
            "chart": charts.combined_scores_chart(outcome.rows),
            "is_office": office,
            "may_change": office and call.results_published_at is None,
            "may_start_projects": office and call.results_published_at is not None,
            "breadcrumbs": call_crumbs(call),
        },
    )


@require(Data.CALLS, Action.WRITE)
@methods("GET", "POST")
def override(request, slug, pk):
    check_office(request.user)
    call = selectors.call_for(user=request.user, slug=slug)
    result = selectors.result_for(call=call, proposal_pk=pk)
    form = OverrideForm(
        request.POST or None,
        initial={
            "override": result.override or OverrideForm.NONE,
            "reason": result.override_reason,
        },
    )
    saved = save_form(
        request,
        form,
        save=lambda data: services.selection_override(
            actor=request.user,
            result=result,
            override=form.override_value(),
            reason=data["reason"],
            accept_over_limits=data["accept_over_limits"],
        ),
        success=lambda saved: (
            f"“{result.proposal.title}” is now {'selected' if saved.selected else 'not selected'}."
        ),
        then=lambda _: reverse("portfolio:results", args=[call.slug]),
    )
    return saved or render(
        request,
        "portfolio/calls/results_override.html",
        {
            "form": form,
            "call": call,
            "result": result,
            "results": selectors.results_for(user=request.user, call=call),
            "breadcrumbs": call_crumbs(call),
        },
    )


@require(Data.CALLS, Action.WRITE)
@methods("GET", "POST")
def publish(request, slug):
    check_office(request.user)
    call = selectors.call_for(user=request.user, slug=slug)
    outcome = selectors.results_for(user=request.user, call=call)
    if request.method == "POST":
        try:
            services.results_publish(actor=request.user, call=call, today=today())
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"The results of {call.title} are published.")
        return redirect("portfolio:results", slug=call.slug)
    return render(
        request,
        "portfolio/calls/results_publish.html",
        {"call": call, "results": outcome, "breadcrumbs": call_crumbs(call)},
    )
