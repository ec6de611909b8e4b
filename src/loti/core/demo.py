"""The demo: each app may have a `demo` module with `build(*, rng, today)` and
`logins() -> list[Login]`, run in the order of INSTALLED_APPS, so core never imports the
apps that depend on it."""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import import_module
from importlib.util import find_spec
from types import ModuleType

from django.apps import apps
from django.db import transaction

# Printed with the demo logins: the demo holds nothing worth protecting.
DEMO_PASSWORD = "demo-password-london"  # noqa: S105


@dataclass(frozen=True)
class Login:
    email: str
    description: str


def _modules() -> Iterator[tuple[str, ModuleType]]:
    for config in apps.get_app_configs():
        name = f"{config.name}.demo"
        if config.name.startswith("loti.") and name != __name__ and find_spec(name) is not None:
            yield config.label, import_module(name)


def build(*, seed: int, today: datetime.date) -> None:
    """Build every app's demo data, all or nothing. Each app gets its own random stream, so
    adding demo data to one app leaves every other app's unchanged."""
    with transaction.atomic():
        for label, module in _modules():
            module.build(rng=random.Random(f"{seed}:{label}"), today=today)


def logins() -> list[Login]:
    return [login for _, module in _modules() for login in module.logins()]
