import argparse

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from loti.members import services


class DryRun(Exception):
    """Raised to roll back a dry run once its counts are known."""


class Command(BaseCommand):
    help = (
        "Create or update organisations from a CSV (gss_code,name,short_name,kind,website), all or "
        "nothing. With no file, loads London's reference list."
    )

    def add_arguments(self, parser):
        parser.add_argument("csv", nargs="?", type=argparse.FileType("r", encoding="utf-8-sig"))
        parser.add_argument("--dry-run", action="store_true", help="Check and count, write nothing")

    def handle(self, *args, csv, dry_run, **options):
        try:
            with transaction.atomic():
                counts = services.organisations_import(actor=None, source=csv)
                if dry_run:
                    raise DryRun
        except DryRun:
            pass
        except ValidationError as error:
            raise CommandError("Nothing was loaded:\n" + "\n".join(error.messages)) from error
        prefix = "Would have: " if dry_run else ""
        self.stdout.write(
            f"{prefix}{counts['created']} created, {counts['updated']} updated, "
            f"{counts['unchanged']} unchanged."
        )
