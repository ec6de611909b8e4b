from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone

from loti.core.forms import DecimalField, GovukForm, MoneyField, WholeNumberField, sentence
from loti.datasharing import evaluation as datasharing_records
from loti.evaluation.activities.models import Activity, ActivityInput, InputSpec
from loti.members.financial_year import year_choices
from loti.portfolio.projects import selectors as project_selectors


def _choice(label: str, choices, *, required: str | None = None, radios: bool = True, **kw):
    return forms.ChoiceField(
        label=label,
        choices=choices if radios else [("", "Choose one"), *choices],
        widget=forms.RadioSelect if radios else forms.Select,
        required=required is not None,
        error_messages={"required": required or "", "invalid_choice": "Select one of the options"},
        **kw,
    )


def _decimal(label: str, subject: str, *, decimals: int, **kw) -> DecimalField:
    name = sentence(subject)
    messages = {
        "required": f"Enter {subject}",
        "invalid": f"{name} must be a number",
        "min_value": f"{name} must be %(limit_value)s or more",
        "max_value": f"{name} must be %(limit_value)s or less",
        "max_decimal_places": f"{name} must have no more than {decimals} decimal places",
        "max_digits": f"{name} is too large",
        "max_whole_digits": f"{name} is too large",
    }
    return DecimalField(
        label=label,
        max_digits=16,
        decimal_places=decimals,
        error_messages=messages,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-10"}),
        **kw,
    )


class ActivityForm(GovukForm):
    title = forms.CharField(
        label="Title",
        max_length=200,
        error_messages={
            "required": "Enter the title",
            "max_length": "The title must be 200 characters or less",
        },
    )
    description = forms.CharField(
        label="Description (optional)", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    benefit_model = _choice(
        "How is the benefit modelled?",
        Activity.BenefitModel.choices,
        required="Select how the benefit is modelled",
    )
    baseline_structure = _choice(
        "Agreements without the activity (avoided duplication only)",
        Activity.Structure.choices,
        radios=False,
    )
    replacement_structure = _choice(
        "Agreements with the activity (avoided duplication only)",
        Activity.Structure.choices,
        radios=False,
    )
    first_benefit_year = WholeNumberField(
        label="First year of benefit",
        subject="the first year of benefit",
        width=10,
        min_value=0,
        max_value=200,
        help_text="Year 0 is the first financial year with a cost",
    )
    benefit_years = WholeNumberField(
        label="Number of years the benefit lasts",
        subject="the number of years the benefit lasts",
        width=10,
        min_value=1,
        max_value=100,
    )
    discounting = _choice(
        "Discounting", Activity.Discounting.choices, required="Select how to discount"
    )
    discount_rate = _decimal(
        "Flat discount rate, per cent a year (flat rate only)",
        "the flat discount rate",
        decimals=2,
        min_value=Decimal(0),
        max_value=Decimal(100),
        required=False,
    )
    optimism_bias = _choice(
        "Optimism bias", Activity.OptimismBias.choices, required="Select the optimism bias"
    )
    project_type = _choice(
        "Green Book project type (Green Book optimism bias only)",
        Activity.ProjectType.choices,
        radios=False,
    )
    bound = _choice("Bound (Green Book optimism bias only)", Activity.Bound.choices, radios=False)
    optimism_bias_uplift = _decimal(
        "Custom uplift on costs, per cent (custom optimism bias only)",
        "the optimism bias uplift",
        decimals=2,
        min_value=Decimal(0),
        max_value=Decimal(1000),
        required=False,
    )
    monte_carlo_draws = WholeNumberField(
        label="Monte Carlo draws",
        subject="the number of Monte Carlo draws",
        example=10_000,
        width=10,
        min_value=100,
        max_value=1_000_000,
        help_text="Used when an input has a distribution",
    )
    monte_carlo_seed = WholeNumberField(
        label="Monte Carlo seed",
        subject="the Monte Carlo seed",
        example=2021,
        width=10,
        min_value=0,
        max_value=2**31 - 1,
        help_text="The same seed gives the same results",
    )

    quantity_from = _choice(
        "Where does the quantity come from?",
        [("", "Entered as an input, with its source"), *Activity.QuantityFrom.choices],
        help_text=(
            "The library's reuses give the first input of a market-rate, avoided-incidents "
            "or outcome-based model: the units, incidents or outcomes. The data-sharing "
            "agreements give the parties of avoided duplication: one agreement's signed "
            "parties, or the pairs of organisations sharing under every agreement in force, "
            "each pair counted once"
        ),
    )
    quantity_agreement = forms.ModelChoiceField(
        label="Agreement whose signed parties are counted (one agreement's parties only)",
        queryset=datasharing_records.agreement_choices(),
        required=False,
        empty_label="Choose an agreement",
        error_messages={"invalid_choice": "Select an agreement from the list"},
    )
    quantity_year = forms.TypedChoiceField(
        label="Financial year of the records (records only)",
        coerce=int,
        empty_value=None,
        required=False,
        error_messages={"invalid_choice": "Select a financial year from the list"},
    )

    projects = forms.ModelMultipleChoiceField(
        label="Linked projects (optional)",
        queryset=project_selectors.project_choices(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Years whose records are complete or being made: today's and the ten before it.
        self.fields["quantity_year"].choices = [
            ("", "Choose a financial year"),
            *year_choices(around=timezone.localdate(), before=10, after=0),
        ]
        if not self.fields["projects"].queryset.exists():
            del self.fields["projects"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        # The agreement counts only for one agreement's parties: kept otherwise, it would
        # say the activity draws on an agreement it does not.
        if data.get("quantity_from") != Activity.QuantityFrom.AGREEMENT_PARTIES:
            data["quantity_agreement"] = None
        return data


class CostsForm(GovukForm):
    """An activity's costs: one row per financial year it has, and blank rows to add more.
    A row left with no year is ignored."""

    BLANK_ROWS = 3
    PARTS = ("year", "staff_time", "external_spend", "notes")
    row_count = 0

    @classmethod
    def for_costs(cls, costs, *args: Any, **kwargs: Any) -> CostsForm:
        row_count = len(costs) + cls.BLANK_ROWS
        years = year_choices(around=timezone.localdate(), before=10, after=10)
        # Years recorded long ago stay choosable, so that their costs can still be changed.
        offered = {year for year, _ in years}
        years += [
            (cost.financial_year, str(cost.year))
            for cost in costs
            if cost.financial_year not in offered
        ]
        fields: dict[str, Any] = {"row_count": row_count}
        initial: dict[str, Any] = {}
        for n in range(row_count):
            fields[f"year_{n}"] = forms.TypedChoiceField(
                label="Financial year",
                coerce=int,
                empty_value=None,
                required=False,
                choices=[("", "Choose a financial year"), *years],
                error_messages={"invalid_choice": "Select a financial year from the list"},
            )
            fields[f"staff_time_{n}"] = MoneyField(
                subject="the cost of staff time", label="Staff time", required=False
            )
            fields[f"external_spend_{n}"] = MoneyField(
                subject="the external spend", label="External spend", required=False
            )
            fields[f"notes_{n}"] = forms.CharField(
                label="Notes (optional)", required=False, max_length=500
            )
        for n, cost in enumerate(costs):
            initial.update(
                {
                    f"year_{n}": cost.financial_year,
                    f"staff_time_{n}": cost.staff_time,
                    f"external_spend_{n}": cost.external_spend,
                    f"notes_{n}": cost.notes,
                }
            )
        form_class = type("CostsForm", (cls,), fields)
        return form_class(*args, initial=initial, **kwargs)

    def rows(self) -> list[list[forms.BoundField]]:
        return [[self[f"{part}_{n}"] for part in self.PARTS] for n in range(self.row_count)]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        seen: set[int] = set()
        for n in range(self.row_count):
            year = data.get(f"year_{n}")
            amounts = [data.get(f"staff_time_{n}"), data.get(f"external_spend_{n}")]
            if year is None:
                if any(amount is not None for amount in amounts):
                    self.add_error(f"year_{n}", "Select the financial year of these costs")
                continue
            if year in seen:
                self.add_error(f"year_{n}", "Enter each financial year's costs only once")
            seen.add(year)
        return data

    def costs(self) -> list[dict[str, Any]]:
        data = self.cleaned_data
        return [
            {
                "financial_year": data[f"year_{n}"],
                "staff_time": data[f"staff_time_{n}"] or Decimal(0),
                "external_spend": data[f"external_spend_{n}"] or Decimal(0),
                "notes": data[f"notes_{n}"],
            }
            for n in range(self.row_count)
            if data.get(f"year_{n}") is not None
        ]


class InputsForm(GovukForm):
    """Every input the activity's benefit model needs, each with its source and confidence."""

    PARTS = (
        "value",
        "distribution",
        "low",
        "high",
        "sigma",
        "unit",
        "source",
        "confidence",
        "illustrative",
    )
    specs: tuple[InputSpec, ...] = ()

    @classmethod
    def for_specs(cls, specs, current: dict, *args: Any, **kwargs: Any) -> InputsForm:
        fields: dict[str, Any] = {"specs": tuple(specs)}
        initial: dict[str, Any] = {}
        for spec in specs:
            item = current.get(spec.key)
            if item is None:
                initial[f"{spec.key}__unit"] = spec.unit
            else:
                initial.update(
                    {f"{spec.key}__{part}": _shown(getattr(item, part)) for part in cls.PARTS}
                )
            fields.update(_input_fields(spec))
        form_class = type("InputsForm", (cls,), fields)
        return form_class(*args, initial=initial, **kwargs)

    def groups(self) -> list[tuple[InputSpec, list[forms.BoundField]]]:
        return [(spec, [self[f"{spec.key}__{part}"] for part in self.PARTS]) for spec in self.specs]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for spec in self.specs:
            kind = data.get(f"{spec.key}__distribution")
            if kind in {"triangular", "pert", "uniform"}:
                for end in ("low", "high"):
                    if data.get(f"{spec.key}__{end}") is None:
                        self.add_error(f"{spec.key}__{end}", f"Enter the {end} {spec.subject}")
                low, value, high = (
                    data.get(f"{spec.key}__{part}") for part in ("low", "value", "high")
                )
                if None not in (low, value, high) and not low <= value <= high:
                    self.add_error(
                        f"{spec.key}__value",
                        f"The {spec.subject} must be between its low and high values",
                    )
                elif None not in (low, high) and low == high:
                    self.add_error(
                        f"{spec.key}__high",
                        f"The high {spec.subject} must be more than the low",
                    )
            if kind == "lognormal" and data.get(f"{spec.key}__sigma") is None:
                self.add_error(f"{spec.key}__sigma", f"Enter the spread of the {spec.subject}")
        return data

    def inputs(self) -> dict[str, dict[str, Any]]:
        data = self.cleaned_data
        return {
            spec.key: {part: data[f"{spec.key}__{part}"] for part in self.PARTS}
            for spec in self.specs
        }


def _shown(value: Any) -> Any:
    """A stored amount as a person would type it: 50 rather than 50.0000."""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return value


def _input_fields(spec: InputSpec) -> dict[str, forms.Field]:
    key, subject = spec.key, spec.subject
    return {
        f"{key}__value": _decimal(
            "Most likely value", f"the {subject}", decimals=4, help_text=spec.hint
        ),
        f"{key}__distribution": forms.ChoiceField(
            label="Uncertainty",
            required=False,
            choices=[("", "A single value"), *ActivityInput.Distribution.choices],
            error_messages={"invalid_choice": "Select one of the options"},
        ),
        f"{key}__low": _decimal("Low (optional)", f"the low {subject}", decimals=4, required=False),
        f"{key}__high": _decimal(
            "High (optional)", f"the high {subject}", decimals=4, required=False
        ),
        f"{key}__sigma": _decimal(
            "Spread, for a lognormal (optional)",
            f"the spread of the {subject}",
            decimals=4,
            required=False,
            help_text="The standard deviation of the natural logarithm of the value",
        ),
        f"{key}__unit": forms.CharField(label="Unit (optional)", required=False, max_length=40),
        f"{key}__source": forms.CharField(
            label="Source",
            widget=forms.Textarea(attrs={"rows": 2}),
            error_messages={"required": f"Enter the source of the {subject}"},
        ),
        f"{key}__confidence": forms.ChoiceField(
            label="Confidence",
            choices=[
                (value, f"{label}: {ActivityInput.CONFIDENCE_DESCRIPTIONS[value]}")
                for value, label in ActivityInput.Confidence.choices
            ],
            widget=forms.RadioSelect,
            error_messages={"required": f"Select the confidence in the {subject}"},
        ),
        f"{key}__illustrative": forms.BooleanField(
            label="This is an illustrative assumption", required=False
        ),
    }
