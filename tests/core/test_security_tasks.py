"""Work whose worker died is failed with a reason after a while, never left running."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from loti.core import services
from loti.core.management.commands import serve
from loti.core.models import ImportBatch, TaskProgress

pytestmark = pytest.mark.django_db

LONG_AGO = datetime.timedelta(hours=2)


def stale_import(person, *, state="running", batch_state="previewing", age=LONG_AGO):
    """An import whose worker took it up and then died `age` ago."""
    started = timezone.now() - age
    result = DBTaskResult.objects.create(
        task_path="loti.core.tasks.preview_import",
        args_kwargs={"args": [], "kwargs": {}},
        backend_name="default",
        run_after=started,
        status="RUNNING",
        started_at=started,
    )
    progress = TaskProgress.objects.create(
        label="Checking estate.xlsx",
        requested_by=person,
        state=state,
        total=10,
        task_result_id=str(result.pk),
    )
    batch = ImportBatch.objects.create(
        kind="techmap.estate",
        requested_by=person,
        filename="estate.xlsx",
        content=b"",
        state=batch_state,
        progress=progress,
    )
    # auto_now sets updated_at on save; only update() can put it in the past.
    TaskProgress.objects.filter(pk=progress.pk).update(updated_at=started)
    return progress, batch, result


def test_running_work_with_a_dead_worker_is_failed_with_its_batch_and_task(officer_a):
    progress, batch, result = stale_import(officer_a)
    assert services.task_progress_fail_stale() == 1
    progress.refresh_from_db(), batch.refresh_from_db(), result.refresh_from_db()
    assert (progress.state, progress.message) == ("failed", services.WORK_STOPPED)
    assert progress.message == "The work stopped unexpectedly. Nothing was imported; try again."
    assert (batch.state, batch.message) == ("failed", services.WORK_STOPPED)
    assert result.status == "FAILED" and result.finished_at is not None


@pytest.mark.parametrize("batch_state", ["uploaded", "committing"])
def test_queued_work_and_commits_are_failed_alike(officer_a, batch_state):
    _, batch, _ = stale_import(officer_a, state="queued", batch_state=batch_state)
    assert services.task_progress_fail_stale() == 1
    batch.refresh_from_db()
    assert batch.state == "failed"


def test_work_still_reporting_and_finished_work_are_left_alone(officer_a):
    recent, recent_batch, recent_result = stale_import(officer_a, age=datetime.timedelta(minutes=5))
    done, _, _ = stale_import(officer_a, state="succeeded", batch_state="previewed")
    assert services.task_progress_fail_stale() == 0
    recent.refresh_from_db(), recent_batch.refresh_from_db(), recent_result.refresh_from_db()
    done.refresh_from_db()
    assert (recent.state, recent_batch.state, recent_result.status) == (
        "running",
        "previewing",
        "RUNNING",
    )
    assert done.state == "succeeded"


def test_the_progress_page_fails_work_whose_worker_died(client, officer_a):
    progress, batch, _ = stale_import(officer_a)
    client.force_login(officer_a)
    url = reverse("core:task_progress", args=[progress.pk])
    answer = client.get(url, {"format": "json"}).json()
    assert (answer["state"], answer["finished"]) == ("failed", True)
    assert answer["message"] == services.WORK_STOPPED
    batch.refresh_from_db()
    assert batch.state == "failed"
    assert services.WORK_STOPPED in client.get(url).content.decode()


def test_a_task_a_living_worker_takes_up_later_stops_at_the_failed_batch(officer_a):
    from loti.core import tasks as core_tasks

    progress, batch, _ = stale_import(officer_a, state="queued", batch_state="uploaded")
    services.task_progress_fail_stale()
    core_tasks.preview_import.call(batch_id=str(batch.pk), progress_id=str(progress.pk))
    batch.refresh_from_db()
    assert batch.state == "failed" and batch.message == services.WORK_STOPPED


def test_loti_serve_fails_dead_work_when_it_starts_its_worker(officer_a, monkeypatch):
    progress, _, _ = stale_import(officer_a)
    started = []

    class Worker:
        def __init__(self, command):
            started.append(command)

        def terminate(self):
            pass

        def wait(self, timeout):
            pass

    monkeypatch.setattr(serve.subprocess, "Popen", Worker)
    monkeypatch.setattr(serve, "call_command", lambda *args, **kwargs: None)
    call_command("serve")
    progress.refresh_from_db()
    assert progress.state == "failed" and started
