"""Scheduled jobs of the core: refusing what is not a Hayat job."""

from __future__ import annotations

from django.db import transaction
from django_q.models import Schedule

from hayat.core import audit, job_registry

JOBS = ("refuse",)


def refuse(*, func: str, hook: str = "") -> str:
    """Runs in place of a task that named something outside the registry: records it and removes every schedule
    naming such a function, once the cluster's own transaction is over."""
    audit.record("job.refused", by=None, note=func, changes={"func": func, "hook": hook})
    transaction.on_commit(remove_unregistered_schedules)
    return f"refused {func}"


def remove_unregistered_schedules() -> None:
    allowed = job_registry.registered()
    for schedule in Schedule.objects.only("pk", "func", "hook"):
        if schedule.func not in allowed or (schedule.hook and schedule.hook not in allowed):
            schedule.delete()
