"""Surveys for tests: one of each kind of question, and people answering it."""

from __future__ import annotations

import datetime

from loti.evaluation.models import Question, Respondent, Survey
from loti.evaluation.surveys import services

OPENS = datetime.date(2026, 6, 1)
CLOSES = datetime.date(2026, 6, 30)
DURING = datetime.date(2026, 6, 10)
AFTER = datetime.date(2026, 7, 15)
# Answers to one agree-or-disagree question: 1 strongly disagree, 1 disagree, 2 neither,
# 4 agree, 2 strongly agree, 3 don't know.
LIKERT_COUNTS = {
    "strongly_disagree": 1,
    "disagree": 1,
    "neither": 2,
    "agree": 4,
    "strongly_agree": 2,
    "dont_know": 3,
}


def make_survey(*, title: str = "Member value survey 2026", **dates) -> Survey:
    survey = services.survey_create(
        actor=None,
        title=title,
        opens_on=dates.get("opens_on", OPENS),
        closes_on=dates.get("closes_on", CLOSES),
    )
    services.question_create(
        actor=None,
        survey=survey,
        text="LOTI helps my organisation collaborate with other boroughs",
        kind=Question.Kind.LIKERT,
    )
    services.question_create(
        actor=None,
        survey=survey,
        text="Which activities have you taken part in?",
        kind=Question.Kind.MULTIPLE,
        options=["Peer networks", "Projects", "Training"],
    )
    services.question_create(
        actor=None,
        survey=survey,
        text="How often do you use LOTI resources?",
        kind=Question.Kind.SINGLE,
        options=["Every week", "Every month", "Rarely"],
    )
    services.question_create(
        actor=None,
        survey=survey,
        text="What should LOTI do more of?",
        kind=Question.Kind.FREE_TEXT,
        required=False,
    )
    return survey


def questions(survey: Survey) -> tuple[Question, Question, Question, Question]:
    likert, multiple, single, free = survey.questions.all()
    return likert, multiple, single, free


def option(question: Question, label: str) -> str:
    return str(question.options.get(label=label).pk)


def invite(survey: Survey, *people) -> list[Respondent]:
    services.respondents_invite(actor=None, survey=survey, people=people, today=survey.opens_on)
    return [survey.respondents.get(person=person) for person in people]


def answer(
    respondent: Respondent,
    *,
    likert: str = "agree",
    activities: tuple[str, ...] = ("Peer networks",),
    often: str = "Every month",
    more: str = "",
    day: datetime.date = DURING,
) -> Respondent:
    q_likert, q_multiple, q_single, q_free = questions(respondent.survey)
    return services.response_submit(
        respondent=respondent,
        answers={
            q_likert.pk: likert,
            q_multiple.pk: [option(q_multiple, label) for label in activities],
            q_single.pk: option(q_single, often),
            q_free.pk: more,
        },
        today=day,
    )
