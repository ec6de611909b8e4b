from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse
from django.utils import timezone

from loti.core.permissions import Role
from loti.evaluation.report import content as report
from loti.evaluation.report import pdf, selectors
from loti.members.financial_year import FinancialYear


class Command(BaseCommand):
    help = (
        "Write the evaluation report as a PDF: the current draft for a financial year (this "
        "one unless --year is given), or with --published the latest published report."
    )

    def add_arguments(self, parser):
        parser.add_argument("--pdf", dest="path", required=True, type=Path, metavar="FILE")
        parser.add_argument("--year", help="The financial year, like 2025-26")
        parser.add_argument(
            "--published", action="store_true", help="The latest published report instead"
        )

    def handle(self, *args, path: Path, year: str | None, published: bool, **options):
        if published:
            if year:
                raise CommandError("Give either --year or --published, not both")
            publication = selectors.publication_list().first()
            if publication is None:
                raise CommandError("No report has been published yet")
            content = selectors.publication_for(pk=publication.pk).content
            page = publication.get_absolute_url()
        else:
            try:
                chosen = (
                    FinancialYear.from_slug(year)
                    if year
                    else FinancialYear.containing(timezone.localdate())
                )
            except ValueError as error:
                raise CommandError(str(error)) from error
            # Whoever can run commands on the server already holds the office's data: the
            # draft is written as the office sees it, by a stand-in that is never saved.
            office = get_user_model()(full_name="Command line", role=Role.OFFICE)
            content = report.build(user=office, year=chosen.start_year)
            page = f"{reverse('evaluation:report_draft')}?year={chosen.slug}"
        data = pdf.render(content, web_url=pdf.site_address(page))
        try:
            path.write_bytes(data)
        except OSError as error:
            raise CommandError(f"Could not write {path}: {error.strerror}") from error
        self.stdout.write(f"Wrote “{content['title']}” ({len(data):,} bytes) to {path}.")
