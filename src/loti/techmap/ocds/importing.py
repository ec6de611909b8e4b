"""Writing published contract notices into the technology map.

Releases are read from the stream a chunk at a time. Each chunk's processes (ocids) are
compiled with what earlier imports stored of them, their buyers matched to the consortium's
organisations, and, where the buyer is one of them, stored as a `Notice`; a technology
notice's active awards become contracts. Memory holds one chunk, the vendor index and about
100 bytes per process seen (to count each once), never the file.

The whole import is one transaction: if any release is unreadable, nothing is written, and the
report lists every fault found (up to MAX_ERRORS) with where it is.

A contract made from a notice is the import's until a person changes it: the import updates
a field only while it still holds what the import last put there; otherwise a newer notice
value is kept aside as a conflict for a person to settle.
"""

from __future__ import annotations

import datetime
import gc
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import islice
from typing import Any, BinaryIO

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from loti.core.bulk import cyclic_gc_paused, update_each
from loti.members import selectors as member_selectors
from loti.techmap import search
from loti.techmap import selectors as techmap_selectors
from loti.techmap.matching import VendorIndex, normalise
from loti.techmap.models import Contract, Notice, NoticeAward, ServiceArea, Vendor
from loti.techmap.ocds import compiling, notices, reading

CHUNK = 2_000
MAX_ERRORS = 100
MAX_UNREAD = 1_000  # values listed that could not be read as given; the rest are counted
# The contract fields an import owns, and how each is read from an award.
OWNED: dict[str, Callable[[notices.Award, notices.Facts], Any]] = {
    "title": lambda award, _facts: award.title[:300] or "Untitled contract",
    "description": lambda award, _facts: award.description,
    "starts_on": lambda award, _facts: award.starts_on,
    "ends_on": lambda award, _facts: award.ends_on,
    "annual_value": lambda award, _facts: award.annual_value,
    "total_value": lambda award, _facts: award.value,
    "procurement_route": lambda _award, facts: facts.procurement_route,
}
OWNED_FIELDS = ("vendor_id", *OWNED)

Outcome = str
NOT_A_MEMBER = "The buyer is not one of the consortium's organisations"
NOT_TECHNOLOGY = "Not technology (no CPV code in the filter)"
NO_AWARD = "No contract awarded yet"
AWARD_NOT_ACTIVE = "The award is pending, cancelled or unsuccessful"
NO_SUPPLIER = "The award names no supplier"
ENDS_BEFORE_START = "The contract's end date is before its start date"
DELETED = "A person deleted the contract made from this award"


@dataclass
class Report:
    """What an import did. Counts of processes (ocids) and of awards are each of distinct
    ones, however many releases of them the file holds."""

    releases: int = 0
    ocids: int = 0
    matched: int = 0
    technology: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    conflicts: int = 0
    open_tenders: int = 0
    vendors_created: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    unmatched_buyers: list[tuple[str, int]] = field(default_factory=list)
    possible_duplicates: list[dict[str, Any]] = field(default_factory=list)
    errors: list[dict[str, str]] = field(default_factory=list)
    more_errors: bool = False
    # Whether the file itself could not be read (not JSON, not OCDS, or past a limit of the
    # reader): the command's exit status 2.
    unreadable: bool = False
    # Values of the wrong type or form, dropped or read another way, by release and field:
    # {"release": ocid, "field": "awards[0].value.amount", "value": '"37,500"',
    # "action": "dropped" or "read as 37500.00"}; up to MAX_UNREAD, the rest counted.
    unread: list[dict[str, str]] = field(default_factory=list)
    more_unread: int = 0
    _unread_seen: set[int] = field(default_factory=set, repr=False)

    def note_unread(self, release: str, values: Iterable[notices.Unread]) -> None:
        """List each value once, however many chunks compile its release again."""
        for value in values:
            key = hash((release, value.field, value.value, value.action))
            if key in self._unread_seen:
                continue
            self._unread_seen.add(key)
            if len(self.unread) < MAX_UNREAD:
                self.unread.append(
                    {
                        "release": release,
                        "field": value.field,
                        "value": value.value,
                        "action": value.action,
                    }
                )
            else:
                self.more_unread += 1

    @property
    def imported(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict[str, Any]:
        return {
            "imported": self.imported,
            "releases": self.releases,
            "ocids": self.ocids,
            "matched": self.matched,
            "technology": self.technology,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "conflicts": self.conflicts,
            "open_tenders": self.open_tenders,
            "vendors_created": self.vendors_created,
            "skipped": self.skipped,
            "unmatched_buyers": [list(pair) for pair in self.unmatched_buyers],
            "possible_duplicates": self.possible_duplicates,
            "errors": self.errors,
            "more_errors": self.more_errors,
            "unreadable": self.unreadable,
            "unread": self.unread,
            "more_unread": self.more_unread,
            "summary": self.summary(),
        }

    def summary(self) -> str:
        if self.errors:
            count = f"{len(self.errors)}{' or more' if self.more_errors else ''}"
            return (
                f"Nothing was imported: the file has {count} "
                f"problem{'s' if len(self.errors) != 1 or self.more_errors else ''} to fix first."
            )
        summary = (
            f"Read {self.releases:,} releases of {self.ocids:,} processes: "
            f"{self.matched:,} from the consortium's organisations, {self.technology:,} of them "
            f"technology. Contracts: {self.created:,} added, {self.updated:,} updated, "
            f"{self.unchanged:,} unchanged, {self.conflicts:,} with changes a person must "
            f"check. {self.open_tenders:,} open tenders."
        )
        unread = len(self.unread) + self.more_unread
        if unread:
            summary += (
                f" {unread:,} value{'s' if unread != 1 else ''} could not be read as given; "
                "see the list."
            )
        return summary


class _Tally:
    """The outcome of each process and award seen, by a hash of its key, so that one seen in
    several chunks counts once, as what happened to it last (an award added in one chunk and
    changed in a later one counts as added)."""

    ORDER = {"created": 3, "updated": 2, "conflict": 2, "unchanged": 1}

    def __init__(self) -> None:
        self.ocids: dict[int, tuple[Outcome, str]] = {}
        self.awards: dict[int, Outcome] = {}

    def ocid(self, ocid: str, outcome: Outcome, buyer: str = "") -> None:
        self.ocids[hash(ocid)] = (outcome, buyer)

    def award(self, ocid: str, award_id: str, outcome: Outcome) -> None:
        key = hash((ocid, award_id))
        held = self.awards.get(key)
        if held is None or self.ORDER.get(outcome, 0) >= self.ORDER.get(held, 0):
            self.awards[key] = outcome

    def fill(self, report: Report) -> None:
        report.ocids = len(self.ocids)
        skipped: Counter[str] = Counter()
        buyers: Counter[str] = Counter()
        for outcome, buyer in self.ocids.values():
            if outcome == NOT_A_MEMBER:
                skipped[outcome] += 1
                buyers[buyer] += 1
                continue
            report.matched += 1
            if outcome == NOT_TECHNOLOGY:
                skipped[outcome] += 1
            else:
                report.technology += 1
                if outcome == NO_AWARD:
                    skipped[outcome] += 1
        counts = Counter(self.awards.values())
        report.created, report.updated = counts.pop("created", 0), counts.pop("updated", 0)
        report.unchanged, report.conflicts = counts.pop("unchanged", 0), counts.pop("conflict", 0)
        skipped.update(counts)
        report.skipped = dict(skipped.most_common())
        report.unmatched_buyers = buyers.most_common(10)


class _Vendors:
    """Supplier names to vendors, through the same matching as spreadsheet imports. A name
    that may be a known vendor but is not certainly one gets a vendor of its own, listed in
    the report so that staff can merge it if it is a duplicate: never merged silently."""

    def __init__(self, report: Report) -> None:
        self.report = report
        vendors = list(Vendor.objects.values_list("id", "name", "companies_house_number"))
        self.index = VendorIndex(techmap_selectors.vendor_names())
        self.by_number = {number: pk for pk, _name, number in vendors if number}
        self.by_name = {name: pk for pk, name, _number in vendors}
        self.created: dict[str, int] = {}  # normalised name -> new vendor id
        self.slugs = set(Vendor.objects.values_list("slug", flat=True))
        self.sme: dict[int, bool] = {}  # vendors whose SME status was unknown, now told

    def resolve(self, awards: Iterable[notices.Award]) -> dict[str, int]:
        """Vendor ids for the awards' suppliers, keyed by `_vendor_key`; creates new ones."""
        ids: dict[str, int] = {}
        new: dict[str, Vendor] = {}
        named: dict[str, Vendor] = {}  # the new vendors by name, which is unique
        for award in awards:
            key = _vendor_key(award)
            if key in ids or key in new:
                continue
            found = self._known(award)
            if found is not None:
                ids[key] = found
                if award.is_sme is not None:
                    self.sme.setdefault(found, award.is_sme)
                continue
            name = award.supplier_name[:200]
            if name not in named:
                named[name] = Vendor(
                    name=name,
                    normalised_name=normalise(name)[:200],
                    slug=self._slug(name),
                    companies_house_number=award.companies_house_number,
                    is_sme=award.is_sme,
                )
            new[key] = named[name]
        Vendor.objects.bulk_create(named.values())
        search.index_vendors(vendor.pk for vendor in named.values())
        for key, vendor in new.items():
            ids[key] = vendor.pk
            self.created[vendor.normalised_name] = vendor.pk
            self.by_name[vendor.name] = vendor.pk
            if vendor.companies_house_number:
                self.by_number[vendor.companies_house_number] = vendor.pk
        self.report.vendors_created += len(named)
        return ids

    def _known(self, award: notices.Award) -> int | None:
        if award.companies_house_number in self.by_number:
            return self.by_number[award.companies_house_number]
        name = award.supplier_name[:200]
        if name in self.by_name:
            return self.by_name[name]
        key = normalise(name)
        if key in self.created:
            return self.created[key]
        match = self.index.match(name)
        if match.vendor_id is not None:
            return match.vendor_id
        if match.status == "uncertain" and len(self.report.possible_duplicates) < 50:
            self.report.possible_duplicates.append(
                {"name": name, "suggestions": [s.name for s in match.suggestions]}
            )
        return None

    def _slug(self, name: str) -> str:
        base = slugify(name)[:90] or "vendor"
        slug, n = base, 2
        while slug in self.slugs:
            slug, n = f"{base}-{n}", n + 1
        self.slugs.add(slug)
        return slug

    def save_sme(self) -> None:
        for is_sme in (True, False):
            ids = [pk for pk, value in self.sme.items() if value is is_sme]
            Vendor.objects.filter(pk__in=ids, is_sme__isnull=True).update(is_sme=is_sme)


def _vendor_key(award: notices.Award) -> str:
    return award.companies_house_number or normalise(award.supplier_name[:200])


def import_ocds(
    stream: BinaryIO,
    *,
    cpv_prefixes: Iterable[str] | None = None,
    progress: Callable[[int], None] | None = None,
    now: datetime.datetime | None = None,
    dry_run: bool = False,
) -> Report:
    """Import every release in `stream`. `progress`, if given, is called after each chunk with
    how far into the stream the import has read (in bytes, where the stream can say). A dry
    run reports what the import would do and writes nothing. `cpv_prefixes` defaults to the
    OCDS_CPV_PREFIXES setting."""
    report = Report()
    prefixes = tuple(settings.OCDS_CPV_PREFIXES if cpv_prefixes is None else cpv_prefixes)
    importer = _Importer(report, prefixes, now or timezone.now())
    # Parsed releases are plain dicts and lists, never in a cycle: see cyclic_gc_paused.
    with transaction.atomic(), cyclic_gc_paused():
        releases = reading.read_releases(stream)
        try:
            while chunk := list(islice(releases, CHUNK)):
                importer.chunk(chunk)
                del chunk
                # Anything of the chunk's left in a cycle (the ORM's, say), while the chunk
                # itself is gone and need not be walked.
                gc.collect(0)
                if progress is not None:
                    progress(_position(stream))
                if len(report.errors) >= MAX_ERRORS:
                    report.more_errors = True
                    break
        except reading.ReadError as exc:
            report.errors.append({"position": "", "message": str(exc)})
            report.unreadable = True
        importer.finish()
        if report.errors or dry_run:
            transaction.set_rollback(True)
    return report


def check(stream: BinaryIO, *, progress: Callable[[int], None] | None = None) -> Report:
    """Read every release in `stream` and report the faults that would stop an import (see
    `_check`), touching no table: a quick first pass whose progress can be seen, as it runs
    in no transaction. `progress` is called every CHUNK releases with the bytes read."""
    report = Report()
    try:
        for release in reading.read_releases(stream):
            report.releases += 1
            problem, _date = _check(release.data)
            if problem:
                if len(report.errors) == MAX_ERRORS:
                    report.more_errors = True
                    break
                report.errors.append({"position": release.position, "message": problem})
            if progress is not None and report.releases % CHUNK == 0:
                progress(_position(stream))
    except reading.ReadError as exc:
        report.errors.append({"position": "", "message": str(exc)})
        report.unreadable = True
    return report


def _position(stream: BinaryIO) -> int:
    try:
        return stream.tell()
    except (OSError, ValueError):
        return 0


@dataclass
class _Compiled:
    notice: Notice | None  # as stored before this chunk, if it was
    facts: notices.Facts
    state: compiling.State
    changed: bool
    release_id: str  # the newest release's, of those stored and those in this chunk
    release_date: str


class _Importer:
    def __init__(self, report: Report, prefixes: tuple[str, ...], now: datetime.datetime):
        self.report = report
        self.prefixes = prefixes
        self.now = now
        self.tally = _Tally()
        self.matcher = member_selectors.organisation_matcher()
        self.vendors = _Vendors(report)
        self.areas = notices.AreaFinder(techmap_selectors.service_area_keywords())
        self.area_ids = dict(ServiceArea.objects.values_list("name", "id"))

    def chunk(self, chunk: list[reading.Release]) -> None:
        report = self.report
        report.releases += len(chunk)
        by_ocid: dict[str, list[tuple[str, reading.Release]]] = {}
        for release in chunk:
            problem, date = _check(release.data)
            if problem:
                self._error(release.position, problem)
            else:
                by_ocid.setdefault(release.data["ocid"], []).append((date, release))
        if report.errors:
            return  # Still reading, to list every fault, but nothing more is written.
        stored = {
            notice.ocid: notice
            for notice in Notice.objects.filter(ocid__in=list(by_ocid)).only(
                "id", "ocid", "organisation_id", "compiled", "release_id", "released_at",
                "is_technology",
            )
        }  # fmt: skip
        compiled: list[_Compiled] = []
        for ocid, dated in by_ocid.items():
            notice = stored.get(ocid)
            if notice is None and not self._may_be_ours([release.data for _, release in dated]):
                # No name or identifier of the buyer in any of these releases is one of ours,
                # so neither is the compiled buyer: skip the compiling.
                newest = max(dated, key=_first)[1].data
                self.tally.ocid(ocid, NOT_A_MEMBER, _buyer_name(newest))
                continue
            state = compiling.from_json(notice.compiled) if notice else {}
            try:
                changed = compiling.merge_dated(state, [(date, r.data) for date, r in dated])
                release = compiling.compiled(state)
            except compiling.CompileError as exc:
                self._error(dated[-1][1].position, f"{ocid}: {exc}")
                continue
            newest_date, newest = max(dated, key=_first)
            newest_id = str(newest.data.get("id", "")).replace("\x00", "")[:200]
            if notice is not None and newest_date < notice.released_at.isoformat():
                newest_id, newest_date = notice.release_id, notice.released_at.isoformat()
            facts = notices.facts(release, release_id=newest_id)
            report.note_unread(ocid, facts.unread)
            compiled.append(
                _Compiled(
                    notice=notice,
                    facts=facts,
                    state=state,
                    changed=changed,
                    release_id=newest_id,
                    release_date=newest_date,
                )
            )
        if not report.errors:
            self._write(compiled)

    def _may_be_ours(self, releases: list[dict[str, Any]]) -> bool:
        names: list[str] = []
        identifiers: list[str] = []
        for release in releases:
            release_names, release_identifiers = notices.buyer_of(release)
            names += release_names
            identifiers += release_identifiers
        return self.matcher.knows(names=names, identifiers=identifiers)

    def _error(self, position: str, message: str) -> None:
        if len(self.report.errors) < MAX_ERRORS:
            self.report.errors.append({"position": position, "message": message})
        else:
            self.report.more_errors = True

    def _write(self, compiled: list[_Compiled]) -> None:
        fresh, updated = [], []
        technology: list[tuple[Notice, notices.Facts]] = []
        for item in compiled:
            notice, facts = item.notice, item.facts
            if notice is not None and not item.changed:
                organisation_id: int | None = notice.organisation_id
            else:
                organisation_id = self.matcher.match(
                    names=facts.buyer_names, identifiers=facts.buyer_identifiers
                )
            if organisation_id is None and notice is not None:
                organisation_id = notice.organisation_id  # matched before: an alias went
            if organisation_id is None:
                self.tally.ocid(facts.ocid, NOT_A_MEMBER, facts.buyer_name)
                continue
            is_technology = facts.is_technology(self.prefixes)
            if notice is None:
                notice = Notice(ocid=facts.ocid)
                fresh.append(notice)
            elif item.changed or notice.is_technology != is_technology:
                updated.append(notice)
            if item.changed or notice.pk is None or notice.is_technology != is_technology:
                _fill(notice, item, organisation_id, is_technology)
            if not is_technology:
                self.tally.ocid(facts.ocid, NOT_TECHNOLOGY)
                continue
            technology.append((notice, facts))
            self.tally.ocid(facts.ocid, "technology" if facts.awards else NO_AWARD)
        Notice.objects.bulk_create(fresh)
        update_each(Notice, updated, [*NOTICE_FIELDS, "organisation"])
        written = {id(notice) for notice in fresh} | {id(notice) for notice in updated}
        self._set_areas([pair for pair in technology if id(pair[0]) in written])
        self._write_awards(technology)

    def _set_areas(self, technology: list[tuple[Notice, notices.Facts]]) -> None:
        through = Notice.service_areas.through
        through.objects.filter(notice_id__in=[notice.pk for notice, _ in technology]).delete()
        through.objects.bulk_create(
            through(notice_id=notice.pk, servicearea_id=self.area_ids[name])
            for notice, facts in technology
            for name in self.areas.areas(facts.title, facts.description)
            if name in self.area_ids
        )

    def _write_awards(self, technology: list[tuple[Notice, notices.Facts]]) -> None:
        links = {
            (link.notice_id, link.award_id): link
            for link in NoticeAward.objects.filter(
                notice_id__in=[notice.pk for notice, _ in technology]
            ).select_related("contract")
        }
        wanted: list[tuple[Notice, notices.Facts, notices.Award]] = []
        for notice, facts in technology:
            for award in facts.awards:
                reason = _award_problem(award)
                link = links.get((notice.pk, award.award_id))
                if reason is None and link is not None and link.contract is None:
                    reason = DELETED
                if reason:
                    self.tally.award(facts.ocid, award.award_id, reason)
                else:
                    wanted.append((notice, facts, award))
        vendor_ids = self.vendors.resolve(award for _, _, award in wanted)
        now = timezone.now()
        new_contracts, new_links, changed_contracts, changed_links = [], [], [], []
        for notice, facts, award in wanted:
            values = {name: read(award, facts) for name, read in OWNED.items()}
            values["vendor_id"] = vendor_ids[_vendor_key(award)]
            plain = {name: _plain(value) for name, value in values.items()}
            link = links.get((notice.pk, award.award_id))
            if link is None:
                contract = Contract(
                    organisation_id=notice.organisation_id,
                    source=Contract.Source.OCDS,
                    is_public=True,
                    updated_at=now,
                    **values,
                )
                new_contracts.append(contract)
                new_links.append(
                    NoticeAward(notice=notice, award_id=award.award_id, imported=plain)
                )
                self.tally.award(facts.ocid, award.award_id, "created")
                continue
            held = (dict(link.imported), dict(link.conflicts))
            contract_was = [getattr(link.contract, name) for name in OWNED_FIELDS]
            outcome = _reconcile(link, values, plain)
            self.tally.award(facts.ocid, award.award_id, outcome)
            if [getattr(link.contract, name) for name in OWNED_FIELDS] != contract_was:
                link.contract.updated_at = now
                changed_contracts.append(link.contract)
            if (link.imported, link.conflicts) != held:
                changed_links.append(link)
        Contract.objects.bulk_create(new_contracts)
        for contract, link in zip(new_contracts, new_links, strict=True):
            link.contract = contract
        NoticeAward.objects.bulk_create(new_links)
        update_each(Contract, changed_contracts, [*OWNED_FIELDS, "updated_at"])
        update_each(NoticeAward, changed_links, ["imported", "conflicts"])

    def finish(self) -> None:
        if self.report.errors:
            return
        self.vendors.save_sme()
        self.tally.fill(self.report)
        self.report.open_tenders = techmap_selectors.open_tenders(now=self.now).count()


NOTICE_FIELDS = (
    "buyer_name",
    "release_id",
    "released_at",
    "compiled",
    "title",
    "description",
    "cpv_codes",
    "is_technology",
    "tender_status",
    "closes_at",
    "suitable_for_sme",
    "suitable_for_vcse",
    "value",
    "url",
    "updated_at",
)


def _fill(notice: Notice, item: _Compiled, organisation_id: int, is_technology: bool) -> None:
    facts = item.facts
    notice.organisation_id = organisation_id
    notice.buyer_name = facts.buyer_name[:300]
    notice.release_id = item.release_id
    notice.released_at = datetime.datetime.fromisoformat(item.release_date)
    notice.compiled = compiling.to_json(item.state)
    notice.title = facts.title[:500]
    notice.description = facts.description
    notice.cpv_codes = list(facts.cpv_codes)
    notice.is_technology = is_technology
    status = facts.tender_status
    notice.tender_status = status if status in Notice.TenderStatus.values else ""
    notice.closes_at = facts.closes_at
    notice.suitable_for_sme = facts.suitable_for_sme
    notice.suitable_for_vcse = facts.suitable_for_vcse
    notice.value = facts.value
    notice.url = facts.url
    notice.updated_at = timezone.now()


def _check(data: Any) -> tuple[str, str]:
    """(why the release cannot be read at all, or ""; its date as compiling compares them)."""
    if not isinstance(data, dict):
        return "This is not a release: a release is a JSON object", ""
    ocid = data.get("ocid")
    if not isinstance(ocid, str) or not ocid.strip():
        return "This release has no ocid (its Open Contracting ID), so it cannot be placed", ""
    if len(ocid) > 200 or "\x00" in ocid:
        return "This release's ocid is longer than 200 characters or holds a NUL character", ""
    try:
        return "", compiling.release_date(data)
    except compiling.CompileError as exc:
        return f"Release of {ocid}: {exc}", ""


def _first(pair: tuple[str, Any]) -> str:
    return pair[0]


def _buyer_name(release: dict[str, Any]) -> str:
    buyer = release.get("buyer")
    name = buyer.get("name") if isinstance(buyer, dict) else None
    return name.strip()[:300] if isinstance(name, str) else ""


def _award_problem(award: notices.Award) -> str | None:
    if award.status and award.status != "active":
        return AWARD_NOT_ACTIVE
    if not award.supplier_name:
        return NO_SUPPLIER
    if award.starts_on and award.ends_on and award.ends_on < award.starts_on:
        return ENDS_BEFORE_START
    return None


def _plain(value: Any) -> Any:
    """A value as the JSON snapshot keeps it."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _reconcile(link: NoticeAward, values: dict[str, Any], plain: dict[str, Any]) -> Outcome:
    """Bring the contract up to date with the notice where nobody has changed it; keep a
    person's changes, setting aside the notice's newer values as conflicts. Changes the
    contract and the link in memory only."""
    contract = link.contract
    outcome = "unchanged"
    before: dict[str, Any] = {}
    for name, value in values.items():
        last = link.imported.get(name)
        if plain[name] == last:
            continue  # The notice says what it said before.
        current = _plain(getattr(contract, name))
        if current == last:
            before[name] = getattr(contract, name)
            setattr(contract, name, value)
            link.conflicts.pop(name, None)
        elif current != plain[name]:
            link.conflicts[name] = plain[name]
            outcome = "conflict"
        else:
            link.conflicts.pop(name, None)
        link.imported[name] = plain[name]
    if contract.starts_on and contract.ends_on and contract.ends_on < contract.starts_on:
        # The notice's new date and a person's other date cannot both stand: keep the
        # person's contract as it was and set the notice's dates aside.
        for name in ("starts_on", "ends_on"):
            if name in before:
                setattr(contract, name, before.pop(name))
                link.conflicts[name] = plain[name]
                outcome = "conflict"
    if before and outcome == "unchanged":
        outcome = "updated"
    return outcome
