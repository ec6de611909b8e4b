"""The demo's published report: last financial year's, so that the public can read one."""

from __future__ import annotations

import datetime
import random

from loti.evaluation.report import content, services
from loti.members import selectors as member_selectors
from loti.members.financial_year import FinancialYear


def build(*, rng: random.Random, today: datetime.date) -> None:
    office = member_selectors.office_person()
    if office is not None:
        year = FinancialYear.containing(today).start_year - 1
        report = content.build(user=office, year=year, today=today)
        services.report_publish(
            actor=office, title=report["title"], financial_year=year, content=report
        )
