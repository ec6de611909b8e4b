"""Name the records as the pages do: a round is a call for ideas (`Call`), an update is a
weeknote (`Weeknote`). Tables, columns and constraint names follow; no data changes."""

from django.db import migrations, models
from django.db.models import F, Q

# The call's check constraints, renamed from portfolio_round_* to portfolio_call_*.
CALL_CHECKS = {
    "proposals_close_after_open": Q(proposals_close_on__gte=F("proposals_open_on")),
    "voting_after_proposals": Q(voting_opens_on__gt=F("proposals_close_on")),
    "voting_close_after_open": Q(voting_closes_on__gte=F("voting_opens_on")),
    "budget_positive": Q(budget__gt=0),
    "capacity_positive": Q(capacity_chunks__gte=1),
    "points_and_approvals_positive": Q(points__gte=1) & Q(approvals_max__gte=1),
    "vote_weight_0_to_1": Q(vote_weight__gte=0) & Q(vote_weight__lte=1),
}


class Migration(migrations.Migration):
    dependencies = [
        ("portfolio", "0001_initial"),
    ]

    operations = [
        migrations.RenameModel(old_name="Round", new_name="Call"),
        migrations.AlterModelOptions(
            name="call",
            options={
                "ordering": ["-proposals_open_on", "title"],
                "verbose_name": "call for ideas",
                "verbose_name_plural": "calls for ideas",
            },
        ),
        *[
            migrations.RemoveConstraint(model_name="call", name=f"portfolio_round_{name}")
            for name in CALL_CHECKS
        ],
        *[
            migrations.AddConstraint(
                model_name="call",
                constraint=models.CheckConstraint(condition=condition, name=f"portfolio_call_{name}"),
            )
            for name, condition in CALL_CHECKS.items()
        ],
        migrations.RemoveConstraint(
            model_name="ballot", name="portfolio_one_ballot_per_organisation_per_round"
        ),
        migrations.RemoveConstraint(
            model_name="criterion", name="portfolio_criterion_unique_round_name"
        ),
        migrations.RenameField(model_name="ballot", old_name="round", new_name="call"),
        migrations.RenameField(model_name="criterion", old_name="round", new_name="call"),
        migrations.RenameField(model_name="proposal", old_name="round", new_name="call"),
        migrations.RenameField(model_name="selectionresult", old_name="round", new_name="call"),
        migrations.AlterModelOptions(
            name="ballot", options={"ordering": ["call", "organisation__short_name"]}
        ),
        migrations.AddConstraint(
            model_name="ballot",
            constraint=models.UniqueConstraint(
                fields=("call", "organisation"),
                name="portfolio_one_ballot_per_organisation_per_call",
            ),
        ),
        migrations.AddConstraint(
            model_name="criterion",
            constraint=models.UniqueConstraint(
                fields=("call", "name"), name="portfolio_criterion_unique_call_name"
            ),
        ),
        migrations.RenameModel(old_name="Update", new_name="Weeknote"),
        migrations.AlterField(
            model_name="weeknote",
            name="project",
            field=models.ForeignKey(
                on_delete=models.deletion.CASCADE,
                related_name="weeknotes",
                to="portfolio.project",
            ),
        ),
    ]
