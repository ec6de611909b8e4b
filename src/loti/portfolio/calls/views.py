"""Pages of calls for ideas: workstreams, calls, proposals and their assessment. Voting and
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

from loti.core.access import check_office, methods, require
from loti.core.pages import form_page, save_form
from loti.core.permissions import Action, Data, can, is_office
from loti.portfolio.calls import selectors, services
from loti.portfolio.calls.forms import AssessmentForm, CallForm, ProposalForm, SupportForm
from loti.portfolio.calls.models import CallState, SupportState


def today() -> datetime.date:
    return timezone.localdate()


def crumbs(*extra: tuple[str, str]) -> list[tuple[str, str]]:
    return [("Calls for ideas", reverse("portfolio:calls")), *extra]


def call_crumbs(call) -> list[tuple[str, str]]:
    return crumbs((call.title, call.get_absolute_url()))


@methods("GET")
def calls(request):
    day = today()
    return render(
        request,
        "portfolio/calls/call_list.html",
        {
            "calls": [(r, r.state(day)) for r in selectors.call_list(user=request.user)],
            "members_view": selectors.reads_calls(request.user),
            "can_create": is_office(request.user),
        },
    )


def _call_for_page(request, slug):
    """A call for its page: members and the office see any; everyone else only one with
    published results. An anonymous visitor to any other is asked to sign in."""
    try:
        return selectors.call_for(user=request.user, slug=slug)
    except Http404:
        if not request.user.is_authenticated:
            return None
        raise


@methods("GET")
def call_detail(request, slug):
    call = _call_for_page(request, slug)
    if call is None:
        return redirect_to_login(request.get_full_path())
    day = today()
    state = call.state(day)
    context: dict[str, Any] = {
        "call": call,
        "state": state,
        "states": CallState,
        "criteria": selectors.criteria(call),
        "members_view": selectors.reads_calls(request.user),
        "is_office": is_office(request.user),
        "breadcrumbs": crumbs(),
    }
    if context["members_view"]:
        context |= {
            "proposals": selectors.proposal_list(user=request.user, call=call),
            "may_propose": state == CallState.PROPOSING
            and can(request.user, Data.CALLS, Action.WRITE),
            "may_vote": state == CallState.VOTING
            and services.may_vote(actor=request.user, call=call),
            "ballot": selectors.ballot_for(user=request.user, call=call),
            "ballot_count": selectors.ballot_count(call=call, today=day),
            "criteria_locked": call.voting_started(day),
        }
    return render(request, "portfolio/calls/call_detail.html", context)


def _call_form_page(request, form, *, title, cancel_url, breadcrumbs, save, success):
    saved = save_form(
        request,
        form,
        save=save,
        success=success,
        then=lambda call: call.get_absolute_url(),
    )
    return saved or render(
        request,
        "portfolio/calls/call_form.html",
        {"form": form, "title": title, "cancel_url": cancel_url, "breadcrumbs": breadcrumbs},
    )


@require(Data.CALLS, Action.WRITE)
@methods("GET", "POST")
def call_create(request):
    check_office(request.user)
    form = CallForm(request.POST or None)
    return _call_form_page(
        request,
        form,
        title="Open a call for ideas",
        cancel_url=reverse("portfolio:calls"),
        breadcrumbs=crumbs(),
        save=lambda data: services.call_create(
            actor=request.user, criteria=data["criteria"], **form.call_fields()
        ),
        success=lambda call: f"{call.title} has been created.",
    )


@require(Data.CALLS, Action.WRITE)
@methods("GET", "POST")
def call_edit(request, slug):
    check_office(request.user)
    call = selectors.call_for(user=request.user, slug=slug)
    day = today()
    initial = {
        name: getattr(call, name)
        for name in CallForm.base_fields
        if not name.startswith("criterion_")
    }
    initial |= CallForm.criteria_initial(call.criteria.all())
    form = CallForm(request.POST or None, initial=initial, criteria_locked=call.voting_started(day))
    return _call_form_page(
        request,
        form,
        title=f"Change {call.title}",
        cancel_url=call.get_absolute_url(),
        breadcrumbs=call_crumbs(call),
        save=lambda data: services.call_update(
            actor=request.user,
            call=call,
            today=day,
            criteria=data["criteria"],
            **form.call_fields(),
        ),
        success=lambda call: f"{call.title} has been updated.",
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


@require(Data.CALLS)
@methods("GET")
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
        "portfolio/calls/proposal_similar.html",
        {"similar": selectors.similar_work(user=request.user, text=text, exclude_proposal=exclude)},
    )


def _proposal_page(
    request, *, form, title, call, breadcrumbs, cancel_url, similar, submit, exclude=None
):
    return render(
        request,
        "portfolio/calls/proposal_form.html",
        {
            "form": form,
            "title": title,
            "call": call,
            "similar": similar,
            "checked": similar is not None,
            "breadcrumbs": breadcrumbs,
            "cancel_url": cancel_url,
            "submit_label": submit,
            "exclude": exclude,
        },
    )


CHECK = "similar"
# What another page (an opportunity to buy together) may fill in, through the query string.
PREFILLED = {"title": 200, "problem": 4000, "outcome": 4000}


def _prefilled(request) -> dict[str, Any]:
    """A new proposal's starting values from the query string: the text fields (cut to a
    sensible length) and supporting organisations by id. The form still checks them all."""
    initial: dict[str, Any] = {
        name: request.GET[name][:limit] for name, limit in PREFILLED.items() if name in request.GET
    }
    # Ids only: ASCII digits ("²" is a digit to str.isdigit) that fit a database integer.
    supporters = [
        pk
        for pk in request.GET.getlist("supporters")[:50]
        if pk.isascii() and pk.isdigit() and len(pk) <= 9
    ]
    if supporters:
        initial["supporters"] = [int(pk) for pk in supporters]
    return initial


@require(Data.CALLS, Action.WRITE)
@methods("GET", "POST")
def proposal_create(request, slug):
    call = selectors.call_for(user=request.user, slug=slug)
    day = today()
    if call.state(day) != CallState.PROPOSING:
        messages.error(request, f"{call.title} is not open for proposals.")
        return redirect(call)
    organisations = selectors.proposer_organisations(user=request.user)
    similar = None
    if request.POST.get("action") == CHECK:
        # "Check for similar work": show the form again with what was typed, saving nothing.
        form = ProposalForm(initial=_posted_initial(request), organisations=organisations)
        similar = selectors.similar_work(user=request.user, text=_similar_text(request))
    else:
        form = ProposalForm(
            request.POST or None,
            initial=_prefilled(request) if request.method == "GET" else None,
            organisations=organisations,
        )
        saved = save_form(
            request,
            form,
            save=lambda _: services.proposal_create(
                actor=request.user, call=call, today=day, **form.proposal_fields()
            ),
            success=lambda proposal: f"Your proposal “{proposal.title}” has been submitted.",
            then=lambda proposal: proposal.get_absolute_url(),
        )
        if saved:
            return saved
        if request.method == "POST":
            similar = selectors.similar_work(user=request.user, text=_similar_text(request))
    return _proposal_page(
        request,
        form=form,
        title="Propose an idea",
        call=call,
        breadcrumbs=call_crumbs(call),
        cancel_url=call.get_absolute_url(),
        similar=similar,
        submit="Submit proposal",
    )


@require(Data.CALLS)
@methods("GET")
def proposal_detail(request, pk):
    proposal = selectors.proposal_for(user=request.user, pk=pk)
    day = today()
    state = proposal.call.state(day)
    editable_states = {CallState.PROPOSING}
    if is_office(request.user):
        editable_states.add(CallState.ASSESSING)
    supports = list(proposal.supports.select_related("organisation"))
    own = next((s for s in supports if s.organisation_id == request.user.organisation_id), None)
    return render(
        request,
        "portfolio/calls/proposal_detail.html",
        {
            "proposal": proposal,
            "state": state,
            "scored": selectors.assessments(user=request.user, proposal=proposal),
            "can_edit": state in editable_states
            and can(request.user, Data.CALLS, Action.WRITE, proposal.organisation_id),
            "can_assess": is_office(request.user) and proposal.call.selection_run_at is None,
            "confirmed": [s.organisation for s in supports if s.state == SupportState.CONFIRMED],
            # The proposer's organisation and the office see who has not (yet) confirmed.
            "sees_answers": is_office(request.user)
            or request.user.organisation_id == proposal.organisation_id,
            "awaiting": [s.organisation for s in supports if s.state == SupportState.AWAITING],
            "declined": [s.organisation for s in supports if s.state == SupportState.DECLINED],
            "own_support": own
            if own is not None
            and services.may_answer_support(actor=request.user, support=own)
            and not proposal.call.voting_closed(day)
            else None,
            "similar": selectors.similar_work(
                user=request.user,
                text=f"{proposal.title} {proposal.problem} {proposal.outcome}",
                exclude_proposal=proposal.pk,
            ),
            "breadcrumbs": call_crumbs(proposal.call),
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


@require(Data.CALLS, Action.WRITE)
@methods("GET", "POST")
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
        similar = selectors.similar_work(
            user=request.user, text=_similar_text(request), exclude_proposal=proposal.pk
        )
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
        call=proposal.call,
        breadcrumbs=call_crumbs(proposal.call),
        cancel_url=proposal.get_absolute_url(),
        similar=similar,
        submit="Save changes",
        exclude=proposal.pk,
    )


@require(Data.CALLS, Action.WRITE)
@methods("GET", "POST")
def proposal_assess(request, pk):
    check_office(request.user)
    proposal = selectors.proposal_for(user=request.user, pk=pk, action=Action.WRITE)
    scored = selectors.assessments(user=request.user, proposal=proposal)
    form = AssessmentForm.for_criteria(
        proposal.call.criteria.all(),
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
        "portfolio/calls/proposal_assess.html",
        {
            "form": form,
            "proposal": proposal,
            "scored": scored,
            "breadcrumbs": [
                *call_crumbs(proposal.call),
                (proposal.title, proposal.get_absolute_url()),
            ],
        },
    )


@require(Data.CALLS)
@methods("GET", "POST")
def proposal_support(request, pk):
    """A supporting organisation's lead or officer confirms or declines its support."""
    support = selectors.support_for(user=request.user, pk=pk)
    if not services.may_answer_support(actor=request.user, support=support):
        raise Http404
    proposal = support.proposal
    day = today()
    initial = {}
    if support.state == SupportState.CONFIRMED:
        initial["answer"] = SupportForm.CONFIRM
    elif support.state == SupportState.DECLINED:
        initial["answer"] = SupportForm.DECLINE
    form = SupportForm(request.POST or None, initial=initial)
    organisation = support.organisation.short_name

    def answer(data):
        service = (
            services.proposal_support_confirm
            if data["answer"] == SupportForm.CONFIRM
            else services.proposal_support_decline
        )
        return service(actor=request.user, support=support, today=day)

    saved = save_form(
        request,
        form,
        save=answer,
        success=lambda saved: (
            f"{organisation} is now shown as a supporter of “{proposal.title}”."
            if saved.state == SupportState.CONFIRMED
            else f"{organisation} is not shown as a supporter of “{proposal.title}”."
        ),
        then=lambda _: proposal.get_absolute_url(),
    )
    answered = {
        SupportState.CONFIRMED: f"{organisation} has confirmed its support. You can change this.",
        SupportState.DECLINED: f"{organisation} has declined. You can change this.",
    }.get(support.state, "")
    return saved or form_page(
        request,
        form,
        title=f"Does {organisation} support “{proposal.title}”?",
        caption=f"Proposal by {proposal.organisation.short_name} to {proposal.call.title}",
        lede=(
            f"{proposal.organisation.short_name} named {organisation} as a supporting "
            f"organisation. It is shown as a supporter only once {organisation} confirms. "
            f"{answered}"
        ).strip(),
        cancel_url=proposal.get_absolute_url(),
        breadcrumbs=[*call_crumbs(proposal.call), (proposal.title, proposal.get_absolute_url())],
        submit_label="Send answer",
    )
