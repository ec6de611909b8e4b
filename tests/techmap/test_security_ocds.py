"""Hostile OCDS files: each limit of the reader (docs/security.md) refuses a file past it
with a ReadError naming the limit and where it was hit, while streaming; the compiling never
recurses without bound; odd encodings are refused in words. The import command prints the
refusal and exits with status 2. See also tests/test_hostile_documents.py."""

import gzip
import io
import json
import tracemalloc

import pytest
from django.core.management import CommandError, call_command

from loti.techmap.ocds import compiling, reading
from loti.techmap.ocds.reading import ReadError, read_releases
from tests.techmap.ocds_samples import package_bytes, release

GOOD = {"ocid": "ocds-a-1", "id": "1", "date": "2024-01-01T00:00:00Z"}


def read(data: bytes, *, gzipped: bool = False) -> list:
    return [r.data for r in read_releases(io.BytesIO(gzip.compress(data) if gzipped else data))]


def nested(depth: int) -> bytes:
    """A package whose second release's tender items are `depth` arrays deep."""
    items = b"[" * depth + b"]" * depth
    return (
        b'{"releases": [' + json.dumps(GOOD).encode() + b', {"ocid": "x", "tender": {"items": '
        + items + b"}}]}"
    )  # fmt: skip


@pytest.mark.parametrize("gzipped", [False, True], ids=["plain", "gzip"])
def test_a_hundred_thousand_nested_arrays_are_refused_quickly_in_little_memory(gzipped):
    data = nested(100_000)
    assert len(data) > 200_000
    tracemalloc.start()
    try:
        with pytest.raises(ReadError) as caught:
            read(data, gzipped=gzipped)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert str(caught.value) == "Release 2 is nested more than 64 levels deep"
    assert peak < 5_000_000


def test_nesting_at_the_limit_is_read():
    # The release is level 1, its tender 2, the items array 3: 61 more arrays make 64.
    (first, second) = read(nested(62))
    assert first == GOOD
    assert second["tender"]["items"]


def test_a_single_release_document_too_deep_is_refused():
    # Its shape (a release or a package) is known only at its end: it is refused at the start.
    data = b'{"ocid": "x", "tender": ' + b"[" * 3000 + b"]" * 3000 + b"}"
    with pytest.raises(ReadError, match=r"^The file is nested more than 64 levels deep at the"):
        read(data)


def test_package_metadata_too_deep_is_refused_before_the_releases():
    data = b'{"uri": "u", "extensions": ' + b"[" * 5000 + b"]" * 5000 + b', "releases": []}'
    with pytest.raises(ReadError, match=r"^The file is nested more than 64 levels deep at the"):
        read(data)


def test_json_lines_too_deep_are_refused_naming_the_line():
    deep = b'{"ocid": "x", "tender": ' + b"[" * 3000 + b"]" * 3000 + b"}\n"
    with pytest.raises(ReadError, match=r"^Line 2 is nested more than 64 levels deep$"):
        read(json.dumps(GOOD).encode() + b"\n" + deep + json.dumps(GOOD).encode() + b"\n")


@pytest.mark.parametrize("gzipped", [False, True], ids=["plain", "gzip"])
def test_text_longer_than_the_limit_is_refused_naming_the_release(gzipped):
    long = {**GOOD, "description": "x" * (reading.MAX_TEXT + 1)}
    with pytest.raises(ReadError) as caught:
        read(package_bytes([GOOD, GOOD, long]), gzipped=gzipped)
    assert str(caught.value) == "Release 3 holds text longer than 100,000 characters"


def test_a_long_key_is_refused_like_long_text():
    data = package_bytes([GOOD, {**GOOD, "k" * (reading.MAX_TEXT + 1): 1}])
    with pytest.raises(ReadError, match=r"^Release 2 holds text longer than 100,000 characters"):
        read(data)


def test_a_json_lines_line_past_the_bound_is_refused_without_reading_it_whole(monkeypatch):
    monkeypatch.setattr(reading, "MAX_RELEASE_BYTES", 64 * 1024)
    big = json.dumps({**GOOD, "tender": {"items": [{"id": str(n)} for n in range(20_000)]}})
    data = (json.dumps(GOOD) + "\n" + big + "\n" + json.dumps(GOOD) + "\n").encode()
    with pytest.raises(ReadError) as caught:
        read(data)
    assert str(caught.value) == "Line 2 is longer than 64 KB"


def test_a_line_as_long_as_the_bound_is_read(monkeypatch):
    monkeypatch.setattr(reading, "MAX_RELEASE_BYTES", 1024)
    line = json.dumps({**GOOD, "title": ""})
    exact = json.dumps({**GOOD, "title": "t" * (1024 - len(line))})
    assert len(exact) == 1024
    assert read(f"{json.dumps(GOOD)}\n{exact}\n".encode())[1]["title"].startswith("ttt")


@pytest.mark.parametrize("gzipped", [False, True], ids=["plain", "gzip"])
def test_a_release_larger_than_the_bound_is_refused_while_streaming(monkeypatch, gzipped):
    monkeypatch.setattr(reading, "MAX_RELEASE_BYTES", 64 * 1024)
    big = {**GOOD, "tender": {"items": [{"id": str(n)} for n in range(20_000)]}}
    with pytest.raises(ReadError) as caught:
        read(package_bytes([GOOD, big, GOOD]), gzipped=gzipped)
    assert str(caught.value) == "Release 2 is larger than 64 KB"


def test_a_gzip_bomb_is_refused_once_past_the_decompressed_bound(monkeypatch):
    monkeypatch.setattr(reading, "MAX_BYTES", 4 * 1024 * 1024)
    # 50 MB of spaces between releases, a few tens of kilobytes zipped.
    bomb = gzip.compress(b'{"releases": [' + b" " * 50_000_000 + b"]}")
    assert len(bomb) < 100_000
    tracemalloc.start()
    try:
        with pytest.raises(ReadError) as caught:
            list(read_releases(io.BytesIO(bomb)))
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert str(caught.value) == "The file is larger than 4 MB once decompressed"
    assert peak < 20_000_000


def test_a_plain_file_past_the_size_bound_is_refused(monkeypatch):
    monkeypatch.setattr(reading, "MAX_BYTES", 1024 * 1024)
    data = package_bytes([GOOD] * 30_000)
    assert len(data) > 1024 * 1024
    with pytest.raises(ReadError, match=r"^The file is larger than 1 MB$"):
        read(data)


@pytest.mark.parametrize("as_lines", [False, True], ids=["package", "JSON Lines"])
def test_more_releases_than_the_bound_are_refused(monkeypatch, as_lines):
    monkeypatch.setattr(reading, "MAX_RELEASES", 2)
    data = "".join(json.dumps(GOOD) + "\n" for _ in range(3)).encode()
    with pytest.raises(ReadError, match=r"^The file has more than 2 releases$"):
        read(data if as_lines else package_bytes([GOOD] * 3))


# Bytes yajl lets through as UTF-8 (it checks only the shape of each sequence) but Python
# cannot decode: an overlong encoding (0xC0 0x80) and an encoded surrogate.
@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b'{"\xc0\x80": 1, "releases": []}', "The file is not UTF-8 text at the start: "),
        (b'{"releases": [{"ocid": "\xc0\x80"}]}', "The file is not UTF-8 text after release 0"),
        (
            b'[{"ocid": "a"}, {"ocid": "\xed\xa0\x80"}]',
            "The file is not UTF-8 text after release 1",
        ),
        (b'{"ocid": "a"}\n{"ocid": "\xc0\x80"}\n', "Line 2 is not UTF-8 text: "),
    ],
    ids=["key at the start", "in a release", "surrogate", "JSON Lines"],
)
def test_bytes_yajl_passes_but_python_cannot_decode_are_refused_in_words(data, message):
    with pytest.raises(ReadError) as caught:
        read(data)
    assert str(caught.value).startswith(message)


def test_a_byte_order_mark_is_skipped():
    assert read(b"\xef\xbb\xbf" + package_bytes([GOOD])) == [GOOD]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_are_refused_in_words(encoding):
    with pytest.raises(ReadError, match=r"^The file is UTF-16 or UTF-32 text: save it as UTF-8$"):
        read(package_bytes([GOOD]).decode().encode(encoding))


def test_compiling_a_deep_release_from_elsewhere_is_refused_not_a_recursion_error():
    # The reader never gives such a release, but compiling must be safe without it.
    roles: list = []
    for _ in range(5_000):
        roles = [roles]
    deep = {**GOOD, "parties": [{"id": "p", "roles": roles}]}
    with pytest.raises(compiling.CompileError, match="nested more than 64 levels deep"):
        compiling.merge({}, [deep])
    without_id = {key: value for key, value in deep.items() if key != "id"}
    with pytest.raises(compiling.CompileError, match="nested more than 64 levels deep"):
        compiling.merge({}, [without_id])


@pytest.mark.django_db
def test_the_import_command_prints_a_refusal_and_exits_with_status_2(tmp_path):
    path = tmp_path / "deep.json"
    path.write_bytes(
        b'{"releases": ['
        + json.dumps(release()).encode()
        + b', {"ocid": "x", "tender": {"items": '
        + b"[" * 3000
        + b"]" * 3000
        + b"}}]}"
    )
    out = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("import_ocds", str(path), stdout=out)
    assert caught.value.returncode == 2
    assert "  error: Release 2 is nested more than 64 levels deep" in out.getvalue().splitlines()
