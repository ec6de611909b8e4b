"""Background work of core: checking and writing the files people import (see
loti.core.imports, whose services enqueue these)."""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django_tasks import task

from loti.core import services as core_services
from loti.core.imports import ImportFailed, ImportRefused, Progress, importer_for
from loti.core.models import ImportBatch

logger = logging.getLogger(__name__)

State = ImportBatch.State

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
