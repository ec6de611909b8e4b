"""Projects: a selected proposal (or an earlier piece of work entered by the office) run in
six-week cycles, each ending in a review decision, with its weeknotes and resources.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from modelsearch import index

from loti.core import search
from loti.core.models import MONEY, https_only
from loti.portfolio.calls.models import ProposalType

__all__ = ["Cycle", "Decision", "Phase", "Project", "Resource", "Weeknote"]


class Phase(models.TextChoices):
    DISCOVERY = "discovery", "Discovery"
    ALPHA = "alpha", "Alpha"
    BETA = "beta", "Beta"
    LIVE = "live", "Live"
    COMPLETED = "completed", "Completed"
    STOPPED = "stopped", "Stopped"


class Decision(models.TextChoices):
    CONTINUE = "continue", "Continue"
    PIVOT = "pivot", "Pivot"
    STOP = "stop", "Stop"
    COMPLETE = "complete", "Complete"


class Project(index.Indexed, models.Model):
    # A project in one of these phases is over: its plan and phase no longer change.
    ENDED = (Phase.COMPLETED, Phase.STOPPED)

    proposal = models.OneToOneField(
        "portfolio.Proposal",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="project",
        help_text="Empty for work begun before calls for ideas were run here",
    )
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    summary = models.CharField(
        max_length=300, blank=True, help_text="One sentence for lists of projects"
    )
    introduction = models.TextField()
    lead_organisation = models.ForeignKey(
        "members.Organisation", on_delete=models.PROTECT, related_name="led_projects"
    )
    partners = models.ManyToManyField(
        "members.Organisation", blank=True, related_name="partner_projects", verbose_name="partners"
    )
    type = models.CharField(max_length=20, choices=ProposalType.choices)
    workstream = models.ForeignKey(
        "portfolio.Workstream", on_delete=models.PROTECT, related_name="projects"
    )
    phase = models.CharField(max_length=12, choices=Phase.choices, default=Phase.DISCOVERY)
    budget = models.DecimalField("Budget", **MONEY)
    started_on = models.DateField("Start date")
    ended_on = models.DateField("End date", null=True, blank=True)
    # Made up for the demo: its page says so.
    synthetic = models.BooleanField(default=False, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    # Kept in step by loti.core.search (registered in loti.portfolio.search).
    search_auto_update = False
    search_fields = [
        search.SearchField("title", boost=3),
        search.SearchField("summary", boost=2),
        search.SearchField("introduction"),
        index.FilterField("id"),
    ]

    class Meta:
        ordering = ["-started_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True)
                | models.Q(ended_on__gte=models.F("started_on")),
                name="portfolio_project_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(phase__in=["completed", "stopped"], ended_on__isnull=False)
                | (~models.Q(phase__in=["completed", "stopped"]) & models.Q(ended_on__isnull=True)),
                name="portfolio_project_end_date_iff_ended",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("portfolio:project_detail", args=[self.slug])

    @property
    def has_ended(self) -> bool:
        return self.phase in self.ENDED


class Cycle(models.Model):
    """Six weeks of a project. `ends_on` is exclusive: it is `starts_on` + 42 days, the day the
    cycle's review is due and the next cycle starts; the cycle's last working day is the day
    before."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="cycles")
    number = models.PositiveSmallIntegerField()
    goal = models.TextField(blank=True)
    starts_on = models.DateField("Start date")
    ends_on = models.DateField("End date")
    decision = models.CharField(max_length=10, choices=Decision.choices, blank=True)
    notes = models.TextField("Review notes", blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_on = models.DateField("Decided on", null=True, blank=True)

    class Meta:
        ordering = ["project", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "number"], name="portfolio_cycle_unique_project_number"
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__gt=models.F("starts_on")),
                name="portfolio_cycle_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(decision="", decided_on__isnull=True)
                | (~models.Q(decision="") & models.Q(decided_on__isnull=False)),
                name="portfolio_cycle_decision_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} cycle {self.number}"

    @property
    def is_reviewed(self) -> bool:
        return bool(self.decision)


class Weeknote(index.Indexed, models.Model):
    """A weeknote: what a project did, written by one of its people."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="weeknotes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The author's organisation when they wrote it (none for the office's staff).
    organisation = models.ForeignKey(
        "members.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_on = models.DateField("Date")
    title = models.CharField(max_length=200)
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    search_auto_update = False
    search_fields = [
        search.SearchField("title", boost=2),
        search.SearchField("body"),
        index.FilterField("id"),
    ]

    class Meta:
        ordering = ["-published_on", "-created_at"]

    def __str__(self) -> str:
        return self.title


class Resource(models.Model):
    class Kind(models.TextChoices):
        DOCUMENT = "document", "Document"
        SPECIFICATION = "specification", "Specification"
        CODE = "code", "Code"
        GUIDE = "guide", "Guide"
        OTHER = "other", "Other"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="resources")
    title = models.CharField(max_length=200)
    url = models.URLField("Web address", max_length=500, validators=[https_only])
    kind = models.CharField(max_length=15, choices=Kind.choices, default=Kind.DOCUMENT)
    licence = models.CharField(
        max_length=100, blank=True, help_text="For example, Open Government Licence v3.0"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["kind", "title"]

    def __str__(self) -> str:
        return self.title
