"""The personas every test may use, with their organisations: office staff, a lead and an
officer of borough A, an officer of borough B, a partner, and the anonymous public."""

from loti.core.permissions import Role
from tests.factories import OrganisationFactory, PersonFactory

ORGANISATIONS = {
    "borough_a": {
        "name": "London Borough of Barnet",
        "short_name": "Barnet",
        "slug": "barnet",
        "gss_code": "E09000003",
    },
    "borough_b": {
        "name": "London Borough of Camden",
        "short_name": "Camden",
        "slug": "camden",
        "gss_code": "E09000007",
    },
    "police": {
        "name": "Metropolitan Police Service",
        "short_name": "Met Police",
        "slug": "met-police",
        "kind": "police",
    },
}
PEOPLE = {
    "staff": ("staff@loti.example", "Sam Staff", Role.OFFICE, None),
    "lead_a": ("lead@barnet.example", "Lee Lead", Role.LEAD, "borough_a"),
    "officer_a": ("officer@barnet.example", "Ola Officer", Role.OFFICER, "borough_a"),
    "officer_b": ("officer@camden.example", "Bea Officer", Role.OFFICER, "borough_b"),
    "partner": ("partner@met.example", "Pat Partner", Role.PARTNER, "police"),
}
PERSONAS = ["anonymous", *PEOPLE]


def make_person(name, organisation):
    email, full_name, role, _ = PEOPLE[name]
    return PersonFactory(email=email, full_name=full_name, role=role, organisation=organisation)


def build_personas():
    """Every persona and their organisations, as the fixtures below make them one by one:
    {"anonymous": None, "staff": …, …, "borough_a": …, "borough_b": …, "police": …}."""
    built = {key: OrganisationFactory(**fields) for key, fields in ORGANISATIONS.items()}
    built["anonymous"] = None
    for name, (*_, organisation) in PEOPLE.items():
        built[name] = make_person(name, built[organisation] if organisation else None)
    return built
