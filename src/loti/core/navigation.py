"""The service navigation. Each app registers its sections from its AppConfig.ready(), so
core never imports the apps that depend on it.

A section may name a group (`register_group`). When a person's navigation has more items than
fit on one line at desktop width (MAX_ITEMS), the sections of each group they can see become one
item, linking to the group's page, which lists them."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.text import slugify

from loti.core.permissions import Data, can, reads_all


@dataclass(frozen=True)
class Section:
    label: str
    url_name: str
    data: Data
    order: int
    # Shown only to those who may read every organisation's data of this kind.
    consortium_wide: bool = False
    # Not shown to those who may read this kind of data: they have a fuller section instead
    # (the public read published results where members reach the whole call for ideas).
    unless: Data | None = None
    group: str = ""


@dataclass(frozen=True)
class Group:
    label: str
    description: str

    @property
    def slug(self) -> str:
        return slugify(self.label)


# Items that fit on one line of the service navigation at 1280 pixels, beside the account's
# links (seven of the public's, with "Sign in", take two lines).
MAX_ITEMS = 6

_sections: list[Section] = []
_groups: dict[str, Group] = {}


def register_group(*, label: str, description: str) -> None:
    """A group of sections, named by `label` in their `register(group=...)`."""
    _groups[label] = Group(label=label, description=description)


def group_for(slug: str) -> Group | None:
    return next((group for group in _groups.values() if group.slug == slug), None)


def register(
    *,
    label: str,
    url_name: str,
    data: Data,
    order: int,
    consortium_wide: bool = False,
    unless: Data | None = None,
    group: str = "",
) -> None:
    section = Section(
        label=label,
        url_name=url_name,
        data=data,
        order=order,
        consortium_wide=consortium_wide,
        unless=unless,
        group=group,
    )
    if section not in _sections:
        _sections.append(section)
        _sections.sort(key=lambda s: s.order)


def sections_for(user) -> list[tuple[Section, str]]:
    """The sections `user` may see, with their URLs, in order."""
    shown = []
    for section in _sections:
        allowed = reads_all if section.consortium_wide else can
        if not allowed(user, section.data) or (section.unless and can(user, section.unless)):
            continue
        url = _section_url(
            section.url_name, get_urlconf() or settings.ROOT_URLCONF, get_script_prefix()
        )
        shown.append((section, url))
    return shown


def navigation_for(request) -> list[dict]:
    user = getattr(request, "user", None)
    path = request.path
    shown = sections_for(user)
    items = [
        {"label": section.label, "url": url, "urls": [url], "active": False}
        for section, url in shown
    ]
    if len(items) > MAX_ITEMS:
        items = _grouped(shown)
    # The page belongs to the item with the longest URL that starts its path, so the
    # tenders page (/techmap/tenders/) is Tenders alone, not also the map (/techmap/).
    containing = [
        (len(url), item) for item in items for url in item["urls"] if path.startswith(url)
    ]
    if containing:
        max(containing, key=lambda pair: pair[0])[1]["active"] = True
    return items


def _grouped(shown: list[tuple[Section, str]]) -> list[dict]:
    """One item for each group with more than one section shown, where its first section is."""
    members: dict[str, list[str]] = {}
    for section, url in shown:
        if section.group in _groups:
            members.setdefault(section.group, []).append(url)
    items, placed = [], set()
    for section, url in shown:
        urls = members.get(section.group, [])
        if len(urls) < 2:
            items.append({"label": section.label, "url": url, "urls": [url], "active": False})
        elif section.group not in placed:
            placed.add(section.group)
            group = _groups[section.group]
            page = reverse("core:section", args=[group.slug])
            items.append(
                {"label": group.label, "url": page, "urls": [page, *urls], "active": False}
            )
    return items


@lru_cache(maxsize=128)
def _section_url(url_name: str, urlconf: str, script_prefix: str) -> str:
    """A section's URL, reversed once for each URL configuration and script prefix rather
    than on every page view (the prefix is passed so that it is part of the cache key)."""
    return reverse(url_name, urlconf=urlconf)
