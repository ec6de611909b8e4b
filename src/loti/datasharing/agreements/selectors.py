"""Reads of data-sharing agreements, scoped to the person reading.

Everyone reads the register: each agreement's title, purpose, parties, lawful basis and
dates, once it has left draft. A draft is read only by the office and the people of its
parties and of the organisation that drafted it; anyone else is told it is not there. An
agreement's operational details (`reads_details`) are for signed-in members, the office, and
a partner's people for the agreements their organisation is party to.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Case, F, Q, QuerySet, Value, When
from django.shortcuts import get_object_or_404
from django.utils import timezone

from loti.core.permissions import ALL, Data, is_office, scope
from loti.datasharing.models import Agreement, Party, Version

Status = Agreement.Status


def with_status(
    agreements: QuerySet[Agreement], *, today: datetime.date | None = None
) -> QuerySet[Agreement]:
    """`agreements`, each with `current_status`: the stored status, except that a signed
    agreement whose version in force has passed its end date has expired, and one past its
    review date is due for review."""
    today = today or timezone.localdate()
    return agreements.annotate(
        current_status=Case(
            When(
                status=Status.SIGNED,
                in_force_version__end_date__lt=today,
                then=Value(Status.EXPIRED.value),
            ),
            When(
                status=Status.SIGNED,
                in_force_version__review_date__lte=today,
                then=Value(Status.REVIEW_DUE.value),
            ),
            default=F("status"),
        )
    )


def _party_of(organisation_id: int) -> Q:
    """Agreements `organisation_id` is a party of, in the version being signed or in force."""
    versions = Party.objects.filter(organisation_id=organisation_id).values("version_id")
    return Q(current_version__in=versions) | Q(in_force_version__in=versions)


def agreements_seen_by(user: Any, *, today: datetime.date | None = None) -> QuerySet[Agreement]:
    """The agreements `user` may read, with their `current_status`."""
    agreements = Agreement.objects.all()
    if not is_office(user):
        seen = ~Q(status=Status.DRAFT)
        own = (
            getattr(user, "organisation_id", None)
            if getattr(user, "is_authenticated", False)
            else None
        )
        if own is not None:
            seen |= Q(organisation_id=own) | _party_of(own)
        agreements = agreements.filter(seen)
    return with_status(agreements, today=today)


def agreement_for(user: Any, slug: str) -> Agreement:
    """The agreement with `slug`, if `user` may read it: otherwise a 404, so that another
    organisation's draft is not known to be there."""
    return get_object_or_404(
        agreements_seen_by(user).select_related(
            "organisation", "current_version", "in_force_version", "template"
        ),
        slug=slug,
    )


def reads_details(user: Any, agreement: Agreement) -> bool:
    """May `user` read `agreement`'s operational details: its data items, how data moves,
    security, retention and deletion, rights, privacy information, breach reporting and
    its DPIA? Every page, export and API answer asks here. (Whoever may read the agreement
    at all reads its register fields.)"""
    granted = scope(user, Data.AGREEMENT_DETAILS)
    if granted == ALL:
        return True
    own = getattr(user, "organisation_id", None)
    if not granted or own is None:
        return False
    return (
        agreement.organisation_id == own
        or Agreement.objects.filter(_party_of(own), pk=agreement.pk).exists()
    )


def register_version(agreement: Agreement) -> Version:
    """The version the register shows: the one in force, or else the one being signed."""
    return agreement.in_force_version or agreement.current_version


def in_force_parties(*, on: datetime.date | None = None) -> QuerySet[Party]:
    """The parties sharing under an agreement on `on` (by default today): each has signed
    the version in force of a signed agreement, the version has started and not ended, and
    the party has not withdrawn by then."""
    on = on or timezone.localdate()
    return Party.objects.filter(
        version_id=F("version__agreement__in_force_version_id"),
        version__agreement__status=Status.SIGNED,
        version__start_date__lte=on,
        signature__isnull=False,
    ).filter(
        Q(version__end_date__isnull=True) | Q(version__end_date__gte=on),
        Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=on),
    )
