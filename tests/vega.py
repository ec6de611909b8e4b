"""Checks a Vega-Lite specification built in Python: against the vendored Vega-Lite schema
(tests/core/vendor/vega-lite-schema.json, copied by frontend/vendor.sh with the library the
pages load), and for what a schema cannot see: every field an encoding names is in the data
it draws from."""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jsonschema_rs

SCHEMA_PATH = Path(__file__).parent / "core" / "vendor" / "vega-lite-schema.json"
SCHEMA_URL = "https://vega.github.io/schema/vega-lite/v6.json"


def _escape_refs(node: Any) -> Any:
    # Vega-Lite names definitions like "MarkPropDef<(Gradient|string|null)>"; a strict
    # validator wants each $ref to be a URI, so percent-encode the pointer (which it decodes).
    if isinstance(node, dict):
        return {
            key: quote(value, safe="#/") if key == "$ref" else _escape_refs(value)
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_escape_refs(item) for item in node]
    return node


@functools.cache
def validator() -> jsonschema_rs.Validator:
    """Compiled once per process: the schema is nearly 2 MB."""
    return jsonschema_rs.validator_for(_escape_refs(json.loads(SCHEMA_PATH.read_text())))


def _fields(encoding: Any) -> Iterator[str]:
    """Every field an encoding names, in channels, tooltip lists and conditions."""
    if isinstance(encoding, dict):
        if isinstance(encoding.get("field"), str):
            yield encoding["field"]
        for key, value in encoding.items():
            if key != "field":
                yield from _fields(value)
    elif isinstance(encoding, list):
        for item in encoding:
            yield from _fields(item)


def _units(
    spec: dict[str, Any], data: list[dict] | None, encoding: dict, transformed: bool
) -> Iterator[tuple[dict, list[dict] | None, dict, bool]]:
    """Each view with the data values it draws from, the encoding it inherits merged with its
    own, and whether a transform may have made fields the data lacks."""
    if "data" in spec:
        data = spec["data"].get("values")
    encoding = {**encoding, **spec.get("encoding", {})}
    transformed = transformed or bool(spec.get("transform"))
    if "layer" in spec:
        for layer in spec["layer"]:
            yield from _units(layer, data, encoding, transformed)
    else:
        yield spec, data, encoding, transformed


def problems(spec: dict[str, Any]) -> list[str]:
    """Everything wrong with `spec`; empty when it is a valid chart."""
    found = [f"schema: {error.message}" for error in validator().iter_errors(spec)]
    if spec.get("$schema") != SCHEMA_URL:
        found.append(f"$schema is {spec.get('$schema')!r}, not {SCHEMA_URL}")
    if not spec.get("description"):
        found.append("no description for assistive technology")
    for unit, data, encoding, transformed in _units(spec, None, {}, False):
        if "mark" not in unit:
            found.append("a view without a mark")
        if data is None:
            found.append("a view without data")
            continue
        if transformed:
            continue
        for field in set(_fields(encoding)):
            for datum in data:
                if field not in datum:
                    found.append(f"field {field!r} is not in the datum {datum!r}")
                    break
    return found


def assert_valid(spec: dict[str, Any]) -> None:
    assert problems(spec) == []
