"""Reads for published reports: public."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from loti.evaluation.report.models import ReportPublication


def publication_list() -> QuerySet[ReportPublication]:
    """Published reports are public."""
    return ReportPublication.objects.defer("content")


def publication_for(*, pk: int) -> ReportPublication:
    return get_object_or_404(ReportPublication, pk=pk)


def newest_publications(*, limit: int) -> list[ReportPublication]:
    """The reports published most recently: public."""
    return list(publication_list().order_by("-published_at", "-pk")[:limit])
