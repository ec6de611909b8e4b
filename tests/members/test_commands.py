import pytest
from django.core.management import CommandError, call_command

from loti.members.models import Organisation

pytestmark = pytest.mark.django_db


def test_load_organisations_loads_the_reference_list(capsys):
    call_command("load_organisations", "--dry-run")
    assert capsys.readouterr().out.strip() == "Would have: 36 created, 0 updated, 0 unchanged."
    assert not Organisation.objects.exists()
    call_command("load_organisations")
    assert capsys.readouterr().out.strip() == "36 created, 0 updated, 0 unchanged."
    assert Organisation.objects.count() == 36


def test_load_organisations_from_a_file_reports_every_bad_row(tmp_path):
    path = tmp_path / "scotland.csv"
    path.write_text("name,short_name,kind\nFife Council,Fife,unitary_authority\n,Nameless,other\n")
    with pytest.raises(CommandError) as error:
        call_command("load_organisations", str(path))
    assert "Row 3: enter the organisation's name" in str(error.value)
    assert not Organisation.objects.exists()
