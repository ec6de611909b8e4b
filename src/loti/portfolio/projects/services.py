"""Writes for projects, each through the audit trail.

Starting a project, entering an earlier one and changing its phase are the office's: its
views check that. Who may review a cycle and post or remove weeknotes and resources is a rule
of the project itself, checked here so that no caller can forget it. `actor=None` is the
system itself (the demo), which passes every check.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from loti.core import audit
from loti.core.permissions import is_office
from loti.core.slugs import unique_slug
from loti.portfolio.calls.models import Proposal
from loti.portfolio.projects import cycles as cycle_dates
from loti.portfolio.projects.models import Cycle, Decision, Phase, Project, Resource, Weeknote
from loti.portfolio.projects.selectors import is_member, may_remove, may_review
from loti.portfolio.workstreams.models import Workstream

if TYPE_CHECKING:
    from loti.members.models import Organisation

# The phases a running project moves through, in order; it only moves forward.
ACTIVE_PHASES = [Phase.DISCOVERY, Phase.ALPHA, Phase.BETA, Phase.LIVE]


def _check(actor: Any, allowed: bool) -> None:
    if actor is not None and not allowed:
        raise PermissionDenied


def _today() -> datetime.date:
    return timezone.localdate()


@transaction.atomic
def project_create(
    *,
    actor: Any,
    title: str,
    introduction: str,
    lead_organisation: Organisation,
    type: str,
    workstream: Workstream,
    budget: Decimal,
    started_on: datetime.date,
    chunks: int,
    partners: Iterable[Organisation] = (),
    summary: str = "",
    phase: str = Phase.DISCOVERY,
    first_goal: str = "",
    proposal: Proposal | None = None,
) -> Project:
    """A project with a plan of `chunks` six-week cycles back to back from `started_on`."""
    _check(actor, is_office(actor))
    if chunks < 1:
        raise ValidationError({"chunks": "A project needs at least 1 six-week chunk"})
    if phase not in ACTIVE_PHASES:
        raise ValidationError({"phase": "A new project starts in discovery, alpha, beta or live"})
    project = audit.create(
        actor=actor,
        obj=Project(
            proposal=proposal,
            title=title.strip(),
            slug=unique_slug(Project, title, fallback="project"),
            summary=summary.strip(),
            introduction=introduction.strip(),
            lead_organisation=lead_organisation,
            type=type,
            workstream=workstream,
            phase=phase,
            budget=budget,
            started_on=started_on,
        ),
    )
    project.partners.set([o for o in partners if o.pk != lead_organisation.pk])
    for planned in cycle_dates.plan(starts_on=started_on, chunks=chunks):
        audit.create(
            actor=actor,
            obj=Cycle(
                project=project,
                number=planned.number,
                goal=first_goal.strip() if planned.number == 1 else "",
                starts_on=planned.starts_on,
                ends_on=planned.ends_on,
            ),
        )
    return project


def project_create_from_proposal(
    *,
    actor: Any,
    proposal: Proposal,
    starts_on: datetime.date,
    lead_organisation: Organisation | None = None,
) -> Project:
    """Start the project a selected proposal describes, once: its title, type, workstream,
    estimated cost (as the budget) and organisations carry over, and its chunks become the
    plan of cycles. The proposing organisation leads unless another is named; the others
    become partners."""
    _check(actor, is_office(actor))
    if not proposal.is_selected:
        raise ValidationError(
            "Only a proposal selected in a call's published results can become a project"
        )
    if Project.objects.filter(proposal=proposal).exists():
        raise ValidationError("A project has already been started from this proposal")
    lead = lead_organisation or proposal.organisation
    partners = [proposal.organisation, *proposal.confirmed_supporters]
    return project_create(
        actor=actor,
        proposal=proposal,
        title=proposal.title,
        summary=proposal.outcome.strip().split("\n")[0][:300],
        introduction=f"{proposal.problem.strip()}\n\n{proposal.outcome.strip()}",
        lead_organisation=lead,
        partners=partners,
        type=proposal.type,
        workstream=proposal.workstream,
        budget=proposal.estimated_cost,
        started_on=starts_on,
        chunks=proposal.chunks,
        first_goal=proposal.outcome,
    )


def project_phase_set(*, actor: Any, project: Project, phase: str) -> Project:
    """Move a running project on to a later phase (discovery, alpha, beta, live). A project
    ends only through a cycle review."""
    _check(actor, is_office(actor))
    if project.has_ended:
        raise ValidationError(
            f"This project has {project.get_phase_display().lower()}: its phase cannot change"
        )
    if phase not in ACTIVE_PHASES:
        raise ValidationError(
            {"phase": "A project is completed or stopped by the review of a cycle"}
        )
    if ACTIVE_PHASES.index(phase) <= ACTIVE_PHASES.index(project.phase):
        raise ValidationError({"phase": "Choose a phase after the current one"})
    return audit.update(actor=actor, obj=project, phase=phase)


@transaction.atomic
def cycle_review(
    *,
    actor: Any,
    cycle: Cycle,
    decision: str,
    notes: str,
    next_goal: str = "",
    today: datetime.date | None = None,
) -> Cycle:
    """Record the decision that ends a cycle. Reviews are final and taken in order.

    Continue: the next cycle goes ahead (one is added after the last planned cycle), with a
    new goal if one is given. Pivot: the same, but the next cycle needs a new goal. Stop and
    complete end the project that day and remove the cycles planned after this one.
    """
    # Lock the project so that two reviews at once cannot both pass the checks below.
    project = Project.objects.select_for_update().get(pk=cycle.project_id)
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    _check(actor, may_review(actor, project))
    today = today or _today()
    if project.has_ended:
        raise ValidationError(f"This project has {project.get_phase_display().lower()}")
    if cycle.is_reviewed:
        raise ValidationError("This cycle has already been reviewed; reviews are final")
    earlier = project.cycles.filter(number__lt=cycle.number, decision="")
    if earlier.exists():
        raise ValidationError(f"Review cycle {earlier.order_by('number').first().number} first")
    if today < cycle.ends_on and actor is not None and not is_office(actor):
        raise ValidationError(
            f"This cycle can be reviewed from {cycle.ends_on:%-d %B %Y}, when it ends"
        )
    if decision not in Decision.values:
        raise ValidationError({"decision": "Select continue, pivot, stop or complete"})
    if not notes.strip():
        raise ValidationError({"notes": "Enter the notes of the review"})
    next_goal = next_goal.strip()
    if decision == Decision.PIVOT and not next_goal:
        raise ValidationError({"next_goal": "Enter the goal of the next cycle after the pivot"})
    audit.update(
        actor=actor,
        obj=cycle,
        decision=decision,
        notes=notes.strip(),
        decided_by=actor if getattr(actor, "pk", None) else None,
        decided_on=today,
    )
    later = project.cycles.filter(number__gt=cycle.number)
    if decision in (Decision.STOP, Decision.COMPLETE):
        for planned in later:
            audit.delete(actor=actor, obj=planned)
        phase = Phase.STOPPED if decision == Decision.STOP else Phase.COMPLETED
        audit.update(actor=actor, obj=project, phase=phase, ended_on=max(today, project.started_on))
        return cycle
    following = later.order_by("number").first()
    if following is None:
        planned = cycle_dates.plan(starts_on=cycle.ends_on, chunks=1, first_number=cycle.number + 1)
        audit.create(
            actor=actor,
            obj=Cycle(
                project=project,
                number=planned[0].number,
                goal=next_goal,
                starts_on=planned[0].starts_on,
                ends_on=planned[0].ends_on,
            ),
        )
    elif next_goal:
        audit.update(actor=actor, obj=following, goal=next_goal)
    return cycle


def cycle_goal_set(*, actor: Any, cycle: Cycle, goal: str) -> Cycle:
    """Set the goal of a cycle not yet reviewed, while the project runs."""
    project = cycle.project
    _check(actor, may_review(actor, project))
    if project.has_ended:
        raise ValidationError(f"This project has {project.get_phase_display().lower()}")
    if cycle.is_reviewed:
        raise ValidationError("This cycle has been reviewed; its goal cannot change")
    if not goal.strip():
        raise ValidationError({"goal": "Enter the goal of the cycle"})
    return audit.update(actor=actor, obj=cycle, goal=goal.strip())


def weeknote_post(
    *,
    actor: Any,
    project: Project,
    published_on: datetime.date,
    title: str,
    body: str,
    today: datetime.date | None = None,
) -> Weeknote:
    """Post a weeknote. Its date may be today or earlier, never later."""
    _check(actor, is_member(actor, project))
    if published_on > (today or _today()):
        raise ValidationError({"published_on": "The date must be today or in the past"})
    return audit.create(
        actor=actor,
        obj=Weeknote(
            project=project,
            author=actor if getattr(actor, "pk", None) else None,
            organisation=getattr(actor, "organisation", None),
            published_on=published_on,
            title=title.strip(),
            body=body.strip(),
        ),
    )


def resource_add(
    *, actor: Any, project: Project, title: str, url: str, kind: str, licence: str = ""
) -> Resource:
    _check(actor, is_member(actor, project))
    return audit.create(
        actor=actor,
        obj=Resource(
            project=project,
            title=title.strip(),
            url=url.strip(),
            kind=kind,
            licence=licence.strip(),
            added_by=actor if getattr(actor, "pk", None) else None,
        ),
    )


def weeknote_delete(*, actor: Any, weeknote: Weeknote) -> None:
    """Remove a weeknote posted in error; its history is kept."""
    _check(actor, may_remove(actor, weeknote.project, weeknote.author_id))
    audit.delete(actor=actor, obj=weeknote)


def resource_delete(*, actor: Any, resource: Resource) -> None:
    """Remove a resource linked in error; its history is kept."""
    _check(actor, may_remove(actor, resource.project, resource.added_by_id))
    audit.delete(actor=actor, obj=resource)
