"""Registers a recurring job once, by name; called from data migrations and after `migrate`, never by the worker."""

from django.db import IntegrityError, transaction

HEARTBEAT = "hayat.ops.jobs.heartbeat"


def register(apps, *, name: str, func: str, minutes: int) -> None:
    """Adds the schedule or brings the one of that name up to date. Installations migrating at the same moment
    may both find none: the database's unique name lets one add it and the other update it."""
    from hayat.core.job_registry import check

    check(func=func)
    Schedule = apps.get_model("django_q", "Schedule")
    fields = {"func": func, "schedule_type": "I", "minutes": minutes, "repeats": -1}
    if Schedule.objects.filter(name=name).update(**fields):
        return
    try:
        with transaction.atomic():
            Schedule.objects.create(name=name, **fields)
    except IntegrityError:
        Schedule.objects.filter(name=name).update(**fields)


def unregister(apps, *, name: str) -> None:
    apps.get_model("django_q", "Schedule").objects.filter(name=name).delete()
