"""The import framework: an uploaded file is checked in the background (the preview), a
person reads the preview and answers its questions, then the file is written in one
transaction, all of it or none.

Each kind of import has an importer, registered under a kind named "<app label>.<name>" by
the module `<app>.<name>_import`, which calls `register` when it is imported. Web processes
import that module through the app's views; a task worker may not have, so `importer_for`
imports it on first use. Core thus names no other app, and every process finds every
importer.
"""

from __future__ import annotations

import logging
import uuid
from importlib import import_module
from typing import Any, Protocol

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django_tasks import task

from loti.core import services as core_services
from loti.core.models import ImportBatch
from loti.core.permissions import is_office

logger = logging.getLogger(__name__)

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
    importer = importer_for(kind)
    batch = ImportBatch(
        kind=kind,
        requested_by=requested_by,
        filename=filename[:255],
        content=content,
        organisation_id=organisation_id,
        scope_label=scope_label,
    )
    with transaction.atomic():
        batch.progress = core_services.task_progress_create(
            label=f"Checking {batch.filename}",
            requested_by=requested_by,
            result_url=importer.page_url(batch),
        )
        batch.full_clean()
        batch.save()
        core_services.task_progress_enqueue(
            progress=batch.progress, task=preview_import, batch_id=str(batch.pk)
        )
    return batch


def import_batch_decide(*, batch: ImportBatch, decisions: dict[str, str]) -> ImportBatch:
    """Record answers to the preview's questions and check the file again with them."""
    if batch.state != State.PREVIEWED:
        raise ValidationError("This import is not waiting for decisions")
    with transaction.atomic():
        batch.decisions = {**batch.decisions, **decisions}
        batch.state = State.PREVIEWING
        batch.progress = core_services.task_progress_create(
            label=f"Checking {batch.filename}",
            requested_by=batch.requested_by,
            result_url=importer_for(batch.kind).page_url(batch),
        )
        batch.save(update_fields=["decisions", "state", "progress", "updated_at"])
        core_services.task_progress_enqueue(
            progress=batch.progress, task=preview_import, batch_id=str(batch.pk)
        )
    return batch


def import_batch_commit(*, batch: ImportBatch) -> ImportBatch:
    """Start writing a checked batch that has no problems and no open questions."""
    if batch.state != State.PREVIEWED or not batch.preview.get("ready"):
        raise ValidationError("Fix the problems in the file before importing it")
    with transaction.atomic():
        progress = core_services.task_progress_create(
            label=f"Importing {batch.filename}",
            requested_by=batch.requested_by,
            result_url=importer_for(batch.kind).page_url(batch),
        )
        # A second click, or a second person, finds the batch taken already.
        claimed = ImportBatch.objects.filter(pk=batch.pk, state=State.PREVIEWED).update(
            state=State.COMMITTING, progress=progress
        )
        if not claimed:
            raise ValidationError("This import has already been started")
        core_services.task_progress_enqueue(
            progress=progress, task=commit_import, batch_id=str(batch.pk)
        )
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


# Tasks -----------------------------------------------------------------------------------

NOTHING_WRITTEN = "Nothing has been imported."


def _fail(batch_id: str, progress_id: str, message: str) -> None:
    ImportBatch.objects.filter(pk=batch_id).update(state=State.FAILED, message=message)
    core_services.task_progress_finish(progress_id=progress_id, message=message, failed=True)


def _preview_message(preview: dict[str, Any]) -> str:
    rows = preview.get("rows", 0)
    problems = preview.get("problem_count", 0)
    text = f"Checked {rows} row{'s' if rows != 1 else ''}"
    if problems:
        text += f": {problems} problem{'s' if problems != 1 else ''} to fix"
    elif not preview.get("ready"):
        text += ": some decisions are needed"
    return text + "."


@task()
def preview_import(*, batch_id: str, progress_id: str) -> int:
    """Check an uploaded file and store the preview; returns the number of problems."""
    claimed = ImportBatch.objects.filter(
        pk=batch_id, state__in=[State.UPLOADED, State.PREVIEWING]
    ).update(state=State.PREVIEWING)
    if not claimed:
        core_services.task_progress_finish(
            progress_id=progress_id, message="This import has moved on.", failed=True
        )
        return 0
    batch = ImportBatch.objects.get(pk=batch_id)
    try:
        preview = importer_for(batch.kind).preview(batch, progress=Progress(progress_id))
    except ImportFailed as failure:
        _fail(batch_id, progress_id, f"{failure} {NOTHING_WRITTEN}")
        return 0
    except Exception:
        logger.exception("Checking import %s failed", batch_id)
        _fail(
            batch_id,
            progress_id,
            f"Something went wrong while checking the file. {NOTHING_WRITTEN} "
            "Upload it again, or contact the office if this happens again.",
        )
        raise
    ImportBatch.objects.filter(pk=batch_id).update(
        state=State.PREVIEWED, preview=preview, message=""
    )
    core_services.task_progress_finish(progress_id=progress_id, message=_preview_message(preview))
    return preview.get("problem_count", 0)


@task()
def commit_import(*, batch_id: str, progress_id: str) -> dict[str, Any]:
    """Write a checked batch in one transaction: all of it, or, on any error, none."""
    batch = ImportBatch.objects.filter(pk=batch_id, state=State.COMMITTING).first()
    if batch is None:
        core_services.task_progress_finish(
            progress_id=progress_id, message="This import has moved on.", failed=True
        )
        return {}
    importer = importer_for(batch.kind)
    progress = Progress(progress_id)
    try:
        prepared = importer.prepare(batch, progress=progress)
        with transaction.atomic():
            result = importer.commit(prepared, progress=progress)
            ImportBatch.objects.filter(pk=batch_id).update(
                state=State.COMMITTED, result=result, message=""
            )
    except ImportRefused as refusal:
        message = f"The file has problems or questions now. {NOTHING_WRITTEN}"
        ImportBatch.objects.filter(pk=batch_id).update(
            state=State.PREVIEWED, preview=refusal.preview, message=message
        )
        core_services.task_progress_finish(progress_id=progress_id, message=message, failed=True)
        return {}
    except ImportFailed as failure:
        _fail(batch_id, progress_id, f"{failure} {NOTHING_WRITTEN}")
        return {}
    except Exception:
        logger.exception("Import %s failed", batch_id)
        _fail(
            batch_id,
            progress_id,
            f"Something went wrong while importing. {NOTHING_WRITTEN} "
            "Try again, or contact the office if this happens again.",
        )
        raise
    core_services.task_progress_finish(
        progress_id=progress_id, message=result.get("summary", "Imported.")
    )
    return result
