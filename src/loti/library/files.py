"""Checking an uploaded file before the library keeps it: its size and its kind."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": "application/vnd.oasis.opendocument.text",
    "csv": "text/csv",
    "md": "text/markdown",
    "txt": "text/plain",
}
KINDS = "a PDF, DOCX, XLSX, ODT, CSV, Markdown or text file"


@dataclass(frozen=True)
class Checked:
    extension: str
    content_type: str
    size: int
    sha256: str


def check_upload(upload: Any) -> Checked:
    """What the library keeps of `upload`, or a ValidationError saying what is wrong."""
    extension = PurePath(upload.name or "").suffix.lower().lstrip(".")
    if extension not in CONTENT_TYPES:
        raise ValidationError(f"The selected file must be {KINDS}")
    limit = settings.LIBRARY_MAX_FILE_MEGABYTES
    if upload.size > limit * 1024 * 1024:
        raise ValidationError(f"The selected file must be smaller than {limit}MB")
    if not upload.size:
        raise ValidationError("The selected file is empty")
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return Checked(
        extension=extension,
        content_type=CONTENT_TYPES[extension],
        size=upload.size,
        sha256=digest.hexdigest(),
    )
