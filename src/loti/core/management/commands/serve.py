import subprocess
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand


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
        if not no_worker:
            worker = subprocess.Popen(
                [sys.executable, "-m", "loti.cli", "db_worker", "--no-startup-delay"]
            )
        try:
            self.stdout.write(f"Serving on http://127.0.0.1:{port}/ (press Ctrl+C to stop)")
            call_command("runserver", f"127.0.0.1:{port}", use_reloader=False)
        finally:
            if worker is not None:
                worker.terminate()
                worker.wait(timeout=10)
