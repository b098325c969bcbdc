from django.conf import settings
from django.db import migrations

from hayat.ops.schedules import register, unregister

NAME = "reservation expiry"
FUNC = "hayat.stays.jobs.expire_reservations"


def add_schedule(apps, schema_editor):
    register(apps, name=NAME, func=FUNC, minutes=settings.HAYAT_RESERVATION_EXPIRY_MINUTES)


def remove_schedule(apps, schema_editor):
    unregister(apps, name=NAME)


class Migration(migrations.Migration):
    dependencies = [
        ("stays", "0006_reservation_holds"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]
    operations = [migrations.RunPython(add_schedule, remove_schedule)]
