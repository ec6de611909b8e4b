"""The permission matrix: one row per (route, method), one expected status per persona.

Each app's `test_permissions.py` declares its rows as `MATRIX` and checks them with `check`,
against records its module-scoped `objects` fixture builds once (see `module_transaction` in
the root conftest): each case runs in a savepoint, so a write one case makes is undone before
the next. `tests/test_urlconf_coverage.py` fails when a route, or a method its view accepts,
is in no matrix. Pages are visited signed in through the session; API routes with the
persona's token.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from loti.core.services import api_token_create
from tests.personas import PERSONAS


@dataclass(frozen=True)
class Row:
    route: str
    method: str
    # Builds the URL from the test's objects (see each app's `objects` fixture).
    url: Callable[[dict[str, Any]], str]
    expect: dict[str, int]
    data: dict[str, Any] = field(default_factory=dict)
    # Whether an anonymous 302 must lead to the sign-in page.
    to_sign_in: bool = True

    @property
    def id(self) -> str:
        return f"{self.route}-{self.method}"

    @property
    def is_api(self) -> bool:
        return self.route.startswith("api:")


def expect(**statuses: int) -> dict[str, int]:
    """expect(anonymous=302, staff=200, others=403): `others` fills the personas not named."""
    others = statuses.pop("others", None)
    unknown = set(statuses) - set(PERSONAS)
    assert not unknown, f"unknown personas {unknown}"
    result = {persona: statuses.get(persona, others) for persona in PERSONAS}
    assert None not in result.values(), f"no expectation for some personas: {statuses}"
    return result


def posted(
    matrix: list[Row], route: str, expected: dict[str, int] | None = None, **data: Any
) -> Row:
    """The POST row of a form page, at the URL of its GET row. With no `data` the form is
    posted empty: those who may use the page get it back with its errors (the GET row's
    statuses, unless `expected` says otherwise) and nothing is saved; everyone else is
    refused as they are on the GET."""
    page = next(row for row in matrix if row.route == route and row.method == "GET")
    return Row(route, "POST", page.url, expected or page.expect, data=data)


def api_tokens(personas: dict[str, Any]) -> dict[str, str]:
    """A personal API token for each signed-in persona, for the API's rows."""
    return {
        name: api_token_create(person=person, name="matrix")[1]
        for name, person in personas.items()
        if person is not None
    }


def cases(matrix: list[Row]) -> list[tuple[Row, str]]:
    return [(row, persona) for row in matrix for persona in PERSONAS]


def case_id(value: Any) -> str:
    return value.id if isinstance(value, Row) else str(value)


def check(client, objects: dict[str, Any], row: Row, persona: str) -> None:
    person = objects["personas"][persona]
    client.logout()
    url = row.url(objects)
    kwargs: dict[str, Any] = {}
    if row.is_api:
        if person is not None:
            kwargs["headers"] = {"Authorization": f"Bearer {objects['tokens'][persona]}"}
        if row.method != "GET":
            kwargs["data"] = json.dumps(row.data)
            kwargs["content_type"] = "application/json"
    else:
        if person is not None:
            client.force_login(person)
        if row.method != "GET":
            kwargs["data"] = row.data
    response = getattr(client, row.method.lower())(url, **kwargs)
    detail = response.content[:300] if response.status_code >= 400 else b""
    assert response.status_code == row.expect[persona], (
        f"{row.method} {url} as {persona}: expected {row.expect[persona]}, "
        f"got {response.status_code} {detail!r}"
    )
    if persona == "anonymous" and response.status_code == 302 and row.to_sign_in:
        assert response["Location"].startswith("/accounts/sign-in/"), response["Location"]
