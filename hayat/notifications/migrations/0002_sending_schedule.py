from django.conf import settings
from django.db import migrations

from hayat.ops.schedules import register, unregister

NAME = "messages to patients"
FUNC = "hayat.notifications.jobs.send_messages"


def add_schedule(apps, schema_editor):
    register(apps, name=NAME, func=FUNC, minutes=settings.HAYAT_MESSAGE_INTERVAL_MINUTES)


def remove_schedule(apps, schema_editor):
    unregister(apps, name=NAME)


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]
    operations = [migrations.RunPython(add_schedule, remove_schedule)]
