from __future__ import annotations

from django import forms

from loti.core.forms import GovukForm


class PublishForm(GovukForm):
    title = forms.CharField(
        label="Title of the published report",
        max_length=200,
        error_messages={"required": "Enter the title of the report"},
    )
