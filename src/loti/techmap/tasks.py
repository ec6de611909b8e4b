"""Background work for the technology map."""

from __future__ import annotations

import io
import logging

from django_tasks import task

from loti.core import services as core_services
from loti.techmap.models import OcdsImport
from loti.techmap.ocds import importing

logger = logging.getLogger(__name__)


@task()
def import_ocds_upload(*, import_id: int, progress_id: str) -> bool:
    upload = OcdsImport.objects.filter(pk=import_id).first()
    if upload is None:
        core_services.task_progress_finish(
            progress_id=progress_id, message="The upload was deleted first.", failed=True
        )
        return False
    try:
        report = _import(upload, progress_id)
    except Exception:
        logger.exception("Importing the notices in %s failed", upload.filename)
        OcdsImport.objects.filter(pk=import_id).update(state=OcdsImport.State.FAILED)
        core_services.task_progress_finish(
            progress_id=progress_id,
            message="Something went wrong, so nothing was imported. Try again, or tell us.",
            failed=True,
        )
        raise
    return report.imported


def _import(upload: OcdsImport, progress_id: str) -> importing.Report:
    """Import an uploaded file (see services.ocds_import_start). The file is read twice: first to
    check every release, outside any transaction, so that the progress bar moves as it goes
    (the first half); then imported in one transaction, whose progress is seen when it ends."""
    content = bytes(upload.content)
    OcdsImport.objects.filter(pk=upload.pk).update(state=OcdsImport.State.RUNNING)
    core_services.task_progress_start(progress_id=progress_id, total=2 * len(content))
    done = 0

    def advance(position: int) -> None:
        nonlocal done
        if position > done:
            core_services.task_progress_advance(progress_id=progress_id, by=position - done)
            done = position

    report = importing.check(io.BytesIO(content), progress=advance)
    advance(len(content))
    if report.imported:
        report = importing.import_ocds(
            io.BytesIO(content), progress=lambda position: advance(len(content) + position)
        )
        advance(2 * len(content))
    state = OcdsImport.State.SUCCEEDED if report.imported else OcdsImport.State.FAILED
    # The report is what is kept; the file, which may be large, is not needed again.
    OcdsImport.objects.filter(pk=upload.pk).update(
        state=state, report=report.as_dict(), content=b""
    )
    core_services.task_progress_finish(
        progress_id=progress_id, message=report.summary(), failed=not report.imported
    )
    return report
