"""Evaluated activities: what each cost per financial year, how its benefit is modelled and
the inputs (with their sources and confidence) the appraisal engine is given.

An activity's first financial year with a cost is year 0 of its appraisal: costs and
benefits in that year are not discounted, and each later financial year is one year on.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

from loti.core.models import MONEY
from loti.members.financial_year import FinancialYear

__all__ = ["Activity", "ActivityCost", "ActivityInput"]


@dataclass(frozen=True)
class InputSpec:
    """One input a benefit model needs: its key in the appraisal scenario and its words."""

    key: str
    label: str
    unit: str
    hint: str = ""

    @property
    def subject(self) -> str:
        return self.label[:1].lower() + self.label[1:]


# The inputs of each benefit model, in the order they are asked for.
BENEFIT_INPUTS: dict[str, tuple[InputSpec, ...]] = {
    "market_rate": (
        InputSpec("quantity", "Number of units supplied", "units", "For example, roles supported"),
        InputSpec("market_unit_cost", "Market cost per unit", "£", "What the market charges"),
        InputSpec("our_unit_cost", "Consortium's cost per unit", "£"),
    ),
    "avoided_duplication": (
        InputSpec("parties", "Number of parties", "parties"),
        InputSpec("cost_per_agreement", "Cost of making one agreement", "£"),
    ),
    "avoided_incidents": (
        InputSpec("incidents", "Incidents avoided", "incidents"),
        InputSpec("cost_per_incident", "Cost of one incident", "£"),
    ),
    "outcome": (
        InputSpec("outcomes", "Number of outcomes", "outcomes"),
        InputSpec("unit_cost", "Cost avoided per outcome", "£"),
        InputSpec("deadweight", "Deadweight", "share", "Share that would have happened anyway"),
        InputSpec("attribution", "Attribution", "share", "Share due to the activity"),
    ),
}

PERCENT = {
    "max_digits": 6,
    "decimal_places": 2,
    "validators": [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1000))],
}


class Activity(models.Model):
    """Something the consortium does whose value for money is appraised."""

    class BenefitModel(models.TextChoices):
        MARKET_RATE = "market_rate", "Counterfactual market rate"
        AVOIDED_DUPLICATION = "avoided_duplication", "Avoided duplication of agreements"
        AVOIDED_INCIDENTS = "avoided_incidents", "Avoided incidents"
        OUTCOME = "outcome", "Outcome-based unit costs"

    class Structure(models.TextChoices):
        BILATERAL = "bilateral", "Bilateral agreements between every pair of parties"
        HUB_AND_SPOKE = "hub_and_spoke", "Hub and spoke (one agreement per party with a hub)"
        MULTI_PARTY = "multi_party", "One multi-party agreement"

    class Discounting(models.TextChoices):
        GREEN_BOOK = "green_book", "HM Treasury Green Book social time preference rate"
        FLAT = "flat", "A flat rate"

    class OptimismBias(models.TextChoices):
        NONE = "none", "None"
        GREEN_BOOK = "green_book", "Green Book project type"
        CUSTOM = "custom", "A custom uplift"

    class ProjectType(models.TextChoices):
        STANDARD_BUILDINGS = "standard_buildings", "Standard buildings"
        NON_STANDARD_BUILDINGS = "non_standard_buildings", "Non-standard buildings"
        STANDARD_CIVIL_ENGINEERING = "standard_civil_engineering", "Standard civil engineering"
        NON_STANDARD_CIVIL_ENGINEERING = (
            "non_standard_civil_engineering",
            "Non-standard civil engineering",
        )
        EQUIPMENT_DEVELOPMENT = "equipment_development", "Equipment and development"
        OUTSOURCING = "outsourcing", "Outsourcing"

    class Bound(models.TextChoices):
        UPPER = "upper", "Upper bound (at the start of appraisal)"
        LOWER = "lower", "Lower bound (once risks are managed)"

    class QuantityFrom(models.TextChoices):
        """Where the benefit model's quantity comes from, when not entered (see records.py)."""

        LIBRARY_REUSES = "library_reuses", "The reuses recorded in the library"
        AGREEMENT_PARTIES = "agreement_parties", "The signed parties of one data-sharing agreement"
        AGREEMENTS_IN_FORCE = (
            "agreements_in_force",
            "The pairs of organisations sharing under every data-sharing agreement in force",
        )

    # The records that give each benefit model's quantity.
    RECORDS_FOR = {
        BenefitModel.MARKET_RATE: (QuantityFrom.LIBRARY_REUSES,),
        BenefitModel.AVOIDED_INCIDENTS: (QuantityFrom.LIBRARY_REUSES,),
        BenefitModel.OUTCOME: (QuantityFrom.LIBRARY_REUSES,),
        BenefitModel.AVOIDED_DUPLICATION: (
            QuantityFrom.AGREEMENT_PARTIES,
            QuantityFrom.AGREEMENTS_IN_FORCE,
        ),
    }

    title = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    benefit_model = models.CharField(max_length=30, choices=BenefitModel.choices)
    # Avoided duplication only: the agreements there would be, and what replaces them.
    baseline_structure = models.CharField(
        "Agreements without the activity", max_length=20, choices=Structure.choices, blank=True
    )
    replacement_structure = models.CharField(
        "Agreements with the activity", max_length=20, choices=Structure.choices, blank=True
    )
    first_benefit_year = models.PositiveSmallIntegerField(
        default=0,
        validators=[MaxValueValidator(200)],
        help_text="Counted from year 0, the first financial year with a cost",
    )
    benefit_years = models.PositiveSmallIntegerField(
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="How many years the benefit lasts",
    )
    discounting = models.CharField(
        max_length=20, choices=Discounting.choices, default=Discounting.GREEN_BOOK
    )
    discount_rate = models.DecimalField(
        "Flat discount rate (%)", null=True, blank=True, **{**PERCENT, "max_digits": 5}
    )
    optimism_bias = models.CharField(
        max_length=20, choices=OptimismBias.choices, default=OptimismBias.NONE
    )
    project_type = models.CharField(max_length=40, choices=ProjectType.choices, blank=True)
    bound = models.CharField(max_length=10, choices=Bound.choices, blank=True)
    optimism_bias_uplift = models.DecimalField(
        "Custom optimism bias uplift on costs (%)", null=True, blank=True, **PERCENT
    )
    monte_carlo_draws = models.PositiveIntegerField(
        default=10_000, validators=[MinValueValidator(100), MaxValueValidator(1_000_000)]
    )
    monte_carlo_seed = models.PositiveIntegerField(default=2021)
    projects = models.ManyToManyField(
        "portfolio.Project", blank=True, related_name="evaluated_activities"
    )
    # Drawn from records for one financial year instead of entered: the benefit model's
    # first input (its quantity), counted afresh at each appraisal.
    quantity_from = models.CharField(
        "Where the quantity comes from", max_length=30, choices=QuantityFrom.choices, blank=True
    )
    quantity_year = models.PositiveSmallIntegerField(
        "Financial year of the records",
        null=True,
        blank=True,
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
        help_text="The calendar year the financial year starts in: 2024 is 2024/25",
    )
    # With AGREEMENT_PARTIES: the agreement whose signed parties are the number of parties.
    quantity_agreement = models.ForeignKey(
        "datasharing.Agreement",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="Agreement whose signed parties are counted",
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]
        verbose_name_plural = "activities"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("evaluation:activity_detail", args=[self.slug])

    def clean(self) -> None:
        errors = {}
        if self.benefit_model == self.BenefitModel.AVOIDED_DUPLICATION:
            if not self.baseline_structure:
                errors["baseline_structure"] = "Select the agreements there would be without it"
            if not self.replacement_structure:
                errors["replacement_structure"] = "Select the agreements that replace them"
            if self.baseline_structure == self.Structure.MULTI_PARTY:
                errors["baseline_structure"] = (
                    "Select bilateral or hub-and-spoke agreements: one multi-party agreement "
                    "is what replaces them"
                )
            elif self.replacement_structure == self.Structure.BILATERAL:
                errors["replacement_structure"] = (
                    "Select a multi-party or hub-and-spoke agreement: bilateral agreements are "
                    "what it replaces"
                )
            elif self.baseline_structure and self.baseline_structure == self.replacement_structure:
                errors["replacement_structure"] = (
                    "Select different agreements from those without the activity"
                )
        if self.quantity_from and self.quantity_year is None:
            errors["quantity_year"] = "Select the financial year whose records give the quantity"
        if self.quantity_from and self.quantity_from not in self.RECORDS_FOR.get(
            self.benefit_model, ()
        ):
            if self.benefit_model == self.BenefitModel.AVOIDED_DUPLICATION:
                errors["quantity_from"] = (
                    "Select the data-sharing agreements' records, or enter the number of parties"
                )
            else:
                errors["quantity_from"] = (
                    "Select the library's reuses, or enter the quantity: agreements' records "
                    "give the number of parties of avoided duplication only"
                )
        if (
            self.quantity_from == self.QuantityFrom.AGREEMENT_PARTIES
            and self.quantity_agreement_id is None
        ):
            errors["quantity_agreement"] = "Select the agreement whose signed parties are counted"
        if (
            self.quantity_from == self.QuantityFrom.AGREEMENTS_IN_FORCE
            and self.benefit_model == self.BenefitModel.AVOIDED_DUPLICATION
        ) and (
            self.baseline_structure != self.Structure.BILATERAL
            or self.replacement_structure != self.Structure.MULTI_PARTY
        ):
            # Across the registry the agreements avoided are one per pair sharing, and the
            # agreements made are the ones in force: no other arrangement is counted.
            errors["quantity_from"] = (
                "Select bilateral agreements without the activity and a multi-party agreement "
                "with it, to count the pairs of organisations sharing under every agreement"
            )
        if self.discounting == self.Discounting.FLAT and self.discount_rate is None:
            errors["discount_rate"] = "Enter the flat discount rate"
        if self.optimism_bias == self.OptimismBias.GREEN_BOOK:
            if not self.project_type:
                errors["project_type"] = "Select the Green Book project type"
            if not self.bound:
                errors["bound"] = "Select the upper or lower bound"
        if self.optimism_bias == self.OptimismBias.CUSTOM and self.optimism_bias_uplift is None:
            errors["optimism_bias_uplift"] = "Enter the optimism bias uplift"
        if errors:
            raise ValidationError(errors)


class ActivityCost(models.Model):
    """What an activity cost in one financial year, in pounds at that year's prices."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="costs")
    # The calendar year the financial year starts in: 2023 is 2023/24.
    financial_year = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    staff_time = models.DecimalField("Staff time", default=Decimal(0), **MONEY)
    external_spend = models.DecimalField("External spend", default=Decimal(0), **MONEY)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["activity", "financial_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "financial_year"], name="evaluation_activitycost_unique_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity} {self.year}"

    @property
    def year(self) -> FinancialYear:
        return FinancialYear(self.financial_year)

    @property
    def total(self) -> Decimal:
        return self.staff_time + self.external_spend


class ActivityInput(models.Model):
    """One named input of an activity's benefit model: its central value, optionally a
    distribution for Monte Carlo, where it comes from and how far it can be trusted."""

    class Distribution(models.TextChoices):
        TRIANGULAR = "triangular", "Triangular (low, most likely, high)"
        PERT = "pert", "PERT (low, most likely, high)"
        UNIFORM = "uniform", "Uniform (low to high)"
        LOGNORMAL = "lognormal", "Lognormal (median and spread)"

    class Confidence(models.TextChoices):
        HIGH = "high", "High"
        MEDIUM = "medium", "Medium"
        LOW = "low", "Low"

    CONFIDENCE_DESCRIPTIONS = {
        Confidence.HIGH: "Measured or taken from the consortium's own records",
        Confidence.MEDIUM: "From a published source or a reasoned estimate checked with members",
        Confidence.LOW: "An assumption or an estimate not yet checked",
    }

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="inputs")
    # The benefit model's key for this input, such as "cost_per_agreement".
    name = models.CharField(max_length=50)
    value = models.DecimalField(max_digits=16, decimal_places=4)
    distribution = models.CharField(max_length=12, choices=Distribution.choices, blank=True)
    low = models.DecimalField(max_digits=16, decimal_places=4, null=True, blank=True)
    high = models.DecimalField(max_digits=16, decimal_places=4, null=True, blank=True)
    # The lognormal's spread: the standard deviation of the value's natural logarithm.
    sigma = models.DecimalField(max_digits=8, decimal_places=4, null=True, blank=True)
    unit = models.CharField(max_length=40, blank=True)
    source = models.TextField(blank=True)
    confidence = models.CharField(max_length=10, choices=Confidence.choices)
    illustrative = models.BooleanField(
        "Illustrative assumption",
        default=False,
        help_text="Chosen to illustrate the method, not measured",
    )

    class Meta:
        ordering = ["activity", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "name"], name="evaluation_activityinput_unique_name"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity}: {self.name}"

    @property
    def confidence_description(self) -> str:
        return self.CONFIDENCE_DESCRIPTIONS.get(self.confidence, "")
