"""Writes for published reports, each through the audit trail."""

from __future__ import annotations

from typing import Any

from loti.core import audit
from loti.evaluation.report.models import ReportPublication


def report_publish(
    *, actor: Any, title: str, financial_year: int, content: dict[str, Any]
) -> ReportPublication:
    """Publish a report: its `content` (see loti.evaluation.report.content) is kept as it is now."""
    publication = ReportPublication(
        title=title, financial_year=financial_year, published_by=actor, content=content
    )
    return audit.create(actor=actor, obj=publication)


def report_withdraw(*, actor: Any, publication: ReportPublication) -> None:
    audit.delete(actor=actor, obj=publication)
