"""Forms for the member survey (building it, inviting people, answering it) and the
interviews."""

from __future__ import annotations

from typing import Any

from django import forms

from loti.core.forms import DateField, GovukForm
from loti.core.permissions import Role
from loti.evaluation.surveys.models import Answer, Likert, Question

FREE_TEXT_LIMIT = 5000
INVITABLE_ROLES = [
    (Role.LEAD.value, "Member leads"),
    (Role.OFFICER.value, "Member officers"),
    (Role.PARTNER.value, "Partners"),
]


class CheckboxesForm(GovukForm):
    """Django's CheckboxSelectMultiple is a kind of RadioSelect, which `widget_kind` takes it
    for: its fields are marked as the checkboxes they are."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, forms.CheckboxSelectMultiple):
                field.widget.govuk_kind = "checkboxes"


class SurveyForm(GovukForm):
    title = forms.CharField(
        max_length=200, error_messages={"required": "Enter the title of the survey"}
    )
    introduction = forms.CharField(
        label="Introduction (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Shown to respondents above the questions: what the survey is for, how long "
        "it takes and how answers are used",
    )
    opens_on = DateField(
        label="Opens on", subject="the date the survey opens", help_text="For example, 1 6 2026"
    )
    closes_on = DateField(
        label="Closes on",
        subject="the date the survey closes",
        help_text="The last day answers can be given or changed",
    )


class OptionsField(forms.CharField):
    """Options typed one per line, cleaned to a list of labels."""

    widget = forms.Textarea(attrs={"rows": 6})

    def to_python(self, value: Any) -> list[str]:
        text = super().to_python(value)
        return [line.strip() for line in text.splitlines() if line.strip()]


class QuestionForm(GovukForm):
    text = forms.CharField(
        label="Question",
        max_length=300,
        error_messages={
            "required": "Enter the question",
            "max_length": "The question must be 300 characters or fewer",
        },
    )
    help_text = forms.CharField(
        label="Hint (optional)",
        max_length=300,
        required=False,
        help_text="Shown under the question to help people answer it",
    )
    kind = forms.ChoiceField(
        label="Type of answer",
        choices=Question.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the type of answer"},
    )
    options = OptionsField(
        label="Options (for choose-one and choose-several questions)",
        required=False,
        help_text="One option on each line. Agree-or-disagree questions always offer strongly "
        "disagree, disagree, neither, agree, strongly agree and don't know.",
    )
    required = forms.BooleanField(label="An answer is required", required=False, initial=True)


class InviteForm(CheckboxesForm):
    core_members = forms.BooleanField(
        label="Every core member organisation this financial year", required=False
    )
    organisations = forms.ModelMultipleChoiceField(
        label="Other organisations",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    roles = forms.MultipleChoiceField(
        label="Roles",
        choices=INVITABLE_ROLES,
        widget=forms.CheckboxSelectMultiple,
        help_text="Everyone active with one of these roles in the organisations chosen is "
        "invited; people invited already are not invited twice",
        error_messages={"required": "Select at least one role"},
    )

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisations"].queryset = organisations

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("core_members") and not data.get("organisations"):
            self.add_error(
                "organisations", "Select at least one organisation, or every core member"
            )
        return data


def _question_field(number: int, question: Question) -> forms.Field:
    label = f"{number}. {question.text}"
    common = {"label": label, "required": question.required, "help_text": question.help_text}
    if question.kind == Question.Kind.LIKERT:
        return forms.ChoiceField(
            choices=Likert.choices,
            widget=forms.RadioSelect,
            error_messages={"required": f"Select an answer to question {number}"},
            **common,
        )
    if question.kind == Question.Kind.SINGLE:
        return forms.ChoiceField(
            choices=[(str(o.pk), o.label) for o in question.options.all()],
            widget=forms.RadioSelect,
            error_messages={
                "required": f"Select an answer to question {number}",
                "invalid_choice": f"Select one of the options for question {number}",
            },
            **common,
        )
    if question.kind == Question.Kind.MULTIPLE:
        return forms.MultipleChoiceField(
            choices=[(str(o.pk), o.label) for o in question.options.all()],
            widget=forms.CheckboxSelectMultiple,
            error_messages={
                "required": f"Select at least one answer to question {number}",
                "invalid_choice": f"Select from the options for question {number}",
            },
            **common,
        )
    return forms.CharField(
        max_length=FREE_TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": f"Enter an answer to question {number}",
            "max_length": f"The answer to question {number} must be "
            f"{FREE_TEXT_LIMIT:,} characters or fewer",
        },
        **common,
    )


def _initial(question: Question, answer: Answer | None) -> Any:
    if answer is None:
        return None
    if question.kind == Question.Kind.LIKERT:
        return answer.likert
    if question.kind == Question.Kind.FREE_TEXT:
        return answer.text
    chosen = [str(option.pk) for option in answer.options.all()]
    if question.kind == Question.Kind.SINGLE:
        return chosen[0] if chosen else None
    return chosen


class ResponseForm(CheckboxesForm):
    """Every question of a survey on one page; `answers` (question id -> Answer) fill it in."""

    def __init__(
        self,
        *args: Any,
        questions: list[Question],
        answers: dict[int, Answer],
        **kwargs: Any,
    ) -> None:
        self.questions = questions
        # Fields made for this survey, in place of the class's (it has none), so that the
        # base class styles them like any other.
        self.base_fields = {}
        initial = {}
        for number, question in enumerate(questions, start=1):
            field = _question_field(number, question)
            self.base_fields[f"q{question.pk}"] = field
            initial[f"q{question.pk}"] = _initial(question, answers.get(question.pk))
        super().__init__(*args, initial=initial, **kwargs)

    def answers(self) -> dict[int, Any]:
        """The cleaned answers by question id, for `survey_services.response_submit`."""
        return {
            question.pk: self.cleaned_data.get(f"q{question.pk}") for question in self.questions
        }
