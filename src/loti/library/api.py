"""The library over the API: resources read under the same visibility as the pages
(`selectors.resources_seen_by`), found with the same search, and created and given new
versions by members for their own organisation (the office for any)."""

import datetime
import json
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, reverse
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.errors import ValidationError as NinjaValidationError
from ninja.pagination import paginate
from pydantic import StrictBool
from pydantic import ValidationError as PydanticValidationError

from loti.core.api import ERRORS, Pagination, Payload, Text, public_or_token, token_auth, user_of
from loti.core.permissions import Action, Data, can
from loti.library import selectors, services
from loti.library.models import Kind, Licence, Resource, Version
from loti.members import selectors as member_selectors
from loti.portfolio.projects import selectors as project_selectors
from loti.portfolio.workstreams import selectors as workstream_selectors
from loti.techmap import selectors as techmap_selectors

router = Router(tags=["library"])

# A database id: larger numbers name nothing, and are refused before they reach a query.
Id = Annotated[int, Path(ge=1, le=2_147_483_647)]
Slugs = Annotated[list[Text], Field(default_factory=list, max_length=100)]


class VersionOut(Schema):
    id: int
    label: str
    changes: str
    created_at: datetime.datetime
    file_name: str = Field(description="The uploaded file's name; empty for a link")
    content_type: str
    size: int | None
    sha256: str
    link: str = Field(description="The web address of a version that is a link")
    text_state: str = Field(
        description="Whether the file's text is searchable: pending, read, failed or none (a link)"
    )
    download_url: str | None = Field(description="Where the file is downloaded; none for a link")

    @staticmethod
    def resolve_download_url(obj: Version) -> str | None:
        return None if obj.is_link else download_url(obj)


def download_url(version: Version) -> str:
    try:
        return reverse("library:version_download", args=[version.resource_id, version.pk])
    except NoReverseMatch:
        # The downloads' page arrives with the library's pages, at this address.
        return f"/library/{version.resource_id}/versions/{version.pk}/download/"


class ResourceOut(Schema):
    id: int
    title: str
    summary: str
    kind: str
    licence: str
    organisations: list[str] = Field(description="The author organisations' slugs")
    service_areas: list[str]
    workstreams: list[str]
    projects: list[str]
    published_at: datetime.datetime | None = Field(description="Empty while a draft")
    created_at: datetime.datetime
    updated_at: datetime.datetime
    url: str = Field(description="The resource's page")

    @staticmethod
    def resolve_organisations(obj: Resource) -> list[str]:
        return [organisation.slug for organisation in obj.organisations.all()]

    @staticmethod
    def resolve_service_areas(obj: Resource) -> list[str]:
        return [area.slug for area in obj.service_areas.all()]

    @staticmethod
    def resolve_workstreams(obj: Resource) -> list[str]:
        return [workstream.slug for workstream in obj.workstreams.all()]

    @staticmethod
    def resolve_projects(obj: Resource) -> list[str]:
        return [project.slug for project in obj.projects.all()]

    @staticmethod
    def resolve_url(obj: Resource) -> str:
        return obj.get_absolute_url()


class ResourceDetailOut(ResourceOut):
    versions: list[VersionOut] = Field(description="Newest first: the first is the latest")

    @staticmethod
    def resolve_versions(obj: Resource) -> list[Version]:
        return list(obj.versions.all())


class ResourceIn(Payload):
    title: Text = Field(min_length=1, max_length=200)
    summary: Text = Field(min_length=1, max_length=10_000)
    kind: Kind
    licence: Licence
    organisations: Slugs = Field(
        description="The author organisations' slugs; your own organisation if none are given"
    )
    service_areas: Slugs = Field(description="Service-area slugs")
    workstreams: Slugs = Field(description="Workstream slugs")
    projects: Slugs = Field(description="Project slugs")
    publish: StrictBool = Field(False, description="Publish now, or keep it a draft")


class LinkVersionIn(Payload):
    label: Text = Field(min_length=1, max_length=40)
    changes: Text = Field("", max_length=10_000)
    link: Text = Field(min_length=1, max_length=500, description="An https web address")


class Filters(Schema):
    q: str | None = Field(None, max_length=10_000, description="Words to search for")
    kind: Kind | None = None
    licence: Licence | None = None
    service_area: Text | None = Field(None, max_length=100, description="A service area's slug")
    workstream: Text | None = Field(None, max_length=100, description="A workstream's slug")
    organisation: Text | None = Field(
        None, max_length=100, description="An author organisation's slug"
    )
    year: int | None = Field(
        None,
        ge=1900,
        le=2999,
        description="The year it was published (a draft: the year it was started)",
    )


def _named(found: Any, slugs: list[str], *, field: str, noun: str) -> list[Any]:
    """The records `slugs` name, or a 400 naming those that name nothing."""
    records = list(found.filter(slug__in=slugs)) if slugs else []
    unknown = sorted(set(slugs) - {record.slug for record in records})
    if unknown:
        raise ValidationError({field: [f"There is no {noun} {slug!r}" for slug in unknown]})
    return records


def _one(found: Any, slug: str | None, *, field: str, noun: str) -> Any:
    return _named(found, [slug], field=field, noun=noun)[0] if slug else None


def _search(user: Any, filters: Filters) -> Any:
    """The library's search (selectors.resource_search) for `filters`, each slug checked
    first so that one naming nothing is a 400 saying which, not an empty list."""
    for found, slug, field, noun in [
        (member_selectors.organisations(), filters.organisation, "organisation", "organisation"),
        (techmap_selectors.service_areas(), filters.service_area, "service_area", "service area"),
        (workstream_selectors.workstream_list(), filters.workstream, "workstream", "workstream"),
    ]:
        _one(found, slug, field=field, noun=noun)
    return selectors.resource_search(
        user=user,
        text=filters.q or "",
        kind=filters.kind or "",
        licence=filters.licence or "",
        service_area=filters.service_area or "",
        workstream=filters.workstream or "",
        organisation=filters.organisation or "",
        year=filters.year,
        prefetch=("organisations", "service_areas", "workstreams", "projects"),
    )


@router.get(
    "/library/resources",
    response={200: list[ResourceOut], **ERRORS},
    auth=public_or_token,
)
@paginate(Pagination)
def list_resources(request, filters: Query[Filters]):
    """The resources you may read: open-licence ones for everyone, members-only ones for
    members and partners, and your organisation's drafts. With `q`, those that match every
    word (or quoted phrase), best first; otherwise newest first."""
    return _search(user_of(request), filters)


def _readable(request: HttpRequest, resource_id: int) -> Resource:
    """A resource the caller may read, or a 404: one they may not is not there for them."""
    return get_object_or_404(
        selectors.resources_seen_by(user_of(request)).prefetch_related(
            "organisations", "service_areas", "workstreams", "projects", "versions"
        ),
        pk=resource_id,
    )


@router.get(
    "/library/resources/{resource_id}",
    response={200: ResourceDetailOut, **ERRORS},
    auth=public_or_token,
)
def get_resource(request, resource_id: Id):
    return _readable(request, resource_id)


@router.post("/library/resources", response={201: ResourceDetailOut, **ERRORS}, auth=token_auth)
def create_resource(request, payload: ResourceIn):
    """Add a resource for your organisation (the office: for any). Add its first version
    with `POST /library/resources/{resource_id}/versions`."""
    user = user_of(request)
    if not can(user, Data.LIBRARY, Action.WRITE):
        raise PermissionDenied
    slugs = payload.organisations or ([user.organisation.slug] if user.organisation_id else [])
    resource = services.resource_create(
        actor=user,
        title=payload.title,
        summary=payload.summary,
        kind=payload.kind,
        licence=payload.licence,
        organisations=_named(
            member_selectors.organisations(), slugs, field="organisations", noun="organisation"
        ),
        service_areas=_named(
            techmap_selectors.service_areas(),
            payload.service_areas,
            field="service_areas",
            noun="service area",
        ),
        workstreams=_named(
            workstream_selectors.workstream_list(),
            payload.workstreams,
            field="workstreams",
            noun="workstream",
        ),
        projects=_named(
            project_selectors.project_choices(), payload.projects, field="projects", noun="project"
        ),
        publish=payload.publish,
    )
    return Status(201, _readable(request, resource.pk))


# The upload's body is read by the operation itself (a file, or a link as JSON), so its two
# forms are described here for the published schema.
VERSION_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["label", "upload"],
                    "properties": {
                        "label": {"type": "string", "maxLength": 40},
                        "changes": {"type": "string", "maxLength": 10_000},
                        "upload": {"type": "string", "format": "binary"},
                    },
                }
            },
            "application/json": {"schema": LinkVersionIn.model_json_schema()},
        },
    }
}


def _refused(problems: list[dict[str, Any]]) -> NinjaValidationError:
    """A 422 for a body of the wrong shape, as ninja answers for the other operations."""
    return NinjaValidationError(problems)


def _problem(field: str, message: str) -> dict[str, Any]:
    return {"type": "value_error", "loc": ["body", field], "msg": message}


def _version_fields(request: HttpRequest) -> dict[str, Any]:
    """The new version's fields from the body: a multipart upload, or a link as JSON."""
    if request.content_type == "multipart/form-data":
        try:
            form, files = request.POST, request.FILES
        except MultiPartParserError as error:
            raise _refused(
                [_problem("upload", f"The upload could not be read: {error}")]
            ) from error
        label, changes = form.get("label", "").strip(), form.get("changes", "")
        problems = []
        if not label:
            problems.append(_problem("label", "Enter a version label"))
        elif len(label) > 40 or "\x00" in label:
            problems.append(_problem("label", "Use at most 40 characters, with no NUL"))
        if len(changes) > 10_000 or "\x00" in changes:
            problems.append(_problem("changes", "Use at most 10,000 characters, with no NUL"))
        if "upload" not in files:
            problems.append(_problem("upload", "Select a file"))
        if problems:
            raise _refused(problems)
        return {"label": label, "changes": changes, "upload": files["upload"]}
    if request.content_type == "application/json":
        try:
            payload = LinkVersionIn.model_validate(json.loads(request.body))
        except PydanticValidationError as error:
            raise _refused(
                [
                    {**problem, "loc": ["body", *problem["loc"]]}
                    for problem in error.errors(
                        include_url=False, include_context=False, include_input=False
                    )
                ]
            ) from error
        except ValueError as error:
            # Not JSON, or not UTF-8: a 400, as ninja answers a body it cannot parse.
            raise ValidationError(
                "Cannot parse request body: send a JSON object with label, changes and link"
            ) from error
        return {"label": payload.label, "changes": payload.changes, "link": payload.link}
    raise _refused(
        [_problem("", "Send a file as multipart/form-data, or a link as application/json")]
    )


@router.post(
    "/library/resources/{resource_id}/versions",
    response={201: VersionOut, **ERRORS},
    auth=token_auth,
    openapi_extra=VERSION_BODY,
)
def add_version(request, resource_id: Id):
    """Add a version: upload a file (PDF, DOCX, XLSX, ODT, CSV, Markdown or plain text) as
    multipart/form-data with `label`, `changes` and `upload` (the file), or send a link as JSON with
    `label`, `changes` and `link` (https only). The newest version is the one people get."""
    resource = _readable(request, resource_id)
    if not services.can_write(user_of(request), resource):
        raise PermissionDenied
    version = services.version_add(
        actor=user_of(request), resource=resource, **_version_fields(request)
    )
    return Status(201, version)
