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

Every limit below is enforced while the stream is read, never after it is held whole, and a
stream past one is refused with a ReadError naming the limit and where it was hit: a release
(or a JSON Lines line) nested more than MAX_DEPTH levels deep, holding text longer than
MAX_TEXT characters, or longer than MAX_RELEASE_BYTES; more than MAX_RELEASES releases; more
than MAX_BYTES in all once unzipped (docs/security.md).
"""

from __future__ import annotations

import gzip
import io
import json
import zlib
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
# The limits (docs/security.md). The sample files' releases are a few levels deep, at most about
# 100 KB long, with no string over about 6,000 characters.
MAX_DEPTH = 64  # levels of objects and arrays in a release, itself the first
MAX_TEXT = 100_000  # characters in one string or object key
MAX_RELEASE_BYTES = 10 * 1024 * 1024  # a release, a record, or a JSON Lines line
MAX_BYTES = 2 * 1024 * 1024 * 1024  # the whole stream, once unzipped
MAX_RELEASES = 10_000_000
UTF8_BOM = b"\xef\xbb\xbf"
NOT_OCDS = "is neither a release (it has no ocid) nor a package (it has no releases or records)"


class ReadError(Exception):
    """The stream cannot be read as OCDS; the message says where and why, in words."""


@dataclass(frozen=True)
class Release:
    position: str  # where it is in the stream, for messages: "release 12", "line 3, release 2"
    data: Any  # a dict for a well-formed release; anything else is reported by the caller


def size_in_words(size: int) -> str:
    """2147483648 -> "2 GB"; 10485760 -> "10 MB"."""
    for unit, scale in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if size >= scale:
            return f"{size / scale:,.3g} {unit}"
    return f"{size:,} bytes"


def open_stream(stream: BinaryIO) -> BinaryIO:
    """The stream, unzipped if it is gzipped, refusing to read past MAX_BYTES."""
    buffered = stream if hasattr(stream, "peek") else io.BufferedReader(stream)  # type: ignore[arg-type]
    if buffered.peek(2)[:2] == GZIP_MAGIC:
        return _Counted(gzip.GzipFile(fileobj=buffered), gzipped=True)  # type: ignore[return-value]
    return _Counted(buffered, gzipped=False)  # type: ignore[return-value]


class _Counted:
    """A stream whose reads are counted, refused once past MAX_BYTES (a few kilobytes of
    gzip can unzip to terabytes)."""

    def __init__(self, stream: BinaryIO, *, gzipped: bool) -> None:
        self._stream = stream
        self._gzipped = gzipped
        self.count = 0

    def read(self, size: int = -1) -> bytes:
        # Never read whole: ask for at most a little past the limit.
        limit = MAX_BYTES - self.count + 1
        try:
            data = self._stream.read(limit if size is None or size < 0 else min(size, limit))
        except zlib.error as exc:  # damaged deflate data: not an OSError, unlike the rest
            raise gzip.BadGzipFile(str(exc)) from exc
        self.count += len(data)
        if self.count > MAX_BYTES:
            raise ReadError(
                f"The file is larger than {size_in_words(MAX_BYTES)}"
                + (" once decompressed" if self._gzipped else "")
            )
        return data


class _Replay(io.RawIOBase):
    """A stream that gives back what was already read from it, then the rest. It refuses to
    give more than `limit` bytes in all (raising ReadError with `message`), which the reader
    moves on at each release, to bound the bytes any one release may take."""

    def __init__(self, head: bytearray, rest: BinaryIO) -> None:
        self._head = memoryview(head)
        self._rest = rest
        self.given = 0
        self.limit: int | None = None
        self.message = ""

    def readable(self) -> bool:
        return True

    def bound(self, message: str) -> None:
        """Give at most MAX_RELEASE_BYTES more (and what was read ahead) before refusing."""
        self.limit, self.message = self.given + MAX_RELEASE_BYTES, message

    def readinto(self, buffer: Any) -> int:
        if self.limit is not None and self.given >= self.limit:
            raise ReadError(self.message)
        size = self._readinto(buffer)
        self.given += size
        return size

    def _readinto(self, buffer: Any) -> int:
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
    or not OCDS, or is past one of the limits, naming where it had reached."""
    source = open_stream(stream)
    # Grown in place, so that reading on never holds two copies of what was read.
    head = bytearray(_read(source, LOOK_AHEAD, "at the start"))
    if head.startswith(UTF8_BOM):
        del head[: len(UTF8_BOM)]
    if bytes(head[:2]) in {b"\xff\xfe", b"\xfe\xff"} or b"\x00" in head[:2]:
        raise ReadError("The file is UTF-16 or UTF-32 text: save it as UTF-8")
    if not head.strip():
        raise ReadError("The file is empty")
    head, is_lines = _look_for_lines(source, head)
    if is_lines:
        yield from _lines(io.BufferedReader(_Replay(head, source), buffer_size=LOOK_AHEAD))
        return
    shape = _shape(head)
    while shape is None:
        if len(head) > MAX_RELEASE_BYTES:
            raise ReadError(
                f"The file's first {size_in_words(MAX_RELEASE_BYTES)} hold neither a release "
                "nor the start of a list of releases or records"
            )
        # Doubling what is read, so the start is parsed again only a few times.
        more = _read(source, len(head), "at the start")
        if not more:
            raise ReadError("The file ends before its first release does (it may be cut short)")
        head += more
        shape = _shape(head)
    yield from _document(_Replay(head, source), shape)


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
    except RecursionError:
        return head, True  # a whole line too deep to parse here: _lines says so
    except ValueError:
        return head, False
    return head, True


def _lines(stream: BinaryIO) -> Iterator[Release]:
    count = 0
    number = 0
    while line := stream.readline(MAX_RELEASE_BYTES + 1):
        number += 1
        if len(line.rstrip(b"\r\n")) > MAX_RELEASE_BYTES:
            raise ReadError(f"Line {number:,} is longer than {size_in_words(MAX_RELEASE_BYTES)}")
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
        except RecursionError as exc:
            raise ReadError(f"Line {number:,} is nested more than {MAX_DEPTH} levels deep") from exc
        # A release in a package in a line is two levels down.
        problem = within_limits(value, depth=MAX_DEPTH + 2, text=MAX_TEXT)
        if problem == "deep":
            raise ReadError(f"Line {number:,} is nested more than {MAX_DEPTH} levels deep")
        if problem == "long":
            raise ReadError(f"Line {number:,} holds text longer than {MAX_TEXT:,} characters")
        for data in _releases_of(value, f"line {number:,}"):
            count += 1
            if count > MAX_RELEASES:
                raise ReadError(f"The file has more than {MAX_RELEASES:,} releases")
            yield Release(f"release {count:,} (line {number:,})", data)


def within_limits(value: Any, *, depth: int, text: int) -> str:
    """Whether a parsed JSON value is nested at most `depth` levels deep (the value itself
    the first, if an object or array) with no string or key longer than `text`: "" if so,
    else "deep" or "long". Iterative, so any depth is safe to check."""
    if type(value) is str:
        return "long" if len(value) > text else ""
    stack = [(value, 1)] if type(value) in (dict, list) else []
    while stack:
        item, level = stack.pop()
        if level > depth:
            return "deep"
        children = item.values() if type(item) is dict else item
        if type(item) is dict and any(len(key) > text for key in item):
            return "long"
        for child in children:
            kind = type(child)
            if kind is dict or kind is list:
                stack.append((child, level + 1))
            elif kind is str and len(child) > text:
                return "long"
    return ""


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


def _document(stream: _Replay, shape: str) -> Iterator[Release]:
    """The releases of a single JSON document of the given shape, streamed: the document is
    read as parse events, each release built from them after its depth and its strings are
    checked, so no release past a limit is ever held whole."""
    # The depth of the container whose values are the items (releases, or records), once
    # the reading is inside it; 0 when the whole document is one release.
    items_at: int | None = {"array": 1, "release": 0}.get(shape)
    count = depth = 0
    root_key = None
    stack: list[Any] = []  # the containers of the item being built, outermost first
    keys: list[Any] = []  # the key being filled in each of them
    stream.bound(
        f"The file has more than {size_in_words(MAX_RELEASE_BYTES)} before its first release"
    )

    def this() -> str:
        return (
            f"The record after release {count:,}"
            if shape == "records"
            else f"Release {count + 1:,}"
        )

    def where() -> str:
        return this() if stack else f"The file (after release {count:,})"

    events = ijson.basic_parse(stream, use_float=True)
    while True:
        try:
            event, value = next(events)
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
        except UnicodeDecodeError as exc:
            raise ReadError(
                f"The file is not UTF-8 text after release {count:,}: {exc.reason}"
            ) from exc
        except (OSError, EOFError) as exc:
            raise ReadError(f"The file cannot be unzipped after release {count:,}: {exc}") from exc
        if (event == "string" or event == "map_key") and len(value) > MAX_TEXT:
            raise ReadError(f"{where()} holds text longer than {MAX_TEXT:,} characters")
        if event == "map_key":
            if stack:
                keys[-1] = value
            elif depth == 1:
                root_key = value
            continue
        if event == "end_map" or event == "end_array":
            depth -= 1
            if not stack:
                if items_at is not None and depth < items_at:
                    items_at = None  # the list of releases (or records) has ended
                continue
            item = stack.pop()
            keys.pop()
            if stack:
                continue
        elif not stack and depth != items_at:
            # Outside the releases: the package's metadata, or the start of its list.
            if event == "start_map" or event == "start_array":
                depth += 1
                if depth > MAX_DEPTH:
                    raise ReadError(f"{where()} is nested more than {MAX_DEPTH} levels deep")
            if depth == 2 and root_key == shape:
                if event != "start_array":
                    raise ReadError(f"The package's {shape} are not a list")
                items_at = 2
            elif depth == 1 and root_key == shape and event != "start_map":
                raise ReadError(f"The package's {shape} are not a list")
            continue
        elif event == "start_map" or event == "start_array":
            if not stack:
                stream.bound(f"{this()} is larger than {size_in_words(MAX_RELEASE_BYTES)}")
            container: Any = {} if event == "start_map" else []
            if stack:
                _add(stack[-1], keys[-1], container)
            depth += 1
            stack.append(container)
            keys.append(None)
            if depth - items_at > MAX_DEPTH:
                raise ReadError(f"{where()} is nested more than {MAX_DEPTH} levels deep")
            continue
        elif stack:
            _add(stack[-1], keys[-1], value)
            continue
        else:
            item = value  # a plain value among the releases, for the caller to report
        stream.bound(
            f"The file has more than {size_in_words(MAX_RELEASE_BYTES)} between releases "
            f"(after release {count + 1:,})"
        )
        for data in (
            _record_releases(item, f"after release {count:,}") if shape == "records" else [item]
        ):
            count += 1
            if count > MAX_RELEASES:
                raise ReadError(f"The file has more than {MAX_RELEASES:,} releases")
            yield Release(f"release {count:,}", data)


def _add(container: Any, key: Any, value: Any) -> None:
    if type(container) is list:
        container.append(value)
    else:
        container[key] = value


def _shape(head: bytearray) -> str | None:
    """What the JSON document starting `head` is: "releases" or "records" (a package),
    "release", "array", or None if `head` is too short to tell."""
    keys: set[str] = set()
    depth = 0
    try:
        for event, value in ijson.basic_parse(io.BytesIO(memoryview(head))):
            if depth == 0 and event == "start_array":
                return "array"
            if depth == 0 and event != "start_map":
                raise ReadError(
                    "The file must hold OCDS release packages, record packages or releases, "
                    "but it is a plain value rather than a JSON object"
                )
            if (event == "string" or event == "map_key") and len(value) > MAX_TEXT:
                raise ReadError(
                    f"The file holds text longer than {MAX_TEXT:,} characters at the start"
                )
            if event == "start_map" or event == "start_array":
                depth += 1
                if depth > MAX_DEPTH:
                    raise ReadError(
                        f"The file is nested more than {MAX_DEPTH} levels deep at the start"
                    )
            elif event == "end_map" or event == "end_array":
                depth -= 1
            if depth == 1 and event == "map_key":
                if value in {"releases", "records"}:
                    return value
                keys.add(value)
            if depth == 0 and event == "end_map":
                if "ocid" in keys:
                    return "release"
                raise ReadError(f"The file's JSON object {NOT_OCDS}")
    except ijson.IncompleteJSONError as exc:
        if "premature EOF" in _reason(exc):
            return None
        raise ReadError(f"The file is not valid JSON at the start: {_reason(exc)}") from exc
    except UnicodeDecodeError as exc:
        raise ReadError(f"The file is not UTF-8 text at the start: {exc.reason}") from exc
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
