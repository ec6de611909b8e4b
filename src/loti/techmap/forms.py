from __future__ import annotations

from typing import Any

from django import forms

from loti.core import spreadsheets
from loti.core.forms import DateField, GovukForm, MoneyField, WholeNumberField
from loti.techmap.models import Product, ProductCategory, ServiceArea, System, Vendor

SATISFACTION = [("", "Not recorded"), *[(str(n), str(n)) for n in range(1, 6)]]


class SystemForm(GovukForm):
    product = forms.ModelChoiceField(
        label="Product",
        queryset=Product.objects.select_related("vendor"),
        empty_label="Choose a product",
        help_text="If it is not listed, add it to the catalogue first",
        error_messages={
            "required": "Select the product",
            "invalid_choice": "Select a product from the list",
        },
    )
    service_areas = forms.ModelMultipleChoiceField(
        label="Which services use it? (optional)",
        queryset=ServiceArea.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave all unticked to use the services such a product usually serves",
    )
    in_use_since = DateField(
        subject="the date it came into use", label="In use since (optional)", required=False
    )
    users = WholeNumberField(
        subject="the number of users",
        example=250,
        label="Number of users (optional)",
        required=False,
        min_value=0,
    )
    satisfaction = forms.TypedChoiceField(
        label="How satisfied is the organisation with it? (optional)",
        help_text="From 1 (very dissatisfied) to 5 (very satisfied). Only members see this.",
        choices=SATISFACTION,
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    notes = forms.CharField(
        label="Notes (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Only members see notes",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].label_from_instance = lambda p: f"{p.name} ({p.vendor.name})"


class ContractForm(GovukForm):
    title = forms.CharField(
        label="Contract title",
        max_length=300,
        error_messages={"required": "Enter the contract title"},
    )
    description = forms.CharField(
        label="Description (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    vendor = forms.ModelChoiceField(
        label="Supplier",
        queryset=Vendor.objects.all(),
        empty_label="Choose a supplier",
        error_messages={
            "required": "Select the supplier",
            "invalid_choice": "Select a supplier from the list",
        },
    )
    system = forms.ModelChoiceField(
        label="System it covers (optional)",
        queryset=System.objects.none(),
        required=False,
        empty_label="None",
    )
    starts_on = DateField(subject="the start date", label="Start date (optional)", required=False)
    ends_on = DateField(
        subject="the end date",
        label="End date (optional)",
        required=False,
        help_text="Before any extension",
    )
    extension_options = forms.CharField(
        label="Extension options (optional)",
        max_length=100,
        required=False,
        help_text="For example, 1 + 1 years",
    )
    annual_value = MoneyField(
        subject="the annual value", label="Annual value (optional)", required=False
    )
    total_value = MoneyField(
        subject="the total value", label="Total value (optional)", required=False
    )
    procurement_route = forms.CharField(
        label="Procurement route or framework (optional)",
        max_length=200,
        required=False,
        help_text="For example, G-Cloud 14",
    )
    is_public = forms.BooleanField(
        label="Its value is published",
        required=False,
        help_text="Values of unpublished contracts are shown to members only",
    )
    notes = forms.CharField(
        label="Notes (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["system"].queryset = System.objects.filter(
            organisation=organisation
        ).select_related("product")

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", "The end date must be the same as or after the start date")
        return cleaned


class VendorForm(GovukForm):
    name = forms.CharField(
        label="Name", max_length=200, error_messages={"required": "Enter the supplier's name"}
    )
    companies_house_number = forms.CharField(
        label="Companies House number (optional)",
        max_length=8,
        required=False,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "spellcheck": "false"}),
    )
    is_sme = forms.TypedChoiceField(
        label="Is it a small or medium-sized enterprise?",
        choices=[("yes", "Yes"), ("no", "No"), ("", "Not known")],
        coerce=lambda value: value == "yes",
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )


class ProductForm(GovukForm):
    vendor = forms.ModelChoiceField(
        label="Supplier",
        queryset=Vendor.objects.all(),
        empty_label="Choose a supplier",
        error_messages={"required": "Select the supplier"},
    )
    name = forms.CharField(
        label="Product name",
        max_length=200,
        error_messages={"required": "Enter the product's name"},
    )
    category = forms.ModelChoiceField(
        label="Category",
        queryset=ProductCategory.objects.all(),
        empty_label="Choose a category",
        error_messages={"required": "Select the product's category"},
    )
    hosting = forms.ChoiceField(
        label="Hosting (optional)",
        choices=[("", "Not known"), *Product.Hosting.choices],
        required=False,
        widget=forms.RadioSelect,
    )


class VendorMergeForm(GovukForm):
    duplicates = forms.ModelMultipleChoiceField(
        label="Which suppliers are the same as this one?",
        queryset=Vendor.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=(
            "Their products and contracts move to this supplier, and their names become its aliases"
        ),
        error_messages={"required": "Select at least one supplier to merge"},
    )

    def __init__(self, *args, keep, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["duplicates"].queryset = candidates.exclude(pk=keep.pk)


class SkillsForm(GovukForm):
    """One question per skill area: how strong the organisation is, from 1 to 5."""

    @classmethod
    def for_areas(cls, areas, *args, **kwargs):
        fields = {
            f"skill_{area.pk}": forms.TypedChoiceField(
                label=area.name,
                choices=[("", "Not assessed"), *[(str(n), str(n)) for n in range(1, 6)]],
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
            )
            for area in areas
        }
        form_class = type("SkillsForm", (cls,), fields)
        return form_class(*args, **kwargs)


class InterestForm(forms.Form):
    group_slug = forms.SlugField(max_length=100)
    window_starts_on = forms.DateField()
    window_ends_on = forms.DateField()
    interested = forms.BooleanField(required=False)


class OpportunityFilterForm(GovukForm):
    """The opportunities page's filters, read from the query string. Who may filter by their
    own organisation, or by value, decides which fields the form has."""

    mine = forms.BooleanField(label="Only those involving my organisation", required=False)
    area = forms.ChoiceField(label="Service", required=False)
    supplier = forms.CharField(
        label="Current supplier",
        required=False,
        max_length=100,
        help_text="All or part of the supplier's name, for example Civica",
    )
    min_value = MoneyField(
        subject="the minimum combined value",
        label="Combined annual value of at least",
        required=False,
    )
    window = WholeNumberField(
        subject="the number of months",
        label="Contracts ending within this many months of each other",
        min_value=1,
        max_value=36,
        width=3,
        required=False,
    )
    horizon = WholeNumberField(
        subject="the number of months ahead",
        label="Looking this many months ahead",
        min_value=1,
        max_value=120,
        width=3,
        required=False,
    )

    def __init__(self, *args: Any, areas, mine: bool, values: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [("", "Every service"), *((a.slug, a.name) for a in areas)]
        if not mine:
            del self.fields["mine"]
        if not values:
            del self.fields["min_value"]

    def choices(self) -> dict[str, Any]:
        """The filters as given, or none of them when any is wrong."""
        if not self.is_valid():
            return {}
        return {
            key: value for key, value in self.cleaned_data.items() if value not in ("", None, False)
        }


class FileUploadForm(GovukForm):
    """One uploaded file of a known kind and size; subclasses say which."""

    kinds = ""  # "a CSV or XLSX file"
    extensions: tuple[str, ...] = ()
    max_megabytes = 20
    label = "Upload a file"
    help_text = ""

    file = forms.FileField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["file"]
        field.label, field.help_text = self.label, self.help_text
        field.error_messages.update(
            {
                "required": f"Select {self.kinds}",
                "empty": "The selected file is empty",
                "invalid": f"Select {self.kinds}",
            }
        )
        field.widget.govuk_kind = "file"
        field.widget.attrs.update(
            {"class": "govuk-file-upload", "accept": ",".join(self.extensions)}
        )

    @property
    def max_bytes(self) -> int:
        return self.max_megabytes * 1024 * 1024

    def full_clean(self) -> None:
        super().full_clean()
        if "file" in self.errors:
            self.fields["file"].widget.attrs["class"] = "govuk-file-upload govuk-file-upload--error"

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(self.extensions):
            raise forms.ValidationError(f"The selected file must be {self.kinds}")
        if upload.size > self.max_bytes:
            raise forms.ValidationError(
                f"The selected file must be smaller than {self.max_megabytes} MB"
            )
        return upload


class SpreadsheetUploadForm(FileUploadForm):
    kinds = "a CSV or XLSX file"
    extensions = (".csv", ".xlsx")
    max_megabytes = spreadsheets.MAX_FILE_BYTES // (1024 * 1024)
    help_text = f"A CSV or XLSX file of {max_megabytes} MB or less, with the template's columns"


class OcdsUploadForm(FileUploadForm):
    kinds = "a .json, .jsonl or .gz file"
    extensions = (".json", ".jsonl", ".gz")
    max_megabytes = 100
    label = "Upload a file of published notices"
    help_text = (
        "OCDS release packages, record packages or JSON Lines, gzipped or not, of 100 MB or less"
    )


class ConflictForm(GovukForm):
    """Which value a person keeps where a newer notice disagrees with their edit."""

    field = forms.CharField()
    choice = forms.ChoiceField(choices=[("take", "Use the notice's"), ("keep", "Keep ours")])
