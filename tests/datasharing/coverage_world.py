"""The coverage tests' agreements, on top of tests/datasharing/world.py, worked out by hand.

Organisations: Barnet (B), Camden (C), the Met (M), Hackney (H), Islington (I).

- "London safeguarding" (world's "signed"): B, C, M; personal and special category data.
- "Youth offending": C, M, H, all signed; personal and criminal offence data.
- "School admissions": B, H, I, all signed; Islington withdrew on 1 May 2025.
- "Old placements": B and I, all signed, ended on 30 June 2025 (expired).
- "Housing needs" (world's "consultation"): B and C, Barnet has not signed.

So today: B–C 1 (safeguarding), B–M 1, B–H 1 (admissions), C–M 2 (safeguarding, youth),
C–H 1, M–H 1: six pairs, and Islington shares with nobody.
"""

from __future__ import annotations

import datetime

from loti.datasharing.agreements import services
from loti.datasharing.lawful_basis import Article10
from loti.datasharing.models import Agreement, Category
from tests.datasharing.world import START, build_world, items, parties, sign, version_fields
from tests.factories import OrganisationFactory, PersonFactory


def _agreement(title, members, categories, signers, **fields):
    agreement = services.agreement_create(
        actor=None,
        organisation=None,
        title=title,
        version=version_fields(**fields),
        data_items=items(*categories),
        parties=parties(*members),
    )
    services.agreement_open(actor=None, agreement=agreement)
    for person in signers:
        sign(agreement, person)
    return Agreement.objects.get(pk=agreement.pk)


def build_coverage_world() -> dict:
    world = build_world()
    barnet, camden, met = world["borough_a"], world["borough_b"], world["police"]
    hackney = OrganisationFactory(
        name="London Borough of Hackney", short_name="Hackney", slug="hackney"
    )
    islington = OrganisationFactory(
        name="London Borough of Islington", short_name="Islington", slug="islington"
    )
    lead_h = PersonFactory(email="lead@hackney.example", role="lead", organisation=hackney)
    lead_i = PersonFactory(email="lead@islington.example", role="lead", organisation=islington)
    world |= {"hackney": hackney, "islington": islington, "lead_h": lead_h, "lead_i": lead_i}
    world["youth"] = _agreement(
        "Youth offending",
        [camden, met, hackney],
        [Category.PERSONAL, Category.CRIMINAL],
        [world["lead_b"], world["signatory"], lead_h],
        purpose="Prevent youth reoffending through joint case management",
        article9="",
        schedule1="",
        article10=Article10.OFFICIAL_AUTHORITY,
    )
    world["admissions"] = _agreement(
        "School admissions",
        [barnet, hackney, islington],
        [Category.PERSONAL],
        [world["lead_a"], lead_h, lead_i],
        purpose="Coordinate school admissions across borough boundaries",
        article9="",
        schedule1="",
    )
    withdrawing = world["admissions"].in_force_version.parties.get(organisation=islington)
    services.party_withdraw(
        actor=world["staff"],
        party=withdrawing,
        on=datetime.date(2025, 5, 1),
        reason="Joined the pan-London scheme instead",
    )
    world["old"] = _agreement(
        "Old placements",
        [barnet, islington],
        [Category.PERSONAL],
        [world["lead_a"], lead_i],
        purpose="Placements under the old scheme",
        article9="",
        schedule1="",
        review_date=START + datetime.timedelta(days=60),
        end_date=datetime.date(2025, 6, 30),
    )
    return world
