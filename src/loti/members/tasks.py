"""Background work for memberships and money."""

from __future__ import annotations

import logging

from django.contrib.auth import get_user_model
from django_tasks import task

from loti.core import services as core_services
from loti.members import services
from loti.members.financial_year import FinancialYear

logger = logging.getLogger(__name__)


@task()
def raise_membership_invoices(*, year: int, actor_id: int, progress_id: str) -> int:
    actor = get_user_model().objects.filter(pk=actor_id).first()
    try:
        raised = services.membership_invoices_raise(actor=actor, year=year, progress_id=progress_id)
    except Exception:
        logger.exception("Raising membership invoices for %s failed", FinancialYear(year))
        core_services.task_progress_finish(
            progress_id=progress_id,
            message="Something went wrong part way through. Invoices already raised are "
            "kept; start again to raise the rest.",
            failed=True,
        )
        raise
    core_services.task_progress_finish(
        progress_id=progress_id,
        message=f"Raised {raised} membership fee invoice{'s' if raised != 1 else ''} "
        f"for {FinancialYear(year)}.",
    )
    return raised
