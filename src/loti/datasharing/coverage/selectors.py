"""Who may share what with whom, read from the agreements in force.

An agreement covers sharing between organisations A and B for a category of data when both
share under it (`agreements.selectors.in_force_parties`: signed, not withdrawn, in force on
the day) and its version in force names a data item of that category. Agreements in force are
on the public register, so anyone may ask: the answer holds the register's fields (title,
purpose, parties and their roles, lawful basis, dates) for everyone, and the matching data
items only for those who read the agreement's details (`reads_details`).

The free text of a question is never put in SQL: it ranks the agreements found, in Python,
by TF-IDF similarity (`loti.core.similarity`) to each agreement's title and purpose, and its
data items' names for those who read every agreement's details.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.core.cache import cache
from django.db.models import Count, F, Max, Prefetch, QuerySet
from django.utils import timezone

from loti.core import similarity
from loti.core.permissions import Data, reads_all
from loti.datasharing.agreements.selectors import (
    agreements_seen_by,
    in_force_parties,
    reads_details,
)
from loti.datasharing.coverage.matrix import Coverage, build
from loti.datasharing.models import Agreement, Category, DataItem, Party, Version
from loti.members import selectors as member_selectors

CATEGORIES = tuple(Category.values)
# At most this many agreements are answered with their clauses, best first; the answer says
# how many more there are.
SHOWN = 20
NEAREST = 5
# The nearest agreements are ranked among at most this many candidates of each kind.
CANDIDATES = 200


# The matrix -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Named:
    id: int
    name: str
    slug: str


@dataclass(frozen=True)
class Pair:
    """Organisation `a` may share with `b` under `agreements`, for `categories`."""

    a: Named
    b: Named
    agreements: list[Named]
    categories: list[str]


@dataclass
class Matrix:
    """The coverage of the agreements in force, with the organisations and agreements named."""

    coverage: Coverage
    organisations: list[Named]
    agreement_names: dict[int, Named]
    on: datetime.date
    counts: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        self.counts = self.coverage.counts()
        by_id = {organisation.id: organisation for organisation in self.organisations}
        # Rows and columns in name order.
        self.organisations = [by_id[pk] for pk in self.coverage.organisations]
        order = sorted(range(len(self.organisations)), key=lambda i: self.organisations[i].name)
        self._order = order

    @property
    def ordered(self) -> list[Named]:
        return [self.organisations[i] for i in self._order]

    def pair_count(self) -> int:
        """How many pairs of different organisations may share under some agreement."""
        covered = self.counts > 0
        return int((covered.sum() - np.trace(covered)) // 2)

    def cells(self) -> list[tuple[Named, Named, int]]:
        """(a, b, agreements covering the pair) for every covered pair of different
        organisations, both ways, in name order of a, then b."""
        found = []
        for i in self._order:
            for j in self._order:
                if i != j and self.counts[i, j]:
                    found.append(
                        (self.organisations[i], self.organisations[j], int(self.counts[i, j]))
                    )
        return found

    def pairs_of(self, organisations: list[Named]) -> list[Pair]:
        """Every covered pair with an organisation of `organisations` as `a`, with the
        agreements and categories that cover it, in name order."""
        found = []
        for a in organisations:
            i = self.coverage.index_of(a.id)
            for j in self._order:
                if j == i or not self.counts[i, j]:
                    continue
                b = self.organisations[j]
                ids = self.coverage.agreements_of(a.id, b.id)
                found.append(
                    Pair(
                        a=a,
                        b=b,
                        agreements=sorted(
                            (self.agreement_names[pk] for pk in ids), key=lambda n: n.name
                        ),
                        categories=[
                            Category(name).label for name in self.coverage.categories_of(ids)
                        ],
                    )
                )
        return found

    def as_json(self) -> dict[str, Any]:
        return {
            "on": self.on.isoformat(),
            "organisations": [o.slug for o in self.ordered],
            "agreements": [
                {"slug": self.agreement_names[pk].slug, "title": self.agreement_names[pk].name}
                for pk in self.coverage.agreements
            ],
            "pairs": [
                {
                    "a": pair.a.slug,
                    "b": pair.b.slug,
                    "agreements": [named.slug for named in pair.agreements],
                    "categories": self.coverage.categories_of(
                        self.coverage.agreements_of(pair.a.id, pair.b.id)
                    ),
                }
                for pair in self.pairs_of(self.ordered)
                if pair.a.name < pair.b.name
                or (pair.a.name == pair.b.name and pair.a.id < pair.b.id)
            ],
        }


# The overall matrix reads every party sharing: it is kept between requests, for the day it
# is of and the registry as it stands. Every change that can change who shares (a version in
# force, a withdrawal, an agreement withdrawn) goes through the agreements' services, which
# set the agreement's `updated_at`: the latest `updated_at` and the number of agreements name
# the registry's state, and a change names a new one.
CACHE_SECONDS = 24 * 60 * 60


def _cache_key(on: datetime.date) -> str:
    state = Agreement.objects.order_by().aggregate(latest=Max("updated_at"), count=Count("pk"))
    latest = state["latest"].timestamp() if state["latest"] else 0
    return f"datasharing:coverage:{on.isoformat()}:{latest}:{state['count']}"


def _coverage(*, on: datetime.date, agreement: Agreement | None) -> Coverage:
    parties = in_force_parties(on=on)
    if agreement is not None:
        parties = parties.filter(version__agreement=agreement)
    # No ordering: the models' default orderings would join and sort every row for nothing.
    memberships = list(parties.order_by().values_list("version__agreement_id", "organisation_id"))
    items = DataItem.objects.filter(
        version__agreement__status=Agreement.Status.SIGNED,
        version_id=F("version__agreement__in_force_version_id"),
    )
    if agreement is not None:
        items = items.filter(version__agreement=agreement)
    categories = list(items.order_by().values_list("version__agreement_id", "category").distinct())
    return build(memberships, categories, category_names=CATEGORIES)


def coverage_matrix(
    *, user: Any, on: datetime.date | None = None, agreement: Agreement | None = None
) -> Matrix:
    """Who may share with whom on `on` (by default today): under every agreement in force,
    or under `agreement` alone. Agreements in force are on the public register: everyone
    reads who shares under them (`user` is the reader; none is refused)."""
    on = on or timezone.localdate()
    if agreement is None:
        key = _cache_key(on)
        coverage = cache.get(key)
        if coverage is None:
            coverage = _coverage(on=on, agreement=None)
            cache.set(key, coverage, CACHE_SECONDS)
    else:
        coverage = _coverage(on=on, agreement=agreement)
    agreement_ids = coverage.agreements
    organisations = [
        Named(o.pk, o.short_name or o.name, o.slug)
        for o in member_selectors.organisations(ids=coverage.organisations).only(
            "pk", "name", "short_name", "slug"
        )
    ]
    names = {
        pk: Named(pk, title, slug)
        for pk, title, slug in Agreement.objects.filter(pk__in=agreement_ids).values_list(
            "pk", "title", "slug"
        )
    }
    return Matrix(coverage=coverage, organisations=organisations, agreement_names=names, on=on)


def not_sharing(*, agreement: Agreement, matrix: Matrix) -> list[tuple[Party, str]]:
    """The parties of `agreement`'s version in force (or else the one being signed) that do
    not share under it on the matrix's day, each with why not."""
    version = agreement.in_force_version or agreement.current_version
    if version is None:
        return []
    sharing = set(matrix.coverage.organisations)
    found = []
    parties = version.parties.select_related("organisation", "signature")
    for party in parties:
        if party.organisation_id in sharing:
            continue
        if party.withdrawn_on is not None and party.withdrawn_on <= matrix.on:
            why = f"Withdrew on {party.withdrawn_on:%-d %B %Y}"
        elif not hasattr(party, "signature"):
            why = "Has not signed"
        elif agreement.in_force_version_id != version.pk:
            why = "Signed: the agreement is not in force until every party has signed"
        elif version.start_date > matrix.on:
            why = f"Shares from {version.start_date:%-d %B %Y}"
        elif version.end_date is not None and version.end_date < matrix.on:
            why = f"The agreement ended on {version.end_date:%-d %B %Y}"
        else:
            why = "The agreement is not in force"
        found.append((party, why))
    return found


# The question ---------------------------------------------------------------------------


@dataclass
class Covering:
    """An agreement that covers the question, with the clauses that apply."""

    agreement: Agreement
    version: Version
    party_a: Party
    party_b: Party
    # The data items of the category asked about: None where the reader may not see them.
    items: list[DataItem] | None
    score: float


@dataclass
class Near:
    """An agreement that nearly covers the question, and what it lacks."""

    agreement: Agreement
    missing: str
    score: float


@dataclass
class Answer:
    a: Any
    b: Any
    category: str
    purpose: str
    on: datetime.date
    covering: list[Covering]
    total: int
    nearest: list[Near]

    @property
    def category_label(self) -> str:
        return Category(self.category).label


def _scores(purpose: str, documents: list[tuple[str, str]]) -> dict[str, float]:
    if not purpose.strip() or not documents:
        return {}
    return dict(similarity.similar(purpose, documents, limit=len(documents), threshold=0.0))


def _versions_with(parties: QuerySet[Party], organisation: Any) -> QuerySet[Party]:
    return parties.filter(organisation=organisation).values("version_id")


def can_we_share(
    *,
    user: Any,
    a: Any,
    b: Any,
    category: str,
    purpose: str = "",
    on: datetime.date | None = None,
) -> Answer:
    """The agreements in force on `on` under which organisation `a` may share data of
    `category` with `b`, best match to `purpose` first; with none, the nearest ones."""
    on = on or timezone.localdate()
    parties = in_force_parties(on=on)
    seen = agreements_seen_by(user).values("pk")
    versions = Version.objects.filter(pk__in=_versions_with(parties, a), agreement__in=seen).filter(
        pk__in=_versions_with(parties, b)
    )
    covering_versions = versions.filter(
        pk__in=DataItem.objects.filter(category=category).values("version_id")
    )
    # Ranked from plain rows (the text it is ranked by); the records are read whole only for
    # the agreements shown.
    rows = list(
        Agreement.objects.filter(in_force_version__in=covering_versions)
        .order_by()
        .values_list("pk", "title", "in_force_version_id", "in_force_version__purpose")
    )
    # The data items' names rank the answer only for those who read every agreement's
    # details: for anyone else the order would tell of what they may not read.
    names: dict[int, list[str]] = {}
    if reads_all(user, Data.AGREEMENT_DETAILS):
        for version_id, name in (
            DataItem.objects.filter(version_id__in=[row[2] for row in rows], category=category)
            .order_by()
            .values_list("version_id", "name")
        ):
            names.setdefault(version_id, []).append(name)
    scores = _scores(
        purpose,
        [
            (str(pk), f"{title} {purpose_of} {' '.join(names.get(version_id, []))}")
            for pk, title, version_id, purpose_of in rows
        ],
    )
    ranked = sorted(rows, key=lambda row: (-scores.get(str(row[0]), 0.0), row[1], row[0]))
    shown = [row[0] for row in ranked[:SHOWN]]
    records = {
        agreement.pk: agreement
        for agreement in Agreement.objects.filter(pk__in=shown)
        .select_related("in_force_version")
        .prefetch_related(
            Prefetch(
                "in_force_version__data_items",
                queryset=DataItem.objects.filter(category=category),
                to_attr="matching",
            ),
            Prefetch(
                "in_force_version__parties",
                queryset=Party.objects.filter(organisation__in=[a, b]),
                to_attr="asked",
            ),
        )
    }
    covering = []
    for pk in shown:
        agreement = records[pk]
        version = agreement.in_force_version
        by_organisation = {party.organisation_id: party for party in version.asked}
        covering.append(
            Covering(
                agreement=agreement,
                version=version,
                party_a=by_organisation[a.pk],
                party_b=by_organisation[b.pk],
                items=version.matching if reads_details(user, agreement) else None,
                score=scores.get(str(pk), 0.0),
            )
        )
    found = rows
    nearest = [] if found else _nearest(user, a=a, b=b, category=category, purpose=purpose, on=on)
    return Answer(
        a=a,
        b=b,
        category=category,
        purpose=purpose,
        on=on,
        covering=covering,
        total=len(found),
        nearest=nearest,
    )


def _name(organisation: Any) -> str:
    return organisation.short_name or organisation.name


def _nearest(
    user: Any, *, a: Any, b: Any, category: str, purpose: str, on: datetime.date
) -> list[Near]:
    """Agreements that nearly cover the question, each with what it lacks: those in force
    for the pair that do not name the category; those in force for one of them, naming the
    category, that the other is not sharing under (not a party, not signed, withdrawn); and
    those naming both and the category that are not in force yet."""
    parties = in_force_parties(on=on)
    seen = agreements_seen_by(user)
    with_category = DataItem.objects.filter(category=category).values("version_id")
    label = Category(category).label.lower()
    candidates: dict[int, str] = {}

    pair = (
        seen.filter(in_force_version__in=_versions_with(parties, a))
        .filter(in_force_version__in=_versions_with(parties, b))
        .exclude(in_force_version__in=with_category)
        .order_by("-in_force_version__start_date", "pk")
        .values_list("pk", flat=True)[:CANDIDATES]
    )
    for pk in pair:
        candidates[pk] = f"It covers {_name(a)} and {_name(b)}, but not {label}."

    for present, absent in ((a, b), (b, a)):
        one = (
            seen.filter(in_force_version__in=_versions_with(parties, present))
            .filter(in_force_version__in=with_category)
            .exclude(in_force_version__in=_versions_with(parties, absent))
            .order_by("-in_force_version__start_date", "pk")
            .values_list("pk", "in_force_version_id")[:CANDIDATES]
        )
        one = list(one)
        absent_parties = {
            party.version_id: party
            for party in Party.objects.filter(
                organisation=absent, version_id__in=[v for _, v in one]
            ).select_related("signature")
        }
        for pk, version_id in one:
            party = absent_parties.get(version_id)
            if party is None:
                why = f"{_name(absent)} is not a party to it."
            elif party.withdrawn_on is not None and party.withdrawn_on <= on:
                why = f"{_name(absent)} withdrew from it on {party.withdrawn_on:%-d %B %Y}."
            else:
                why = f"{_name(absent)} has not signed it."
            candidates.setdefault(pk, why)

    # Not in force for them on the day: both are parties of the version being signed, which
    # names the category, but it awaits signatures, has not started or has ended.
    current = (
        Party.objects.filter(organisation=a, version__superseded_at__isnull=True)
        .filter(version__in=Party.objects.filter(organisation=b).values("version_id"))
        .filter(version__in=with_category)
        .values("version_id")
    )
    waiting = (
        seen.filter(
            current_version__in=current,
            status__in=[Agreement.Status.CONSULTATION, Agreement.Status.SIGNED],
        )
        .exclude(pk__in=list(candidates))
        .select_related("current_version")
        .order_by("pk")[:CANDIDATES]
    )
    for agreement in waiting:
        version = agreement.current_version
        if agreement.in_force_version_id != version.pk:
            unsigned = version.parties.filter(
                signature__isnull=True, withdrawn_on__isnull=True
            ).select_related("organisation")
            names = ", ".join(_name(party.organisation) for party in unsigned)
            candidates[agreement.pk] = (
                f"It is not in force yet: it awaits the signature of {names}."
            )
        elif version.start_date > on:
            candidates[agreement.pk] = f"It comes into force on {version.start_date:%-d %B %Y}."
        elif version.end_date is not None and version.end_date < on:
            candidates[agreement.pk] = f"It ended on {version.end_date:%-d %B %Y}."

    agreements = {
        agreement.pk: agreement
        for agreement in seen.filter(pk__in=list(candidates)).select_related(
            "in_force_version", "current_version"
        )
    }
    scores = _scores(
        purpose,
        [
            (str(pk), f"{agreement.title} {agreement.register_purpose()}")
            for pk, agreement in agreements.items()
        ],
    )
    ranked = sorted(
        agreements.values(), key=lambda item: (-scores.get(str(item.pk), 0.0), item.title)
    )
    return [
        Near(agreement=item, missing=candidates[item.pk], score=scores.get(str(item.pk), 0.0))
        for item in ranked[:NEAREST]
    ]


def organisations_to_ask() -> QuerySet:
    """The organisations a question may name: every organisation in the directory."""
    return member_selectors.organisations()
