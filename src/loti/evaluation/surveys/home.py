"""The member survey on the home page: a person's unanswered invitations, and for the office
how many have answered each open survey."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone

from loti.core import home
from loti.evaluation.surveys import selectors

SHOWN = 5


def invitations(user: Any) -> home.Rows | None:
    waiting = selectors.invitations_waiting(user=user, today=timezone.localdate())
    if waiting is None:
        return None
    return home.rows_of(
        waiting,
        limit=SHOWN,
        row=lambda respondent: home.Row(
            text=f"Answer {respondent.survey.title}",
            url=respondent.response_url(),
            tag=f"Closes {home.day(respondent.survey.closes_on)}",
            tag_colour="yellow",
        ),
    )


def _rate(survey: Any) -> str:
    if not survey.invited:
        return "Nobody has been invited yet"
    share = round(100 * survey.submitted / survey.invited)
    return f"{survey.submitted} of {survey.invited} invited have answered ({share}%)"


def response_rates(user: Any) -> home.Rows | None:
    surveys = selectors.response_rates(user=user, today=timezone.localdate())
    if surveys is None:
        return None
    return home.rows_of(
        surveys,
        limit=SHOWN,
        row=lambda survey: home.Row(
            text=f"{survey.title}: {_rate(survey)}",
            url=survey.get_absolute_url(),
            tag=f"Closes {home.day(survey.closes_on)}",
            tag_colour="grey",
        ),
        more_url=reverse("evaluation:survey_list"),
    )


def register() -> None:
    home.register(
        key="survey-invitations",
        heading="Surveys waiting for your answer",
        section=home.WAITING,
        order=50,
        rows=invitations,
        empty="No surveys are waiting for your answer.",
    )
    home.register(
        key="survey-response-rates",
        heading="Answers to open surveys",
        section=home.CONSORTIUM,
        order=20,
        rows=response_rates,
        empty="No survey is open at the moment.",
    )
