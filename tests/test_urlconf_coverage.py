"""Every route of the URLconf, and every method its view accepts, is in some app's permission
matrix; every view says which methods it accepts."""

from django.urls import URLPattern, URLResolver, get_resolver

from loti.config.api import api
from tests.core.test_permissions import MATRIX as CORE
from tests.datasharing.test_api_permissions import MATRIX as DATASHARING_API
from tests.datasharing.test_coverage_permissions import MATRIX as COVERAGE
from tests.datasharing.test_document_permissions import MATRIX as DATASHARING_DOCUMENTS
from tests.datasharing.test_dpia_permissions import MATRIX as DPIA
from tests.datasharing.test_permissions import MATRIX as AGREEMENTS
from tests.datasharing.test_reminder_permissions import MATRIX as REMINDERS
from tests.evaluation.test_permissions import MATRIX as EVALUATION
from tests.evaluation.test_survey_permissions import MATRIX as SURVEYS
from tests.library.test_api_permissions import MATRIX as LIBRARY_API
from tests.library.test_permissions import MATRIX as LIBRARY
from tests.members.test_permissions import MATRIX as MEMBERS
from tests.portfolio.test_permissions import MATRIX as CALLS
from tests.portfolio.test_project_permissions import MATRIX as PROJECTS
from tests.techmap.test_permissions import MATRIX as TECHMAP

MATRICES = (
    CORE
    + MEMBERS
    + TECHMAP
    + CALLS
    + PROJECTS
    + EVALUATION
    + SURVEYS
    + LIBRARY
    + LIBRARY_API
    + DATASHARING_DOCUMENTS
    + DATASHARING_API
    + REMINDERS
    + COVERAGE
    + DPIA
    + AGREEMENTS
)

# Views that are not the project's own: the Django admin guards its pages (superusers only)
# and its index stands for it; ninja serves the API's schema and docs page.
NOT_OURS = {
    "admin:index": frozenset({"GET"}),
    "api:openapi-json": frozenset({"GET"}),
    "api:openapi-view": frozenset({"GET"}),
}


def routes(patterns=None, namespace=""):
    """(route name, view) for every route of the URLconf."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or ""
            if inner == "admin":
                yield "admin:index", None
                continue
            nested = f"{namespace}:{inner}" if namespace and inner else inner or namespace
            yield from routes(pattern.url_patterns, nested)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace else str(pattern.name)
            yield name, pattern.callback


def api_methods() -> dict[str, frozenset[str]]:
    """Each API operation's method, from the published schema (an operation's id is its route
    name)."""
    methods: dict[str, set[str]] = {}
    for item in api.get_openapi_schema()["paths"].values():
        for method, operation in item.items():
            methods.setdefault(f"api:{operation['operationId']}", set()).add(method.upper())
    return {name: frozenset(found) for name, found in methods.items()}


def accepted_methods() -> tuple[dict[str, frozenset[str]], list[str]]:
    """The methods each route accepts, and the routes whose view does not say."""
    from_api = api_methods()
    accepted, undeclared = {}, []
    for name, view in routes():
        if name == "api:api-root":  # ninja answers the API's root with a 404: not a page
            continue
        declared = (
            NOT_OURS.get(name) or from_api.get(name) or getattr(view, "allowed_methods", None)
        )
        if declared is None:
            undeclared.append(name)
        else:
            accepted[name] = declared
    return accepted, sorted(undeclared)


def test_every_view_says_which_methods_it_accepts():
    _, undeclared = accepted_methods()
    assert not undeclared, f"views without @methods(...): {undeclared}"


def test_every_route_and_method_is_in_a_permission_matrix():
    accepted, _ = accepted_methods()
    required = {(route, method) for route, methods in accepted.items() for method in methods}
    covered = {(row.route, row.method) for row in MATRICES}
    missing = sorted(required - covered)
    assert not missing, f"(route, method) missing from every permission matrix: {missing}"


def test_rows_for_other_methods_check_the_refusal():
    """A row for a method the view does not accept is there to show it is refused (405)."""
    accepted, _ = accepted_methods()
    stale = sorted(
        row.id
        for row in MATRICES
        if row.method not in accepted.get(row.route, ()) and 405 not in row.expect.values()
    )
    assert not stale, f"matrix rows for routes or methods that do not exist: {stale}"


def test_every_route_is_known_to_the_matrix_check():
    names = {name for name, _ in routes()}
    assert {"core:home", "members:finance_year", "api:list_memberships", "login"} <= names
    accepted, _ = accepted_methods()
    assert accepted["login"] == {"GET", "POST"}
    assert accepted["api:create_system"] == {"POST"}
