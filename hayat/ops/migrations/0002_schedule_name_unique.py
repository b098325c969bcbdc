"""One schedule per name, held by the database: `register` adds a schedule by name, and two installations
migrating at the same moment must not both add it (django-q's own `schedule()` refuses a taken name too)."""

from django.db import migrations, models
from django.db.models import Count, Min

UNIQUE_NAME = models.UniqueConstraint(fields=["name"], name="ops_schedule_name_unique")


def keep_one_schedule_per_name(apps, schema_editor):
    Schedule = apps.get_model("django_q", "Schedule")
    repeated = (Schedule.objects.exclude(name=None).values("name").annotate(count=Count("pk"), first=Min("pk"))
                .filter(count__gt=1))
    for row in repeated:
        Schedule.objects.filter(name=row["name"]).exclude(pk=row["first"]).delete()
    # The SQL itself, not schema_editor.add_constraint: on SQLite that rebuilds the table from django-q's model,
    # which does not know this constraint, so none would be made.
    schema_editor.execute(UNIQUE_NAME.create_sql(Schedule, schema_editor))


def allow_repeated_names(apps, schema_editor):
    schema_editor.execute(UNIQUE_NAME.remove_sql(apps.get_model("django_q", "Schedule"), schema_editor))


class Migration(migrations.Migration):
    dependencies = [
        ("ops", "0001_heartbeat_schedule"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]
    # Not atomic: MySQL cannot run DDL inside a transaction (PostgreSQL and SQLite still run the whole migration in one).
    operations = [migrations.RunPython(keep_one_schedule_per_name, allow_repeated_names, atomic=False)]
