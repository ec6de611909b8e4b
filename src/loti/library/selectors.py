"""Reading the library: which resources a person may read, decided here once."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Q, QuerySet

from loti.core.permissions import Action, Data, can, is_office, scope
from loti.library.models import Licence, Resource, Reuse

OPEN_LICENCES = [choice for choice in Licence.values if choice != Licence.MEMBERS_ONLY]


def resources_seen_by(user: Any) -> QuerySet[Resource]:
    """The resources `user` may read: published open-licence ones for everyone, published
    members-only ones for signed-in members and partners, and drafts for the office and the
    people of the draft's organisations."""
    resources = Resource.objects.all()
    if is_office(user):
        return resources
    seen = Q(pk__in=[])
    if can(user, Data.LIBRARY):
        seen |= Q(published_at__isnull=False, licence__in=OPEN_LICENCES)
    if can(user, Data.LIBRARY_MEMBERS):
        seen |= Q(published_at__isnull=False)
    if scope(user, Data.LIBRARY, Action.WRITE) and user.organisation_id:
        authored = Resource.organisations.through.objects.filter(
            organisation_id=user.organisation_id
        ).values("resource_id")
        seen |= Q(pk__in=authored)
    return resources.filter(seen)


# --- Reuses, for the evaluation ------------------------------------------------------------
# The reuse count is the library's measure of value: the evaluation reads it from here.


def reuses_in(*, start: datetime.date, end: datetime.date) -> int:
    """How many reuses were recorded between `start` and `end`, both days included: every
    organisation's mark on every resource, each counted once (a reuse is recorded once per
    organisation and resource)."""
    return Reuse.objects.filter(recorded_on__gte=start, recorded_on__lte=end).count()
