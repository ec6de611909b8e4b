from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from modelsearch import index

from loti.core import search
from loti.core.models import MONEY

companies_house_validator = RegexValidator(
    r"^(?:[0-9]{8}|[A-Z]{2}[0-9]{6})$",
    "Enter a Companies House number in the correct format, like 01234567 or SC123456",
)


class Function(models.Model):
    """A group of service areas, such as "Social care" or "Corporate services"."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class ServiceArea(models.Model):
    """A council service, modelled on the LGA's local-government service list."""

    function = models.ForeignKey(Function, on_delete=models.PROTECT, related_name="areas")
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["function__order", "order", "name"]

    def __str__(self) -> str:
        return self.name


class ProductCategory(models.Model):
    """What kind of product something is, such as "Housing management system"."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    # The services a product of this kind usually serves, offered when none are given.
    usual_service_areas = models.ManyToManyField(ServiceArea, related_name="usual_categories")

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "product categories"

    def __str__(self) -> str:
        return self.name


class Vendor(index.Indexed, models.Model):
    name = models.CharField(max_length=200, unique=True)
    # The name reduced for matching: see loti.techmap.matching.normalise.
    normalised_name = models.CharField(max_length=200, db_index=True, editable=False)
    slug = models.SlugField(max_length=200, unique=True)
    companies_house_number = models.CharField(
        "Companies House number", max_length=8, blank=True, validators=[companies_house_validator]
    )
    is_sme = models.BooleanField("Small or medium-sized enterprise", null=True, blank=True)

    # Indexed by core.search (techmap/search.py): on save, and after bulk writes.
    search_auto_update = False
    search_fields = [
        search.SearchField("name", boost=3),
        # Trading names and old names find the supplier too.
        index.RelatedFields("aliases", [search.SearchField("name")]),
        index.FilterField("id"),
    ]

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["companies_house_number"],
                condition=~models.Q(companies_house_number=""),
                name="techmap_vendor_unique_companies_house_number",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("techmap:vendor_detail", args=[self.slug])


class VendorAlias(models.Model):
    """Another name a vendor is known by: a trading name, a misspelling, a merged vendor."""

    vendor = models.ForeignKey(Vendor, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=200)
    normalised_name = models.CharField(max_length=200, db_index=True, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "vendor aliases"
        constraints = [
            models.UniqueConstraint(
                fields=["normalised_name"], name="techmap_vendoralias_unique_normalised_name"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Product(index.Indexed, models.Model):
    class Hosting(models.TextChoices):
        ON_PREMISES = "on_premises", "On premises"
        HOSTED = "hosted", "Hosted"
        SAAS = "saas", "Software as a service"

    vendor = models.ForeignKey(Vendor, on_delete=models.PROTECT, related_name="products")
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    category = models.ForeignKey(ProductCategory, on_delete=models.PROTECT, related_name="products")
    hosting = models.CharField(max_length=12, choices=Hosting.choices, blank=True)

    # Indexed by core.search (techmap/search.py): on save, and after bulk writes.
    search_auto_update = False
    search_fields = [
        search.SearchField("name", boost=3),
        index.RelatedFields("vendor", [search.SearchField("name")]),
        index.RelatedFields("category", [search.SearchField("name")]),
        index.FilterField("id"),
    ]

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["vendor", "name"], name="techmap_product_unique_vendor_name"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("techmap:product_detail", args=[self.slug])


class System(models.Model):
    """A product as one organisation uses it, for some of its services."""

    organisation = models.ForeignKey(
        "members.Organisation", on_delete=models.CASCADE, related_name="systems"
    )
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="systems")
    service_areas = models.ManyToManyField(ServiceArea, related_name="systems")
    in_use_since = models.DateField(null=True, blank=True)
    users = models.PositiveIntegerField("Number of users", null=True, blank=True)
    satisfaction = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text="From 1 (very dissatisfied) to 5 (very satisfied)",
    )
    notes = models.TextField(blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    # Made up by `loti demo`: the map says so while any such system is on it. A database
    # default too, for the import's bulk inserts, which name the columns they write.
    synthetic = models.BooleanField(default=False, db_default=False, editable=False)

    class Meta:
        ordering = ["organisation__short_name", "product__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "product"],
                name="techmap_system_unique_organisation_product",
            ),
            models.CheckConstraint(
                condition=models.Q(satisfaction__isnull=True)
                | models.Q(satisfaction__gte=1, satisfaction__lte=5),
                name="techmap_system_satisfaction_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product} at {self.organisation}"

    def get_absolute_url(self) -> str:
        return reverse("techmap:system_detail", args=[self.pk])


class Contract(models.Model):
    class Source(models.TextChoices):
        MANUAL = "manual", "Entered by hand"
        SPREADSHEET = "spreadsheet", "Spreadsheet import"
        API = "api", "API"
        OCDS = "ocds", "Published contract notice"

    organisation = models.ForeignKey(
        "members.Organisation", on_delete=models.CASCADE, related_name="contracts"
    )
    system = models.ForeignKey(
        System, null=True, blank=True, on_delete=models.SET_NULL, related_name="contracts"
    )
    vendor = models.ForeignKey(
        Vendor, on_delete=models.PROTECT, related_name="contracts", verbose_name="supplier"
    )
    title = models.CharField(max_length=300)
    # A database default too, so bulk loads that name their columns (COPY) may leave it out.
    description = models.TextField(blank=True, default="", db_default="")
    starts_on = models.DateField("Start date", null=True, blank=True)
    ends_on = models.DateField("End date", null=True, blank=True)
    extension_options = models.CharField(
        max_length=100, blank=True, help_text="For example, 1 + 1 years"
    )
    annual_value = models.DecimalField("Annual value", null=True, blank=True, **MONEY)
    total_value = models.DecimalField("Total value", null=True, blank=True, **MONEY)
    procurement_route = models.CharField(
        "Procurement route or framework",
        max_length=200,
        blank=True,
        help_text="For example, G-Cloud 14",
    )
    source = models.CharField(max_length=12, choices=Source.choices, default=Source.MANUAL)
    # Values are private to members unless this is set (notes and satisfaction always are;
    # see loti.techmap.selectors); contracts from published notices are public already.
    is_public = models.BooleanField("Published", default=False)
    notes = models.TextField(blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["ends_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(starts_on__isnull=True)
                | models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="techmap_contract_ends_after_start",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "ends_on"], name="techmap_contract_org_end_idx"),
            # Everything the opportunity finder reads of a contract, in the order it reads
            # them: PostgreSQL answers from the index alone, without visiting the table.
            models.Index(
                fields=["ends_on", "id", "organisation", "vendor", "annual_value", "system"],
                name="techmap_contract_ending_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("techmap:contract_detail", args=[self.pk])

    @property
    def has_ended(self) -> bool:
        """Its end date has passed (a contract ending today still runs today)."""
        return self.ends_on is not None and self.ends_on < timezone.localdate()


class SkillArea(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SkillLevel(models.Model):
    """How strong an organisation is in a skill area, from 1 (starting out) to 5 (leading)."""

    organisation = models.ForeignKey(
        "members.Organisation", on_delete=models.CASCADE, related_name="skill_levels"
    )
    skill_area = models.ForeignKey(SkillArea, on_delete=models.PROTECT, related_name="levels")
    level = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )

    class Meta:
        ordering = ["skill_area__name", "organisation__short_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "skill_area"], name="techmap_skilllevel_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(level__gte=1, level__lte=5), name="techmap_skilllevel_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.skill_area}: {self.level}"


class OpportunityInterest(models.Model):
    """An organisation's interest in buying together with the others in an opportunity.

    An opportunity is a service area's run of contracts; the interest names the area and the
    first end date of the opportunity when it was marked, and belongs to the opportunity of
    that area whose end dates hold it (`selectors.opportunity_for`), so it follows the
    opportunity when overlapping windows merge. Interests once marked on a product category
    were moved to the category's usual service areas (migration 0006)."""

    class Grouping(models.TextChoices):
        SERVICE_AREA = "area", "Service area"

    organisation = models.ForeignKey(
        "members.Organisation", on_delete=models.CASCADE, related_name="opportunity_interests"
    )
    grouping = models.CharField(
        max_length=10, choices=Grouping.choices, default=Grouping.SERVICE_AREA
    )
    group_slug = models.SlugField(max_length=100)
    # The opportunity's window of contract end dates when interest was marked.
    window_starts_on = models.DateField()
    window_ends_on = models.DateField()
    marked_by = models.ForeignKey(
        "members.Person", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    marked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-marked_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "grouping", "group_slug", "window_starts_on"],
                name="techmap_interest_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} interested in {self.group_slug} from {self.window_starts_on}"


class Notice(models.Model):
    """A published contracting process (one OCDS ``ocid``) whose buyer is one of the
    consortium's organisations, compiled from every release of it imported so far.

    ``compiled`` holds the fields the import uses, flattened, each with the date of the release
    that set it (see loti.techmap.ocds.compiling), so that a release imported later but
    published earlier never overwrites newer data. The other fields are what the pages need,
    read out of the compiled release when it changes.
    """

    class TenderStatus(models.TextChoices):
        PLANNING = "planning", "Planning"
        PLANNED = "planned", "Planned"
        ACTIVE = "active", "Open"
        CANCELLED = "cancelled", "Cancelled"
        UNSUCCESSFUL = "unsuccessful", "Unsuccessful"
        COMPLETE = "complete", "Complete"
        WITHDRAWN = "withdrawn", "Withdrawn"

    ocid = models.CharField("Open Contracting ID", max_length=200, unique=True)
    organisation = models.ForeignKey(
        "members.Organisation", on_delete=models.CASCADE, related_name="notices"
    )
    buyer_name = models.CharField(max_length=300)
    # The newest release merged in: its id (some publishers give none) and date.
    release_id = models.CharField(max_length=200, blank=True)
    released_at = models.DateTimeField()
    compiled = models.JSONField(default=list)
    title = models.CharField(max_length=500, blank=True)
    description = models.TextField(blank=True)
    cpv_codes = models.JSONField("CPV codes", default=list)
    is_technology = models.BooleanField(default=False)
    tender_status = models.CharField(max_length=12, choices=TenderStatus.choices, blank=True)
    closes_at = models.DateTimeField("Closing date", null=True, blank=True)
    suitable_for_sme = models.BooleanField("Suitable for SMEs", null=True)
    suitable_for_vcse = models.BooleanField("Suitable for VCSEs", null=True)
    value = models.DecimalField("Estimated value", null=True, blank=True, **MONEY)
    url = models.URLField("Notice", max_length=500, blank=True)
    service_areas = models.ManyToManyField(ServiceArea, related_name="notices", blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["closes_at", "ocid"]
        indexes = [
            models.Index(
                fields=["is_technology", "tender_status", "closes_at"],
                name="techmap_notice_open_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.ocid

    def get_absolute_url(self) -> str:
        return reverse("techmap:tender_detail", args=[self.pk])


class NoticeAward(models.Model):
    """One award of a notice and the contract the import made of it.

    ``imported`` keeps the values the import last took from the notice for each field it
    owns, so a later import can tell a person's edit (the contract differs from it) from a
    value nobody touched. Where a person's edit and a newer notice disagree, the notice's
    value waits in ``conflicts`` for a person to take it or keep their own.
    """

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="awards")
    award_id = models.CharField(max_length=200)
    # Null once a person deletes the contract: a later import does not bring it back.
    contract = models.OneToOneField(
        Contract, null=True, blank=True, on_delete=models.SET_NULL, related_name="award"
    )
    imported = models.JSONField(default=dict)
    conflicts = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["notice", "award_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["notice", "award_id"], name="techmap_noticeaward_unique_award"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.notice.ocid} award {self.award_id}"


class OcdsImport(models.Model):
    """A file of published contract notices uploaded by staff, imported in the background."""

    class State(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Importing"
        SUCCEEDED = "succeeded", "Imported"
        FAILED = "failed", "Not imported"

    requested_by = models.ForeignKey(
        "members.Person", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    filename = models.CharField(max_length=255)
    # Emptied once the import has finished: the report is what is kept.
    content = models.BinaryField(blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    report = models.JSONField(default=dict, blank=True)
    progress = models.ForeignKey(
        "core.TaskProgress", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "OCDS import"

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_state_display()})"

    def get_absolute_url(self) -> str:
        return reverse("techmap:ocds_import_detail", args=[self.pk])
