"""Pages of a round's vote and selection: a member lead's ballot, running the selection,
the results, the office's overrides and publishing the results."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from loti.core.access import office_only, require
from loti.core.pages import save_form
from loti.core.permissions import Action, Data, is_office
from loti.members.financial_year import FinancialYear
from loti.portfolio import charts, selectors, services
from loti.portfolio.forms import BallotForm, OverrideForm
from loti.portfolio.models import RoundState, VotingMethod
from loti.portfolio.views import round_crumbs, today


@require(Data.BALLOTS, Action.WRITE)
@require_http_methods(["GET", "POST"])
def ballot(request, slug):
    round_ = selectors.round_for(user=request.user, slug=slug)
    day = today()
    context = {"round": round_, "breadcrumbs": round_crumbs(round_), "methods": VotingMethod}
    if not services.may_vote(actor=request.user, round_=round_):
        year = FinancialYear.containing(round_.voting_closes_on)
        context["refusal"] = (
            f"Only core members in {year} vote in this round, and "
            f"{request.user.organisation.short_name} is not one."
        )
        return render(request, "portfolio/ballot_form.html", context, status=403)
    if round_.state(day) != RoundState.VOTING:
        context["closed"] = True
        context["ballot"] = selectors.ballot_for(user=request.user, round_=round_)
        return render(request, "portfolio/ballot_form.html", context)
    proposals = selectors.proposal_list(user=request.user, round_=round_)
    current = selectors.ballot_for(user=request.user, round_=round_)
    form = BallotForm.for_round(
        round_, proposals, request.POST or None, initial=BallotForm.initial_for(round_, current)
    )
    saved = save_form(
        request,
        form,
        save=lambda _: services.ballot_cast(
            actor=request.user, round_=round_, choices=form.choices(), today=day
        ),
        success=lambda _: (
            f"{request.user.organisation.short_name}'s ballot has been recorded. You can change "
            f"it until voting closes on {round_.voting_closes_on:%-d %B %Y}."
        ),
        then=lambda _: round_.get_absolute_url(),
    )
    return saved or render(
        request, "portfolio/ballot_form.html", context | {"form": form, "ballot": current}
    )


@require(Data.ROUNDS, Action.WRITE)
@require_POST
def selection_run(request, slug):
    office_only(request)
    round_ = selectors.round_for(user=request.user, slug=slug)
    try:
        services.selection_run(actor=request.user, round_=round_, today=today())
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(round_)
    messages.success(request, "The selection has been run. Check it before publishing it.")
    return redirect("portfolio:results", slug=round_.slug)


@require_GET
def results(request, slug):
    round_ = selectors.round_for(user=request.user, slug=slug)
    outcome = selectors.results_for(user=request.user, round_=round_)
    office = is_office(request.user)
    return render(
        request,
        "portfolio/results.html",
        {
            "round": round_,
            "results": outcome,
            "chart": charts.combined_scores_chart(outcome.rows),
            "is_office": office,
            "may_change": office and round_.results_published_at is None,
            "may_start_projects": office and round_.results_published_at is not None,
            "breadcrumbs": round_crumbs(round_),
        },
    )


@require(Data.ROUNDS, Action.WRITE)
@require_http_methods(["GET", "POST"])
def override(request, slug, pk):
    office_only(request)
    round_ = selectors.round_for(user=request.user, slug=slug)
    result = selectors.result_for(round_=round_, proposal_pk=pk)
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
        then=lambda _: reverse("portfolio:results", args=[round_.slug]),
    )
    return saved or render(
        request,
        "portfolio/results_override.html",
        {
            "form": form,
            "round": round_,
            "result": result,
            "results": selectors.results_for(user=request.user, round_=round_),
            "breadcrumbs": round_crumbs(round_),
        },
    )


@require(Data.ROUNDS, Action.WRITE)
@require_http_methods(["GET", "POST"])
def publish(request, slug):
    office_only(request)
    round_ = selectors.round_for(user=request.user, slug=slug)
    outcome = selectors.results_for(user=request.user, round_=round_)
    if request.method == "POST":
        try:
            services.results_publish(actor=request.user, round_=round_, today=today())
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"The results of {round_.title} are published.")
        return redirect("portfolio:results", slug=round_.slug)
    return render(
        request,
        "portfolio/results_publish.html",
        {"round": round_, "results": outcome, "breadcrumbs": round_crumbs(round_)},
    )
