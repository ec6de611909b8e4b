"""The API's published description: the OpenAPI schema, the docs page, and a property test
that sends every operation generated requests (valid and invalid) and checks the answers."""

import datetime
import re
from decimal import Decimal

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from loti.config.wsgi import application
from loti.core.services import api_token_create
from loti.datasharing.models import Agreement
from loti.evaluation.activities import services as evaluation_services
from loti.evaluation.models import Activity
from loti.library import services as library_services
from loti.library.models import Licence, Resource
from loti.members.models import Contribution, Membership, Organisation, Tier
from loti.portfolio.calls import services as portfolio_services
from loti.portfolio.models import Call, Project, Proposal
from loti.portfolio.projects import services as project_services
from loti.techmap import services as techmap_services
from loti.techmap.models import Contract as TechmapContract
from loti.techmap.models import ProductCategory, System
from tests.datasharing.world import make_agreement
from tests.factories import ContributionFactory, FeeRateFactory, MembershipFactory
from tests.portfolio.call_helpers import make_call, make_proposal

# Loaded from the running app at collection time: fetching the schema touches no database.
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)


# The schema ------------------------------------------------------------------------------


def test_openapi_schema_is_served_and_describes_every_operation(client, db):
    response = client.get("/api/openapi.json")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    document = response.json()
    assert re.match(r"^3\.\d+\.\d+$", document["openapi"])
    assert document["info"]["title"] == "LOTI API"
    operations = {
        (method.upper(), path) for path, item in document["paths"].items() for method in item
    }
    assert operations == {
        ("GET", "/api/organisations"),
        ("POST", "/api/organisations"),
        ("GET", "/api/organisations/{slug}"),
        ("PATCH", "/api/organisations/{slug}"),
        ("GET", "/api/memberships"),
        ("POST", "/api/memberships"),
        ("GET", "/api/memberships/{membership_id}"),
        ("PATCH", "/api/memberships/{membership_id}"),
        ("DELETE", "/api/memberships/{membership_id}"),
        ("GET", "/api/contributions"),
        ("POST", "/api/contributions"),
        ("GET", "/api/contributions/{contribution_id}"),
        ("PATCH", "/api/contributions/{contribution_id}"),
        ("DELETE", "/api/contributions/{contribution_id}"),
        ("GET", "/api/techmap/organisations/{slug}/systems"),
        ("POST", "/api/techmap/organisations/{slug}/systems"),
        ("PATCH", "/api/techmap/systems/{system_id}"),
        ("GET", "/api/techmap/organisations/{slug}/contracts"),
        ("POST", "/api/techmap/organisations/{slug}/contracts"),
        ("PATCH", "/api/techmap/contracts/{contract_id}"),
        ("POST", "/api/techmap/organisations/{slug}/estate"),
        ("GET", "/api/techmap/tenders"),
        ("GET", "/api/portfolio/rounds"),
        ("GET", "/api/portfolio/rounds/{slug}"),
        ("GET", "/api/portfolio/rounds/{slug}/proposals"),
        ("POST", "/api/portfolio/rounds/{slug}/proposals"),
        ("GET", "/api/portfolio/rounds/{slug}/results"),
        ("GET", "/api/portfolio/projects"),
        ("GET", "/api/portfolio/projects/{slug}"),
        ("GET", "/api/evaluation/activities"),
        ("GET", "/api/evaluation/activities/{slug}/appraisal"),
        ("GET", "/api/library/resources"),
        ("POST", "/api/library/resources"),
        ("GET", "/api/library/resources/{resource_id}"),
        ("POST", "/api/library/resources/{resource_id}/versions"),
        ("GET", "/api/datasharing/agreements"),
        ("GET", "/api/datasharing/agreements/{slug}"),
        ("GET", "/api/datasharing/can-we-share"),
        ("GET", "/api/datasharing/coverage"),
    }
    schemes = document["components"]["securitySchemes"]
    assert {scheme["scheme"] for scheme in schemes.values()} == {"bearer"}
    # Every write needs a token; reading the directory does not.
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method != "get":
                assert operation["security"] == [{"TokenAuth": []}], (method, path)
    assert document["paths"]["/api/organisations"]["get"]["security"] == [{}, {"TokenAuth": []}]
    # Errors are documented, so a client knows a refusal comes with a reason.
    created = document["paths"]["/api/memberships"]["post"]["responses"]
    assert {"201", "400", "401", "403", "422"} <= set(created)
    # A new version is a file (multipart) or a link (JSON), and the schema says both.
    version = document["paths"]["/api/library/resources/{resource_id}/versions"]["post"]
    assert set(version["requestBody"]["content"]) == {"multipart/form-data", "application/json"}


def test_openapi_schema_is_valid_openapi_3():
    # Validated against the OpenAPI meta-schema for its version; raises if malformed.
    assert schema.raw_schema["openapi"].startswith("3.")
    schema.validate()
    assert len([result.ok() for result in schema.get_all_operations()]) == 39


# The docs page ---------------------------------------------------------------------------


def test_docs_page_loads_swagger_from_our_own_origin_within_the_csp(client, db):
    response = client.get("/api/docs")

    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    # Scripts and styles come from our static files, none from a CDN.
    scripts = re.findall(r"<script\b[^>]*>", html)
    sources = [re.search(r'src="([^"]*)"', tag) for tag in scripts]
    external = [s.group(1) for s in sources if s]
    assert external, "the page loads Swagger UI's scripts"
    assert all(src.startswith("/static/") for src in external), external
    stylesheets = re.findall(r'<link[^>]+href="([^"]*)"', html)
    assert stylesheets and all(href.startswith("/static/") for href in stylesheets), stylesheets
    assert not re.search(r"(https?:)?//(cdn|unpkg|cdnjs|fastly)\b", html)
    # No inline script would run under script-src 'self' 'nonce-…' unless it carried the
    # nonce: every inline <script> is either a JSON data block (never executed) or nonced.
    csp = response["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in csp
    nonce = re.search(r"'nonce-([^']+)'", csp).group(1)
    for tag in scripts:
        if "src=" in tag:
            continue
        assert 'type="application/json"' in tag or f'nonce="{nonce}"' in tag, tag
    # The static files it names are really served, by us.
    for src in [*external, *stylesheets]:
        static = client.get(src)
        assert static.status_code == 200, src
        body = b"".join(static.streaming_content) if static.streaming else static.content
        assert len(body) > 1000, src


# Every operation, generated ---------------------------------------------------------------


@pytest.fixture
def staff_token(staff):
    _, raw = api_token_create(person=staff, name="Schemathesis")
    return raw


@pytest.fixture
def seeded(borough_a, borough_b, police, staff):
    """Records for generated requests to find, so they reach beyond the 404s."""
    FeeRateFactory(year=2026, tier=Tier.CORE, amount=Decimal(30000))
    FeeRateFactory(year=2026, tier=Tier.ASSOCIATE, amount=Decimal(10000))
    for organisation in (borough_a, borough_b):
        MembershipFactory(organisation=organisation, year=2026)
        MembershipFactory(organisation=organisation, year=2025)
        ContributionFactory(organisation=organisation, year=2026)
        ContributionFactory(
            organisation=organisation,
            year=2025,
            status=Contribution.Status.PAID,
            paid_on=datetime.date(2025, 6, 1),
        )
    MembershipFactory(
        organisation=police,
        year=2026,
        tier=Tier.PARTNER,
        fee_due=Decimal(0),
        declaration_signed_on=None,
    )
    category = ProductCategory.objects.get(slug="library-management-system")
    vendor = techmap_services.vendor_create(actor=None, name="Axiell Ltd")
    product = techmap_services.product_create(
        actor=None, vendor=vendor, name="Spydus", category=category
    )
    system = techmap_services.system_create(actor=None, organisation=borough_a, product=product)
    techmap_services.contract_create(
        actor=None, organisation=borough_a, vendor=vendor, system=system, title="Libraries"
    )
    today = datetime.date.today()
    proposing = make_call(today=today, stage="proposing", title="Call for ideas (open)")
    make_proposal(call=proposing, organisation=borough_a)
    published = make_call(today=today, stage="closed", title="Call for ideas (published)")
    chosen = make_proposal(call=published, organisation=borough_b, title="Shared cyber pilot")
    portfolio_services.assessment_set(
        actor=None,
        proposal=chosen,
        scores={criterion: (4, "Clear benefit") for criterion in published.criteria.all()},
    )
    portfolio_services.selection_run(actor=None, call=published, today=today)
    portfolio_services.results_publish(actor=None, call=published, today=today)
    project_services.project_create_from_proposal(
        actor=None,
        proposal=Proposal.objects.get(pk=chosen.pk),
        starts_on=today - datetime.timedelta(days=50),
    )
    activity = evaluation_services.activity_create(
        actor=None, title="Recruitment support", benefit_model="market_rate"
    )
    evaluation_services.activity_costs_set(
        actor=None,
        activity=activity,
        costs=[{"financial_year": 2025, "staff_time": Decimal(9000), "external_spend": Decimal(0)}],
    )
    for licence, publish in [
        (Licence.OGL, True),
        (Licence.MEMBERS_ONLY, True),
        (Licence.MIT, False),
    ]:
        library_services.resource_create(
            actor=staff,
            title=f"Repairs guide ({licence})",
            summary="How a borough set up repairs reporting.",
            kind="guide",
            licence=licence,
            organisations=[borough_a],
            publish=publish,
            version={"label": "1.0", "link": "https://example.org/guide"},
        )
    make_agreement(None, None, [borough_a, borough_b, police], title="Shared care records")
    evaluation_services.activity_inputs_set(
        actor=None,
        activity=activity,
        inputs={
            "quantity": {"value": Decimal(12), "confidence": "high"},
            "market_unit_cost": {"value": Decimal(7000), "confidence": "medium"},
            "our_unit_cost": {"value": Decimal(500), "confidence": "high"},
        },
    )


@pytest.fixture
def wsgi_requests_keep_the_test_connection():
    """Django's WSGI handler closes old database connections around each request, as a real
    server should; inside a test that would end the test's transaction. Django's own test
    client switches this off in the same way."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def _pick(values: list, generated: object) -> object:
    """An existing record for three in four generated values, deterministically; the rest are
    left as generated, to probe the 404s."""
    if not values:
        return generated
    if isinstance(generated, int) and not isinstance(generated, bool) and generated % 4 != 3:
        return values[generated % len(values)]
    if isinstance(generated, str) and len(generated) % 4 != 3:
        return values[len(generated) % len(values)]
    return generated


# Which records a `{slug}` names, by the start of the operation's path.
SLUGGED = [
    ("/api/portfolio/rounds/", Call),
    ("/api/portfolio/projects/", Project),
    ("/api/evaluation/activities/", Activity),
    ("/api/datasharing/agreements/", Agreement),
]


@schema.hook("map_path_parameters")
def _towards_existing_records(context, path_parameters):
    if path_parameters is None:
        return path_parameters
    mapped = dict(path_parameters)
    if "membership_id" in mapped:
        ids = list(Membership.objects.order_by("pk").values_list("pk", flat=True))
        mapped["membership_id"] = _pick(ids, mapped["membership_id"])
    if "contribution_id" in mapped:
        ids = list(Contribution.objects.order_by("pk").values_list("pk", flat=True))
        mapped["contribution_id"] = _pick(ids, mapped["contribution_id"])
    if "system_id" in mapped:
        ids = list(System.objects.order_by("pk").values_list("pk", flat=True))
        mapped["system_id"] = _pick(ids, mapped["system_id"])
    if "contract_id" in mapped:
        ids = list(TechmapContract.objects.order_by("pk").values_list("pk", flat=True))
        mapped["contract_id"] = _pick(ids, mapped["contract_id"])
    if "resource_id" in mapped:
        ids = list(Resource.objects.order_by("pk").values_list("pk", flat=True))
        mapped["resource_id"] = _pick(ids, mapped["resource_id"])
    if "slug" in mapped:
        path = context.operation.path
        model = next((model for part, model in SLUGGED if path.startswith(part)), Organisation)
        slugs = list(model.objects.order_by("pk").values_list("slug", flat=True))
        mapped["slug"] = _pick(slugs, mapped["slug"])
    return mapped


@pytest.mark.django_db
@pytest.mark.usefixtures("seeded", "wsgi_requests_keep_the_test_connection")
@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    # The database and token are shared by one operation's examples on purpose: records that
    # earlier examples created or deleted are part of what later ones meet.
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
    ],
)
def test_every_operation_answers_any_request_without_a_server_error(case, staff_token):
    case.call_and_validate(
        headers={"Authorization": f"Bearer {staff_token}"},
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_schema_conformance,
        ],
    )
