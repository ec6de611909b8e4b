import re
from unittest import mock

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db.utils import OperationalError
from django.test import Client
from django.urls import reverse, set_script_prefix
from hypothesis import given
from hypothesis import strategies as st

from loti.core import navigation
from loti.core.navigation import navigation_for
from loti.core.pages import url_for_id

pytestmark = pytest.mark.django_db


def test_every_page_has_a_csp_with_a_fresh_nonce_used_by_its_inline_script(client):
    first = client.get("/")
    second = client.get("/")
    policy = first["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "object-src 'none'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    nonce = re.search(r"'nonce-([^']+)'", policy)[1]
    assert nonce != re.search(r"'nonce-([^']+)'", second["Content-Security-Policy"])[1]
    html = first.content.decode()
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    assert inline, "the base page has its one inline script"
    assert all(f'nonce="{nonce}"' in attributes for attributes in inline)


def test_base_page_carries_the_consortium_name_phase_banner_and_accessibility_link(
    client, settings
):
    html = client.get(reverse("core:accessibility")).content.decode()
    assert settings.CONSORTIUM_NAME in html
    assert "govuk-phase-banner" in html
    assert 'href="/accessibility/"' in html
    assert "Accessibility statement" in html


def test_navigation_follows_the_role(client_as):
    def labels(persona):
        return [item["label"] for item in client_as(persona).get("/").context["nav_items"]]

    def urls(persona):
        return [item["url"] for item in client_as(persona).get("/").context["nav_items"]]

    def sections(persona):
        user = client_as(persona).get("/").wsgi_request.user
        return [section.label for section, _ in navigation.sections_for(user)]

    public = [
        "Organisations",
        "Advisory board",
        "Projects",
        "Calls for ideas",
        "Library",
        "Data sharing",
        "Technology map",
        "Tenders",
        "Evaluation",
    ]
    members = [*public[:-1], "Opportunities", "Skills", "Evaluation"]
    assert sections("anonymous") == sections("partner") == public
    assert sections("officer_a") == members
    assert sections("lead_a") == ["Organisations", "Advisory board", "Finance", *members[2:]]
    assert sections("staff") == [
        "Organisations",
        "Advisory board",
        "Finance",
        "People",
        *members[2:],
        "History",
    ]
    # Everyone's navigation is longer than fits on one line beside the account's links: it
    # groups their sections.
    grouped = ["Members", "Shared work", "Technology", "Evaluation"]
    assert labels("anonymous") == labels("partner") == grouped
    assert labels("officer_a") == labels("lead_a") == grouped
    assert labels("staff") == [*grouped, "History"]
    # The office's evaluation is its working space; everyone else reads the published reports.
    assert reverse("evaluation:home") in urls("staff")
    assert reverse("evaluation:report_list") in urls("officer_a")
    assert reverse("evaluation:home") not in urls("officer_a")


def test_not_found_page_is_in_the_service_style(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert "govuk-template" in response.content.decode()


def test_forbidden_page_is_in_the_service_style(client_as):
    response = client_as("officer_a").get(reverse("members:people_list"))
    assert response.status_code == 403
    assert "You do not have permission" in response.content.decode()


def test_server_error_page_renders_without_a_request_context():
    from loti.core.views import server_error

    response = server_error(None)
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()


def test_an_unhandled_error_shows_the_500_page(settings):
    client = Client(raise_request_exception=False)
    with mock.patch("loti.core.views.render", side_effect=RuntimeError("boom")):
        response = client.get(reverse("core:accessibility"))
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()


def test_healthz_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_is_503_when_the_database_is_down(client):
    with mock.patch("loti.core.views.connection.cursor", side_effect=OperationalError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


def test_pages_work_without_javascript_forms_post_to_the_server(client_as):
    html = client_as("staff").get(reverse("members:organisation_create")).content.decode()
    assert '<form method="post" novalidate>' in html
    assert 'type="submit"' in html


@given(st.integers(min_value=1, max_value=2**63 - 1))
def test_url_for_id_builds_what_reverse_builds(pk):
    assert url_for_id("techmap:system_detail")(pk) == reverse("techmap:system_detail", args=[pk])


def test_url_for_id_keeps_the_script_prefix_even_one_holding_the_marker():
    for prefix in ("/loti/", "/9223372036854775807/"):  # the second holds the marker's digits
        set_script_prefix(prefix)
        try:
            url = url_for_id("techmap:system_detail")(42)
            assert (
                url == f"{prefix}techmap/systems/42/" == reverse("techmap:system_detail", args=[42])
            )
        finally:
            set_script_prefix("/")


def test_navigation_links_follow_the_script_prefix(rf):
    request = rf.get("/")
    request.user = AnonymousUser()

    def links(prefix):
        set_script_prefix(prefix)
        try:
            return [item["url"] for item in navigation_for(request)]
        finally:
            set_script_prefix("/")

    plain = links("/")
    assert plain and not any(url.startswith("/loti/") for url in plain)
    assert links("/loti/") == [f"/loti{url}" for url in plain]
    assert links("/") == plain


@pytest.mark.parametrize(
    ("path", "active"),
    [
        ("/techmap/tenders/", ["Tenders"]),
        ("/techmap/", ["Technology map"]),
        ("/techmap/contracts/1/", ["Technology map"]),
        ("/accessibility/", []),
    ],
)
def test_one_navigation_item_at_most_is_the_current_page(rf, monkeypatch, path, active):
    # Each section an item of its own (no groups), as on a short navigation: the tenders
    # page is Tenders alone, not also the map whose address starts its own.
    monkeypatch.setattr("loti.core.navigation.MAX_ITEMS", 9)
    request = rf.get(path)
    request.user = AnonymousUser()
    assert [item["label"] for item in navigation_for(request) if item["active"]] == active


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", ["login", "password_reset"])
def test_the_sign_in_pages_carry_the_consortiums_name_not_the_host(client, settings, url_name):
    html = client.get(reverse(url_name)).content.decode()
    name = settings.CONSORTIUM_NAME
    assert f"– {name}</title>" in html
    assert f'class="govuk-generic-header__homepage-link">{name}</a>' in html
    assert f"© {name}" in html
    assert "testserver" not in html
