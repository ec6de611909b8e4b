"""What the portfolio makes searchable in the one search (`loti.core.search`): published
projects and their weeknotes, which are public, and proposals, which members and the office
read (`calls.selectors.proposals_seen_by`)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from loti.core import search
from loti.portfolio.calls import selectors as call_selectors
from loti.portfolio.calls.models import Proposal
from loti.portfolio.projects import selectors as project_selectors
from loti.portfolio.projects.models import Project, Weeknote


def _projects(user: Any) -> QuerySet[Project]:
    return project_selectors.project_list(user=user)


def _project_hit(project: Project, query: search.Query) -> search.Hit:
    return search.Hit(
        title=project.title,
        url=project.get_absolute_url(),
        detail=f"Led by {project.lead_organisation.short_name} · {project.get_phase_display()}",
        snippet=search.highlight(f"{project.summary} {project.introduction}", query),
        text=f"{project.title} {project.summary} {project.introduction}",
    )


def _weeknotes(user: Any) -> QuerySet[Weeknote]:
    # A weeknote is read by whoever reads its project; the engine filters on ids only.
    of_readable = Weeknote.objects.filter(project__in=_projects(user)).values("pk")
    return Weeknote.objects.filter(pk__in=of_readable).select_related("project")


def _weeknote_hit(weeknote: Weeknote, query: search.Query) -> search.Hit:
    return search.Hit(
        title=weeknote.title,
        url=f"{weeknote.project.get_absolute_url()}#weeknote-{weeknote.pk}",
        detail=f"Weeknote of {weeknote.project.title} · {weeknote.published_on:%-d %B %Y}",
        snippet=search.highlight(weeknote.body, query),
        text=f"{weeknote.title} {weeknote.body}",
    )


def _proposals(user: Any) -> QuerySet[Proposal]:
    return call_selectors.proposals_seen_by(user).select_related("call", "organisation")


def _proposal_hit(proposal: Proposal, query: search.Query) -> search.Hit:
    return search.Hit(
        title=proposal.title,
        url=proposal.get_absolute_url(),
        detail=f"Proposed by {proposal.organisation.short_name} · {proposal.call.title}",
        snippet=search.highlight(f"{proposal.problem} {proposal.outcome}", query),
        text=f"{proposal.title} {proposal.problem} {proposal.outcome}",
    )


def register() -> None:
    search.register(
        key="projects",
        heading="Projects",
        label="Project",
        model=Project,
        readable=_projects,
        hit=_project_hit,
        order=20,
    )
    search.register(
        key="weeknotes",
        heading="Weeknotes",
        label="Weeknote",
        model=Weeknote,
        readable=_weeknotes,
        hit=_weeknote_hit,
        order=25,
    )
    search.register(
        key="proposals",
        heading="Proposals",
        label="Proposal",
        model=Proposal,
        readable=_proposals,
        hit=_proposal_hit,
        order=30,
    )
