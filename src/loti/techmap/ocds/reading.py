"""Reading OCDS releases from a stream, one at a time, however large the stream.

Accepted, gzipped or not:

- one JSON document: a release package, a record package (each record's
  ``compiledRelease``, or its releases where it has none) or an array of releases. Its
  releases are parsed one by one by ijson's C backend, so memory holds one release at a time,
  never the file;
- JSON Lines: one value a line, each a release, a release package, a record package or an
  array of releases, in any mix. Each line is parsed whole, so memory holds one line.

Which it is, is told from the start of the stream: if its first line is a whole JSON value
with more lines after it, the stream is JSON Lines; otherwise it is one document, whose shape
is read from the start (a package's metadata comes before its releases, so this reads
little). Anything after that document is an error, never silently skipped.
"""

from __future__ import annotations

import gzip
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO

import ijson

GZIP_MAGIC = b"\x1f\x8b"
LOOK_AHEAD = 64 * 1024
# How far to look for the end of the first line before deciding the stream is one document
# (which bounds the memory the look takes). JSON Lines whose first line is longer than this
# are refused with a message saying so, never misread.
LONGEST_FIRST_LINE = 1024 * 1024
NOT_OCDS = "is neither a release (it has no ocid) nor a package (it has no releases or records)"


class ReadError(Exception):
    """The stream cannot be read as OCDS; the message says where and why, in words."""


@dataclass(frozen=True)
class Release:
    position: str  # where it is in the stream, for messages: "release 12", "line 3, release 2"
    data: Any  # a dict for a well-formed release; anything else is reported by the caller


def open_stream(stream: BinaryIO) -> BinaryIO:
    """The stream, unzipped if it is gzipped."""
    buffered = stream if hasattr(stream, "peek") else io.BufferedReader(stream)  # type: ignore[arg-type]
    if buffered.peek(2)[:2] == GZIP_MAGIC:
        return gzip.GzipFile(fileobj=buffered)  # type: ignore[return-value]
    return buffered  # type: ignore[return-value]


class _Replay(io.RawIOBase):
    """A stream that gives back what was already read from it, then the rest."""

    def __init__(self, head: bytearray, rest: BinaryIO) -> None:
        self._head = memoryview(head)
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._head:
            size = min(len(buffer), len(self._head))
            buffer[:size] = self._head[:size]
            # An empty slice would still hold the whole head: let it go.
            self._head = self._head[size:] if size < len(self._head) else memoryview(b"")
            return size
        data = self._rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def _read(source: BinaryIO, size: int, where: str) -> bytes:
    try:
        return source.read(size)
    except (OSError, EOFError) as exc:  # a damaged or truncated gzip stream
        raise ReadError(f"The file cannot be unzipped {where}: {exc}") from exc


def read_releases(stream: BinaryIO) -> Iterator[Release]:
    """Every release in the stream, in order. Raises ReadError when the stream is not JSON
    or not OCDS, naming where it had reached."""
    source = open_stream(stream)
    # Grown in place, so that reading on never holds two copies of what was read.
    head = bytearray(_read(source, LOOK_AHEAD, "at the start"))
    if not head.strip():
        raise ReadError("The file is empty")
    head, is_lines = _look_for_lines(source, head)
    if is_lines:
        yield from _lines(io.BufferedReader(_Replay(head, source), buffer_size=LOOK_AHEAD))
        return
    shape = _shape(head)
    while shape is None:
        more = _read(source, LOOK_AHEAD, "at the start")
        if not more:
            raise ReadError("The file ends before its first release does (it may be cut short)")
        head += more
        shape = _shape(head)
    yield from _document(io.BufferedReader(_Replay(head, source), buffer_size=LOOK_AHEAD), shape)


def _look_for_lines(source: BinaryIO, head: bytearray) -> tuple[bytearray, bool]:
    """Whether the stream is JSON Lines: its first non-blank line is a whole JSON value and
    more follows it. Returns `head`, read on as far as needed to tell (the first line may be
    up to LONGEST_FIRST_LINE long; a longer one is taken for a single document)."""
    start = len(head) - len(head.lstrip())
    end = head.find(b"\n", start)
    while (end < 0 or not head[end:].strip()) and len(head) < LONGEST_FIRST_LINE:
        more = _read(source, LOOK_AHEAD, "at the start")
        if not more:
            break
        head += more
        end = head.find(b"\n", start)
    if end < 0 or not head[end:].strip():
        return head, False  # one line, or one long line: a single document, streamed
    try:
        json.loads(head[start:end])
    except ValueError:
        return head, False
    return head, True


def _lines(stream: BinaryIO) -> Iterator[Release]:
    count = 0
    for number, line in enumerate(stream, 1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except UnicodeDecodeError as exc:
            raise ReadError(f"Line {number:,} is not UTF-8 text: {exc.reason}") from exc
        except json.JSONDecodeError as exc:
            raise ReadError(
                f"Line {number:,} is not valid JSON: {exc.msg} (at character {exc.pos + 1:,})"
            ) from exc
        for data in _releases_of(value, f"line {number:,}"):
            count += 1
            yield Release(f"release {count:,} (line {number:,})", data)


def _releases_of(value: Any, where: str) -> Iterator[Any]:
    """The releases in one JSON Lines value."""
    if isinstance(value, list):
        yield from value
        return
    if not isinstance(value, dict):
        raise ReadError(f"{where.capitalize()} is a plain value, not a release or a package")
    if "releases" in value or "records" in value:
        key = "releases" if "releases" in value else "records"
        items = value[key]
        if not isinstance(items, list):
            raise ReadError(f"{where.capitalize()}: the package's {key} are not a list")
        for item in items:
            yield from _record_releases(item, where) if key == "records" else [item]
    elif "ocid" in value:
        yield value
    else:
        raise ReadError(f"{where.capitalize()} {NOT_OCDS}")


def _document(stream: BinaryIO, shape: str) -> Iterator[Release]:
    """The releases of a single JSON document of the given shape, streamed."""
    prefix = {"releases": "releases.item", "records": "records.item", "array": "item"}.get(
        shape, ""
    )
    count = 0
    items = ijson.items(stream, prefix, use_float=True)
    while True:
        try:
            item = next(items)
        except StopIteration:
            return
        except ijson.IncompleteJSONError as exc:
            reason = _reason(exc)
            if reason.startswith("trailing garbage"):
                raise ReadError(
                    f"The file goes on after its JSON document ends (after release {count:,}). "
                    "For several packages or releases in one file, put each on a line of its "
                    f"own (JSON Lines), the first line no longer than {LONGEST_FIRST_LINE:,} "
                    "bytes"
                ) from exc
            raise ReadError(
                f"The file is not valid JSON after release {count:,}: {reason}"
            ) from exc
        except (OSError, EOFError) as exc:
            raise ReadError(f"The file cannot be unzipped after release {count:,}: {exc}") from exc
        where = f"after release {count:,}"
        for data in _record_releases(item, where) if shape == "records" else [item]:
            count += 1
            yield Release(f"release {count:,}", data)


def _shape(head: bytearray) -> str | None:
    """What the JSON document starting `head` is: "releases" or "records" (a package),
    "release", "array", or None if `head` is too short to tell."""
    keys: set[str] = set()
    try:
        for prefix, event, value in ijson.parse(io.BytesIO(memoryview(head))):
            if prefix == "" and event == "start_array":
                return "array"
            if prefix == "" and event not in {"start_map", "end_map", "map_key"}:
                raise ReadError(
                    "The file must hold OCDS release packages, record packages or releases, "
                    "but it is a plain value rather than a JSON object"
                )
            if prefix == "" and event == "map_key":
                if value in {"releases", "records"}:
                    return value
                keys.add(value)
            if prefix == "" and event == "end_map":
                if "ocid" in keys:
                    return "release"
                raise ReadError(f"The file's JSON object {NOT_OCDS}")
    except ijson.IncompleteJSONError as exc:
        if "premature EOF" in _reason(exc):
            return None
        raise ReadError(f"The file is not valid JSON at the start: {_reason(exc)}") from exc
    return None


def _record_releases(record: Any, where: str) -> list[Any]:
    if not isinstance(record, dict):
        raise ReadError(f"A record ({where}) is not a JSON object")
    if isinstance(record.get("compiledRelease"), dict):
        return [record["compiledRelease"]]
    releases = record.get("releases")
    # Linked releases have a date and a url, but no ocid.
    if isinstance(releases, list) and all(
        isinstance(release, dict) and {"ocid", "date"} <= release.keys() for release in releases
    ):
        return releases
    raise ReadError(
        f"The record for {record.get('ocid', 'an unnamed process')} ({where}) has neither a "
        "compiled release nor full releases (linked releases cannot be fetched)"
    )


def _reason(exc: Exception) -> str:
    """yajl's message, which quotes the text around the fault, on one line."""
    message = exc.args[0] if exc.args else ""
    if isinstance(message, bytes):
        message = message.decode("utf-8", "replace")
    lines = [line.strip() for line in str(message).strip().splitlines() if line.strip()]
    reason = lines[0].removeprefix("parse error: ") if lines else "unreadable"
    if len(lines) > 1 and "right here" not in lines[1]:
        reason += f", near “{lines[1][:80]}”"
    return reason
