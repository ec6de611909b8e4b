"""Pages of workstreams: public to read, the office's to change."""

from __future__ import annotations

from django.shortcuts import render
from django.urls import reverse

from loti.core.access import methods, require
from loti.core.pages import form_page, save_form
from loti.core.permissions import Action, Data, can
from loti.portfolio.workstreams import selectors, services
from loti.portfolio.workstreams.forms import WorkstreamForm


@methods("GET")
def workstreams(request):
    return render(
        request,
        "portfolio/workstreams/workstream_list.html",
        {
            "workstreams": selectors.workstream_list(),
            "can_manage": can(request.user, Data.PROJECTS, Action.WRITE),
        },
    )


def _workstream_page(request, form, *, title: str, save, success: str):
    saved = save_form(
        request,
        form,
        save=save,
        success=lambda workstream: success.format(name=workstream.name),
        then=lambda _: reverse("portfolio:workstreams"),
    )
    return saved or form_page(
        request,
        form,
        title=title,
        cancel_url=reverse("portfolio:workstreams"),
        breadcrumbs=[("Workstreams", reverse("portfolio:workstreams"))],
    )


@require(Data.PROJECTS, Action.WRITE)
@methods("GET", "POST")
def workstream_create(request):
    return _workstream_page(
        request,
        WorkstreamForm(request.POST or None),
        title="Add a workstream",
        save=lambda data: services.workstream_create(actor=request.user, **data),
        success="{name} has been added.",
    )


@require(Data.PROJECTS, Action.WRITE)
@methods("GET", "POST")
def workstream_edit(request, slug):
    workstream = selectors.workstream_for(slug=slug)
    initial = {name: getattr(workstream, name) for name in WorkstreamForm.base_fields}
    return _workstream_page(
        request,
        WorkstreamForm(request.POST or None, initial=initial),
        title=f"Change {workstream.name}",
        save=lambda data: services.workstream_update(
            actor=request.user, workstream=workstream, **data
        ),
        success="{name} has been updated.",
    )
