"""Reads owned by core, each scoped to the acting user."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.text import capfirst

from loti.core import audit, history
from loti.core.models import ApiToken, AuditEntry, TaskProgress
from loti.core.permissions import Data, can, is_office


def audit_history(*, user: Any, objects: Iterable[models.Model]) -> list[history.Entry]:
    """The change history of `objects` as people read it, for those allowed to read
    histories; otherwise nothing."""
    if not can(user, Data.AUDIT):
        return []
    return history.present(audit.entries_for(objects))


# The person filter's value for changes made by the service itself (imports, the demo).
SYSTEM = "system"


def audit_log(
    *,
    user: Any,
    kind: int | None = None,
    person: str = "",
    since: datetime.date | None = None,
    until: datetime.date | None = None,
) -> QuerySet[AuditEntry]:
    """Every change the user may read, newest first: of one kind of record (a content type's
    id), by one person (their id, or "system" for changes no person made), on or after
    `since` and on or before `until` (local dates)."""
    if not can(user, Data.AUDIT):
        return AuditEntry.objects.none()
    entries = AuditEntry.objects.all()
    if kind is not None:
        entries = entries.filter(content_type_id=kind)
    if person == SYSTEM:
        entries = entries.filter(actor__isnull=True)
    elif person:
        entries = entries.filter(actor_id=person)
    if since is not None:
        entries = entries.filter(at__date__gte=since)
    if until is not None:
        entries = entries.filter(at__date__lte=until)
    return entries


def audit_log_kinds(*, user: Any) -> list[tuple[int, str]]:
    """(content type id, name) of every kind of record with changes the user may read, by
    name."""
    ids = audit_log(user=user).order_by().values_list("content_type_id", flat=True).distinct()
    kinds = []
    for content_type_id in ids:
        content_type = ContentType.objects.get_for_id(content_type_id)
        model = content_type.model_class()
        name = model._meta.verbose_name_plural if model else content_type.name
        kinds.append((content_type_id, str(capfirst(name))))
    return sorted(kinds, key=lambda kind: kind[1])


def audit_log_people(*, user: Any) -> list[tuple[str, str]]:
    """(value, name) of everyone who made a change the user may read, by name; the service
    itself last, as "System"."""
    pairs = audit_log(user=user).order_by().values_list("actor_id", "actor_name").distinct()
    people: dict[str, str] = {}
    system = False
    for actor_id, actor_name in pairs:
        if actor_id is None:
            system = True
        else:
            people.setdefault(str(actor_id), actor_name or f"Person {actor_id}")
    choices = sorted(people.items(), key=lambda person: person[1].casefold())
    return [*choices, (SYSTEM, "System")] if system else choices


def api_tokens_for(*, user: Any, person: Any) -> QuerySet[ApiToken]:
    """A person's tokens, shown to that person and to the office."""
    if user.pk == person.pk or is_office(user):
        return ApiToken.objects.filter(person=person)
    return ApiToken.objects.none()


def api_token_for_user(*, user: Any, pk: int) -> ApiToken:
    """A token its owner or the office may act on; anyone else gets a 404."""
    tokens = ApiToken.objects.all() if is_office(user) else ApiToken.objects.filter(person=user)
    return get_object_or_404(tokens, pk=pk)


def may_follow(user: Any, progress: TaskProgress) -> bool:
    """May `user` follow the progress of this work: work they asked for (the office, all)."""
    return is_office(user) or (
        bool(getattr(user, "is_authenticated", False)) and progress.requested_by_id == user.pk
    )


def task_progress_for_user(*, user: Any, pk: Any) -> TaskProgress:
    """Progress of work the user asked for (the office sees all); anyone else gets a 404."""
    progress = get_object_or_404(TaskProgress, pk=pk)
    if not may_follow(user, progress):
        raise Http404
    return progress


def failed_tasks(*, user: Any, since: Any) -> QuerySet[TaskProgress] | None:
    """Background work (imports among it) that failed since `since`, newest first: for the
    office, who look into it; None for anyone else (each person follows their own work on its
    progress page)."""
    if not is_office(user):
        return None
    return TaskProgress.objects.filter(
        state=TaskProgress.State.FAILED, updated_at__gte=since
    ).order_by("-updated_at")
