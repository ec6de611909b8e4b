"""Hostile OCDS files, and untidy ones. Each limit of the reader (docs/security.md) refuses
a file past it with a ReadError naming the limit and where it was hit, while streaming; the
compiling never recurses without bound; odd encodings are refused in words. The import
command prints the refusal and exits with status 2. See also tests/test_hostile_documents.py."""

import gzip
import html
import io
import json
import time
import tracemalloc
import zlib
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from loti.members import services as members
from loti.techmap.management.commands import import_ocds as import_ocds_command
from loti.techmap.models import Contract, OcdsImport
from loti.techmap.ocds import compiling, importing, notices, reading
from loti.techmap.ocds.reading import ReadError, read_releases
from tests.techmap.ocds_samples import changed, package_bytes, release

GOOD = {"ocid": "ocds-a-1", "id": "1", "date": "2024-01-01T00:00:00Z"}


def refused_with_peak(data: bytes) -> tuple[Any, int]:
    """Read `data` expecting a refusal: the refusal, and the most memory Python held."""
    tracemalloc.start()
    try:
        with pytest.raises(ReadError) as caught:
            list(read_releases(io.BytesIO(data)))
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return caught, peak


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
    caught, peak = refused_with_peak(gzip.compress(data) if gzipped else data)
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


def test_a_gzipped_description_of_300_mb_is_refused_at_once_in_little_memory():
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)  # gzip framing
    chunks = [packer.compress(b'{"releases": [{"ocid": "x", "description": "')]
    chunks += [packer.compress(b"d" * 1_000_000) for _ in range(300)]
    bomb = b"".join([*chunks, packer.compress(b'"}]}'), packer.flush()])
    assert len(bomb) < 1_000_000
    started = time.monotonic()
    caught, peak = refused_with_peak(bomb)
    # yajl holds a string whole until it ends: the bound on a release stops it first.
    assert str(caught.value) == "Release 1 is larger than 10 MB"
    assert peak < 40_000_000
    assert time.monotonic() - started < 5


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
    caught, peak = refused_with_peak(bomb)
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


def test_damaged_deflate_data_is_an_unzipping_error_not_a_crash():
    # zlib.error, which gzip lets out for a bad stored block, is not an OSError.
    header = gzip.compress(package_bytes([GOOD]))[:10]
    bad_block = b"\x01\x01\x00\x00\x00" + b"x" * 20  # a stored block whose lengths disagree
    with pytest.raises(ReadError, match=r"^The file cannot be unzipped at the start: "):
        list(read_releases(io.BytesIO(header + bad_block)))


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


# Wrong-typed values: every one dropped or read another way is in the report ----------------


def test_facts_list_each_value_dropped_or_read_another_way():
    data = changed(
        release("ocds-w-1"),
        **{
            "awards.0.value.amount": "37,500",
            "tender.title": 42,
            "tender.tenderPeriod.endDate": "next Tuesday",
            "tender.suitability": {"sme": "yes", "vcse": True},
            "tender.value": {"amount": "9000"},
            "awards.0.contractPeriod.startDate": 20240401,
        },
    )
    suppliers = data["awards"][0]["suppliers"]
    for award_id, amount in (("a2", True), ("a3", {"gbp": 1}), ("a4", 0)):
        data["awards"].append({"id": award_id, "value": {"amount": amount}, "suppliers": suppliers})
    facts = notices.facts(data)
    assert facts.awards[0].value is None and facts.value == Decimal("9000.00")
    assert {(u.field, u.value, u.action) for u in facts.unread} == {
        ("awards[0].value.amount", '"37,500"', "dropped"),
        ("awards[1].value.amount", "true", "dropped"),
        ("awards[2].value.amount", '{"gbp": 1}', "dropped"),
        ("tender.title", "42", 'read as "42"'),
        ("tender.tenderPeriod.endDate", '"next Tuesday"', "dropped"),
        ("tender.suitability.sme", '"yes"', "dropped"),
        ("tender.value.amount", '"9000"', "read as 9000.00"),
        ("awards[0].contractPeriod.startDate", "20240401", "dropped"),
    }  # zero, some publishers' "not given", is dropped without a word


def test_a_well_formed_release_has_nothing_unread():
    assert notices.facts(release()).unread == ()


def test_a_very_long_value_is_shown_shortened():
    facts = notices.facts(changed(release(), **{"awards.0.value.amount": "9" * 500 + "x"}))
    (unread,) = facts.unread
    assert len(unread.value) == 80 and unread.value.endswith("…")


@pytest.fixture
def london(db):
    members.organisations_import(actor=None)


@pytest.mark.django_db
def test_the_import_report_lists_values_dropped_with_their_release_and_field(london, tmp_path):
    path = tmp_path / "typed.json"
    path.write_bytes(
        package_bytes([release("ocds-w-1", amount="37,500"), release("ocds-w-2", amount=True)])
    )
    out = io.StringIO()
    call_command("import_ocds", str(path), "--json", stdout=out)
    report = json.loads(out.getvalue())
    assert report["imported"] is True
    assert report["unread"] == [
        {
            "release": "ocds-w-1",
            "field": "awards[0].value.amount",
            "value": '"37,500"',
            "action": "dropped",
        },
        {
            "release": "ocds-w-2",
            "field": "awards[0].value.amount",
            "value": "true",
            "action": "dropped",
        },
    ]
    assert report["more_unread"] == 0
    assert report["summary"].endswith(" 2 values could not be read as given; see the list.")
    assert Contract.objects.get(award__notice__ocid="ocds-w-1").total_value is None


@pytest.mark.django_db
def test_the_text_report_prints_each_value_and_the_list_is_capped(london, monkeypatch):
    monkeypatch.setattr(importing, "MAX_UNREAD", 2)
    releases = [release(f"ocds-w-{n}", amount=f"{n},000") for n in range(1, 5)]
    report = importing.import_ocds(io.BytesIO(package_bytes(releases)))
    assert [value["release"] for value in report.unread] == ["ocds-w-1", "ocds-w-2"]
    assert report.more_unread == 2
    assert report.summary().endswith(" 4 values could not be read as given; see the list.")
    text = import_ocds_command._text(report, dry_run=False).splitlines()
    assert '  value not read as given: ocds-w-1 awards[0].value.amount "1,000": dropped' in text
    assert "  (and 2 more values not read as given)" in text


@pytest.mark.django_db
def test_a_value_is_listed_once_however_many_chunks_compile_its_release(london, monkeypatch):
    monkeypatch.setattr(importing, "CHUNK", 1)
    releases = [
        release("ocds-w-1", amount="1,000", date="2024-01-10T09:00:00Z"),
        release("ocds-w-1", amount="1,000", date="2024-02-10T09:00:00Z"),
    ]
    report = importing.import_ocds(io.BytesIO(package_bytes(releases)))
    assert len(report.unread) == 1 and report.more_unread == 0


@pytest.mark.django_db
def test_the_import_page_lists_the_values_in_a_table(client_as):
    upload = OcdsImport.objects.create(
        filename="typed.json",
        state="succeeded",
        report={
            "imported": True,
            "summary": "Read 1 releases. 1 value could not be read as given; see the list.",
            "unread": [
                {
                    "release": "ocds-w-1",
                    "field": "awards[0].value.amount",
                    "value": '"37,500"',
                    "action": "dropped",
                },
                {
                    "release": "ocds-w-2",
                    "field": "tender.value.amount",
                    "value": '"9000"',
                    "action": "read as 9000.00",
                },
            ],
            "more_unread": 3,
        },
    )
    response = client_as("staff").get(reverse("techmap:ocds_import_detail", args=[upload.pk]))
    page = html.unescape(response.content.decode())
    assert "Values that could not be read as given</caption>" in page
    assert '<td class="govuk-table__cell"><code>awards[0].value.amount</code></td>' in page
    assert '<code>"37,500"</code></td><td class="govuk-table__cell">Left out' in page
    assert "Read as 9000.00</td>" in page
    assert "And 3 more not listed." in page
