"""The import framework: an uploaded file is checked in the background (the preview), a
person reads the preview and answers its questions, then the file is written in one
transaction, all of it or none. The services here start that work; loti.core.tasks holds
it.

Each kind of import has an importer, registered under a kind named "<app label>.<name>" by
the module `<app>.<name>_import`, which calls `register` when it is imported. Web processes
import that module through the app's views; a task worker may not have, so `importer_for`
imports it on first use. Core thus names no other app, and every process finds every
importer.
"""

from __future__ import annotations

import uuid
from importlib import import_module
from typing import Any, Protocol

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from loti.core import services as core_services
from loti.core.models import ImportBatch, TaskProgress
from loti.core.permissions import is_office
from loti.core.spreadsheets import CONTROL_CHARACTERS

State = ImportBatch.State


class ImportFailed(Exception):
    """The file cannot be imported at all (it cannot be read, say); the message says why in
    words for the person who uploaded it."""


class ImportRefused(Exception):
    """The file has problems or open questions now, so nothing is written; `preview` is
    the fresh preview to show."""

    def __init__(self, preview: dict[str, Any]) -> None:
        super().__init__("The import has problems to fix first")
        self.preview = preview


class Progress:
    """Progress reports for an importer; without a TaskProgress (the API) they go nowhere."""

    def __init__(self, progress_id: uuid.UUID | str | None = None) -> None:
        self.progress_id = progress_id

    def start(self, total: int) -> None:
        if self.progress_id:
            core_services.task_progress_start(progress_id=self.progress_id, total=total)

    def advance(self, by: int = 1) -> None:
        if self.progress_id and by:
            core_services.task_progress_advance(progress_id=self.progress_id, by=by)


class Importer(Protocol):
    """What an importer provides. Previews are JSON-ready dicts holding at least `rows` (how
    many), `problems` ([{row, column, message}]), `problem_count` and `ready` (whether it
    may be committed as it is)."""

    def preview(self, batch: ImportBatch, *, progress: Progress) -> dict[str, Any]: ...

    def prepare(self, batch: ImportBatch, *, progress: Progress) -> Any:
        """Check the batch again just before it is written, outside the transaction;
        raises ImportRefused when it is no longer ready."""

    def commit(self, prepared: Any, *, progress: Progress) -> dict[str, Any]:
        """Write what `prepare` returned; called inside a transaction."""

    def page_url(self, batch: ImportBatch) -> str: ...


_importers: dict[str, Importer] = {}


def register(kind: str, importer: Importer) -> None:
    _importers[kind] = importer


def importer_for(kind: str) -> Importer:
    if kind not in _importers:
        app_label, _, name = kind.partition(".")
        import_module(f"{apps.get_app_config(app_label).name}.{name}_import")
    return _importers[kind]


# Writes ----------------------------------------------------------------------------------

PREVIEW = "loti.core.tasks.preview_import"
COMMIT = "loti.core.tasks.commit_import"


def _start(task_path: str, batch: ImportBatch, *, label: str) -> TaskProgress:
    return core_services.task_start(
        task_path,
        label=label,
        requested_by=batch.requested_by,
        result_url=importer_for(batch.kind).page_url(batch),
        batch_id=str(batch.pk),
    )


def import_batch_create(
    *,
    kind: str,
    requested_by: Any,
    filename: str,
    content: bytes,
    organisation_id: int | None = None,
    scope_label: str = "",
) -> ImportBatch:
    """Store an uploaded file and start checking it in the background."""
    importer_for(kind)  # an unknown kind fails here, before anything is stored
    batch = ImportBatch(
        kind=kind,
        requested_by=requested_by,
        # A name may carry control characters (a NUL, which PostgreSQL cannot store).
        filename=CONTROL_CHARACTERS.sub("", filename)[:255],
        content=content,
        organisation_id=organisation_id,
        scope_label=scope_label,
    )
    with transaction.atomic():
        batch.full_clean()
        batch.save()
        batch.progress = _start(PREVIEW, batch, label=f"Checking {batch.filename}")
        batch.save(update_fields=["progress"])
    return batch


def import_batch_decide(*, batch: ImportBatch, decisions: dict[str, str]) -> ImportBatch:
    """Record answers to the preview's questions and check the file again with them."""
    if batch.state != State.PREVIEWED:
        raise ValidationError("This import is not waiting for decisions")
    with transaction.atomic():
        batch.decisions = {**batch.decisions, **decisions}
        batch.state = State.PREVIEWING
        batch.progress = _start(PREVIEW, batch, label=f"Checking {batch.filename}")
        batch.save(update_fields=["decisions", "state", "progress", "updated_at"])
    return batch


def import_batch_commit(*, batch: ImportBatch) -> ImportBatch:
    """Start writing a checked batch that has no problems and no open questions."""
    if batch.state != State.PREVIEWED or not batch.preview.get("ready"):
        raise ValidationError("Fix the problems in the file before importing it")
    with transaction.atomic():
        # A second click, or a second person, finds the batch taken already.
        claimed = ImportBatch.objects.filter(pk=batch.pk, state=State.PREVIEWED).update(
            state=State.COMMITTING
        )
        if not claimed:
            raise ValidationError("This import has already been started")
        progress = _start(COMMIT, batch, label=f"Importing {batch.filename}")
        ImportBatch.objects.filter(pk=batch.pk).update(progress=progress)
    batch.refresh_from_db()
    return batch


# Reads -----------------------------------------------------------------------------------


def import_batch_for_user(*, user: Any, pk: Any) -> ImportBatch:
    """A batch its requester or the office may see; anyone else gets a 404."""
    batches = ImportBatch.objects.select_related("progress").defer("content")
    if not user.is_authenticated:
        batches = batches.none()
    elif not is_office(user):
        batches = batches.filter(requested_by=user)
    return get_object_or_404(batches, pk=pk)


def import_batches_for(
    *, user: Any, kind: str, organisation_id: int | None = None
) -> QuerySet[ImportBatch]:
    """The user's own imports of a kind, newest first."""
    if not user.is_authenticated:
        return ImportBatch.objects.none()
    batches = ImportBatch.objects.filter(requested_by=user, kind=kind)
    if organisation_id is not None:
        batches = batches.filter(organisation_id=organisation_id)
    return batches.defer("content").order_by("-created_at")
