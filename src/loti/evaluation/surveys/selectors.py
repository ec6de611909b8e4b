"""Reads for the member survey and the interviews.

Surveys, results and interviews are the office's (Data.EVALUATION). A respondent reaches
only their own answers, through their personal link while signed in as themselves. Results
are aggregates: no answer is shown with a name, free-text answers are listed without one,
and a breakdown shows a group only when at least `MIN_GROUP` people in it answered.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from loti.core.access import check_can
from loti.core.permissions import Data, Role, can
from loti.evaluation.surveys import stats as survey_stats
from loti.evaluation.surveys.models import Answer, Option, Question, Respondent, Survey
from loti.evaluation.surveys.stats import ChoiceCount, LikertSummary
from loti.members import selectors as member_selectors

# The smallest group a breakdown shows, so that nobody's answers can be read off a group of
# one or two people.
MIN_GROUP = 3
BREAKDOWNS = {"organisation": "Organisation", "role": "Role"}


def survey_list(*, user: Any) -> QuerySet[Survey]:
    if not can(user, Data.EVALUATION):
        return Survey.objects.none()
    return Survey.objects.annotate(
        invited=Count("respondents", distinct=True),
        submitted=Count(
            "respondents", filter=Q(respondents__submitted_at__isnull=False), distinct=True
        ),
    )


def survey_for(*, user: Any, pk: int) -> Survey:
    check_can(user, Data.EVALUATION)
    return get_object_or_404(Survey, pk=pk)


def question_for(*, user: Any, pk: int) -> Question:
    check_can(user, Data.EVALUATION)
    return get_object_or_404(Question.objects.select_related("survey"), pk=pk)


def questions(*, survey: Survey) -> QuerySet[Question]:
    return survey.questions.prefetch_related("options")


def respondents(*, user: Any, survey: Survey) -> QuerySet[Respondent]:
    check_can(user, Data.EVALUATION)
    return survey.respondents.select_related("person", "organisation")


def respondent_for(*, user: Any, token: str) -> Respondent:
    """The respondent whose personal link this is, only for the person it was made for:
    anyone else gets a 404, so a forwarded link is of no use."""
    if not user.is_authenticated:
        raise PermissionDenied
    return get_object_or_404(
        Respondent.objects.select_related("survey"), token=token, person_id=user.pk
    )


def answers_of(*, respondent: Respondent) -> dict[int, Answer]:
    """The respondent's own answers by question id."""
    return {
        answer.question_id: answer
        for answer in respondent.answers.prefetch_related("options").select_related("question")
    }


def answer_summary(*, respondent: Respondent) -> list[tuple[str, str]]:
    """The respondent's own answers as (question, answer) in words, every question listed."""
    answers = answers_of(respondent=respondent)
    rows = []
    for number, question in enumerate(questions(survey=respondent.survey), start=1):
        answer = answers.get(question.pk)
        if answer is None:
            given = "Not answered"
        elif question.kind == Question.Kind.LIKERT:
            given = answer.get_likert_display()
        elif question.kind == Question.Kind.FREE_TEXT:
            given = answer.text
        else:
            given = "; ".join(option.label for option in answer.options.all())
        rows.append((f"{number}. {question.text}", given))
    return rows


def questions_locked(*, survey: Survey) -> bool:
    """Once someone has answered, the questions stay as they were answered."""
    return survey.respondents.filter(submitted_at__isnull=False).exists()


def survey_answered(*, survey: Survey) -> bool:
    """Whether anyone has answered the survey: its answers are then evidence for the
    published reports, so it cannot be deleted."""
    return (
        survey.respondents.filter(submitted_at__isnull=False).exists()
        or Answer.objects.filter(question__survey=survey).exists()
    )


def respondent_answered(*, respondent: Respondent) -> bool:
    return respondent.submitted_at is not None or respondent.answers.exists()


def invitation_for(*, user: Any, pk: int) -> Respondent:
    """An invitation as the office sees it (by its id, not the respondent's link)."""
    check_can(user, Data.EVALUATION)
    return get_object_or_404(Respondent.objects.select_related("survey", "person"), pk=pk)


def invitable_people(
    *, user: Any, organisations: Any, roles: list[str], core_members_year: int | None = None
) -> QuerySet:
    """Active people with one of `roles` in `organisations` and, with `core_members_year`,
    in every organisation that is a core member that financial year: whom an invitation
    reaches."""
    chosen = Q(organisation__in=organisations)
    if core_members_year is not None:
        core = member_selectors.core_organisations(user=user, year=core_members_year)
        chosen |= Q(organisation__in=core)
    return member_selectors.people_list(user=user).filter(chosen, role__in=roles, is_active=True)


@dataclass(frozen=True)
class Finding:
    """A Likert question's headline: the share agreeing of those who gave a view."""

    question: str
    n: int
    agree: int
    agree_share: float
    low: float
    high: float
    net_agreement: float


def _submitted(survey: Survey) -> QuerySet[Answer]:
    return Answer.objects.filter(
        question__survey=survey, respondent__submitted_at__isnull=False
    ).order_by()


def _likert_counts(survey: Survey) -> dict[int, Counter]:
    counts: dict[int, Counter] = defaultdict(Counter)
    rows = (
        _submitted(survey)
        .filter(question__kind=Question.Kind.LIKERT)
        .exclude(likert="")
        .values_list("question_id", "likert")
        .annotate(count=Count("pk"))
    )
    for question_id, value, count in rows:
        counts[question_id][value] = count
    return counts


def report_findings(*, survey: Survey) -> list[Finding]:
    """The headline of each Likert question of `survey`, in question order, from submitted
    responses only."""
    counts = _likert_counts(survey)
    findings = []
    for question in survey.questions.filter(kind=Question.Kind.LIKERT):
        summary = survey_stats.summarise_likert(counts.get(question.pk, {}))
        findings.append(
            Finding(
                question=question.text,
                n=summary.n,
                agree=summary.agree,
                agree_share=summary.agree_share,
                low=summary.low,
                high=summary.high,
                net_agreement=summary.net_agreement,
            )
        )
    return findings


def latest_closed_survey(*, today: datetime.date | None = None) -> Survey | None:
    """The survey that closed most recently before `today` (default: today)."""
    today = today or timezone.localdate()
    return Survey.objects.filter(closes_on__lt=today).order_by("-closes_on", "-pk").first()


@dataclass(frozen=True)
class GroupResult:
    label: str
    summary: LikertSummary


@dataclass(frozen=True)
class Breakdown:
    by: str
    groups: list[GroupResult]
    # Groups not shown because fewer than MIN_GROUP people in them answered.
    suppressed: int


@dataclass
class QuestionResult:
    question: Question
    number: int
    answered: int
    likert: LikertSummary | None = None
    choices: list[ChoiceCount] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    breakdown: Breakdown | None = None


@dataclass(frozen=True)
class SurveyResults:
    survey: Survey
    invited: int
    submitted: int
    questions: list[QuestionResult]
    by: str | None

    @property
    def response_rate(self) -> float:
        return survey_stats.share(self.submitted, self.invited)


def survey_results(*, user: Any, survey: Survey, by: str | None = None) -> SurveyResults:
    """Every question's aggregate results; with `by` ("organisation" or "role"), Likert
    questions are also broken down by the respondents' organisation or role."""
    check_can(user, Data.EVALUATION)
    by = by if by in BREAKDOWNS else None
    submitted = _submitted(survey)
    # Blank answers are never stored, so every answer row is an answer given.
    answered = dict(submitted.values_list("question_id").annotate(count=Count("pk")))
    likert_rows = list(
        submitted.filter(question__kind=Question.Kind.LIKERT)
        .exclude(likert="")
        .values_list(
            "question_id", "likert", "respondent__organisation__short_name", "respondent__role"
        )
    )
    option_counts = dict(
        Option.objects.filter(question__survey=survey, answers__in=submitted)
        .values_list("pk")
        .annotate(count=Count("answers", distinct=True))
        .order_by()
    )
    texts: dict[int, list[str]] = defaultdict(list)
    # Alphabetical, so that the order says nothing about who answered when.
    for question_id, text in (
        submitted.filter(question__kind=Question.Kind.FREE_TEXT)
        .exclude(text="")
        .order_by("text")
        .values_list("question_id", "text")
    ):
        texts[question_id].append(text)

    results = []
    for number, question in enumerate(questions(survey=survey), start=1):
        result = QuestionResult(
            question=question, number=number, answered=answered.get(question.pk, 0)
        )
        if question.kind == Question.Kind.LIKERT:
            rows = [row for row in likert_rows if row[0] == question.pk]
            result.likert = survey_stats.summarise_likert(Counter(row[1] for row in rows))
            if by:
                result.breakdown = _breakdown(rows, by=by)
        elif question.has_options:
            result.choices = survey_stats.choice_distribution(
                [(o.label, option_counts.get(o.pk, 0)) for o in question.options.all()],
                base=result.answered,
            )
        else:
            result.texts = texts.get(question.pk, [])
        results.append(result)
    return SurveyResults(
        survey=survey,
        invited=survey.respondents.count(),
        submitted=survey.respondents.filter(submitted_at__isnull=False).count(),
        questions=results,
        by=by,
    )


def _breakdown(rows: list[tuple], *, by: str) -> Breakdown:
    groups: dict[str, Counter] = defaultdict(Counter)
    for _, value, organisation, role in rows:
        if by == "organisation":
            label = organisation or "No organisation"
        else:
            label = Role(role).label if role else "No role"
        groups[label][value] += 1
    shown = [
        GroupResult(label=label, summary=survey_stats.summarise_likert(counts))
        for label, counts in sorted(groups.items())
        if sum(counts.values()) >= MIN_GROUP
    ]
    return Breakdown(by=by, groups=shown, suppressed=len(groups) - len(shown))


def invitations_waiting(*, user: Any, today: datetime.date) -> QuerySet[Respondent] | None:
    """The user's own invitations to surveys open today that they have not answered, closing
    soonest first; None for the public."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        Respondent.objects.filter(
            person_id=user.pk,
            submitted_at__isnull=True,
            survey__opens_on__lte=today,
            survey__closes_on__gte=today,
        )
        .select_related("survey")
        .order_by("survey__closes_on", "survey__title")
    )


def response_rates(*, user: Any, today: datetime.date) -> QuerySet[Survey] | None:
    """Surveys open today with how many people were invited and how many answered: for the
    office; None for anyone else."""
    if not can(user, Data.EVALUATION):
        return None
    return (
        survey_list(user=user)
        .filter(opens_on__lte=today, closes_on__gte=today)
        .order_by("closes_on", "title")
    )
