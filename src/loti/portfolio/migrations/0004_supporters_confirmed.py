# The supporters named before organisations confirmed their support stay supporters: they
# are taken as confirmed. Reversed, they are awaiting confirmation again.

from django.db import migrations


def confirm(apps, schema_editor):
    apps.get_model('portfolio', 'Support').objects.update(state='confirmed')


def unconfirm(apps, schema_editor):
    apps.get_model('portfolio', 'Support').objects.update(
        state='awaiting', decided_by=None, decided_at=None
    )


class Migration(migrations.Migration):

    dependencies = [
        ('portfolio', '0003_proposal_support_confirmation'),
    ]

    operations = [
        migrations.RunPython(confirm, unconfirm),
    ]
