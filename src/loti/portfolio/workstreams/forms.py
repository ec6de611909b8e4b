from django import forms

from loti.core.forms import GovukForm, WholeNumberField


class WorkstreamForm(GovukForm):
    name = forms.CharField(
        label="Name", max_length=100, error_messages={"required": "Enter the workstream's name"}
    )
    description = forms.CharField(
        label="Description (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    order = WholeNumberField(
        subject="the position in lists",
        min_value=0,
        max_value=1000,
        label="Position in lists",
        help_text="Lower numbers come first",
        initial=0,
    )
