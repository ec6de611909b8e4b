"""The forms of an agreement's pages: the agreement itself, every section of the ICO's Data
Sharing Code of Practice in its order, with its data items (a formset) and its parties
(organisations ticked, one role for them all and a role for any that differs); and the
forms that sign, open and withdraw."""

from __future__ import annotations

from typing import Any

from django import forms

from loti.core.forms import DateField, GovukForm
from loti.datasharing.lawful_basis import Article6, Article9, Article10, Schedule1
from loti.datasharing.models import Category, Frequency, Party, Version
from loti.members import selectors as member_selectors

# The form's sections, in the order of the ICO's code: (legend, field names).
SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Purpose and benefits", ("title", "purpose", "benefits")),
    ("Lawful basis", ("article6", "article6_detail", "article9", "schedule1", "article10")),
    ("Whose data", ("data_subjects",)),
    ("How the data moves", ("transfer_method", "frequency")),
    ("Keeping it safe, and for how long", ("security", "retention", "deletion")),
    ("People's rights", ("rights", "privacy_information", "breach_reporting")),
    ("Dates", ("start_date", "review_date", "end_date")),
)
VERSION_FIELDS = tuple(name for _, names in SECTIONS for name in names if name != "title")

# What to enter in each free-text field when it is left empty.
REQUIRED_TEXT = {
    "purpose": "Enter why the data is shared",
    "benefits": "Enter the benefits the sharing is meant to bring",
    "data_subjects": "Enter whose data is shared",
    "transfer_method": "Enter how the data moves",
    "security": "Enter the security measures",
    "retention": "Enter how long each party keeps the data",
    "deletion": "Enter how the data is deleted or returned at the end",
    "rights": "Enter how individuals' rights and complaints are handled",
    "privacy_information": "Enter what people are told about the sharing",
    "breach_reporting": "Enter how a breach is reported",
}
SAME_ROLE = ""


def _text(name: str, *, required: bool = True, rows: int = 4) -> forms.CharField:
    field = Version._meta.get_field(name)
    label = str(field.verbose_name)
    label = label[:1].upper() + label[1:]
    return forms.CharField(
        label=label if required else f"{label} (optional)",
        help_text=field.help_text,
        required=required,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": REQUIRED_TEXT.get(name, f"Enter {label.lower()}")},
    )


def _optional_choice(name: str, choices: list, *, message: str) -> forms.ChoiceField:
    field = Version._meta.get_field(name)
    return forms.ChoiceField(
        label=f"{field.verbose_name} (if any)",
        help_text=field.help_text,
        choices=[("", "None"), *choices],
        required=False,
        error_messages={"invalid_choice": message},
    )


class AgreementForm(GovukForm):
    """An agreement's title and its version's content, and its parties; the data items
    are a formset beside it (`DataItemFormSet`)."""

    title = forms.CharField(
        label="Title",
        max_length=200,
        error_messages={
            "required": "Enter the agreement's title",
            "max_length": "The title must be 200 characters or fewer",
        },
    )
    purpose = _text("purpose")
    benefits = _text("benefits")
    article6 = forms.ChoiceField(
        label="Lawful basis (UK GDPR Article 6)",
        choices=Article6.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the lawful basis under Article 6",
            "invalid_choice": "Select the lawful basis under Article 6",
        },
    )
    article6_detail = _text("article6_detail", required=False, rows=2)
    article9 = _optional_choice(
        "article9",
        Article9.choices,
        message="Select an Article 9 condition from the list",
    )
    schedule1 = _optional_choice(
        "schedule1",
        Schedule1.choices,
        message="Select a Schedule 1 condition from the list",
    )
    article10 = _optional_choice(
        "article10",
        Article10.choices,
        message="Select an Article 10 basis from the list",
    )
    data_subjects = _text("data_subjects", rows=2)
    transfer_method = _text("transfer_method", rows=2)
    frequency = forms.ChoiceField(
        label="How often",
        choices=[("", "Select one"), *Frequency.choices],
        error_messages={
            "required": "Select how often the data is shared",
            "invalid_choice": "Select how often the data is shared",
        },
    )
    security = _text("security")
    retention = _text("retention")
    deletion = _text("deletion")
    rights = _text("rights")
    privacy_information = _text("privacy_information")
    breach_reporting = _text("breach_reporting")
    start_date = DateField(
        subject="the start date", label="Start date", help_text="For example, 1 4 2026"
    )
    review_date = DateField(
        subject="the review date",
        label="Review date",
        help_text="When the parties look at it again: for example, 1 4 2029",
    )
    end_date = DateField(
        subject="the end date",
        label="End date (optional)",
        required=False,
        help_text=Version._meta.get_field("end_date").help_text,
    )
    organisations = forms.ModelMultipleChoiceField(
        label="Which organisations are party to it?",
        queryset=member_selectors.organisations(),
        widget=forms.CheckboxSelectMultiple,
        help_text="At least two. An organisation drafting an agreement is one of its parties.",
        error_messages={
            "required": "Select the organisations that are party to the agreement",
            "invalid_choice": "Select organisations from the list",
        },
    )
    role = forms.ChoiceField(
        label="What is the parties' role?",
        choices=Party.Role.choices,
        widget=forms.RadioSelect,
        required=False,
        help_text="Every party has this role unless you choose another for it below",
        error_messages={"invalid_choice": "Select the parties' role"},
    )
    change_summary = forms.CharField(
        label="What has changed?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Every party signs the new version again: tell them what is different",
    )

    def __init__(
        self,
        *args: Any,
        changing_signed: bool = False,
        overrides: dict[int, str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if not changing_signed:
            del self.fields["change_summary"]
        else:
            self.fields["change_summary"].required = True
            self.fields["change_summary"].error_messages["required"] = (
                "Describe what changed: every party signs the new version"
            )
        # A role for each organisation ticked (or already a party), where it differs from
        # the one for all: shown once the organisations are known, so no script is needed.
        self.party_role_names: list[str] = []
        for organisation in self._chosen_organisations():
            name = f"role_{organisation.pk}"
            self.fields[name] = forms.ChoiceField(
                label=f"Role of {organisation.short_name}",
                choices=[(SAME_ROLE, "The same as the others"), *Party.Role.choices],
                required=False,
                initial=(overrides or {}).get(organisation.pk, SAME_ROLE),
                error_messages={"invalid_choice": f"Select the role of {organisation}"},
            )
            self.fields[name].widget.govuk_kind = "select"
            self.fields[name].widget.attrs["class"] = "govuk-select"
            self.party_role_names.append(name)

    def _chosen_organisations(self) -> list[Any]:
        queryset = self.fields["organisations"].queryset
        if self.is_bound:
            ids = [value for value in self.data.getlist(self.add_prefix("organisations"))]
            ids = [value for value in ids if str(value).isdigit()]
        else:
            ids = [getattr(o, "pk", o) for o in self.initial.get("organisations") or []]
        return list(queryset.filter(pk__in=ids)) if ids else []

    @property
    def has_change_summary(self) -> bool:
        return "change_summary" in self.fields

    def sections(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [(legend, [self[name] for name in names]) for legend, names in SECTIONS]

    def party_roles(self) -> list[forms.BoundField]:
        return [self[name] for name in self.party_role_names]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        chosen = data.get("organisations") or []
        if chosen and not data.get("role"):
            lacking = [o for o in chosen if not data.get(f"role_{o.pk}")]
            if lacking:
                self.add_error("role", "Select the parties' role")
        return data

    def version(self) -> dict[str, Any]:
        """The `version=` of the agreement services."""
        return {name: self.cleaned_data[name] for name in VERSION_FIELDS}

    def parties(self) -> list[dict[str, Any]]:
        """The `parties=` of the agreement services."""
        data = self.cleaned_data
        return [
            {
                "organisation": organisation,
                "role": data.get(f"role_{organisation.pk}") or data.get("role") or "",
            }
            for organisation in data.get("organisations") or []
        ]


class DataItemForm(GovukForm):
    """One data item; a row left empty is not one."""

    name = forms.CharField(label="Name", max_length=200, required=False)
    category = forms.ChoiceField(
        label="Category",
        choices=[("", "Select a category"), *Category.choices],
        required=False,
        error_messages={"invalid_choice": "Select a category from the list"},
    )
    description = forms.CharField(label="Description (optional)", required=False)

    def item(self) -> dict[str, str] | None:
        data = self.cleaned_data
        if not any(data.get(name) for name in ("name", "category", "description")):
            return None
        return {name: data.get(name) or "" for name in ("name", "category", "description")}


DataItemFormSet = forms.formset_factory(DataItemForm, extra=0, max_num=200, absolute_max=200)
# Empty rows a data-item list offers to fill in, and the rows "Add another" adds.
EXTRA_ITEMS = 3


def data_items_formset(data: Any = None, *, items: list[dict[str, Any]] | None = None, add=False):
    """The data items of the form: those given, then empty rows; posted, the rows posted,
    and one more when the person asked to add another."""
    if data is not None:
        if add:
            data = data.copy()
            key = "items-TOTAL_FORMS"
            total = int(data.get(key) or 0) if str(data.get(key) or "0").isdigit() else 0
            data[key] = str(min(total + 1, 200))
        return DataItemFormSet(data, prefix="items")
    initial = [*(items or []), *({} for _ in range(EXTRA_ITEMS))]
    return DataItemFormSet(initial=initial, prefix="items")


class SignForm(GovukForm):
    version_number = forms.IntegerField(widget=forms.HiddenInput)
    capacity = forms.CharField(
        label="In what capacity do you sign?",
        max_length=150,
        help_text="For example, Chief Digital Officer",
        error_messages={
            "required": "Enter the capacity you sign in",
            "max_length": "The capacity must be 150 characters or fewer",
        },
    )


class PartyWithdrawForm(GovukForm):
    on = DateField(
        subject="the date the withdrawal takes effect",
        label="When does the withdrawal take effect?",
        help_text="For example, 31 3 2027",
    )
    reason = forms.CharField(
        label="Why is it withdrawing?",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter why the organisation is withdrawing"},
    )


class AgreementWithdrawForm(GovukForm):
    withdrawn_on = DateField(
        subject="the date the withdrawal takes effect",
        label="When does the withdrawal take effect?",
        help_text="For example, 31 3 2027",
    )
    withdrawal_reason = forms.CharField(
        label="Why is the agreement withdrawn?",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter why the agreement is withdrawn"},
    )


class RegisterFilterForm(GovukForm):
    """The register's filters, from the page's address."""

    status = forms.ChoiceField(label="Status", required=False)
    organisation = forms.ModelChoiceField(
        label="Organisation",
        queryset=member_selectors.organisations(),
        required=False,
        empty_label="Any organisation",
        error_messages={"invalid_choice": "Select an organisation from the list"},
    )

    def __init__(self, *args: Any, statuses: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["status"]
        field.choices = [("", "Any status"), *statuses]
        field.error_messages["invalid_choice"] = "Select a status from the list"
