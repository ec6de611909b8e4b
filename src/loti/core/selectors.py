"""Reads owned by core, each scoped to the acting user."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from loti.core import audit
from loti.core.models import ApiToken, AuditEntry, TaskProgress
from loti.core.permissions import Data, can, is_office


def audit_history(*, user: Any, objects: Iterable[models.Model]) -> QuerySet[AuditEntry]:
    """The change history of `objects`, for those allowed to read histories; otherwise
    nothing."""
    if not can(user, Data.AUDIT):
        return AuditEntry.objects.none()
    return audit.entries_for(objects)


def audit_log(*, user: Any) -> QuerySet[AuditEntry]:
    if not can(user, Data.AUDIT):
        return AuditEntry.objects.none()
    return AuditEntry.objects.select_related("actor", "content_type")


def api_tokens_for(*, user: Any, person: Any) -> QuerySet[ApiToken]:
    """A person's tokens, shown to that person and to the office."""
    if user.pk == person.pk or is_office(user):
        return ApiToken.objects.filter(person=person)
    return ApiToken.objects.none()


def api_token_for_user(*, user: Any, pk: int) -> ApiToken:
    """A token its owner or the office may act on; anyone else gets a 404."""
    tokens = ApiToken.objects.all() if is_office(user) else ApiToken.objects.filter(person=user)
    return get_object_or_404(tokens, pk=pk)


def task_progress_for_user(*, user: Any, pk: Any) -> TaskProgress:
    """Progress of work the user asked for (the office sees all); anyone else gets a 404."""
    progress = TaskProgress.objects.all()
    if not is_office(user):
        progress = progress.filter(requested_by=user)
    return get_object_or_404(progress, pk=pk)


def failed_tasks(*, user: Any, since: Any) -> QuerySet[TaskProgress] | None:
    """Background work (imports among it) that failed since `since`, newest first: for the
    office, who look into it; None for anyone else (each person follows their own work on its
    progress page)."""
    if not is_office(user):
        return None
    return TaskProgress.objects.filter(
        state=TaskProgress.State.FAILED, updated_at__gte=since
    ).order_by("-updated_at")
