"""Writes for an agreement's DPIA screening and its DPIA, each through the audit trail and all
or nothing. Whoever may change the agreement (`agreements.services.may_write`) screens it
and records its DPIA; an actor of None is the system itself (the demo, commands).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from loti.core import audit
from loti.datasharing.agreements.services import may_write
from loti.datasharing.dpia import screening
from loti.datasharing.models import Agreement, Dpia, DpiaRisk, Screening

# What a DPIA's `fields` may hold, and a risk's (besides the `id` of a risk it already has).
DPIA_FIELDS = (
    "description",
    "consultation",
    "necessity",
    "residual_risk",
    "dpo_name",
    "dpo_advice",
    "dpo_advice_accepted",
    "dpo_advice_response",
    "signed_off_by",
    "signed_off_on",
)
RISK_FIELDS = ("description", "likelihood", "severity", "mitigation", "residual_risk")
MAX_RISKS = 100

# The GOV.UK messages for a field left empty or given a value that is not one of its choices.
DPIA_MESSAGES = {
    "description": "Enter the nature, scope, context and purposes of the processing",
    "residual_risk": "Select the overall residual risk",
    "dpo_name": "Enter the name of the data protection officer",
    "dpo_advice": "Enter the data protection officer's advice",
    "dpo_advice_accepted": "Select whether the data protection officer's advice was accepted",
}
RISK_MESSAGES = {
    "description": "Enter the risk",
    "likelihood": "Select how likely the harm is",
    "severity": "Select how severe the harm would be",
    "mitigation": "Enter the measures to reduce or eliminate the risk",
    "residual_risk": "Select the residual risk",
}
EMPTY_OR_UNKNOWN = {"blank", "null", "required", "invalid", "invalid_choice"}
# What a field not given stands for.
DPIA_DEFAULTS: dict[str, Any] = {"dpo_advice_accepted": True, "signed_off_on": None}


def _check_write(actor: Any, agreement: Agreement) -> None:
    if not may_write(actor, agreement):
        raise PermissionDenied


def _govuk(error: ValidationError, messages: dict[str, str], prefix: str = "") -> dict:
    """A model's validation errors by field, in the service's words where it has them."""
    errors: dict[str, list[str]] = {}
    for name, field_errors in error.error_dict.items():
        for field_error in field_errors:
            if name in messages and field_error.code in EMPTY_OR_UNKNOWN:
                text = messages[name]
            else:
                text = " ".join(field_error.messages)
            errors.setdefault(f"{prefix}{name}", [])
            if text not in errors[f"{prefix}{name}"]:
                errors[f"{prefix}{name}"].append(text)
    return errors


@transaction.atomic
def screening_record(*, actor: Any, agreement: Agreement, answers: dict[str, bool]) -> Screening:
    """Record the agreement's DPIA screening: a yes or no to every question of the
    questionnaire, and what it found. Screening again replaces the earlier answers (the
    audit trail keeps them)."""
    _check_write(actor, agreement)
    unknown = sorted(set(answers) - set(screening.KEYS))
    if unknown:
        raise ValidationError(f"The questionnaire has no question {', '.join(unknown)}")
    missing = screening.unanswered(answers)
    if missing:
        raise ValidationError({question.key: "Select yes or no" for question in missing})
    answers = {key: answers[key] for key in screening.KEYS}
    result = screening.assess(answers)
    values = {
        "answers": answers,
        "required": result.required,
        "reasons": result.reasons,
        "screened_by": actor if getattr(actor, "pk", None) else None,
        "screened_at": timezone.now(),
    }
    existing = Screening.objects.select_for_update().filter(agreement=agreement).first()
    if existing is not None:
        return audit.update(actor=actor, obj=existing, **values)
    return audit.create(actor=actor, obj=Screening(agreement=agreement, **values))


def _dpia_errors(dpia: Dpia) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    try:
        dpia.full_clean(exclude=["agreement"])
    except ValidationError as error:
        errors = _govuk(error, DPIA_MESSAGES)

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    signed_by = (dpia.signed_off_by or "").strip()
    if dpia.signed_off_on and not signed_by:
        add("signed_off_by", "Enter the name of who signed off the DPIA")
    if signed_by and not dpia.signed_off_on and "signed_off_on" not in errors:
        add("signed_off_on", "Enter the date the DPIA was signed off")
    if isinstance(dpia.signed_off_on, datetime.date) and dpia.signed_off_on > timezone.localdate():
        add("signed_off_on", "The date the DPIA was signed off must be today or in the past")
    if dpia.dpo_advice_accepted is False and not (dpia.dpo_advice_response or "").strip():
        add(
            "dpo_advice_response",
            "Enter why the data protection officer's advice was not accepted",
        )
    return errors


def _risks(
    dpia: Dpia | None, risks: list[dict[str, Any]]
) -> tuple[list[tuple[DpiaRisk | None, dict[str, Any]]], dict[str, list[str]]]:
    """The risks as given, each with the one the DPIA already has by that `id` (None for a
    new risk) and its values, checked; and their errors by `risks-<n>-<field>`, the names of
    the page's risk fields."""
    errors: dict[str, list[str]] = {}
    if not risks:
        errors["risks"] = ["Add at least one risk"]
    elif len(risks) > MAX_RISKS:
        errors["risks"] = [f"A DPIA can record up to {MAX_RISKS} risks"]
    own = {risk.pk: risk for risk in dpia.risks.all()} if dpia is not None else {}
    checked = []
    for number, given in enumerate(risks[:MAX_RISKS]):
        unknown = set(given) - {*RISK_FIELDS, "id"}
        if unknown:
            raise TypeError(f"unknown risk fields: {', '.join(sorted(unknown))}")
        existing = None
        if given.get("id"):
            existing = own.get(given["id"])
            if existing is None:
                raise ValidationError({"risks": "A risk was changed that this DPIA does not have"})
        values = {name: _text(given.get(name, "")) for name in RISK_FIELDS} | {"order": number}
        try:
            _candidate(DpiaRisk, existing, **values).full_clean(exclude=["dpia"])
        except ValidationError as error:
            errors |= _govuk(error, RISK_MESSAGES, prefix=f"risks-{number}-")
        checked.append((existing, values))
    return checked, errors


def _candidate(model: type, existing: Any, **values: Any) -> Any:
    """A copy of `existing` (or a new record) with `values`, to check before anything is
    written: the record itself is changed only once everything has passed."""
    candidate = model(pk=getattr(existing, "pk", None), **values)
    candidate._state.adding = existing is None
    return candidate


def _text(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


@transaction.atomic
def dpia_save(
    *, actor: Any, agreement: Agreement, fields: dict[str, Any], risks: list[dict[str, Any]]
) -> Dpia:
    """Record the agreement's DPIA, or change it: its `fields` (DPIA_FIELDS) and its risks,
    in order, each a dict of RISK_FIELDS (with `id` for one it already has; a risk it has that
    is not given is removed). Every error is reported at once; nothing is saved unless all is
    right."""
    _check_write(actor, agreement)
    unknown = set(fields) - set(DPIA_FIELDS)
    if unknown:
        raise TypeError(f"unknown DPIA fields: {', '.join(sorted(unknown))}")
    dpia = Dpia.objects.select_for_update().filter(agreement=agreement).first()
    values = {
        name: _text(fields.get(name, DPIA_DEFAULTS.get(name, ""))) for name in DPIA_FIELDS
    } | {
        "updated_by": actor if getattr(actor, "pk", None) else None,
        "updated_at": timezone.now(),
    }
    errors = _dpia_errors(_candidate(Dpia, dpia, agreement=agreement, **values))
    checked, risk_errors = _risks(dpia, risks)
    errors |= risk_errors
    if errors:
        raise ValidationError(errors)

    if dpia is None:
        dpia = audit.create(actor=actor, obj=Dpia(agreement=agreement, **values))
    else:
        dpia = audit.update(actor=actor, obj=dpia, **values)
    kept = {existing.pk for existing, _ in checked if existing is not None}
    for gone in list(dpia.risks.exclude(pk__in=kept)):
        audit.delete(actor=actor, obj=gone)
    for existing, risk_values in checked:
        if existing is None:
            audit.create(actor=actor, obj=DpiaRisk(dpia=dpia, **risk_values))
        else:
            audit.update(actor=actor, obj=existing, **risk_values)
    return dpia
