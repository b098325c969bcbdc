"""Maintenance periods: scheduling, rescheduling and the status lifecycle.

A period closes a room (no bed given) or one bed. Two active periods never overlap on the same room or
bed, and a period never closes a place that a guest or patient holds: both checks run after the room is
locked with `availability.lock_for_booking`, the same lock every booking takes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hayat.accounts.models import User
from hayat.core import audit, clock, policy
from hayat.core.errors import Conflict, DomainError
from hayat.core.formats import format_date, format_datetime
from hayat.core.lifecycle import Lifecycle
from hayat.core.params import EARLIEST_DATE, LATEST_DATE, out_of_calendar
from hayat.core.transactions import retrying_atomic
from hayat.facilities import availability
from hayat.facilities.models import (
    BLOCKING_STATUSES,
    Bed,
    Maintenance,
    MaintenanceKind,
    MaintenanceStatus,
    MaintenanceStatusChange,
    Room,
)
from hayat.facilities.records import save_checked

S = MaintenanceStatus
LIFECYCLE = Lifecycle(
    gettext_lazy("maintenance period"),
    {
        S.SCHEDULED: {S.IN_PROGRESS, S.DONE, S.CANCELLED},
        S.IN_PROGRESS: {S.DONE, S.CANCELLED},
        S.DONE: set(),
        S.CANCELLED: set(),
    },
    dict(S.choices),
)
FIELDS = ("room", "bed", "kind", "description", "start", "end", "status", "performed_by")


@dataclass
class MaintenanceData:
    room: Room
    kind: str
    start: datetime
    end: datetime
    bed: Bed | None = None
    description: str = ""
    performed_by: User | None = None


@retrying_atomic
def schedule(*, by: User, data: MaintenanceData) -> Maintenance:
    """Records a maintenance period; the room or bed leaves availability for its whole span."""
    policy.ensure(by, "maintenance.manage")
    availability.lock_for_booking([data.room.pk])
    period = Maintenance(created_by=by)
    fill(period, data)
    check_free(period)
    save_checked(period, by=by)
    MaintenanceStatusChange.objects.create(maintenance=period, at=clock.now(), by=by, from_status="",
                                           to_status=period.status, reason=_("scheduled"))
    audit.record("maintenance.schedule", by=by, obj=period,
                 changes=audit.changes_between({}, audit.snapshot(period, FIELDS)))
    return period


@retrying_atomic
def reschedule(*, by: User, period: Maintenance, data: MaintenanceData) -> Maintenance:
    """Changes an open period (scheduled or in progress); finished ones are history and stay as they are."""
    policy.ensure(by, "maintenance.manage")
    availability.lock_for_booking(sorted({period.room_id, data.room.pk}))
    period = Maintenance.objects.get(pk=period.pk)
    if not period.is_blocking:
        raise Conflict(_("A finished or cancelled maintenance period cannot be changed."))
    before = audit.snapshot(period, FIELDS)
    fill(period, data)
    check_free(period)
    save_checked(period, by=by)
    audit.record("maintenance.update", by=by, obj=period,
                 changes=audit.changes_between(before, audit.snapshot(period, FIELDS)))
    return period


@retrying_atomic
def transition(*, by: User, period: Maintenance, to: str, reason: str = "") -> Maintenance:
    """Moves a period along its lifecycle. Done before the planned end gives the place back from now on."""
    policy.ensure(by, "maintenance.manage")
    availability.lock_for_booking([period.room_id])
    period = Maintenance.objects.get(pk=period.pk)
    LIFECYCLE.check(period.status, to)
    before = audit.snapshot(period, FIELDS)
    now = clock.now()
    if to == S.DONE and period.start < now < period.end:
        period.end = now
    if to == S.IN_PROGRESS and period.performed_by_id is None:
        period.performed_by = by
    from_status, period.status = period.status, to
    save_checked(period, by=by)
    MaintenanceStatusChange.objects.create(maintenance=period, at=now, by=by, from_status=from_status,
                                           to_status=to, reason=reason.strip())
    audit.record("maintenance.status", by=by, obj=period, note=reason.strip(),
                 changes=audit.changes_between(before, audit.snapshot(period, FIELDS)))
    return period


def fill(period: Maintenance, data: MaintenanceData) -> None:
    if data.kind not in MaintenanceKind.values:
        raise DomainError(_("Choose a maintenance type."), field="kind")
    if data.start is None or data.end is None:
        raise DomainError(_("Give a start and an end."), field="start")
    if timezone.is_naive(data.start) or timezone.is_naive(data.end):
        raise DomainError(_("Give the times with their time zone."), field="start")
    earliest = availability.midnight(EARLIEST_DATE)
    after_latest = availability.midnight(LATEST_DATE + timedelta(days=1))
    for name in ("start", "end"):
        if not earliest <= getattr(data, name) <= after_latest:
            raise DomainError(out_of_calendar(), field=name)
    if data.end <= data.start:
        raise DomainError(_("The end must be after the start."), field="end")
    if data.end - data.start > timedelta(days=availability.MAX_DAYS):
        raise DomainError(_("A maintenance period lasts at most a year; take the room out of service instead."),
                          field="end")
    if data.bed is not None and data.bed.room_id != data.room.pk:
        raise DomainError(_("Bed %(bed)s is not in room %(room)s.") % {"bed": data.bed.number, "room": data.room.name},
                          field="bed")
    if data.bed is not None and not data.bed.is_active:
        raise DomainError(_("Bed %(bed)s is out of service already.") % {"bed": data.bed.number}, field="bed")
    period.room, period.bed, period.kind = data.room, data.bed, data.kind
    period.start, period.end = data.start, data.end
    period.description, period.performed_by = data.description.strip(), data.performed_by


def check_free(period: Maintenance) -> None:
    """Refuses an overlap with another open period of the same room or bed, or with a guest or patient."""
    overlapping = Maintenance.objects.filter(room=period.room, status__in=BLOCKING_STATUSES,
                                             start__lt=period.end, end__gt=period.start).exclude(pk=period.pk)
    if period.bed_id is not None:
        overlapping = overlapping.filter(Q(bed__isnull=True) | Q(bed=period.bed_id))
    other = overlapping.select_related("bed").order_by("start").first()
    if other is not None:
        place = (_("bed %(bed)s") % {"bed": other.bed.number}) if other.bed_id else _("the whole room")
        raise Conflict(_("Room %(room)s already has %(kind)s planned for %(place)s from %(start)s to %(end)s.")
                       % {"room": period.room.name, "kind": other.get_kind_display().lower(), "place": place,
                          "start": moment(other.start), "end": moment(other.end)},
                       code="maintenance_overlap", field="start")
    first, after = availability.days_touched(period.start, period.end)
    plan = availability.room_plans(first, after, rooms=Room.objects.filter(pk=period.room_id),
                                   include_maintenance=False).get(period.room_id)
    if plan is None:
        return
    removed = frozenset()
    if period.bed_id is not None:
        # Other beds closed at the same time (not merely on the same day) leave fewer places for the guests.
        closed_together = (Maintenance.objects.filter(room=period.room, status__in=BLOCKING_STATUSES,
                                                      start__lt=period.end, end__gt=period.start)
                           .exclude(pk=period.pk).values_list("bed_id", flat=True))
        removed = frozenset({period.bed_id, *closed_together})
    day = availability.first_day_over(plan, first, removed_beds=removed, close_room=period.bed_id is None)
    if day is not None:
        raise Conflict(_("Room %(room)s is occupied on %(day)s; move the guests or patients before closing it.")
                       % {"room": period.room.name, "day": format_date(day)}, code="room_in_use", field="start")


def moment(value: datetime) -> str:
    return format_datetime(value)
