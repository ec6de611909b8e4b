"""The demo's member survey. It is SYNTHETIC: the answers are drawn at random, mostly positive
with a spread and some "don't know", from the leads and officers of the demo's core members.
The pages it shows on say so.

Last year's survey is closed, with about two thirds of those invited having answered; this
year's is open, with a few answers so far.
"""

from __future__ import annotations

import datetime
import random
from typing import TYPE_CHECKING

from django.utils import timezone

from loti.core.permissions import Role
from loti.evaluation.surveys import services
from loti.evaluation.surveys.models import Likert, Question, Respondent, Survey
from loti.members import selectors as member_selectors

if TYPE_CHECKING:
    from loti.members.models import Person

# (question, weights of strongly disagree, disagree, neither, agree, strongly agree, don't know)
LIKERT_QUESTIONS = [
    ("LOTI helps my organisation collaborate with other boroughs", (2, 4, 10, 46, 34, 4)),
    ("LOTI is good value for my organisation's membership fee", (3, 7, 18, 40, 20, 12)),
    (
        "Being part of LOTI has helped my organisation avoid duplicating work",
        (3, 8, 20, 42, 17, 10),
    ),
    ("LOTI's guides, specifications and templates are useful in my work", (2, 6, 16, 44, 24, 8)),
    ("LOTI's networks have helped me find peers facing the same problems", (1, 4, 10, 44, 38, 3)),
    (
        "LOTI has helped my organisation recruit or develop digital and data staff",
        (5, 12, 26, 30, 10, 17),
    ),
]
ACTIVITIES = [
    ("Peer networks and communities of practice", 0.75),
    ("Collaborative projects", 0.55),
    ("Training and masterclasses", 0.45),
    ("The London data-sharing agreement", 0.35),
    ("Recruitment support", 0.25),
    ("The cyber security programme", 0.3),
]
FREQUENCIES = [
    ("Every week", 3),
    ("Every month", 6),
    ("A few times a year", 5),
    ("Rarely or never", 1),
]
MORE_OF = [
    "More joint procurement: we all buy the same systems at different prices.",
    "Shared specifications we can drop straight into a tender.",
    "More help with recruitment, especially data engineers.",
    "Practical sessions on using AI safely in council services.",
    "Bring the cyber work to smaller teams like ours.",
    "More data-sharing work with health partners.",
    "Case studies with the savings written down, for our finance colleagues.",
    "Fewer new projects, and finishing the ones we started.",
    "Peer reviews of business cases before they go to committee.",
    "Regular meetups for product managers across boroughs.",
    "Help making the case for LOTI to our new chief executive.",
    "More in-person events outside central London.",
]
ANSWER_SHARE = 0.68
OPEN_SURVEY_ANSWERS = 6


def build(*, rng: random.Random, today: datetime.date) -> None:
    office = member_selectors.office_person()
    people = survey_people(today)
    closed = services.survey_create(
        actor=office,
        title=f"Member value survey {today.year - 1}",
        introduction="How LOTI's work helps your organisation, and what it should do more of. "
        "It takes about five minutes. Answers are reported without names.",
        opens_on=datetime.date(today.year - 1, 6, 2),
        closes_on=datetime.date(today.year - 1, 7, 4),
        synthetic=True,
    )
    questions = _questions(actor=office, survey=closed)
    _responses(
        rng=rng,
        actor=office,
        survey=closed,
        questions=questions,
        people=people,
        answering=round(ANSWER_SHARE * len(people)),
    )
    current = services.survey_create(
        actor=office,
        title=f"Member value survey {today.year}",
        introduction="Our yearly survey of members. Answers are reported without names.",
        opens_on=today - datetime.timedelta(days=10),
        closes_on=today + datetime.timedelta(days=25),
        synthetic=True,
    )
    questions = _questions(actor=office, survey=current)
    _responses(
        rng=rng,
        actor=office,
        survey=current,
        questions=questions,
        people=people,
        answering=min(OPEN_SURVEY_ANSWERS, len(people)),
    )


def survey_people(today: datetime.date) -> list[Person]:
    """The leads and officers of this year's core members."""
    core = member_selectors.core_member_ids(on=today)
    return list(
        member_selectors.people(organisations=core, roles=[Role.LEAD, Role.OFFICER]).order_by(
            "email"
        )
    )


def _questions(*, actor: Person | None, survey: Survey) -> list[Question]:
    questions = [
        services.question_create(actor=actor, survey=survey, text=text, kind=Question.Kind.LIKERT)
        for text, _ in LIKERT_QUESTIONS
    ]
    questions.append(
        services.question_create(
            actor=actor,
            survey=survey,
            text="Which of LOTI's activities have you taken part in?",
            kind=Question.Kind.MULTIPLE,
            help_text="Select all that apply",
            options=[label for label, _ in ACTIVITIES],
        )
    )
    questions.append(
        services.question_create(
            actor=actor,
            survey=survey,
            text="How often do you use LOTI's resources?",
            kind=Question.Kind.SINGLE,
            options=[label for label, _ in FREQUENCIES],
        )
    )
    questions.append(
        services.question_create(
            actor=actor,
            survey=survey,
            text="What should LOTI do more of?",
            kind=Question.Kind.FREE_TEXT,
            required=False,
        )
    )
    return questions


def _responses(
    *,
    rng: random.Random,
    actor: Person | None,
    survey: Survey,
    questions: list[Question],
    people: list[Person],
    answering: int,
) -> None:
    services.respondents_invite(actor=actor, survey=survey, people=people, today=survey.opens_on)
    invited_at = timezone.make_aware(datetime.datetime.combine(survey.opens_on, datetime.time(9)))
    Respondent.objects.filter(survey=survey).update(invited_at=invited_at)
    respondents = list(survey.respondents.order_by("person__email"))
    likert, activities, frequency, more_of = (
        questions[: len(LIKERT_QUESTIONS)],
        *questions[len(LIKERT_QUESTIONS) :],
    )
    activity_options = list(activities.options.all())
    frequency_options = list(frequency.options.all())
    last_day = min(survey.closes_on, timezone.localdate())
    for respondent in rng.sample(respondents, answering):
        answers: dict[int, object] = {}
        for question, (_, weights) in zip(likert, LIKERT_QUESTIONS, strict=True):
            answers[question.pk] = rng.choices(Likert.values, weights=weights)[0]
        chosen = [
            str(option.pk)
            for option, (_, chance) in zip(activity_options, ACTIVITIES, strict=True)
            if rng.random() < chance
        ]
        answers[activities.pk] = chosen or [str(activity_options[0].pk)]
        answers[frequency.pk] = str(
            rng.choices(frequency_options, weights=[w for _, w in FREQUENCIES])[0].pk
        )
        if rng.random() < 0.6:
            answers[more_of.pk] = rng.choice(MORE_OF)
        day = survey.opens_on + datetime.timedelta(
            days=rng.randrange((last_day - survey.opens_on).days + 1)
        )
        services.response_submit(respondent=respondent, answers=answers, today=day)
        at = timezone.make_aware(
            datetime.datetime.combine(day, datetime.time(rng.randrange(8, 18), rng.randrange(60)))
        )
        Respondent.objects.filter(pk=respondent.pk).update(submitted_at=at, updated_at=at)
