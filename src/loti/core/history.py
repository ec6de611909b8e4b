"""The change history as people read it, for `/history/` and every record's own history.

`loti.core.audit` records a snapshot of plain values keyed by field label. This module turns
an entry into lines a person reads, knowing nothing of the apps: it finds each label's model
field through `_meta` and formats the value as the pages do:

- a date "31 March 2027", a moment "3 December 2026 at 9:30am";
- money as `loti.core.money.money` writes it ("£32,500"). A field is money when it is a
  `DecimalField` declared with `loti.core.models.MONEY`, the options every amount of money
  is stored with (14 digits, 2 of them pence); other decimals (rates, weights) are numbers;
- yes or no for a true-or-false field, a choice's label;
- a link to another record by that record's name now (looked up for a whole page of entries
  at once), or "a deleted record" with its id and the name it had, when it is gone;
- "Not set" for an empty value.

An update shows only the fields that changed, old → new; a long text says how long it is
instead of its content; a creation or deletion names the record and its main fields, not
its whole snapshot.
"""

from __future__ import annotations

import contextlib
import datetime
import decimal
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.text import capfirst

from loti.core.models import MONEY, AuditEntry
from loti.core.money import money
from loti.core.templatetags.loti_dates import date_and_time
from loti.core.text import join_words

NOT_SET = "Not set"
# A text longer than this (or of several lines) is summarised by its length.
LONG_TEXT = 100
# Most changed fields an update lists; the rest are named in one line.
MOST_CHANGES = 6
# Fields a creation or deletion names, the rest counted.
MAIN_FIELDS = 4
# Fields that only stamp when a record was last written: the entry's own time says so.
WRITE_STAMPS = {"updated_at"}


def is_shown(model_field: models.Field | None) -> bool:
    """Whether a history shows a field: not a write stamp, nor the service's own bookkeeping
    (a field nobody edits that is not a moment, such as a name folded for matching or the
    demo's "synthetic" flag); a moment nobody edits (results published at) is shown."""
    if model_field is None:
        return True
    if model_field.name in WRITE_STAMPS:
        return False
    return model_field.editable or isinstance(model_field, models.DateField)


# (related model, id as text) -> the record's name now
Names = dict[tuple[type[models.Model], str], str]


def is_money(model_field: models.Field | None) -> bool:
    return (
        isinstance(model_field, models.DecimalField)
        and model_field.decimal_places == MONEY["decimal_places"]
        and model_field.max_digits == MONEY["max_digits"]
    )


def long_date(day: datetime.date) -> str:
    """'31 March 2027'."""
    return f"{day.day} {day:%B} {day.year:04d}"


def _number(value: Any) -> str:
    """A number as entered: no thousands separators, since most whole numbers recorded are
    years, counts and orders ("2025", not "2,025")."""
    try:
        number = decimal.Decimal(str(value))
    except decimal.InvalidOperation:
        return str(value)
    if number == number.to_integral_value():
        return str(int(number))
    return f"{number.normalize():f}"


def is_long(value: Any) -> bool:
    return isinstance(value, str) and (len(value) > LONG_TEXT or "\n" in value.strip())


def value_text(model_field: models.Field | None, value: Any, names: Names | None = None) -> str:
    """One recorded value as the pages write it. `model_field` is None where the label no
    longer names a field of the model; `names` are the linked records' names now (without
    them, a link is named as it was when recorded)."""
    if value is None or value == "":
        return NOT_SET
    if isinstance(value, dict) and "id" in value:
        return _related(model_field, value, names)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if model_field is None:
        return str(value)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, models.DateTimeField) and isinstance(value, str):
        moment = parse_datetime(value)
        return date_and_time(moment) if moment else value
    if isinstance(model_field, models.DateField) and isinstance(value, str):
        day = parse_date(value)
        return long_date(day) if day else value
    if is_money(model_field):
        try:
            return money(decimal.Decimal(str(value)))
        except decimal.InvalidOperation:
            return str(value)
    if isinstance(model_field, models.DecimalField | models.IntegerField | models.FloatField):
        return _number(value)
    return str(value)


def _related(model_field: models.Field | None, value: dict, names: Names | None) -> str:
    name = str(value.get("name", ""))
    if names is None or model_field is None or not model_field.is_relation:
        return name or f"Record {value['id']}"
    now = names.get((model_field.related_model, str(value["id"])))
    if now is not None:
        return now
    return f"a deleted record (id {value['id']}, “{name}”)" if name else "a deleted record"


@dataclass(frozen=True)
class Line:
    """One line of an entry: 'Annual value: £30,000 → £32,500', 'End date: 31 March 2027',
    or a sentence said instead ('Description changed (1,240 characters)')."""

    label: str
    before: str | None = None
    after: str | None = None
    sentence: str = ""

    def __str__(self) -> str:
        if self.sentence:
            return self.sentence
        if self.before is None:
            return f"{self.label}: {self.after}"
        return f"{self.label}: {self.before} → {self.after}"


def _length(text: Any) -> str:
    return f"{len(text):,} characters"


def change_line(
    label: str, model_field: models.Field | None, before: Any, after: Any, names: Names | None
) -> Line:
    """What an update did to one field."""
    if is_long(before) or is_long(after):
        if before in (None, ""):
            return Line(label, sentence=f"{label} added ({_length(after)})")
        if after in (None, ""):
            return Line(label, sentence=f"{label} removed (it had {_length(before)})")
        return Line(label, sentence=f"{label} changed ({_length(after)})")
    return Line(
        label, value_text(model_field, before, names), value_text(model_field, after, names)
    )


def summary_lines(
    values: dict[str, Any], fields: dict[str, models.Field], record: str, names: Names | None
) -> tuple[list[Line], str]:
    """A created or deleted record's main fields, and a line counting the rest."""
    shown: list[Line] = []
    rest = 0
    for label, value in values.items():
        model_field = fields.get(label)
        if value in (None, "") or not is_shown(model_field):
            continue
        if len(shown) < MAIN_FIELDS and not is_long(value) and str(value) != record:
            shown.append(Line(label, after=value_text(model_field, value, names)))
        elif str(value) != record:
            rest += 1
    more = f"and {rest:,} other field{'s' if rest != 1 else ''}" if rest else ""
    return shown, more


@dataclass
class Entry:
    """An audit entry as a page shows it."""

    audit: AuditEntry
    kind: str
    url: str | None = None
    lines: list[Line] = field(default_factory=list)
    more: str = ""

    @property
    def at(self) -> datetime.datetime:
        return self.audit.at

    @property
    def who(self) -> str:
        return self.audit.actor_name or "System"

    @property
    def action(self) -> str:
        return self.audit.action

    @property
    def action_label(self) -> str:
        return self.audit.get_action_display()

    @property
    def record(self) -> str:
        return self.audit.object_repr


def _fields_by_label(model: type[models.Model] | None) -> dict[str, models.Field]:
    if model is None:
        return {}
    return {str(capfirst(f.verbose_name)): f for f in model._meta.concrete_fields}


def _kind(content_type: ContentType, model: type[models.Model] | None) -> str:
    return str(capfirst(model._meta.verbose_name if model else content_type.name))


def _names(audits: list[AuditEntry], fields_of: dict[int, dict[str, models.Field]]) -> Names:
    """The name now of every record the entries link to: one query per kind of record."""
    wanted: dict[type[models.Model], set[str]] = defaultdict(set)
    for audit in audits:
        fields = fields_of[audit.content_type_id]
        for label, pair in audit.changes.items():
            model_field = fields.get(label)
            if model_field is None or not model_field.is_relation:
                continue
            for value in pair if isinstance(pair, list) else ():
                if isinstance(value, dict) and "id" in value:
                    wanted[model_field.related_model].add(str(value["id"]))
    names: Names = {}
    for model, ids in wanted.items():
        for obj in model._base_manager.filter(pk__in=ids).select_related():
            names[(model, str(obj.pk))] = str(obj)
    return names


def _urls(audits: list[AuditEntry], models_of: dict[int, Any]) -> dict[tuple[int, str], str]:
    """The page of every record that still exists and has one: one query per kind."""
    wanted: dict[int, set[str]] = defaultdict(set)
    for audit in audits:
        model = models_of[audit.content_type_id]
        if model is not None and hasattr(model, "get_absolute_url"):
            wanted[audit.content_type_id].add(audit.object_id)
    urls: dict[tuple[int, str], str] = {}
    for content_type_id, ids in wanted.items():
        model = models_of[content_type_id]
        pk_field = model._meta.pk
        valid = set()
        for raw in ids:
            # An id the model cannot hold (a record of another kind since) links to nothing.
            with contextlib.suppress(ValidationError):
                valid.add(pk_field.to_python(raw))
        for obj in model._base_manager.filter(pk__in=valid).select_related():
            urls[(content_type_id, str(obj.pk))] = obj.get_absolute_url()
    return urls


def present(audits: Iterable[AuditEntry], *, links: bool = False) -> list[Entry]:
    """The entries as pages show them. With `links`, each entry carries the URL of its
    record's page while the record exists. The queries are one per kind of linked record
    (and per kind of record, for links), however many entries there are."""
    audits = list(audits)
    models_of: dict[int, Any] = {}
    kinds: dict[int, str] = {}
    fields_of: dict[int, dict[str, models.Field]] = {}
    for audit in audits:
        if audit.content_type_id not in models_of:
            content_type = ContentType.objects.get_for_id(audit.content_type_id)
            model = content_type.model_class()
            models_of[audit.content_type_id] = model
            kinds[audit.content_type_id] = _kind(content_type, model)
            fields_of[audit.content_type_id] = _fields_by_label(model)
    names = _names(audits, fields_of)
    urls = _urls(audits, models_of) if links else {}
    return [
        _entry(
            audit,
            kinds[audit.content_type_id],
            fields_of[audit.content_type_id],
            names,
            urls.get((audit.content_type_id, audit.object_id)),
        )
        for audit in audits
    ]


def _entry(
    audit: AuditEntry,
    kind: str,
    fields: dict[str, models.Field],
    names: Names,
    url: str | None,
) -> Entry:
    # In the model's field order: PostgreSQL's jsonb keeps no order of its own.
    order = {label: position for position, label in enumerate(fields)}
    changes = {
        label: audit.changes[label]
        for label in sorted(audit.changes, key=lambda label: order.get(label, len(order)))
        if isinstance(audit.changes[label], list)
        and len(audit.changes[label]) == 2
        and is_shown(fields.get(label))
    }
    entry = Entry(audit=audit, kind=kind, url=url)
    if audit.action == AuditEntry.Action.UPDATE:
        lines = [
            change_line(label, fields.get(label), before, after, names)
            for label, (before, after) in changes.items()
        ]
        entry.lines = lines[:MOST_CHANGES]
        others = [line.label for line in lines[MOST_CHANGES:]]
        if others:
            entry.more = f"and {len(others)} other fields changed: {join_words(others)}"
    elif audit.action == AuditEntry.Action.CREATE:
        values = {label: after for label, (_, after) in changes.items()}
        entry.lines, entry.more = summary_lines(values, fields, audit.object_repr, names)
    else:
        values = {label: before for label, (before, _) in changes.items()}
        lines, entry.more = summary_lines(values, fields, audit.object_repr, names)
        entry.lines = [
            Line("", sentence=f"{kind} “{audit.object_repr}” was deleted"),
            *lines,
        ]
    return entry
