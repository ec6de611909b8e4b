"""Writes for the interviews, their passages and themes, each through the audit trail."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from loti.core import audit
from loti.core.slugs import unique_slug
from loti.evaluation.interviews.models import Interview, Passage, Theme


def interview_create(*, actor: Any, **fields: Any) -> Interview:
    return audit.create(actor=actor, obj=Interview(recorded_by=actor, **fields))


def interview_update(*, actor: Any, interview: Interview, **fields: Any) -> Interview:
    return audit.update(actor=actor, obj=interview, **fields)


def interview_delete(*, actor: Any, interview: Interview) -> None:
    audit.delete(actor=actor, obj=interview)


def theme_create(*, actor: Any, name: str, description: str = "") -> Theme:
    name = name.strip()
    if Theme.objects.filter(name__iexact=name).exists():
        raise ValidationError({"name": f"There is already a theme called “{name}”"})
    return audit.create(
        actor=actor,
        obj=Theme(
            name=name,
            slug=unique_slug(Theme, name, fallback="theme"),
            description=description.strip(),
        ),
    )


def theme_update(*, actor: Any, theme: Theme, name: str, description: str = "") -> Theme:
    name = name.strip()
    if Theme.objects.filter(name__iexact=name).exclude(pk=theme.pk).exists():
        raise ValidationError({"name": f"There is already a theme called “{name}”"})
    return audit.update(actor=actor, obj=theme, name=name, description=description.strip())


def _themes_with_new(*, actor: Any, themes: Iterable[Theme], new_themes: Iterable[str]) -> list:
    """The chosen themes and the new ones named (an existing theme named again is reused)."""
    chosen = list(themes)
    for name in new_themes:
        name = name.strip()
        if not name:
            continue
        existing = Theme.objects.filter(name__iexact=name).first()
        chosen.append(existing or theme_create(actor=actor, name=name))
    if not chosen:
        raise ValidationError({"themes": "Select at least one theme, or name a new one"})
    return chosen


@transaction.atomic
def passage_create(
    *,
    actor: Any,
    interview: Interview,
    excerpt: str,
    themes: Iterable[Theme] = (),
    new_themes: Iterable[str] = (),
) -> Passage:
    chosen = _themes_with_new(actor=actor, themes=themes, new_themes=new_themes)
    last = interview.passages.aggregate(last=Max("order"))["last"] or 0
    passage = audit.create(
        actor=actor, obj=Passage(interview=interview, order=last + 1, excerpt=excerpt.strip())
    )
    passage.themes.set(chosen)
    return passage


@transaction.atomic
def passage_update(
    *,
    actor: Any,
    passage: Passage,
    excerpt: str,
    themes: Iterable[Theme] = (),
    new_themes: Iterable[str] = (),
) -> Passage:
    chosen = _themes_with_new(actor=actor, themes=themes, new_themes=new_themes)
    audit.update(actor=actor, obj=passage, excerpt=excerpt.strip())
    passage.themes.set(chosen)
    return passage


def passage_delete(*, actor: Any, passage: Passage) -> None:
    audit.delete(actor=actor, obj=passage)
