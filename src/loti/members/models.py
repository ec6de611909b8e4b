from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from loti.core.models import MONEY
from loti.core.permissions import Role
from loti.members.financial_year import FinancialYear

gss_code_validator = RegexValidator(
    r"^[EWSN]\d{8}$",
    "Enter a GSS code in the correct format, like E09000003 (a letter E, W, S or N and 8 digits)",
)


class Organisation(models.Model):
    class Kind(models.TextChoices):
        LONDON_BOROUGH = "london_borough", "London borough"
        CITY_CORPORATION = "city_corporation", "City corporation"
        COUNTY_COUNCIL = "county_council", "County council"
        DISTRICT_COUNCIL = "district_council", "District council"
        UNITARY_AUTHORITY = "unitary_authority", "Unitary authority"
        METROPOLITAN_BOROUGH = "metropolitan_borough", "Metropolitan borough"
        COMBINED_AUTHORITY = "combined_authority", "Combined authority"
        REGIONAL_AUTHORITY = "regional_authority", "Regional authority"
        LOCAL_GOVERNMENT_ASSOCIATION = (
            "local_government_association",
            "Local government association",
        )
        POLICE = "police", "Police"
        NHS = "nhs", "NHS body"
        UNIVERSITY = "university", "University"
        OTHER = "other", "Other"

    # The kinds that are councils: each has a technology estate, and a lead who votes.
    COUNCILS = (
        Kind.LONDON_BOROUGH,
        Kind.CITY_CORPORATION,
        Kind.COUNTY_COUNCIL,
        Kind.DISTRICT_COUNCIL,
        Kind.UNITARY_AUTHORITY,
        Kind.METROPOLITAN_BOROUGH,
    )

    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, unique=True)
    gss_code = models.CharField(
        "GSS code",
        max_length=9,
        blank=True,
        validators=[gss_code_validator],
        help_text="The ONS Government Statistical Service code, if it has one",
    )
    kind = models.CharField(max_length=40, choices=Kind.choices)
    website = models.URLField(blank=True)

    class Meta:
        ordering = ["short_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["gss_code"],
                condition=~models.Q(gss_code=""),
                name="members_organisation_unique_gss_code",
            ),
        ]

    def __str__(self) -> str:
        return self.short_name

    def get_absolute_url(self) -> str:
        return reverse("members:organisation_detail", args=[self.slug])


class OrganisationAlias(models.Model):
    """Another name or an identifier an organisation is known by in published data, such as
    "LB Barnet" or the OCDS buyer id "GB-LAE-BNE". `key` is the form it is matched in (see
    `loti.members.naming`); no two aliases of a kind share one."""

    class Kind(models.TextChoices):
        NAME = "name", "Other name"
        IDENTIFIER = "identifier", "Identifier"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="aliases")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    value = models.CharField(max_length=200)
    key = models.CharField(max_length=200, editable=False)

    class Meta:
        ordering = ["kind", "value"]
        verbose_name = "organisation alias"
        verbose_name_plural = "organisation aliases"
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "key"], name="members_organisationalias_unique_key"
            ),
        ]

    def __str__(self) -> str:
        return self.value


class PersonManager(BaseUserManager):
    use_in_migrations = True

    def get_by_natural_key(self, email: str) -> Person:
        return self.get(email__iexact=email)

    def create_user(self, email: str, password: str | None = None, **fields) -> Person:
        person = self.model(email=self.normalize_email(email).lower(), **fields)
        person.set_password(password)
        person.save(using=self._db)
        return person

    def create_superuser(self, email: str, password: str | None = None, **fields) -> Person:
        fields.setdefault("role", Role.OFFICE)
        fields.setdefault("full_name", "Administrator")
        return self.create_user(email, password, is_superuser=True, **fields)


class Person(AbstractBaseUser, PermissionsMixin):
    """Someone who signs in: office staff, a member's lead or officer, or a partner."""

    email = models.EmailField("Email address", max_length=254, unique=True)
    full_name = models.CharField(max_length=150)
    job_title = models.CharField(max_length=150, blank=True)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="people"
    )
    role = models.CharField(max_length=10, choices=Role.choices)
    is_advisory_board = models.BooleanField("On the advisory board", default=False)
    advisory_board_role = models.CharField(
        "Role on the advisory board", max_length=100, blank=True, help_text="For example, Chair"
    )
    # A partner organisation has no member lead: this person signs its data-sharing
    # agreements. (A member's lead signs for a member.)
    signs_agreements = models.BooleanField(
        "Signs data-sharing agreements for their organisation",
        default=False,
        help_text="For a partner's person: a member's lead signs for the member",
    )
    is_active = models.BooleanField("Can sign in", default=True)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = PersonManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]
        verbose_name = "person"
        verbose_name_plural = "people"
        constraints = [
            models.UniqueConstraint(Lower("email"), name="members_person_unique_email_ci"),
        ]

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse("members:person_detail", args=[self.pk])

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0]

    @property
    def is_staff(self) -> bool:
        """Django admin access: superusers only. Office staff work in the site's own pages."""
        return self.is_superuser

    def clean(self) -> None:
        super().clean()
        self.email = self.email.strip().lower()
        if self.role in {Role.LEAD, Role.OFFICER, Role.PARTNER} and self.organisation_id is None:
            raise ValidationError(
                {
                    "organisation": "Select the organisation this "
                    f"{Role(self.role).label.lower()} works for"
                }
            )
        if self.advisory_board_role and not self.is_advisory_board:
            raise ValidationError(
                {
                    "advisory_board_role": "Remove the role on the advisory board, "
                    "or tick that they are on it"
                }
            )


class Tier(models.TextChoices):
    CORE = "core", "Core member"
    ASSOCIATE = "associate", "Associate"
    NON_MEMBER = "non_member", "Non-member"
    FUNDER = "funder", "Funder"
    PARTNER = "partner", "Partner"


class FeeRate(models.Model):
    """The fee schedule: what each tier pays in a financial year."""

    year = models.PositiveSmallIntegerField("Financial year")
    tier = models.CharField(max_length=12, choices=Tier.choices)
    amount = models.DecimalField("Annual fee", **MONEY)

    class Meta:
        ordering = ["-year", "tier"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "tier"], name="members_feerate_unique_year_tier"
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gte=0), name="members_feerate_amount_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_tier_display()} fee {FinancialYear(self.year)}"


class Budget(models.Model):
    """The consortium's budget for a financial year, against which income is shown."""

    year = models.PositiveSmallIntegerField("Financial year", unique=True)
    amount = models.DecimalField("Budget", **MONEY)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gte=0), name="members_budget_amount_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"Budget {FinancialYear(self.year)}"


class Membership(models.Model):
    """An organisation's standing with the consortium in one financial year."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="memberships"
    )
    year = models.PositiveSmallIntegerField("Financial year")
    tier = models.CharField(max_length=12, choices=Tier.choices)
    fee_due = models.DecimalField("Fee due", **MONEY)
    declaration_signed_on = models.DateField(
        "Local Digital Declaration signed on", null=True, blank=True
    )

    class Meta:
        ordering = ["-year", "organisation__short_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year"], name="members_membership_unique_organisation_year"
            ),
            models.CheckConstraint(
                condition=models.Q(fee_due__gte=0), name="members_membership_fee_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {FinancialYear(self.year)}: {self.get_tier_display()}"

    def get_absolute_url(self) -> str:
        return reverse("members:membership_detail", args=[self.pk])

    @property
    def financial_year(self) -> FinancialYear:
        return FinancialYear(self.year)

    def clean(self) -> None:
        super().clean()
        if self.year is None or self.tier is None:
            return
        year = FinancialYear(self.year)
        if self.declaration_signed_on and self.declaration_signed_on > timezone.localdate():
            raise ValidationError(
                {
                    "declaration_signed_on": "The date the Declaration was signed must be "
                    "today or in the past"
                }
            )
        if self.tier == Tier.CORE:
            if self.declaration_signed_on is None:
                raise ValidationError(
                    {
                        "declaration_signed_on": "A core member must have signed the Local Digital "
                        "Declaration: enter the date it was signed, or choose another tier"
                    }
                )
            if self.declaration_signed_on > year.end:
                raise ValidationError(
                    {
                        "declaration_signed_on": f"A core member in {year} must have signed the "
                        f"Declaration by {year.end:%-d %B %Y}"
                    }
                )


class Contribution(models.Model):
    """Money from an organisation: a membership fee, a grant or external funding."""

    class Kind(models.TextChoices):
        MEMBERSHIP_FEE = "membership_fee", "Membership fee"
        GRANT = "grant", "Grant"
        EXTERNAL_FUNDING = "external_funding", "External funding"

    class Status(models.TextChoices):
        INVOICED = "invoiced", "Invoiced"
        PAID = "paid", "Paid"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="contributions"
    )
    year = models.PositiveSmallIntegerField("Financial year")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices)
    amount = models.DecimalField(**MONEY)
    description = models.CharField(max_length=200, blank=True)
    invoice_reference = models.CharField(max_length=50, blank=True)
    invoiced_on = models.DateField(null=True, blank=True)
    paid_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-year", "organisation__short_name", "kind"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="members_contribution_amount_positive"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="paid") | models.Q(paid_on__isnull=False),
                name="members_contribution_paid_has_date",
            ),
        ]
        indexes = [models.Index(fields=["year", "kind"], name="members_contrib_year_kind_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} from {self.organisation} {FinancialYear(self.year)}"

    def get_absolute_url(self) -> str:
        return reverse("members:contribution_detail", args=[self.pk])

    @property
    def financial_year(self) -> FinancialYear:
        return FinancialYear(self.year)

    def clean(self) -> None:
        super().clean()
        if self.amount is not None and self.amount <= 0:
            raise ValidationError({"amount": "The amount must be more than £0"})
        if self.status == self.Status.PAID and self.paid_on is None:
            raise ValidationError({"paid_on": "Enter the date it was paid"})
        if self.status == self.Status.INVOICED and self.paid_on is not None:
            raise ValidationError(
                {"paid_on": "Remove the date paid, or mark the contribution as paid"}
            )
        if self.paid_on and self.invoiced_on and self.paid_on < self.invoiced_on:
            raise ValidationError(
                {"paid_on": "The date paid must be the same as or after the date invoiced"}
            )
