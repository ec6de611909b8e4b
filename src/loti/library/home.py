"""The library on the home page: the drafts of the person's organisation (all drafts, for the
office), waiting to be published, and what the library has published lately."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from loti.core import home
from loti.core.permissions import OWN, Action, Data, is_office, scope
from loti.library import selectors
from loti.library.models import Resource

SHOWN = 5
NEW_WITHIN = datetime.timedelta(days=90)


def _drafts(user: Any) -> QuerySet[Resource]:
    # resources_seen_by gives a member their organisation's drafts and the office all.
    return (
        selectors.resources_seen_by(user)
        .filter(published_at__isnull=True)
        .order_by("-updated_at", "-pk")
    )


def _draft_row(resource: Resource) -> home.Row:
    return home.Row(
        text=resource.title,
        url=resource.get_absolute_url(),
        tag="Draft",
        tag_colour="grey",
        detail=f"Last changed {home.day(timezone.localdate(resource.updated_at))}",
    )


def own_drafts(user: Any) -> home.Rows | None:
    if scope(user, Data.LIBRARY, Action.WRITE) != OWN or not user.organisation_id:
        return None
    return home.rows_of(_drafts(user), limit=SHOWN, row=_draft_row)


def all_drafts(user: Any) -> home.Rows | None:
    if not is_office(user):
        return None
    return home.rows_of(_drafts(user), limit=SHOWN, row=_draft_row)


def new_resources(user: Any) -> home.Rows:
    published = (
        selectors.resources_seen_by(user)
        .filter(published_at__gte=timezone.now() - NEW_WITHIN)
        .order_by("-published_at", "-pk")
    )
    return home.rows_of(
        published,
        limit=SHOWN,
        row=lambda resource: home.Row(
            text=resource.title,
            url=resource.get_absolute_url(),
            tag=f"Published {home.day(timezone.localdate(resource.published_at))}",
            tag_colour="grey",
            detail=resource.get_kind_display(),
        ),
        more_url=reverse("library:resources"),
    )


def register() -> None:
    home.register(
        key="library-own-drafts",
        heading="Your organisation's draft resources",
        section=home.ORGANISATION,
        order=60,
        rows=own_drafts,
        empty="Your organisation has no draft in the library.",
    )
    home.register(
        key="library-drafts",
        heading="Draft resources in the library",
        section=home.CONSORTIUM,
        order=60,
        rows=all_drafts,
        empty="No organisation has a draft in the library.",
    )
    home.register(
        key="library-new",
        heading="New in the library",
        section=home.RECENT,
        order=40,
        rows=new_resources,
        empty="Nothing has been published in the library in the last 90 days.",
    )
