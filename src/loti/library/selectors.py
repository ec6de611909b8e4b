"""Reading the library: which resources a person may read, decided here once."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, prefetch_related_objects
from django.db.models.functions import Coalesce, ExtractYear
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.safestring import SafeString
from modelsearch.backends import get_search_backend

from loti.core import search
from loti.core.permissions import Action, Data, can, is_office, scope
from loti.library.models import Kind, Licence, Resource, Reuse, Version
from loti.members import selectors as members_selectors
from loti.portfolio.workstreams import selectors as workstream_selectors
from loti.techmap import selectors as techmap_selectors

OPEN_LICENCES = [choice for choice in Licence.values if choice != Licence.MEMBERS_ONLY]


def resources_seen_by(user: Any) -> QuerySet[Resource]:
    """The resources `user` may read: published open-licence ones for everyone, published
    members-only ones for signed-in members and partners, and drafts for the office and the
    people of the draft's organisations."""
    resources = Resource.objects.all()
    if is_office(user):
        return resources
    seen = Q(pk__in=[])
    if can(user, Data.LIBRARY):
        seen |= Q(published_at__isnull=False, licence__in=OPEN_LICENCES)
    if can(user, Data.LIBRARY_MEMBERS):
        seen |= Q(published_at__isnull=False)
    if scope(user, Data.LIBRARY, Action.WRITE) and user.organisation_id:
        authored = Resource.organisations.through.objects.filter(
            organisation_id=user.organisation_id
        ).values("resource_id")
        seen |= Q(pk__in=authored)
    return resources.filter(seen)


# The library's own search page: words, filters, and how many each filter's choices show.

FILTERS = ("kind", "licence", "service_area", "workstream", "organisation", "year")
FILTER_ERRORS = {
    "kind": "Choose a kind of resource from the list",
    "licence": "Choose a licence from the list",
    "service_area": "Choose a service area from the list",
    "workstream": "Choose a workstream from the list",
    "organisation": "Choose an author from the list",
    "year": "Enter a year as 4 digits, like 2025",
}
NO_WORDS = "Enter words to search for"
TITLE_CHARS = Resource._meta.get_field("title").max_length
# What a slug in the address may be before the database is asked about it: PostgreSQL
# refuses a NUL byte in a query's parameters, and a long string is nobody's slug.
SLUG = re.compile(r"[-a-zA-Z0-9_]{1,100}")
YEAR = re.compile(r"[0-9]{4}")


def _with_year(resources: QuerySet[Resource]) -> QuerySet[Resource]:
    # A draft has no publication date: it belongs to the year it was started.
    return resources.annotate(year=ExtractYear(Coalesce("published_at", "created_at")))


def _filtered(
    resources: QuerySet[Resource],
    *,
    kind: str = "",
    licence: str = "",
    service_area: str = "",
    workstream: str = "",
    organisation: str = "",
    year: int | None = None,
) -> QuerySet[Resource]:
    # modelsearch searches only querysets filtered on declared FilterFields: relations and
    # the year narrow through `pk__in` a subquery, on the declared `id`.
    if kind:
        resources = resources.filter(kind=kind)
    if licence:
        resources = resources.filter(licence=licence)
    links = [
        (Resource.service_areas.through, "servicearea__slug", service_area),
        (Resource.workstreams.through, "workstream__slug", workstream),
        (Resource.organisations.through, "organisation__slug", organisation),
    ]
    for through, lookup, slug in links:
        if slug:
            linked = through.objects.filter(**{lookup: slug}).values("resource_id")
            resources = resources.filter(pk__in=linked)
    if year is not None:
        if not datetime.MINYEAR <= year < datetime.MAXYEAR:
            return resources.none()
        # As `_with_year` counts them, by ranges of dates that need no sum per row.
        start, end = (
            timezone.make_aware(datetime.datetime(each, 1, 1)) for each in (year, year + 1)
        )
        dated = Q(published_at__gte=start, published_at__lt=end) | Q(
            published_at__isnull=True, created_at__gte=start, created_at__lt=end
        )
        resources = resources.filter(pk__in=Resource.objects.filter(dated).values("pk"))
    return resources


def _newest_first(resources: QuerySet[Resource]) -> QuerySet[Resource]:
    # Explicitly, not by Meta.ordering: the databases put a draft's empty date at opposite
    # ends of a descending order.
    return resources.order_by(Coalesce("published_at", "created_at").desc(), "title", "pk")


class TitleFirst:
    """The matches of `query` among `resources`, those whose titles match first, then the
    rest, each part in the engine's order; sliced and counted like a queryset.

    modelsearch's SQLite ranking weighs a word in the title no more than one in the body
    (FTS5's bm25 over every column alike), PostgreSQL's does: on SQLite, asking the engine
    for the title matches on their own puts them first, as PostgreSQL ranks them."""

    def __init__(self, resources: QuerySet[Resource], query: search.Query) -> None:
        self.titled = get_search_backend().search(query.engine(), resources, fields=["title"])
        titled_ids = self.titled.get_queryset().values("pk")
        self.rest = search.search(resources.exclude(pk__in=titled_ids), query)
        self._counts: tuple[int, int] | None = None

    def counts(self) -> tuple[int, int]:
        if self._counts is None:
            self._counts = (self.titled.count(), self.rest.count())
        return self._counts

    def count(self) -> int:
        return sum(self.counts())

    def __len__(self) -> int:
        return self.count()

    def __iter__(self) -> Iterator[Resource]:
        yield from self.titled
        yield from self.rest

    def __getitem__(self, key: int | slice) -> Any:
        if isinstance(key, int):
            found = self[key : key + 1]
            if not found:
                raise IndexError(key)
            return found[0]
        start, stop = key.start or 0, key.stop if key.stop is not None else self.count()
        first, _ = self.counts()
        shown = list(self.titled[start:stop]) if start < first else []
        if stop > first:
            shown += list(self.rest[max(start - first, 0) : stop - first])
        return shown


def resource_search(
    *,
    user: Any,
    text: str = "",
    kind: str = "",
    licence: str = "",
    service_area: str = "",
    workstream: str = "",
    organisation: str = "",
    year: int | None = None,
    prefetch: tuple[str, ...] = (),
) -> Any:
    """The resources `user` may read that match `text` and every filter given, best first:
    a title's words above a summary's and a file's (PostgreSQL's weights, `TitleFirst` on
    SQLite). Text with no words to
    search for is no text: the filtered resources newest first, by publication date, a
    draft by the date it was started. `year` is the year of that same date. A filter
    naming something unknown matches nothing. `prefetch` names the relations the caller
    shows of each result."""
    resources = _filtered(
        resources_seen_by(user).prefetch_related(*prefetch),
        kind=kind,
        licence=licence,
        service_area=service_area,
        workstream=workstream,
        organisation=organisation,
        year=year,
    )
    query = search.parse(text)
    if not query:
        return _newest_first(resources)
    if connection.vendor == "postgresql":
        # PostgreSQL's ranking weighs the title above the body already, and its title-only
        # search would read every title afresh, unindexed.
        return search.search(resources, query)
    return TitleFirst(resources, query)


def search_filters(params: Mapping[str, str]) -> tuple[dict[str, Any], dict[str, str]]:
    """The filters of the search page's address that name something known, as keyword
    arguments for `resource_search`, and a message for each that does not (which is
    left out)."""
    known: dict[str, Any] = {}
    errors: dict[str, str] = {}
    slugs = {
        "service_area": techmap_selectors.service_areas,
        "workstream": workstream_selectors.workstream_list,
        "organisation": members_selectors.organisations,
    }
    for name in FILTERS:
        value = (params.get(name) or "").strip()
        if not value:
            continue
        if name == "kind":
            ok = value in Kind.values
        elif name == "licence":
            ok = value in Licence.values
        elif name == "year":
            ok = bool(YEAR.fullmatch(value))
        else:
            ok = bool(SLUG.fullmatch(value)) and slugs[name]().filter(slug=value).exists()
        if ok:
            known[name] = int(value) if name == "year" else value
        else:
            errors[name] = FILTER_ERRORS[name]
    return known, errors


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    count: int


@dataclass(frozen=True)
class Facet:
    name: str  # the filter's parameter
    label: str
    any_label: str  # the choice of no filter
    options: list[Option]
    chosen: str = ""
    error: str = ""  # why the address's choice was left out


def _matching_ids(resources: QuerySet[Resource], query: search.Query) -> QuerySet:
    if not query:
        return resources.values("pk")
    # modelsearch's own queryset of the matches, for counting them by their links.
    return search.search(resources, query).get_queryset().values("pk")


def resource_facets(*, user: Any, text: str = "", chosen: Mapping[str, Any]) -> list[Facet]:
    """Each filter of the search page, with how many of the resources `user` may read that
    match `text` each of its choices would show under the other `chosen` filters (choosing
    a kind, the licences count resources of that kind). A choice that would show none is
    left out, unless it is chosen."""
    query = search.parse(text)
    seen = resources_seen_by(user)

    def ids(without: str) -> QuerySet:
        others = {name: value for name, value in chosen.items() if name != without}
        return _matching_ids(_filtered(seen, **others), query)

    def counted(rows: QuerySet, column: str, counted_field: str) -> dict[Any, int]:
        rows = rows.values(column).annotate(count=Count(counted_field, distinct=True))
        return {row[column]: row["count"] for row in rows}

    def facet(name: str, label: str, any_label: str, choices, counts) -> Facet:
        picked = str(chosen.get(name, ""))
        options = [
            Option(str(value), text, counts.get(key, 0))
            for key, value, text in choices
            if counts.get(key) or str(value) == picked
        ]
        return Facet(name, label, any_label, options, picked)

    def linked(name: str, through: Any, column: str) -> dict[Any, int]:
        return counted(through.objects.filter(resource_id__in=ids(name)), column, "resource_id")

    by_resource = Resource.objects.all()
    kinds = counted(by_resource.filter(pk__in=ids("kind")), "kind", "pk")
    licences = counted(by_resource.filter(pk__in=ids("licence")), "licence", "pk")
    years = counted(_with_year(by_resource.filter(pk__in=ids("year"))), "year", "pk")
    areas = linked("service_area", Resource.service_areas.through, "servicearea_id")
    streams = linked("workstream", Resource.workstreams.through, "workstream_id")
    authors = linked("organisation", Resource.organisations.through, "organisation_id")
    picked_year = chosen.get("year")
    year_choices = sorted({*years, *([picked_year] if picked_year else [])}, reverse=True)
    return [
        facet("kind", "Kind", "Any kind", [(k, k, label) for k, label in Kind.choices], kinds),
        facet(
            "licence",
            "Licence",
            "Any licence",
            [(k, k, label) for k, label in Licence.choices],
            licences,
        ),
        facet(
            "service_area",
            "Service area",
            "Any service area",
            [(a.pk, a.slug, a.name) for a in techmap_selectors.service_areas()],
            areas,
        ),
        facet(
            "workstream",
            "Workstream",
            "Any workstream",
            [(w.pk, w.slug, w.name) for w in workstream_selectors.workstream_list()],
            streams,
        ),
        facet(
            "organisation",
            "Author",
            "Any author",
            [(o.pk, o.slug, o.short_name) for o in members_selectors.organisations()],
            authors,
        ),
        facet("year", "Year", "Any year", [(y, y, str(y)) for y in year_choices], years),
    ]


@dataclass(frozen=True)
class Result:
    resource: Resource
    title: SafeString
    authors: str
    snippet: SafeString


@dataclass
class SearchPage:
    text: str
    query: search.Query
    chosen: dict[str, Any]
    errors: dict[str, str]
    page: Page
    page_range: list[Any]
    results: list[Result]
    facets: list[Facet]
    address: str  # the words and filters, URL-encoded, for the pages' links
    without_filters: str  # the words alone, URL-encoded

    @property
    def error_links(self) -> list[tuple[str, str]]:
        return [(f"#{name}", message) for name, message in self.errors.items()]


def _results(resources: list[Resource], query: search.Query) -> list[Result]:
    """The page's resources with their authors and an extract of their summary and latest
    version's text, the searched words marked: read in one query, not one per result."""
    latest = Version.objects.filter(resource=OuterRef("pk")).order_by("-created_at", "-pk")
    prefetch_related_objects(resources, "organisations")
    texts = dict(
        Resource.objects.filter(pk__in=[resource.pk for resource in resources])
        .annotate(latest=Subquery(latest.values("text")[:1]))
        .values_list("pk", "latest")
    )
    return [
        Result(
            resource=resource,
            title=search.highlight(resource.title, query, length=TITLE_CHARS),
            authors=", ".join(org.short_name for org in resource.organisations.all()),
            snippet=search.highlight(f"{resource.summary} {texts.get(resource.pk) or ''}", query),
        )
        for resource in resources
    ]


def search_page(
    *, user: Any, params: Mapping[str, str], page: Any = 1, per_page: int = 20
) -> SearchPage:
    """The library's search page for the words and filters of its address: one page of
    results, each filter's choices with their counts, and a message for each part of the
    address that names nothing known or holds no words."""
    # Only so much of a query is read: the page keeps no more, in its box or its links.
    text = (params.get("q") or "")[: search.MAX_QUERY_CHARS].strip()
    chosen, errors = search_filters(params)
    query = search.parse(text)
    if text and not query:
        errors = {"q": NO_WORDS, **errors}
    found = resource_search(user=user, text=text, **chosen)
    shown = Paginator(found, per_page).get_page(page)
    return SearchPage(
        text=text,
        query=query,
        chosen=chosen,
        errors=errors,
        page=shown,
        page_range=list(shown.paginator.get_elided_page_range(shown.number)),
        results=_results(list(shown.object_list), query),
        facets=[
            replace(facet, error=errors.get(facet.name, ""))
            for facet in resource_facets(user=user, text=text, chosen=chosen)
        ],
        address=urlencode({"q": text, **chosen} if text else chosen),
        without_filters=urlencode({"q": text} if text else {}),
    )


# --- Reuses, for the evaluation ------------------------------------------------------------
# The reuse count is the library's measure of value: the evaluation reads it from here.


def reuses_in(*, start: datetime.date, end: datetime.date) -> int:
    """How many reuses were recorded between `start` and `end`, both days included: every
    organisation's mark on every resource, each counted once (a reuse is recorded once per
    organisation and resource)."""
    return Reuse.objects.filter(recorded_on__gte=start, recorded_on__lte=end).count()
