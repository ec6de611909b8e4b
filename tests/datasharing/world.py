"""Agreements in each state, with the personas of tests/personas.py, for the data-sharing
tests: built once per module by the modules that only read them.

- "signed": Barnet, Camden and the Met, every party signed: in force.
- "consultation": Barnet and Camden; Camden has signed, Barnet's lead is still to sign.
- "draft": drafted by Camden with the Met: Barnet's people are told it is not there.
- "barnet_draft": drafted by Barnet with Camden.
"""

from __future__ import annotations

import datetime
from typing import Any

from loti.datasharing.agreements import services
from loti.datasharing.lawful_basis import Article6, Article9, Schedule1
from loti.datasharing.models import Agreement, Category, Frequency, Party
from tests.factories import PersonFactory
from tests.personas import build_personas

START = datetime.date(2025, 4, 1)

# A phrase in an operational field only readers of details may see.
SECRET = "Encrypted with the vault key kept in room 4B"


def version_fields(**overrides: Any) -> dict[str, Any]:
    return {
        "purpose": "Plan adult social care placements across neighbouring boroughs",
        "benefits": "Fewer people placed far from home",
        "article6": Article6.PUBLIC_TASK,
        "article6_detail": "Care Act 2014, section 6",
        "article9": Article9.HEALTH_OR_SOCIAL_CARE,
        "schedule1": Schedule1.HEALTH_OR_SOCIAL_CARE,
        "article10": "",
        "data_subjects": "Adults receiving social care",
        "transfer_method": "Secure file transfer",
        "frequency": Frequency.MONTHLY,
        "security": SECRET,
        "retention": "Two years after the placement ends",
        "deletion": "Deleted from every copy, with a certificate",
        "rights": "Each controller answers requests about its own residents",
        "privacy_information": "Each council's privacy notice names the sharing",
        "breach_reporting": "Within 24 hours to every party's DPO",
        "start_date": START,
        "review_date": START + datetime.timedelta(days=365 * 3),
        "end_date": None,
    } | overrides


def items(*categories: str) -> list[dict[str, Any]]:
    categories = categories or (Category.PERSONAL, Category.SPECIAL)
    names = {
        Category.PERSONAL: "Name and address",
        Category.SPECIAL: "Care needs",
        Category.CRIMINAL: "Offending history",
        Category.PSEUDONYMISED: "Pseudonymised case number",
        Category.ANONYMISED: "Placement counts by ward",
    }
    return [{"name": names[c], "category": c, "description": ""} for c in categories]


def parties(*organisations, role=Party.Role.JOINT_CONTROLLER) -> list[dict[str, Any]]:
    return [{"organisation": organisation, "role": role} for organisation in organisations]


def make_agreement(actor, organisation, members, *, title="Adult social care placements", **fields):
    return services.agreement_create(
        actor=actor,
        organisation=organisation,
        title=title,
        version=version_fields(**fields),
        data_items=items(),
        parties=parties(*members),
    )


def sign(agreement, person, capacity="Chief Digital Officer"):
    agreement.refresh_from_db()
    return services.agreement_sign(
        actor=person,
        agreement=agreement,
        version_number=agreement.current_version.number,
        capacity=capacity,
    )


def build_world() -> dict[str, Any]:
    world = build_personas()
    barnet, camden, met = world["borough_a"], world["borough_b"], world["police"]
    # Who signs for Camden and the Met (the personas have an officer and a partner).
    world["lead_b"] = PersonFactory(
        email="lead@camden.example", full_name="Cam Lead", role="lead", organisation=camden
    )
    world["signatory"] = PersonFactory(
        email="dpo@met.example",
        full_name="Dee Signatory",
        role="partner",
        organisation=met,
        signs_agreements=True,
    )
    signed = make_agreement(None, None, [barnet, camden, met], title="London safeguarding")
    services.agreement_open(actor=None, agreement=signed)
    for person in (world["lead_a"], world["lead_b"], world["signatory"]):
        sign(signed, person)
    consultation = make_agreement(None, None, [barnet, camden], title="Housing needs")
    services.agreement_open(actor=None, agreement=consultation)
    sign(consultation, world["lead_b"])
    world["signed"] = Agreement.objects.get(pk=signed.pk)
    world["consultation"] = Agreement.objects.get(pk=consultation.pk)
    world["draft"] = make_agreement(None, camden, [camden, met], title="Camden and the Met")
    world["barnet_draft"] = make_agreement(None, barnet, [barnet, camden], title="Barnet's draft")
    return world
