"""Registers a recurring job once, by name; called from data migrations, never at start-up."""

HEARTBEAT = "hayat.ops.jobs.heartbeat"


def register(apps, *, name: str, func: str, minutes: int) -> None:
    Schedule = apps.get_model("django_q", "Schedule")
    Schedule.objects.update_or_create(
        name=name, defaults={"func": func, "schedule_type": "I", "minutes": minutes, "repeats": -1},
    )


def unregister(apps, *, name: str) -> None:
    apps.get_model("django_q", "Schedule").objects.filter(name=name).delete()
