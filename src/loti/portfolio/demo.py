"""The portfolio's demo: its workstreams, then calls for ideas under them, then the projects
chosen in those calls and earlier ones (each part builds on the one before it)."""

from __future__ import annotations

import datetime
import random

from loti.core.demo import Login
from loti.portfolio.calls import demo as calls
from loti.portfolio.projects import demo as projects
from loti.portfolio.workstreams import demo as workstreams


def logins() -> list[Login]:
    return []


def build(*, rng: random.Random, today: datetime.date) -> None:
    for part in (workstreams, calls, projects):
        part.build(rng=rng, today=today)
