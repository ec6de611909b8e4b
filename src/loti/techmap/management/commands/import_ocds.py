import json
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from loti.techmap.ocds import importing, notices


class Command(BaseCommand):
    # Run from scripts and pipes: the system checks would only add to every run's start.
    requires_system_checks: list[str] = []
    help = (
        "Import published contract notices (OCDS release packages, record packages or JSON "
        "Lines of either, gzipped or not) from a file, or from standard input with -. All or "
        "nothing: a file with any unreadable release changes nothing. Exits with status 2 "
        "when the file cannot be read or is past a limit (docs/security.md), 1 when it has "
        "releases to fix."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The file to read, or - for standard input")
        parser.add_argument(
            "--cpv",
            help="Comma-separated CPV code prefixes that make a notice technology "
            "(default: the OCDS_CPV_PREFIXES setting, "
            + ",".join(settings.OCDS_CPV_PREFIXES)
            + ")",
        )
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help="Print the report as JSON"
        )
        parser.add_argument("--dry-run", action="store_true", help="Report, but write nothing")

    def handle(self, *args, path, cpv, as_json: bool, dry_run: bool, **options):
        try:
            prefixes = None if cpv is None else notices.parse_cpv_prefixes(cpv)
        except ValueError as error:
            raise CommandError(f"--cpv: {error}") from error
        try:
            stream = sys.stdin.buffer if path == "-" else open(path, "rb")  # noqa: SIM115
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from error
        with stream:
            report = importing.import_ocds(stream, cpv_prefixes=prefixes, dry_run=dry_run)
        if as_json:
            self.stdout.write(json.dumps(report.as_dict()))
        else:
            self.stdout.write(_text(report, dry_run=dry_run))
        if not report.imported:
            # 2: the file cannot be read at all (or is past a limit of the reader).
            raise CommandError("Nothing was imported.", returncode=2 if report.unreadable else 1)


def _text(report: importing.Report, *, dry_run: bool) -> str:
    lines = [("Dry run, nothing written. " if dry_run else "") + report.summary()]
    for reason, count in report.skipped.items():
        lines.append(f"  skipped {count:,}: {reason}")
    for error in report.errors:
        where = f"{error['position']}: " if error["position"] else ""
        lines.append(f"  error: {where}{error['message']}")
    if report.more_errors:
        lines.append("  (and more errors: fix these and run it again)")
    for value in report.unread:
        lines.append(
            f"  value not read as given: {value['release']} {value['field']} "
            f"{value['value']}: {value['action']}"
        )
    if report.more_unread:
        lines.append(f"  (and {report.more_unread:,} more values not read as given)")
    for duplicate in report.possible_duplicates:
        lines.append(
            f"  new supplier “{duplicate['name']}” may be "
            + " or ".join(f"“{name}”" for name in duplicate["suggestions"])
        )
    return "\n".join(lines)
