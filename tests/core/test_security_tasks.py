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
    assert (progress.state, progress.message) == ("failed", services.IMPORT_STOPPED)
    assert progress.message == "The work stopped unexpectedly. Nothing was imported; try again."
    assert (batch.state, batch.message) == ("failed", services.IMPORT_STOPPED)
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
    assert answer["message"] == services.IMPORT_STOPPED
    batch.refresh_from_db()
    assert batch.state == "failed"
    assert services.IMPORT_STOPPED in client.get(url).content.decode()


def test_work_that_is_not_an_import_is_not_said_to_have_imported_nothing(officer_a):
    progress = TaskProgress.objects.create(
        label="Raising membership fee invoices", requested_by=officer_a, state="running"
    )
    TaskProgress.objects.filter(pk=progress.pk).update(updated_at=timezone.now() - LONG_AGO)
    assert services.task_progress_fail_stale() == 1
    progress.refresh_from_db()
    assert (progress.state, progress.message) == ("failed", services.WORK_STOPPED)
    assert "imported" not in progress.message


def test_a_task_a_living_worker_takes_up_later_stops_at_the_failed_batch(officer_a):
    from loti.core import tasks as core_tasks

    progress, batch, _ = stale_import(officer_a, state="queued", batch_state="uploaded")
    services.task_progress_fail_stale()
    core_tasks.preview_import.call(batch_id=str(batch.pk), progress_id=str(progress.pk))
    batch.refresh_from_db()
    assert batch.state == "failed" and batch.message == services.IMPORT_STOPPED


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


def test_the_worker_beside_the_server_is_started_again_when_it_stops(monkeypatch):
    processes = []

    class Process:
        def __init__(self, command):
            self.returncode = None
            processes.append(self)

        def poll(self):
            return self.returncode

    monkeypatch.setattr(serve.subprocess, "Popen", Process)
    monkeypatch.setattr(serve, "fail_stale_work", lambda: None)
    monkeypatch.setattr(serve, "WORKER_CHECK_SECONDS", 0)
    worker = serve.Worker()
    worker.process.returncode = -6  # killed, as by SIGABRT

    class OneCheck:
        def __init__(self):
            self.calls = 0

        def wait(self, seconds):
            self.calls += 1
            return self.calls > 1

        def is_set(self):
            return self.calls > 1

    worker.keep_alive(OneCheck())
    assert len(processes) == 2 and worker.process is processes[1]


def test_loti_serve_stopped_by_a_signal_stops_its_worker(tmp_path):
    """SIGTERM, as a service manager or `kill` sends, ends the worker with the server."""
    import os
    import signal
    import socket
    import subprocess
    import sys
    import time

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite3'}",
        "SECRET_KEY": "s" * 60,
        "HTTPS": "false",
    }
    subprocess.run(
        [sys.executable, "-m", "loti.cli", "migrate", "--verbosity", "0"],
        env=env,
        check=True,
        timeout=120,
    )
    server = subprocess.Popen(
        [sys.executable, "-m", "loti.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        children = []
        while time.monotonic() < deadline and not (children and _listening(port)):
            time.sleep(0.5)
            children = _children(server.pid)
        assert children, "the worker never started"
        assert _listening(port), "the server never answered"
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        time.sleep(0.5)
        assert not [pid for pid in children if _alive(pid)]
    finally:
        if server.poll() is None:
            server.kill()


def _listening(port):
    import socket

    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        return False
    return True


def _children(pid):
    from pathlib import Path

    found = []
    for status in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = status.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(status.parent.name))
    return found


def _alive(pid):
    from pathlib import Path

    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_the_command_for_production_workers_fails_work_whose_worker_died(officer_a, capsys):
    progress, batch, _ = stale_import(officer_a)
    call_command("fail_stale_work")
    assert capsys.readouterr().out.strip() == "1 piece of work failed."
    progress.refresh_from_db()
    batch.refresh_from_db()
    assert (progress.state, batch.state) == ("failed", "failed")
