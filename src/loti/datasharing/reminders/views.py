"""The reminders page: what the office, or a person's organisation, has to review or sign."""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone

from loti.core.access import methods
from loti.datasharing.reminders import selectors, wording
from loti.datasharing.reminders.selectors import REVIEW_WITHIN, UNSIGNED_AFTER


@methods("GET")
def reminders(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    found = selectors.reminders_for(request.user)
    if found is None:
        raise PermissionDenied
    now = timezone.now()
    return render(
        request,
        "datasharing/reminders/reminders.html",
        {
            "found": found,
            "reviews": [
                (
                    agreement,
                    agreement.get_absolute_url(),
                    wording.review(agreement.review_date, found.today),
                )
                for agreement in found.reviews
            ],
            "unsigned": [
                (party, party.version.agreement.get_absolute_url(), wording.waiting(party, now))
                for party in found.unsigned
            ],
            "review_days": REVIEW_WITHIN.days,
            "unsigned_days": UNSIGNED_AFTER.days,
        },
    )
