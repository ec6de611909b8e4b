from __future__ import annotations

from django import forms

from loti.core.forms import DateField, GovukForm, MoneyField, WholeNumberField
from loti.members import selectors as member_selectors
from loti.portfolio.calls.models import ProposalType
from loti.portfolio.projects.models import Decision, Resource
from loti.portfolio.projects.services import ACTIVE_PHASES
from loti.portfolio.workstreams.forms import workstream_field


class ProjectForm(GovukForm):
    """An earlier project, begun before calls for ideas were run here, entered by the office."""

    title = forms.CharField(
        label="Title", max_length=200, error_messages={"required": "Enter the title"}
    )
    summary = forms.CharField(
        label="Summary (optional)",
        max_length=300,
        required=False,
        help_text="One sentence for lists of projects",
    )
    introduction = forms.CharField(
        label="Introduction",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What the project is for and who it helps. It is shown on the public page.",
        error_messages={"required": "Enter the introduction"},
    )
    lead_organisation = forms.ModelChoiceField(
        label="Lead organisation",
        queryset=member_selectors.organisations(),
        empty_label="Choose an organisation",
        error_messages={
            "required": "Select the lead organisation",
            "invalid_choice": "Select an organisation from the list",
        },
    )
    partners = forms.ModelMultipleChoiceField(
        label="Partner organisations (optional)",
        queryset=member_selectors.organisations(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select partners from the list"},
    )
    type = forms.ChoiceField(
        label="Type",
        choices=ProposalType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the type of project"},
    )
    workstream = workstream_field()
    phase = forms.ChoiceField(
        label="Current phase",
        choices=[(p.value, p.label) for p in ACTIVE_PHASES],
        widget=forms.RadioSelect,
        error_messages={"required": "Select the current phase"},
    )
    budget = MoneyField(subject="the budget", label="Budget")
    started_on = DateField(subject="the start date", label="Start date")
    chunks = WholeNumberField(
        subject="the number of six-week cycles",
        example=4,
        fewer=True,
        width=3,
        label="Number of six-week cycles",
        min_value=1,
        max_value=50,
    )
    first_goal = forms.CharField(
        label="Goal of the first cycle (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class StartProjectForm(GovukForm):
    starts_on = DateField(subject="the start date", label="Start date")
    lead_organisation = forms.ModelChoiceField(
        label="Lead organisation",
        queryset=member_selectors.organisations().none(),
        help_text="The proposing organisation leads unless you choose another",
        empty_label=None,
        # Left out, the proposing organisation leads.
        required=False,
        error_messages={"invalid_choice": "Select an organisation from the list"},
    )

    def __init__(self, *args, proposal, **kwargs):
        super().__init__(*args, **kwargs)
        ids = [proposal.organisation_id, *(o.pk for o in proposal.confirmed_supporters)]
        self.fields["lead_organisation"].queryset = member_selectors.organisations(ids=ids)
        self.fields["lead_organisation"].initial = proposal.organisation_id


class PhaseForm(GovukForm):
    phase = forms.ChoiceField(
        label="New phase",
        widget=forms.RadioSelect,
        error_messages={"required": "Select the new phase"},
    )

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        later = (
            ACTIVE_PHASES[ACTIVE_PHASES.index(project.phase) + 1 :] if not project.has_ended else []
        )
        self.fields["phase"].choices = [(p.value, p.label) for p in later]


class ReviewForm(GovukForm):
    decision = forms.ChoiceField(
        label="Decision",
        choices=Decision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select continue, pivot, stop or complete"},
    )
    notes = forms.CharField(
        label="Notes",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What was learned in the cycle and why this decision was taken",
        error_messages={"required": "Enter the notes of the review"},
    )
    next_goal = forms.CharField(
        label="Goal of the next cycle",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed for a pivot; for continue, leave empty to keep the goal already set",
    )


class CycleGoalForm(GovukForm):
    goal = forms.CharField(
        label="Goal",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter the goal of the cycle"},
    )


class WeeknoteForm(GovukForm):
    published_on = DateField(subject="the date", label="Date", help_text="For example, 27 3 2026")
    title = forms.CharField(
        label="Title", max_length=200, error_messages={"required": "Enter the title"}
    )
    body = forms.CharField(
        label="What happened",
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": "Enter what happened"},
    )


class ResourceForm(GovukForm):
    title = forms.CharField(
        label="Title", max_length=200, error_messages={"required": "Enter the title"}
    )
    url = forms.CharField(
        label="Web address",
        max_length=500,
        help_text="Starting with https://",
        widget=forms.TextInput(attrs={"spellcheck": "false", "inputmode": "url"}),
        error_messages={"required": "Enter the web address"},
    )
    kind = forms.ChoiceField(
        label="Kind",
        choices=Resource.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the kind of resource"},
    )
    licence = forms.CharField(
        label="Licence (optional)",
        max_length=100,
        required=False,
        help_text="For example, Open Government Licence v3.0",
    )
