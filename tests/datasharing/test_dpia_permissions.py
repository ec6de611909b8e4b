"""Who may see and change an agreement's DPIA screening and DPIA: one row per route, method
and agreement, one status per persona.

Both are operational details: the public, and a partner whose organisation is no party to
the agreement, are told they are not there (404), as is anyone for another organisation's
draft. Whoever may change the agreement (the office; the people of the organisation that
drafted it) screens it and records its DPIA; the other readers are refused a change (403),
and an anonymous visitor is sent to sign in.
"""

import pytest
from django.urls import reverse

from loti.datasharing.dpia.screening import KEYS
from tests.datasharing.test_dpia_views import RISK, dpia_posted
from tests.datasharing.world import build_world
from tests.permission_matrix import Row, case_id, cases, check, expect
from tests.personas import PERSONAS

# Reading: "signed" is the office's, with Barnet, Camden and the Met.
SIGNED = expect(anonymous=404, others=200)
# "consultation" is the office's, with Barnet and Camden: the Met's partner reads its
# register entry, not its details.
CONSULTATION = expect(anonymous=404, partner=404, others=200)
# "draft" is Camden's, with the Met: Barnet's people are told it is not there.
DRAFT = expect(anonymous=404, lead_a=404, officer_a=404, others=200)
# "barnet_draft" is Barnet's, with Camden.
BARNET_DRAFT = expect(anonymous=404, partner=404, others=200)
READS = {
    "signed": SIGNED,
    "consultation": CONSULTATION,
    "draft": DRAFT,
    "barnet_draft": BARNET_DRAFT,
}


def changes(agreement, ok=200):
    """Changing it: the office any; the drafting organisation's people their own draft."""
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


def url(name, agreement):
    return lambda o: reverse(f"datasharing:{name}", args=[o[agreement]])


ANSWERS = {key: "no" for key in KEYS}
A_DPIA = dpia_posted([RISK])

MATRIX = []
for agreement in READS:
    MATRIX += [
        Row("datasharing:screening", "GET", url("screening", agreement), READS[agreement]),
        Row("datasharing:dpia", "GET", url("dpia", agreement), READS[agreement]),
        Row("datasharing:dpia_edit", "GET", url("dpia_edit", agreement), changes(agreement)),
        # Posted empty: those who may change it get the form back with its errors.
        Row("datasharing:screening", "POST", url("screening", agreement), changes(agreement)),
        Row("datasharing:dpia_edit", "POST", url("dpia_edit", agreement), changes(agreement)),
        # Posted in full: saved, and back to the page.
        Row(
            "datasharing:screening",
            "POST",
            url("screening", agreement),
            changes(agreement, ok=302),
            data=ANSWERS,
        ),
        Row(
            "datasharing:dpia_edit",
            "POST",
            url("dpia_edit", agreement),
            changes(agreement, ok=302),
            data=A_DPIA,
        ),
    ]
# The read pages only read.
MATRIX += [
    Row(
        "datasharing:dpia",
        "POST",
        url("dpia", "signed"),
        expect(anonymous=405, others=405),
    )
]


@pytest.fixture(scope="module")
def objects(module_transaction):
    world = build_world()
    return {"personas": {name: world[name] for name in PERSONAS}} | {
        agreement: world[agreement].slug for agreement in READS
    }


@pytest.mark.parametrize(("row", "persona"), cases(MATRIX), ids=case_id)
def test_permission_matrix(db, client, objects, row, persona):
    check(client, objects, row, persona)
