"""The data-sharing agreement registry: one agreement signed by many organisations instead of
an agreement between every pair of them.

An agreement's content lives in its versions, each covering what the ICO's Data Sharing Code
of Practice asks an agreement to cover. Every party of a version signs it through its lead
(or a partner's signatory); the version is in force, for the parties that signed and have not
withdrawn, once all of them have signed. Changing an agreement that anyone has signed makes a
new version that every party signs again; the versions and their signatures are kept.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from modelsearch import index

from loti.core import search
from loti.datasharing.lawful_basis import Article6, Article9, Article10, Schedule1

__all__ = [
    "Agreement",
    "Category",
    "DataItem",
    "Dpia",
    "DpiaRisk",
    "Frequency",
    "Party",
    "Screening",
    "Signature",
    "Version",
]


class Category(models.TextChoices):
    PERSONAL = "personal", "Personal data"
    SPECIAL = "special", "Special category data"
    CRIMINAL = "criminal", "Criminal offence data"
    PSEUDONYMISED = "pseudonymised", "Pseudonymised data"
    ANONYMISED = "anonymised", "Anonymised or aggregate data"


class Frequency(models.TextChoices):
    ONE_OFF = "one_off", "Once"
    CONTINUOUS = "continuous", "Continuously (real time)"
    DAILY = "daily", "Daily"
    WEEKLY = "weekly", "Weekly"
    MONTHLY = "monthly", "Monthly"
    QUARTERLY = "quarterly", "Quarterly"
    ANNUALLY = "annually", "Annually"
    ON_REQUEST = "on_request", "When requested, case by case"


class Agreement(index.Indexed, models.Model):
    """One data-sharing agreement: what stays the same across its versions."""

    class Status(models.TextChoices):
        # Stored by the services. "Review due" and "expired" follow from a signed agreement's
        # dates on the day it is read (`selectors.with_status`).
        DRAFT = "draft", "Draft"
        CONSULTATION = "consultation", "In consultation"
        SIGNED = "signed", "Signed (in force)"
        REVIEW_DUE = "review_due", "Review due"
        EXPIRED = "expired", "Expired"
        WITHDRAWN = "withdrawn", "Withdrawn"

    STORED = (Status.DRAFT, Status.CONSULTATION, Status.SIGNED, Status.WITHDRAWN)

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=120, unique=True)
    status = models.CharField(
        max_length=20,
        choices=[(s.value, s.label) for s in STORED],
        default=Status.DRAFT,
        editable=False,
    )
    # The organisation that drafted it (None: the office). Its people write it while a draft.
    organisation = models.ForeignKey(
        "members.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="drafted_agreements",
        verbose_name="drafted by",
    )
    # The version being edited or signed, and the latest version every party signed (what is
    # in force); they differ while a change awaits signatures.
    current_version = models.ForeignKey(
        "Version",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    in_force_version = models.ForeignKey(
        "Version",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    # The library's template it was started from, if any.
    template = models.ForeignKey(
        "library.Resource",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # When it was sent to its parties for signature (left draft).
    opened_at = models.DateTimeField(null=True, blank=True, editable=False)
    withdrawn_on = models.DateField(null=True, blank=True, editable=False)
    withdrawal_reason = models.TextField(blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)
    # Made up for the demo: its page says so.
    synthetic = models.BooleanField(default=False, editable=False)

    search_auto_update = False
    search_fields = [
        search.SearchField("title", boost=3),
        # Only what the public register shows: the data items are an operational detail.
        search.SearchField("register_purpose", boost=2),
        index.FilterField("id"),
        index.FilterField("status"),
    ]

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("datasharing:agreement_detail", args=[self.slug])

    def register_purpose(self) -> str:
        """The purpose the register shows: the version in force's, or the one being signed."""
        version = self.in_force_version or self.current_version
        return version.purpose if version else ""


class Version(models.Model):
    """An agreement's content as one set of parties signs it: every section of the ICO's
    Data Sharing Code of Practice, in the code's order."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(editable=False)
    change_summary = models.TextField(
        blank=True, help_text="What changed from the previous version"
    )

    # Purpose and benefits
    purpose = models.TextField(help_text="Why the data is shared, and what for")
    benefits = models.TextField(help_text="The benefits the sharing is meant to bring, and to whom")
    # Lawful basis
    article6 = models.CharField(
        "Lawful basis (UK GDPR Article 6)", max_length=1, choices=Article6.choices
    )
    article6_detail = models.TextField(
        "Legal power or duty",
        blank=True,
        help_text="For a public task or legal obligation, the law that gives it",
    )
    article9 = models.CharField(
        "Condition for special category data (UK GDPR Article 9)",
        max_length=1,
        choices=Article9.choices,
        blank=True,
    )
    schedule1 = models.CharField(
        "Condition in Schedule 1 of the Data Protection Act 2018",
        max_length=2,
        choices=Schedule1.choices,
        blank=True,
    )
    article10 = models.CharField(
        "Basis for criminal offence data (UK GDPR Article 10)",
        max_length=20,
        choices=Article10.choices,
        blank=True,
    )
    # Who and what
    data_subjects = models.TextField(
        help_text="Whose data is shared: for example, residents receiving adult social care"
    )
    # How data moves
    transfer_method = models.TextField(
        "How the data moves", help_text="For example, secure file transfer or an API over TLS"
    )
    frequency = models.CharField("How often", max_length=20, choices=Frequency.choices)
    # Keeping it safe, and for how long
    security = models.TextField("Security measures")
    retention = models.TextField("Retention", help_text="How long each party keeps the data")
    deletion = models.TextField(
        "Deletion", help_text="How the data is deleted or returned at the end"
    )
    # People's rights
    rights = models.TextField(
        "Individuals' rights and complaints",
        help_text=(
            "How requests to see, correct or erase data, and complaints, are handled "
            "between the parties"
        ),
    )
    privacy_information = models.TextField(
        "Privacy information", help_text="What people are told about the sharing, and where"
    )
    breach_reporting = models.TextField(
        "Breach reporting", help_text="Who tells whom, and how fast, when something goes wrong"
    )
    # Dates
    start_date = models.DateField()
    review_date = models.DateField()
    end_date = models.DateField(
        null=True, blank=True, help_text="Leave empty if it runs until withdrawn"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # When a later version replaced it as the one being signed.
    superseded_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["agreement", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "number"], name="datasharing_version_unique_number"
            ),
            models.UniqueConstraint(
                fields=["agreement"],
                condition=Q(superseded_at__isnull=True),
                name="datasharing_version_one_current",
            ),
            models.CheckConstraint(
                condition=Q(review_date__gte=models.F("start_date")),
                name="datasharing_version_review_after_start",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="datasharing_version_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement} (version {self.number})"


class DataItem(models.Model):
    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="data_items")
    name = models.CharField(max_length=200, help_text="For example, date of birth")
    category = models.CharField(max_length=20, choices=Category.choices)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["version", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "name"], name="datasharing_dataitem_unique_name"
            ),
        ]
        indexes = [models.Index(fields=["category"], name="datasharing_item_category")]

    def __str__(self) -> str:
        return self.name


class Party(models.Model):
    """An organisation's part in one version of an agreement."""

    class Role(models.TextChoices):
        CONTROLLER = "controller", "Controller"
        JOINT_CONTROLLER = "joint_controller", "Joint controller"
        PROCESSOR = "processor", "Processor"

    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="parties")
    organisation = models.ForeignKey(
        "members.Organisation", on_delete=models.PROTECT, related_name="agreement_parties"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    withdrawn_on = models.DateField(null=True, blank=True, editable=False)
    withdrawal_reason = models.TextField(blank=True, editable=False)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    class Meta:
        ordering = ["version", "organisation__name"]
        verbose_name_plural = "parties"
        constraints = [
            models.UniqueConstraint(
                fields=["version", "organisation"], name="datasharing_party_unique_organisation"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_role_display()})"


class Signature(models.Model):
    """A party's signature of its version: one per party, by a person entitled to sign."""

    party = models.OneToOneField(Party, on_delete=models.CASCADE, related_name="signature")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="agreement_signatures"
    )
    # Kept as signed: the person's name and capacity may change later.
    name = models.CharField(max_length=150, editable=False)
    capacity = models.CharField(
        max_length=150, help_text="The capacity you sign in: for example, Chief Digital Officer"
    )
    signed_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["signed_at"]

    def __str__(self) -> str:
        return f"{self.name} for {self.party.organisation}"


class Screening(models.Model):
    """A DPIA screening of an agreement: the answers to the questionnaire (`screening.py`)
    and whether it found a DPIA required, and why."""

    agreement = models.OneToOneField(Agreement, on_delete=models.CASCADE, related_name="screening")
    # Question key -> True/False, for every question the questionnaire asks.
    answers = models.JSONField(default=dict)
    required = models.BooleanField(editable=False)
    # The reasons, in words, as the questionnaire gave them when answered.
    reasons = models.JSONField(default=list, editable=False)
    screened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    screened_at = models.DateTimeField(default=timezone.now, editable=False)

    def __str__(self) -> str:
        return f"DPIA screening of {self.agreement}"


class Level(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class Dpia(models.Model):
    """A data protection impact assessment of an agreement, as the ICO's template records it."""

    agreement = models.OneToOneField(Agreement, on_delete=models.CASCADE, related_name="dpia")
    description = models.TextField("Nature, scope, context and purposes of the processing")
    consultation = models.TextField("Who was consulted", blank=True)
    necessity = models.TextField("Necessity and proportionality", blank=True)
    residual_risk = models.CharField("Overall residual risk", max_length=10, choices=Level.choices)
    dpo_name = models.CharField("Data protection officer", max_length=150)
    dpo_advice = models.TextField("The data protection officer's advice")
    dpo_advice_accepted = models.BooleanField("Was the advice accepted?", default=True)
    dpo_advice_response = models.TextField(
        "If not, why not", blank=True, help_text="Where the advice was overruled, the reasons"
    )
    signed_off_by = models.CharField("Signed off by", max_length=150, blank=True)
    signed_off_on = models.DateField("Signed off on", null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = "DPIA"
        verbose_name_plural = "DPIAs"

    def __str__(self) -> str:
        return f"DPIA of {self.agreement}"


class DpiaRisk(models.Model):
    class Likelihood(models.TextChoices):
        REMOTE = "remote", "Remote"
        POSSIBLE = "possible", "Possible"
        PROBABLE = "probable", "Probable"

    class Severity(models.TextChoices):
        MINIMAL = "minimal", "Minimal"
        SIGNIFICANT = "significant", "Significant"
        SEVERE = "severe", "Severe"

    dpia = models.ForeignKey(Dpia, on_delete=models.CASCADE, related_name="risks")
    description = models.TextField(
        "Risk", help_text="The source of the risk and its possible harm to people"
    )
    likelihood = models.CharField(max_length=10, choices=Likelihood.choices)
    severity = models.CharField(max_length=12, choices=Severity.choices)
    mitigation = models.TextField("Measures to reduce or eliminate it")
    residual_risk = models.CharField("Residual risk", max_length=10, choices=Level.choices)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["dpia", "order", "pk"]

    def __str__(self) -> str:
        return self.description[:60]
