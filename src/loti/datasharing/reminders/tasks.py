"""The weekly reminders, started by the schedule (registrations.py)."""

from __future__ import annotations

from django_tasks import task

from loti.core import services as core_services
from loti.datasharing.reminders import services


@task()
def send_reminders(*, progress_id: str) -> int:
    """Email this week's data-sharing reminders; returns how many emails were sent."""
    core_services.task_progress_start(progress_id=progress_id, total=0)
    try:
        sent = services.reminders_send()
    except Exception:
        core_services.task_progress_finish(
            progress_id=progress_id,
            message="Something went wrong while sending the reminders: see the logs.",
            failed=True,
        )
        raise
    core_services.task_progress_finish(
        progress_id=progress_id,
        message=(
            f"Sent {sent} reminder email{'s' if sent != 1 else ''}."
            if sent
            else "Nothing was due, so no reminder was sent."
        ),
    )
    return sent
