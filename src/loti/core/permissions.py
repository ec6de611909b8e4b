"""Who may do what: the one place where the platform's roles meet its data.

Every view, selector and API endpoint asks here. The rules follow the visibility table in
DESIGN.md; a later capability adds its own kind of data to `Data` and a row to `RULES`.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.db import models

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


class Role(models.TextChoices):
    OFFICE = "office", "Office staff"
    LEAD = "lead", "Member lead"
    OFFICER = "officer", "Member officer"
    PARTNER = "partner", "Partner"


class Action(StrEnum):
    READ = "read"
    WRITE = "write"


class Data(StrEnum):
    """Kinds of data with one visibility rule each."""

    # Organisations, the advisory board: public to read, the office writes.
    DIRECTORY = "directory"
    # Memberships, fees, budgets, contributions: the consortium's confidential figures.
    FINANCE = "finance"
    # People's accounts and roles: the office manages them; a person sees their own.
    PEOPLE = "people"
    # The change history of records: the office only.
    AUDIT = "audit"
    # The technology map: who uses which product, and when contracts end. Public, as London's
    # earlier dashboards were, so suppliers can prepare; each organisation keeps its own.
    TECHMAP = "techmap"
    # Contract values, satisfaction scores and notes: members only. A contract marked public
    # shows its values to everyone, never its notes or its system's satisfaction and notes.
    CONTRACT_DETAILS = "contract_details"
    # Published projects: public; the office runs them (the people of a project's
    # organisations post its weeknotes, a rule of the project itself).
    PROJECTS = "projects"
    # Calls for ideas and their proposals: members read and propose for their own
    # organisation; the office runs calls. The public see only published results.
    CALLS = "calls"
    # Ballots: a member lead casts their own organisation's; nobody reads another's.
    BALLOTS = "ballots"
    # What the consortium publishes beside its projects: the results of its calls for ideas
    # and its evaluation reports. Everyone reads them; the office publishes them.
    PUBLISHED = "published"
    # Evaluation inputs, survey questionnaires and interviews: the office only (the published
    # report is public; a respondent sees their own answers through their personal link).
    EVALUATION = "evaluation"
    # The library's resources on an open licence: public to read and download; members add
    # them for their own organisation, the office for any. A draft is read only by its
    # organisations and the office (the library's selectors).
    LIBRARY = "library"
    # Resources whose licence is "all rights reserved (members only)": signed-in members and
    # partners read them, nobody else.
    LIBRARY_MEMBERS = "library_members"
    # The register of data-sharing agreements: each agreement's title, purpose, parties,
    # lawful basis and dates, public as councils already publish them (never a draft, which
    # only its parties, its drafting organisation and the office read: the datasharing
    # selectors). Members draft agreements for their own organisation; the
    # office writes any. Signing is a lead's (or a partner's signatory's) act for their own
    # organisation, decided in the datasharing services.
    AGREEMENTS = "agreements"
    # An agreement's operational details (data items, how data moves, security, retention,
    # the DPIA): signed-in members read them; a partner reads those of agreements their
    # organisation is a party to (the datasharing selectors).
    AGREEMENT_DETAILS = "agreement_details"


# Whose records a rule grants: every organisation's, or only the person's own organisation's.
ALL = "all"
OWN = "own"
NONE = None

# (data, role) -> {action: scope}. Anonymous visitors use the role None.
RULES: dict[tuple[Data, str | None], dict[Action, str | None]] = {
    (Data.DIRECTORY, None): {Action.READ: ALL},
    (Data.DIRECTORY, Role.PARTNER): {Action.READ: ALL},
    (Data.DIRECTORY, Role.OFFICER): {Action.READ: ALL},
    (Data.DIRECTORY, Role.LEAD): {Action.READ: ALL},
    (Data.DIRECTORY, Role.OFFICE): {Action.READ: ALL, Action.WRITE: ALL},
    (Data.FINANCE, Role.OFFICER): {Action.READ: OWN},
    (Data.FINANCE, Role.LEAD): {Action.READ: ALL},
    (Data.FINANCE, Role.OFFICE): {Action.READ: ALL, Action.WRITE: ALL},
    (Data.PEOPLE, Role.OFFICE): {Action.READ: ALL, Action.WRITE: ALL},
    (Data.AUDIT, Role.OFFICE): {Action.READ: ALL},
    (Data.TECHMAP, None): {Action.READ: ALL},
    (Data.TECHMAP, Role.PARTNER): {Action.READ: ALL},
    (Data.TECHMAP, Role.OFFICER): {Action.READ: ALL, Action.WRITE: OWN},
    (Data.TECHMAP, Role.LEAD): {Action.READ: ALL, Action.WRITE: OWN},
    (Data.TECHMAP, Role.OFFICE): {Action.READ: ALL, Action.WRITE: ALL},
    (Data.CONTRACT_DETAILS, Role.OFFICER): {Action.READ: ALL, Action.WRITE: OWN},
    (Data.CONTRACT_DETAILS, Role.LEAD): {Action.READ: ALL, Action.WRITE: OWN},
    (Data.CONTRACT_DETAILS, Role.OFFICE): {Action.READ: ALL, Action.WRITE: ALL},
    (Data.PROJECTS, None): {Action.READ: ALL},
    (Data.PROJECTS, Role.PARTNER): {Action.READ: ALL},
    (Data.PROJECTS, Role.OFFICER): {Action.READ: ALL},
    (Data.PROJECTS, Role.LEAD): {Action.READ: ALL},
    (Data.PROJECTS, Role.OFFICE): {Action.READ: ALL, Action.WRITE: ALL},
    (Data.PUBLISHED, None): {Action.READ: ALL},
    (Data.PUBLISHED, Role.PARTNER): {Action.READ: ALL},
    (Data.PUBLISHED, Role.OFFICER): {Action.READ: ALL},
    (Data.PUBLISHED, Role.LEAD): {Action.READ: ALL},
    (Data.PUBLISHED, Role.OFFICE): {Action.READ: ALL, Action.WRITE: ALL},
    (Data.CALLS, Role.OFFICER): {Action.READ: ALL, Action.WRITE: OWN},
    (Data.CALLS, Role.LEAD): {Action.READ: ALL, Action.WRITE: OWN},
    (Data.CALLS, Role.OFFICE): {Action.READ: ALL, Action.WRITE: ALL},
    (Data.BALLOTS, Role.LEAD): {Action.READ: OWN, Action.WRITE: OWN},
    (Data.EVALUATION, Role.OFFICE): {Action.READ: ALL, Action.WRITE: ALL},
    (Data.LIBRARY, None): {Action.READ: ALL},
    (Data.LIBRARY, Role.PARTNER): {Action.READ: ALL},
    (Data.LIBRARY, Role.OFFICER): {Action.READ: ALL, Action.WRITE: OWN},
    (Data.LIBRARY, Role.LEAD): {Action.READ: ALL, Action.WRITE: OWN},
    (Data.LIBRARY, Role.OFFICE): {Action.READ: ALL, Action.WRITE: ALL},
    (Data.LIBRARY_MEMBERS, Role.PARTNER): {Action.READ: ALL},
    (Data.LIBRARY_MEMBERS, Role.OFFICER): {Action.READ: ALL},
    (Data.LIBRARY_MEMBERS, Role.LEAD): {Action.READ: ALL},
    (Data.LIBRARY_MEMBERS, Role.OFFICE): {Action.READ: ALL},
    (Data.AGREEMENTS, None): {Action.READ: ALL},
    (Data.AGREEMENTS, Role.PARTNER): {Action.READ: ALL},
    (Data.AGREEMENTS, Role.OFFICER): {Action.READ: ALL, Action.WRITE: OWN},
    (Data.AGREEMENTS, Role.LEAD): {Action.READ: ALL, Action.WRITE: OWN},
    (Data.AGREEMENTS, Role.OFFICE): {Action.READ: ALL, Action.WRITE: ALL},
    (Data.AGREEMENT_DETAILS, Role.PARTNER): {Action.READ: OWN},
    (Data.AGREEMENT_DETAILS, Role.OFFICER): {Action.READ: ALL},
    (Data.AGREEMENT_DETAILS, Role.LEAD): {Action.READ: ALL},
    (Data.AGREEMENT_DETAILS, Role.OFFICE): {Action.READ: ALL, Action.WRITE: ALL},
}


def role_of(user: Any) -> str | None:
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    return user.role


def scope(user: Any, data: Data, action: Action = Action.READ) -> str | None:
    """ALL, OWN or None: how far `user` may take `action` on `data`."""
    return RULES.get((data, role_of(user)), {}).get(action)


def can(
    user: Any, data: Data, action: Action = Action.READ, organisation_id: int | None = None
) -> bool:
    """May `user` take `action` on `data` belonging to `organisation_id`?

    With no organisation given, the question is whether the user may act on any such data
    at all (for example, whether to show a list page).
    """
    granted = scope(user, data, action)
    if granted == ALL:
        return True
    if granted == OWN:
        own = getattr(user, "organisation_id", None)
        return own is not None and (organisation_id is None or organisation_id == own)
    return False


def reads_all(user: Any, data: Data) -> bool:
    """May `user` read every organisation's `data` (the consortium-wide view)?"""
    return scope(user, data, Action.READ) == ALL


def filter_for(
    queryset: models.QuerySet, user: Any, data: Data, *, owner: str = "organisation_id"
) -> models.QuerySet:
    """Only the rows of `queryset` that `user` may read; `owner` names the field holding the
    id of the organisation a row belongs to."""
    granted = scope(user, data, Action.READ)
    if granted == ALL:
        return queryset
    if granted == OWN and getattr(user, "organisation_id", None):
        return queryset.filter(**{owner: user.organisation_id})
    return queryset.none()


def is_office(user: AnonymousUser | Any) -> bool:
    return role_of(user) == Role.OFFICE


def may_change_account(user: Any, person: Any) -> bool:
    """May `user`, who may write people's records, change `person`'s account (name, email,
    role, whether they can sign in, deletion)? Only a superuser changes a superuser: the
    office could otherwise take one over by changing its email and resetting its password."""
    return not person.is_superuser or bool(getattr(user, "is_superuser", False))
