"""What a compiled release says, in the terms of the technology map: the buyer, whether it is
technology (by CPV code), the tender and each award. No database here."""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

NOTICE_DOCUMENTS = ("awardNotice", "contractNotice", "tenderNotice")
# Contracts Finder gives its notices' addresses only as documents of some releases; its
# release ids begin with the notice's id, so a link can be made for the others.
CONTRACTS_FINDER = "ocds-b5fd17-"
CONTRACTS_FINDER_NOTICE = "https://www.contractsfinder.service.gov.uk/Notice/{}"
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
COMPANIES_HOUSE = re.compile(r"^(?:\d{1,8}|[A-Z]{2}\d{6})$")
MAX_MONEY = Decimal("999999999999.99")
YEAR_DAYS = Decimal("365.25")


def parse_cpv_prefixes(text: str) -> tuple[str, ...]:
    """ "48, 72,302" -> ("48", "72", "302"). Raises ValueError naming a bad prefix."""
    prefixes = tuple(part.strip() for part in text.split(",") if part.strip())
    for prefix in prefixes:
        if not prefix.isdigit() or len(prefix) > 8:
            raise ValueError(f"“{prefix}” is not the start of a CPV code (up to 8 digits)")
    if not prefixes:
        raise ValueError("Give at least one CPV code prefix, like 48 or 72")
    return prefixes


@dataclass(frozen=True)
class Unread:
    """A value of the wrong type or form: dropped (read as missing), or read another way."""

    field: str  # its path in the compiled release: "awards[0].value.amount"
    value: str  # as the release gives it, in JSON, shortened
    action: str  # "dropped", or "read as 37500.00"


def _shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 80 else text[:79] + "…"


class _Unread(list):
    """The values `facts` could not read as given, noted as it reads them."""

    def drop(self, path: str, value: Any) -> None:
        self.append(Unread(path, _shown(value), "dropped"))

    def coerce(self, path: str, value: Any, read_as: Any) -> None:
        self.append(Unread(path, _shown(value), f"read as {read_as}"))

    def money(self, value: Any, path: str) -> Decimal | None:
        amount = _money(value)
        if amount is None and value is not None and not _is_zero(value):
            self.drop(path, value)
        elif amount is not None and type(value) is str:
            self.coerce(path, value, amount)
        return amount

    def moment(self, value: Any, path: str) -> datetime.datetime | None:
        moment = _moment(value)
        if moment is None and value is not None:
            self.drop(path, value)
        return moment

    def bool(self, value: Any, path: str) -> bool | None:
        if value is not None and not isinstance(value, bool):
            self.drop(path, value)
        return _bool(value)

    def text(self, value: Any, path: str) -> str:
        if value is None or isinstance(value, str):
            return _text(value)
        if isinstance(value, dict | list):
            self.drop(path, value)
            return ""
        self.coerce(path, value, _shown(str(value)))
        return str(value)

    def object(self, value: Any, path: str) -> dict[str, Any]:
        if value is not None and not isinstance(value, dict):
            self.drop(path, value)
        return _dict(value)


def _is_zero(value: Any) -> bool:
    """Zero, which some publishers give for "not given": dropped without a word."""
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool) and value == 0


@dataclass(frozen=True)
class Award:
    award_id: str
    status: str
    title: str
    description: str
    supplier_name: str
    companies_house_number: str
    is_sme: bool | None
    value: Decimal | None
    starts_on: datetime.date | None
    ends_on: datetime.date | None
    url: str

    @property
    def annual_value(self) -> Decimal | None:
        """The value a year: the total spread over the contract's years where it runs for
        more than one, else the total."""
        if self.value is None or not self.starts_on or not self.ends_on:
            return self.value
        days = (self.ends_on - self.starts_on).days + 1
        if days <= 366:
            return self.value
        return (self.value * YEAR_DAYS / days).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class Facts:
    ocid: str
    buyer_names: tuple[str, ...]
    buyer_identifiers: tuple[str, ...]
    title: str
    description: str
    cpv_codes: tuple[str, ...]
    tender_status: str
    closes_at: datetime.datetime | None
    suitable_for_sme: bool | None
    suitable_for_vcse: bool | None
    value: Decimal | None
    procurement_route: str
    url: str
    awards: tuple[Award, ...]
    # Values of the wrong type or form, dropped or read another way: for the import's report.
    unread: tuple[Unread, ...] = ()

    def is_technology(self, prefixes: Iterable[str]) -> bool:
        prefixes = tuple(prefixes)
        return any(code.startswith(prefixes) for code in self.cpv_codes)

    @property
    def buyer_name(self) -> str:
        return self.buyer_names[0] if self.buyer_names else ""


def facts(release: dict[str, Any], *, release_id: str = "") -> Facts:
    """Read a compiled release (see compiling.compiled). Anything malformed in a field is
    read as missing, never as an error: publishers' data is untidy. Each value of the wrong
    type or form is listed in `unread`, dropped or read another way."""
    unread = _Unread()
    tender = unread.object(release.get("tender"), "tender")
    parties = {
        str(party.get("id")): party
        for party in _list(release.get("parties"))
        if isinstance(party, dict) and "id" in party
    }
    names, identifiers = buyer_of(release, parties)
    tender_period = unread.object(tender.get("tenderPeriod"), "tender.tenderPeriod")
    suitability = unread.object(tender.get("suitability"), "tender.suitability")
    url = _document_url(tender.get("documents")) or _contracts_finder_url(
        release.get("ocid"), release_id
    )
    awards = []
    for index, award in enumerate(_list(release.get("awards"))):
        if isinstance(award, dict) and "id" in award:
            awards.append(_award(award, parties, tender, url, unread, f"awards[{index}]"))
        else:
            unread.drop(f"awards[{index}]", award)
    value = unread.object(tender.get("value"), "tender.value")
    return Facts(
        ocid=_text(release.get("ocid")),
        buyer_names=names,
        buyer_identifiers=identifiers,
        title=unread.text(tender.get("title"), "tender.title"),
        description=unread.text(tender.get("description"), "tender.description"),
        cpv_codes=_cpv_codes(tender),
        tender_status=unread.text(tender.get("status"), "tender.status"),
        closes_at=unread.moment(tender_period.get("endDate"), "tender.tenderPeriod.endDate"),
        suitable_for_sme=unread.bool(suitability.get("sme"), "tender.suitability.sme"),
        suitable_for_vcse=unread.bool(suitability.get("vcse"), "tender.suitability.vcse"),
        value=unread.money(value.get("amount"), "tender.value.amount"),
        procurement_route=unread.text(
            tender.get("procurementMethodDetails"), "tender.procurementMethodDetails"
        )[:200],
        url=url,
        awards=tuple(awards),
        unread=tuple(unread),
    )


def buyer_of(
    release: dict[str, Any], parties: dict[str, Any] | None = None
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The buyer's names and identifiers in a release (compiled or not): `buyer`'s own, and
    those of the party it refers to. `parties` is the release's parties by id, if at hand."""
    buyer = _dict(release.get("buyer"))
    if "id" not in buyer:
        party = {}
    elif parties is not None:
        party = _dict(parties.get(str(buyer["id"])))
    else:
        party = next(
            (
                p
                for p in _list(release.get("parties"))
                if isinstance(p, dict) and "id" in p and str(p["id"]) == str(buyer["id"])
            ),
            {},
        )
    names = _unique(
        _text(value)
        for value in (
            buyer.get("name"),
            party.get("name"),
            _dict(party.get("identifier")).get("legalName"),
        )
    )
    return names, _unique([_text(buyer.get("id")), _scheme_id(party.get("identifier"))])


def _award(
    award: dict[str, Any],
    parties: dict[str, Any],
    tender: dict[str, Any],
    notice_url: str,
    unread: _Unread,
    path: str,
) -> Award:
    suppliers = [s for s in _list(award.get("suppliers")) if isinstance(s, dict)]
    supplier = suppliers[0] if suppliers else {}
    party = _dict(parties.get(str(supplier.get("id")))) if "id" in supplier else {}
    identifier = _dict(party.get("identifier"))
    number = ""
    if identifier.get("scheme") == "GB-COH":
        raw = _text(identifier.get("id")).upper().replace(" ", "")
        if COMPANIES_HOUSE.match(raw):
            number = raw.zfill(8) if raw.isdigit() else raw
    scale = _dict(party.get("details")).get("scale")
    period = unread.object(award.get("contractPeriod"), f"{path}.contractPeriod")
    where = f"{path}.contractPeriod"
    if not period:
        period, where = _dict(tender.get("contractPeriod")), "tender.contractPeriod"
    starts = unread.moment(period.get("startDate"), f"{where}.startDate")
    ends = unread.moment(period.get("endDate"), f"{where}.endDate")
    value = unread.object(award.get("value"), f"{path}.value")
    title = unread.text(award.get("title"), f"{path}.title")
    description = unread.text(award.get("description"), f"{path}.description")
    return Award(
        award_id=_text(award.get("id"))[:200],
        status=unread.text(award.get("status"), f"{path}.status"),
        title=title or _text(tender.get("title")),
        description=description or _text(tender.get("description")),
        supplier_name=unread.text(supplier.get("name"), f"{path}.suppliers[0].name")
        or _text(party.get("name")),
        companies_house_number=number,
        is_sme={"sme": True, "large": False}.get(scale) if isinstance(scale, str) else None,
        value=unread.money(value.get("amount"), f"{path}.value.amount"),
        starts_on=starts.date() if starts else None,
        ends_on=ends.date() if ends else None,
        url=_document_url(award.get("documents")) or notice_url,
    )


def _cpv_codes(tender: dict[str, Any]) -> tuple[str, ...]:
    classifications = [
        tender.get("classification"),
        *_list(tender.get("additionalClassifications")),
    ]
    for item in _list(tender.get("items")):
        if isinstance(item, dict):
            classifications.append(item.get("classification"))
            classifications.extend(_list(item.get("additionalClassifications")))
    codes = []
    for classification in classifications:
        if not isinstance(classification, dict):
            continue
        scheme = classification.get("scheme")
        if scheme is not None and str(scheme).upper() != "CPV":
            continue
        # "72212000-4": the part after the dash is a check digit.
        code = _text(classification.get("id")).split("-")[0].strip()
        if code.isdigit():
            codes.append(code)
    return _unique(codes)


def _document_url(documents: Any) -> str:
    urls = {
        str(document.get("documentType")): document.get("url")
        for document in reversed(_list(documents))
        if isinstance(document, dict) and isinstance(document.get("url"), str)
    }
    for kind in NOTICE_DOCUMENTS:
        if urls.get(kind, "").startswith(("https://", "http://")):
            return urls[kind][:500]
    return ""


def _contracts_finder_url(ocid: Any, release_id: str) -> str:
    if isinstance(ocid, str) and ocid.startswith(CONTRACTS_FINDER):
        found = UUID.match(release_id)
        if found:
            return CONTRACTS_FINDER_NOTICE.format(found.group())
    return ""


def _scheme_id(identifier: Any) -> str:
    identifier = _dict(identifier)
    scheme, value = _text(identifier.get("scheme")), _text(identifier.get("id"))
    return f"{scheme}-{value}" if scheme and value else ""


def _moment(value: Any) -> datetime.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)


def _money(value: Any) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | str):
        return None
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        return None
    # Zero is how some publishers say "not given"; negative or vast amounts are errors.
    return amount if amount.is_finite() and Decimal(0) < amount <= MAX_MONEY else None


def _bool(value: Any) -> bool | None:
    return value if isinstance(value, bool) else None


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else "" if value is None else str(value)


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _unique(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(value for value in values if value))


class AreaFinder:
    """Places a tender in service areas by the words of its title and description
    (data/service_area_keywords.json): whole words or phrases, in any case."""

    def __init__(self, keywords: dict[str, Iterable[str]]) -> None:
        self._patterns = {
            area: re.compile(
                r"\b(?:" + "|".join(re.escape(word.casefold()) for word in words) + r")\b"
            )
            for area, words in keywords.items()
            if words
        }

    def areas(self, *texts: str) -> list[str]:
        text = " ".join(texts).casefold().replace("’", "'")
        return [area for area, pattern in self._patterns.items() if pattern.search(text)]
