from django.core.management.base import BaseCommand

from loti.core import services


class Command(BaseCommand):
    help = (
        "Fail background work whose worker stopped without finishing it (no progress for 30 "
        "minutes), with its import, so nobody waits on it. Run it every few minutes beside "
        "the workers (docs/deploy.md); `loti serve` does so itself."
    )

    def handle(self, *args, **options):
        failed = services.task_progress_fail_stale()
        self.stdout.write(f"{failed} piece{'s' if failed != 1 else ''} of work failed.")
