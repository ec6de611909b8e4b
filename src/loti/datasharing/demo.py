"""The registry's demo: the London data-sharing agreement, signed by London's 33 local
authorities and the Metropolitan Police (34 parties, each through its lead or signatory), and
agreements between boroughs and NHS trusts: in force, due for review, and awaiting two
signatures; all but one screened for a DPIA. They are SYNTHETIC (each agreement's page says
so): the titles, clauses, people and dates are made up, though the London agreement's parties
are the real ones and the evaluation counts its 34 signatures (`evaluation/activities/demo.py`).

Everything goes through the registry's services, as a person would. The members' demo gives
leads only to the consortium's members, so the boroughs outside it, and the NHS trusts it
does not have, get their people here (through the members' services), after every app that
picks people from the members' demo has built its own. Signatures are dated as they would
have been: the services stamp them now, so the demo sets each one's date afterwards.
"""

from __future__ import annotations

import datetime
import random
from typing import TYPE_CHECKING, Any

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from loti.core.demo import DEMO_PASSWORD, Login
from loti.core.permissions import Role
from loti.datasharing.agreements import services
from loti.datasharing.dpia import screening
from loti.datasharing.dpia import services as dpia_services
from loti.datasharing.lawful_basis import Article6, Article9, Schedule1
from loti.datasharing.models import (
    Agreement,
    Category,
    Frequency,
    Party,
    Screening,
    Signature,
    Version,
)
from loti.members import selectors as member_selectors
from loti.members import services as member_services

if TYPE_CHECKING:
    from loti.members.models import Organisation, Person

LONDON = "The London data-sharing agreement"
MET = "Met Police"

NHS_TRUSTS = [
    # name, short name, website, signatory's email (or None), signatory's name
    (
        "Royal Free London NHS Foundation Trust",
        "Royal Free London",
        "https://www.royalfree.nhs.uk",
        "royal-free.signatory@loti.example",
        "Helen Okafor",
    ),
    (
        "Guy's and St Thomas' NHS Foundation Trust",
        "Guy's and St Thomas'",
        "https://www.guysandstthomas.nhs.uk",
        None,
        "Martin Achterberg",
    ),
    (
        "South London and Maudsley NHS Foundation Trust",
        "South London and Maudsley",
        "https://slam.nhs.uk",
        None,
        "Ruth Mensah",
    ),
]
SIGNATORY_TITLE = "Senior Information Risk Owner"
# Leads for the boroughs outside the consortium, which the members' demo gives no people.
LEAD_NAMES = [
    "Aled Price",
    "Bisi Adebayo",
    "Carmen Ortiz",
    "Dev Raman",
    "Esther Kowalski",
    "Fergus Doyle",
    "Gita Shah",
    "Hugo Laurent",
]
LEAD_TITLES = ["Chief Information Officer", "Director of Digital", "Head of Digital and Data"]


def logins() -> list[Login]:
    # Barnet's lead and the Royal Free's signatory are the two signatures the frailty and
    # falls agreement awaits.
    return [
        Login(
            "royal-free.signatory@loti.example",
            "partner's signatory, Royal Free London NHS Foundation Trust",
        )
    ]


def _content(**changes: Any) -> dict[str, Any]:
    """A version's content: what an agreement between councils and their partners usually
    says, with `changes`."""
    return {
        "purpose": "",
        "benefits": "",
        "article6": Article6.PUBLIC_TASK,
        "article6_detail": "Local Government Act 1972, s.111; Localism Act 2011, s.1",
        "data_subjects": "",
        "transfer_method": (
            "Secure file transfer between the parties' managed services, encrypted in transit "
            "(TLS 1.2 or later) and at rest"
        ),
        "frequency": Frequency.MONTHLY,
        "security": (
            "Access limited to named officers by role; multi-factor authentication; access "
            "logged and reviewed each quarter; Cyber Essentials Plus or the NHS Data Security "
            "and Protection Toolkit at 'standards met'"
        ),
        "retention": "Each party keeps shared records no longer than its retention schedule, "
        "and no more than six years after the last contact",
        "deletion": "Deleted from every system, including backups within 90 days, and the "
        "deletion confirmed in writing to the party that shared it",
        "rights": (
            "Each party answers requests made to it, consulting the party the data came from "
            "within five working days; complaints go to the party's data protection officer"
        ),
        "privacy_information": "Each party's privacy notice names the sharing, its purpose and "
        "the other parties, and links to this agreement on the public register",
        "breach_reporting": (
            "A party that finds a breach tells the others' data protection officers within 24 "
            "hours, and the ICO within 72 hours where the law requires it"
        ),
        **changes,
    }


def _screen(agreement: Agreement, *yes: str) -> None:
    """Screen `agreement` for a DPIA: yes to the questions `yes`, no to the rest."""
    dpia_services.screening_record(
        actor=None, agreement=agreement, answers={key: key in yes for key in screening.KEYS}
    )


def _item(name: str, category: str) -> dict[str, str]:
    return {"name": name, "category": category}


def build(*, rng: random.Random, today: datetime.date) -> None:
    organisations = {o.short_name: o for o in member_selectors.organisations()}
    authorities = sorted(
        (
            o
            for o in member_selectors.councils()
            if o.kind in ("london_borough", "city_corporation")
        ),
        key=lambda o: o.short_name,
    )
    if not authorities or MET not in organisations:
        return  # no members' demo to build on
    password = make_password(DEMO_PASSWORD)
    names = iter(LEAD_NAMES)
    for organisation in authorities:
        if not member_selectors.people(organisations=[organisation], roles=[Role.LEAD]).exists():
            _person(
                organisation,
                name=next(names),
                title=rng.choice(LEAD_TITLES),
                role=Role.LEAD,
                password=password,
            )
    for name, short_name, website, email, person in NHS_TRUSTS:
        trust = member_services.organisation_create(
            actor=None, name=name, short_name=short_name, kind="nhs", website=website
        )
        organisations[short_name] = trust
        _person(
            trust,
            name=person,
            title=SIGNATORY_TITLE,
            role=Role.PARTNER,
            password=password,
            email=email,
            signs_agreements=True,
        )
    _london(rng=rng, today=today, parties=[*authorities, organisations[MET]])
    _bilateral(rng=rng, today=today, organisations=organisations)


def _person(
    organisation: Organisation,
    *,
    name: str,
    title: str,
    role: str,
    password: str,
    email: str | None = None,
    **extra: Any,
) -> Person:
    local = ".".join(name.lower().split())
    person = member_services.person_create(
        actor=None,
        email=email or f"{local}@{organisation.slug}.loti.example",
        full_name=name,
        job_title=title,
        organisation=organisation,
        role=role,
        **extra,
    )
    person.password = password
    person.save(update_fields=["password"])
    return person


def _signatory(organisation: Organisation) -> Person:
    """Whoever signs for `organisation`: its lead, or a partner's person who signs."""
    people = member_selectors.people(organisations=[organisation]).order_by("pk")
    return (
        people.filter(role=Role.LEAD).first()
        or people.filter(role=Role.PARTNER, signs_agreements=True).first()
    )


def _sign(
    rng: random.Random,
    agreement: Agreement,
    organisations: list[Organisation],
    days: list[datetime.date],
) -> None:
    """Each of `organisations` signs the version being signed, on the day given, at a time
    in the working day."""
    for organisation, day in zip(organisations, days, strict=True):
        person = _signatory(organisation)
        agreement.refresh_from_db()
        signature = services.agreement_sign(
            actor=person,
            agreement=agreement,
            version_number=agreement.current_version.number,
            capacity=person.job_title,
        )
        minutes = rng.randrange(9 * 60, 17 * 60)
        when = datetime.datetime.combine(day, datetime.time(minutes // 60, minutes % 60))
        Signature.objects.filter(pk=signature.pk).update(
            signed_at=timezone.make_aware(when, timezone.get_default_timezone())
        )


def _dated(agreement: Agreement, *, version: int, day: datetime.date) -> None:
    """Version `version` was made on `day` (the first version: the agreement drafted, screened
    and sent to its parties that day), as the records of an agreement made before the
    platform would have it."""
    at = timezone.make_aware(
        datetime.datetime.combine(day, datetime.time(9)), timezone.get_default_timezone()
    )
    Version.objects.filter(agreement=agreement, number=version).update(created_at=at)
    if version == 1:
        Agreement.objects.filter(pk=agreement.pk).update(created_at=at, opened_at=at)
        Screening.objects.filter(agreement=agreement).update(screened_at=at)


def _days(rng: random.Random, start: datetime.date, weeks: int, count: int) -> list[datetime.date]:
    """`count` working days from `start` over `weeks` weeks, in order."""
    days = [start + datetime.timedelta(days=n) for n in range(weeks * 7)]
    working = [day for day in days if day.weekday() < 5]
    return sorted(rng.choice(working) for _ in range(count))


def _london(*, rng: random.Random, today: datetime.date, parties: list[Organisation]) -> None:
    """Signed in 2020, as the published 2021 evaluation found; its review last year made a
    second version, which every party signed again and which is in force."""
    items = [
        _item("Name", Category.PERSONAL),
        _item("Address and postcode", Category.PERSONAL),
        _item("Date of birth", Category.PERSONAL),
        _item("Unique property reference number (UPRN)", Category.PERSONAL),
        _item("Household composition", Category.PERSONAL),
        _item("Support needs, including health conditions", Category.SPECIAL),
        _item("Rough sleeping contacts recorded by outreach", Category.PSEUDONYMISED),
        _item("Borough-level counts for London's dashboards", Category.ANONYMISED),
    ]
    # Reviewed a year and a half ago: a second version, which every party signed again.
    review = today - datetime.timedelta(days=540)
    content = _content(
        purpose=(
            "To prevent homelessness and rough sleeping across London by letting councils and "
            "the Metropolitan Police share what each knows of households at risk and of people "
            "sleeping rough, wherever in London they are"
        ),
        benefits=(
            "Households helped before they lose their home; people sleeping rough found and "
            "supported across borough boundaries; one agreement instead of one between every "
            "pair of the 34 parties"
        ),
        article9=Article9.SUBSTANTIAL_PUBLIC_INTEREST,
        schedule1=Schedule1.SAFEGUARDING,
        data_subjects="Households at risk of homelessness, and people sleeping rough, in London",
        frequency=Frequency.WEEKLY,
        start_date=datetime.date(2020, 10, 1),
        review_date=max(review, datetime.date(2020, 10, 1)),
    )
    agreement = services.agreement_create(
        actor=None,
        organisation=None,
        title=LONDON,
        version=content,
        data_items=items,
        parties=[{"organisation": o, "role": Party.Role.JOINT_CONTROLLER} for o in parties],
        synthetic=True,
    )
    # Health and housing data of vulnerable people, matched across 34 organisations.
    _screen(
        agreement,
        "art35_special_large_scale",
        "ico_data_matching",
        "edpb_sensitive",
        "edpb_large_scale",
        "edpb_matching",
        "edpb_vulnerable",
    )
    services.agreement_open(actor=None, agreement=agreement)
    _dated(agreement, version=1, day=datetime.date(2020, 7, 1))
    order = rng.sample(parties, len(parties))
    _sign(rng, agreement, order, _days(rng, datetime.date(2020, 7, 6), 10, len(parties)))
    # In force from the first of a month after the last signature.
    start = (review + datetime.timedelta(days=90)).replace(day=1)
    services.agreement_update(
        actor=None,
        agreement=agreement,
        title=LONDON,
        version={
            **content,
            "retention": "Each party keeps shared records no longer than two years after the "
            "household's case closes",
            "start_date": start,
            "review_date": start.replace(year=start.year + 3),
        },
        data_items=items,
        parties=[{"organisation": o, "role": Party.Role.JOINT_CONTROLLER} for o in parties],
        change_summary="Reviewed: records kept two years after a case closes, not six",
    )
    _dated(agreement, version=2, day=review - datetime.timedelta(days=1))
    order = rng.sample(parties, len(parties))
    _sign(rng, agreement, order, _days(rng, review, 8, len(parties)))


def _bilateral(
    *, rng: random.Random, today: datetime.date, organisations: dict[str, Organisation]
) -> None:
    health = {
        "article9": Article9.HEALTH_OR_SOCIAL_CARE,
        "schedule1": Schedule1.HEALTH_OR_SOCIAL_CARE,
    }
    agreements = [
        {
            "title": "Hospital discharge to adult social care: Camden and the Royal Free",
            "parties": ["Camden", "Royal Free London"],
            "content": _content(
                purpose="To arrange adult social care for Camden residents leaving the Royal "
                "Free's hospitals, so that no one waits in hospital for care at home",
                benefits="Shorter stays in hospital; care ready on the day of discharge",
                data_subjects="Camden residents in the Royal Free's hospitals who need care "
                "after discharge",
                frequency=Frequency.CONTINUOUS,
                start_date=today - datetime.timedelta(days=400),
                review_date=today + datetime.timedelta(days=330),
                **health,
            ),
            "items": [
                _item("NHS number", Category.PERSONAL),
                _item("Name and address", Category.PERSONAL),
                _item("Expected date of discharge", Category.PERSONAL),
                _item("Care and support needs on discharge", Category.SPECIAL),
            ],
            "signed": ["Camden", "Royal Free London"],
            "screening": ("edpb_sensitive", "edpb_vulnerable"),
            "opened": today - datetime.timedelta(days=440),
        },
        {
            "title": "Healthy homes referrals: Southwark and Guy's and St Thomas'",
            "parties": ["Southwark", "Guy's and St Thomas'"],
            "content": _content(
                purpose="To refer patients whose homes make them ill (damp, mould, cold) to "
                "Southwark's housing and environmental health teams",
                benefits="Homes repaired before patients are readmitted",
                data_subjects="Southwark residents treated by the trust for conditions made "
                "worse by their housing",
                frequency=Frequency.WEEKLY,
                start_date=today - datetime.timedelta(days=3 * 365 - 40),
                # Due for review in 40 days: on the office's and both leads' reminders.
                review_date=today + datetime.timedelta(days=40),
                **health,
            ),
            "items": [
                _item("Name and address", Category.PERSONAL),
                _item("Respiratory condition", Category.SPECIAL),
            ],
            "signed": ["Southwark", "Guy's and St Thomas'"],
            "screening": ("edpb_sensitive",),
            "opened": today - datetime.timedelta(days=3 * 365 - 10),
        },
        {
            "title": "Mental health crisis support: Lambeth and South London and Maudsley",
            "parties": ["Lambeth", "South London and Maudsley"],
            "content": _content(
                purpose="To coordinate housing and crisis support for Lambeth residents under "
                "the trust's crisis teams",
                benefits="People in crisis kept in their homes, and helped sooner",
                data_subjects="Lambeth residents supported by the trust's crisis teams",
                frequency=Frequency.ON_REQUEST,
                start_date=today - datetime.timedelta(days=200),
                review_date=today + datetime.timedelta(days=530),
                **health,
            ),
            "items": [
                _item("Name and address", Category.PERSONAL),
                _item("Mental health crisis plan", Category.SPECIAL),
            ],
            "signed": ["Lambeth", "South London and Maudsley"],
            "opened": today - datetime.timedelta(days=230),
        },
        {
            "title": "Frailty and falls prevention: Barnet, Enfield, Haringey and the Royal Free",
            "parties": ["Barnet", "Enfield", "Haringey", "Royal Free London"],
            "content": _content(
                purpose="To find older residents at risk of falling, from the Royal Free's "
                "falls clinics and the boroughs' care records, and offer them home adaptations",
                benefits="Fewer falls and hospital admissions of older residents",
                data_subjects="Residents aged 65 or over of Barnet, Enfield and Haringey seen "
                "by the Royal Free's falls clinics or receiving council care",
                frequency=Frequency.MONTHLY,
                # Sharing may start as soon as the last two parties sign.
                start_date=today - datetime.timedelta(days=12),
                review_date=today + datetime.timedelta(days=2 * 365),
                **health,
            ),
            "items": [
                _item("NHS number", Category.PERSONAL),
                _item("Name, address and date of birth", Category.PERSONAL),
                _item("Falls history and frailty score", Category.SPECIAL),
            ],
            # Awaiting two signatures: Barnet's lead and the Royal Free's signatory (both
            # demo logins) can sign it.
            "signed": ["Enfield", "Haringey"],
            "screening": (
                "ico_data_matching",
                "edpb_matching",
                "edpb_sensitive",
                "edpb_vulnerable",
            ),
            "opened": today - datetime.timedelta(days=12),
        },
    ]
    for spec in agreements:
        parties = [organisations[name] for name in spec["parties"]]
        agreement = services.agreement_create(
            actor=None,
            organisation=parties[0],
            title=spec["title"],
            version=spec["content"],
            data_items=spec["items"],
            parties=[{"organisation": o, "role": Party.Role.CONTROLLER} for o in parties],
            synthetic=True,
        )
        if "screening" in spec:
            _screen(agreement, *spec["screening"])
        services.agreement_open(actor=None, agreement=agreement)
        _dated(agreement, version=1, day=spec["opened"] - datetime.timedelta(days=1))
        signed = [organisations[name] for name in spec["signed"]]
        _sign(rng, agreement, signed, _days(rng, spec["opened"], 2, len(signed)))
