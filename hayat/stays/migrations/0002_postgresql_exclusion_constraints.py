"""On PostgreSQL only: exclusion constraints as the last line of defence against double booking.

A bed never holds two guest lines whose periods overlap, and a patient is never in two overlapping guest
lines, counting only lines that hold a place. The services check both under row locks on every engine;
MariaDB and SQLite have no exclusion constraints, so there the locked check is the rule.
"""

from django.db import migrations

CONSTRAINTS = {
    "guest_line_bed_no_overlap":
        "EXCLUDE USING gist (bed_id WITH =, daterange(start_date, end_date) WITH &&) "
        "WHERE (holds_place AND bed_id IS NOT NULL)",
    "guest_line_patient_no_overlap":
        "EXCLUDE USING gist (patient_id WITH =, daterange(start_date, end_date) WITH &&) WHERE (holds_place)",
}


def add_constraints(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    for name, definition in CONSTRAINTS.items():
        schema_editor.execute(f"ALTER TABLE stays_guestline ADD CONSTRAINT {name} {definition}")


def drop_constraints(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in CONSTRAINTS:
        schema_editor.execute(f"ALTER TABLE stays_guestline DROP CONSTRAINT IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("stays", "0001_initial")]

    operations = [migrations.RunPython(add_constraints, drop_constraints)]
