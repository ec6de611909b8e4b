"""Reads for projects, each taking the acting user. Projects are public (Data.PROJECTS); who
may post a project's weeknotes and review its cycles is a rule of the project itself."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.shortcuts import get_object_or_404

from loti.core import search
from loti.core.access import get_for_user
from loti.core.permissions import Data, Role, filter_for, is_office, role_of
from loti.members.financial_year import FinancialYear
from loti.portfolio.calls.models import Call
from loti.portfolio.projects.cycles import Quarter, quarters
from loti.portfolio.projects.models import Cycle, Phase, Project, Resource, Weeknote


def is_member(user: Any, project: Project) -> bool:
    """Is `user` one of the project's people: the office's staff, or anyone (any role) of its
    lead or partner organisations?"""
    if is_office(user):
        return True
    organisation_id = getattr(user, "organisation_id", None)
    if role_of(user) is None or organisation_id is None:
        return False
    if organisation_id == project.lead_organisation_id:
        return True
    return project.partners.filter(pk=organisation_id).exists()


def may_review(user: Any, project: Project) -> bool:
    """Cycle reviews are for the office's staff and the lead organisation's member lead."""
    if is_office(user):
        return True
    return (
        role_of(user) == Role.LEAD
        and getattr(user, "organisation_id", None) == project.lead_organisation_id
    )


def _may_remove(user: Any, posted_by_id: int | None, *, member: bool) -> bool:
    if is_office(user):
        return True
    return member and posted_by_id is not None and posted_by_id == getattr(user, "pk", None)


def may_remove(user: Any, project: Project, posted_by_id: int | None) -> bool:
    """A weeknote or resource posted in error is removed by the office's staff, or by the
    person who posted it while they are still one of the project's people."""
    return _may_remove(user, posted_by_id, member=is_member(user, project))


def project_list(
    *,
    user: Any,
    workstream: str | None = None,
    type: str | None = None,
    phase: str | None = None,
    involving: int | None = None,
) -> QuerySet[Project]:
    """Projects, filtered by a workstream's slug, a type, a phase and an organisation that
    leads or is a partner in them (each optional)."""
    projects = filter_for(
        Project.objects.select_related("workstream", "lead_organisation"),
        user,
        Data.PROJECTS,
        owner="lead_organisation_id",
    )
    if workstream:
        projects = projects.filter(workstream__slug=workstream)
    if type:
        projects = projects.filter(type=type)
    if phase:
        projects = projects.filter(phase=phase)
    if involving:
        projects = projects.filter(
            Q(lead_organisation_id=involving) | Q(partners__id=involving)
        ).distinct()
    return projects


def project_choices() -> QuerySet[Project]:
    """Every project by title (projects are public), for choosing among."""
    return Project.objects.order_by("title")


def projects_titled(*, words: tuple[str, ...]) -> list[Project]:
    """The projects whose titles hold any of `words`, in the words' order, each once."""
    found: list[Project] = []
    for word in words:
        found += Project.objects.filter(title__icontains=word).exclude(pk__in=[p.pk for p in found])
    return found


def project_for(*, user: Any, slug: str) -> Project:
    return get_for_user(
        Project.objects.select_related("workstream", "lead_organisation", "proposal"),
        user,
        Data.PROJECTS,
        owner="lead_organisation_id",
        slug=slug,
    )


def project_with_plan(*, user: Any, slug: str) -> Project:
    """A project with its partners, cycles, resources and weeknotes fetched for its page, each
    weeknote and resource marked `removable` when `user` may remove it."""
    project = project_for(user=user, slug=slug)
    project.partner_list = list(project.partners.order_by("short_name"))
    project.cycle_list = list(project.cycles.select_related("decided_by"))
    project.resource_list = list(project.resources.all())
    project.weeknote_list = list(project.weeknotes.select_related("author", "organisation"))
    member = is_member(user, project)
    for weeknote in project.weeknote_list:
        weeknote.removable = _may_remove(user, weeknote.author_id, member=member)
    for resource in project.resource_list:
        resource.removable = _may_remove(user, resource.added_by_id, member=member)
    return project


def cycle_for(*, user: Any, slug: str, number: int) -> Cycle:
    project = project_for(user=user, slug=slug)
    cycle = get_object_or_404(Cycle, project=project, number=number)
    cycle.project = project
    return cycle


def weeknote_for(*, user: Any, slug: str, pk: int) -> Weeknote:
    """One of the project's weeknotes; another project's is a 404."""
    project = project_for(user=user, slug=slug)
    weeknote = get_object_or_404(Weeknote, project=project, pk=pk)
    weeknote.project = project
    return weeknote


def resource_for(*, user: Any, slug: str, pk: int) -> Resource:
    """One of the project's resources; another project's is a 404."""
    project = project_for(user=user, slug=slug)
    resource = get_object_or_404(Resource, project=project, pk=pk)
    resource.project = project
    return resource


def next_review(project: Project) -> Cycle | None:
    """The cycle whose review comes next: the earliest without a decision, while the project
    runs."""
    if project.has_ended:
        return None
    return project.cycles.filter(decision="").order_by("number").first()


def all_cycles(*, user: Any, workstream: str | None = None) -> list[Cycle]:
    """Every cycle of every project the user may read, for the portfolio's timeline."""
    projects = project_list(user=user, workstream=workstream)
    return list(
        Cycle.objects.filter(project__in=projects)
        .select_related("project")
        .order_by("project__started_on", "project__title", "number")
    )


@dataclass(frozen=True)
class QuarterSummary:
    quarter: Quarter
    started: int
    completed: int
    stopped: int
    chunks_delivered: int
    allocated: Decimal


@dataclass(frozen=True)
class YearSummary:
    year: FinancialYear
    quarters: list[QuarterSummary]
    # The budgets of the year's calls for ideas, which the projects' budgets are set against.
    round_budget: Decimal

    @property
    def allocated(self) -> Decimal:
        return sum((q.allocated for q in self.quarters), Decimal(0))

    @property
    def is_empty(self) -> bool:
        """No project started or ended in the year, and no cycle was reviewed."""
        return not any(
            q.started or q.completed or q.stopped or q.chunks_delivered for q in self.quarters
        )


def quarterly_summary(*, user: Any, year: FinancialYear) -> YearSummary:
    projects = project_list(user=user)
    rows = []
    for quarter in quarters(year):
        within = {"gte": quarter.start, "lte": quarter.end}
        started = projects.filter(started_on__gte=within["gte"], started_on__lte=within["lte"])
        ended = projects.filter(ended_on__gte=within["gte"], ended_on__lte=within["lte"])
        rows.append(
            QuarterSummary(
                quarter=quarter,
                started=started.count(),
                completed=ended.filter(phase=Phase.COMPLETED).count(),
                stopped=ended.filter(phase=Phase.STOPPED).count(),
                chunks_delivered=Cycle.objects.filter(
                    project__in=projects,
                    decided_on__gte=within["gte"],
                    decided_on__lte=within["lte"],
                ).count(),
                allocated=started.aggregate(total=Sum("budget"))["total"] or Decimal(0),
            )
        )
    return YearSummary(year=year, quarters=rows, round_budget=round_budget(year=year))


def round_budget(*, year: FinancialYear) -> Decimal:
    """The total budget of the calls for ideas opened in `year`."""
    total = Call.objects.filter(
        proposals_open_on__gte=year.start, proposals_open_on__lte=year.end
    ).aggregate(total=Sum("budget"))["total"]
    return total or Decimal(0)


def started_years(*, user: Any, today: datetime.date) -> list[FinancialYear]:
    """The financial years from the first project's start to today's, newest first."""
    first = project_list(user=user).order_by("started_on").values_list("started_on", flat=True)
    earliest = FinancialYear.containing(first.first() or today)
    latest = FinancialYear.containing(today)
    return [FinancialYear(y) for y in range(latest.start_year, earliest.start_year - 1, -1)]


@dataclass(frozen=True)
class Running:
    """A running project one of the user's organisation's people work on, and the cycle
    whose review comes next (None when every planned cycle has been reviewed)."""

    project: Project
    next_review: Cycle | None


def projects_worked_on(*, user: Any) -> list[Running] | None:
    """The running projects the user's organisation leads or is a partner in, with each
    one's next review; None for those of no organisation (the office, the public)."""
    organisation_id = getattr(user, "organisation_id", None)
    if role_of(user) is None or organisation_id is None:
        return None
    projects = list(
        project_list(user=user)
        .exclude(phase__in=Project.ENDED)
        .filter(Q(lead_organisation_id=organisation_id) | Q(partners__pk=organisation_id))
        .distinct()
        .order_by("title")
    )
    reviews: dict[int, Cycle] = {}
    for cycle in Cycle.objects.filter(project__in=projects, decision="").order_by("number"):
        reviews.setdefault(cycle.project_id, cycle)
    return [Running(project=p, next_review=reviews.get(p.pk)) for p in projects]


def reviews_due(*, user: Any, until: datetime.date) -> list[Cycle] | None:
    """The next review of each running project, where it is due by `until` (overdue ones
    too), soonest first: for the office, who run the reviews; None for anyone else. Reviews
    are taken in order, so a project's later cycles wait for its first undecided one."""
    if not is_office(user):
        return None
    due: dict[int, Cycle] = {}
    for cycle in (
        Cycle.objects.filter(decision="", ends_on__lte=until)
        .exclude(project__phase__in=Project.ENDED)
        .select_related("project")
        .order_by("ends_on", "number")
    ):
        due.setdefault(cycle.project_id, cycle)
    return sorted(due.values(), key=lambda c: (c.ends_on, c.project.title))


def newest_projects(*, user: Any, limit: int) -> list[Project]:
    """The projects started most recently, of those the user may read."""
    return list(project_list(user=user).order_by("-started_on", "title")[:limit])


RELATED_SHOWN = 5
# What a project's page offers as related work: kinds of the one search, by key.
RELATED_KINDS = ["library", "projects"]


@dataclass(frozen=True)
class Related:
    """One record on a project's page: of which kind ("Library resource"), its title, where
    it is and a line about it."""

    kind: str
    title: str
    url: str
    context: str


def related_work(*, user: Any, project: Project) -> list[Related]:
    """Has anyone done this already? The library resources and other projects whose words
    look most like the project's, best first, of those `user` may read: not those the page
    lists already as having come from the project (`made_by`)."""
    made = {hit.url for _, hit in search.linked(user, to="projects", pk=project.pk)}
    found = search.similar(
        user,
        f"{project.title} {project.summary} {project.introduction}",
        keys=RELATED_KINDS,
        limit=RELATED_SHOWN + len(made),
        exclude=[f"projects:{project.pk}"],
    )
    return [
        Related(kind.noun, hit.title, hit.url, hit.detail)
        for kind, hit, _ in found
        if hit.url not in made
    ][:RELATED_SHOWN]


def made_by(*, user: Any, project: Project) -> list[Related]:
    """What other apps' records (the library's resources) say came from the project, of
    those `user` may read."""
    return [
        Related(kind.noun, hit.title, hit.url, hit.detail)
        for kind, hit in search.linked(user, to="projects", pk=project.pk)
    ]
