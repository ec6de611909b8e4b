# A supporting organisation is a supporter only once its own lead or officer confirms: the
# proposals' supporters table becomes the Support model (its rows kept), with each
# organisation's answer.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('members', '0002_organisation_aliases'),
        ('portfolio', '0002_calls_and_weeknotes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The table Django made for the many-to-many field is the new model's table.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Support',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('proposal', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='supports', to='portfolio.proposal')),
                        ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='members.organisation')),
                    ],
                    options={
                        'db_table': 'portfolio_proposal_supporters',
                        'ordering': ['organisation__short_name', 'pk'],
                        'unique_together': {('proposal', 'organisation')},
                    },
                ),
                migrations.AlterField(
                    model_name='proposal',
                    name='supporters',
                    field=models.ManyToManyField(blank=True, related_name='supported_proposals', through='portfolio.Support', to='members.organisation', verbose_name='Supporting organisations'),
                ),
            ],
        ),
        migrations.AddField(
            model_name='support',
            name='state',
            field=models.CharField(choices=[('awaiting', 'Awaiting confirmation'), ('confirmed', 'Confirmed'), ('declined', 'Declined')], default='awaiting', max_length=10),
        ),
        migrations.AddField(
            model_name='support',
            name='decided_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='support',
            name='decided_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        # The many-to-many table's unnamed uniqueness becomes a named constraint.
        migrations.AlterUniqueTogether(
            name='support',
            unique_together=set(),
        ),
        migrations.AddConstraint(
            model_name='support',
            constraint=models.UniqueConstraint(fields=('proposal', 'organisation'), name='portfolio_support_unique_proposal_organisation'),
        ),
    ]
