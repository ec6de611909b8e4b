import datetime
import hashlib
import io
import zipfile
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import F
from django.urls import reverse

from loti.core import demo, search
from loti.core.models import AuditEntry
from loti.library import files
from loti.library.models import Kind, Licence, Resource, Reuse, TextState, Version
from loti.library.selectors import resources_seen_by
from loti.members.models import Contribution, Membership, Organisation, Person

TODAY = datetime.date(2026, 11, 22)


def fingerprint():
    """Everything the demo made, without primary keys or timestamps."""
    return {
        "organisations": sorted(Organisation.objects.values_list("slug", "gss_code", "kind")),
        "memberships": sorted(
            Membership.objects.values_list(
                "organisation__slug", "year", "tier", "fee_due", "declaration_signed_on"
            )
        ),
        "contributions": sorted(
            Contribution.objects.values_list(
                "organisation__slug", "year", "kind", "status", "amount", "paid_on"
            )
        ),
        "people": sorted(
            Person.objects.values_list(
                "email", "full_name", "role", "organisation__slug", "is_advisory_board"
            )
        ),
        "library": sorted(
            Version.objects.values_list(
                "resource__title",
                "resource__kind",
                "resource__licence",
                "resource__published_at",
                "label",
                "changes",
                "file_name",
                "sha256",
                "link",
            )
        ),
        "reuses": sorted(
            Reuse.objects.values_list("resource__title", "organisation__slug", "recorded_on")
        ),
    }


@pytest.fixture(scope="module")
def london(module_transaction):
    """The demo consortium for the seed `loti demo` uses, built once for this module's tests,
    which only read it."""
    demo.build(seed=2019, today=TODAY)


def test_the_demo_year_brings_in_1_010_000(db, london, client):
    memberships = Membership.objects.filter(year=2026)
    assert memberships.filter(tier="core").count() == 27
    assert sorted(
        memberships.filter(tier="funder").values_list("organisation__short_name", flat=True)
    ) == [
        "GLA",
        "London Councils",
    ]
    client.force_login(Person.objects.get(email="office@loti.example"))
    response = client.get(reverse("members:finance_year", args=["2026-27"]))
    assert response.context["summary"].total == Decimal(1_010_000)
    assert "£1,010,000" in response.content.decode()


def test_demo_logins_exist_and_sign_in(db, london, client):
    for login in demo.logins():
        assert client.login(email=login.email, password=demo.DEMO_PASSWORD), login.email
    roles = {login.email: Person.objects.get(email=login.email).role for login in demo.logins()}
    assert sorted(roles.values()) == ["lead", "office", "officer", "officer", "partner", "partner"]
    assert AuditEntry.objects.exists()  # the demo goes through the audited services


def test_the_demo_library_has_every_kind_and_format(db, london):
    resources = Resource.objects.all()
    assert 55 <= resources.count() <= 65
    assert all(resources.values_list("synthetic", flat=True))
    for kind in Kind.values:
        assert resources.filter(kind=kind).count() >= 5, kind
    files = Version.objects.exclude(file="")
    assert {v.file_name.rsplit(".", 1)[1] for v in files} == {
        "pdf",
        "docx",
        "xlsx",
        "odt",
        "csv",
        "md",
        "txt",
    }
    links = Version.objects.exclude(link="")
    assert links.count() >= 3
    assert all(link.startswith("https://") for link in links.values_list("link", flat=True))
    assert set(links.values_list("text_state", flat=True)) == {TextState.NONE}
    assert set(files.values_list("text_state", flat=True)) == {TextState.READ}
    labels = {
        resource.pk: sorted(resource.versions.values_list("label", flat=True))
        for resource in resources
    }
    assert sum(found == ["1.0", "2.0"] for found in labels.values()) >= 5
    assert sum(found == ["1.0", "2.0", "3.0"] for found in labels.values()) >= 3
    assert not Version.objects.exclude(label="1.0").filter(changes="").exists()
    assert len(set(resources.values_list("title", flat=True))) == resources.count()
    for resource in resources:
        assert resource.service_areas.count() == 1 and resource.workstreams.count() == 1
    assert resources.filter(projects__isnull=False).distinct().count() >= 20


def test_the_demo_library_files_are_stored_with_their_text(db, london):
    for version in Version.objects.exclude(file=""):
        with default_storage.open(version.file.name) as stored:
            data = stored.read()
        assert version.file.name == f"library/{version.resource_id}/{version.storage_name}"
        assert len(data) == version.size
        assert hashlib.sha256(data).hexdigest() == version.sha256
        assert version.text.count("SYNTHETIC DEMO CONTENT") == 1
        extension = version.file_name.rsplit(".", 1)[1]
        # Every demo file is one the library's upload checks would take, as the type stored.
        upload = SimpleUploadedFile(version.file_name, data)
        assert files.check_upload(upload).content_type == version.content_type
        if extension == "txt":
            assert data.decode() == version.text + "\n"
        elif extension == "pdf":
            assert data.startswith(b"%PDF-")
        elif extension in {"docx", "xlsx", "odt"}:
            assert zipfile.ZipFile(io.BytesIO(data)).testzip() is None


def test_the_demo_library_has_drafts_and_members_only_resources(db, london):
    drafts = Resource.objects.filter(published_at__isnull=True)
    assert drafts.count() == 2
    assert {"barnet", "camden"} <= set(drafts.values_list("organisations__slug", flat=True))
    members_only = Resource.objects.filter(licence=Licence.MEMBERS_ONLY, published_at__isnull=False)
    assert members_only.count() >= 3
    anonymous = set(resources_seen_by(AnonymousUser()))
    partner = set(resources_seen_by(Person.objects.get(email="met.partner@loti.example")))
    barnet = set(resources_seen_by(Person.objects.get(email="barnet.officer@loti.example")))
    assert anonymous and not anonymous & (set(drafts) | set(members_only))
    assert set(members_only) <= partner and not partner & set(drafts)
    assert {d for d in drafts if "barnet" in d.organisations.values_list("slug", flat=True)} == (
        barnet & set(drafts)
    )


def test_several_boroughs_reused_demo_resources_in_the_last_two_years(db, london):
    reuses = Reuse.objects.all()
    assert reuses.values("organisation").distinct().count() >= 10
    assert not reuses.filter(resource__organisations=F("organisation")).exists()
    assert not reuses.filter(resource__published_at__isnull=True).exists()
    this_year = datetime.date(2026, 4, 1)
    assert reuses.filter(recorded_on__lt=this_year).exists()
    assert reuses.filter(recorded_on__gte=this_year).exists()
    assert not reuses.filter(recorded_on__lt=datetime.date(2025, 4, 1)).exists()
    assert not reuses.filter(recorded_on__gt=TODAY).exists()


def test_a_word_from_a_demo_file_finds_its_resource(db, london):
    resource = next(
        resource
        for resource in Resource.objects.order_by("pk")
        if "ransomware" in resource.latest_text()
    )
    assert "ransomware" not in f"{resource.title} {resource.summary}".lower()
    office = Person.objects.get(email="office@loti.example")
    found = search.search(resources_seen_by(office), search.parse("ransomware"))
    assert resource in list(found)
    assert all("ransomware" in each.latest_text() for each in found)
