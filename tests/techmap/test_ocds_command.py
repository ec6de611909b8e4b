"""`loti import-ocds`: a thin command over the importer."""

import gzip
import io
import json

import pytest
from django.core.management import CommandError, call_command

from loti.members import services as members
from loti.techmap.models import Contract, Notice
from loti.techmap.ocds.importing import NOT_A_MEMBER, NOT_TECHNOLOGY
from tests.techmap.ocds_samples import SAMPLES, package_bytes, release

pytestmark = pytest.mark.django_db

NEWHAM_PAGE = SAMPLES[2]  # contractsfinder_search_2022-10-22_page.json


@pytest.fixture
def london(db):
    members.organisations_import(actor=None)


def command(*args):
    out = io.StringIO()
    call_command("import_ocds", *args, stdout=out)
    return out.getvalue()


def test_json_report(london):
    out = command(str(NEWHAM_PAGE), "--json")
    report = json.loads(out)
    assert report["imported"] is True
    assert report["releases"] == 100
    assert report["created"] == 1
    assert report["errors"] == []
    assert report["summary"].startswith("Read 100 releases of ")
    assert Contract.objects.get().vendor.name == "Oracle Corporation (Uk) Ltd"


def test_text_report(london):
    out = command(str(NEWHAM_PAGE))
    first, *rest = out.splitlines()
    assert first.startswith("Read 100 releases of ")
    assert "1 added" in first
    skipped = dict(line.strip().removeprefix("skipped ").split(": ", 1)[::-1] for line in rest)
    assert NOT_A_MEMBER in skipped
    assert NOT_TECHNOLOGY in skipped


class FakeStdin:
    def __init__(self, data: bytes):
        self.buffer = io.BytesIO(data)


def test_dash_reads_standard_input_gzipped_or_not(london, monkeypatch):
    data = NEWHAM_PAGE.read_bytes()
    monkeypatch.setattr("sys.stdin", FakeStdin(data))
    assert json.loads(command("-", "--json"))["created"] == 1
    monkeypatch.setattr("sys.stdin", FakeStdin(gzip.compress(data)))
    report = json.loads(command("-", "--json"))
    assert (report["created"], report["unchanged"]) == (0, 1)


def test_cpv_option(london, tmp_path):
    path = tmp_path / "notices.json"
    path.write_bytes(package_bytes([release(cpv="45000000")]))
    assert json.loads(command(str(path), "--json"))["technology"] == 0
    report = json.loads(command(str(path), "--json", "--cpv", " 45, 72"))
    assert (report["technology"], report["created"]) == (1, 1)


@pytest.mark.parametrize(
    ("cpv", "message"),
    [
        ("48,x", "--cpv: “x” is not the start of a CPV code (up to 8 digits)"),
        ("", "--cpv: Give at least one CPV code prefix, like 48 or 72"),
    ],
)
def test_bad_cpv_is_an_error(london, cpv, message):
    with pytest.raises(CommandError) as caught:
        command(str(NEWHAM_PAGE), "--cpv", cpv)
    assert str(caught.value) == message
    assert Notice.objects.count() == 0


def test_missing_file_is_an_error(tmp_path):
    missing = tmp_path / "nowhere.json"
    with pytest.raises(CommandError) as caught:
        command(str(missing))
    assert str(caught.value) == f"Cannot read {missing}: No such file or directory"


def test_a_file_with_errors_prints_them_and_imports_nothing(london, tmp_path):
    path = tmp_path / "bad.json"
    path.write_bytes(package_bytes([release(), {"date": "2024-01-01T00:00:00Z"}]))
    out = io.StringIO()
    with pytest.raises(CommandError, match=r"^Nothing was imported\.$"):
        call_command("import_ocds", str(path), stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == "Nothing was imported: the file has 1 problem to fix first."
    assert lines[1] == (
        "  error: release 2: This release has no ocid (its Open Contracting ID), "
        "so it cannot be placed"
    )
    assert Notice.objects.count() == Contract.objects.count() == 0


def test_a_file_with_errors_as_json(london, tmp_path):
    path = tmp_path / "bad.json"
    path.write_bytes(b'{"releases": [')
    out = io.StringIO()
    with pytest.raises(CommandError, match=r"^Nothing was imported\.$"):
        call_command("import_ocds", str(path), "--json", stdout=out)
    report = json.loads(out.getvalue())
    assert report["imported"] is False
    assert report["errors"][0]["message"].startswith("The file is not valid JSON after release 0")


def test_dry_run_writes_nothing(london):
    out = command(str(NEWHAM_PAGE), "--dry-run")
    assert out.startswith("Dry run, nothing written. Read 100 releases of ")
    assert "1 added" in out
    assert Notice.objects.count() == Contract.objects.count() == 0


def test_loti_import_ocds_is_the_command(london, capsys, tmp_path):
    from loti.cli import main

    main(["loti", "import-ocds", str(NEWHAM_PAGE), "--json"])
    assert json.loads(capsys.readouterr().out)["created"] == 1
    with pytest.raises(SystemExit) as exited:
        main(["loti", "import-ocds", str(tmp_path / "nowhere.json")])
    assert exited.value.code == 1
    assert "Cannot read" in capsys.readouterr().err
