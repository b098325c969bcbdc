"""Scheduled jobs of the core: sealing the audit trail, and refusing what is not a Hayat job."""

from __future__ import annotations

from django.db import transaction
from django_q.models import Schedule

from hayat.core import audit, audit_chain, job_registry, ratelimits

JOBS = ("seal_audit_trail", "refuse", "forget_ended_rate_windows")


def seal_audit_trail() -> str:
    """Chains the audit and access-log rows committed since the last run (docs/adr/0004)."""
    return f"sealed {audit_chain.seal_pending()}"


def forget_ended_rate_windows() -> str:
    return f"forgot {ratelimits.forget_ended_windows()} rate-limit windows"


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
