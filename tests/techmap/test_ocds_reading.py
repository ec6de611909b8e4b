"""Reading OCDS releases from a stream: every accepted shape, gzipped or not, the errors, and
that a large file is streamed rather than loaded whole. No database."""

import gzip
import io
import json
import tracemalloc

import pytest

from loti.techmap.ocds import reading
from loti.techmap.ocds.reading import LOOK_AHEAD, MAX_TEXT, ReadError, read_releases
from tests.techmap.ocds_samples import SAMPLES, package_bytes

RELEASES = [
    {"ocid": "ocds-a-1", "id": "1", "date": "2024-01-01T00:00:00Z", "tag": ["tender"]},
    {"ocid": "ocds-a-1", "id": "2", "date": "2024-02-01T00:00:00Z", "tag": ["award"]},
    {"ocid": "ocds-a-2", "id": "3", "date": "2024-03-01T00:00:00Z", "tag": ["tender"]},
]


def read(data: bytes, *, gzipped: bool = False):
    if gzipped:
        data = gzip.compress(data)
    return list(read_releases(io.BytesIO(data)))


def lines(*values) -> bytes:
    return b"".join(json.dumps(value).encode() + b"\n" for value in values)


def record(ocid, **fields):
    return {"ocid": ocid, **fields}


# One JSON document each, streamed.
DOCUMENTS = {
    "release package": package_bytes(RELEASES),
    "release package, releases before metadata": json.dumps(
        {"releases": RELEASES, "uri": "https://example.test", "version": "1.1"}
    ).encode(),
    "record package of compiled releases": json.dumps(
        {
            "uri": "https://example.test",
            "records": [
                record("ocds-a-1", releases=[{"url": "https://x/1"}], compiledRelease=RELEASES[0]),
                record("ocds-a-1b", compiledRelease=RELEASES[1]),
                record("ocds-a-2", compiledRelease=RELEASES[2]),
            ],
        }
    ).encode(),
    "record package of full releases": json.dumps(
        {
            "records": [
                record("ocds-a-1", releases=RELEASES[:2]),
                record("ocds-a-2", releases=RELEASES[2:]),
            ]
        }
    ).encode(),
    "JSON array of releases": json.dumps(RELEASES).encode(),
    "pretty-printed release package": json.dumps({"releases": RELEASES}, indent=4).encode(),
    "pretty-printed array of releases": json.dumps(RELEASES, indent=2).encode(),
}
# JSON Lines, and the line each release is on.
JSON_LINES = {
    "releases": (lines(*RELEASES), [1, 2, 3]),
    "release packages": (
        lines({"uri": "p1", "releases": RELEASES[:2]}, {"uri": "p2", "releases": RELEASES[2:]}),
        [1, 1, 2],
    ),
    "record packages": (
        lines(
            {"records": [record("ocds-a-1", compiledRelease=RELEASES[0])]},
            {"records": [record("ocds-a-1", releases=RELEASES[1:])]},
        ),
        [1, 2, 2],
    ),
    "arrays of releases": (lines(RELEASES[:1], RELEASES[1:]), [1, 2, 2]),
    "a mix, with blank lines and CRLF": (
        b"\r\n"
        + lines(RELEASES[0]).replace(b"\n", b"\r\n")
        + b"\n\n"
        + lines({"uri": "p", "releases": RELEASES[1:2]}, RELEASES[2]),
        [2, 5, 6],
    ),
}


@pytest.mark.parametrize("gzipped", [False, True], ids=["plain", "gzip"])
@pytest.mark.parametrize("shape", DOCUMENTS)
def test_every_document_gives_its_releases_in_order(shape, gzipped):
    releases = read(DOCUMENTS[shape], gzipped=gzipped)
    assert [release.data for release in releases] == RELEASES
    assert [release.position for release in releases] == ["release 1", "release 2", "release 3"]


@pytest.mark.parametrize("gzipped", [False, True], ids=["plain", "gzip"])
@pytest.mark.parametrize("shape", JSON_LINES)
def test_json_lines_give_their_releases_in_order(shape, gzipped):
    data, line_numbers = JSON_LINES[shape]
    releases = read(data, gzipped=gzipped)
    assert [release.data for release in releases] == RELEASES
    for number, (release, line) in enumerate(zip(releases, line_numbers, strict=True), 1):
        assert release.position.startswith(f"release {number}")
        assert f"line {line}" in release.position


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (lines(RELEASES[0]) + b'{"ocid": \n', "Line 2 is not valid JSON: "),
        (lines(RELEASES[0], 42), "Line 2 is a plain value, not a release or a package"),
        (lines(RELEASES[0], {"releases": 5}), "Line 2: the package's releases are not a list"),
        (lines(RELEASES[0], {"uri": "x"}), "Line 2 is neither a release"),
        (lines(RELEASES[0]) + b"\xff\n", "Line 2 is not UTF-8 text: "),
    ],
)
def test_json_lines_errors_name_the_line(data, message):
    with pytest.raises(ReadError) as caught:
        read(data)
    assert str(caught.value).startswith(message)


def test_json_values_run_together_without_newlines_are_an_error_not_skipped():
    data = b"".join(json.dumps(release).encode() for release in RELEASES)
    with pytest.raises(ReadError, match="after release 1"):
        read(data)


def test_a_real_file_read_from_disk_gives_all_its_releases():
    with SAMPLES[1].open("rb") as handle:
        releases = list(read_releases(handle))
    assert len(releases) == 100
    assert releases[-1].position == "release 100"
    assert releases[0].data == json.loads(SAMPLES[1].read_text())["releases"][0]


def test_amounts_are_floats_and_text_is_unicode():
    data = package_bytes([{"ocid": "x", "value": {"amount": 34145.97}, "name": "Café ’"}])
    (release,) = read(data)
    assert release.data["value"]["amount"] == 34145.97
    assert type(release.data["value"]["amount"]) is float
    assert release.data["name"] == "Café ’"


def test_a_package_whose_metadata_is_longer_than_the_look_ahead_is_read():
    padding = ["https://example.test/extension/" + "x" * 100] * (2 * LOOK_AHEAD // 100)
    data = package_bytes(RELEASES, extensions=padding)
    assert len(data) > 2 * LOOK_AHEAD
    assert [release.data for release in read(data)] == RELEASES


def test_a_large_release_straddling_the_look_ahead_is_read():
    # Each string at the longest a release may hold (MAX_TEXT characters).
    big = {**RELEASES[0], "title": "z" * MAX_TEXT, "description": "y" * MAX_TEXT}
    assert len(json.dumps(big)) > 3 * LOOK_AHEAD
    assert [release.data for release in read(lines(big, RELEASES[1]))] == [big, RELEASES[1]]


def test_a_record_with_only_linked_releases_is_an_error():
    # A linked release (record schema) has a url, a date and tags, but none of a release's
    # contents: it cannot be read without fetching it.
    linked = {"url": "https://example.test/r/1", "date": "2024-01-01T00:00:00Z", "tag": ["tender"]}
    data = json.dumps(
        {
            "records": [
                record("ocds-a-1", compiledRelease=RELEASES[0]),
                record("ocds-linked", releases=[linked]),
            ]
        }
    ).encode()
    with pytest.raises(ReadError) as caught:
        read(data)
    assert "ocds-linked" in str(caught.value)
    assert "after release 1" in str(caught.value)
    assert "linked releases cannot be fetched" in str(caught.value)


def test_a_record_that_is_not_an_object_is_an_error():
    with pytest.raises(ReadError, match=r"^A record \(after release 0\) is not a JSON object$"):
        read(json.dumps({"records": ["ocds-a-1"]}).encode())


@pytest.mark.parametrize("gzipped", [False, True], ids=["plain", "gzip"])
@pytest.mark.parametrize("data", [b"", b"  \n\t\n"], ids=["empty", "blank"])
def test_an_empty_file_is_an_error(data, gzipped):
    with pytest.raises(ReadError, match=r"^The file is empty$"):
        read(data, gzipped=gzipped)


@pytest.mark.parametrize("gzipped", [False, True], ids=["plain", "gzip"])
def test_invalid_json_mid_file_names_the_release_reached(gzipped):
    good = package_bytes(RELEASES)
    # Break the file just after the third release's closing brace: {"a": 1} } is not JSON.
    broken = good[: good.rindex(b"}]")] + b'} @@@, {"ocid": "x"}]}'
    seen = []
    with pytest.raises(ReadError) as caught:
        for release in read_releases(io.BytesIO(gzip.compress(broken) if gzipped else broken)):
            seen.append(release.data)
    assert seen == RELEASES
    assert str(caught.value).startswith("The file is not valid JSON after release 3: ")


def test_release_count_in_the_message_uses_thousands_separators():
    many = [{"ocid": f"o-{n}", "date": "2024-01-01T00:00:00Z"} for n in range(1234)]
    data = package_bytes(many)[:-2] + b" nonsense"
    with pytest.raises(ReadError, match=r"after release 1,234: "):
        read(data)


def test_invalid_json_at_the_start_is_an_error():
    with pytest.raises(ReadError, match=r"^The file is not valid JSON at the start: "):
        read(b'{"uri": }')


def test_invalid_json_before_the_first_release_names_release_0():
    with pytest.raises(ReadError, match=r"^The file is not valid JSON after release 0: "):
        read(b'{"releases": [}')


def test_invalid_utf8_is_explained_in_words():
    with pytest.raises(ReadError) as caught:
        read(package_bytes(RELEASES)[:-40] + b"\xff" + package_bytes(RELEASES)[-39:])
    message = str(caught.value)
    assert message.startswith("The file is not valid JSON after release 2: ")
    # yajl's message, not Python's spelling of its bytes.
    assert "b'" not in message
    assert "\\n" not in message
    assert "invalid bytes in UTF8 string" in message


@pytest.mark.parametrize("gzipped", [False, True], ids=["plain", "gzip"])
def test_a_truncated_file_is_an_error_after_the_last_whole_release(gzipped):
    good = package_bytes(RELEASES)
    cut = good[: good.index(b'"id": "3"')]
    seen = []
    with pytest.raises(ReadError, match="after release 2"):
        for release in read_releases(io.BytesIO(gzip.compress(cut) if gzipped else cut)):
            seen.append(release.data)
    assert seen == RELEASES[:2]


def test_a_file_cut_before_its_first_release_is_an_error():
    with pytest.raises(ReadError, match="ends before its first release"):
        read(b'{"uri": "https://example.test", "publishedDate": "2024')


@pytest.mark.parametrize("value", [b"42", b'"releases"', b"true", b"null"])
def test_a_plain_value_at_the_top_is_an_error(value):
    with pytest.raises(ReadError, match=r"it is a plain value rather than a JSON object$"):
        read(value)


def test_an_object_that_is_neither_release_nor_package_is_an_error():
    with pytest.raises(ReadError, match=r"neither a release .* nor a package"):
        read(b'{"uri": "https://example.test", "version": "1.1"}')


def test_an_array_of_non_releases_is_passed_on_for_the_caller_to_report():
    assert [release.data for release in read(b'[1, "two", {"ocid": "x"}]')] == [
        1,
        "two",
        {"ocid": "x"},
    ]


def test_a_damaged_gzip_stream_is_an_error():
    with pytest.raises(ReadError, match="cannot be unzipped"):
        read(b"\x1f\x8b" + b"\x00" * 40)


def test_a_gzip_stream_cut_short_is_an_error():
    data = gzip.compress(package_bytes(RELEASES * 200))
    with pytest.raises(ReadError, match=r"^The file cannot be unzipped"):
        read(data[: len(data) // 2])


def test_a_package_line_with_a_non_list_of_releases_is_reported_not_a_crash():
    # A later JSON Lines package whose "releases" is a number: the caller must get a
    # ReadError or a non-release to report, never a TypeError.
    data = lines(RELEASES[0], {"uri": "p", "releases": 5})
    try:
        releases = read(data)
    except ReadError:
        return
    assert [release.data for release in releases] == [RELEASES[0], {"uri": "p", "releases": 5}]


def test_releases_after_a_package_in_json_lines_are_not_silently_dropped():
    # A series of packages may be followed by a bare release (or a record package); the
    # reader must either read it or say it cannot, never skip it without a word.
    data = lines({"uri": "p", "releases": RELEASES[:2]}, RELEASES[2])
    try:
        releases = read(data)
    except ReadError:
        return
    assert [release.data for release in releases] == RELEASES


@pytest.mark.parametrize("separator", ["\n", ""], ids=["a release a line", "minified"])
def test_memory_stays_small_however_large_the_package(tmp_path, separator, monkeypatch):
    # A minified package is one long line: the reader looks that far for its end only up to
    # LONGEST_FIRST_LINE (1 MB) before streaming it. A smaller bound here lets a 6.5 MB file
    # show that the memory taken stays a small part of the file however long the line.
    monkeypatch.setattr(reading, "LONGEST_FIRST_LINE", 256 * 1024)
    path = tmp_path / "big.json"
    with path.open("w") as handle:
        handle.write('{"uri": "https://example.test/big", "releases": [' + separator)
        for n in range(20_000):
            release = {
                "ocid": f"ocds-big-{n % 5000}",
                "id": str(n),
                "date": "2024-01-01T00:00:00Z",
                "tender": {"title": f"Tender {n}", "description": "word " * 40},
            }
            handle.write(("," + separator if n else "") + json.dumps(release))
        handle.write(separator + "]}")
    size = path.stat().st_size
    assert size > 5_000_000
    tracemalloc.start()
    try:
        count = 0
        last = None
        with path.open("rb") as handle:
            for release in read_releases(handle):
                count += 1
                last = release
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 20_000
    assert last.position == "release 20,000"
    assert last.data["id"] == "19999"
    assert peak < size / 5, f"peak {peak:,} bytes for a {size:,} byte file"


def test_json_lines_with_a_first_line_over_the_bound_are_refused_in_words(monkeypatch):
    monkeypatch.setattr(reading, "LONGEST_FIRST_LINE", 1024)
    big = {"uri": "p1", "padding": "x" * 100_000, "releases": RELEASES[:2]}
    with pytest.raises(ReadError) as caught:
        read(lines(big, {"uri": "p2", "releases": RELEASES[2:]}))
    assert str(caught.value).startswith(
        "The file goes on after its JSON document ends (after release 2). For several "
        "packages or releases in one file, put each on a line of its own (JSON Lines), the "
        "first line no longer than 1,024 bytes"
    )
