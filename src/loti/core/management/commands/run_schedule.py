from django.core.management.base import BaseCommand

from loti.core import schedule


class Command(BaseCommand):
    help = (
        "Start the scheduled tasks whose time has come (a weekly digest, say), each once per "
        "period however many machines run this at once. Run it every few minutes from cron "
        "or a systemd timer (docs/deploy.md); `loti serve` does so itself."
    )

    def handle(self, *args, **options):
        started = schedule.run_due()
        if started:
            self.stdout.write(f"Started {', '.join(started)}.")
        else:
            self.stdout.write("Nothing was due.")
