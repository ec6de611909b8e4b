import hashlib

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from loti.core import search
from loti.core.models import AuditEntry
from loti.library import services
from loti.library.models import Kind, Licence, Resource, Reuse, TextState
from tests.library.conftest import make_resource, stored_files, text_file
from tests.personas import make_person


def _fields(**overrides):
    return {
        "title": "Tender template",
        "summary": "A template for tendering a case management system.",
        "kind": Kind.TENDER,
        "licence": Licence.CC_BY,
    } | overrides


@pytest.mark.parametrize("persona", ["officer_a", "lead_a"])
def test_a_member_adds_a_resource_of_their_own_organisation(request, persona, borough_a, started):
    person = request.getfixturevalue(persona)
    resource = make_resource(person, [borough_a])
    version = resource.latest_version()
    assert list(resource.organisations.all()) == [borough_a]
    assert resource.is_published and resource.created_by == person
    content = b"How to reuse the housing repairs specification.\n"
    assert (version.file_name, version.content_type, version.size) == (
        "guide.txt",
        "text/plain; charset=utf-8",
        len(content),
    )
    assert version.sha256 == hashlib.sha256(content).hexdigest()
    assert version.text_state == TextState.PENDING
    assert version.file.name == f"library/{resource.pk}/{version.storage_name}"
    assert version.storage_name.endswith(".txt") and "guide" not in version.storage_name
    assert version.file.read() == content
    assert started == [
        (
            "loti.library.tasks.extract_text",
            {
                "label": f"Reading the text of {resource} 1.0",
                "requested_by": person,
                "result_url": resource.get_absolute_url(),
                "version_id": version.pk,
            },
        )
    ]
    assert AuditEntry.objects.filter(object_repr=str(resource)).exists()


def test_a_member_may_not_write_for_another_organisation(officer_a, borough_b):
    with pytest.raises(PermissionDenied):
        services.resource_create(actor=officer_a, organisations=[borough_b], **_fields())
    assert not Resource.objects.exists()


def test_the_office_writes_for_any_organisation(staff, borough_a, borough_b):
    resource = services.resource_create(
        actor=staff, organisations=[borough_a, borough_b], **_fields()
    )
    assert not resource.is_published
    services.resource_update(actor=staff, resource=resource, title="Tender template v2")
    assert Resource.objects.get().title == "Tender template v2"


def test_partners_and_the_public_write_nothing(partner, police, borough_a, officer_a):
    with pytest.raises(PermissionDenied):
        services.resource_create(actor=partner, organisations=[police], **_fields())
    resource = make_resource(officer_a, [borough_a])
    for actor in (partner, AnonymousUser()):
        with pytest.raises(PermissionDenied):
            services.resource_update(actor=actor, resource=resource, title="Taken over")
        with pytest.raises(PermissionDenied):
            services.version_add(actor=actor, resource=resource, label="2", link="https://x.test")


def test_another_organisations_member_may_not_change_it(officer_a, officer_b, borough_a):
    resource = make_resource(officer_a, [borough_a], publish=False)
    with pytest.raises(PermissionDenied):
        services.resource_update(actor=officer_b, resource=resource, title="Mine now")
    with pytest.raises(PermissionDenied):
        services.resource_publish(actor=officer_b, resource=resource)


def test_a_member_may_not_drop_their_own_organisation(officer_a, borough_a, borough_b):
    resource = make_resource(officer_a, [borough_a, borough_b])
    with pytest.raises(PermissionDenied):
        services.resource_update(actor=officer_a, resource=resource, organisations=[borough_b])
    assert set(resource.organisations.all()) == {borough_a, borough_b}


def test_a_resource_needs_its_organisations(staff):
    with pytest.raises(ValidationError) as raised:
        services.resource_create(actor=staff, organisations=[], **_fields())
    assert raised.value.message_dict == {"organisations": ["Select the organisations that made it"]}


def test_a_refused_upload_leaves_no_resource_and_no_file(officer_a, borough_a):
    before = stored_files()
    with pytest.raises(ValidationError) as raised:
        services.resource_create(
            actor=officer_a,
            organisations=[borough_a],
            version={"label": "1.0", "upload": text_file("setup.exe", b"MZ...")},
            **_fields(),
        )
    assert "upload" in raised.value.message_dict
    assert not Resource.objects.exists()
    assert stored_files() == before


def test_a_failure_after_the_file_is_stored_deletes_it(officer_a, borough_a, monkeypatch):
    before = stored_files()

    def broken(resource):
        raise RuntimeError("the index is unavailable")

    monkeypatch.setattr(search, "index", broken)
    with pytest.raises(RuntimeError):
        make_resource(officer_a, [borough_a])
    assert not Resource.objects.exists()
    assert stored_files() == before


@pytest.mark.parametrize(
    ("version", "field", "message"),
    [
        ({"label": "2.0"}, "upload", "Upload a file or give the web address where it is published"),
        (
            {"label": "2.0", "link": "https://example.test/guide", "upload": "file"},
            "upload",
            "Upload a file or give a web address, not both",
        ),
        (
            {"label": "2.0", "link": "http://example.test/guide"},
            "link",
            "Enter a web address starting with https://",
        ),
        (
            {"label": "2.0", "link": "javascript:alert(1)"},
            "link",
            "Enter a web address starting with https://",
        ),
        ({"label": "1.0", "link": "https://example.test/guide"}, "label", None),
        (
            {"label": " ", "link": "https://example.test/guide"},
            "label",
            "Enter the version, for example 1.0 or March 2026",
        ),
    ],
)
def test_a_version_is_one_file_or_one_https_link(officer_a, borough_a, version, field, message):
    resource = make_resource(officer_a, [borough_a])
    if version.get("upload") == "file":
        version["upload"] = text_file()
    with pytest.raises(ValidationError) as raised:
        services.version_add(actor=officer_a, resource=resource, **version)
    assert field in raised.value.message_dict
    if message:
        assert raised.value.message_dict[field] == [message]
    assert resource.versions.count() == 1


def test_a_link_version_is_the_latest_and_has_nothing_to_read(officer_a, borough_a, started):
    resource = make_resource(officer_a, [borough_a])
    started.clear()
    link = services.version_add(
        actor=officer_a,
        resource=resource,
        label="2.0",
        changes="Moved to the council's website",
        link="https://example.test/guide",
    )
    assert resource.latest_version() == link
    assert link.text_state == TextState.NONE and not link.file
    assert [v.label for v in resource.versions.all()] == ["2.0", "1.0"]
    assert started == []


def test_search_finds_a_changed_title(officer_a, borough_a):
    resource = make_resource(officer_a, [borough_a])
    services.resource_update(actor=officer_a, resource=resource, title="Kerbside waste guide")
    found = search.search(Resource.objects.all(), search.parse("kerbside"))
    assert list(found) == [resource]


def test_publishing_a_draft(officer_a, borough_a):
    resource = make_resource(officer_a, [borough_a], publish=False)
    services.resource_publish(actor=officer_a, resource=resource)
    assert Resource.objects.get().is_published
    with pytest.raises(ValidationError, match="already published"):
        services.resource_publish(actor=officer_a, resource=resource)


def test_a_draft_without_a_version_cannot_be_published(staff, borough_a):
    resource = services.resource_create(actor=staff, organisations=[borough_a], **_fields())
    with pytest.raises(ValidationError, match="Add a version"):
        services.resource_publish(actor=staff, resource=resource)


def test_reuse_is_counted_once_per_organisation_and_withdrawn(
    officer_a, borough_a, officer_b, borough_b
):
    resource = make_resource(officer_a, [borough_a])
    other_officer = make_person("lead_a", borough_b)
    first = services.reuse_record(actor=officer_b, resource=resource)
    again = services.reuse_record(actor=other_officer, resource=resource)
    assert first == again
    assert list(Reuse.objects.values_list("organisation", flat=True)) == [borough_b.pk]
    services.reuse_withdraw(actor=other_officer, resource=resource)
    assert not Reuse.objects.exists()


def test_who_may_record_a_reuse(officer_a, borough_a, staff, partner, officer_b):
    resource = make_resource(officer_a, [borough_a])
    for actor in (staff, partner):
        with pytest.raises(PermissionDenied):
            services.reuse_record(actor=actor, resource=resource)
    with pytest.raises(ValidationError, match="Your organisation made"):
        services.reuse_record(actor=officer_a, resource=resource)
    draft = make_resource(officer_a, [borough_a], publish=False, title="Draft guide")
    with pytest.raises(ValidationError, match="published"):
        services.reuse_record(actor=officer_b, resource=draft)
    assert not Reuse.objects.exists()


@pytest.mark.parametrize(
    ("uploaded", "kept"),
    [
        ("Repairs spec.txt", "Repairs_spec.txt"),
        ("../../etc/passwd.txt", "passwd.txt"),
        ("C:\\Users\\me\\plan.txt", "plan.txt"),
        ('"quoted";\r\nX-Evil: 1.txt', "quotedX-Evil_1.txt"),
    ],
)
def test_the_uploaded_name_is_made_safe(uploaded, kept):
    assert services._file_name(uploaded, "txt") == kept


def test_the_system_writes_with_nobody_recorded(borough_a, borough_b):
    # An actor of None (the demo, a command) may do what the office does.
    resource = services.resource_create(
        actor=None, organisations=[borough_a, borough_b], publish=True, **_fields()
    )
    version = services.version_add(
        actor=None, resource=resource, label="1.0", link="https://example.org/spec"
    )
    assert (resource.created_by, version.created_by) == (None, None)
    assert resource.latest_version() == version
