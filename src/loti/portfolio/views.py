"""Pages of calls for ideas: workstreams, rounds, proposals and their assessment. Voting and
the selection are in ballot_views."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from loti.core.access import office_only, require
from loti.core.pages import form_page, save_form
from loti.core.permissions import Action, Data, can, is_office
from loti.portfolio import selectors, services
from loti.portfolio.forms import AssessmentForm, ProposalForm, RoundForm, WorkstreamForm
from loti.portfolio.models import RoundState


def today() -> datetime.date:
    return timezone.localdate()


def crumbs(*extra: tuple[str, str]) -> list[tuple[str, str]]:
    return [("Calls for ideas", reverse("portfolio:rounds")), *extra]


def round_crumbs(round_) -> list[tuple[str, str]]:
    return crumbs((round_.title, round_.get_absolute_url()))


@require_GET
def workstreams(request):
    return render(
        request,
        "portfolio/workstream_list.html",
        {
            "workstreams": selectors.workstream_list(),
            "can_manage": can(request.user, Data.PROJECTS, Action.WRITE),
        },
    )


def _workstream_page(request, form, *, title: str, save, success: str):
    saved = save_form(
        request,
        form,
        save=save,
        success=lambda workstream: success.format(name=workstream.name),
        then=lambda _: reverse("portfolio:workstreams"),
    )
    return saved or form_page(
        request,
        form,
        title=title,
        cancel_url=reverse("portfolio:workstreams"),
        breadcrumbs=[("Workstreams", reverse("portfolio:workstreams"))],
    )


@require(Data.PROJECTS, Action.WRITE)
@require_http_methods(["GET", "POST"])
def workstream_create(request):
    return _workstream_page(
        request,
        WorkstreamForm(request.POST or None),
        title="Add a workstream",
        save=lambda data: services.workstream_create(actor=request.user, **data),
        success="{name} has been added.",
    )


@require(Data.PROJECTS, Action.WRITE)
@require_http_methods(["GET", "POST"])
def workstream_edit(request, slug):
    workstream = selectors.workstream_for(slug=slug)
    initial = {name: getattr(workstream, name) for name in WorkstreamForm.base_fields}
    return _workstream_page(
        request,
        WorkstreamForm(request.POST or None, initial=initial),
        title=f"Change {workstream.name}",
        save=lambda data: services.workstream_update(
            actor=request.user, workstream=workstream, **data
        ),
        success="{name} has been updated.",
    )


@require_GET
def rounds(request):
    day = today()
    return render(
        request,
        "portfolio/round_list.html",
        {
            "rounds": [(r, r.state(day)) for r in selectors.round_list(user=request.user)],
            "members_view": selectors.reads_rounds(request.user),
            "can_create": is_office(request.user),
        },
    )


def _round_for_page(request, slug):
    """A round for its page: members and the office see any; everyone else only one with
    published results. An anonymous visitor to any other is asked to sign in."""
    try:
        return selectors.round_for(user=request.user, slug=slug)
    except Http404:
        if not request.user.is_authenticated:
            return None
        raise


@require_GET
def round_detail(request, slug):
    round_ = _round_for_page(request, slug)
    if round_ is None:
        return redirect_to_login(request.get_full_path())
    day = today()
    state = round_.state(day)
    context: dict[str, Any] = {
        "round": round_,
        "state": state,
        "states": RoundState,
        "criteria": selectors.criteria(round_),
        "members_view": selectors.reads_rounds(request.user),
        "is_office": is_office(request.user),
        "breadcrumbs": crumbs(),
    }
    if context["members_view"]:
        context |= {
            "proposals": selectors.proposal_list(user=request.user, round_=round_),
            "may_propose": state == RoundState.PROPOSING
            and can(request.user, Data.ROUNDS, Action.WRITE),
            "may_vote": state == RoundState.VOTING
            and services.may_vote(actor=request.user, round_=round_),
            "ballot": selectors.ballot_for(user=request.user, round_=round_),
            "ballot_count": selectors.ballot_count(round_=round_, today=day),
            "criteria_locked": round_.voting_started(day),
        }
    return render(request, "portfolio/round_detail.html", context)


def _round_form_page(request, form, *, title, cancel_url, breadcrumbs, save, success):
    saved = save_form(
        request,
        form,
        save=save,
        success=success,
        then=lambda round_: round_.get_absolute_url(),
    )
    return saved or render(
        request,
        "portfolio/round_form.html",
        {"form": form, "title": title, "cancel_url": cancel_url, "breadcrumbs": breadcrumbs},
    )


@require(Data.ROUNDS, Action.WRITE)
@require_http_methods(["GET", "POST"])
def round_create(request):
    office_only(request)
    form = RoundForm(request.POST or None)
    return _round_form_page(
        request,
        form,
        title="Open a call for ideas",
        cancel_url=reverse("portfolio:rounds"),
        breadcrumbs=crumbs(),
        save=lambda data: services.round_create(
            actor=request.user, criteria=data["criteria"], **form.round_fields()
        ),
        success=lambda round_: f"{round_.title} has been created.",
    )


@require(Data.ROUNDS, Action.WRITE)
@require_http_methods(["GET", "POST"])
def round_edit(request, slug):
    office_only(request)
    round_ = selectors.round_for(user=request.user, slug=slug)
    day = today()
    initial = {
        name: getattr(round_, name)
        for name in RoundForm.base_fields
        if not name.startswith("criterion_")
    }
    initial |= RoundForm.criteria_initial(round_.criteria.all())
    form = RoundForm(
        request.POST or None, initial=initial, criteria_locked=round_.voting_started(day)
    )
    return _round_form_page(
        request,
        form,
        title=f"Change {round_.title}",
        cancel_url=round_.get_absolute_url(),
        breadcrumbs=round_crumbs(round_),
        save=lambda data: services.round_update(
            actor=request.user,
            round_=round_,
            today=day,
            criteria=data["criteria"],
            **form.round_fields(),
        ),
        success=lambda round_: f"{round_.title} has been updated.",
    )


def _posted_initial(request) -> dict[str, Any]:
    """What was typed, as a form's initial values: to show it again without judging it."""
    return {
        key: request.POST.getlist(key) if key == "supporters" else request.POST.get(key)
        for key in request.POST
        if key != "csrfmiddlewaretoken"
    }


def _similar_text(request) -> str:
    return " ".join(request.POST.get(name, "") for name in ("title", "problem", "outcome"))


SIMILAR_TEXT_LIMIT = 4000


@require(Data.ROUNDS)
@require_GET
def similar(request):
    """The similar-work list for what has been typed so far: the proposal form's script
    fetches it while its reader types."""
    try:
        exclude = int(request.GET.get("exclude", ""))
    except ValueError:
        exclude = None
    text = request.GET.get("text", "")[:SIMILAR_TEXT_LIMIT]
    return render(
        request,
        "portfolio/proposal_similar.html",
        {"similar": selectors.similar_work(text=text, exclude_proposal=exclude)},
    )


def _proposal_page(
    request, *, form, title, round_, breadcrumbs, cancel_url, similar, submit, exclude=None
):
    return render(
        request,
        "portfolio/proposal_form.html",
        {
            "form": form,
            "title": title,
            "round": round_,
            "similar": similar,
            "checked": similar is not None,
            "breadcrumbs": breadcrumbs,
            "cancel_url": cancel_url,
            "submit_label": submit,
            "exclude": exclude,
        },
    )


CHECK = "similar"


@require(Data.ROUNDS, Action.WRITE)
@require_http_methods(["GET", "POST"])
def proposal_create(request, slug):
    round_ = selectors.round_for(user=request.user, slug=slug)
    day = today()
    if round_.state(day) != RoundState.PROPOSING:
        messages.error(request, f"{round_.title} is not open for proposals.")
        return redirect(round_)
    organisations = selectors.proposer_organisations(user=request.user)
    similar = None
    if request.POST.get("action") == CHECK:
        # "Check for similar work": show the form again with what was typed, saving nothing.
        form = ProposalForm(initial=_posted_initial(request), organisations=organisations)
        similar = selectors.similar_work(text=_similar_text(request))
    else:
        form = ProposalForm(request.POST or None, organisations=organisations)
        saved = save_form(
            request,
            form,
            save=lambda _: services.proposal_create(
                actor=request.user, round_=round_, today=day, **form.proposal_fields()
            ),
            success=lambda proposal: f"Your proposal “{proposal.title}” has been submitted.",
            then=lambda proposal: proposal.get_absolute_url(),
        )
        if saved:
            return saved
        if request.method == "POST":
            similar = selectors.similar_work(text=_similar_text(request))
    return _proposal_page(
        request,
        form=form,
        title="Propose an idea",
        round_=round_,
        breadcrumbs=round_crumbs(round_),
        cancel_url=round_.get_absolute_url(),
        similar=similar,
        submit="Submit proposal",
    )


@require(Data.ROUNDS)
@require_GET
def proposal_detail(request, pk):
    proposal = selectors.proposal_for(user=request.user, pk=pk)
    day = today()
    state = proposal.round.state(day)
    editable_states = {RoundState.PROPOSING}
    if is_office(request.user):
        editable_states.add(RoundState.ASSESSING)
    return render(
        request,
        "portfolio/proposal_detail.html",
        {
            "proposal": proposal,
            "state": state,
            "scored": selectors.assessments(user=request.user, proposal=proposal),
            "can_edit": state in editable_states
            and can(request.user, Data.ROUNDS, Action.WRITE, proposal.organisation_id),
            "can_assess": is_office(request.user) and proposal.round.selection_run_at is None,
            "similar": selectors.similar_work(
                text=f"{proposal.title} {proposal.problem} {proposal.outcome}",
                exclude_proposal=proposal.pk,
            ),
            "breadcrumbs": round_crumbs(proposal.round),
        },
    )


PROPOSAL_FIELDS = (
    "title",
    "problem",
    "outcome",
    "type",
    "workstream",
    "estimated_cost",
    "chunks",
    "ethical_considerations",
)


@require(Data.ROUNDS, Action.WRITE)
@require_http_methods(["GET", "POST"])
def proposal_edit(request, pk):
    proposal = selectors.proposal_for(user=request.user, pk=pk, action=Action.WRITE)
    organisations = selectors.proposer_organisations(user=request.user).filter(
        pk=proposal.organisation_id
    )
    initial = {name: getattr(proposal, name) for name in PROPOSAL_FIELDS}
    initial["supporters"] = list(proposal.supporters.all())
    similar = None
    if request.POST.get("action") == CHECK:
        form = ProposalForm(initial=_posted_initial(request), organisations=organisations)
        similar = selectors.similar_work(text=_similar_text(request), exclude_proposal=proposal.pk)
    else:
        form = ProposalForm(request.POST or None, initial=initial, organisations=organisations)
        saved = save_form(
            request,
            form,
            save=lambda _: services.proposal_update(
                actor=request.user, proposal=proposal, today=today(), **form.proposal_fields()
            ),
            success=lambda _: f"“{proposal.title}” has been updated.",
            then=lambda _: proposal.get_absolute_url(),
        )
        if saved:
            return saved
    return _proposal_page(
        request,
        form=form,
        title=f"Change {proposal.title}",
        round_=proposal.round,
        breadcrumbs=round_crumbs(proposal.round),
        cancel_url=proposal.get_absolute_url(),
        similar=similar,
        submit="Save changes",
        exclude=proposal.pk,
    )


@require(Data.ROUNDS, Action.WRITE)
@require_http_methods(["GET", "POST"])
def proposal_assess(request, pk):
    office_only(request)
    proposal = selectors.proposal_for(user=request.user, pk=pk, action=Action.WRITE)
    scored = selectors.assessments(user=request.user, proposal=proposal)
    form = AssessmentForm.for_criteria(
        proposal.round.criteria.all(),
        request.POST or None,
        initial=AssessmentForm.initial_for(scored.rows),
    )
    saved = save_form(
        request,
        form,
        save=lambda _: services.assessment_set(
            actor=request.user, proposal=proposal, scores=form.scores()
        ),
        success=lambda _: f"Your assessment of “{proposal.title}” has been saved.",
        then=lambda _: proposal.get_absolute_url(),
    )
    return saved or render(
        request,
        "portfolio/proposal_assess.html",
        {
            "form": form,
            "proposal": proposal,
            "scored": scored,
            "breadcrumbs": [
                *round_crumbs(proposal.round),
                (proposal.title, proposal.get_absolute_url()),
            ],
        },
    )
