"""The service navigation. Each app registers its sections from its AppConfig.ready(), so
core never imports the apps that depend on it."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

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


_sections: list[Section] = []


def register(
    *,
    label: str,
    url_name: str,
    data: Data,
    order: int,
    consortium_wide: bool = False,
    unless: Data | None = None,
) -> None:
    section = Section(
        label=label,
        url_name=url_name,
        data=data,
        order=order,
        consortium_wide=consortium_wide,
        unless=unless,
    )
    if section not in _sections:
        _sections.append(section)
        _sections.sort(key=lambda s: s.order)


def navigation_for(request) -> list[dict]:
    user = getattr(request, "user", None)
    path = request.path
    items = []
    for section in _sections:
        allowed = reads_all if section.consortium_wide else can
        if not allowed(user, section.data) or (section.unless and can(user, section.unless)):
            continue
        url = _section_url(
            section.url_name, get_urlconf() or settings.ROOT_URLCONF, get_script_prefix()
        )
        items.append({"label": section.label, "url": url, "active": False})
    # The page belongs to the section whose URL is the longest start of its path, so the
    # tenders page (/techmap/tenders/) is Tenders alone, not also the map (/techmap/).
    containing = [item for item in items if path.startswith(item["url"])]
    if containing:
        max(containing, key=lambda item: len(item["url"]))["active"] = True
    return items


@lru_cache(maxsize=128)
def _section_url(url_name: str, urlconf: str, script_prefix: str) -> str:
    """A section's URL, reversed once for each URL configuration and script prefix rather
    than on every page view (the prefix is passed so that it is part of the cache key)."""
    return reverse(url_name, urlconf=urlconf)
