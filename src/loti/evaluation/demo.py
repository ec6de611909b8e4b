"""The evaluation's demo: its evaluated activities, the member survey, the interviews and,
from all of them, last year's published report (built in that order, from one random stream,
so the same seed gives the same demo)."""

from __future__ import annotations

import datetime
import random

from loti.core.demo import Login
from loti.evaluation.activities import demo as activities
from loti.evaluation.interviews import demo as interviews
from loti.evaluation.report import demo as report
from loti.evaluation.surveys import demo as surveys


def logins() -> list[Login]:
    return []


def build(*, rng: random.Random, today: datetime.date) -> None:
    for part in (activities, surveys, interviews, report):
        part.build(rng=rng, today=today)
