"""The demo's published report: last financial year's, so that the public can read one."""

from __future__ import annotations

import datetime
import random

from loti.core.permissions import Role
from loti.evaluation.report import content, services
from loti.members.financial_year import FinancialYear
from loti.members.models import Person


def build(*, rng: random.Random, today: datetime.date) -> None:
    office = Person.objects.filter(role=Role.OFFICE).order_by("email").first()
    if office is not None:
        year = FinancialYear.containing(today).start_year - 1
        report = content.build(user=office, year=year, today=today)
        services.report_publish(
            actor=office, title=report["title"], financial_year=year, content=report
        )
