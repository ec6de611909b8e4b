from django.urls import reverse

from loti.library import services
from loti.library.models import Licence, Resource, TextState, Version
from tests.library.conftest import make_resource, stored_files, text_file


def _create(client, **overrides):
    data = {
        "title": "Waste collection guide",
        "summary": "How Barnet moved to weekly food waste collections.",
        "kind": "guide",
        "licence": "ogl-3.0",
        "label": "1.0",
        "upload": text_file("Waste guide.txt"),
    } | overrides
    return client.post(
        reverse("library:resource_create"), {k: v for k, v in data.items() if v is not None}
    )


def test_a_member_adds_a_resource_and_its_first_version(client_as, borough_a, started):
    response = _create(client_as("officer_a"), publish="on")
    resource = Resource.objects.get()
    assert response.status_code == 302 and response["Location"] == resource.get_absolute_url()
    assert list(resource.organisations.all()) == [borough_a]
    assert resource.is_published
    assert resource.latest_version().file_name == "Waste_guide.txt"
    assert len(started) == 1


def test_the_add_form_uploads_and_says_what_is_wrong(client_as):
    client = client_as("officer_a")
    page = client.get(reverse("library:resource_create")).content.decode()
    assert 'enctype="multipart/form-data"' in page
    assert "Barnet is recorded as an author" in page
    response = client.post(reverse("library:resource_create"), {})
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error:" in page and "govuk-error-summary" in page
    for message in (
        "Enter a title",
        "Enter a summary",
        "Select what kind of resource it is",
        "Select a licence",
        "Enter the version, for example 1.0 or March 2026",
    ):
        assert message in page
    assert not Resource.objects.exists()


def test_a_service_error_shows_on_its_field_and_saves_nothing(client_as):
    before = stored_files()
    response = _create(client_as("officer_a"), upload=text_file("tool.exe", b"MZ"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "The selected file must be" in page and "govuk-file-upload--error" in page
    response = _create(client_as("officer_a"), upload=None, link="http://example.test/guide")
    assert "Enter a web address starting with https://" in response.content.decode()
    assert not Resource.objects.exists() and stored_files() == before


def test_the_office_chooses_the_organisations(client_as, borough_a, borough_b):
    client = client_as("staff")
    response = _create(client)
    assert "Select the organisations that made it" in response.content.decode()
    _create(client, organisations=[borough_a.pk, borough_b.pk])
    assert set(Resource.objects.get().organisations.all()) == {borough_a, borough_b}


def test_the_resource_page(client_as, officer_a, borough_a, borough_b):
    resource = make_resource(officer_a, [borough_a])
    first = resource.latest_version()
    Version.objects.filter(pk=first.pk).update(
        text_state=TextState.FAILED, text_note="The PDF has no text layer"
    )
    services.version_add(
        actor=officer_a, resource=resource, label="2.0", changes="New rota", upload=text_file()
    )
    page = client_as("anonymous").get(resource.get_absolute_url()).content.decode()
    assert "Housing repairs specification" in page
    assert resource.licence_url in page
    assert "London Borough of Barnet" in page
    assert "Version 2.0" in page and "New rota" in page
    assert "(text file, 48\xa0bytes)" in page
    assert (
        "Its text could not be read, so searching will not find words inside it: "
        "The PDF has no text layer"
    ) in page
    assert reverse("library:version_download", args=[resource.pk, first.pk]) in page
    assert "Change" not in page and "We reused this" not in page
    assert "Draft" not in page


def test_a_draft_shows_its_banner_and_publish_button_to_its_writers(
    client_as, officer_a, borough_a
):
    resource = make_resource(officer_a, [borough_a], publish=False)
    page = client_as("officer_a").get(resource.get_absolute_url()).content.decode()
    assert "This resource is a draft" in page
    assert reverse("library:resource_publish", args=[resource.pk]) in page
    client_as("officer_a").post(reverse("library:resource_publish", args=[resource.pk]))
    assert Resource.objects.get().is_published


def test_another_member_reuses_once_and_withdraws(client_as, officer_a, borough_a, officer_b):
    resource = make_resource(officer_a, [borough_a])
    client = client_as("officer_b")
    assert "We reused this" in client.get(resource.get_absolute_url()).content.decode()
    client.post(reverse("library:reuse_record", args=[resource.pk]))
    client.post(reverse("library:reuse_record", args=[resource.pk]))
    page = client.get(resource.get_absolute_url()).content.decode()
    assert resource.reuses.count() == 1
    assert "London Borough of Camden, since" in page and "We did not reuse this" in page
    client.post(reverse("library:reuse_withdraw", args=[resource.pk]))
    assert not resource.reuses.exists()


def test_the_download_is_an_attachment_that_never_runs(client_as, officer_a, borough_a):
    resource = (
        make_resource(
            officer_a,
            [borough_a],
            version={"label": "1.0", "upload": text_file('a "b";.txt', b"x")},
        )
        if False
        else make_resource(officer_a, [borough_a])
    )
    version = resource.latest_version()
    response = client_as("anonymous").get(
        reverse("library:version_download", args=[resource.pk, version.pk])
    )
    assert response.status_code == 200
    assert (
        b"".join(response.streaming_content) == b"How to reuse the housing repairs specification.\n"
    )
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="guide.txt"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"


def test_a_link_version_redirects_to_its_https_address(client_as, officer_a, borough_a):
    resource = make_resource(officer_a, [borough_a])
    link = services.version_add(
        actor=officer_a, resource=resource, label="2.0", link="https://example.test/guide"
    )
    response = client_as("anonymous").get(
        reverse("library:version_download", args=[resource.pk, link.pk])
    )
    assert response.status_code == 302 and response["Location"] == "https://example.test/guide"
    # One that is not https (written before the rule, or around it) is never followed.
    Version.objects.filter(pk=link.pk).update(link="javascript:alert(1)")
    response = client_as("anonymous").get(
        reverse("library:version_download", args=[resource.pk, link.pk])
    )
    assert response.status_code == 404


def test_a_version_of_another_resource_is_not_found_through_this_one(
    client_as, officer_a, borough_a
):
    one = make_resource(officer_a, [borough_a])
    other = make_resource(officer_a, [borough_a], licence=Licence.MEMBERS_ONLY, title="Private")
    response = client_as("anonymous").get(
        reverse("library:version_download", args=[one.pk, other.latest_version().pk])
    )
    assert response.status_code == 404


def test_a_new_version_form(client_as, officer_a, borough_a):
    resource = make_resource(officer_a, [borough_a])
    client = client_as("lead_a")
    url = reverse("library:version_create", args=[resource.pk])
    page = client.post(url, {"label": "1.0", "link": "https://example.test/a"}).content.decode()
    assert "already has a version 1.0" in page
    page = client.post(url, {"label": "2.0"}).content.decode()
    assert "Upload a file or give the web address where it is published" in page
    response = client.post(url, {"label": "2.0", "upload": text_file("v2.md", b"# Two\n")})
    assert response.status_code == 302
    assert resource.latest_version().file_name == "v2.md"


def test_the_edit_form(client_as, officer_a, borough_a):
    resource = make_resource(officer_a, [borough_a])
    client = client_as("officer_a")
    url = reverse("library:resource_edit", args=[resource.pk])
    assert "Housing repairs specification" in client.get(url).content.decode()
    page = client.post(url, {"title": ""}).content.decode()
    assert "Enter a title" in page
    client.post(
        url,
        {"title": "Repairs spec", "summary": "Shorter.", "kind": "specification", "licence": "mit"},
    )
    resource.refresh_from_db()
    assert (resource.title, resource.licence) == ("Repairs spec", "mit")
    assert list(resource.organisations.all()) == [borough_a]


def test_a_download_keeps_a_name_in_any_alphabet_safely(client_as, officer_a, borough_a):
    resource = make_resource(officer_a, [borough_a])
    version = services.version_add(
        actor=officer_a,
        resource=resource,
        label="2.0",
        upload=text_file('Café "plan";\r\nSet-Cookie: x.txt', b"Bonjour\n"),
    )
    response = client_as("anonymous").get(
        reverse("library:version_download", args=[resource.pk, version.pk])
    )
    assert version.file_name == "Café_planSet-Cookie_x.txt"
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''Caf%C3%A9_planSet-Cookie_x.txt"
    )
    assert "Set-Cookie" not in response.headers


def test_the_office_form_lists_the_fields_in_order(client_as):
    page = client_as("staff").get(reverse("library:resource_create")).content.decode()
    order = [
        page.index(f'name="{name}"')
        for name in (
            "title",
            "summary",
            "kind",
            "licence",
            "organisations",
            "label",
            "upload",
            "link",
            "publish",
        )
    ]
    assert order == sorted(order)
    assert "Which organisations made it?" in page


def test_a_file_being_read_shows_the_works_progress(client_as, officer_a, borough_a, monkeypatch):
    # The real task_start, so that the version records the progress it starts.
    from loti.core import services as core_services

    monkeypatch.setattr(services, "task_start", core_services.task_start)
    resource = make_resource(officer_a, [borough_a])
    version = resource.latest_version()
    assert version.text_state == TextState.PENDING and version.text_progress is not None
    progress = reverse("core:task_progress", args=[version.text_progress.pk])
    for persona in ("officer_a", "staff"):
        page = client_as(persona).get(resource.get_absolute_url()).content.decode()
        assert "Not yet: its text is being read" in page
        assert progress in page and "loti/progress.js" in page
    # Others see that it is being read, not the work they may not follow.
    page = client_as("anonymous").get(resource.get_absolute_url()).content.decode()
    assert "Not yet: its text is being read" in page
    assert progress not in page and "loti/progress.js" not in page

    Version.objects.filter(pk=version.pk).update(text_state=TextState.READ)
    page = client_as("officer_a").get(resource.get_absolute_url()).content.decode()
    assert "loti/progress.js" not in page
