"""What agreements add to the platform's shared registries: the register's place in the
navigation, and agreements in the one search (as the register shows them to the reader)."""

from __future__ import annotations

from typing import Any

from loti.core import navigation, search
from loti.core.permissions import Data


def _hit(agreement: Any, query: search.Query) -> search.Hit:
    from loti.datasharing.agreements import selectors

    version = selectors.register_version(agreement)
    parties = version.parties.count() if version else 0
    purpose = version.purpose if version else ""
    return search.Hit(
        title=agreement.title,
        url=agreement.get_absolute_url(),
        detail=f"Data-sharing agreement · {agreement.get_status_display()} · "
        f"{parties} part{'y' if parties == 1 else 'ies'}",
        snippet=search.highlight(purpose, query),
        text=f"{agreement.title} {purpose}",
    )


def _readable(user: Any):
    from loti.datasharing.agreements import selectors
    from loti.datasharing.models import Agreement

    # The index filters only on the fields it declares: the agreements seen, by their ids.
    seen = selectors.agreements_seen_by(user).values("pk")
    return Agreement.objects.filter(pk__in=seen).select_related(
        "current_version", "in_force_version"
    )


def register() -> None:
    """Called from `datasharing.registrations.register()`."""
    from loti.datasharing.models import Agreement

    navigation.register(
        label="Data sharing",
        url_name="datasharing:agreements",
        data=Data.AGREEMENTS,
        order=39,
        group="Shared work",
    )
    search.register(
        key="agreements",
        heading="Data-sharing agreements",
        label="Data-sharing agreement",
        model=Agreement,
        readable=_readable,
        hit=_hit,
        order=35,
    )
