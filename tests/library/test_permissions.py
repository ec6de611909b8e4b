import pytest
from django.urls import reverse

from loti.library import services
from loti.library.models import Licence
from tests.library.conftest import make_resource
from tests.permission_matrix import Row, case_id, cases, check, expect, posted
from tests.personas import PERSONAS, build_personas

EVERYONE = expect(others=200)
# Members-only resources: every signed-in person; the public are told there is none.
MEMBERS = expect(anonymous=404, others=200)
# A draft of Barnet's: only Barnet's people and the office know it is there.
DRAFT = expect(staff=200, lead_a=200, officer_a=200, others=404)
ANY_WRITER = expect(anonymous=302, partner=403, others=200)
# Barnet's published resource: Barnet's people and the office change it; Camden's officer
# can read it, so is refused rather than told it is not there.
BARNETS = expect(anonymous=302, staff=200, lead_a=200, officer_a=200, others=403)
DRAFT_WRITE = expect(
    anonymous=302, partner=403, officer_b=404, staff=200, lead_a=200, officer_a=200
)
# Members say their organisation reused it (Barnet, which made it, is told it cannot); the
# office and partners reuse nothing.
REUSE = expect(anonymous=302, staff=403, partner=403, others=302)


def url(name, *args):
    return lambda o: reverse(name, args=[o.get(a, a) for a in args])


MATRIX = [
    Row("library:resources", "GET", url("library:resources"), EVERYONE),
    Row("library:resource_create", "GET", url("library:resource_create"), ANY_WRITER),
    Row("library:resource_detail", "GET", url("library:resource_detail", "open"), EVERYONE),
    Row("library:resource_detail", "GET", url("library:resource_detail", "members"), MEMBERS),
    Row("library:resource_detail", "GET", url("library:resource_detail", "draft"), DRAFT),
    Row("library:resource_edit", "GET", url("library:resource_edit", "open"), BARNETS),
    Row("library:resource_publish", "GET", url("library:resource_publish", "draft"), DRAFT_WRITE),
    Row(
        "library:resource_publish",
        "POST",
        url("library:resource_publish", "draft"),
        expect(anonymous=302, partner=403, officer_b=404, staff=302, lead_a=302, officer_a=302),
    ),
    Row("library:version_create", "GET", url("library:version_create", "open"), BARNETS),
    Row(
        "library:version_download",
        "GET",
        url("library:version_download", "open", "open_version"),
        EVERYONE,
    ),
    Row(
        "library:version_download",
        "GET",
        url("library:version_download", "members", "members_version"),
        MEMBERS,
    ),
    Row(
        "library:version_download",
        "GET",
        url("library:version_download", "draft", "draft_version"),
        DRAFT,
    ),
    Row(
        "library:version_download",
        "GET",
        url("library:version_download", "open", "link_version"),
        expect(others=302),
        to_sign_in=False,
    ),
    Row("library:reuse_record", "POST", url("library:reuse_record", "open"), REUSE),
    Row("library:reuse_withdraw", "POST", url("library:reuse_withdraw", "open"), REUSE),
]
MATRIX += [
    posted(MATRIX, route)
    for route in ("library:resource_create", "library:resource_edit", "library:version_create")
]


@pytest.fixture(scope="module")
def objects(module_transaction):
    built = build_personas()
    officer_a = built["officer_a"]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(services, "task_start", lambda path, **kwargs: None)
        open_resource = make_resource(officer_a, [built["borough_a"]])
        members = make_resource(
            officer_a, [built["borough_a"]], licence=Licence.MEMBERS_ONLY, title="Members' guide"
        )
        draft = make_resource(officer_a, [built["borough_a"]], publish=False, title="Draft")
    link = services.version_add(
        actor=officer_a, resource=open_resource, label="2.0", link="https://example.test/guide"
    )
    return {
        "personas": {name: built[name] for name in PERSONAS},
        "open": open_resource.pk,
        "open_version": open_resource.versions.get(label="1.0").pk,
        "link_version": link.pk,
        "members": members.pk,
        "members_version": members.latest_version().pk,
        "draft": draft.pk,
        "draft_version": draft.latest_version().pk,
    }


@pytest.mark.parametrize(("row", "persona"), cases(MATRIX), ids=case_id)
def test_permission_matrix(db, client, objects, row, persona):
    check(client, objects, row, persona)
