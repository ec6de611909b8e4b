"""The audit trail: every audited write goes through `create`, `update` or `delete` here,
which validate, save and record who changed what in one transaction."""

from __future__ import annotations

import datetime
import decimal
import uuid
from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import ProtectedError, Q
from django.db.models.fields.files import FieldFile
from django.utils.text import capfirst

from loti.core.models import AuditEntry

# Fields that never appear in a history, whatever the model: secrets (a password's hash, the
# token in a personal survey link) and what changes on every sign-in.
NEVER_RECORDED = {"password", "last_login", "token"}


def _plain(value: Any) -> Any:
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, models.Model | uuid.UUID):
        return str(value)
    if isinstance(value, FieldFile):
        # Where the file is stored, not its content.
        return value.name or ""
    return value


def snapshot(obj: models.Model) -> dict[str, Any]:
    """The record's values by field label: labels for choices, {"id", "name"} for links,
    amounts and dates as text. `loti.core.history` turns them into what people read."""
    values: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if field.primary_key or field.name in NEVER_RECORDED:
            continue
        if field.is_relation:
            # The id, so that the history names the record as it is called now (and says
            # when it is gone), and the name it had, for when it is gone.
            related_id = getattr(obj, field.attname)
            values[str(capfirst(field.verbose_name))] = (
                {"id": _plain(related_id), "name": str(getattr(obj, field.name))}
                if related_id is not None
                else None
            )
        elif field.choices:
            raw = getattr(obj, field.attname)
            values[str(capfirst(field.verbose_name))] = str(dict(field.flatchoices).get(raw, raw))
        elif isinstance(field, models.DecimalField) and getattr(obj, field.attname) is not None:
            # One spelling per amount, so that 100 and 100.00 are not recorded as a change.
            amount = decimal.Decimal(getattr(obj, field.attname))
            values[str(capfirst(field.verbose_name))] = f"{amount:.{field.decimal_places}f}"
        else:
            values[str(capfirst(field.verbose_name))] = _plain(getattr(obj, field.attname))
    return values


def record(
    *,
    actor: Any,
    action: str,
    obj: models.Model,
    before: dict[str, Any] | None = None,
    object_id: Any = None,
) -> AuditEntry | None:
    """Record a create (no `before`), update (`before` given) or delete (pass `object_id`,
    since a deleted object has lost its primary key). An update that changed nothing is not
    recorded."""
    after = None if action == AuditEntry.Action.DELETE else snapshot(obj)
    if action == AuditEntry.Action.CREATE:
        changes = {name: [None, value] for name, value in after.items() if value not in (None, "")}
    elif action == AuditEntry.Action.DELETE:
        changes = {name: [value, None] for name, value in (before or {}).items()}
    else:
        changes = {
            name: [before.get(name), value]
            for name, value in after.items()
            if before.get(name) != value
        }
        if not changes:
            return None
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=actor.get_full_name() if getattr(actor, "pk", None) else "System",
        action=action,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=True),
        object_id=str(object_id if object_id is not None else obj.pk),
        object_repr=str(obj)[:300],
        changes=changes,
    )


def entries_for(objects: Iterable[models.Model]) -> models.QuerySet[AuditEntry]:
    """The history of every record in `objects`, newest first."""
    ids_by_type: dict[ContentType, list[str]] = {}
    for obj in objects:
        content_type = ContentType.objects.get_for_model(obj, for_concrete_model=True)
        ids_by_type.setdefault(content_type, []).append(str(obj.pk))
    query = Q(pk__in=[])
    for content_type, ids in ids_by_type.items():
        query |= Q(content_type=content_type, object_id__in=ids)
    return AuditEntry.objects.filter(query).select_related("actor")


def create(*, actor: Any, obj: models.Model) -> models.Model:
    """Validate, save and record a new record, all or nothing."""
    obj.full_clean()
    with transaction.atomic():
        _save(obj)
        record(actor=actor, action=AuditEntry.Action.CREATE, obj=obj)
    return obj


def update(*, actor: Any, obj: models.Model, **fields: Any) -> models.Model:
    """Set `fields`, validate, save and record what changed, all or nothing.

    A record that fails validation is left as it was in the database; the caller's copy
    is refreshed so that it does not carry the rejected values either.
    """
    before = snapshot(obj)
    for name, value in fields.items():
        setattr(obj, name, value)
    try:
        obj.full_clean()
    except ValidationError:
        obj.refresh_from_db()
        raise
    with transaction.atomic():
        _save(obj)
        record(actor=actor, action=AuditEntry.Action.UPDATE, obj=obj, before=before)
    return obj


def delete(*, actor: Any, obj: models.Model) -> None:
    before = snapshot(obj)
    object_id = obj.pk
    with transaction.atomic():
        try:
            obj.delete()
        except ProtectedError as exc:
            raise ValidationError(
                f"{obj} cannot be deleted because other records depend on it"
            ) from exc
        record(
            actor=actor,
            action=AuditEntry.Action.DELETE,
            obj=obj,
            before=before,
            object_id=object_id,
        )


def _save(obj: models.Model) -> None:
    # Validation has passed, but another request may have written a clashing row since:
    # the database constraint is the last word, and its refusal is a validation error.
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError as exc:
        raise ValidationError(
            "This conflicts with a record that was saved a moment ago. Check and try again."
        ) from exc
