"""Reading OCDS releases from a stream, one at a time, however large the stream.

Accepted: a release package, a record package (each record's ``compiledRelease``, or its
releases where it has none), a JSON array of releases, and a series of any one of these
(JSON Lines, or JSON values one after another); any of them gzipped. A package's releases are
parsed one by one by ijson's C backend, so memory holds one release at a time, never the file.

Which of these a stream is, is told from its first value: a look-ahead buffer is parsed until
its shape is known (a package's metadata comes before its releases, so this reads little),
then the whole stream is parsed from the start for that shape.
"""

from __future__ import annotations

import gzip
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO

import ijson

GZIP_MAGIC = b"\x1f\x8b"
LOOK_AHEAD = 64 * 1024


class ReadError(Exception):
    """The stream cannot be read as OCDS; the message says where and why, in words."""


@dataclass(frozen=True)
class Release:
    position: str  # where it is in the stream, for messages: "release 12"
    data: Any  # a dict for a well-formed release; anything else is reported by the caller


def open_stream(stream: BinaryIO) -> BinaryIO:
    """The stream, unzipped if it is gzipped."""
    buffered = stream if hasattr(stream, "peek") else io.BufferedReader(stream)  # type: ignore[arg-type]
    if buffered.peek(2)[:2] == GZIP_MAGIC:
        return gzip.GzipFile(fileobj=buffered)  # type: ignore[return-value]
    return buffered  # type: ignore[return-value]


class _Replay(io.RawIOBase):
    """A stream that gives back what was already read from it, then the rest."""

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        self._head = memoryview(head)
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._head:
            size = min(len(buffer), len(self._head))
            buffer[:size] = self._head[:size]
            self._head = self._head[size:]
            return size
        data = self._rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def _shape(head: bytes) -> str | None:
    """What the first JSON value in `head` is: "releases" or "records" (a package), "release",
    "array", or None if `head` is too short to tell. Raises ReadError for what cannot be
    OCDS at all."""
    events = ijson.parse(io.BytesIO(head), multiple_values=True)
    keys: set[str] = set()
    try:
        for prefix, event, value in events:
            if prefix == "" and event == "start_array":
                return "array"
            if prefix == "" and event not in {"start_map", "end_map", "map_key"}:
                raise ReadError(
                    "The file must hold OCDS release packages, record packages or releases, "
                    "but it starts with a plain value rather than a JSON object"
                )
            if prefix == "" and event == "map_key":
                if value in {"releases", "records"}:
                    return value
                keys.add(value)
            if prefix == "" and event == "end_map":
                return "release" if "ocid" in keys else "package"
    except ijson.IncompleteJSONError as exc:
        if "premature EOF" in str(exc):
            return None
        raise ReadError(f"The file is not valid JSON at the start: {_reason(exc)}") from exc
    return None


def read_releases(stream: BinaryIO) -> Iterator[Release]:
    """Every release in the stream, in order. Raises ReadError when the stream is not JSON
    or not OCDS, naming the release it had reached."""
    source = open_stream(stream)
    head = b""
    shape = None
    while shape is None:
        try:
            chunk = source.read(LOOK_AHEAD)
        except (OSError, EOFError) as exc:  # a damaged gzip stream
            raise ReadError(f"The file cannot be unzipped: {exc}") from exc
        head += chunk
        if not head.strip():
            raise ReadError("The file is empty")
        shape = _shape(head)
        if shape is None and not chunk:
            raise ReadError("The file ends before its first release does (it may be cut short)")
    if shape == "package":
        raise ReadError(
            "The file's first JSON object is neither a release (it has no ocid) nor a package "
            "(it has no releases or records)"
        )
    replay = io.BufferedReader(_Replay(head, source), buffer_size=LOOK_AHEAD)
    prefix = {"releases": "releases.item", "records": "records.item", "array": "item"}.get(
        shape, ""
    )
    count = 0
    items = ijson.items(replay, prefix, multiple_values=True, use_float=True)
    while True:
        try:
            item = next(items)
        except StopIteration:
            return
        except ijson.IncompleteJSONError as exc:
            raise ReadError(
                f"The file is not valid JSON after release {count:,}: {_reason(exc)}"
            ) from exc
        except (OSError, EOFError) as exc:
            raise ReadError(f"The file cannot be unzipped after release {count:,}: {exc}") from exc
        if shape == "records":
            for data in _record_releases(item, count):
                count += 1
                yield Release(f"release {count:,}", data)
        elif shape == "release" and isinstance(item, dict) and "releases" in item:
            # JSON Lines may mix release packages in among releases.
            for data in item["releases"] if isinstance(item["releases"], list) else [item]:
                count += 1
                yield Release(f"release {count:,}", data)
        else:
            count += 1
            yield Release(f"release {count:,}", item)


def _record_releases(record: Any, count: int) -> list[Any]:
    if not isinstance(record, dict):
        raise ReadError(f"Record after release {count:,} is not a JSON object")
    if isinstance(record.get("compiledRelease"), dict):
        return [record["compiledRelease"]]
    releases = record.get("releases")
    if isinstance(releases, list) and all(
        isinstance(release, dict) and {"ocid", "date"} <= release.keys() for release in releases
    ):
        return releases
    raise ReadError(
        f"The record for {record.get('ocid', 'an unnamed process')} (after release {count:,}) "
        "has neither a compiled release nor full releases (linked releases cannot be fetched)"
    )


def _reason(exc: Exception) -> str:
    """yajl's message, which quotes the text around the fault, on one line."""
    lines = [line.strip() for line in str(exc).strip().splitlines() if line.strip()]
    reason = lines[0].removeprefix("parse error: ") if lines else "unreadable"
    if len(lines) > 1 and "right here" not in lines[1]:
        reason += f", near “{lines[1][:80]}”"
    return reason
