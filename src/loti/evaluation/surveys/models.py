"""The member survey: questionnaires, respondents with personal links, and their answers."""

from __future__ import annotations

import datetime
import secrets

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone

from loti.core.permissions import Role
from loti.evaluation.surveys.stats import Likert

__all__ = [
    "Answer",
    "Likert",
    "Option",
    "Question",
    "Respondent",
    "Survey",
]


class Survey(models.Model):
    class State(models.TextChoices):
        NOT_OPEN = "not_open", "Not open yet"
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    title = models.CharField(max_length=200)
    introduction = models.TextField(
        blank=True, help_text="Shown to respondents above the questions"
    )
    opens_on = models.DateField("Opens on")
    closes_on = models.DateField("Closes on", help_text="The last day answers can be given")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # Made up by `loti demo`: its pages say so.
    synthetic = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["-opens_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opens_on")),
                name="evaluation_survey_closes_after_opens",
                violation_error_message="The closing date must be the same as or after the "
                "opening date",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("evaluation:survey_detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        if self.opens_on and self.closes_on and self.closes_on < self.opens_on:
            raise ValidationError(
                {"closes_on": "The closing date must be the same as or after the opening date"}
            )

    def state_on(self, day: datetime.date) -> str:
        if day < self.opens_on:
            return self.State.NOT_OPEN
        if day > self.closes_on:
            return self.State.CLOSED
        return self.State.OPEN

    @property
    def state(self) -> str:
        return self.state_on(timezone.localdate())

    def get_state_display(self) -> str:
        return self.State(self.state).label


class Question(models.Model):
    class Kind(models.TextChoices):
        LIKERT = "likert", "Agree or disagree (five points and don't know)"
        SINGLE = "single", "Choose one option"
        MULTIPLE = "multiple", "Choose one or more options"
        FREE_TEXT = "free_text", "Free text"

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(default=0)
    text = models.CharField("Question", max_length=300)
    kind = models.CharField("Type of answer", max_length=10, choices=Kind.choices)
    required = models.BooleanField("An answer is required", default=True)
    help_text = models.CharField(
        "Hint", max_length=300, blank=True, help_text="Shown under the question"
    )

    class Meta:
        ordering = ["survey", "order", "pk"]

    def __str__(self) -> str:
        return self.text

    def get_absolute_url(self) -> str:
        return self.survey.get_absolute_url()

    @property
    def has_options(self) -> bool:
        return self.kind in {self.Kind.SINGLE, self.Kind.MULTIPLE}


class Option(models.Model):
    """One of the answers to a single- or multiple-choice question."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    order = models.PositiveSmallIntegerField(default=0)
    label = models.CharField(max_length=200)

    class Meta:
        ordering = ["question", "order", "pk"]

    def __str__(self) -> str:
        return self.label


def new_token() -> str:
    # 256 bits: unguessable. The link alone is not enough to answer: the respondent must
    # also be signed in as the person it was made for.
    return secrets.token_urlsafe(32)


class Respondent(models.Model):
    """A person invited to a survey, with their personal link. Their organisation and role
    are kept as they were when invited, so breakdowns do not shift when people move."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="respondents")
    person = models.ForeignKey(
        "members.Person", on_delete=models.PROTECT, related_name="survey_invitations"
    )
    organisation = models.ForeignKey(
        "members.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    role = models.CharField(max_length=10, choices=Role.choices)
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    invited_at = models.DateTimeField("Invitation sent", null=True, blank=True)
    submitted_at = models.DateTimeField("First submitted", null=True, blank=True)
    updated_at = models.DateTimeField("Last changed", null=True, blank=True)

    class Meta:
        ordering = ["survey", "person__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "person"], name="evaluation_respondent_unique_person_per_survey"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} invited to {self.survey}"

    def get_absolute_url(self) -> str:
        """Where the office finds this invitation (the change history links here)."""
        return reverse("evaluation:respondents_send", args=[self.survey_id])

    def response_url(self) -> str:
        """The person's own link to their answers, of use to nobody else."""
        return reverse("evaluation:response_form", args=[self.token])


class Answer(models.Model):
    """A respondent's answer to one question: a point on the Likert scale, chosen options or
    text, by the question's kind."""

    respondent = models.ForeignKey(Respondent, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    likert = models.CharField(max_length=20, choices=Likert.choices, blank=True)
    options = models.ManyToManyField(Option, blank=True, related_name="answers")
    text = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["respondent", "question"], name="evaluation_answer_unique_per_question"
            ),
        ]

    def __str__(self) -> str:
        return f"Answer to {self.question}"
