"""The schedule: each registered task starts once per period, however many processes run
the schedule at the same moment."""

import datetime
import threading

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django_tasks_db.models import DBTaskResult

from loti.core import schedule
from loti.core.management.commands import serve
from loti.core.models import ScheduledRun, TaskProgress
from tests import clock

WEEK = datetime.timedelta(days=7)
TASK = "loti.core.tasks.preview_import"  # any task: the tests never run it


@pytest.fixture
def weekly(monkeypatch):
    """Only one scheduled task, weekly, whatever the apps register."""
    monkeypatch.setattr(schedule, "_scheduled", {})
    schedule.register("digest", task=TASK, every=WEEK, label="Weekly digest")
    return schedule.registered()[0]


def test_a_period_must_be_longer_than_zero(monkeypatch):
    monkeypatch.setattr(schedule, "_scheduled", {})
    with pytest.raises(ValueError, match="longer than zero"):
        schedule.register("never", task=TASK, every=datetime.timedelta(0), label="Never")
    assert schedule.registered() == []


@pytest.mark.django_db
def test_a_task_starts_at_once_then_once_a_period(weekly, django_capture_on_commit_callbacks):
    now = clock.NOW
    with clock.frozen(now), django_capture_on_commit_callbacks(execute=True):
        assert schedule.due() == [weekly]
        assert schedule.run_due() == ["digest"]
    progress = TaskProgress.objects.get()
    assert (progress.label, progress.requested_by) == ("Weekly digest", None)
    result = DBTaskResult.objects.get(pk=progress.task_result_id)
    assert result.task_path == TASK
    assert result.args_kwargs["kwargs"] == {"progress_id": str(progress.pk)}
    assert ScheduledRun.objects.get(key="digest").last_started_at == now

    for later in (datetime.timedelta(minutes=5), WEEK - datetime.timedelta(seconds=1)):
        with django_capture_on_commit_callbacks(execute=True):
            assert schedule.due(now + later) == []
            assert schedule.run_due(now + later) == []
    assert TaskProgress.objects.count() == 1

    with clock.frozen(now + WEEK), django_capture_on_commit_callbacks(execute=True):
        assert schedule.run_due() == ["digest"]
    assert TaskProgress.objects.count() == 2
    assert ScheduledRun.objects.get(key="digest").last_started_at == now + WEEK


@pytest.mark.django_db
def test_of_two_processes_that_find_the_task_due_only_one_claims_it(weekly):
    """The race as two processes run it: both read the task as due, both try to claim it."""
    now = clock.NOW
    ScheduledRun.objects.create(key="digest", last_started_at=now - WEEK - WEEK)
    assert schedule.due(now) == [weekly]  # process A looks
    assert schedule.due(now) == [weekly]  # process B looks, before A claims
    assert schedule.claim(weekly, now) is True  # A's UPDATE finds it due
    assert schedule.claim(weekly, now) is False  # B's finds it claimed
    # A second process that started a moment later finds it claimed too.
    assert schedule.claim(weekly, now + datetime.timedelta(seconds=1)) is False


@pytest.mark.django_db(transaction=True)
def test_simultaneous_schedule_runs_start_the_task_once(weekly):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite writes one transaction at a time: there is no race to lose")
    now = clock.NOW
    threads_count = 8
    barrier = threading.Barrier(threads_count)
    started: list[list[str]] = []
    errors: list[BaseException] = []

    def run():
        try:
            barrier.wait()
            started.append(schedule.run_due(now))
        except BaseException as error:  # reported below, with the assertion
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(started) == [[]] * (threads_count - 1) + [["digest"]]
    assert TaskProgress.objects.count() == 1
    assert DBTaskResult.objects.filter(task_path=TASK).count() == 1
    assert ScheduledRun.objects.get(key="digest").last_started_at == now


@pytest.mark.django_db
def test_the_command_says_what_it_started(weekly, capsys, django_capture_on_commit_callbacks):
    with clock.frozen(), django_capture_on_commit_callbacks(execute=True):
        call_command("run_schedule")
        call_command("run_schedule")
    assert capsys.readouterr().out.splitlines() == ["Started digest.", "Nothing was due."]


def test_loti_serve_runs_the_schedule_while_it_serves(monkeypatch):
    calls = []
    monkeypatch.setattr(serve.schedule, "run_due", lambda: calls.append("run") or ["digest"])
    monkeypatch.setattr(serve.subprocess, "Popen", lambda command: type("P", (), {})())
    monkeypatch.setattr(serve, "SCHEDULE_CHECK_SECONDS", 0)
    worker = serve.Worker()
    worker.process.poll = lambda: None  # the worker is running

    class Checks:
        def __init__(self, count):
            self.left = count

        def wait(self, seconds):
            self.left -= 1
            return self.left < 0

        def is_set(self):
            return self.left < 0

    worker.keep_alive(Checks(3))
    assert calls == ["run"] * 3


def test_a_failing_schedule_does_not_stop_the_server(monkeypatch, caplog):
    def broken():
        raise RuntimeError("the database is away")

    monkeypatch.setattr(serve.schedule, "run_due", broken)
    serve.run_schedule()
    assert "Starting scheduled work failed" in caplog.text
