from django.db import migrations

from hayat.ops.schedules import register, unregister

NAME = "rate-limit windows cleanup"
FUNC = "hayat.core.jobs.forget_ended_rate_windows"


def add_schedule(apps, schema_editor):
    register(apps, name=NAME, func=FUNC, minutes=10)


def remove_schedule(apps, schema_editor):
    unregister(apps, name=NAME)


class Migration(migrations.Migration):
    dependencies = [("ops", "0003_audit_sealing_schedule"), ("core", "0006_rate_windows")]
    operations = [migrations.RunPython(add_schedule, remove_schedule)]
