import hashlib
import secrets
import uuid
from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MinValueValidator, URLValidator
from django.db import models
from django.utils import timezone

# The options of every amount of money the apps store: pounds and pence, never negative.
# The change history knows an amount of money by these options (loti.core.history.is_money).
MONEY = {"max_digits": 14, "decimal_places": 2, "validators": [MinValueValidator(Decimal(0))]}


def https_only(value: str) -> None:
    """A link people will follow from the platform: https only, never http or a script."""
    URLValidator(schemes=["https"], message="Enter a web address starting with https://")(value)


class AuditEntry(models.Model):
    """Who changed which record, when, and from what to what."""

    class Action(models.TextChoices):
        CREATE = "create", "Created"
        UPDATE = "update", "Changed"
        DELETE = "delete", "Deleted"

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Kept as text too, so the history still names a person after their account is deleted.
    actor_name = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=10, choices=Action.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=300)
    # {field verbose name: [before, after]}; a create has before None, a delete after None.
    changes = models.JSONField(default=dict)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name_plural = "audit entries"
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="core_audit_object_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.object_repr}"


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    """A personal API token: it acts as its person, with that person's permissions.

    Only a hash is stored; the token itself is shown once, when it is created.
    """

    PREFIX = "loti_"

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField("Token name", max_length=100)
    key_hint = models.CharField(max_length=12)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.key_hint}…)"

    @classmethod
    def new_key(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(32)

    @staticmethod
    def hash_key(raw: str) -> str:
        return _hash_token(raw)

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class LoginFailure(models.Model):
    """A failed sign-in, kept briefly to slow down password guessing.

    Stored in the database rather than a per-process cache so that every web worker on
    every machine sees the same count.
    """

    at = models.DateTimeField(default=timezone.now)
    email = models.CharField(max_length=254)
    client = models.CharField(max_length=64, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["email", "at"], name="core_loginfail_email_idx"),
            models.Index(fields=["client", "at"], name="core_loginfail_client_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.email} at {self.at:%Y-%m-%d %H:%M}"


class TaskProgress(models.Model):
    """How far a piece of background work has got, for its progress page."""

    class State(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "In progress"
        SUCCEEDED = "succeeded", "Finished"
        FAILED = "failed", "Failed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    label = models.CharField(max_length=200)
    # None: work the system started on its own (scheduled work, loti.core.schedule).
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    task_result_id = models.CharField(max_length=64, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True)
    # Where to go when the work has finished (for example, the page it changed).
    result_url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "task progress"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(done__lte=models.F("total")) | models.Q(total=0),
                name="core_taskprogress_done_within_total",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def percent(self) -> int:
        if self.state == self.State.SUCCEEDED:
            return 100
        if not self.total:
            return 0
        return int(100 * self.done / self.total)

    @property
    def is_finished(self) -> bool:
        return self.state in {self.State.SUCCEEDED, self.State.FAILED}


class ImportBatch(models.Model):
    """An uploaded spreadsheet on its way in: read and checked (the preview), then, once a
    person has seen the preview and made any decisions it asks for, written in one go.

    Core knows nothing of what a file holds: `kind` names the importer that does (see
    loti.core.imports), and the organisation is a plain id because core comes before members.
    """

    class State(models.TextChoices):
        UPLOADED = "uploaded", "Uploaded"
        PREVIEWING = "previewing", "Checking"
        PREVIEWED = "previewed", "Checked"
        COMMITTING = "committing", "Importing"
        COMMITTED = "committed", "Imported"
        FAILED = "failed", "Failed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=50)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The organisation the import is for, if it is for one (members.Organisation's id).
    organisation_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    # What the import is for, in words: "Barnet", or "Every organisation".
    scope_label = models.CharField(max_length=200, blank=True)
    filename = models.CharField(max_length=255)
    content = models.BinaryField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.UPLOADED)
    # Why the import failed, in words for the person who asked for it.
    message = models.TextField(blank=True)
    # The importer's findings: rows, problems [{row, column, message}], decisions needed.
    preview = models.JSONField(default=dict, blank=True)
    # The person's answers to the preview's decisions, keyed as the preview keys them.
    decisions = models.JSONField(default=dict, blank=True)
    # What the commit did: counts created, updated and unchanged.
    result = models.JSONField(default=dict, blank=True)
    progress = models.ForeignKey(
        TaskProgress, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "import batches"
        indexes = [
            models.Index(fields=["requested_by", "created_at"], name="core_importbatch_person_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_state_display()})"

    @property
    def is_working(self) -> bool:
        """Whether background work on the batch is queued or under way."""
        return self.state in {self.State.UPLOADED, self.State.PREVIEWING, self.State.COMMITTING}


class ScheduledRun(models.Model):
    """When a scheduled task (loti.core.schedule) was last started: one row per task, which
    every process that runs the schedule claims by a conditional UPDATE, so that a period's
    run starts once."""

    key = models.CharField(max_length=100)
    last_started_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["key"]
        constraints = [
            models.UniqueConstraint(fields=["key"], name="core_scheduledrun_unique_key"),
        ]

    def __str__(self) -> str:
        return self.key
