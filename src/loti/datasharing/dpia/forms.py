"""The screening questionnaire and the DPIA's form with its risks. The fields only read what
was typed or chosen: what must be given, and the rules between fields, are the services'
(`dpia.services`), whose errors the pages show on these fields."""

from __future__ import annotations

from typing import Any

from django import forms

from loti.core.forms import DateField, GovukForm
from loti.datasharing.dpia import screening
from loti.datasharing.models import DpiaRisk, Level

YES_NO = [("yes", "Yes"), ("no", "No")]


def _yes_no(value: str) -> bool:
    return value == "yes"


def _as_choice(value: Any) -> str | None:
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return None


class ScreeningForm(GovukForm):
    """One yes-or-no question for each of the questionnaire's questions, named by its key."""

    def __init__(self, *args: Any, answers: dict[str, bool] | None = None, **kwargs: Any):
        kwargs.setdefault(
            "initial", {key: _as_choice(value) for key, value in (answers or {}).items()}
        )
        super().__init__(*args, **kwargs)
        for question in screening.QUESTIONS:
            self.fields[question.key] = forms.TypedChoiceField(
                label=question.text,
                help_text=question.hint,
                choices=YES_NO,
                coerce=_yes_no,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
            )
        # The base class styles the fields it finds: these were added after it looked.
        for field in self.fields.values():
            field.widget.govuk_kind = "radios"

    def groups(self) -> list[tuple[screening.Source, str, list[forms.BoundField]]]:
        """The questions by source, each with its introduction, in the questionnaire's order."""
        return [
            (source, screening.SOURCE_INTROS[source], [self[q.key] for q in questions])
            for source, questions in screening.groups()
        ]

    def answers(self) -> dict[str, bool]:
        """The questions answered, for services.screening_record."""
        return {key: value for key, value in self.cleaned_data.items() if isinstance(value, bool)}


class DpiaForm(GovukForm):
    description = forms.CharField(
        label="Nature, scope, context and purposes of the processing",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=(
            "What the parties will do with the data, whose data it is and how much, and why: "
            "the benefits for people and for the parties"
        ),
    )
    consultation = forms.CharField(
        label="Who was consulted (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=(
            "For example, residents, staff, processors or security experts, and what they said"
        ),
    )
    necessity = forms.CharField(
        label="Necessity and proportionality (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=(
            "Why this is the least data needed, how its quality is kept, and how people's "
            "rights are upheld"
        ),
    )
    residual_risk = forms.ChoiceField(
        label="Overall residual risk",
        required=False,
        choices=Level.choices,
        widget=forms.RadioSelect,
        help_text="The risk to people that remains once the measures below are in place",
    )
    dpo_name = forms.CharField(label="Data protection officer", required=False, max_length=150)
    dpo_advice = forms.CharField(
        label="The data protection officer's advice",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    dpo_advice_accepted = forms.TypedChoiceField(
        label="Was the advice accepted?",
        required=False,
        choices=YES_NO,
        coerce=_yes_no,
        empty_value=None,
        widget=forms.RadioSelect,
    )
    dpo_advice_response = forms.CharField(
        label="If not, why not",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Where the advice was overruled, the reasons",
    )
    signed_off_by = forms.CharField(
        label="Signed off by (optional)",
        required=False,
        max_length=150,
        help_text="The name and role of who approved the DPIA and its residual risks",
    )
    signed_off_on = DateField(
        label="Signed off on (optional)",
        subject="the date the DPIA was signed off",
        required=False,
        help_text="For example, 27 3 2026",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        initial = kwargs.get("initial") or {}
        if "dpo_advice_accepted" in initial:
            initial["dpo_advice_accepted"] = _as_choice(initial["dpo_advice_accepted"])
        super().__init__(*args, **kwargs)

    def dpia(self) -> dict[str, Any]:
        """The `fields` of services.dpia_save."""
        return {name: self.cleaned_data[name] for name in self.fields}


class RiskForm(GovukForm):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    description = forms.CharField(
        label="Risk",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=DpiaRisk._meta.get_field("description").help_text,
    )
    likelihood = forms.ChoiceField(
        label="How likely is the harm?",
        required=False,
        choices=DpiaRisk.Likelihood.choices,
        widget=forms.RadioSelect,
    )
    severity = forms.ChoiceField(
        label="How severe would the harm be?",
        required=False,
        choices=DpiaRisk.Severity.choices,
        widget=forms.RadioSelect,
    )
    mitigation = forms.CharField(
        label="Measures to reduce or eliminate it",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    residual_risk = forms.ChoiceField(
        label="Residual risk",
        required=False,
        choices=Level.choices,
        widget=forms.RadioSelect,
        help_text="What remains once the measures are in place",
    )
    remove = forms.BooleanField(label="Remove this risk", required=False)

    def is_blank(self) -> bool:
        """Nothing typed or chosen: a risk added but left empty, not a risk."""
        data = self.cleaned_data
        return not data.get("id") and not any(
            data.get(name)
            for name in ("description", "likelihood", "severity", "mitigation", "residual_risk")
        )

    def risk(self) -> dict[str, Any]:
        """One of the `risks` of services.dpia_save."""
        data = self.cleaned_data
        risk = {name: data[name] for name in ("description", "likelihood", "severity")}
        risk |= {"mitigation": data["mitigation"], "residual_risk": data["residual_risk"]}
        if data.get("id"):
            risk["id"] = data["id"]
        return risk


RiskFormSet = forms.formset_factory(RiskForm, extra=0, max_num=100, absolute_max=100)
