from django.db import migrations


def load_taxonomy(apps, schema_editor):
    from loti.techmap import taxonomy

    taxonomy.load(models=apps)


def remove_taxonomy(apps, schema_editor):
    for name in ("ProductCategory", "ServiceArea", "Function", "SkillArea"):
        apps.get_model("techmap", name).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("techmap", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(load_taxonomy, remove_taxonomy),
    ]
