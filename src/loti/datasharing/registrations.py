"""What the data-sharing registry adds to the platform's shared registries (home page,
navigation, search): each concept registers its own entries."""

from __future__ import annotations

from loti.datasharing.agreements import registrations as agreements
from loti.datasharing.reminders import registrations as reminders


def register() -> None:
    """Connected from the app's `ready()`."""
    agreements.register()
    reminders.register()
