"""The library over the API: the same visibility as the pages, filters, ranked search and
pagination, and members creating resources and adding versions, with every refusal a 4xx
that says why."""

import datetime
import hashlib
import json

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from loti.core import search
from loti.library import services
from loti.library.models import Kind, Licence, Resource, TextState, Version
from loti.portfolio.workstreams import services as workstream_services
from loti.techmap.models import ServiceArea
from tests.permission_matrix import api_tokens
from tests.personas import PERSONAS, build_personas

LIST = "/api/library/resources"


def published_in(resource: Resource, year: int) -> None:
    Resource.objects.filter(pk=resource.pk).update(
        published_at=datetime.datetime(year, 6, 1, 12, tzinfo=datetime.UTC)
    )
    search.index(Resource.objects.get(pk=resource.pk))


@pytest.fixture(scope="module")
def library(module_transaction):
    """Five resources of every kind of visibility, and the personas with their tokens; the
    tests write only inside their own savepoints."""
    with pytest.MonkeyPatch.context() as patch:
        # Reading the files' text is the background task's own tests' business.
        patch.setattr(services, "task_start", lambda path, **kwargs: None)
        return _library()


def _library():
    built = build_personas()
    staff = built["staff"]
    housing = ServiceArea.objects.get(slug="housing-management")
    workstream = workstream_services.workstream_create(actor=staff, name="Cyber security")

    def make(title, summary, organisation, *, licence=Licence.OGL, publish=True, **fields):
        return services.resource_create(
            actor=staff,
            title=title,
            summary=summary,
            kind=fields.pop("kind", Kind.GUIDE),
            licence=licence,
            organisations=[built[organisation]],
            publish=publish,
            **fields,
        )

    open_guide = make(
        "Repairs reporting guide",
        "How Barnet set up online repairs reporting for tenants.",
        "borough_a",
        service_areas=[housing],
    )
    published_in(open_guide, 2025)
    tender = make(
        "Cyber incident response tender",
        "The tender Camden used to buy a cyber incident response service; mentions repairs.",
        "borough_b",
        kind=Kind.TENDER,
        licence=Licence.CC_BY,
        workstreams=[workstream],
    )
    members_only = make(
        "Repairs contract pricing",
        "Prices Camden agreed for its repairs contract.",
        "borough_b",
        licence=Licence.MEMBERS_ONLY,
        kind=Kind.BUSINESS_CASE,
    )
    barnet_draft = make(
        "Barnet draft", "Not yet published: repairs notes.", "borough_a", publish=False
    )
    camden_draft = make(
        "Camden draft", "Not yet published: repairs notes.", "borough_b", publish=False
    )
    services.version_add(
        actor=staff,
        resource=open_guide,
        label="1.0",
        upload=SimpleUploadedFile("guide.txt", b"The first guide.", "text/plain"),
    )
    services.version_add(
        actor=staff,
        resource=open_guide,
        label="2.0",
        changes="Adds the tenants' survey.",
        link="https://example.org/guide-v2",
    )
    personas = {name: built[name] for name in PERSONAS}
    return {
        "personas": personas,
        "tokens": api_tokens(personas),
        "open_guide": open_guide,
        "tender": tender,
        "members_only": members_only,
        "barnet_draft": barnet_draft,
        "camden_draft": camden_draft,
        "workstream": workstream,
    }


@pytest.fixture(autouse=True)
def _in_a_savepoint(db):
    """Every test here reads or writes the module's records, each in its own savepoint."""


def headers(library, persona):
    token = library["tokens"].get(persona)
    return {"Authorization": f"Bearer {token}"} if token else {}


def get(client, library, url, persona="anonymous", **params):
    return client.get(url, params, headers=headers(library, persona))


def titles(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["title"] for item in response.json()["items"]]


def post_json(client, library, url, body, persona):
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(
        url, data, content_type="application/json", headers=headers(library, persona)
    )


# Reading ----------------------------------------------------------------------------------

OPEN = {"Repairs reporting guide", "Cyber incident response tender"}
SEEN = {
    "anonymous": OPEN,
    "partner": OPEN | {"Repairs contract pricing"},
    "lead_a": OPEN | {"Repairs contract pricing", "Barnet draft"},
    "officer_a": OPEN | {"Repairs contract pricing", "Barnet draft"},
    "officer_b": OPEN | {"Repairs contract pricing", "Camden draft"},
    "staff": OPEN | {"Repairs contract pricing", "Barnet draft", "Camden draft"},
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_list_shows_what_the_persona_may_read(client, library, persona):
    response = get(client, library, LIST, persona)

    assert set(titles(response)) == SEEN[persona]
    assert response.json()["count"] == len(SEEN[persona])


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_search_shows_only_what_the_persona_may_read(client, library, persona):
    # Every resource mentions repairs; each persona finds only those they may read.
    response = get(client, library, LIST, persona, q="repairs")

    assert set(titles(response)) == SEEN[persona]


def test_the_newest_come_first_drafts_by_when_they_were_started(client, library):
    found = titles(get(client, library, LIST, "staff"))

    # As the library's own page orders them (selectors.resource_search): the drafts, started
    # last, come first; the guide published in 2025 is the oldest.
    assert sorted(found[:2]) == ["Barnet draft", "Camden draft"]
    assert found[-1] == "Repairs reporting guide"


@pytest.mark.parametrize(
    ("resource", "persona"),
    [
        ("members_only", "anonymous"),
        ("barnet_draft", "anonymous"),
        ("barnet_draft", "partner"),
        ("barnet_draft", "officer_b"),
        ("camden_draft", "officer_a"),
    ],
)
def test_what_the_persona_may_not_read_is_not_there(client, library, resource, persona):
    response = get(client, library, f"{LIST}/{library[resource].pk}", persona)

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_the_detail_has_the_versions_newest_first(client, library):
    guide = library["open_guide"]
    response = get(client, library, f"{LIST}/{guide.pk}")

    assert response.status_code == 200
    body = response.json()
    assert (body["title"], body["kind"], body["licence"]) == (
        "Repairs reporting guide",
        "guide",
        "ogl-3.0",
    )
    assert body["organisations"] == ["barnet"]
    assert body["service_areas"] == ["housing-management"]
    assert body["url"] == f"/library/{guide.pk}/"
    link, upload = body["versions"]
    assert link["label"] == "2.0"
    assert link["changes"] == "Adds the tenants' survey."
    assert link["link"] == "https://example.org/guide-v2"
    assert (link["download_url"], link["text_state"], link["size"]) == (None, "none", None)
    file = Version.objects.get(resource=guide, label="1.0")
    assert upload == {
        "id": file.pk,
        "label": "1.0",
        "changes": "",
        "created_at": upload["created_at"],
        "file_name": "guide.txt",
        "content_type": "text/plain; charset=utf-8",
        "size": 16,
        "sha256": hashlib.sha256(b"The first guide.").hexdigest(),
        "link": "",
        "text_state": file.text_state,
        "download_url": f"/library/{guide.pk}/versions/{file.pk}/download/",
    }
    # The API gives times to the millisecond.
    sent = datetime.datetime.fromisoformat(upload["created_at"])
    assert abs(sent - file.created_at) < datetime.timedelta(milliseconds=1)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"kind": "tender"}, {"Cyber incident response tender"}),
        ({"licence": "cc-by-4.0"}, {"Cyber incident response tender"}),
        ({"licence": "members-only"}, {"Repairs contract pricing"}),
        ({"organisation": "barnet"}, {"Repairs reporting guide", "Barnet draft"}),
        ({"service_area": "housing-management"}, {"Repairs reporting guide"}),
        ({"workstream": "cyber-security"}, {"Cyber incident response tender"}),
        ({"year": 2025}, {"Repairs reporting guide"}),
        ({"year": 2024}, set()),
        (
            {"organisation": "camden", "q": "repairs"},
            {"Repairs contract pricing", "Cyber incident response tender"},
        ),
        ({"kind": "tender", "q": "repairs"}, {"Cyber incident response tender"}),
        # A draft counts in the year it was started.
        (
            {"year": timezone.now().year, "q": "repairs"},
            {"Repairs contract pricing", "Cyber incident response tender", "Barnet draft"},
        ),
    ],
)
def test_filters(client, library, params, expected):
    assert set(titles(get(client, library, LIST, "officer_a", **params))) == expected


def test_search_ranks_a_match_in_the_title_first(client, library):
    found = titles(get(client, library, LIST, "partner", q="cyber"))

    assert found == ["Cyber incident response tender"]
    found = titles(get(client, library, LIST, "partner", q="repairs"))
    # "Repairs" in the titles of two, only in the summary of the tender.
    assert found[-1] == "Cyber incident response tender"


@pytest.mark.parametrize(
    "q", ['"repairs', "repairs OR 1=1; --", "a" * 10_000, "🔧 repairs", "NEAR(repairs)", "*"]
)
def test_any_search_text_is_answered(client, library, q):
    response = get(client, library, LIST, "anonymous", q=q)

    assert response.status_code in (200, 422)
    if response.status_code == 200:
        assert set(titles(response)) <= OPEN


def test_search_results_come_a_page_at_a_time(client, library):
    first = get(client, library, LIST, "staff", q="repairs", limit=2)
    rest = get(client, library, LIST, "staff", q="repairs", limit=2, offset=2)

    assert first.json()["count"] == rest.json()["count"] == 5
    pages = (
        titles(first)
        + titles(rest)
        + titles(get(client, library, LIST, "staff", q="repairs", limit=2, offset=4))
    )
    assert sorted(pages) == sorted(SEEN["staff"])


@pytest.mark.parametrize(
    ("params", "status", "reason"),
    [
        ({"kind": "novel"}, 422, "kind"),
        ({"licence": "gpl"}, 422, "licence"),
        ({"year": 10**30}, 422, "year"),
        ({"limit": 10**9}, 422, "limit"),
        ({"offset": -1}, 422, "offset"),
        ({"organisation": "atlantis"}, 400, "There is no organisation 'atlantis'"),
        ({"service_area": "moon-bases"}, 400, "There is no service area 'moon-bases'"),
        ({"workstream": "none-such"}, 400, "There is no workstream 'none-such'"),
        ({"organisation": "bar\x00net"}, 422, "NUL"),
    ],
)
def test_bad_filters_are_refused_with_a_reason(client, library, params, status, reason):
    response = get(client, library, LIST, "anonymous", **params)

    assert response.status_code == status, response.content
    assert reason in response.content.decode()


def test_an_id_too_large_for_the_database_is_refused(client, library):
    assert get(client, library, f"{LIST}/{10**30}").status_code == 422


# Creating --------------------------------------------------------------------------------

NEW = {
    "title": "Damp and mould survey",
    "summary": "The survey Barnet sends tenants about damp and mould.",
    "kind": "template",
    "licence": "cc-by-sa-4.0",
    "service_areas": ["housing-management"],
    "workstreams": ["cyber-security"],
}


def test_an_officer_creates_a_draft_for_their_organisation(client, library):
    response = post_json(client, library, LIST, NEW, "officer_a")

    assert response.status_code == 201, response.content
    body = response.json()
    resource = Resource.objects.get(pk=body["id"])
    assert (resource.title, resource.kind, resource.licence) == (
        "Damp and mould survey",
        "template",
        "cc-by-sa-4.0",
    )
    assert body["organisations"] == ["barnet"]
    assert body["service_areas"] == ["housing-management"]
    assert body["workstreams"] == ["cyber-security"]
    assert body["published_at"] is None and body["versions"] == []
    assert resource.created_by == library["personas"]["officer_a"]
    # A draft: Barnet reads it, the public does not.
    assert get(client, library, f"{LIST}/{resource.pk}", "lead_a").status_code == 200
    assert get(client, library, f"{LIST}/{resource.pk}").status_code == 404


def test_an_officer_creates_one_made_with_another_organisation(client, library):
    body = {**NEW, "organisations": ["barnet", "camden"]}
    response = post_json(client, library, LIST, body, "lead_a")

    assert response.status_code == 201, response.content
    assert response.json()["organisations"] == ["barnet", "camden"]


def test_the_office_publishes_for_any_organisation(client, library):
    body = {**NEW, "organisations": ["barnet", "camden"], "publish": True}
    response = post_json(client, library, LIST, body, "staff")

    assert response.status_code == 201, response.content
    assert response.json()["organisations"] == ["barnet", "camden"]
    assert response.json()["published_at"] is not None
    assert "Damp and mould survey" in titles(get(client, library, LIST, q="mould"))


@pytest.mark.parametrize(
    ("persona", "body", "status"),
    [
        ("anonymous", NEW, 401),
        ("partner", NEW, 403),
        ("officer_b", {**NEW, "organisations": ["barnet"]}, 403),
        ("officer_a", {**NEW, "organisations": ["camden"]}, 403),
        ("staff", NEW, 400),  # the office has no organisation of its own to default to
    ],
)
def test_who_may_not_create_is_refused_and_nothing_is_saved(client, library, persona, body, status):
    before = Resource.objects.count()

    response = post_json(client, library, LIST, body, persona)

    assert response.status_code == status, response.content
    assert response.json()["detail"]
    assert Resource.objects.count() == before


@pytest.mark.parametrize(
    ("body", "status", "reason"),
    [
        ("{not json", 400, "Cannot parse request body"),
        ("[]", 422, "Send a JSON object"),
        ("5", 422, "Send a JSON object"),
        ({**NEW, "kind": "novel"}, 422, "kind"),
        ({**NEW, "licence": "unknown"}, 422, "licence"),
        ({**NEW, "title": ""}, 422, "title"),
        ({**NEW, "title": "x" * 201}, 422, "title"),
        ({**NEW, "title": "Nul\x00"}, 422, "NUL"),
        ({**NEW, "publish": "yes"}, 422, "publish"),
        ({**NEW, "service_areas": ["moon-bases"]}, 400, "There is no service area 'moon-bases'"),
        ({**NEW, "workstreams": "cyber-security"}, 422, "workstreams"),
        ({**NEW, "projects": ["no-such-project"]}, 400, "There is no project 'no-such-project'"),
        ({**NEW, "organisations": ["atlantis"]}, 400, "There is no organisation 'atlantis'"),
    ],
)
def test_a_bad_resource_is_refused_with_a_reason(client, library, body, status, reason):
    before = Resource.objects.count()

    response = post_json(client, library, LIST, body, "officer_a")

    assert response.status_code == status, response.content
    assert reason in response.content.decode()
    assert Resource.objects.count() == before


# Adding versions -------------------------------------------------------------------------


def versions_url(library, resource):
    return f"{LIST}/{library[resource].pk}/versions"


def post_upload(client, library, resource, persona, **fields):
    return client.post(versions_url(library, resource), fields, headers=headers(library, persona))


def test_a_member_uploads_a_new_version(client, library):
    content = b"Second edition of the draft.\n"
    response = post_upload(
        client,
        library,
        "barnet_draft",
        "officer_a",
        label="0.2",
        changes="Tidied",
        upload=SimpleUploadedFile("notes.txt", content, "text/plain"),
    )

    assert response.status_code == 201, response.content
    body = response.json()
    version = Version.objects.get(pk=body["id"])
    assert (body["label"], body["changes"], body["file_name"]) == ("0.2", "Tidied", "notes.txt")
    assert body["size"] == len(content)
    assert body["sha256"] == hashlib.sha256(content).hexdigest()
    assert body["download_url"] == (
        f"/library/{library['barnet_draft'].pk}/versions/{version.pk}/download/"
    )
    with default_storage.open(version.file.name) as stored:
        assert stored.read() == content
    detail = get(client, library, f"{LIST}/{library['barnet_draft'].pk}", "lead_a").json()
    assert detail["versions"][0]["id"] == version.pk


def test_a_member_adds_a_link_as_a_version(client, library):
    body = {"label": "3.0", "changes": "Moved", "link": "https://example.org/guide-v3"}
    response = post_json(client, library, versions_url(library, "open_guide"), body, "lead_a")

    assert response.status_code == 201, response.content
    assert response.json()["link"] == "https://example.org/guide-v3"
    assert response.json()["download_url"] is None
    assert Version.objects.get(pk=response.json()["id"]).text_state == TextState.NONE


@pytest.mark.parametrize(
    ("persona", "resource", "status"),
    [
        ("anonymous", "open_guide", 401),
        ("partner", "open_guide", 403),
        ("officer_b", "open_guide", 403),
        ("officer_b", "barnet_draft", 404),
        ("officer_a", "members_only", 403),
    ],
)
def test_who_may_not_add_a_version_is_refused(client, library, persona, resource, status):
    before = Version.objects.count()
    body = {"label": "9.0", "link": "https://example.org/x"}

    response = post_json(client, library, versions_url(library, resource), body, persona)

    assert response.status_code == status, response.content
    assert Version.objects.count() == before


def _file(name="notes.txt", content=b"Some notes."):
    return SimpleUploadedFile(name, content, "application/octet-stream")


@pytest.mark.parametrize(
    ("fields", "status", "reason"),
    [
        ({"upload": _file()}, 422, "Enter a version label"),
        ({"label": "0.3"}, 422, "Select a file"),
        ({"label": "x" * 41, "upload": _file()}, 422, "40 characters"),
        ({"label": "0.3", "changes": "a\x00b", "upload": _file()}, 422, "NUL"),
        ({"label": "0.3", "upload": _file("tool.exe")}, 400, "The selected file must be a PDF"),
        ({"label": "0.3", "upload": _file(content=b"")}, 400, "empty"),
    ],
)
def test_a_bad_upload_is_refused_with_a_reason(client, library, fields, status, reason):
    before = Version.objects.count()

    response = post_upload(client, library, "barnet_draft", "officer_a", **fields)

    assert response.status_code == status, response.content
    assert reason in response.content.decode()
    assert Version.objects.count() == before


@pytest.mark.parametrize(
    ("body", "status", "reason"),
    [
        ({"label": "1.0", "link": "https://example.org/again"}, 400, "label"),  # taken
        ({"label": "4.0", "link": "http://example.org/plain"}, 400, "https"),
        ({"label": "4.0", "link": "not a link"}, 400, "link"),
        ({"label": "4.0"}, 422, "link"),
        ({"label": 4, "link": "https://example.org/x"}, 422, "label"),
        ("[1, 2]", 422, "Send a JSON object"),
        ("{broken", 400, "Cannot parse request body"),
        (b"\xff\xfe", 400, "Cannot parse request body"),
    ],
)
def test_a_bad_link_is_refused_with_a_reason(client, library, body, status, reason):
    before = Version.objects.count()

    response = post_json(client, library, versions_url(library, "open_guide"), body, "staff")

    assert response.status_code == status, response.content
    assert reason in response.content.decode()
    assert Version.objects.count() == before


def test_a_body_of_another_kind_is_refused(client, library):
    response = client.post(
        versions_url(library, "open_guide"),
        "label=1",
        content_type="text/plain",
        headers=headers(library, "staff"),
    )

    assert response.status_code == 422
    assert "multipart/form-data" in response.content.decode()


def test_a_broken_multipart_body_is_refused(client, library):
    response = client.post(
        versions_url(library, "open_guide"),
        b'--x\r\nContent-Disposition: form-data; name="label"\r\n\r\n1',
        content_type="multipart/form-data; boundary=",
        headers=headers(library, "staff"),
    )

    assert response.status_code == 422, response.content
