"""The real OCDS samples in fixtures/ocds, and small releases made up for tests."""

from __future__ import annotations

import copy
import functools
import json
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).parent / "fixtures" / "ocds"
SCHEMA = FIXTURES / "release-schema-1.1.5.json"
SAMPLES = tuple(
    FIXTURES / name
    for name in (
        "contractsfinder_search_2022-10-19_5releases.json",
        "contractsfinder_search_2022-10-20_page.json",
        "contractsfinder_search_2022-10-22_page.json",
        "publiccontractsscotland_tenders_2019-03_to_2019-04.json",
    )
)
NEWHAM_OCID = "ocds-b5fd17-e32c4a7e-5e11-4748-950c-022b42e09e7a"
OAKHEART_OCID = "ocds-b5fd17-9acd68ad-792b-4018-834f-ae3b047c8a7d"


@functools.cache
def _packages() -> tuple[str, ...]:
    return tuple(path.read_text(encoding="utf-8") for path in SAMPLES)


def sample_packages() -> list[dict[str, Any]]:
    """The four sample files' release packages, parsed afresh (callers may change them)."""
    return [json.loads(text) for text in _packages()]


def sample_releases() -> list[dict[str, Any]]:
    """Every release of every sample file, in file order."""
    return [release for package in sample_packages() for release in package["releases"]]


def releases_of(ocid: str) -> list[dict[str, Any]]:
    return [release for release in sample_releases() if release["ocid"] == ocid]


def package_bytes(releases: list[Any], **metadata: Any) -> bytes:
    return json.dumps({"uri": "https://example.test/p", **metadata, "releases": releases}).encode()


def release(
    ocid: str = "ocds-test-1",
    *,
    date: str = "2024-01-10T09:00:00Z",
    release_id: str | None = None,
    buyer: str = "London Borough of Barnet",
    buyer_id: str = "GB-TEST-BARNET",
    cpv: str = "72000000",
    supplier: str = "Acme Software Ltd",
    supplier_number: str = "01234567",
    scale: str = "sme",
    amount: float | None = 120000,
    start: str = "2024-04-01T00:00:00Z",
    end: str = "2027-03-31T23:59:59Z",
    award_id: str | None = None,
    award: bool = True,
    title: str = "Case management system",
) -> dict[str, Any]:
    """A Contracts-Finder-like award release; by default a technology contract of Barnet's."""
    data: dict[str, Any] = {
        "ocid": ocid,
        "id": release_id or f"{ocid}-{date}",
        "date": date,
        "tag": ["award" if award else "tender"],
        "buyer": {"id": buyer_id, "name": buyer},
        "parties": [
            {
                "id": buyer_id,
                "name": buyer,
                "identifier": {"legalName": buyer},
                "roles": ["buyer"],
            },
            {
                "id": f"GB-COH-{supplier_number}",
                "name": supplier,
                "identifier": {"scheme": "GB-COH", "id": supplier_number, "legalName": supplier},
                "details": {"scale": scale},
                "roles": ["supplier"],
            },
        ],
        "tender": {
            "id": "T1",
            "title": title,
            "description": f"{title} for the council",
            "status": "complete" if award else "active",
            "classification": {"scheme": "CPV", "id": cpv},
            "tenderPeriod": {"endDate": "2023-12-01T12:00:00Z"},
        },
    }
    if award:
        data["awards"] = [
            {
                "id": award_id or f"{ocid}-1",
                "status": "active",
                "value": {"amount": amount, "currency": "GBP"},
                "suppliers": [{"id": f"GB-COH-{supplier_number}", "name": supplier}],
                "contractPeriod": {"startDate": start, "endDate": end},
            }
        ]
    return data


def changed(data: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """A copy of a release with dotted paths changed: changed(r, **{"date": ...})."""
    data = copy.deepcopy(data)
    for dotted, value in changes.items():
        node = data
        *parents, last = dotted.split(".")
        for part in parents:
            node = node[int(part)] if isinstance(node, list) else node[part]
        node[last] = value
    return data
