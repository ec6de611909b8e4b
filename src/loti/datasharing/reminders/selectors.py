"""What the registry reminds people of: agreements in force whose review date is near or
past, and parties that have not signed a month after their version was sent to them.

The office is reminded of every agreement; everyone else of their own organisation's (a
lead, or a partner's signatory, acts on them; the organisation's other people read them).

A version is sent to its parties when its agreement is opened for consultation (the audit
trail records when) or, for a later version, when it is made: a new version is made only
once someone has signed, so its agreement is open already. So a party has waited since the
later of the two, however long the agreement was a draft before.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Cast, Coalesce, Greatest
from django.utils import timezone

from loti.core.models import AuditEntry
from loti.core.permissions import is_office, role_of
from loti.datasharing.agreements import selectors as agreement_selectors
from loti.datasharing.agreements import services as agreement_services
from loti.datasharing.models import Agreement, Party

Status = Agreement.Status

# An agreement is due for review this long before its review date; a party that has not
# signed this long after its version was sent to it is overdue.
REVIEW_WITHIN = datetime.timedelta(days=60)
UNSIGNED_AFTER = datetime.timedelta(days=30)
OPEN_FOR_SIGNATURE = (Status.CONSULTATION, Status.SIGNED)


def sees_reminders(user: Any) -> bool:
    """The office, and anyone signed in who works for an organisation."""
    if role_of(user) is None:
        return False
    return is_office(user) or getattr(user, "organisation_id", None) is not None


def _own(user: Any) -> int | None:
    """None for the office (every organisation's), else the person's organisation."""
    return None if is_office(user) else user.organisation_id


def reviews_due(user: Any, *, today: datetime.date | None = None) -> QuerySet[Agreement] | None:
    """Agreements in force whose version in force is to be reviewed within 60 days of
    `today`, or should have been, soonest first, for the office all of them and for others
    those their organisation shares under. None for those who are reminded of nothing."""
    if not sees_reminders(user):
        return None
    today = today or timezone.localdate()
    found = agreement_selectors.agreements_seen_by(user, today=today).filter(
        Q(in_force_version__end_date__isnull=True) | Q(in_force_version__end_date__gte=today),
        status=Status.SIGNED,
        in_force_version__review_date__lte=today + REVIEW_WITHIN,
    )
    own = _own(user)
    if own is not None:
        found = found.filter(
            in_force_version__parties__organisation_id=own,
            in_force_version__parties__withdrawn_on__isnull=True,
        )
    return (
        found.select_related("in_force_version")
        .annotate(review_date=F("in_force_version__review_date"))
        .order_by("review_date", "title", "pk")
        .distinct()
    )


def _opened_at() -> Subquery:
    """When each party's agreement was opened for consultation, as the audit trail has it."""
    return Subquery(
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Agreement),
            object_id=Cast(OuterRef("version__agreement_id"), CharField()),
            action=AuditEntry.Action.UPDATE,
            changes__Status__1=Status.CONSULTATION.label,
        )
        .order_by("at")
        .values("at")[:1]
    )


def _awaiting(*, organisation_id: int | None) -> QuerySet[Party]:
    """Parties of the versions being signed that have neither signed nor withdrawn, each
    with `awaiting_since`, longest waiting first: of `organisation_id` if given, else all."""
    found = Party.objects.filter(
        version_id=F("version__agreement__current_version_id"),
        version__agreement__status__in=OPEN_FOR_SIGNATURE,
        withdrawn_on__isnull=True,
        signature__isnull=True,
    )
    if organisation_id is not None:
        found = found.filter(organisation_id=organisation_id)
    created = F("version__created_at")
    return (
        found.annotate(awaiting_since=Greatest(created, Coalesce(_opened_at(), created)))
        .select_related("organisation", "version", "version__agreement")
        .order_by("awaiting_since", "version__agreement__title", "organisation__name", "pk")
    )


def signatures_overdue(
    user: Any, *, now: datetime.datetime | None = None
) -> QuerySet[Party] | None:
    """Parties that have not signed 30 days after their version was sent to them: every
    organisation's for the office, the person's own organisation's for others. None for
    those who are reminded of nothing."""
    if not sees_reminders(user):
        return None
    now = now or timezone.now()
    return _awaiting(organisation_id=_own(user)).filter(awaiting_since__lte=now - UNSIGNED_AFTER)


def to_sign(user: Any) -> QuerySet[Party] | None:
    """The parties `user` signs for that are waiting for their signature, however recently
    sent; None for anyone who signs for no organisation."""
    own = getattr(user, "organisation_id", None)
    if own is None or not agreement_services.entitled_to_sign(user, own):
        return None
    return _awaiting(organisation_id=own)


@dataclass(frozen=True)
class Reminders:
    """What one person is reminded of, as their page and their weekly email show it."""

    today: datetime.date
    # The organisation they are reminded for; None: the office, for every organisation.
    organisation: Any
    reviews: list[Agreement] = field(default_factory=list)
    unsigned: list[Party] = field(default_factory=list)
    # Whether the person signs for the organisation (the signatures are theirs to give).
    signs: bool = False

    @property
    def empty(self) -> bool:
        return not self.reviews and not self.unsigned


def reminders_for(user: Any, *, now: datetime.datetime | None = None) -> Reminders | None:
    """Everything `user` is reminded of at `now`, or None for those reminded of nothing."""
    if not sees_reminders(user):
        return None
    now = now or timezone.now()
    today = timezone.localdate(now)
    own = _own(user)
    return Reminders(
        today=today,
        organisation=None if own is None else user.organisation,
        reviews=list(reviews_due(user, today=today)),
        unsigned=list(signatures_overdue(user, now=now)),
        signs=own is not None and agreement_services.entitled_to_sign(user, own),
    )
