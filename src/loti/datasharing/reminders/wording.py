"""How a reminder is put in words, the same on the page, the home page and in the email."""

from __future__ import annotations

import datetime
from typing import Any

from loti.datasharing.reminders.selectors import UNSIGNED_AFTER


def _days(count: int) -> str:
    return f"{count} day{'s' if count != 1 else ''}"


def review(review_date: datetime.date, today: datetime.date) -> str:
    """'Review overdue by 3 days', 'Review due today', 'Review due in 12 days'."""
    days = (review_date - today).days
    if days < 0:
        return f"Review overdue by {_days(-days)}"
    if days == 0:
        return "Review due today"
    return f"Review due in {_days(days)}"


def is_overdue(party: Any, now: datetime.datetime) -> bool:
    return party.awaiting_since <= now - UNSIGNED_AFTER


def waiting(party: Any, now: datetime.datetime) -> str:
    """'Waiting 34 days'; 'Sent today' for a version sent less than a day ago."""
    days = (now - party.awaiting_since).days
    return f"Waiting {_days(days)}" if days else "Sent today"
