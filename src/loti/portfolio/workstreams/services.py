"""Writes for workstreams: the office's, each through the audit trail."""

from __future__ import annotations

from typing import Any

from loti.core import audit
from loti.core.access import check_office
from loti.core.slugs import unique_slug
from loti.portfolio.workstreams.models import Workstream


def workstream_create(
    *, actor: Any, name: str, description: str = "", order: int = 0
) -> Workstream:
    check_office(actor)
    workstream = Workstream(
        name=name.strip(),
        slug=unique_slug(Workstream, name),
        description=description,
        order=order,
    )
    return audit.create(actor=actor, obj=workstream)


def workstream_update(*, actor: Any, workstream: Workstream, **fields: Any) -> Workstream:
    check_office(actor)
    if "name" in fields:
        fields["name"] = fields["name"].strip()
    return audit.update(actor=actor, obj=workstream, **fields)
