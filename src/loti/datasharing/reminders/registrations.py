"""What this concept adds to the platform's shared registries: its home-page items and its
weekly email on the schedule."""

import datetime

from loti.core import schedule
from loti.datasharing.reminders import home


def register() -> None:
    """Called from `datasharing.registrations.register()`."""
    home.register()
    schedule.register(
        "datasharing-reminders",
        task="loti.datasharing.reminders.tasks.send_reminders",
        every=datetime.timedelta(days=7),
        label="Weekly data-sharing reminders",
    )
