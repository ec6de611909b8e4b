from django import forms

from loti.core.forms import GovukForm, WholeNumberField
from loti.portfolio.workstreams.models import Workstream


def workstream_field() -> forms.ModelChoiceField:
    """The workstream a proposal or a project belongs to, chosen from a list."""
    return forms.ModelChoiceField(
        label="Workstream",
        queryset=Workstream.objects.all(),
        empty_label="Choose a workstream",
        error_messages={
            "required": "Select the workstream",
            "invalid_choice": "Select a workstream from the list",
        },
    )


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
