"""The evaluation report's content as plain data (strings, numbers, lists and dicts), so
that the page, the PDF and a published snapshot all show the same thing.

Sections: membership and funding, survey findings, value for money per activity,
sensitivity, and method and caveats.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from loti.evaluation.activities import selectors as activity_selectors
from loti.evaluation.activities.summary import money, share, value_for_money
from loti.evaluation.surveys import selectors as survey_selectors
from loti.members import selectors as member_selectors
from loti.members.financial_year import FinancialYear

METHOD = [
    "Each activity is appraised in the way HM Treasury's Green Book sets out. Costs and "
    "benefits are in pounds. Year 0 is the first financial year in which the activity had a "
    "cost; amounts in year 0 are not discounted, and an amount in year t is multiplied by the "
    "discount factor for year t.",
    "Discounting uses the Green Book social time preference rate, applied year by year: "
    "3.5% a year for years 1 to 30, 3.0% for years 31 to 75, 2.5% for 76 to 125, 2.0% for "
    "126 to 200, 1.5% for 201 to 300 and 1.0% after that, unless an activity states a flat "
    "rate.",
    "Net present social value (NPSV) is the present value of benefits less the present value "
    "of costs; the benefit-cost ratio (BCR) is the first divided by the second. Optimism bias, "
    "where applied, is an uplift on costs.",
    "Benefits are modelled as savings against a counterfactual: what the market would have "
    "charged, the agreements that would otherwise have been made, the incidents avoided, or "
    "outcomes valued at a unit cost net of deadweight and attribution.",
    "Sensitivity is shown by setting each uncertain input to its low and high value in turn, "
    "the others held at their central values. A switching value is the value an input would "
    "need to take for NPSV to fall to zero. Where inputs are ranges, a Monte Carlo simulation "
    "with a fixed seed gives the 10th, 50th and 90th percentiles of NPSV and the chance that "
    "the BCR is above 1.",
]


def membership(*, user: Any, year: int) -> dict[str, Any]:
    """Members by tier and income against budget, for the financial year."""
    tiers = member_selectors.membership_tiers(user=user, year=year)
    summary = member_selectors.finance_summary(user=user, year=year)
    return {
        "tiers": [{"tier": tier, "organisations": count} for tier, count in tiers.rows],
        "members": tiers.core,
        "income": [
            {
                "source": source.label,
                "organisations": source.organisations,
                "paid": money(source.paid),
                "invoiced": money(source.invoiced),
                "total": money(source.total),
            }
            for source in summary.sources
        ],
        "total": money(summary.total),
        "budget": None if summary.budget is None else money(summary.budget.amount),
        "against_budget": None if summary.against_budget is None else money(summary.against_budget),
        "percent_of_budget": summary.percent_of_budget,
    }


def survey(*, today: datetime.date) -> dict[str, Any] | None:
    closed = survey_selectors.latest_closed_survey(today=today)
    if closed is None:
        return None
    return {
        "title": closed.title,
        "closed_on": closed.closes_on.strftime("%-d %B %Y"),
        "respondents": closed.respondents.filter(submitted_at__isnull=False).count(),
        "findings": [
            {
                "question": finding.question,
                "n": finding.n,
                "agree": finding.agree,
                "agree_share": share(finding.agree_share if finding.n else None),
                "interval": f"{share(finding.low)} to {share(finding.high)}" if finding.n else "",
                "net_agreement": f"{100 * finding.net_agreement:+.0f}" if finding.n else "",
            }
            for finding in survey_selectors.report_findings(survey=closed)
        ],
        "synthetic": closed.synthetic,
    }


def caveats(activities: list[dict[str, Any]]) -> list[str]:
    notes = []
    illustrative = [a["title"] for a in activities if a["illustrative"]]
    if illustrative:
        notes.append(
            "Some inputs are illustrative assumptions, chosen to show the method rather than "
            "measured: " + ", ".join(illustrative) + ". Treat those figures as examples."
        )
    notes.append(
        "Each input carries a confidence grade. High: measured or taken from the "
        "consortium's own records. Medium: from a published source or a reasoned estimate "
        "checked with members. Low: an assumption or an estimate not yet checked."
    )
    notes.append(
        'Survey shares are of those who gave a view (answers of "don\'t know" are left out), '
        "with a Wilson 95% interval; small bases give wide intervals."
    )
    unappraised = [a["title"] for a in activities if not a["appraised"]]
    if unappraised:
        notes.append("Not yet appraised, for want of costs or inputs: " + ", ".join(unappraised))
    return notes


def build(*, user: Any, year: int, today: datetime.date | None = None) -> dict[str, Any]:
    """The report for financial year `year` as `user` may see it."""
    today = today or timezone.localdate()
    activities = value_for_money(activity_selectors.activity_list(user=user))
    return {
        "title": f"Evaluation report {FinancialYear(year)}",
        "financial_year": str(FinancialYear(year)),
        "prepared_on": today.strftime("%-d %B %Y"),
        "membership": membership(user=user, year=year),
        "survey": survey(today=today),
        "activities": activities,
        "method": METHOD,
        "caveats": caveats(activities),
    }
