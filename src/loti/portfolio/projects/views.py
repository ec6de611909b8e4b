"""Projects: the public portfolio and project pages, and the pages their people and the
office use to run them."""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.validators import slug_re
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from loti.core import selectors as core_selectors
from loti.core.access import methods, require
from loti.core.pages import confirm_delete, form_page, paginate, pagination, save_form
from loti.core.permissions import Action, Data, is_office
from loti.members.financial_year import FinancialYear
from loti.portfolio.calls import selectors as call_selectors
from loti.portfolio.calls.models import ProposalType
from loti.portfolio.projects import charts, selectors, services
from loti.portfolio.projects.forms import (
    CycleGoalForm,
    PhaseForm,
    ProjectForm,
    ResourceForm,
    ReviewForm,
    StartProjectForm,
    WeeknoteForm,
)
from loti.portfolio.projects.models import Phase
from loti.portfolio.workstreams import selectors as workstream_selectors

PROJECTS_PER_PAGE = 25


def _today() -> datetime.date:
    return timezone.localdate()


def crumbs(*extra: tuple[str, str]) -> list[tuple[str, str]]:
    return [("Projects", reverse("portfolio:projects")), *extra]


def _project_crumbs(project) -> list[tuple[str, str]]:
    return crumbs((project.title, project.get_absolute_url()))


def _refuse(request):
    """A project's own pages are for its people: anonymous visitors sign in first, others are
    refused."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied


def _filters(request) -> dict[str, str]:
    """The workstream, type and phase asked for, ignoring values that are not choices."""
    chosen = {
        "workstream": request.GET.get("workstream", ""),
        "type": request.GET.get("type", ""),
        "phase": request.GET.get("phase", ""),
    }
    if chosen["type"] not in ProposalType.values:
        chosen["type"] = ""
    if chosen["phase"] not in Phase.values:
        chosen["phase"] = ""
    workstream = chosen["workstream"]
    # Checked as a slug first: a stray character such as NUL must not reach the database.
    if workstream and not (
        slug_re.match(workstream)
        and workstream_selectors.workstream_list().filter(slug=workstream).exists()
    ):
        chosen["workstream"] = ""
    return chosen


@require(Data.PROJECTS)
@methods("GET")
def projects(request):
    chosen = _filters(request)
    # A signed-in person of an organisation may list the projects it takes part in.
    organisation_id = getattr(request.user, "organisation_id", None)
    mine = organisation_id is not None and request.GET.get("mine") == "yes"
    found = selectors.project_list(
        user=request.user,
        involving=organisation_id if mine else None,
        **{k: v or None for k, v in chosen.items()},
    )
    page = paginate(found, request.GET.get("page"), per_page=PROJECTS_PER_PAGE)
    query = urlencode({k: v for k, v in {**chosen, "mine": "yes" if mine else ""}.items() if v})
    return render(
        request,
        "portfolio/projects/project_list.html",
        {
            "page": page,
            **pagination(page, query=query),
            "workstreams": workstream_selectors.workstream_list(),
            "types": ProposalType.choices,
            "phases": Phase.choices,
            "chosen": chosen,
            "organisation": request.user.organisation if organisation_id else None,
            "mine": mine,
            "can_create": is_office(request.user),
        },
    )


@require(Data.PROJECTS)
@methods("GET")
def project_detail(request, slug):
    project = selectors.project_with_plan(user=request.user, slug=slug)
    today = _today()
    next_review = selectors.next_review(project)
    return render(
        request,
        "portfolio/projects/project_detail.html",
        {
            "project": project,
            "chart": charts.timeline_chart(
                project.cycle_list,
                today=today,
                id="project-timeline",
                title=f"Cycles of {project.title}",
                by_project=False,
            ),
            "next_review": next_review,
            "review_open": next_review is not None
            and (today >= next_review.ends_on or is_office(request.user)),
            "is_member": selectors.is_member(request.user, project),
            "any_resource_removable": any(r.removable for r in project.resource_list),
            "related": selectors.related_work(user=request.user, project=project),
            "made_by": selectors.made_by(user=request.user, project=project),
            "may_review": selectors.may_review(request.user, project),
            "is_office": is_office(request.user),
            "history": core_selectors.audit_history(user=request.user, objects=[project]),
            "breadcrumbs": crumbs(),
        },
    )


@require(Data.PROJECTS, Action.WRITE)
@methods("GET", "POST")
def project_create(request):
    form = ProjectForm(request.POST or None)
    saved = save_form(
        request,
        form,
        save=lambda data: services.project_create(actor=request.user, **data),
        success=lambda project: f"{project.title} has been added.",
        then=lambda project: project,
    )
    return saved or form_page(
        request,
        form,
        title="Add an earlier project",
        lede="For work begun before calls for ideas were run here. A selected proposal is "
        "started from its call's results instead.",
        cancel_url=reverse("portfolio:projects"),
        breadcrumbs=crumbs(),
        submit_label="Add project",
    )


@require(Data.PROJECTS, Action.WRITE)
@methods("GET", "POST")
def project_start(request, pk):
    proposal = call_selectors.proposal_for(user=request.user, pk=pk)
    form = StartProjectForm(request.POST or None, proposal=proposal)
    saved = save_form(
        request,
        form,
        save=lambda data: services.project_create_from_proposal(
            actor=request.user, proposal=proposal, **data
        ),
        success=lambda project: f"{project.title} has started.",
        then=lambda project: project,
    )
    return saved or form_page(
        request,
        form,
        title=f"Start {proposal.title}",
        caption=proposal.call.title,
        lede=f"Its {proposal.chunks} six-week chunk{'s' if proposal.chunks != 1 else ''} "
        "become a plan of cycles, back to back from the start date.",
        cancel_url=proposal.get_absolute_url(),
        breadcrumbs=crumbs(),
        submit_label="Start project",
    )


@require(Data.PROJECTS, Action.WRITE)
@methods("GET", "POST")
def project_phase(request, slug):
    project = selectors.project_for(user=request.user, slug=slug)
    form = PhaseForm(request.POST or None, project=project)
    saved = save_form(
        request,
        form,
        save=lambda data: services.project_phase_set(actor=request.user, project=project, **data),
        success=lambda p: f"{p.title} is now in {p.get_phase_display().lower()}.",
        then=lambda p: p,
    )
    return saved or form_page(
        request,
        form,
        title="Change the phase",
        caption=project.title,
        lede=f"It is in {project.get_phase_display().lower()}. A project moves on to a later "
        "phase; it is completed or stopped by the review of a cycle.",
        cancel_url=project.get_absolute_url(),
        breadcrumbs=_project_crumbs(project),
    )


@methods("GET", "POST")
def cycle_review(request, slug, number):
    cycle = selectors.cycle_for(user=request.user, slug=slug, number=number)
    project = cycle.project
    if not selectors.may_review(request.user, project):
        return _refuse(request)
    form = ReviewForm(request.POST or None)
    saved = save_form(
        request,
        form,
        save=lambda data: services.cycle_review(actor=request.user, cycle=cycle, **data),
        success=lambda c: f"The review of cycle {c.number} has been recorded.",
        then=lambda c: project,
    )
    return saved or form_page(
        request,
        form,
        title=f"Review cycle {cycle.number}",
        caption=project.title,
        lede=f"Goal: {cycle.goal or 'not set'}. The cycle runs from {cycle.starts_on:%-d %B %Y} "
        f"to {cycle.ends_on:%-d %B %Y}. A review is final. Stop or complete ends the project "
        "and removes the cycles planned after this one.",
        cancel_url=project.get_absolute_url(),
        breadcrumbs=_project_crumbs(project),
        submit_label="Record the decision",
    )


@methods("GET", "POST")
def cycle_goal(request, slug, number):
    cycle = selectors.cycle_for(user=request.user, slug=slug, number=number)
    project = cycle.project
    if not selectors.may_review(request.user, project):
        return _refuse(request)
    form = CycleGoalForm(request.POST or None, initial={"goal": cycle.goal})
    saved = save_form(
        request,
        form,
        save=lambda data: services.cycle_goal_set(actor=request.user, cycle=cycle, **data),
        success=lambda c: f"The goal of cycle {c.number} has been saved.",
        then=lambda c: project,
    )
    return saved or form_page(
        request,
        form,
        title=f"Set the goal of cycle {cycle.number}",
        caption=project.title,
        cancel_url=project.get_absolute_url(),
        breadcrumbs=_project_crumbs(project),
    )


@methods("GET", "POST")
def weeknote_create(request, slug):
    project = selectors.project_for(user=request.user, slug=slug)
    if not selectors.is_member(request.user, project):
        return _refuse(request)
    form = WeeknoteForm(request.POST or None, initial={"published_on": _today()})
    saved = save_form(
        request,
        form,
        save=lambda data: services.weeknote_post(actor=request.user, project=project, **data),
        success=lambda weeknote: f"“{weeknote.title}” has been published.",
        then=lambda weeknote: project,
    )
    return saved or form_page(
        request,
        form,
        title="Post a weeknote",
        caption=project.title,
        lede="A weeknote: what the project did, learned and plans next. It is public.",
        cancel_url=project.get_absolute_url(),
        breadcrumbs=_project_crumbs(project),
        submit_label="Publish weeknote",
    )


@methods("GET", "POST")
def resource_create(request, slug):
    project = selectors.project_for(user=request.user, slug=slug)
    if not selectors.is_member(request.user, project):
        return _refuse(request)
    form = ResourceForm(request.POST or None)
    saved = save_form(
        request,
        form,
        save=lambda data: services.resource_add(actor=request.user, project=project, **data),
        success=lambda resource: f"{resource.title} has been linked.",
        then=lambda resource: project,
    )
    return saved or form_page(
        request,
        form,
        title="Link a resource",
        caption=project.title,
        lede="A document, specification, code or guide the project made or used. It is public.",
        cancel_url=project.get_absolute_url(),
        breadcrumbs=_project_crumbs(project),
        submit_label="Link resource",
    )


@methods("GET", "POST")
def weeknote_delete(request, slug, pk):
    weeknote = selectors.weeknote_for(user=request.user, slug=slug, pk=pk)
    return _remove(
        request,
        weeknote,
        kind="weeknote",
        added_by_id=weeknote.author_id,
        delete=lambda: services.weeknote_delete(actor=request.user, weeknote=weeknote),
    )


@methods("GET", "POST")
def resource_delete(request, slug, pk):
    resource = selectors.resource_for(user=request.user, slug=slug, pk=pk)
    return _remove(
        request,
        resource,
        kind="resource",
        added_by_id=resource.added_by_id,
        delete=lambda: services.resource_delete(actor=request.user, resource=resource),
    )


def _remove(request, item, *, kind: str, added_by_id: int | None, delete):
    """Confirm, then remove, a weeknote or resource of a project (its author or the team)."""
    project = item.project
    if not selectors.may_remove(request.user, project, added_by_id):
        return _refuse(request)
    return confirm_delete(
        request,
        obj=project,
        delete=delete,
        title=f"Remove the {kind} “{item.title}”?",
        done=f"“{item.title}” has been removed.",
        next_url=project.get_absolute_url(),
        breadcrumbs=_project_crumbs(project),
        submit_label="Yes, remove it",
    )


@require(Data.PROJECTS)
@methods("GET")
def portfolio_timeline(request):
    chosen = _filters(request)
    cycles = selectors.all_cycles(user=request.user, workstream=chosen["workstream"] or None)
    return render(
        request,
        "portfolio/projects/timeline.html",
        {
            "chart": charts.timeline_chart(
                cycles,
                today=_today(),
                id="portfolio-timeline",
                title="Every project's cycles",
                by_project=True,
            ),
            "workstreams": workstream_selectors.workstream_list(),
            "chosen": chosen,
            "breadcrumbs": crumbs(),
        },
    )


@require(Data.PROJECTS)
@methods("GET")
def portfolio_quarterly(request):
    today = _today()
    years = selectors.started_years(user=request.user, today=today)
    try:
        year = FinancialYear.from_slug(request.GET.get("year", ""))
    except ValueError:
        year = years[0]
    summary = selectors.quarterly_summary(user=request.user, year=year)
    return render(
        request,
        "portfolio/projects/quarterly.html",
        {
            "summary": summary,
            "chart": charts.quarterly_chart(summary),
            "years": years if year in years else [year, *years],
            "year": year,
            "breadcrumbs": crumbs(),
        },
    )
