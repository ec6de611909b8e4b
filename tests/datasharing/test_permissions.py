"""Who may see, draft, change, open, sign and withdraw data-sharing agreements: one row per
route, method and agreement, one status per persona.

The register is public, never a draft: a draft is read by the office, its parties' and its
drafting organisation's people; anyone else is told it is not there (404). The office writes
any agreement, a member's people the ones their organisation drafted; a reader who may not
write is refused (403), an anonymous visitor sent to sign in (302). Signing is a lead's (or a
partner's signatory's) act for their own party: a borough officer reads but cannot sign.
"""

import pytest
from django.urls import reverse

from tests.datasharing.world import build_world
from tests.permission_matrix import Row, case_id, cases, check, expect, posted
from tests.personas import PERSONAS

EVERYONE = expect(others=200)
# "draft" is Camden's, with the Met; "barnet_draft" Barnet's, with Camden.
READS = {
    "signed": EVERYONE,
    "consultation": EVERYONE,
    "draft": expect(anonymous=404, lead_a=404, officer_a=404, others=200),
    "barnet_draft": expect(anonymous=404, partner=404, others=200),
}


def changes(agreement, ok=200):
    """Changing it: the office any; the drafting organisation's people their own."""
    statuses = {
        "signed": expect(anonymous=302, staff=ok, others=403),
        "consultation": expect(anonymous=302, staff=ok, others=403),
        "draft": expect(
            anonymous=302, staff=ok, officer_b=ok, lead_a=404, officer_a=404, partner=403
        ),
        "barnet_draft": expect(
            anonymous=302, staff=ok, lead_a=ok, officer_a=ok, officer_b=403, partner=403
        ),
    }
    return statuses[agreement]


def url(name, *keys):
    return lambda o: reverse(f"datasharing:{name}", args=[o.get(k, k) for k in keys])


# Barnet's lead is still to sign "consultation"; Camden's lead signed it (not a persona).
SIGNS = expect(anonymous=302, lead_a=200, others=403)
# Barnet's party of "signed": the office or Barnet's lead withdraws it.
WITHDRAWS_BARNET = expect(anonymous=302, staff=200, lead_a=200, others=403)

MATRIX = [
    Row("datasharing:agreements", "GET", url("agreements"), EVERYONE),
    Row(
        "datasharing:agreements",
        "GET",
        lambda o: reverse("datasharing:agreements") + "?status=signed&organisation=x",
        EVERYONE,
    ),
    Row(
        "datasharing:agreement_create",
        "GET",
        url("agreement_create"),
        expect(anonymous=302, partner=403, others=200),
    ),
]
for agreement, reads in READS.items():
    MATRIX += [
        Row("datasharing:agreement_detail", "GET", url("agreement_detail", agreement), reads),
        Row("datasharing:version_detail", "GET", url("version_detail", agreement, 1), reads),
        Row(
            "datasharing:agreement_edit",
            "GET",
            url("agreement_edit", agreement),
            changes(agreement),
        ),
        # Posted empty: the form comes back with its errors, nothing saved.
        Row(
            "datasharing:agreement_edit",
            "POST",
            url("agreement_edit", agreement),
            changes(agreement),
        ),
    ]
MATRIX += [
    Row(
        "datasharing:version_detail", "GET", url("version_detail", "signed", 9), expect(others=404)
    ),
    posted(MATRIX, "datasharing:agreement_create"),
    Row(
        "datasharing:agreement_consult",
        "GET",
        url("agreement_consult", "barnet_draft"),
        changes("barnet_draft"),
    ),
    Row(
        "datasharing:agreement_consult", "GET", url("agreement_consult", "draft"), changes("draft")
    ),
    Row(
        "datasharing:agreement_consult",
        "POST",
        url("agreement_consult", "barnet_draft"),
        changes("barnet_draft", ok=302),
    ),
    Row("datasharing:agreement_sign", "GET", url("agreement_sign", "consultation"), SIGNS),
    Row(
        "datasharing:agreement_sign",
        "GET",
        url("agreement_sign", "draft"),
        expect(anonymous=302, lead_a=404, officer_a=404, others=403),
    ),
    Row(
        "datasharing:agreement_sign",
        "POST",
        url("agreement_sign", "consultation"),
        expect(anonymous=302, lead_a=302, others=403),
        data={"version_number": 1, "capacity": "Chief Digital Officer"},
    ),
    Row("datasharing:agreement_sign", "POST", url("agreement_sign", "consultation"), SIGNS),
    Row(
        "datasharing:party_withdraw",
        "GET",
        url("party_withdraw", "signed", "barnet_party"),
        WITHDRAWS_BARNET,
    ),
    Row(
        "datasharing:party_withdraw",
        "POST",
        url("party_withdraw", "signed", "barnet_party"),
        WITHDRAWS_BARNET,
    ),
    Row(
        "datasharing:party_withdraw",
        "POST",
        url("party_withdraw", "signed", "barnet_party"),
        expect(anonymous=302, staff=302, lead_a=302, others=403),
        data={"on_0": "1", "on_1": "4", "on_2": "2026", "reason": "The service has ended"},
    ),
    # A party of another agreement is not this one's.
    Row(
        "datasharing:party_withdraw",
        "GET",
        url("party_withdraw", "consultation", "barnet_party"),
        expect(anonymous=302, others=404),
    ),
    Row(
        "datasharing:agreement_withdraw",
        "GET",
        url("agreement_withdraw", "signed"),
        changes("signed"),
    ),
    Row(
        "datasharing:agreement_withdraw",
        "POST",
        url("agreement_withdraw", "signed"),
        changes("signed"),
    ),
    Row(
        "datasharing:agreement_withdraw",
        "POST",
        url("agreement_withdraw", "barnet_draft"),
        changes("barnet_draft", ok=302),
        data={
            "withdrawn_on_0": "1",
            "withdrawn_on_1": "4",
            "withdrawn_on_2": "2026",
            "withdrawal_reason": "No longer needed",
        },
    ),
    # The pages that only read refuse other methods.
    Row(
        "datasharing:agreement_detail",
        "POST",
        url("agreement_detail", "signed"),
        expect(others=405),
    ),
]


@pytest.fixture(scope="module")
def objects(module_transaction):
    world = build_world()
    signed = world["signed"]
    return (
        {"personas": {name: world[name] for name in PERSONAS}}
        | {agreement: world[agreement].slug for agreement in READS}
        | {
            "barnet_party": signed.current_version.parties.get(organisation=world["borough_a"]).pk,
        }
    )


@pytest.mark.parametrize(("row", "persona"), cases(MATRIX), ids=case_id)
def test_permission_matrix(db, client, objects, row, persona):
    check(client, objects, row, persona)
