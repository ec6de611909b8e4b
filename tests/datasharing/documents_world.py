"""The data-sharing test world (tests/datasharing/world.py) with what an agreement's documents
show besides: a second version of the signed agreement awaiting signatures, its DPIA
screening and DPIA, each holding a phrase only readers of details may see."""

from __future__ import annotations

from typing import Any

from loti.datasharing.agreements import services
from loti.datasharing.models import Agreement, Dpia, DpiaRisk, Level, Screening
from tests.datasharing.world import SECRET, build_world, items, parties, version_fields

# More phrases only readers of details may see, in the DPIA and a data item.
DPIA_SECRET = "Residual risk accepted by the Caldicott guardian Ms Quill"
ITEM_SECRET = "Pseudonymised NHS number salt rotated monthly"
CHANGE_SECRET = "Moved the transfer to the Omega gateway"


def build_documents_world() -> dict[str, Any]:
    world = build_world()
    signed = world["signed"]
    members = [world["borough_a"], world["borough_b"], world["police"]]
    services.agreement_update(
        actor=None,
        agreement=signed,
        title=signed.title,
        version=version_fields(transfer_method="Through the Omega gateway"),
        data_items=[
            *items(),
            {"name": "Case number", "category": "pseudonymised", "description": ITEM_SECRET},
        ],
        parties=parties(*members),
        change_summary=CHANGE_SECRET,
    )
    Screening.objects.create(
        agreement=signed,
        answers={"special_category": True},
        required=True,
        reasons=["It shares special category data on a large scale"],
    )
    dpia = Dpia.objects.create(
        agreement=signed,
        description="Placements planned across boroughs",
        residual_risk=Level.LOW,
        dpo_name="Dana Protection",
        dpo_advice=DPIA_SECRET,
        signed_off_by="Chief Executive",
    )
    DpiaRisk.objects.create(
        dpia=dpia,
        description="Data seen by staff who do not need it",
        likelihood=DpiaRisk.Likelihood.POSSIBLE,
        severity=DpiaRisk.Severity.SIGNIFICANT,
        mitigation="Role-based access, reviewed quarterly",
        residual_risk=Level.LOW,
    )
    world["signed"] = Agreement.objects.get(pk=signed.pk)
    world["secrets"] = [SECRET, DPIA_SECRET, ITEM_SECRET, CHANGE_SECRET]
    return world
