"""The open-licence library: what one borough or the office made (specifications, tenders,
guides, business cases), shared so the next borough reuses it instead of writing it again.

A resource keeps its versions, each an uploaded file or a link; the latest is what people
download. Who may read a resource follows its licence and whether it is published
(`selectors.resources_seen_by`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from modelsearch import index

from loti.core import search
from loti.core.models import https_only

__all__ = ["Kind", "Licence", "Resource", "Reuse", "TextState", "Version"]


class Kind(models.TextChoices):
    SPECIFICATION = "specification", "Technical specification"
    TENDER = "tender", "Tender document"
    GUIDE = "guide", "Implementation guide"
    BUSINESS_CASE = "business_case", "Business case"
    TOOLKIT = "toolkit", "Toolkit"
    TEMPLATE = "template", "Template"
    CASE_STUDY = "case_study", "Case study"
    JOB_DESCRIPTION = "job_description", "Job description"
    DATA_SHARING_TEMPLATE = "data_sharing_template", "Data-sharing agreement template"


class Licence(models.TextChoices):
    OGL = "ogl-3.0", "Open Government Licence v3.0"
    CC_BY = "cc-by-4.0", "CC BY 4.0"
    CC_BY_SA = "cc-by-sa-4.0", "CC BY-SA 4.0"
    MIT = "mit", "MIT"
    MEMBERS_ONLY = "members-only", "All rights reserved (members only)"


# Where each open licence's text is published, for the resource page's link.
LICENCE_URLS = {
    Licence.OGL: "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
    Licence.CC_BY: "https://creativecommons.org/licenses/by/4.0/",
    Licence.CC_BY_SA: "https://creativecommons.org/licenses/by-sa/4.0/",
    Licence.MIT: "https://opensource.org/license/mit",
}


class Resource(index.Indexed, models.Model):
    title = models.CharField(max_length=200)
    summary = models.TextField(help_text="What it is, who made it and how others can use it")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    licence = models.CharField(max_length=20, choices=Licence.choices)
    organisations = models.ManyToManyField(
        "members.Organisation", related_name="library_resources", verbose_name="authors"
    )
    service_areas = models.ManyToManyField(
        "techmap.ServiceArea", blank=True, related_name="library_resources"
    )
    workstreams = models.ManyToManyField(
        "portfolio.Workstream", blank=True, related_name="library_resources"
    )
    projects = models.ManyToManyField(
        "portfolio.Project",
        blank=True,
        related_name="library_resources",
        help_text="The projects it came from",
    )
    # Empty while a draft: only its organisations and the office read it.
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,  # the system's own writes (an actor of None) have nobody
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
        search.SearchField("summary", boost=2),
        search.SearchField("latest_text"),
        # modelsearch checks that every field a searched queryset filters on is declared:
        # relations are filtered through `id` (pk__in a subquery).
        index.FilterField("id"),
        index.FilterField("kind"),
        index.FilterField("licence"),
        index.FilterField("published_at"),
    ]

    class Meta:
        ordering = ["-published_at", "title"]
        indexes = [models.Index(fields=["kind", "licence"], name="library_resource_kind_lic")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("library:resource_detail", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def is_open(self) -> bool:
        return self.licence != Licence.MEMBERS_ONLY

    @property
    def licence_url(self) -> str:
        return LICENCE_URLS.get(self.licence, "")

    def latest_version(self) -> Version | None:
        return self.versions.order_by("-created_at", "-pk").first()

    @classmethod
    def get_indexed_objects(cls) -> models.QuerySet[Resource]:
        """What modelsearch and `core.search.index_all` index: each resource with its latest
        version's text, read in the same query (modelsearch asks for it several times per
        resource)."""
        latest = Version.objects.filter(resource=models.OuterRef("pk")).order_by(
            "-created_at", "-pk"
        )
        return cls.objects.annotate(indexed_text=models.Subquery(latest.values("text")[:1]))

    def latest_text(self) -> str:
        """The searchable text of the latest version's file (empty for a link, or while its
        text is being read)."""
        if "indexed_text" in self.__dict__:
            return self.indexed_text or ""
        latest = self.latest_version()
        return latest.text if latest else ""


class TextState(models.TextChoices):
    PENDING = "pending", "Being read"
    READ = "read", "Searchable"
    FAILED = "failed", "Not searchable"
    NONE = "none", "A link: nothing to read"


def version_path(version: Version, filename: str) -> str:
    """Where a version's file is stored: by resource and a random name, never the uploaded
    name (which the download sends back as its file name)."""
    return f"library/{version.resource_id}/{version.storage_name}"


class Version(models.Model):
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="versions")
    label = models.CharField("Version", max_length=40, help_text="For example, 1.0 or March 2026")
    changes = models.TextField("What changed", blank=True)
    file = models.FileField(upload_to=version_path, max_length=300, blank=True)
    storage_name = models.CharField(max_length=80, blank=True, editable=False)
    file_name = models.CharField(max_length=200, blank=True, editable=False)
    content_type = models.CharField(max_length=120, blank=True, editable=False)
    size = models.PositiveBigIntegerField(null=True, blank=True, editable=False)
    sha256 = models.CharField(max_length=64, blank=True, editable=False)
    link = models.URLField("Web address", max_length=500, blank=True, validators=[https_only])
    text = models.TextField(blank=True, editable=False)
    text_state = models.CharField(
        max_length=10, choices=TextState.choices, default=TextState.PENDING, editable=False
    )
    # Why the text could not be read, in the words the version's page shows.
    text_note = models.CharField(max_length=300, blank=True, editable=False)
    # The background work reading the text, whose progress the resource's page shows.
    text_progress = models.ForeignKey(
        "core.TaskProgress",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,  # the system's own writes (an actor of None) have nobody
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["resource", "label"], name="library_version_unique_label"
            ),
            models.CheckConstraint(
                condition=(models.Q(file="") & ~models.Q(link=""))
                | (~models.Q(file="") & models.Q(link="")),
                name="library_version_file_or_link",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.resource} {self.label}"

    def get_absolute_url(self) -> str:
        return reverse("library:resource_detail", args=[self.resource_id])

    @property
    def is_link(self) -> bool:
        return bool(self.link)


class Reuse(models.Model):
    """An organisation said it reused a resource: the library's measure of value, counted
    once per organisation."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="reuses")
    organisation = models.ForeignKey(
        "members.Organisation", on_delete=models.CASCADE, related_name="library_reuses"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,  # the system's own writes (an actor of None) have nobody
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_on = models.DateField(default=timezone.localdate)

    class Meta:
        ordering = ["-recorded_on", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["resource", "organisation"], name="library_reuse_once_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} reused {self.resource}"
