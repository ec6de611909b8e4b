import datetime
from decimal import Decimal

import factory

from loti.core.permissions import Role
from loti.members.models import (
    Budget,
    Contribution,
    FeeRate,
    Membership,
    Organisation,
    Person,
    Tier,
)

# A password hash computed once: hashing with argon2 for every persona would slow the suite.
PASSWORD = "correct-horse-battery"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"London Borough {n}")
    short_name = factory.LazyAttribute(lambda o: o.name.replace("London Borough of ", ""))
    slug = factory.LazyAttribute(lambda o: o.short_name.lower().replace(" ", "-"))
    kind = Organisation.Kind.LONDON_BOROUGH
    gss_code = ""


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.gov.uk")
    full_name = factory.Sequence(lambda n: f"Person {n}")
    role = Role.OFFICER
    organisation = factory.SubFactory(OrganisationFactory)

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or PASSWORD)
        if create:
            self.save(update_fields=["password"])


class FeeRateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FeeRate

    year = 2026
    tier = Tier.CORE
    amount = Decimal(30000)


class BudgetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Budget

    year = 2026
    amount = Decimal(1_000_000)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    organisation = factory.SubFactory(OrganisationFactory)
    year = 2026
    tier = Tier.CORE
    fee_due = Decimal(30000)
    declaration_signed_on = datetime.date(2019, 3, 1)


class ContributionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contribution

    organisation = factory.SubFactory(OrganisationFactory)
    year = 2026
    kind = Contribution.Kind.MEMBERSHIP_FEE
    status = Contribution.Status.INVOICED
    amount = Decimal(30000)
    invoiced_on = datetime.date(2026, 4, 10)
