"""The home page's items: what is waiting for the person signed in, what concerns their
organisation, what the office keeps an eye on, and what is new. Each app registers its items
from its AppConfig.ready() (as it registers navigation), so core never imports the apps that
depend on it.

An item's selector takes the user and returns the rows to show, or None when the item is
not for that person (a ballot is for a member lead, failed imports for the office): the
selector calls its own app's selectors with the user, so the permission rules apply.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils import timezone

from loti.core import selectors

# Core's own item (failed background work) shows this many, from this far back.
SHOWN = 5
FAILED_WITHIN = datetime.timedelta(days=30)
# A date this close to today is printed without its year.
NEAR_DAYS = 180


@dataclass(frozen=True)
class Section:
    """A heading of the home page. Sections are shown in `order`; one with no item for the
    person is left out, unless `always`, when it says `empty` instead."""

    heading: str
    order: int
    empty: str = ""
    always: bool = False


# What a person must act on comes first, then what concerns their organisation, then the
# consortium as the office watches it, then what is new for everyone.
WAITING = Section(
    "Waiting for you", 10, empty="Nothing is waiting for you at the moment.", always=True
)
ORGANISATION = Section("Your organisation", 20)
CONSORTIUM = Section("Across the consortium", 30)
RECENT = Section("New and published", 40)


@dataclass(frozen=True)
class Row:
    """One thing to act on: a sentence, the page to act on it, and optionally a short tag
    ("Closes 15 December", "Not voted") and a second line of detail."""

    text: str
    url: str
    tag: str = ""
    # A GOV.UK tag colour ("grey", "green", "red", …); empty for the default blue.
    tag_colour: str = ""
    detail: str = ""


@dataclass(frozen=True)
class Rows:
    """What an item shows: its first rows, and, when there are more than are shown, how many
    there are in all and the page that lists them."""

    rows: Sequence[Row]
    total: int | None = None
    more_url: str = ""
    # The link's words, where "See all 12" would not say what the page lists.
    more_text: str = ""

    @property
    def more(self) -> int:
        return (self.total or len(self.rows)) - len(self.rows)


Selector = Callable[[Any], "Rows | Sequence[Row] | None"]


@dataclass(frozen=True)
class Item:
    key: str
    heading: str
    section: Section
    order: int
    rows: Selector = field(compare=False)
    # Said when the item is for the person and has nothing to show.
    empty: str = ""


_items: dict[str, Item] = {}


def register(
    *,
    key: str,
    heading: str,
    section: Section,
    order: int,
    rows: Selector,
    empty: str,
) -> None:
    """Add an item to the home page; registering the same key again replaces it (ready()
    may run more than once)."""
    if not empty:
        raise ValueError(f"Home-page item {key!r} needs a sentence for when it is empty")
    _items[key] = Item(
        key=key, heading=heading, section=section, order=order, rows=rows, empty=empty
    )


def registered() -> list[Item]:
    return sorted(_items.values(), key=lambda item: (item.section.order, item.order, item.key))


@dataclass(frozen=True)
class Shown:
    item: Item
    rows: Rows


@dataclass(frozen=True)
class ShownSection:
    section: Section
    items: list[Shown]


def sections_for(user: Any, items: Sequence[Item] | None = None) -> list[ShownSection]:
    """The home page's sections for `user`, each with the items that are for them, in order.
    A section with no item for the person is left out unless it is always shown (then it
    has no items and its template says so)."""
    items = registered() if items is None else items
    signed_in = bool(getattr(user, "is_authenticated", False))
    by_section: dict[Section, list[Shown]] = {}
    sections = {item.section for item in items}
    if signed_in:
        sections.add(WAITING)
    for item in items:
        found = item.rows(user)
        if found is None:
            continue
        if not isinstance(found, Rows):
            found = Rows(list(found))
        by_section.setdefault(item.section, []).append(Shown(item=item, rows=found))
    return [
        ShownSection(section=section, items=by_section.get(section, []))
        for section in sorted(sections, key=lambda s: s.order)
        if by_section.get(section) or (section.always and signed_in)
    ]


def day(value: datetime.date, today: datetime.date | None = None) -> str:
    """A date as the home page prints it: '15 December', without the year when the date is
    within about 6 months of today (nobody could take it for another year's), else
    '15 December 2026'."""
    today = today or timezone.localdate()
    near = abs((value - today).days) < NEAR_DAYS
    return f"{value.day} {value:%B}" if near else f"{value.day} {value:%B} {value.year}"


def rows_of(found: Any, *, limit: int, row: Callable[[Any], Row], more_url: str = "") -> Rows:
    """Rows for the first `limit` of `found` (a queryset or a list), counting them all only
    when there are more than that."""
    shown = list(found[: limit + 1])
    rows = [row(each) for each in shown[:limit]]
    if len(shown) <= limit:
        return Rows(rows)
    total = len(found) if isinstance(found, Sequence) else found.count()
    return Rows(rows, total=total, more_url=more_url)


def failed_work(user: Any) -> Rows | None:
    """Core's own item: background work that failed in the last 30 days, for the office."""
    failed = selectors.failed_tasks(user=user, since=timezone.now() - FAILED_WITHIN)
    if failed is None:
        return None
    return rows_of(
        failed,
        limit=SHOWN,
        row=lambda progress: Row(
            text=progress.label,
            url=reverse("core:task_progress", args=[progress.pk]),
            tag="Failed",
            tag_colour="red",
            detail=progress.message,
        ),
    )


def register_core_items() -> None:
    register(
        key="failed-work",
        heading="Background work that failed in the last 30 days",
        section=WAITING,
        order=70,
        rows=failed_work,
        empty="No background work has failed in the last 30 days.",
    )
