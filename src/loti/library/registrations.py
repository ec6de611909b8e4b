"""What the library adds to the platform's shared registries: its place in the navigation,
its resources in the one search and its items on the home page."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils.http import urlencode

from loti.core import navigation, search
from loti.core.permissions import Data


def _hit(resource: Any, query: search.Query) -> search.Hit:
    authors = ", ".join(org.short_name for org in resource.organisations.all())
    return search.Hit(
        title=resource.title,
        url=resource.get_absolute_url(),
        detail=f"{resource.get_kind_display()} · {authors} · {resource.get_licence_display()}",
        snippet=search.highlight(f"{resource.summary} {resource.latest_text()}", query),
        text=f"{resource.title} {resource.summary}",
    )


def _made_by_project(project_id: Any) -> Q:
    from loti.library.models import Resource

    made = Resource.projects.through.objects.filter(project_id=project_id).values("resource_id")
    return Q(pk__in=made)


def register() -> None:
    from loti.library import home, selectors
    from loti.library.models import Resource

    navigation.register(
        label="Library",
        url_name="library:resources",
        data=Data.LIBRARY,
        order=38,
        group="Shared work",  # registered by the portfolio, beside projects and calls
    )
    search.register(
        key="library",
        heading="Library resources",
        label="Library resource",
        model=Resource,
        readable=lambda user: selectors.resources_seen_by(user).prefetch_related("organisations"),
        hit=_hit,
        order=10,
        more_url=lambda text: f"{reverse('library:resources')}?{urlencode({'q': text})}",
        # A project's page lists the resources that came from it (search.linked).
        links={"projects": _made_by_project},
    )
    home.register()
