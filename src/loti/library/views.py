"""The library's pages: open resources are public, members-only ones for members and
partners, drafts for their organisations and the office (selectors.resources_seen_by)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from loti.core import selectors as core_selectors
from loti.core.access import methods, require
from loti.core.pages import form_page, posted, save_form
from loti.core.permissions import Action, Data, can
from loti.library import files, selectors, services
from loti.library.forms import ResourceCreateForm, ResourceForm, VersionForm
from loti.library.models import TextState

PER_PAGE = 20
UPLOAD_FORM = "library/upload_form.html"


@methods("GET")
def resources(request):
    found = selectors.search_page(
        user=request.user, params=request.GET, page=request.GET.get("page"), per_page=PER_PAGE
    )
    return render(
        request,
        "library/resource_list.html",
        {"found": found, "can_add": can(request.user, Data.LIBRARY, Action.WRITE)},
    )


def crumbs(*extra: tuple[str, str]) -> list[tuple[str, str]]:
    return [("Library", reverse("library:resources")), *extra]


def _resource(request, pk, *, write: bool = False):
    """The resource if the visitor may read it (else 404) and, for a write, change it (else
    403: they can see it is there)."""
    resource = get_object_or_404(selectors.resources_seen_by(request.user), pk=pk)
    if write and not services.can_write(request.user, resource):
        raise PermissionDenied
    return resource


@methods("GET")
def resource_detail(request, pk):
    resource = _resource(request, pk)
    versions = list(resource.versions.select_related("created_by", "text_progress"))
    for version in versions:
        version.type_name = files.type_name(version.content_type)
        # Reading a file's text is the uploader's work: they (and the office) follow it.
        version.followed = version.text_progress is not None and core_selectors.may_follow(
            request.user, version.text_progress
        )
    reuses = list(resource.reuses.select_related("organisation"))
    user = request.user
    reuser = services.may_record_reuse(user) and not any(
        organisation.pk == user.organisation_id for organisation in resource.organisations.all()
    )
    return render(
        request,
        "library/resource_detail.html",
        {
            "resource": resource,
            # A file's text is being read: the page's script follows the work's progress.
            "reading": any(
                version.followed and version.text_state == TextState.PENDING for version in versions
            ),
            "organisations": resource.organisations.all(),
            "service_areas": resource.service_areas.all(),
            "workstreams": resource.workstreams.all(),
            "projects": resource.projects.all(),
            "latest": versions[0] if versions else None,
            "older": versions[1:],
            "reuses": reuses,
            "may_reuse": reuser and resource.is_published,
            "reused": reuser and any(r.organisation_id == user.organisation_id for r in reuses),
            "can_write": services.can_write(user, resource),
            "history": core_selectors.audit_history(user=user, objects=[resource, *versions]),
            "breadcrumbs": crumbs(),
        },
    )


def _files(request):
    return request.FILES if request.method == "POST" else None


def _upload_page(request, form, **context):
    return render(request, UPLOAD_FORM, {"form": form, **context})


@require(Data.LIBRARY, Action.WRITE)
@methods("GET", "POST")
def resource_create(request):
    form = ResourceCreateForm(posted(request), _files(request), user=request.user)
    saved = save_form(
        request,
        form,
        save=lambda data: services.resource_create(
            actor=request.user,
            publish=data["publish"],
            version=form.version(),
            **form.resource(),
        ),
        success=lambda resource: (
            f"“{resource.title}” has been published."
            if resource.is_published
            else f"“{resource.title}” has been saved as a draft."
        ),
        then=lambda resource: resource,
    )
    return saved or _upload_page(
        request,
        form,
        title="Add a resource to the library",
        submit_label="Add resource",
        cancel_url=reverse("library:resources"),
        breadcrumbs=crumbs(),
    )


@require(Data.LIBRARY, Action.WRITE)
@methods("GET", "POST")
def resource_edit(request, pk):
    resource = _resource(request, pk, write=True)
    initial = {
        "title": resource.title,
        "summary": resource.summary,
        "kind": resource.kind,
        "licence": resource.licence,
        "organisations": list(resource.organisations.all()),
        "service_areas": list(resource.service_areas.all()),
        "workstreams": list(resource.workstreams.all()),
        "projects": list(resource.projects.all()),
    }
    form = ResourceForm(posted(request), initial=initial, user=request.user)
    saved = save_form(
        request,
        form,
        save=lambda data: services.resource_update(
            actor=request.user, resource=resource, **form.resource()
        ),
        success=lambda _: f"“{resource.title}” has been updated.",
        then=lambda _: resource,
    )
    return saved or form_page(
        request,
        form,
        title=f"Change {resource.title}",
        cancel_url=resource.get_absolute_url(),
        breadcrumbs=crumbs((resource.title, resource.get_absolute_url())),
    )


@require(Data.LIBRARY, Action.WRITE)
@methods("GET", "POST")
def resource_publish(request, pk):
    resource = _resource(request, pk, write=True)
    if request.method == "POST":
        try:
            services.resource_publish(actor=request.user, resource=resource)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"“{resource.title}” has been published.")
        return redirect(resource)
    return render(
        request,
        "library/confirm_publish.html",
        {
            "resource": resource,
            "breadcrumbs": crumbs((resource.title, resource.get_absolute_url())),
        },
    )


@require(Data.LIBRARY, Action.WRITE)
@methods("GET", "POST")
def version_create(request, pk):
    resource = _resource(request, pk, write=True)
    form = VersionForm(posted(request), _files(request))
    saved = save_form(
        request,
        form,
        save=lambda data: services.version_add(
            actor=request.user, resource=resource, **form.version()
        ),
        success=lambda version: f"Version {version.label} of “{resource.title}” has been added.",
        then=lambda _: resource,
    )
    return saved or _upload_page(
        request,
        form,
        title="Add a new version",
        caption=resource.title,
        submit_label="Add version",
        cancel_url=resource.get_absolute_url(),
        breadcrumbs=crumbs((resource.title, resource.get_absolute_url())),
    )


@methods("GET")
def version_download(request, pk, version_pk):
    resource = _resource(request, pk)
    version = get_object_or_404(resource.versions, pk=version_pk)
    if version.is_link:
        if not version.link.startswith("https://"):
            raise Http404
        return redirect(version.link)
    try:
        handle = version.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=version.file_name,
        content_type=version.content_type or "application/octet-stream",
    )
    # A file someone uploaded is only ever saved, never shown or run in the site's origin.
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    return response


@require(Data.LIBRARY, Action.WRITE)
@methods("POST")
def reuse_record(request, pk):
    resource = _resource(request, pk)
    try:
        services.reuse_record(actor=request.user, resource=resource)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, f"Thank you: {request.user.organisation.short_name}’s reuse has been recorded."
        )
    return redirect(resource)


@require(Data.LIBRARY, Action.WRITE)
@methods("POST")
def reuse_withdraw(request, pk):
    resource = _resource(request, pk)
    services.reuse_withdraw(actor=request.user, resource=resource)
    messages.success(
        request, f"{request.user.organisation.short_name}’s reuse is no longer recorded."
    )
    return redirect(resource)
