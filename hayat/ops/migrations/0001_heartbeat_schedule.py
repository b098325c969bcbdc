from django.conf import settings
from django.db import migrations

from hayat.ops.schedules import HEARTBEAT, register, unregister


def add_heartbeat(apps, schema_editor):
    register(apps, name="heartbeat", func=HEARTBEAT, minutes=settings.HAYAT_HEARTBEAT_MINUTES)


def remove_heartbeat(apps, schema_editor):
    unregister(apps, name="heartbeat")


class Migration(migrations.Migration):
    dependencies = [("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more")]
    operations = [migrations.RunPython(add_heartbeat, remove_heartbeat)]
