"""Fixtures shared by the library's test modules: uploads, and a record of the background
work the services start (the work itself, reading a file's text, is tested on its own)."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from loti.library import services
from loti.library.models import Kind, Licence


def text_file(name="guide.txt", content=b"How to reuse the housing repairs specification.\n"):
    return SimpleUploadedFile(name, content, content_type="text/plain")


def stored_files() -> list[Path]:
    """Every file the library has stored, in the run's own media folder."""
    root = Path(settings.MEDIA_ROOT) / "library"
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


def make_resource(actor, organisations, *, publish=True, licence=Licence.OGL, **fields):
    values = {
        "title": "Housing repairs specification",
        "summary": "What a repairs system must do, as Barnet specified it.",
        "kind": Kind.SPECIFICATION,
        "licence": licence,
    } | fields
    return services.resource_create(
        actor=actor,
        organisations=organisations,
        publish=publish,
        version={"label": "1.0", "upload": text_file()},
        **values,
    )


@pytest.fixture(autouse=True)
def started(monkeypatch):
    """The tasks the services start, as (task path, keyword arguments)."""
    calls = []
    monkeypatch.setattr(services, "task_start", lambda path, **kwargs: calls.append((path, kwargs)))
    return calls
