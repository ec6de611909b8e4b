"""Reads for the interviews: the office's (Data.EVALUATION)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404

from loti.core.access import check_can
from loti.core.permissions import Data, can
from loti.evaluation.interviews.models import Interview, Passage, Theme


def interview_list(*, user: Any) -> QuerySet[Interview]:
    if not can(user, Data.EVALUATION):
        return Interview.objects.none()
    return Interview.objects.select_related("organisation").annotate(
        passage_count=Count("passages")
    )


def interview_for(*, user: Any, pk: int) -> Interview:
    check_can(user, Data.EVALUATION)
    return get_object_or_404(Interview.objects.select_related("organisation", "recorded_by"), pk=pk)


def passages_of(*, interview: Interview) -> QuerySet[Passage]:
    return interview.passages.prefetch_related("themes")


def passage_for(*, user: Any, pk: int) -> Passage:
    check_can(user, Data.EVALUATION)
    return get_object_or_404(Passage.objects.select_related("interview"), pk=pk)


def theme_list(*, user: Any) -> QuerySet[Theme]:
    """Every theme with how many passages and how many different interviews it tags, most
    passages first."""
    if not can(user, Data.EVALUATION):
        return Theme.objects.none()
    return Theme.objects.annotate(
        passage_count=Count("passages", distinct=True),
        interview_count=Count("passages__interview", distinct=True),
    ).order_by("-passage_count", "name")


def has_synthetic_interviews() -> bool:
    """Whether any interview was made up by the demo (theme pages then say so)."""
    return Interview.objects.filter(synthetic=True).exists()


def theme_for(*, user: Any, slug: str) -> Theme:
    check_can(user, Data.EVALUATION)
    return get_object_or_404(Theme, slug=slug)


def theme_passages(*, theme: Theme) -> QuerySet[Passage]:
    return theme.passages.select_related("interview", "interview__organisation").order_by(
        "-interview__held_on", "interview_id", "order", "pk"
    )
