"""Forms for interviews: the notes, a tagged passage and a theme."""

from __future__ import annotations

from typing import Any

from django import forms

from loti.core.forms import DateField, GovukForm
from loti.evaluation.surveys.forms import CheckboxesForm


class InterviewForm(GovukForm):
    held_on = DateField(label="Date of the interview", subject="the date of the interview")
    interviewee = forms.CharField(
        label="Who was interviewed",
        max_length=200,
        help_text="Their role in words, for example Head of Digital at a member borough. "
        "Do not enter their name.",
        error_messages={"required": "Enter who was interviewed"},
    )
    organisation = forms.ModelChoiceField(
        label="Organisation (optional)", queryset=None, required=False, empty_label="Not recorded"
    )
    notes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 14}),
        error_messages={"required": "Enter the notes of the interview"},
    )

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class PassageForm(CheckboxesForm):
    excerpt = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Copy the passage from the interview's notes",
        error_messages={"required": "Enter the excerpt"},
    )
    themes = forms.ModelMultipleChoiceField(
        queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    new_themes = forms.CharField(
        label="New themes (optional)",
        required=False,
        max_length=500,
        help_text="Names of themes not in the list, separated by commas",
    )

    def __init__(self, *args: Any, themes: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["themes"].queryset = themes

    def clean_new_themes(self) -> list[str]:
        return [name.strip() for name in self.cleaned_data["new_themes"].split(",") if name.strip()]


class ThemeForm(GovukForm):
    name = forms.CharField(
        max_length=100,
        error_messages={
            "required": "Enter the name of the theme",
            "max_length": "The name must be 100 characters or fewer",
        },
    )
    description = forms.CharField(
        label="Description (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
