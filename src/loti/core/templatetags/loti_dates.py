"""The short forms of a date that tables use: "3 Mar 2029" and "Mar 2029".

They print what Django's `date:"j M Y"` and `date:"M Y"` print (the service is in British
English only), for a fraction of the cost per call: a table of a few dozen rows calls them
a hundred times on every page view.
"""

from __future__ import annotations

import datetime
from typing import Any

from django import template
from django.utils import timezone

register = template.Library()

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _day(value: Any) -> datetime.date | None:
    """The date of `value`: a date as it is, an aware datetime on the local calendar (as the
    `date` filter shows it), anything else nothing."""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if isinstance(value, datetime.date):
        return value
    return None


@register.filter
def short_date(value: Any) -> str:
    """'3 Mar 2029'; empty for no date, so that `|default:` can say what to show instead."""
    day = _day(value)
    return f"{day.day} {MONTHS[day.month - 1]} {day.year:04d}" if day else ""


@register.filter
def month_year(value: Any) -> str:
    """'Mar 2029'; empty for no date."""
    day = _day(value)
    return f"{MONTHS[day.month - 1]} {day.year:04d}" if day else ""


def _time(moment: datetime.datetime) -> str:
    """GOV.UK style: '9am', '9:30am', '12pm', '5:45pm'."""
    hour = moment.hour % 12 or 12
    minutes = f":{moment.minute:02d}" if moment.minute else ""
    return f"{hour}{minutes}{'am' if moment.hour < 12 else 'pm'}"


@register.filter
def date_and_time(value: Any) -> str:
    """'3 December 2026 at 9:30am' (the local time, for an aware datetime); empty for none."""
    if not isinstance(value, datetime.datetime):
        return ""
    moment = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{moment.day} {moment:%B} {moment.year:04d} at {_time(moment)}"
