from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from loti.core.forms import DateField, GovukForm, MoneyField, WholeNumberField
from loti.core.money import money
from loti.members import selectors as member_selectors
from loti.portfolio.calls.models import ProposalType, SelectionResult, VotingMethod
from loti.portfolio.calls.services import MAX_CRITERIA
from loti.portfolio.workstreams.forms import workstream_field


class CallForm(GovukForm):
    """A call and up to six criteria, each a name, a description and a weight."""

    title = forms.CharField(
        label="Title",
        max_length=200,
        help_text="For example, Call for ideas 2026",
        error_messages={"required": "Enter the call's title"},
    )
    description = forms.CharField(
        label="Description (optional)", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    proposals_open_on = DateField(subject="the date proposals open", label="Proposals open")
    proposals_close_on = DateField(subject="the date proposals close", label="Proposals close")
    voting_opens_on = DateField(
        subject="the date voting opens",
        label="Voting opens",
        help_text="After proposals close: the time between is for assessing them",
    )
    voting_closes_on = DateField(subject="the date voting closes", label="Voting closes")
    budget = MoneyField(subject="the budget", label="Budget")
    capacity_chunks = WholeNumberField(
        subject="the capacity",
        min_value=1,
        max_value=10_000,
        fewer=True,
        label="Capacity in six-week chunks",
        help_text="How many six-week chunks of work the team can deliver from this call",
    )
    method = forms.ChoiceField(
        label="Voting method",
        choices=VotingMethod.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the voting method"},
    )
    points = WholeNumberField(
        subject="the points",
        min_value=1,
        max_value=1000,
        fewer=True,
        label="Points each organisation spreads",
        help_text="For points allocation",
        initial=10,
    )
    approvals_max = WholeNumberField(
        subject="the most proposals an organisation may approve",
        min_value=1,
        max_value=100,
        fewer=True,
        label="Most proposals an organisation may approve",
        help_text="For approval voting",
        initial=3,
    )
    vote_weight = forms.DecimalField(
        label="Weight of the vote",
        help_text=(
            "From 0 to 1: how much the vote counts against the criteria scores. 0.5 weighs "
            "them equally"
        ),
        min_value=Decimal(0),
        max_value=Decimal(1),
        decimal_places=2,
        initial=Decimal("0.5"),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-4"}),
        error_messages={
            "required": "Enter the weight of the vote",
            "invalid": "The weight of the vote must be a number from 0 to 1, like 0.5",
            "min_value": "The weight of the vote must be 0 or more",
            "max_value": "The weight of the vote must be 1 or less",
            "max_decimal_places": "The weight of the vote must have 2 decimal places or fewer",
        },
    )

    def __init__(self, *args: Any, criteria_locked: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria_locked = criteria_locked
        if criteria_locked:
            for name, field in self.fields.items():
                if name.startswith("criterion_"):
                    field.disabled = True

    def main_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if not name.startswith("criterion_")]

    def criteria_rows(self) -> list[tuple[int, list[forms.BoundField]]]:
        return [
            (
                number,
                [self[f"criterion_{number}_{part}"] for part in ("name", "description", "weight")],
            )
            for number in range(1, MAX_CRITERIA + 1)
        ]

    @staticmethod
    def criteria_initial(criteria) -> dict[str, Any]:
        initial: dict[str, Any] = {}
        for number, criterion in enumerate(criteria, start=1):
            initial[f"criterion_{number}_name"] = criterion.name
            initial[f"criterion_{number}_description"] = criterion.description
            initial[f"criterion_{number}_weight"] = criterion.weight
        return initial

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        criteria = []
        for number in range(1, MAX_CRITERIA + 1):
            name = (cleaned.get(f"criterion_{number}_name") or "").strip()
            weight = cleaned.get(f"criterion_{number}_weight")
            description = cleaned.get(f"criterion_{number}_description") or ""
            if not name:
                if weight or description:
                    self.add_error(
                        f"criterion_{number}_name", f"Enter the name of criterion {number}"
                    )
                continue
            if weight is None:
                if f"criterion_{number}_weight" not in self.errors:
                    self.add_error(
                        f"criterion_{number}_weight", f"Enter the weight of criterion {number}"
                    )
                continue
            criteria.append({"name": name, "description": description, "weight": weight})
        if not criteria and not self.errors:
            self.add_error("criterion_1_name", "Enter at least one criterion")
        cleaned["criteria"] = criteria
        return cleaned

    def call_fields(self) -> dict[str, Any]:
        """The call's own fields, for the service (criteria go separately)."""
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if not name.startswith("criterion_") and name != "criteria"
        }


def _criterion_fields(number: int) -> dict[str, forms.Field]:
    return {
        f"criterion_{number}_name": forms.CharField(label="Name", max_length=200, required=False),
        f"criterion_{number}_description": forms.CharField(
            label="Description (optional)", required=False, widget=forms.Textarea(attrs={"rows": 2})
        ),
        f"criterion_{number}_weight": WholeNumberField(
            subject=f"the weight of criterion {number}",
            label="Weight",
            help_text="From 1 to 100, against the other criteria",
            required=False,
            min_value=1,
            max_value=100,
        ),
    }


for _number in range(1, MAX_CRITERIA + 1):
    CallForm.base_fields.update(_criterion_fields(_number))


class ProposalForm(GovukForm):
    title = forms.CharField(
        label="Title",
        max_length=200,
        help_text="For example, Shared digital inclusion hub",
        error_messages={"required": "Enter the title of the idea"},
    )
    problem = forms.CharField(
        label="What is the problem?",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Describe the problem"},
    )
    outcome = forms.CharField(
        label="What outcome do you want?",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Describe the outcome you want"},
    )
    type = forms.ChoiceField(
        label="Type of work",
        choices=ProposalType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the type of work"},
    )
    workstream = workstream_field()
    organisation = forms.ModelChoiceField(
        label="Proposing organisation",
        queryset=member_selectors.organisations().none(),
        empty_label="Choose an organisation",
        error_messages={
            "required": "Select the proposing organisation",
            "invalid_choice": "Select an organisation from the list",
        },
    )
    supporters = forms.ModelMultipleChoiceField(
        label="Supporting organisations (optional)",
        queryset=member_selectors.organisations(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Organisations that have said they would take part",
        error_messages={"invalid_choice": "Select organisations from the list"},
    )
    estimated_cost = MoneyField(subject="the estimated cost", label="Estimated cost")
    chunks = WholeNumberField(
        subject="the number of six-week chunks",
        min_value=1,
        max_value=50,
        fewer=True,
        label="How many six-week chunks of work will it take?",
    )
    ethical_considerations = forms.CharField(
        label="Ethical considerations",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For example, personal data, fairness to residents, environmental impact",
        error_messages={
            "required": "Describe the ethical considerations, or say that there are none"
        },
    )

    def __init__(self, *args: Any, organisations, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        if organisations.count() == 1:
            # A member proposes for their own organisation: nothing to choose.
            del self.fields["organisation"]
            self.fixed_organisation = organisations.get()
            self.fields["supporters"].queryset = member_selectors.organisations().exclude(
                pk=self.fixed_organisation.pk
            )
        else:
            self.fixed_organisation = None

    def proposal_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.setdefault("organisation", self.fixed_organisation)
        return data


class AssessmentForm(GovukForm):
    """A score from 1 to 5 and a rationale for each of the call's criteria."""

    criteria: list = []

    @classmethod
    def for_criteria(cls, criteria, *args: Any, **kwargs: Any) -> AssessmentForm:
        criteria = list(criteria)
        fields: dict[str, Any] = {"criteria": criteria}
        for criterion in criteria:
            subject = criterion.name[:1].lower() + criterion.name[1:]
            fields[f"score_{criterion.pk}"] = forms.TypedChoiceField(
                label=f"Score for {subject}",
                choices=[(str(n), str(n)) for n in range(1, 6)],
                coerce=int,
                widget=forms.RadioSelect,
                help_text="From 1 (poor) to 5 (excellent)",
                error_messages={"required": f"Select a score for {subject}"},
            )
            fields[f"rationale_{criterion.pk}"] = forms.CharField(
                label=f"Reason for the score for {subject}",
                widget=forms.Textarea(attrs={"rows": 3}),
                error_messages={"required": f"Enter the reason for the score for {subject}"},
            )
        return type("AssessmentForm", (cls,), fields)(*args, **kwargs)

    @staticmethod
    def initial_for(assessments) -> dict[str, Any]:
        initial: dict[str, Any] = {}
        for criterion, assessment in assessments:
            if assessment is not None:
                initial[f"score_{criterion.pk}"] = str(assessment.score)
                initial[f"rationale_{criterion.pk}"] = assessment.rationale
        return initial

    def groups(self) -> list[tuple[Any, forms.BoundField, forms.BoundField]]:
        return [(c, self[f"score_{c.pk}"], self[f"rationale_{c.pk}"]) for c in self.criteria]

    def scores(self):
        return {
            c: (self.cleaned_data[f"score_{c.pk}"], self.cleaned_data[f"rationale_{c.pk}"])
            for c in self.criteria
        }


class BallotForm(GovukForm):
    """Points for each proposal (points allocation), or a set of proposals (approval, budget
    basket)."""

    call = None
    proposals: list = []

    @classmethod
    def for_call(cls, call, proposals, *args: Any, **kwargs: Any) -> BallotForm:
        proposals = list(proposals)
        fields: dict[str, Any] = {"call": call, "proposals_listed": proposals}
        if call.method == VotingMethod.POINTS:
            for proposal in proposals:
                fields[f"points_{proposal.pk}"] = WholeNumberField(
                    subject=f"points for {proposal.title}",
                    fewer=True,
                    width=3,
                    label=proposal.title,
                    required=False,
                    min_value=0,
                    max_value=call.points,
                    help_text=_facts(proposal),
                )
        else:
            label = (
                f"Which proposals do you approve? Choose up to {call.approvals_max}"
                if call.method == VotingMethod.APPROVAL
                else "Which proposals go in your basket? Their costs must add up to "
                f"{money(call.budget)} or less"
            )
            fields["proposals"] = forms.MultipleChoiceField(
                label=label,
                choices=[(str(p.pk), f"{p.title} ({_facts(p)})") for p in proposals],
                widget=forms.CheckboxSelectMultiple,
                error_messages={
                    "required": "Select at least one proposal",
                    "invalid_choice": "Select proposals from the list",
                },
            )
        return type("BallotForm", (cls,), fields)(*args, **kwargs)

    @staticmethod
    def initial_for(call, ballot) -> dict[str, Any]:
        if ballot is None:
            return {}
        choices = {c.proposal_id: c.value for c in ballot.choices.all()}
        if call.method == VotingMethod.POINTS:
            return {f"points_{pk}": value for pk, value in choices.items()}
        return {"proposals": [str(pk) for pk in choices]}

    def choices(self) -> dict[int, int]:
        if self.call.method == VotingMethod.POINTS:
            return {
                p.pk: self.cleaned_data[f"points_{p.pk}"]
                for p in self.proposals_listed
                if self.cleaned_data.get(f"points_{p.pk}")
            }
        return {int(pk): 1 for pk in self.cleaned_data["proposals"]}


def _facts(proposal) -> str:
    chunks = f"{proposal.chunks} chunk{'s' if proposal.chunks != 1 else ''}"
    return f"{proposal.organisation.short_name}, {money(proposal.estimated_cost)}, {chunks}"


class OverrideForm(GovukForm):
    NONE = "none"

    override = forms.ChoiceField(
        label="What should happen to this proposal?",
        choices=[
            (SelectionResult.Override.INCLUDE, "Include it in the selection"),
            (SelectionResult.Override.EXCLUDE, "Leave it out of the selection"),
            (NONE, "Follow the optimiser's choice (remove any override)"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select what should happen to this proposal"},
    )
    reason = forms.CharField(
        label="Reason",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Published with the results",
    )
    accept_over_limits = forms.BooleanField(
        label="I accept that this takes the selection over the budget or the capacity",
        required=False,
    )

    def override_value(self) -> str:
        value = self.cleaned_data["override"]
        return "" if value == self.NONE else value
