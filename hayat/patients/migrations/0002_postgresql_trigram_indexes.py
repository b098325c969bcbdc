"""Trigram (pg_trgm) GIN indexes for patient search on PostgreSQL; other engines skip this migration.

They serve "phone digits anywhere in the number" (LIKE '%...%') and the fuzzy "did you mean" lookup
(word similarity on the transliterated name keys). SQLite and MariaDB search the same columns through
their ordinary indexes and a bounded scan.
"""

from django.db import migrations

INDEXES = {
    "patient_search_text_trgm": "search_text",
    "patient_phone_digits_trgm": "phone_digits",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, column in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON patients_patient USING gin ({column} gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("patients", "0001_initial")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
