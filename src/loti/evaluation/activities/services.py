"""Writes for the evaluation's activities and reports. Each goes through the audit trail."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from loti.core import audit
from loti.core.slugs import unique_slug
from loti.evaluation.activities.models import BENEFIT_INPUTS, Activity, ActivityCost, ActivityInput

# Fields of an input that a person sets (the rest identify it).
INPUT_FIELDS = (
    "value",
    "distribution",
    "low",
    "high",
    "sigma",
    "unit",
    "source",
    "confidence",
    "illustrative",
)
COST_FIELDS = ("staff_time", "external_spend", "notes")


@transaction.atomic
def activity_create(
    *, actor: Any, title: str, projects: Iterable[Any] = (), **fields: Any
) -> Activity:
    activity = Activity(
        title=title.strip(), slug=unique_slug(Activity, title, fallback="activity"), **fields
    )
    audit.create(actor=actor, obj=activity)
    if projects:
        activity.projects.set(list(projects))
    return activity


@transaction.atomic
def activity_update(
    *, actor: Any, activity: Activity, projects: Iterable[Any] | None = None, **fields: Any
) -> Activity:
    if "title" in fields:
        fields["title"] = fields["title"].strip()
        fields["slug"] = unique_slug(
            Activity, fields["title"], exclude_pk=activity.pk, fallback="activity"
        )
    activity = audit.update(actor=actor, obj=activity, updated_at=timezone.now(), **fields)
    if projects is not None:
        activity.projects.set(list(projects))
    if activity.quantity_from:
        # The records give the quantity now: a figure entered for it before would mislead.
        quantity = BENEFIT_INPUTS[activity.benefit_model][0].key
        for item in activity.inputs.filter(name=quantity):
            audit.delete(actor=actor, obj=item)
    return activity


@transaction.atomic
def activity_delete(*, actor: Any, activity: Activity) -> None:
    # The costs and inputs go with the activity; each leaves its own line in the history.
    for row in [*activity.costs.all(), *activity.inputs.all()]:
        audit.delete(actor=actor, obj=row)
    audit.delete(actor=actor, obj=activity)


@transaction.atomic
def activity_costs_set(*, actor: Any, activity: Activity, costs: Iterable[dict[str, Any]]) -> None:
    """Make the activity's costs exactly `costs`: one dict per financial year with
    `financial_year`, `staff_time`, `external_spend` and optionally `notes`. Years not given
    are removed."""
    wanted: dict[int, dict[str, Any]] = {}
    for row in costs:
        year = row["financial_year"]
        if year in wanted:
            raise ValidationError(f"Enter the costs for {year}/{(year + 1) % 100:02d} only once")
        wanted[year] = {name: row.get(name, "") for name in COST_FIELDS}
    current = {cost.financial_year: cost for cost in activity.costs.all()}
    for year, cost in current.items():
        if year not in wanted:
            audit.delete(actor=actor, obj=cost)
    for year, fields in sorted(wanted.items()):
        if year in current:
            audit.update(actor=actor, obj=current[year], **fields)
        else:
            audit.create(
                actor=actor,
                obj=ActivityCost(activity=activity, financial_year=year, **fields),
            )
    _touch(activity)


@transaction.atomic
def activity_inputs_set(
    *, actor: Any, activity: Activity, inputs: dict[str, dict[str, Any]]
) -> None:
    """Set the activity's inputs, keyed by the benefit model's input names. Inputs the
    activity has but `inputs` does not name are removed."""
    current = {item.name: item for item in activity.inputs.all()}
    for name, item in current.items():
        if name not in inputs:
            audit.delete(actor=actor, obj=item)
    for name, given in inputs.items():
        fields = {field: given[field] for field in INPUT_FIELDS if field in given}
        if not fields.get("distribution"):
            fields.update(distribution="", low=None, high=None, sigma=None)
        _check_distribution(activity, name, fields)
        if name in current:
            audit.update(actor=actor, obj=current[name], **fields)
        else:
            audit.create(actor=actor, obj=ActivityInput(activity=activity, name=name, **fields))
    _touch(activity)


def _touch(activity: Activity) -> None:
    # When the activity's appraisal last changed, without a line in its history for each
    # change to a cost or input (those have their own).
    Activity.objects.filter(pk=activity.pk).update(updated_at=timezone.now())


def _check_distribution(activity: Activity, name: str, fields: dict[str, Any]) -> None:
    specs = {spec.key: spec for spec in BENEFIT_INPUTS.get(activity.benefit_model, ())}
    subject = specs[name].subject if name in specs else name
    kind = fields.get("distribution")
    value, low, high, sigma = (fields.get(key) for key in ("value", "low", "high", "sigma"))
    if kind in {"triangular", "pert", "uniform"}:
        if low is None or high is None:
            raise ValidationError(f"Enter the low and high {subject}")
        if not low <= value <= high:
            raise ValidationError(f"The {subject} must be between its low and high values")
        if low == high:
            raise ValidationError(f"The high {subject} must be more than the low")
    elif kind == "lognormal":
        if sigma is None or sigma <= 0:
            raise ValidationError(f"Enter a spread of more than 0 for the {subject}")
        if value <= 0:
            raise ValidationError(f"The {subject} must be more than 0 for a lognormal")
