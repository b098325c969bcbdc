"""Reads for the operations pages: worker health, job runs, the activity log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone
from django_q.models import Failure, Schedule, Success

from hayat.core import clock
from hayat.core.models import AccessLogEntry, AuditEvent
from hayat.ops.schedules import HEARTBEAT

# A worker that missed this many heartbeats in a row is taken for stopped.
MISSED_HEARTBEATS = 3


@dataclass(frozen=True)
class WorkerHealth:
    last_heartbeat: datetime | None
    checked_at: datetime
    running: bool


def last_heartbeat() -> datetime | None:
    latest = Success.objects.filter(func=HEARTBEAT).order_by("-stopped").values_list("stopped", flat=True)
    return latest.first()


def worker_health() -> WorkerHealth:
    """Running only while heartbeats keep coming; a heartbeat long ago means the worker has stopped since."""
    last, now = last_heartbeat(), clock.now()
    patience = timedelta(minutes=settings.HAYAT_HEARTBEAT_MINUTES * MISSED_HEARTBEATS)
    return WorkerHealth(last_heartbeat=last, checked_at=now, running=last is not None and now - last <= patience)


def schedules() -> QuerySet[Schedule]:
    return Schedule.objects.order_by("name")


def recent_runs(limit: int = 30) -> dict[str, list]:
    return {
        "successes": list(Success.objects.order_by("-stopped")[:limit]),
        "failures": list(Failure.objects.order_by("-stopped")[:limit]),
    }


def audit_events(*, search: str = "", action: str = "", patient_id: int | None = None,
                 since: date | None = None, until: date | None = None) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.all()
    if search:
        events = events.filter(Q(actor__icontains=search) | Q(note__icontains=search) | Q(object_id=search))
    if action:
        events = events.filter(action__startswith=action)
    if patient_id is not None:
        events = events.filter(patient_id=patient_id)
    return within(events, since, until)


def access_log(*, search: str = "", patient_id: int | None = None,
               since: date | None = None, until: date | None = None) -> QuerySet[AccessLogEntry]:
    entries = AccessLogEntry.objects.all()
    if search:
        entries = entries.filter(Q(actor__icontains=search) | Q(what__icontains=search))
    if patient_id is not None:
        entries = entries.filter(patient_id=patient_id)
    return within(entries, since, until)


def within(queryset: QuerySet, since: date | None, until: date | None) -> QuerySet:
    zone = timezone.get_current_timezone()
    if since:
        queryset = queryset.filter(at__gte=datetime.combine(since, time.min, zone))
    if until:
        queryset = queryset.filter(at__lte=datetime.combine(until, time.max, zone))
    return queryset
