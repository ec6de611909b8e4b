"""Reminders on the home page: the agreements waiting for the signature of the person's
organisation (for whoever signs for it), and the agreements due for review (the person's
organisation's, or, for the office, every one)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone

from loti.core import home
from loti.core.permissions import is_office
from loti.datasharing.reminders import selectors, wording

SHOWN = 5


def _more() -> str:
    return reverse("datasharing:reminders")


def to_sign(user: Any) -> home.Rows | None:
    found = selectors.to_sign(user)
    if found is None:
        return None
    now = timezone.now()

    def row(party) -> home.Row:
        overdue = wording.is_overdue(party, now)
        return home.Row(
            text=f"Sign {party.version.agreement.title} (version {party.version.number})",
            url=party.version.agreement.get_absolute_url(),
            tag=wording.waiting(party, now),
            tag_colour="red" if overdue else "grey",
            detail=f"Sent for signature {home.day(timezone.localdate(party.awaiting_since))}",
        )

    return home.rows_of(found, limit=SHOWN, row=row, more_url=_more())


def _review_row(agreement) -> home.Row:
    today = timezone.localdate()
    return home.Row(
        text=agreement.title,
        url=agreement.get_absolute_url(),
        tag=wording.review(agreement.review_date, today),
        tag_colour="red" if agreement.review_date <= today else "yellow",
        detail=f"Review date {home.day(agreement.review_date)}",
    )


def own_reviews(user: Any) -> home.Rows | None:
    if is_office(user):
        return None
    found = selectors.reviews_due(user)
    if found is None:
        return None
    return home.rows_of(found, limit=SHOWN, row=_review_row, more_url=_more())


def all_reviews(user: Any) -> home.Rows | None:
    if not is_office(user):
        return None
    return home.rows_of(selectors.reviews_due(user), limit=SHOWN, row=_review_row, more_url=_more())


def register() -> None:
    home.register(
        key="datasharing-to-sign",
        heading="Agreements to sign",
        section=home.WAITING,
        order=30,
        rows=to_sign,
        empty="No data-sharing agreement is waiting for your organisation's signature.",
    )
    home.register(
        key="datasharing-own-reviews",
        heading="Agreements due for review",
        section=home.ORGANISATION,
        order=40,
        rows=own_reviews,
        empty="None of your organisation's agreements is due for review in the next 60 days.",
    )
    home.register(
        key="datasharing-reviews",
        heading="Agreements due for review",
        section=home.CONSORTIUM,
        order=40,
        rows=all_reviews,
        empty="No agreement in force is due for review in the next 60 days.",
    )
