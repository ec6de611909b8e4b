"""Writes owned by core: API tokens, sign-in throttling and background-task progress."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks.base import Task, TaskResultStatus
from django_tasks_db.models import DBTaskResult

from loti.core.models import ApiToken, ImportBatch, LoginFailure, TaskProgress
from loti.core.permissions import is_office


def api_token_create(*, person: Any, name: str) -> tuple[ApiToken, str]:
    """Create a token for `person`; returns it with the raw key, which is never stored."""
    raw = ApiToken.new_key()
    token = ApiToken(
        person=person,
        name=name,
        key_hint=raw[: len(ApiToken.PREFIX) + 4],
        key_hash=ApiToken.hash_key(raw),
    )
    token.full_clean()
    token.save()
    return token, raw


def api_token_revoke(*, actor: Any, token: ApiToken) -> ApiToken:
    if token.person_id != actor.pk and not is_office(actor):
        raise PermissionDenied
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def api_token_authenticate(*, raw: str) -> Any | None:
    """The active person a raw token belongs to, or None."""
    token = (
        ApiToken.objects.active()
        .select_related("person")
        .filter(key_hash=ApiToken.hash_key(raw))
        .first()
    )
    if token is None or not token.person.is_active:
        return None
    now = timezone.now()
    # Record use at most once a minute to spare the database a write per request.
    if token.last_used_at is None or now - token.last_used_at > datetime.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.person


def _failure_window_start() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)


# Why signing in is paused: too many failures for the email address (lifted by resetting its
# password) or from the client address (which no one address's reset lifts).
THROTTLED_EMAIL = "email"
THROTTLED_CLIENT = "client"


def login_throttle(*, email: str, client: str) -> str | None:
    """Why signing in to `email` from `client` is paused, or None if it is not: too many
    recent failures for this address from this client, for this address from anywhere, or
    from this client for any address.

    The first limit is low and the second high, so that someone guessing from elsewhere
    cannot lock the real person out of their own browser: the guesser reaches their pair's
    limit long before the address's.
    """
    recent = LoginFailure.objects.filter(at__gte=_failure_window_start())
    email = email.strip().lower()
    if recent.filter(email=email).count() >= settings.LOGIN_FAILURE_EMAIL_LIMIT:
        return THROTTLED_EMAIL
    if not client:
        return None
    if recent.filter(email=email, client=client).count() >= settings.LOGIN_FAILURE_LIMIT:
        return THROTTLED_EMAIL
    # A client may mistype several accounts; guessing across many needs a higher bar.
    if recent.filter(client=client).count() >= settings.LOGIN_FAILURE_CLIENT_LIMIT:
        return THROTTLED_CLIENT
    return None


def login_failure_record(*, email: str, client: str) -> None:
    LoginFailure.objects.filter(at__lt=_failure_window_start()).delete()
    LoginFailure.objects.create(email=email.strip().lower()[:254], client=client[:64])


def login_failures_clear(*, email: str, client: str | None = None) -> None:
    """Forget the failures for `email` from `client` (a successful sign-in there), or from
    everywhere when no client is given (a successful password reset, which proves the
    person holds the address)."""
    failures = LoginFailure.objects.filter(email=email.strip().lower())
    if client is not None:
        failures = failures.filter(client=client[:64])
    failures.delete()


def task_start(
    task_path: str, *, label: str, requested_by: Any, result_url: str = "", **kwargs: Any
) -> TaskProgress:
    """Record the progress of new background work and enqueue the task at `task_path` with
    `progress_id` once the surrounding transaction commits, so a worker never picks up work
    whose records it cannot see yet.

    Services name their task by its dotted path rather than importing their app's `tasks`
    module: a task body may then call its app's services without an import cycle.
    """
    task = import_string(task_path)
    if not isinstance(task, Task):
        raise TypeError(f"{task_path} is not a task")
    progress = TaskProgress(label=label, requested_by=requested_by, result_url=result_url)
    progress.full_clean()
    progress.save()

    def enqueue() -> None:
        result = task.enqueue(progress_id=str(progress.pk), **kwargs)
        TaskProgress.objects.filter(pk=progress.pk).update(task_result_id=str(result.id))

    transaction.on_commit(enqueue)
    return progress


def task_progress_start(*, progress_id: uuid.UUID | str, total: int) -> None:
    TaskProgress.objects.filter(pk=progress_id).update(
        state=TaskProgress.State.RUNNING, total=total, done=0, updated_at=timezone.now()
    )


def task_progress_advance(*, progress_id: uuid.UUID | str, by: int = 1) -> None:
    TaskProgress.objects.filter(pk=progress_id).update(
        done=F("done") + by, updated_at=timezone.now()
    )


def task_progress_finish(
    *, progress_id: uuid.UUID | str, message: str, failed: bool = False
) -> None:
    state = TaskProgress.State.FAILED if failed else TaskProgress.State.SUCCEEDED
    TaskProgress.objects.filter(pk=progress_id).update(
        state=state, message=message, updated_at=timezone.now()
    )


# Work that has not reported for this long has lost its worker (killed, out of memory): a
# living task reports at least every thousand rows, and reads a file within minutes.
TASK_STALE_AFTER = datetime.timedelta(minutes=30)
# What the progress says (the work may be an import or, say, invoicing, which keeps what it
# did), and what an import batch says (an import writes all or nothing).
WORK_STOPPED = "The work stopped unexpectedly before it finished. Start it again."
IMPORT_STOPPED = "The work stopped unexpectedly. Nothing was imported; try again."
_UNFINISHED = [TaskProgress.State.QUEUED, TaskProgress.State.RUNNING]


def task_progress_fail_stale(
    *,
    older_than: datetime.timedelta = TASK_STALE_AFTER,
    progress_ids: Iterable[uuid.UUID | str] | None = None,
) -> int:
    """Fail queued or running work that has not reported for `older_than` (only that of
    `progress_ids`, if given): its progress, the import batch it was checking or writing, and
    its task's result if the worker left it running. Returns how many were failed.

    Work a living worker takes up later finds its batch failed and stops (see
    loti.core.tasks), so failing it here never imports a file twice."""
    now = timezone.now()
    stale = TaskProgress.objects.filter(state__in=_UNFINISHED, updated_at__lt=now - older_than)
    if progress_ids is not None:
        stale = stale.filter(pk__in=list(progress_ids))
    with transaction.atomic():
        found = list(stale.select_for_update().values_list("pk", "task_result_id"))
        if not found:
            return 0
        ids = [pk for pk, _ in found]
        Batch = ImportBatch.State
        batches = ImportBatch.objects.filter(
            progress_id__in=ids, state__in=[Batch.UPLOADED, Batch.PREVIEWING, Batch.COMMITTING]
        )
        imports = set(batches.values_list("progress_id", flat=True))
        batches.update(state=Batch.FAILED, message=IMPORT_STOPPED, updated_at=now)
        for message, pks in (
            (IMPORT_STOPPED, [pk for pk in ids if pk in imports]),
            (WORK_STOPPED, [pk for pk in ids if pk not in imports]),
        ):
            TaskProgress.objects.filter(pk__in=pks, state__in=_UNFINISHED).update(
                state=TaskProgress.State.FAILED, message=message, updated_at=now
            )
        results = []
        for _, result_id in found:
            try:
                results.append(uuid.UUID(result_id))
            except ValueError:  # never enqueued, or by a backend other than the database's
                continue
        DBTaskResult.objects.filter(pk__in=results, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.FAILED,
            finished_at=now,
            exception_class_path="loti.core.services.WorkStopped",
            traceback=WORK_STOPPED,
        )
    return len(ids)


def task_progress_fail_if_stale(*, progress: TaskProgress) -> TaskProgress:
    """`progress`, failed first if it is unfinished and has not reported for too long."""
    if progress.is_finished or progress.updated_at >= timezone.now() - TASK_STALE_AFTER:
        return progress
    if task_progress_fail_stale(progress_ids=[progress.pk]):
        progress.refresh_from_db()
    return progress
