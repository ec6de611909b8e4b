"""An organisations file is bounded while it is read: a hostile file is refused with a reason
naming the limit and where it was hit, and nothing is loaded."""

import pytest
from django.core.management import CommandError, call_command

from loti.members import services
from loti.members.models import Organisation

pytestmark = pytest.mark.django_db

HEADER = "name,short_name,kind\n"


def load(tmp_path, content: bytes):
    path = tmp_path / "organisations.csv"
    path.write_bytes(content)
    with pytest.raises(CommandError) as error:
        call_command("load_organisations", str(path))
    assert not Organisation.objects.exists()
    return str(error.value)


def test_a_file_that_is_not_utf8_is_refused_in_words(tmp_path):
    message = load(
        tmp_path, HEADER.encode() + b"Fife Council,Fife,unitary_authority\n\xc0\xff,x,other\n"
    )
    assert "not UTF-8 text" in message


def test_a_line_longer_than_the_limit_is_refused_before_it_is_read_whole(tmp_path, monkeypatch):
    read = []
    original = services._lines

    def watched(source):
        for line in original(source):
            read.append(len(line))
            yield line

    monkeypatch.setattr(services, "_lines", watched)
    huge = HEADER.encode() + b"A" * 5_000_000 + b",x,other\n"
    message = load(tmp_path, huge)
    assert "Line 2 is longer than 2,000 characters" in message
    assert max(read) <= services.ORGANISATIONS_MAX_LINE + 1


def test_a_quoted_cell_over_many_lines_cannot_grow_without_bound(tmp_path):
    cell = "\n".join(["x" * 1_000] * 200)
    message = load(tmp_path, (HEADER + f'"{cell}",x,other\n').encode())
    assert "cannot be read as CSV" in message or "characters or fewer" in message


def test_more_rows_than_the_limit_are_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(services, "ORGANISATIONS_MAX_ROWS", 3)
    rows = "".join(f"Council {n},C{n},other\n" for n in range(4))
    message = load(tmp_path, (HEADER + rows).encode())
    assert "more than 3 organisations" in message


def test_long_cells_and_extra_cells_name_their_row(tmp_path):
    long_name = "N" * 501
    message = load(tmp_path, (HEADER + f"{long_name},x,other\nFife,Fife,other,extra\n").encode())
    assert "Row 2: name must be 500 characters or fewer" in message
    assert "Row 3: there are more cells than columns" in message
