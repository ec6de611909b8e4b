"""Work that runs on a timetable (a weekly digest, a clean-up): each app registers its
scheduled tasks from its AppConfig.ready(), as it registers home-page items, and `run_due`
starts those whose period has passed.

Nothing here keeps time itself. `loti run_schedule`, run every few minutes by cron or a
systemd timer on any number of machines, calls `run_due`; so does `loti serve` while it runs.
Each start is claimed with one conditional UPDATE of the task's `ScheduledRun` row: however
many processes look at the same moment, one of them wins the period and enqueues the task,
and the others find it claimed and do nothing.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from loti.core import services
from loti.core.models import ScheduledRun

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Scheduled:
    key: str
    # The task's dotted path, as `loti.core.services.task_start` takes it: the task receives
    # `progress_id` and reports through it, like any other background work.
    task: str
    every: datetime.timedelta
    # What the work is called on its progress page and in the failed-work list.
    label: str


_scheduled: dict[str, Scheduled] = {}


def register(key: str, *, task: str, every: datetime.timedelta, label: str) -> None:
    """Run `task` once every `every`; registering the same key again replaces it (ready()
    may run more than once). The key names the task's row in the database: keep it when
    the task moves."""
    if every <= datetime.timedelta(0):
        raise ValueError(f"Scheduled task {key!r} needs a period longer than zero")
    if not key or len(key) > ScheduledRun._meta.get_field("key").max_length:
        raise ValueError(f"Scheduled task key {key!r} must be 1 to 100 characters")
    _scheduled[key] = Scheduled(key=key, task=task, every=every, label=label)


def registered() -> list[Scheduled]:
    return sorted(_scheduled.values(), key=lambda scheduled: scheduled.key)


def _is_due(scheduled: Scheduled, now: datetime.datetime) -> Q:
    # A task never started is due at once; afterwards, once a whole period has passed.
    return Q(key=scheduled.key) & (
        Q(last_started_at__isnull=True) | Q(last_started_at__lte=now - scheduled.every)
    )


def due(now: datetime.datetime | None = None) -> list[Scheduled]:
    """The registered tasks whose period has passed at `now` (by default, the present)."""
    now = now or timezone.now()
    last = dict(ScheduledRun.objects.values_list("key", "last_started_at"))
    return [
        scheduled
        for scheduled in registered()
        if last.get(scheduled.key) is None or last[scheduled.key] <= now - scheduled.every
    ]


def claim(scheduled: Scheduled, now: datetime.datetime) -> bool:
    """Take the period ending at `now` for `scheduled`: True for the one caller whose UPDATE
    found the task still due, False for every other. (On PostgreSQL a second UPDATE of the
    row waits for the first to commit, then finds the condition no longer holds; SQLite
    writes one transaction at a time.)"""
    ScheduledRun.objects.bulk_create([ScheduledRun(key=scheduled.key)], ignore_conflicts=True)
    return ScheduledRun.objects.filter(_is_due(scheduled, now)).update(last_started_at=now) == 1


def run_due(now: datetime.datetime | None = None) -> list[str]:
    """Start every registered task that is due, each at most once per period whoever else
    calls this at the same time; returns the keys of those this call started.

    The claim and the task's progress record commit together, and the task is enqueued when
    they have: if enqueuing then fails, the progress stays queued until
    `loti fail_stale_work` fails it, and the office sees it among the failed work."""
    now = now or timezone.now()
    started = []
    for scheduled in due(now):
        with transaction.atomic():
            if not claim(scheduled, now):
                continue
            services.task_start(scheduled.task, label=scheduled.label, requested_by=None)
        logger.info("Started scheduled task %s", scheduled.key)
        started.append(scheduled.key)
    return started
