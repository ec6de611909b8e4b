"""Compiling releases of one contracting process (one ``ocid``) into the fields we use,
following OCDS merge semantics (https://standard.open-contracting.org/1.1/en/schema/merging/).

A release is flattened into paths and values: objects are descended into; arrays of objects
are matched across releases by their items' ``id`` (identifier merge), or kept whole when the
release schema says ``wholeListMerge`` or they hold anything but objects; an empty object or
array sets nothing; ``null`` removes a field. The compiled release takes, for each path, the
value of the newest release that has it. That is what the ``ocdsmerge`` reference
implementation does, and the tests compare the two on real and generated releases. (One
difference: NUL characters are dropped from text, as PostgreSQL cannot store them.)

Only the fields in ``FIELDS`` are kept, which is what makes compiling cheap. Each kept value
carries the date of the release it came from, so state compiled in one import can take
releases from a later import in any order: a value is replaced only by one from a release
dated at or after it. (``ocdsmerge`` orders releases by their ``date`` strings; here dates are
compared as instants, so "10:00+01:00" is before "09:30Z". The two agree whenever a process's
releases give their dates in one time zone, as publishers do.)
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Iterable
from typing import Any

from loti.techmap.ocds.reading import MAX_DEPTH

# What the import reads of a release; None keeps a field's whole value. List items keep their
# `id` always, as merging needs it.
_CLASSIFICATION = {"scheme": None, "id": None}
_DOCUMENTS = {"id": None, "documentType": None, "url": None}
_PERIOD = {"startDate": None, "endDate": None}
_VALUE = {"amount": None, "currency": None}
FIELDS: dict[str, Any] = {
    "ocid": None,
    "buyer": {"id": None, "name": None},
    "parties": {
        "id": None,
        "name": None,
        "identifier": {"scheme": None, "id": None, "legalName": None},
        "details": {"scale": None, "vcse": None},
        "roles": None,
    },
    "tender": {
        "id": None,
        "title": None,
        "description": None,
        "status": None,
        "classification": _CLASSIFICATION,
        "additionalClassifications": _CLASSIFICATION,
        "items": {
            "id": None,
            "classification": _CLASSIFICATION,
            "additionalClassifications": _CLASSIFICATION,
        },
        "value": _VALUE,
        "procurementMethodDetails": None,
        "tenderPeriod": {"endDate": None},
        "contractPeriod": _PERIOD,
        "suitability": {"sme": None, "vcse": None},
        "documents": _DOCUMENTS,
    },
    "awards": {
        "id": None,
        "title": None,
        "description": None,
        "status": None,
        "value": _VALUE,
        "suppliers": {"id": None, "name": None},
        "contractPeriod": _PERIOD,
        "documents": _DOCUMENTS,
    },
}
# The arrays among FIELDS that the OCDS 1.1.5 release schema marks "wholeListMerge" (a test
# checks this against the schema through ocdsmerge).
WHOLE_LIST_MERGE = frozenset(
    {("parties", "roles"), ("tender", "items", "additionalClassifications")}
)

Path = tuple[Any, ...]
# The last part of a path under an array item that records where the item first appeared,
# as (release number in its merge, index in that release's array), dated like a value but
# keeping the earliest date: ocdsmerge lists items in the order it first met them, in
# releases taken oldest first, and so do we, whatever order the releases were imported in.
# (Every other part of a path is a field name or an item's key, never a number.)
ORDER = 0
# path -> (value, the UTC ISO date of the release that set it)
State = dict[Path, tuple[Any, str]]


class CompileError(ValueError):
    """The releases cannot be compiled; the message says why, in words."""


def release_date(release: dict[str, Any]) -> str:
    """The release's date as a sortable UTC ISO string. Raises CompileError when it has none."""
    value = release.get("date")
    if not isinstance(value, str):
        raise CompileError("it has no date" if value is None else "its date is not text")
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError as exc:
        raise CompileError(f"its date “{value[:40]}” is not a date and time") from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    return moment.astimezone(datetime.UTC).isoformat()


def flatten(release: dict[str, Any], *, key: str, number: int = 0) -> dict[Path, Any]:
    """The release's kept fields as {path: value}. `key` names the release, to tell apart
    array items that have no `id` (each is its own item, as in ocdsmerge, but the same
    release read twice gives the same paths); `number` is its place among the releases
    merged together, for the order of array items (see ORDER)."""
    flat: dict[Path, Any] = {}
    _flatten(release, FIELDS, (), (), flat, (key, number), 1)
    return flat


def _flatten(
    obj: dict[str, Any],
    fields: dict[str, Any] | None,
    path: Path,
    rule_path: Path,
    flat: dict[Path, Any],
    key: tuple[str, int],
    depth: int,
) -> None:
    # The reader refuses releases nested deeper; this keeps the recursion bounded for a
    # release from anywhere else.
    if depth > MAX_DEPTH:
        raise CompileError(_deep_message(path))
    names = obj if fields is None else [name for name in fields if name in obj]
    for name in names:
        value = obj[name]
        here, rule = (*path, _clean(name)), (*rule_path, name)
        sub = None if fields is None else fields[name]
        if (
            rule in WHOLE_LIST_MERGE
            or not isinstance(value, dict | list)
            or (type(value) is list and any(not isinstance(item, dict) for item in value))
        ):
            flat[here] = _clean(value, depth + 1, here)
        elif not value:
            continue
        elif type(value) is list:
            for index, item in enumerate(value):
                item_key = ("=", _clean(str(item["id"]))) if "id" in item else ("#", key[0], index)
                flat.setdefault((*here, item_key, ORDER), [key[1], index])
                if "id" in item:
                    flat[(*here, item_key, "id")] = _clean(item["id"])
                _flatten(item, _without_id(sub), (*here, item_key), rule, flat, key, depth + 2)
        else:
            _flatten(value, sub, here, rule, flat, key, depth + 1)


def _clean(value: Any, depth: int = 1, path: Path = ()) -> Any:
    """The value without NUL characters, which PostgreSQL cannot store in text or JSON.
    `depth` is the value's level in its release, to refuse (with CompileError) one nested
    deeper than MAX_DEPTH rather than recurse without bound."""
    if type(value) is str:
        return value.replace("\x00", "") if "\x00" in value else value
    if depth > MAX_DEPTH:
        if type(value) is list or type(value) is dict:
            raise CompileError(_deep_message(path))
        return value
    if type(value) is list:
        return [_clean(item, depth + 1, path) for item in value]
    if type(value) is dict:
        return {_clean(name): _clean(item, depth + 1, path) for name, item in value.items()}
    return value


def _deep_message(path: Path) -> str:
    where = "/".join(str(part[1]) if type(part) is tuple else str(part) for part in path)
    return f"it is nested more than {MAX_DEPTH} levels deep (at /{where})"


def _without_id(fields: dict[str, Any] | None) -> dict[str, Any] | None:
    if fields is None or "id" not in fields:
        return fields
    return {name: sub for name, sub in fields.items() if name != "id"}


def merge(state: State, releases: Iterable[dict[str, Any]]) -> bool:
    """Merge releases into `state`; returns whether anything in it changed (a value, or the
    date a value was last published). Raises CompileError for a release without a date."""
    return merge_dated(state, [(release_date(release), release) for release in releases])


def merge_dated(state: State, releases: list[tuple[str, dict[str, Any]]]) -> bool:
    """`merge` for releases given as (release_date(release), release)."""
    changed = False
    for number, (date, release) in enumerate(sorted(releases, key=_first)):
        flat = flatten(release, key=_release_key(release, date), number=number)
        for path, value in flat.items():
            held = state.get(path)
            if path[-1] == ORDER:
                if held is None or date < held[1]:  # the earliest sighting counts
                    state[path] = (value, date)
                    changed = True
            elif held is None or date >= held[1]:
                if held != (value, date) or type(held[0]) is not type(value):
                    changed = True
                state[path] = (value, date)
    return changed


def _release_key(release: dict[str, Any], date: str) -> str:
    """A name for the release that is the same each time it is read: its id and date, or,
    where it has no id, a digest of its content (releases of some publishers have none)."""
    release_id = release.get("id")
    if release_id is None or release_id == "":
        try:
            content = json.dumps(release, sort_keys=True, default=str).encode()
        except RecursionError as exc:  # the C encoder's own bound, well past the reader's
            raise CompileError(f"it is nested more than {MAX_DEPTH} levels deep") from exc
        release_id = "#" + hashlib.blake2b(content, digest_size=12).hexdigest()
    return _clean(f"{release_id}@{date}")


def _first(pair: tuple[str, Any]) -> str:
    return pair[0]


def compiled(state: State) -> dict[str, Any]:
    """The compiled release (of the kept fields) that `state` describes: ocdsmerge's
    unflattening, which keeps the first-seen order of array items."""
    result: dict[str, Any] = {}
    items: dict[Path, dict[str, Any]] = {}
    arrays: dict[int, tuple[list[Any], list[Path]]] = {}  # id(array) -> (array, item paths)
    for path, (value, _date) in state.items():
        if path[-1] == ORDER:
            continue
        node: Any = result
        for end, part in enumerate(path, 1):
            if type(part) is tuple:
                item_path = path[:end]
                if item_path not in items:
                    items[item_path] = {}
                    # An array of objects, not another release's value (such as ["x"]).
                    if id(node) not in arrays and (not isinstance(node, list) or node):
                        raise CompileError(_shape_message(path[: end - 1]))
                    node.append(items[item_path])
                    arrays[id(node)][1].append(item_path)
                node = items[item_path]
            elif not isinstance(node, dict):
                raise CompileError(_shape_message(path[: end - 1]))
            elif part in node:
                node = node[part]
            elif end < len(path):
                node[part] = [] if type(path[end]) is tuple else {}
                node = node[part]
                if type(node) is list:
                    arrays[id(node)] = (node, [])
            elif value is not None:
                node[part] = list(value) if type(value) is list else value  # a copy, to append to
    for array, paths in arrays.values():
        array[:] = [items[path] for path in sorted(paths, key=lambda path: _sighting(state, path))]
    return result


def _sighting(state: State, item_path: Path) -> tuple[str, int, int, str]:
    """When and where an array item was first seen: (date, release number, index)."""
    held = state.get((*item_path, ORDER))
    if held is None:
        return ("", 0, 0, str(item_path[-1]))
    (number, index), date = held
    return (date, number, index, str(item_path[-1]))


def _shape_message(path: Path) -> str:
    where = "/".join(str(part[1]) if type(part) is tuple else part for part in path)
    return f"its releases disagree on whether /{where} is a list, an object or a value"


def to_json(state: State) -> list[list[Any]]:
    """The state as JSON-ready rows [path, value, date], paths as nested lists."""
    return [
        [[list(part) if type(part) is tuple else part for part in path], value, date]
        for path, (value, date) in state.items()
    ]


def from_json(rows: list[list[Any]]) -> State:
    return {
        tuple(tuple(part) if type(part) is list else part for part in path): (value, date)
        for path, value, date in rows
    }
