"""The evaluation's home page, and what the pages of its concepts share: their breadcrumbs,
the year a page is asked for, and the office-only rule for its working pages."""

from __future__ import annotations

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from loti.core.access import methods, require
from loti.core.permissions import Action, Data
from loti.evaluation.activities import selectors as activity_selectors
from loti.evaluation.activities import summary
from loti.evaluation.report import selectors as report_selectors
from loti.members.financial_year import FinancialYear

# Everything but the published reports is the office's.
READ = require(Data.EVALUATION)
WRITE = require(Data.EVALUATION, Action.WRITE)


def crumbs(*extra: tuple[str, str]) -> list[tuple[str, str]]:
    return [("Evaluation", reverse("evaluation:home")), *extra]


def year_asked(request) -> FinancialYear:
    """The financial year of the page's `?year=`, or the current one."""
    try:
        return FinancialYear.from_slug(request.GET.get("year", ""))
    except ValueError:
        return FinancialYear.containing(timezone.localdate())


@READ
@methods("GET")
def home(request):
    activities = activity_selectors.activity_list(user=request.user)
    return render(
        request,
        "evaluation/home.html",
        {
            "activities": summary.value_for_money(activities),
            "publications": report_selectors.publication_list()[:5],
        },
    )
