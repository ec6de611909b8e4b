import logging
import signal
import subprocess
import sys
import threading
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection

from loti.core import schedule
from loti.core import services as core_services

logger = logging.getLogger(__name__)

# How often, while serving, work whose worker died is looked for and failed, and how often
# the worker is checked on (and started again if it has stopped), and how often the
# scheduled tasks (loti.core.schedule) are started when due.
STALE_CHECK_SECONDS = 300
WORKER_CHECK_SECONDS = 5
SCHEDULE_CHECK_SECONDS = 60


def fail_stale_work() -> None:
    try:
        failed = core_services.task_progress_fail_stale()
        if failed:
            logger.warning("Failed %s piece(s) of work whose worker had stopped", failed)
    except Exception:
        logger.exception("Looking for work whose worker had stopped failed")


def run_schedule() -> None:
    try:
        started = schedule.run_due()
        if started:
            logger.info("Started scheduled work: %s", ", ".join(started))
    except Exception:
        logger.exception("Starting scheduled work failed")


class Worker:
    """The task worker beside the local server: started again if it stops, and stopped
    with the server."""

    def __init__(self) -> None:
        self.process = self._start()

    @staticmethod
    def _start() -> subprocess.Popen:
        return subprocess.Popen(
            [sys.executable, "-m", "loti.cli", "db_worker", "--no-startup-delay"]
        )

    def keep_alive(self, stop: threading.Event) -> None:
        last_stale_check = time.monotonic()
        last_schedule_check = None  # the first check comes with the first look at the worker
        while not stop.wait(WORKER_CHECK_SECONDS):
            if self.process.poll() is not None and not stop.is_set():
                logger.warning(
                    "The task worker stopped (exit status %s); starting it again",
                    self.process.returncode,
                )
                fail_stale_work()
                self.process = self._start()
            if time.monotonic() - last_stale_check >= STALE_CHECK_SECONDS:
                fail_stale_work()
                last_stale_check = time.monotonic()
            if (
                last_schedule_check is None
                or time.monotonic() - last_schedule_check >= SCHEDULE_CHECK_SECONDS
            ):
                run_schedule()
                last_schedule_check = time.monotonic()
            connection.close()  # this thread's own connection, opened again when next needed

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def _stop_on_terminate(signum, frame):
    # SIGTERM (a service manager, `kill`) stops the server as Ctrl+C does, so the worker
    # is stopped with it rather than left running.
    raise KeyboardInterrupt


class Command(BaseCommand):
    help = (
        "Serve the site locally on http://127.0.0.1:8000 with a background-task worker beside "
        "it. For production, use gunicorn and `loti db_worker` (see docs/deploy.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-worker", action="store_true", help="Do not start a task worker")

    def handle(self, *args, port, no_worker, **options):
        worker = None
        stop = threading.Event()
        previous = signal.signal(signal.SIGTERM, _stop_on_terminate)
        try:
            if not no_worker:
                # Work a worker of an earlier run left unfinished is failed, not left running.
                fail_stale_work()
                worker = Worker()
                threading.Thread(target=worker.keep_alive, args=(stop,), daemon=True).start()
            self.stdout.write(f"Serving on http://127.0.0.1:{port}/ (press Ctrl+C to stop)")
            call_command("runserver", f"127.0.0.1:{port}", use_reloader=False)
        except KeyboardInterrupt:
            pass
        finally:
            signal.signal(signal.SIGTERM, previous)
            stop.set()
            if worker is not None:
                worker.stop()
