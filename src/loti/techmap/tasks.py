"""Background work for the technology map."""

from __future__ import annotations

import logging

from django_tasks import task

from loti.core import services as core_services
from loti.techmap import services
from loti.techmap.models import OcdsImport

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
        report = services.ocds_import_run(upload=upload, progress_id=progress_id)
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
