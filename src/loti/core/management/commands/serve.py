import logging
import subprocess
import sys
import threading

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection

from loti.core import services as core_services

logger = logging.getLogger(__name__)

# How often, while serving, work whose worker died is looked for and failed.
STALE_CHECK_SECONDS = 300


def fail_stale_work() -> None:
    try:
        failed = core_services.task_progress_fail_stale()
        if failed:
            logger.warning("Failed %s piece(s) of work whose worker had stopped", failed)
    except Exception:
        logger.exception("Looking for work whose worker had stopped failed")


def _check_stale_work(stop: threading.Event) -> None:
    while not stop.wait(STALE_CHECK_SECONDS):
        fail_stale_work()
        connection.close()  # this thread's own connection, opened again when next needed


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
        if not no_worker:
            # Work a worker of an earlier run left unfinished is failed, not left running.
            fail_stale_work()
            threading.Thread(target=_check_stale_work, args=(stop,), daemon=True).start()
            worker = subprocess.Popen(
                [sys.executable, "-m", "loti.cli", "db_worker", "--no-startup-delay"]
            )
        try:
            self.stdout.write(f"Serving on http://127.0.0.1:{port}/ (press Ctrl+C to stop)")
            call_command("runserver", f"127.0.0.1:{port}", use_reloader=False)
        finally:
            stop.set()
            if worker is not None:
                worker.terminate()
                worker.wait(timeout=10)
