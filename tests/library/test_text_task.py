"""Reading a stored version's text for search (loti.library.tasks.extract_text and
loti.library.text)."""

import datetime
import uuid

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from loti.core import search
from loti.core.models import TaskProgress
from loti.library import extract, files, tasks
from loti.library.models import Kind, Licence, Resource, TextState, Version
from tests.library import documents

pytestmark = pytest.mark.django_db

DAMAGED_PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ngarbage"


def resource() -> Resource:
    return Resource.objects.create(
        title="Care technology toolkit",
        summary="How to buy it together",
        kind=Kind.TOOLKIT,
        licence=Licence.OGL,
        published_at=timezone.now(),
    )


def version(of: Resource, content: bytes, *, label: str = "1.0", name: str = "toolkit.pdf"):
    storage_name = f"{uuid.uuid4().hex}.{name.rpartition('.')[2]}"
    stored = default_storage.save(f"library/{of.pk}/{storage_name}", ContentFile(content))
    return Version.objects.create(
        resource=of,
        label=label,
        file=stored,
        storage_name=storage_name,
        file_name=name,
        content_type=files.CONTENT_TYPES[name.rpartition(".")[2]],
        size=len(content),
    )


def run(version_id: int) -> tuple[str, TaskProgress]:
    progress = TaskProgress.objects.create(label="Reading the file's text")
    state = tasks.extract_text.call(progress_id=str(progress.pk), version_id=version_id)
    progress.refresh_from_db()
    return state, progress


def found(word: str) -> list[Resource]:
    return list(search.search(Resource.objects.all(), search.parse(word)))


def test_a_readable_file_is_read_and_its_resource_found_by_its_words():
    toolkit = resource()
    made = version(toolkit, documents.pdf())
    assert found("assistive") == []

    state, progress = run(made.pk)

    made.refresh_from_db()
    assert state == TextState.READ == made.text_state
    assert documents.SENTENCE in made.text
    assert made.text_note == ""
    assert found("assistive") == [toolkit]
    assert progress.state == TaskProgress.State.SUCCEEDED
    assert progress.done == progress.total == 1
    assert progress.message == "The file's text has been read: searches now find it."


@pytest.mark.parametrize("name", ["toolkit.docx", "toolkit.odt", "toolkit.md"])
def test_other_formats_become_searchable_too(name):
    made = {"docx": documents.docx, "odt": documents.odt, "md": documents.markdown}
    toolkit = resource()
    extension = name.rpartition(".")[2]
    run(version(toolkit, made[extension](), name=name).pk)
    assert found('"assistive technology saves"') == [toolkit]


def test_a_file_whose_text_cannot_be_read_fails_only_its_text():
    toolkit = resource()
    made = version(toolkit, DAMAGED_PDF)

    state, progress = run(made.pk)

    made.refresh_from_db()
    assert state == TextState.FAILED == made.text_state
    assert made.text_note == "The file could not be read: it may be damaged"
    assert made.text == ""
    # The version, its file and its resource stay: the file can still be downloaded.
    assert Resource.objects.filter(pk=toolkit.pk).exists()
    assert default_storage.open(made.file.name).read() == DAMAGED_PDF
    assert progress.state == TaskProgress.State.SUCCEEDED
    assert progress.message == (
        "The file is saved, but it will not be found by searching for its words. "
        "The file could not be read: it may be damaged."
    )
    assert found("toolkit") == [toolkit]  # still found by its title


def test_an_older_versions_text_is_kept_but_not_searched():
    toolkit = resource()
    older = version(toolkit, documents.pdf())
    Version.objects.filter(pk=older.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=1)
    )
    newer = version(toolkit, documents.text("Nothing about that any more"), label="2.0",
                    name="toolkit.txt")  # fmt: skip

    run(older.pk)
    older.refresh_from_db()
    assert documents.SENTENCE in older.text
    assert found("assistive") == []

    run(newer.pk)
    assert found("nothing") == [toolkit]
    assert found("assistive") == []


def test_a_missing_file_is_noted():
    toolkit = resource()
    made = version(toolkit, documents.pdf())
    default_storage.delete(made.file.name)

    run(made.pk)

    made.refresh_from_db()
    assert made.text_state == TextState.FAILED
    assert made.text_note == "The file could not be found, so its text could not be read"


def test_an_unexpected_error_fails_the_work_and_says_the_text_is_not_being_read(monkeypatch):
    made = version(resource(), documents.pdf())

    def broken(file, extension):
        raise RuntimeError("a bug")

    monkeypatch.setattr(extract, "text_of", broken)
    progress = TaskProgress.objects.create(label="Reading the file's text")
    with pytest.raises(RuntimeError):
        tasks.extract_text.call(progress_id=str(progress.pk), version_id=made.pk)

    progress.refresh_from_db()
    made.refresh_from_db()
    assert progress.state == TaskProgress.State.FAILED
    assert "Something went wrong reading the file's text" in progress.message
    assert made.text_state == TextState.FAILED
    assert made.text_note == "Something went wrong reading the file's text"


def test_a_deleted_version_ends_the_work():
    made = version(resource(), documents.pdf())
    Version.objects.filter(pk=made.pk).delete()

    state, progress = run(made.pk)

    assert state == ""
    assert progress.state == TaskProgress.State.FAILED
    assert progress.message == "The version was deleted first."


def test_a_link_has_no_text_to_read():
    link = Version.objects.create(resource=resource(), label="1.0", link="https://example.org/")

    state, progress = run(link.pk)

    assert state == TextState.NONE
    assert progress.message == "A link has no text to read."


def test_the_format_is_the_content_type_checked_on_upload_not_the_file_name():
    # A long name shortened to fit the field can lose its extension.
    made = version(resource(), documents.pdf(), name="toolkit.pdf")
    Version.objects.filter(pk=made.pk).update(file_name="a" * 200)
    run(made.pk)
    made.refresh_from_db()
    assert made.text_state == TextState.READ

    Version.objects.filter(pk=made.pk).update(content_type="application/octet-stream")
    run(made.pk)
    made.refresh_from_db()
    assert made.text_state == TextState.FAILED
    assert made.text_note == "Files of this type are not read for search"
