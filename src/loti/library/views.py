"""The library's pages: open resources are public, members-only ones for members and
partners, drafts for their organisations and the office (selectors.resources_seen_by)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, render

from loti.core.access import methods
from loti.library import selectors

PER_PAGE = 20


@methods("GET")
def resources(request):
    found = selectors.search_page(
        user=request.user, params=request.GET, page=request.GET.get("page"), per_page=PER_PAGE
    )
    return render(request, "library/resource_list.html", {"found": found})


@methods("GET")
def resource_detail(request, pk):
    resource = get_object_or_404(selectors.resources_seen_by(request.user), pk=pk)
    return render(request, "library/resource_detail.html", {"resource": resource})
