"""The stopped clock of the tests: time is frozen, not slept. Most tests stop it at noon on
TODAY; a module whose records need another day passes that day."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import time_machine

TODAY = datetime.date(2026, 11, 22)


def at_noon(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(12), tzinfo=datetime.UTC)


NOW = at_noon(TODAY)


@contextmanager
def frozen(moment: datetime.date | datetime.datetime = NOW) -> Iterator[None]:
    """The clock stopped at `moment` (a day means noon, UTC, on that day)."""
    if not isinstance(moment, datetime.datetime):
        moment = at_noon(moment)
    with time_machine.travel(moment, tick=False):
        yield


def frozen_fixture(
    moment: datetime.date | datetime.datetime = NOW,
    *,
    scope: str = "function",
    autouse: bool = True,
):
    """A fixture stopping the clock at `moment`; assign it to the name tests ask for:
    `frozen_today = clock.frozen_fixture()`."""

    @pytest.fixture(scope=scope, autouse=autouse)
    def fixture() -> Iterator[None]:
        with frozen(moment):
            yield

    return fixture
