"""The "can we share?" question."""

from __future__ import annotations

from typing import Any

from django import forms

from loti.core.forms import GovukForm
from loti.datasharing.coverage import selectors
from loti.datasharing.models import Category

PURPOSE_LENGTH = 500


class QuestionForm(GovukForm):
    a = forms.ModelChoiceField(
        label="Organisation A",
        help_text="The organisation that has the data",
        queryset=selectors.organisations_to_ask(),
        to_field_name="slug",
        empty_label="Select an organisation",
        error_messages={
            "required": "Select organisation A",
            "invalid_choice": "Select organisation A from the list",
        },
    )
    b = forms.ModelChoiceField(
        label="Organisation B",
        help_text="The organisation it would be shared with",
        queryset=selectors.organisations_to_ask(),
        to_field_name="slug",
        empty_label="Select an organisation",
        error_messages={
            "required": "Select organisation B",
            "invalid_choice": "Select organisation B from the list",
        },
    )
    category = forms.ChoiceField(
        label="Category of data",
        choices=[("", "Select a category"), *Category.choices],
        error_messages={
            "required": "Select the category of data",
            "invalid_choice": "Select a category of data from the list",
        },
    )
    purpose = forms.CharField(
        label="What it would be shared for (optional)",
        help_text="For example, planning care placements. Agreements whose purpose and data "
        "match these words come first.",
        required=False,
        max_length=PURPOSE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "max_length": f"What it would be shared for must be {PURPOSE_LENGTH} characters "
            "or fewer"
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("a", "b"):
            self.fields[name].label_from_instance = lambda o: o.name

    def clean_purpose(self) -> str:
        purpose = self.cleaned_data["purpose"]
        if "\x00" in purpose:
            raise forms.ValidationError("Remove the NUL character from what it would be shared for")
        return purpose.strip()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        a, b = cleaned.get("a"), cleaned.get("b")
        if a is not None and a == b:
            self.add_error("b", "Select a different organisation for B")
        return cleaned
