"""Slugs for records addressed by name in their URLs."""

from __future__ import annotations

from django.db import models
from django.utils.text import slugify


def unique_slug(
    model: type[models.Model], text: str, *, exclude_pk: int | None = None, fallback: str = "item"
) -> str:
    """The slug of `text` not yet taken in `model` (other than by `exclude_pk`): "barnet",
    then "barnet-2", "barnet-3"… Ten characters of the slug field are kept for the number."""
    length = model._meta.get_field("slug").max_length - 10
    base = slugify(text)[:length].rstrip("-") or fallback
    taken = model.objects.exclude(pk=exclude_pk)
    slug, n = base, 2
    while taken.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug
