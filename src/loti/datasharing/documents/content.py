"""What an agreement says, as one person may read it: the one content its readable page, its
PDF, its JSON export and the API all render, so that they say the same thing.

`agreement_content` reads the agreement once and withholds, in one place, what the reader
may not see (`selectors.reads_details`): everyone reads the register's fields (title,
purpose, parties and their roles, lawful basis, dates); the operational details are None
(or an empty list) for anyone else. `sections` sets one version of it out as the ICO's Data
Sharing Code of Practice orders an agreement, leaving out the sections that are withheld.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone

from loti.datasharing.agreements import selectors, services
from loti.datasharing.dpia import screening
from loti.datasharing.dpia import selectors as dpia_selectors
from loti.datasharing.lawful_basis import Article6, Article9, Article10, Schedule1
from loti.datasharing.models import (
    Agreement,
    DataItem,
    Dpia,
    DpiaRisk,
    Frequency,
    Level,
    Party,
    Screening,
    Version,
)

# The version fields everyone reads; every other field of a version is an operational detail.
REGISTER_FIELDS = (
    "purpose",
    "article6",
    "article6_detail",
    "article9",
    "schedule1",
    "article10",
    "start_date",
    "review_date",
    "end_date",
)
DETAIL_FIELDS = (
    "change_summary",
    *(name for name in services.VERSION_FIELDS if name not in REGISTER_FIELDS),
)
CHOICES = {
    "article6": Article6,
    "article9": Article9,
    "schedule1": Schedule1,
    "article10": Article10,
    "frequency": Frequency,
}
WITHHELD = (
    "Only the consortium's members, and the people of a partner that is party to it, read "
    "an agreement's operational details: its data items, how data moves, security, "
    "retention, rights, privacy information, breach reporting, DPIA and signatures."
)


def _choice(name: str, code: str | None) -> dict[str, str] | None:
    if not code:
        return None
    return {"code": code, "label": str(CHOICES[name](code).label)}


def _label(choices: Any, code: str) -> str:
    try:
        return str(choices(code).label)
    except ValueError:
        return code


def _party(party: Party, details: bool) -> dict[str, Any]:
    # Whether and when a party signed is on the register; who signed, and as what, is not.
    signature = getattr(party, "signature", None)
    return {
        "organisation": party.organisation.slug,
        "name": party.organisation.name,
        "role": party.role,
        "role_label": party.get_role_display(),
        "withdrawn_on": party.withdrawn_on,
        "withdrawal_reason": party.withdrawal_reason if details else None,
        "signature": (
            {
                "name": signature.name if details else None,
                "capacity": signature.capacity if details else None,
                "signed_at": signature.signed_at,
            }
            if signature is not None
            else None
        ),
    }


def _item(item: DataItem) -> dict[str, Any]:
    return {
        "name": item.name,
        "category": item.category,
        "category_label": item.get_category_display(),
        "description": item.description,
    }


def _version(version: Version, agreement: Agreement, details: bool) -> dict[str, Any]:
    values: dict[str, Any] = {
        "number": version.number,
        "created_at": version.created_at,
        "superseded_at": version.superseded_at,
        "in_force": version.pk == agreement.in_force_version_id,
        "current": version.pk == agreement.current_version_id,
    }
    for name in REGISTER_FIELDS:
        value = getattr(version, name)
        values[name] = _choice(name, value) if name in CHOICES else value
    for name in DETAIL_FIELDS:
        value = getattr(version, name) if details else None
        values[name] = _choice(name, value) if name in CHOICES else value
    values["data_items"] = [_item(item) for item in version.data_items.all()] if details else []
    values["parties"] = [_party(party, details) for party in version.parties.all()]
    return values


def _screening(found: Screening | None) -> dict[str, Any] | None:
    if found is None:
        return None
    outcome = dpia_selectors.outcome(found)
    return {
        "required": found.required,
        "outcome": outcome,
        "summary": screening.summary(required=found.required, recommended=outcome == "recommended"),
        "reasons": list(found.reasons),
        "screened_at": found.screened_at,
    }


def _risk(risk: DpiaRisk) -> dict[str, Any]:
    return {
        "description": risk.description,
        "likelihood": risk.likelihood,
        "severity": risk.severity,
        "mitigation": risk.mitigation,
        "residual_risk": risk.residual_risk,
    }


def _dpia(dpia: Dpia | None) -> dict[str, Any] | None:
    if dpia is None:
        return None
    return {
        "description": dpia.description,
        "consultation": dpia.consultation,
        "necessity": dpia.necessity,
        "residual_risk": dpia.residual_risk,
        "dpo_name": dpia.dpo_name,
        "dpo_advice": dpia.dpo_advice,
        "dpo_advice_accepted": dpia.dpo_advice_accepted,
        "dpo_advice_response": dpia.dpo_advice_response,
        "signed_off_by": dpia.signed_off_by,
        "signed_off_on": dpia.signed_off_on,
        "risks": [_risk(risk) for risk in dpia.risks.all()],
    }


def _one(agreement: Agreement, name: str) -> Any:
    try:
        return getattr(agreement, name)
    except (Screening.DoesNotExist, Dpia.DoesNotExist):
        return None


def _with_content(versions: Any) -> Any:
    """`versions` with what their content needs read in a few queries."""
    return versions.prefetch_related(
        "data_items",
        Prefetch(
            "parties",
            queryset=Party.objects.select_related("organisation", "signature").order_by(
                "organisation__name"
            ),
        ),
    )


def _content(
    user: Any,
    agreement: Agreement,
    versions: list[Version],
    *,
    details: bool | None = None,
    assessments: bool = True,
) -> dict[str, Any]:
    """The content; with `assessments`, the agreement's DPIA screening and DPIA too."""
    if details is None:
        details = selectors.reads_details(user, agreement)
    shown = selectors.register_version(agreement)
    status = getattr(agreement, "current_status", agreement.status)
    every = [_version(version, agreement, details) for version in versions]
    found = {
        "slug": agreement.slug,
        "title": agreement.title,
        "status": status,
        "status_label": str(Agreement.Status(status).label),
        "drafted_by": agreement.organisation.slug if agreement.organisation_id else None,
        "synthetic": agreement.synthetic,
        "url": agreement.get_absolute_url(),
        "details": details,
        "register_version": shown.number if shown else None,
        "version": next((v for v in every if shown and v["number"] == shown.number), None),
        "withdrawn_on": agreement.withdrawn_on,
        "withdrawal_reason": agreement.withdrawal_reason if details else None,
        "versions": every,
    }
    if assessments:
        found["screening"] = _screening(_one(agreement, "screening")) if details else None
        found["dpia"] = _dpia(_one(agreement, "dpia")) if details else None
    return found


def agreement_content(*, user: Any, agreement: Agreement) -> dict[str, Any]:
    """Everything `user` may read of `agreement` (one `selectors.agreement_for` gave them):
    its register fields, and its details when `selectors.reads_details` says they read them;
    a withheld value is None, a withheld list empty. Every version is in `versions`, oldest
    first; `version` is the one the register shows (`register_version` its number)."""
    versions = _with_content(agreement.versions.order_by("number"))
    return _content(user, agreement, list(versions))


def register_contents(*, user: Any, agreements: list[Agreement]) -> list[dict[str, Any]]:
    """`agreement_content` of each of `agreements` (a page of a list) without the DPIA,
    with only the version the register shows in its `versions`, read together."""
    wanted = [
        agreement.in_force_version_id or agreement.current_version_id for agreement in agreements
    ]
    versions = {
        version.pk: version
        for version in _with_content(Version.objects.filter(pk__in=[v for v in wanted if v]))
    }
    return [
        _content(user, agreement, [versions[pk]] if pk in versions else [], assessments=False)
        for agreement, pk in zip(agreements, wanted, strict=True)
    ]


def version_of(content: dict[str, Any], number: int | None = None) -> dict[str, Any] | None:
    """The version `number` of `content` (by default the register's), or None."""
    number = content["register_version"] if number is None else number
    return next((v for v in content["versions"] if v["number"] == number), None)


# The document: one version set out in the ICO's order.


@dataclass(frozen=True)
class Table:
    header: list[str]
    rows: list[list[str]]
    caption: str = ""


@dataclass(frozen=True)
class Section:
    key: str
    heading: str
    # (label, text) pairs, in order; a text may run to several paragraphs.
    rows: list[tuple[str, str]] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    # Said when the section has nothing recorded.
    empty: str = ""


# Every section of an agreement, in the code's order: (key, heading, read by everyone).
SECTIONS = (
    ("parties", "Parties and their roles", True),
    ("purpose", "Purpose and benefits", True),
    ("lawful_basis", "Lawful basis", True),
    ("data", "Data items and data subjects", False),
    ("transfer", "How the data moves", False),
    ("security", "Security", False),
    ("retention", "Retention and deletion", False),
    ("rights", "Individuals' rights and complaints", False),
    ("privacy", "Privacy information", False),
    ("breach", "Breach reporting", False),
    ("dates", "Dates and review", True),
    ("dpia", "Data protection impact assessment", False),
    ("signatures", "Signatures", False),
)
NONE_NAMED = "None named"


def _date(value: datetime.date | datetime.datetime | None, empty: str = "") -> str:
    if value is None:
        return empty
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date()
    return f"{value.day} {value:%B %Y}"


def _label_of(value: dict[str, str] | None) -> str:
    return value["label"] if value else NONE_NAMED


def _parties(version: dict[str, Any]) -> Section:
    rows = [
        [
            party["name"],
            party["role_label"],
            f"Withdrew on {_date(party['withdrawn_on'])}" if party["withdrawn_on"] else "A party",
        ]
        for party in version["parties"]
    ]
    return Section(
        "parties",
        "Parties and their roles",
        tables=[Table(["Organisation", "Role", "Taking part"], rows)] if rows else [],
        empty="No parties named yet.",
    )


def _signatures(version: dict[str, Any]) -> Section:
    rows = []
    for party in version["parties"]:
        signature = party["signature"]
        if signature:
            signed = [signature["name"], signature["capacity"], _date(signature["signed_at"])]
        else:
            signed = ["Not yet signed", "", ""]
        withdrawn = (
            f"Withdrew on {_date(party['withdrawn_on'])}: {party['withdrawal_reason']}"
            if party["withdrawn_on"]
            else ""
        )
        rows.append([party["name"], *signed, withdrawn])
    return Section(
        "signatures",
        "Signatures",
        tables=[Table(["Party", "Signed by", "Capacity", "Signed on", "Withdrawal"], rows)]
        if rows
        else [],
        empty="No parties named yet.",
    )


def _dpia_section(content: dict[str, Any]) -> Section:
    rows: list[tuple[str, str]] = []
    tables: list[Table] = []
    screened, dpia = content["screening"], content["dpia"]
    if screened:
        why = "; ".join(reason.rstrip(".") for reason in screened["reasons"])
        reasons = f" Why: {why}." if why else ""
        rows.append(
            (
                f"Screening on {_date(screened['screened_at'])}",
                f"{screened['summary']}{reasons}",
            )
        )
    if dpia:
        rows += [
            ("Nature, scope, context and purposes", dpia["description"]),
            ("Who was consulted", dpia["consultation"] or "Not recorded"),
            ("Necessity and proportionality", dpia["necessity"] or "Not recorded"),
            ("Overall residual risk", _label(Level, dpia["residual_risk"])),
            ("Data protection officer", dpia["dpo_name"]),
            ("The data protection officer's advice", dpia["dpo_advice"]),
            (
                "Was the advice accepted?",
                "Yes"
                if dpia["dpo_advice_accepted"]
                else f"No: {dpia['dpo_advice_response'] or 'no reason recorded'}",
            ),
            (
                "Signed off",
                f"By {dpia['signed_off_by']} on {_date(dpia['signed_off_on'])}"
                if dpia["signed_off_by"] and dpia["signed_off_on"]
                else dpia["signed_off_by"] or "Not yet signed off",
            ),
        ]
        risks = [
            [
                risk["description"],
                _label(DpiaRisk.Likelihood, risk["likelihood"]),
                _label(DpiaRisk.Severity, risk["severity"]),
                risk["mitigation"],
                _label(Level, risk["residual_risk"]),
            ]
            for risk in dpia["risks"]
        ]
        if risks:
            tables.append(
                Table(
                    ["Risk", "Likelihood", "Severity", "Mitigation", "Residual risk"],
                    risks,
                    caption="Risks and how they are reduced",
                )
            )
    return Section(
        "dpia",
        "Data protection impact assessment",
        rows=rows,
        tables=tables,
        empty="No DPIA screening or DPIA has been recorded.",
    )


def _text(value: str | None) -> str:
    return value or "Not recorded"


def _section(key: str, heading: str, content: dict[str, Any], v: dict[str, Any]) -> Section:
    details = content["details"]
    if key == "parties":
        return _parties(v)
    if key == "signatures":
        return _signatures(v)
    if key == "dpia":
        return _dpia_section(content)
    if key == "purpose":
        rows = [("Purpose", _text(v["purpose"]))]
        if details:
            rows.append(("Benefits", _text(v["benefits"])))
        return Section(key, heading, rows)
    if key == "lawful_basis":
        return Section(
            key,
            heading,
            [
                ("Lawful basis (UK GDPR Article 6)", _label_of(v["article6"])),
                ("Legal power or duty", v["article6_detail"] or NONE_NAMED),
                ("Condition for special category data (Article 9)", _label_of(v["article9"])),
                ("Condition in Schedule 1 of the DPA 2018", _label_of(v["schedule1"])),
                ("Basis for criminal offence data (Article 10)", _label_of(v["article10"])),
            ],
        )
    if key == "data":
        items = [
            [item["name"], item["category_label"], item["description"]] for item in v["data_items"]
        ]
        return Section(
            key,
            heading,
            [("Data subjects", _text(v["data_subjects"]))],
            [Table(["Data item", "Category", "Description"], items)] if items else [],
            empty="",
        )
    if key == "transfer":
        return Section(
            key,
            heading,
            [
                ("How the data moves", _text(v["transfer_method"])),
                ("How often", _label_of(v["frequency"])),
            ],
        )
    if key == "retention":
        return Section(
            key,
            heading,
            [("Retention", _text(v["retention"])), ("Deletion", _text(v["deletion"]))],
        )
    if key == "dates":
        return Section(
            key,
            heading,
            [
                ("Start date", _date(v["start_date"], "Not set")),
                ("Review date", _date(v["review_date"], "Not set")),
                ("End date", _date(v["end_date"], "None: it runs until withdrawn")),
            ],
        )
    single = {
        "security": ("Security measures", "security"),
        "rights": ("Individuals' rights and complaints", "rights"),
        "privacy": ("Privacy information", "privacy_information"),
        "breach": ("Breach reporting", "breach_reporting"),
    }
    label, name = single[key]
    return Section(key, heading, [(label, _text(v[name]))])


def sections(content: dict[str, Any], version: dict[str, Any]) -> list[Section]:
    """`version` of `content` as the document's sections, in the ICO's order: every one for
    a reader of details, the register's (parties, purpose, lawful basis, dates) for anyone
    else."""
    return [
        _section(key, heading, content, version)
        for key, heading, public in SECTIONS
        if public or content["details"]
    ]


@dataclass(frozen=True)
class Document:
    """What the page and the PDF print of one version."""

    content: dict[str, Any]
    version: dict[str, Any]
    sections: list[Section]

    @property
    def title(self) -> str:
        return self.content["title"]

    @property
    def standing(self) -> str:
        """The version's place in the agreement, in words: "Version 2, in force"."""
        version, status = self.version, self.content["status"]
        if version["in_force"]:
            state = "in force"
        elif version["current"] and status in (Agreement.Status.DRAFT, Agreement.Status.WITHDRAWN):
            state = self.content["status_label"].lower()
        elif version["current"]:
            state = "awaiting signatures"
        else:
            state = f"superseded on {_date(version['superseded_at'])}"
        return f"Version {version['number']}, {state}"


def document(*, user: Any, agreement: Agreement, number: int | None = None) -> Document | None:
    """Version `number` of `agreement` (by default the register's) as `user` may read it,
    or None when there is no such version."""
    content = agreement_content(user=user, agreement=agreement)
    version = version_of(content, number)
    if version is None:
        return None
    return Document(content, version, sections(content, version))
