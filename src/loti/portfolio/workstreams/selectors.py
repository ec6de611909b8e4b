"""Reads for workstreams."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from loti.portfolio.workstreams.models import Workstream


def workstream_list() -> QuerySet[Workstream]:
    """Workstreams are public: they say what the consortium works on."""
    return Workstream.objects.all()


def workstream_for(*, slug: str) -> Workstream:
    return get_object_or_404(Workstream, slug=slug)
