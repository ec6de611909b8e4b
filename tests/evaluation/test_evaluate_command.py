"""`loti evaluate --pdf FILE` writes the evaluation report as a PDF."""

import datetime
import random

import pytest
from django.core.management import CommandError, call_command

from loti.evaluation import demo
from loti.evaluation.report import content as report
from loti.evaluation.report import services as report_services
from tests import clock

frozen_today = clock.frozen_fixture(scope="module", autouse=False)


@pytest.fixture(scope="module")
def activities(module_transaction, frozen_today):
    """The evaluation's demo, built once for this module."""
    demo.build(rng=random.Random(1), today=datetime.date(2026, 11, 22))


def test_it_writes_the_draft_report_for_this_financial_year(db, activities, tmp_path, capsys):
    target = tmp_path / "report.pdf"
    call_command("evaluate", "--pdf", str(target))
    assert target.read_bytes().startswith(b"%PDF-")
    out = capsys.readouterr().out
    assert out.startswith("Wrote “Evaluation report 2026/27” (")
    assert out.count("\n") == 1


def test_it_writes_a_given_financial_year(db, activities, tmp_path, capsys):
    call_command("evaluate", "--pdf", str(tmp_path / "r.pdf"), "--year", "2024-25")
    assert "Evaluation report 2024/25" in capsys.readouterr().out


def test_it_writes_the_latest_published_report_as_published(
    db, activities, staff, tmp_path, capsys
):
    content = report.build(user=staff, year=2025)
    content["title"] = "As published in 2025"
    report_services.report_publish(actor=staff, title="Older", financial_year=2025, content=content)
    call_command("evaluate", "--pdf", str(tmp_path / "p.pdf"), "--published")
    assert "“As published in 2025”" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--published"], "No report has been published yet"),
        (["--year", "2025"], "is not a financial year like 2025-26"),
        (["--year", "2025-26", "--published"], "Give either --year or --published"),
    ],
)
def test_it_refuses_what_it_cannot_do(db, tmp_path, arguments, message):
    with pytest.raises(CommandError, match=message):
        call_command("evaluate", "--pdf", str(tmp_path / "r.pdf"), *arguments)
    assert not (tmp_path / "r.pdf").exists()


def test_an_unwritable_file_is_a_clear_error(db, activities, tmp_path):
    with pytest.raises(CommandError, match="Could not write"):
        call_command("evaluate", "--pdf", str(tmp_path / "missing" / "r.pdf"))
