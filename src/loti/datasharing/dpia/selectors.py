"""Reads of an agreement's DPIA screening and DPIA, for those who read its operational
details (`agreements.selectors.reads_details`): anyone else is given nothing."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from loti.datasharing.agreements.selectors import reads_details
from loti.datasharing.agreements.services import may_write
from loti.datasharing.dpia import screening
from loti.datasharing.models import Agreement, Dpia, Screening


def screening_of(agreement: Agreement) -> Screening | None:
    """The agreement's screening, for a page that has already checked who reads it."""
    return Screening.objects.filter(agreement=agreement).select_related("screened_by").first()


def dpia_of(agreement: Agreement) -> Dpia | None:
    """The agreement's DPIA and its risks, for a page that has already checked who reads it."""
    return (
        Dpia.objects.filter(agreement=agreement)
        .select_related("updated_by")
        .prefetch_related("risks")
        .first()
    )


def outcome(found: Screening) -> str:
    """ "required", "recommended" or "not_required": what a stored screening found."""
    if found.required:
        return "required"
    return "recommended" if found.reasons else "not_required"


def screening_summary(user: Any, agreement: Agreement) -> dict[str, Any] | None:
    """What an agreement's own page shows of its DPIA screening and DPIA, or None for someone
    who may not read the agreement's operational details (so the page shows nothing).

    {
        "screened": bool,            # whether a screening is recorded
        "outcome": str | None,       # "required", "recommended", "not_required"; None if not
        "required": bool | None,
        "summary": str,              # one sentence: the outcome, or that none is recorded
        "reasons": list[str],        # each criterion met, with its source
        "screened_at": datetime | None,
        "screened_by": str,          # the person's name, "" if unknown
        "has_dpia": bool,            # whether a DPIA is recorded
        "signed_off": bool,          # whether that DPIA is signed off
        "may_write": bool,           # whether `user` may screen and record the DPIA
        "url": str,                  # the screening page
        "dpia_url": str,             # the DPIA page
    }

    `datasharing/dpia/includes/summary.html` renders it (`{% include … with dpia=… %}`).
    """
    if not reads_details(user, agreement):
        return None
    found = screening_of(agreement)
    dpia = Dpia.objects.filter(agreement=agreement).only("signed_off_on").first()
    if found is None:
        summary = "This agreement has not been screened for whether it needs a DPIA."
    else:
        summary = screening.summary(
            required=found.required, recommended=not found.required and bool(found.reasons)
        )
    return {
        "screened": found is not None,
        "outcome": outcome(found) if found else None,
        "required": found.required if found else None,
        "summary": summary,
        "reasons": list(found.reasons) if found else [],
        "screened_at": found.screened_at if found else None,
        "screened_by": found.screened_by.get_full_name() if found and found.screened_by else "",
        "has_dpia": dpia is not None,
        "signed_off": bool(dpia and dpia.signed_off_on),
        "may_write": may_write(user, agreement) and getattr(user, "is_authenticated", False),
        "url": reverse("datasharing:screening", args=[agreement.slug]),
        "dpia_url": reverse("datasharing:dpia", args=[agreement.slug]),
    }
