"""Membership money on the home page: invoices the office is still waiting on."""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse
from django.utils import timezone

from loti.core import home
from loti.core.money import money
from loti.members import selectors

SHOWN = 5
UNPAID_AFTER = datetime.timedelta(days=30)


def unpaid(user: Any) -> home.Rows | None:
    today = timezone.localdate()
    found = selectors.contributions_unpaid(user=user, invoiced_before=today - UNPAID_AFTER)
    if found is None:
        return None
    return home.rows_of(
        found,
        limit=SHOWN,
        row=lambda c: home.Row(
            text=f"{c.organisation.short_name}: {c.get_kind_display().lower()} "
            f"{c.financial_year.label}, {money(c.amount)}",
            url=c.get_absolute_url(),
            tag=f"Unpaid for {(today - c.invoiced_on).days} days",
            tag_colour="red",
            detail=f"Invoiced {home.day(c.invoiced_on)}"
            + (f", reference {c.invoice_reference}" if c.invoice_reference else ""),
        ),
        more_url=reverse("members:finance_index"),
    )


def register() -> None:
    home.register(
        key="unpaid-invoices",
        heading="Invoices unpaid after 30 days",
        section=home.WAITING,
        order=20,
        rows=unpaid,
        empty="Every invoice older than 30 days has been paid.",
    )
