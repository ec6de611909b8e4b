"""Background work for the library."""

from __future__ import annotations

import logging

from django_tasks import task

from loti.core import services as core_services
from loti.library import text
from loti.library.models import TextState

logger = logging.getLogger(__name__)


@task()
def extract_text(*, progress_id: str, version_id: int) -> str:
    """Read a new version's text for search; returns its text state."""
    core_services.task_progress_start(progress_id=progress_id, total=1)
    try:
        version = text.version_text_read(version_id=version_id)
    except Exception:
        logger.exception("Reading the text of library version %s failed", version_id)
        text.version_text_failed(version_id=version_id)
        core_services.task_progress_finish(
            progress_id=progress_id,
            message="Something went wrong reading the file's text. The file is saved and "
            "can be downloaded, but it will not be found by searching for its words.",
            failed=True,
        )
        raise
    if version is None:
        core_services.task_progress_finish(
            progress_id=progress_id, message="The version was deleted first.", failed=True
        )
        return ""
    core_services.task_progress_advance(progress_id=progress_id)
    if version.text_state == TextState.FAILED:
        # The upload itself succeeded: the file is kept and downloadable.
        message = (
            f"The file is saved, but it will not be found by searching for its words. "
            f"{version.text_note}."
        )
    elif version.text_state == TextState.NONE:
        message = "A link has no text to read."
    else:
        message = "The file's text has been read: searches now find it."
    core_services.task_progress_finish(progress_id=progress_id, message=message)
    return version.text_state
