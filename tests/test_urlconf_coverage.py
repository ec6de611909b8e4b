"""Every route of the URLconf is in some app's permission matrix."""

from django.urls import URLPattern, URLResolver, get_resolver

from tests.core.test_permissions import MATRIX as CORE
from tests.evaluation.test_permissions import MATRIX as EVALUATION
from tests.evaluation.test_survey_permissions import MATRIX as SURVEYS
from tests.members.test_permissions import MATRIX as MEMBERS
from tests.portfolio.test_permissions import MATRIX as ROUNDS
from tests.portfolio.test_project_permissions import MATRIX as PROJECTS
from tests.techmap.test_permissions import MATRIX as TECHMAP

MATRICES = CORE + MEMBERS + TECHMAP + ROUNDS + PROJECTS + EVALUATION + SURVEYS


def route_names(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or ""
            if inner == "admin":
                # The Django admin guards its own pages (superusers only); its index stands
                # for it in the matrix.
                yield "admin:index"
                continue
            nested = f"{namespace}:{inner}" if namespace and inner else inner or namespace
            yield from route_names(pattern.url_patterns, nested)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}:{pattern.name}" if namespace else str(pattern.name)


def test_every_route_is_in_a_permission_matrix():
    routes = set(route_names(get_resolver().url_patterns))
    covered = {row.route for row in MATRICES}
    # The API's root is not a page: ninja answers it with a 404.
    routes.discard("api:api-root")
    missing = sorted(routes - covered)
    assert not missing, f"routes missing from every permission matrix: {missing}"
    stale = sorted(covered - routes)
    assert not stale, f"matrix rows for routes that no longer exist: {stale}"


def test_the_walker_finds_routes():
    routes = set(route_names(get_resolver().url_patterns))
    assert {"core:home", "members:finance_year", "api:list_memberships", "login"} <= routes
