from __future__ import annotations

from django import forms
from django.utils import timezone

from loti.core.forms import DateField, GovukForm, MoneyField
from loti.core.permissions import Role
from loti.members.financial_year import year_choices
from loti.members.models import Contribution, Organisation, OrganisationAlias, Tier


def financial_year_field(**kwargs) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label="Financial year",
        coerce=int,
        choices=[("", "Choose a financial year"), *year_choices(around=timezone.localdate())],
        error_messages={
            "required": "Select the financial year",
            "invalid_choice": "Select a financial year from the list",
        },
        **kwargs,
    )


class OrganisationForm(GovukForm):
    name = forms.CharField(
        label="Full name",
        max_length=200,
        help_text="For example, London Borough of Barnet",
        error_messages={"required": "Enter the organisation's full name"},
    )
    short_name = forms.CharField(
        label="Short name",
        max_length=100,
        help_text="How it is usually called, for example Barnet",
        error_messages={"required": "Enter the organisation's short name"},
    )
    kind = forms.ChoiceField(
        label="Kind of organisation",
        choices=[("", "Choose a kind"), *Organisation.Kind.choices],
        error_messages={"required": "Select the kind of organisation"},
    )
    gss_code = forms.CharField(
        label="GSS code (optional)",
        max_length=9,
        required=False,
        help_text="The ONS code for a local authority, like E09000003",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "spellcheck": "false"}),
    )
    website = forms.URLField(
        label="Website (optional)",
        required=False,
        assume_scheme="https",
        error_messages={
            "invalid": "Enter the website address in the correct format, like https://www.barnet.gov.uk"
        },
    )


class OrganisationAliasForm(GovukForm):
    kind = forms.ChoiceField(
        label="What are you adding?",
        choices=OrganisationAlias.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether it is another name or an identifier"},
    )
    value = forms.CharField(
        label="Name or identifier",
        max_length=200,
        help_text=(
            "As published contract notices write it, for example LB Barnet, or the buyer's "
            "identifier GB-LAE-BNE"
        ),
        error_messages={
            "required": "Enter the name or identifier",
            "max_length": "The name or identifier must be 200 characters or less",
        },
        widget=forms.TextInput(attrs={"spellcheck": "false"}),
    )


class MembershipForm(GovukForm):
    year = financial_year_field()
    tier = forms.ChoiceField(
        label="Tier",
        choices=Tier.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the membership tier"},
    )
    fee_due = MoneyField(
        subject="the fee due",
        label="Fee due (optional)",
        required=False,
        help_text="Leave blank to use the fee schedule for the tier and year",
    )
    declaration_signed_on = DateField(
        subject="the date the Declaration was signed",
        label="When did the organisation sign the Local Digital Declaration? (optional)",
        help_text="Core members must have signed it. For example, 27 3 2019",
        required=False,
    )

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["year"]
            self.fields["fee_due"].required = True
            self.fields["fee_due"].label = "Fee due"
            self.fields["fee_due"].help_text = ""


class FeeScheduleForm(GovukForm):
    """One amount per tier; a blank amount means the tier has no fee this year."""


FeeScheduleForm.base_fields.update(
    {
        tier: MoneyField(
            subject=f"the {label.lower()} fee", label=f"{label} (optional)", required=False
        )
        for tier, label in Tier.choices
    }
)


class BudgetForm(GovukForm):
    amount = MoneyField(subject="the budget", label="Budget for the year")
    notes = forms.CharField(
        label="Notes (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ContributionForm(GovukForm):
    organisation = forms.ModelChoiceField(
        label="Organisation",
        queryset=Organisation.objects.all(),
        empty_label="Choose an organisation",
        error_messages={
            "required": "Select the organisation",
            "invalid_choice": "Select an organisation from the list",
        },
    )
    kind = forms.ChoiceField(
        label="Kind of contribution",
        choices=Contribution.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the kind of contribution"},
    )
    amount = MoneyField(subject="the amount", label="Amount")
    status = forms.ChoiceField(
        label="Status",
        choices=Contribution.Status.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether it has been paid"},
    )
    invoiced_on = DateField(
        subject="the date it was invoiced", label="Date invoiced (optional)", required=False
    )
    paid_on = DateField(
        subject="the date it was paid",
        label="Date paid",
        required=False,
        help_text="Required if it has been paid",
    )
    invoice_reference = forms.CharField(
        label="Invoice reference (optional)", max_length=50, required=False
    )
    description = forms.CharField(label="Description (optional)", max_length=200, required=False)


class PersonForm(GovukForm):
    full_name = forms.CharField(
        label="Full name", max_length=150, error_messages={"required": "Enter their full name"}
    )
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        error_messages={
            "required": "Enter their email address",
            "invalid": "Enter an email address in the correct format, like name@example.gov.uk",
        },
        widget=forms.EmailInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )
    job_title = forms.CharField(label="Job title (optional)", max_length=150, required=False)
    role = forms.ChoiceField(
        label="Role",
        choices=Role.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select their role"},
    )
    organisation = forms.ModelChoiceField(
        label="Organisation",
        queryset=Organisation.objects.all(),
        required=False,
        empty_label="None (office staff only)",
        help_text="Required for member leads, member officers and partners",
    )
    signs_agreements = forms.BooleanField(
        label="Signs data-sharing agreements for their organisation",
        required=False,
        help_text="For a partner's person: a member's lead signs for the member",
    )
    is_advisory_board = forms.BooleanField(label="On the advisory board", required=False)
    advisory_board_role = forms.CharField(
        label="Role on the advisory board (optional)",
        max_length=100,
        required=False,
        help_text="For example, Chair",
    )
    is_active = forms.BooleanField(label="Can sign in", required=False, initial=True)
