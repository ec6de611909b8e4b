"""The weekly reminder emails: one digest for each of the office's staff, with every
agreement's reminders, and one for each person who signs for an organisation (its member
lead, a partner's signatory), with their organisation's. Nobody is sent an empty digest."""

from __future__ import annotations

import datetime
import logging
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from loti.core.permissions import Role
from loti.datasharing.agreements import services as agreement_services
from loti.datasharing.reminders import selectors, wording
from loti.datasharing.reminders.selectors import REVIEW_WITHIN, UNSIGNED_AFTER, Reminders
from loti.members import selectors as member_selectors

logger = logging.getLogger(__name__)


def recipients() -> list[Any]:
    """Who is sent the weekly reminders: the office's active staff, and everyone active who
    signs agreements for their organisation; by email address."""
    people = member_selectors.people(roles=[Role.OFFICE, Role.LEAD, Role.PARTNER])
    return sorted(
        (
            person
            for person in people.select_related("organisation")
            if person.role == Role.OFFICE
            or agreement_services.entitled_to_sign(person, person.organisation_id)
        ),
        key=lambda person: person.email,
    )


def _absolute(url: str) -> str:
    return url if url.startswith(("http://", "https://")) else f"{settings.SITE_URL}{url}"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count != 1 else ''}"


def subject(found: Reminders) -> str:
    parts = []
    if found.reviews:
        parts.append(f"{_plural(len(found.reviews), 'review')} due")
    if found.unsigned:
        parts.append(f"{_plural(len(found.unsigned), 'signature')} outstanding")
    return f"Data-sharing agreements: {' and '.join(parts)}"


def digest(person: Any, found: Reminders, now: datetime.datetime) -> EmailMultiAlternatives:
    """The email telling `person` what `found` holds, as plain text and HTML."""
    context = {
        "person": person,
        "found": found,
        "consortium_name": settings.CONSORTIUM_NAME,
        "page_url": _absolute(reverse("datasharing:reminders")),
        "review_days": REVIEW_WITHIN.days,
        "unsigned_days": UNSIGNED_AFTER.days,
        "reviews": [
            {
                "title": agreement.title,
                "url": _absolute(agreement.get_absolute_url()),
                "status": wording.review(agreement.review_date, found.today),
                "review_date": agreement.review_date,
            }
            for agreement in found.reviews
        ],
        "unsigned": [
            {
                "title": party.version.agreement.title,
                "version": party.version.number,
                "organisation": party.organisation.name,
                "url": _absolute(party.version.agreement.get_absolute_url()),
                "waiting": wording.waiting(party, now),
                "sent": party.awaiting_since,
            }
            for party in found.unsigned
        ],
    }
    message = EmailMultiAlternatives(
        subject=subject(found),
        body=render_to_string("datasharing/reminders/email.txt", context),
        to=[person.email],
    )
    message.attach_alternative(
        render_to_string("datasharing/reminders/email.html", context), "text/html"
    )
    return message


def reminders_send(*, now: datetime.datetime | None = None) -> int:
    """Email each recipient what they are reminded of at `now`; returns how many were sent.
    A failure to send one is logged and the others are still sent."""
    now = now or timezone.now()
    sent = 0
    with get_connection() as connection:
        for person in recipients():
            found = selectors.reminders_for(person, now=now)
            if found is None or found.empty:
                continue
            message = digest(person, found, now)
            message.connection = connection
            try:
                message.send()
            except Exception:
                logger.exception("Sending the data-sharing reminders to %s failed", person.email)
                continue
            sent += 1
    return sent
