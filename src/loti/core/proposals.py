"""Starting a proposal in the open call for ideas from another app's page (an opportunity
to buy together, say). The app that runs calls registers how from its AppConfig.ready(), so
the page's app does not import it, nor it the page's."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ProposalStart:
    """Where to start a proposal prefilled, or, when none can be started, why not."""

    url: str = ""  # the proposal form, prefilled; empty when a proposal cannot be started
    call_title: str = ""
    reason: str = ""  # why not, in the page's words, when `url` is empty


Prefill = Mapping[str, str | Sequence[str]]
_starter: list[Callable[..., ProposalStart]] = []


def register(starter: Callable[..., ProposalStart]) -> None:
    """`starter(user=..., today=..., prefill=...)` says where `user` may start a proposal."""
    _starter[:] = [starter]


def proposal_start(*, user: Any, today: datetime.date, prefill: Prefill) -> ProposalStart:
    """Where `user` may start a proposal with the fields in `prefill` (title, problem,
    outcome, supporters: organisation ids) filled in."""
    if not _starter:
        return ProposalStart(reason="Calls for ideas are not run on this service.")
    return _starter[0](user=user, today=today, prefill=prefill)
