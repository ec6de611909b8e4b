from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils import timezone

from loti.core import demo


class Command(BaseCommand):
    help = "Migrate the database and load the demo consortium (deterministic for a seed)."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2019, help="Random seed (default 2019)")
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete everything in the database and build the demo again",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="With --reset: say what would be deleted, and stop",
        )

    def handle(self, *args, seed, reset, dry_run, **options):
        call_command("migrate", interactive=False, verbosity=0)
        if reset and dry_run:
            rows = sum(
                model.objects.count()
                for model in apps.get_models()
                if model._meta.app_config.name.startswith("loti.")
            )
            self.stdout.write(f"Would delete {rows} records and build the demo with seed {seed}.")
            return
        if reset:
            call_command("flush", interactive=False, verbosity=0)
        if get_user_model().objects.exists():
            self.stdout.write(
                "The database already has data: leaving it as it is "
                "(use --reset to rebuild the demo)."
            )
        else:
            demo.build(seed=seed, today=timezone.localdate())
            self.stdout.write(self.style.SUCCESS(f"Demo built with seed {seed}."))
        self.stdout.write(f"\nDemo logins (the password for each is {demo.DEMO_PASSWORD}):")
        for login in demo.logins():
            self.stdout.write(f"  {login.email:<45} {login.description}")
