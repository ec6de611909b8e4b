"""Money in templates, written as `loti.core.money` writes it everywhere else:
`{{ amount|money }}` gives £72,000 (pence only where there are pence), `{{ amount|estimate }}`
£1.7m. Nothing (None or "") prints nothing, so a template says what is missing in its own
words."""

from __future__ import annotations

from typing import Any

from django import template

from loti.core import money as writing

register = template.Library()


@register.filter
def money(value: Any) -> str:
    if value is None or value == "":
        return ""
    return writing.money(value)


@register.filter
def estimate(value: Any) -> str:
    if value is None or value == "":
        return ""
    return writing.estimate(value)
