"""Hayat's own background jobs: the only functions a schedule or a queued task may name.

Each app lists its jobs by name in `JOBS` of its optional `jobs.py` (found like navigation.py). A schedule
naming anything else is refused when it is saved; one written straight into the table is caught when it comes
due: the task the cluster would queue is replaced by `hayat.core.jobs.refuse`, which runs nothing, records
`job.refused` and removes the schedule (see docs/adr/0004-sealed-audit-trail.md).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from hayat.core import audit
from hayat.core.discovery import app_modules
from hayat.core.errors import DomainError

REFUSE = "hayat.core.jobs.refuse"


class JobRefused(DomainError):
    code = "job_refused"


def registered() -> frozenset[str]:
    """The dotted paths of every function Hayat schedules or queues."""
    return frozenset(f"{module.__name__}.{name}" for module in app_modules("jobs")
                     for name in getattr(module, "JOBS", ()))


def is_registered(func: Any) -> bool:
    return isinstance(func, str) and func in registered()


def check(*, func: Any, hook: Any = None) -> None:
    """Raises JobRefused, with an audit event, unless `func` (and the hook, when given) are Hayat's jobs."""
    for path in (func, hook):
        if path and not is_registered(path):
            audit.record("job.refused", by=None, note=str(path), changes={"func": str(func), "hook": str(hook or "")})
            raise JobRefused(_("Only Hayat's own jobs may be scheduled; %(func)s is not one of them.")
                             % {"func": path})


def refuse_schedule_on_save(sender, instance, **kwargs) -> None:
    """pre_save of django-q's Schedule: a new schedule, or a changed function or hook, must name Hayat's jobs.
    The cluster re-saves a due schedule unchanged, which passes, so the row reaches `replace_unregistered`."""
    stored = sender.objects.filter(pk=instance.pk).values("func", "hook").first() if instance.pk else None
    if stored is None or (stored["func"], stored["hook"]) != (instance.func, instance.hook):
        check(func=instance.func, hook=instance.hook)


def replace_unregistered(sender, task: dict, **kwargs) -> None:
    """pre_enqueue of django-q: a task naming anything but Hayat's jobs is queued as `refuse` instead, so the
    worker never imports or calls it (a schedule written by raw SQL included)."""
    func = task["func"] if isinstance(task["func"], str) else getattr(task["func"], "__qualname__", repr(task["func"]))
    hook = task.get("hook")
    if is_registered(func) and (not hook or is_registered(hook)):
        return
    task.update(func=REFUSE, args=(), kwargs={"func": str(func), "hook": str(hook or "")}, hook=None,
                chain=None)
