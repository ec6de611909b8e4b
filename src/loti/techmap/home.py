"""The technology map on the home page: the person's organisation's contracts ending soon and
records nobody has updated for a year, opportunities to buy together that include their
organisation, notice files that failed to import (for the office), and open tenders."""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse
from django.utils import timezone

from loti.core import home
from loti.core.money import estimate_range
from loti.techmap import selectors

SHOWN = 5
OPPORTUNITIES_SHOWN = 3
ENDING_MONTHS = 6
STALE_AFTER = datetime.timedelta(days=365)
FAILED_WITHIN = datetime.timedelta(days=30)


def contracts_ending(user: Any) -> home.Rows | None:
    contracts = selectors.own_contracts_ending(
        user=user, today=timezone.localdate(), months=ENDING_MONTHS
    )
    if contracts is None:
        return None
    return home.rows_of(
        contracts,
        limit=SHOWN,
        row=lambda contract: home.Row(
            text=contract.title,
            url=contract.get_absolute_url(),
            tag=f"Ends {home.day(contract.ends_on)}",
            tag_colour="yellow",
            detail=contract.vendor.name,
        ),
        more_url=reverse("techmap:expiry"),
    )


def stale_records(user: Any) -> home.Rows | None:
    found = selectors.own_stale_records(user=user, before=timezone.now() - STALE_AFTER, limit=SHOWN)
    if found is None:
        return None
    records, total = found
    rows = [
        home.Row(
            text=record.label,
            url=record.url,
            tag=f"Last updated {timezone.localtime(record.updated_at):%B %Y}",
            tag_colour="grey",
        )
        for record in records
    ]
    more = reverse("techmap:organisation_estate", args=[user.organisation.slug])
    return home.Rows(rows, total=total if total > len(rows) else None, more_url=more)


def opportunities(user: Any) -> home.Rows | None:
    found = selectors.opportunities_including(
        user=user, today=timezone.localdate(), limit=OPPORTUNITIES_SHOWN
    )
    if found is None:
        return None
    shown, total = found
    rows = []
    for opportunity in shown:
        others = opportunity.organisation_count - 1
        rows.append(
            home.Row(
                text=(
                    f"{opportunity.group_name}, with {others} other "
                    f"organisation{'s' if others != 1 else ''}"
                ),
                url=selectors.opportunity_url(opportunity),
                detail=(
                    "Contracts end between "
                    f"{home.day(opportunity.window_starts_on)} and "
                    f"{home.day(opportunity.window_ends_on)}; buying together could save "
                    f"{_saving(opportunity)} a year"
                ),
            )
        )
    return home.Rows(
        rows,
        total=total if total > len(rows) else None,
        more_url=reverse("techmap:opportunities"),
        more_text="See every opportunity to buy together",
    )


def _saving(opportunity: Any) -> str:
    return estimate_range(opportunity.saving_low, opportunity.saving_high)


def failed_imports(user: Any) -> list[home.Row] | None:
    failed = selectors.failed_ocds_imports(user=user, since=timezone.now() - FAILED_WITHIN)
    if failed is None:
        return None
    return [
        home.Row(
            text=f"Notice file {upload.filename}",
            url=upload.get_absolute_url(),
            tag="Not imported",
            tag_colour="red",
            detail=f"Uploaded {home.day(timezone.localdate(upload.created_at))}",
        )
        for upload in failed[:SHOWN]
    ]


def tenders(user: Any) -> home.Rows:
    found = selectors.open_tenders(now=timezone.now()).defer("compiled", "description")
    return home.rows_of(
        found,
        limit=SHOWN,
        row=lambda tender: home.Row(
            text=tender.title or tender.ocid,
            url=tender.url or reverse("techmap:tenders"),
            tag=f"Closes {home.day(timezone.localdate(tender.closes_at))}",
            tag_colour="grey",
            detail=tender.organisation.short_name,
        ),
        more_url=reverse("techmap:tenders"),
    )


def register() -> None:
    home.register(
        key="contracts-ending",
        heading="Your organisation's contracts ending in the next 6 months",
        section=home.ORGANISATION,
        order=10,
        rows=contracts_ending,
        empty="None of your organisation's contracts ends in the next 6 months.",
    )
    home.register(
        key="stale-records",
        heading="Records not updated for 12 months",
        section=home.ORGANISATION,
        order=20,
        rows=stale_records,
        empty="Every one of your organisation's systems and contracts has been updated in "
        "the last 12 months.",
    )
    home.register(
        key="opportunities",
        heading="Opportunities to buy together that include your organisation",
        section=home.ORGANISATION,
        order=30,
        rows=opportunities,
        empty="No opportunity to buy together includes your organisation at the moment.",
    )
    home.register(
        key="failed-ocds-imports",
        heading="Notice files not imported in the last 30 days",
        section=home.WAITING,
        order=60,
        rows=failed_imports,
        empty="Every notice file uploaded in the last 30 days was imported.",
    )
    home.register(
        key="open-tenders",
        heading="Open tenders",
        section=home.RECENT,
        order=30,
        rows=tenders,
        empty="No member has a technology tender open at the moment.",
    )
