"""London's demo consortium: the reference organisations, three years of memberships and
money, and the people who run it. In the current financial year, 27 core members pay
£30,000 and the GLA and London Councils £100,000 each: £1,010,000 in all."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.contrib.auth.hashers import make_password

from loti.core.demo import DEMO_PASSWORD, Login
from loti.core.permissions import Role
from loti.members import services
from loti.members.financial_year import FinancialYear
from loti.members.models import Contribution, Organisation, Person, Tier

CORE_MEMBERS = 27
FEES = {Tier.CORE: Decimal(30_000), Tier.FUNDER: Decimal(100_000), Tier.ASSOCIATE: Decimal(10_000)}
FUNDERS = {"GLA", "London Councils"}
PARTNERS = {"Met Police"}
# The boroughs the demo's personas work for are always core members.
ALWAYS_CORE = {"Barnet", "Camden"}

FIRST_NAMES = [
    "Aisha",
    "Ben",
    "Chloe",
    "Daniel",
    "Ebony",
    "Farhan",
    "Grace",
    "Hassan",
    "Imogen",
    "Jamal",
    "Kate",
    "Liam",
    "Maya",
    "Nathan",
    "Olivia",
    "Priya",
    "Quentin",
    "Rosa",
    "Samuel",
    "Tariq",
    "Uma",
    "Victor",
    "Wendy",
    "Xavier",
    "Yasmin",
    "Zoe",
    "Adebayo",
    "Bronwen",
    "Chidi",
    "Delia",
]
LAST_NAMES = [
    "Adeyemi",
    "Begum",
    "Campbell",
    "Da Silva",
    "Evans",
    "Fischer",
    "Gordon",
    "Hussain",
    "Ibrahim",
    "Jones",
    "Kowalski",
    "Lewis",
    "Mensah",
    "Nowak",
    "O'Brien",
    "Patel",
    "Quinn",
    "Rahman",
    "Singh",
    "Thompson",
    "Usman",
    "Vaughan",
    "Walsh",
    "Xu",
    "Young",
    "Zielinski",
    "Achebe",
    "Byrne",
]
LEAD_TITLES = [
    "Chief Information Officer",
    "Director of Digital",
    "Head of Digital and Data",
    "Chief Digital Officer",
]
OFFICER_TITLES = [
    "Digital Programme Manager",
    "Data Architect",
    "Enterprise Architect",
    "Service Designer",
    "Product Manager",
]

FIXED_LOGINS = [
    Login("office@loti.example", "office staff: runs membership, money and people"),
    Login("barnet.lead@loti.example", "member lead, Barnet (borough A)"),
    Login("barnet.officer@loti.example", "member officer, Barnet (borough A)"),
    Login("camden.officer@loti.example", "member officer, Camden (borough B)"),
    Login("met.partner@loti.example", "partner, Metropolitan Police Service"),
]


def logins() -> list[Login]:
    return FIXED_LOGINS


def _name(rng: random.Random, used: set[str]) -> str:
    while True:
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        if name not in used:
            used.add(name)
            return name


def _email(name: str, organisation: Organisation | None) -> str:
    local = name.lower().replace(" ", ".").replace("'", "")
    domain = f"{organisation.slug}.loti.example" if organisation else "loti.example"
    return f"{local}@{domain}"


def build(*, rng: random.Random, today: datetime.date) -> None:
    services.organisations_import(actor=None)
    organisations = {o.short_name: o for o in Organisation.objects.all()}
    authorities = sorted(
        name
        for name, o in organisations.items()
        if o.kind in {Organisation.Kind.LONDON_BOROUGH, Organisation.Kind.CITY_CORPORATION}
    )
    others = [name for name in authorities if name not in ALWAYS_CORE]
    core_now = sorted(ALWAYS_CORE | set(rng.sample(others, CORE_MEMBERS - len(ALWAYS_CORE))))
    # Membership grew: the newest members joined in the last two years.
    joined_late = rng.sample([name for name in core_now if name not in ALWAYS_CORE], 4)
    signed = {
        name: datetime.date(2018, 7, 4) + datetime.timedelta(days=rng.randrange(0, 540))
        for name in core_now
    }

    current = FinancialYear.containing(today)
    years = [current.previous().previous(), current.previous(), current]
    for year in years:
        services.fee_schedule_set(actor=None, year=year.start_year, amounts=dict(FEES))
        services.budget_set(
            actor=None,
            year=year.start_year,
            amount=Decimal(1_050_000),
            notes="Staff, project delivery and the shared-experiments fund.",
        )
        core = [
            n
            for n in core_now
            if year == current or n not in joined_late[: 2 * (current.start_year - year.start_year)]
        ]
        tiers = {name: Tier.CORE for name in core}
        tiers |= {name: Tier.FUNDER for name in FUNDERS}
        tiers |= {name: Tier.PARTNER for name in PARTNERS}
        tiers |= {name: Tier.NON_MEMBER for name in authorities if name not in tiers}
        for name, tier in sorted(tiers.items()):
            services.membership_create(
                actor=None,
                organisation=organisations[name],
                year=year.start_year,
                tier=tier,
                fee_due=FEES.get(tier, Decimal(0)),
                declaration_signed_on=signed.get(name),
            )
        services.membership_invoices_raise(actor=None, year=year.start_year)
        _settle(rng=rng, year=year, today=today, settle_all=year != current)
        if year == current.previous():
            services.contribution_create(
                actor=None,
                organisation=organisations["GLA"],
                year=year.start_year,
                kind=Contribution.Kind.EXTERNAL_FUNDING,
                status=Contribution.Status.PAID,
                amount=Decimal(75_000),
                description="Data for London pilot: shared data-sharing agreements",
                invoiced_on=year.start + datetime.timedelta(days=120),
                paid_on=year.start + datetime.timedelta(days=150),
            )
    _people(rng=rng, organisations=organisations, core=core_now)


def _settle(
    *, rng: random.Random, year: FinancialYear, today: datetime.date, settle_all: bool
) -> None:
    """Backdate the year's invoices to April and mark most of them paid."""
    invoiced_on = year.start + datetime.timedelta(days=9)
    for contribution in Contribution.objects.filter(year=year.start_year).order_by(
        "organisation__short_name"
    ):
        paid_on = None
        days_so_far = (min(today, year.end) - invoiced_on).days
        if days_so_far > 0 and (settle_all or rng.random() < 0.7):
            paid_on = invoiced_on + datetime.timedelta(
                days=rng.randrange(0, min(days_so_far, 90) + 1)
            )
        services.contribution_update(
            actor=None,
            contribution=contribution,
            invoiced_on=invoiced_on,
            invoice_reference=f"LOTI-{year.start_year}-{contribution.organisation.slug[:12].upper()}",
            status=Contribution.Status.PAID if paid_on else Contribution.Status.INVOICED,
            paid_on=paid_on,
        )


def _people(*, rng: random.Random, organisations: dict[str, Organisation], core: list[str]) -> None:
    password = make_password(DEMO_PASSWORD)
    used: set[str] = set()

    def add(
        email: str | None, organisation: Organisation | None, role: Role, title: str, **extra
    ) -> Person:
        name = _name(rng, used)
        person = services.person_create(
            actor=None,
            email=email or _email(name, organisation),
            full_name=name,
            job_title=title,
            organisation=organisation,
            role=role,
            **extra,
        )
        person.password = password
        person.save(update_fields=["password"])
        return person

    add(
        "office@loti.example",
        None,
        Role.OFFICE,
        "Director",
        is_advisory_board=True,
        advisory_board_role="Secretary",
    )
    add(None, None, Role.OFFICE, "Programme Manager")
    add(None, None, Role.OFFICE, "Finance and Operations Officer")
    chair = rng.choice(core)
    for name in core:
        organisation = organisations[name]
        slug = name.lower().replace(" ", "-")
        fixed_lead = f"{slug}.lead@loti.example" if name == "Barnet" else None
        fixed_officer = f"{slug}.officer@loti.example" if name in ALWAYS_CORE else None
        on_board = name == chair or rng.random() < 0.15
        add(
            fixed_lead,
            organisation,
            Role.LEAD,
            rng.choice(LEAD_TITLES),
            is_advisory_board=on_board,
            advisory_board_role="Chair" if name == chair else "",
        )
        add(fixed_officer, organisation, Role.OFFICER, rng.choice(OFFICER_TITLES))
    add(
        "met.partner@loti.example",
        organisations["Met Police"],
        Role.PARTNER,
        "Head of Digital Policing Partnerships",
        # A partner has no member lead: this person signs the Met's data-sharing agreements.
        signs_agreements=True,
    )
    add(
        None,
        organisations["GLA"],
        Role.PARTNER,
        "Chief Digital Officer for London",
        is_advisory_board=True,
    )
    add(
        None,
        organisations["London Councils"],
        Role.PARTNER,
        "Director of Policy",
        is_advisory_board=True,
    )
