"""Writes for the library, each through the audit trail and all or nothing.

Officers and leads write the resources their own organisation made (or helped make); the
office writes any; partners and the public none. An actor of None is the system itself (the
demo, commands), which may do what the office does.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from pathlib import PurePath
from typing import Any

from django.core.exceptions import PermissionDenied, SuspiciousFileOperation, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import get_valid_filename

from loti.core import audit, search
from loti.core.permissions import ALL, OWN, Action, Data, scope
from loti.core.services import task_start
from loti.library import files
from loti.library.models import Resource, Reuse, TextState, Version

# The Resource fields that are relations, set after the record is saved.
RELATIONS = ("organisations", "service_areas", "workstreams", "projects")


def _organisation_ids(organisations: Iterable[Any]) -> set[int]:
    return {getattr(organisation, "pk", organisation) for organisation in organisations}


def may_write(actor: Any, organisation_ids: Iterable[int]) -> bool:
    """May `actor` write a resource made by `organisation_ids`: the office any, a member
    only one their own organisation is among the authors of."""
    if actor is None:
        return True
    granted = scope(actor, Data.LIBRARY, Action.WRITE)
    if granted == ALL:
        return True
    own = getattr(actor, "organisation_id", None)
    return granted == OWN and own is not None and own in set(organisation_ids)


def can_write(actor: Any, resource: Resource) -> bool:
    return may_write(actor, resource.organisations.values_list("pk", flat=True))


def may_record_reuse(actor: Any) -> bool:
    """Reuse is recorded by a member organisation's people, for their own organisation:
    the office and partners reuse nothing on a member's behalf."""
    return (
        actor is not None
        and scope(actor, Data.LIBRARY, Action.WRITE) == OWN
        and getattr(actor, "organisation_id", None) is not None
    )


def _check_write(actor: Any, resource: Resource) -> None:
    if not can_write(actor, resource):
        raise PermissionDenied


def _check_authors(actor: Any, organisations: Iterable[Any]) -> list[Any]:
    organisations = list(organisations)
    if not organisations:
        raise ValidationError({"organisations": "Select the organisations that made it"})
    if not may_write(actor, _organisation_ids(organisations)):
        # A member may not leave their own organisation out: they would lose the resource.
        raise PermissionDenied
    return organisations


@transaction.atomic
def resource_create(
    *,
    actor: Any,
    title: str,
    summary: str,
    kind: str,
    licence: str,
    organisations: Iterable[Any],
    service_areas: Iterable[Any] = (),
    workstreams: Iterable[Any] = (),
    projects: Iterable[Any] = (),
    publish: bool = False,
    version: dict[str, Any] | None = None,
) -> Resource:
    """A new resource, a draft unless `publish`. With `version` (the keyword arguments of
    `version_add`), its first version too: both are saved, or neither."""
    organisations = _check_authors(actor, organisations)
    resource = audit.create(
        actor=actor,
        obj=Resource(
            title=title.strip(),
            summary=summary.strip(),
            kind=kind,
            licence=licence,
            published_at=timezone.now() if publish else None,
            created_by=actor if getattr(actor, "pk", None) else None,
        ),
    )
    resource.organisations.set(organisations)
    resource.service_areas.set(list(service_areas))
    resource.workstreams.set(list(workstreams))
    resource.projects.set(list(projects))
    if version is not None:
        # Last, so that nothing after the file is stored can fail and leave it behind.
        version_add(actor=actor, resource=resource, **version)
    else:
        search.index(resource)
    return resource


@transaction.atomic
def resource_update(*, actor: Any, resource: Resource, **fields: Any) -> Resource:
    """Change a resource's details and, when given, its authors, service areas, workstreams
    and projects."""
    _check_write(actor, resource)
    relations = {name: fields.pop(name) for name in RELATIONS if name in fields}
    if "organisations" in relations:
        relations["organisations"] = _check_authors(actor, relations["organisations"])
    for name in ("title", "summary"):
        if name in fields:
            fields[name] = fields[name].strip()
    resource = audit.update(actor=actor, obj=resource, updated_at=timezone.now(), **fields)
    for name, related in relations.items():
        getattr(resource, name).set(list(related))
    search.index(resource)
    return resource


def resource_publish(*, actor: Any, resource: Resource) -> Resource:
    """Publish a draft: from now on, whoever its licence allows reads it."""
    _check_write(actor, resource)
    if resource.is_published:
        raise ValidationError(f"{resource} is already published")
    if not resource.versions.exists():
        raise ValidationError(f"Add a version of {resource} before publishing it")
    now = timezone.now()
    with transaction.atomic():
        resource = audit.update(actor=actor, obj=resource, published_at=now, updated_at=now)
        # Its index entry carries published_at, which readable querysets filter on.
        search.index(resource)
    return resource


def _file_name(uploaded: str, extension: str) -> str:
    """The uploaded file's own name, made safe to send back as a download's name: no
    folders, no characters a file system or a header would trip on."""
    name = PurePath(uploaded.replace("\\", "/")).name
    try:
        safe = get_valid_filename(name)
    except SuspiciousFileOperation:
        safe = ""
    if not safe or PurePath(safe).suffix.lower() != f".{extension}":
        safe = f"resource.{extension}"
    stem = PurePath(safe).stem[: 190 - len(extension)]
    return f"{stem}.{extension}"


def _version_errors(resource: Resource, label: str, upload: Any, link: str) -> dict[str, str]:
    errors = {}
    if not label:
        errors["label"] = "Enter the version, for example 1.0 or March 2026"
    elif resource.versions.filter(label=label).exists():
        errors["label"] = f"{resource} already has a version {label}: give this one another"
    if upload and link:
        errors["upload"] = "Upload a file or give a web address, not both"
    elif not upload and not link:
        errors["upload"] = "Upload a file or give the web address where it is published"
    elif link and not link.startswith("https://"):
        # Said before the model's own checks, which would also call it not a valid URL.
        errors["link"] = "Enter a web address starting with https://"
    return errors


@transaction.atomic
def version_add(
    *,
    actor: Any,
    resource: Resource,
    label: str,
    changes: str = "",
    upload: Any = None,
    link: str = "",
) -> Version:
    """A new version of `resource`, which becomes its latest: an uploaded file (checked,
    then stored under a random name and read for search in the background) or a link."""
    _check_write(actor, resource)
    label, link = label.strip(), link.strip()
    errors = _version_errors(resource, label, upload, link)
    if errors:
        raise ValidationError(errors)
    version = Version(
        resource=resource,
        label=label,
        changes=changes.strip(),
        link=link,
        text_state=TextState.NONE,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    if upload:
        try:
            checked = files.check_upload(upload)
        except ValidationError as error:
            raise ValidationError({"upload": error.messages}) from error
        version.storage_name = f"{secrets.token_hex(16)}.{checked.extension}"
        version.file_name = _file_name(upload.name or "", checked.extension)
        version.content_type = checked.content_type
        version.size = checked.size
        version.sha256 = checked.sha256
        version.text_state = TextState.PENDING
        # Saving the record stores the file, at version_path (by storage_name).
        version.file = upload
    try:
        audit.create(actor=actor, obj=version)
        Resource.objects.filter(pk=resource.pk).update(updated_at=timezone.now())
        search.index(resource)
        if version.file:
            version.text_progress = task_start(
                "loti.library.tasks.extract_text",
                label=f"Reading the text of {resource} {label}",
                requested_by=actor if getattr(actor, "pk", None) else None,
                result_url=resource.get_absolute_url(),
                version_id=version.pk,
            )
            Version.objects.filter(pk=version.pk).update(text_progress=version.text_progress)
    except BaseException:
        # The transaction is undone, so its record goes: the stored file goes with it.
        if version.file and version.file._committed:
            version.file.storage.delete(version.file.name)
        raise
    return version


@transaction.atomic
def reuse_record(*, actor: Any, resource: Resource) -> Reuse:
    """Say the actor's organisation reused `resource`: once per organisation, so saying it
    again changes nothing."""
    if not may_record_reuse(actor):
        raise PermissionDenied
    if not resource.is_published:
        raise ValidationError("Only a published resource can be reused")
    if resource.organisations.filter(pk=actor.organisation_id).exists():
        raise ValidationError("Your organisation made this resource, so it cannot reuse it")
    existing = Reuse.objects.filter(resource=resource, organisation_id=actor.organisation_id)
    if existing.exists():
        return existing.get()
    return audit.create(
        actor=actor,
        obj=Reuse(resource=resource, organisation_id=actor.organisation_id, recorded_by=actor),
    )


@transaction.atomic
def reuse_withdraw(*, actor: Any, resource: Resource) -> None:
    """Take back the actor's organisation's reuse of `resource`, if it recorded one."""
    if not may_record_reuse(actor):
        raise PermissionDenied
    for reuse in Reuse.objects.filter(resource=resource, organisation_id=actor.organisation_id):
        audit.delete(actor=actor, obj=reuse)
