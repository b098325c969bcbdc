from django.db import migrations

from hayat.ops.schedules import register, unregister

# The job itself decides when the day's backup is due (HAYAT_BACKUP_TIME); it only needs to be asked often.
SCHEDULES = {
    "backup": ("hayat.backup.jobs.scheduled_backup", 10),
    "verify-newest-backup": ("hayat.backup.jobs.verify_newest", 60),
}


def add_schedules(apps, schema_editor):
    for name, (func, minutes) in SCHEDULES.items():
        register(apps, name=name, func=func, minutes=minutes)


def remove_schedules(apps, schema_editor):
    for name in SCHEDULES:
        unregister(apps, name=name)


class Migration(migrations.Migration):
    dependencies = [("backup", "0001_initial"), ("ops", "0002_schedule_name_unique")]
    operations = [migrations.RunPython(add_schedules, remove_schedules)]
