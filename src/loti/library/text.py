"""Keeping a version's text: read from its stored file for search, after it is uploaded (see
tasks.extract_text). A file whose text cannot be read stays downloadable; its version says
why it is not searchable."""

from __future__ import annotations

import logging

from django.core.files.storage import default_storage
from django.db import transaction

from loti.core import search
from loti.library import extract, files
from loti.library.models import Resource, TextState, Version

logger = logging.getLogger(__name__)

MISSING = "The file could not be found, so its text could not be read"
WENT_WRONG = "Something went wrong reading the file's text"


def version_text_read(*, version_id: int) -> Version | None:
    """Read the text of version `version_id`'s file and keep it, or why it could not be read;
    re-index its resource when it is still the latest version (an older version's text is
    kept, not searched). None when the version has gone."""
    version = Version.objects.filter(pk=version_id).first()
    if version is None:
        return None
    if not version.file:
        return _keep(version, text="", state=TextState.NONE, note="")
    try:
        with default_storage.open(version.file.name, "rb") as handle:
            found = extract.text_of(handle, files.EXTENSIONS.get(version.content_type, ""))
    except extract.Unreadable as unreadable:
        return _keep(version, text="", state=TextState.FAILED, note=unreadable.note)
    except FileNotFoundError:
        logger.warning("The file of library version %s is missing", version.pk)
        return _keep(version, text="", state=TextState.FAILED, note=MISSING)
    return _keep(version, text=found, state=TextState.READ, note="")


def version_text_failed(*, version_id: int, note: str = WENT_WRONG) -> None:
    """Record that reading a version's text stopped with an unexpected error, so its page
    does not say it is still being read."""
    Version.objects.filter(pk=version_id, text_state=TextState.PENDING).update(
        text_state=TextState.FAILED, text_note=note
    )


def _keep(version: Version, *, text: str, state: str, note: str) -> Version | None:
    with transaction.atomic():
        # Locked, so that a version added meanwhile is either seen here as the latest, or
        # adds itself after this one's text is indexed.
        resource = Resource.objects.select_for_update().filter(pk=version.resource_id).first()
        if resource is None:
            return None
        if not Version.objects.filter(pk=version.pk).update(
            text=text, text_state=state, text_note=note[:300]
        ):
            return None
        version.text, version.text_state, version.text_note = text, state, note[:300]
        latest = resource.latest_version()
        if latest is not None and latest.pk == version.pk:
            search.index(resource)
    return version
