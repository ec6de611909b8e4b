"""On PostgreSQL, a GIN index on the expression modelsearch matches (`title || body`): its
own indexes cover each column alone, so without this every search read every entry
(benchmarks/search.py). SQLite's FTS5 table needs none."""

from django.db import migrations

INDEX = "core_search_title_body_gin"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON modelsearch_indexentry "
            "USING gin ((title || body))"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_import_batch"),
        ("modelsearch", "0004_rename_modelsear_autocom_476c89_gin_modelsearch_autocom_ea8581_gin_and_more"),
    ]

    operations = [migrations.RunPython(create, drop)]
