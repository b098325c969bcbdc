from django.db import migrations

from hayat.ops.schedules import register, unregister

NAME = "audit sealing"
FUNC = "hayat.core.jobs.seal_audit_trail"


def add_schedule(apps, schema_editor):
    register(apps, name=NAME, func=FUNC, minutes=1)


def remove_schedule(apps, schema_editor):
    unregister(apps, name=NAME)


class Migration(migrations.Migration):
    dependencies = [("ops", "0002_schedule_name_unique"), ("core", "0003_audit_seals")]
    operations = [migrations.RunPython(add_schedule, remove_schedule)]
