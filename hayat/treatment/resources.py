"""Admin's setup of treatment: cabinets, therapists, their weekly hours and breaks, the hospital's closed hours and
the no-show rule. Every write one use case, audited."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import time

from django.db import transaction
from django.utils.translation import gettext as _

from hayat.catalog.models import Service
from hayat.core import audit, policy
from hayat.core.errors import DomainError
from hayat.treatment.models import (
    MOST_BUFFER,
    MOST_CAPACITY,
    Cabinet,
    ClosedHours,
    Hours,
    HoursKind,
    Therapist,
    TreatmentRules,
)

MANAGE = "treatment.manage"


@dataclass
class CabinetData:
    name: str
    capacity: int = 1
    buffer_minutes: int = 0
    services: list[Service] = field(default_factory=list)
    is_active: bool = True


@dataclass
class TherapistData:
    user: object
    services: list[Service] = field(default_factory=list)
    is_active: bool = True


@dataclass
class HoursData:
    weekday: int
    starts: time
    ends: time
    kind: str = HoursKind.WORK


def check_cabinet(data: CabinetData, *, pk: int | None) -> None:
    name = data.name.strip()
    if not name:
        raise DomainError(_("Give the treatment room a name."), field="name")
    if Cabinet.objects.filter(name__iexact=name).exclude(pk=pk).exists():
        raise DomainError(_("A treatment room named %(name)s exists already.") % {"name": name}, field="name")
    if not 1 <= data.capacity <= MOST_CAPACITY:
        raise DomainError(_("A room takes 1 to %(most)d guests at once.") % {"most": MOST_CAPACITY},
                          field="capacity")
    if not 0 <= data.buffer_minutes <= MOST_BUFFER:
        raise DomainError(_("The buffer is 0 to %(most)d minutes.") % {"most": MOST_BUFFER}, field="buffer_minutes")
    check_services(data.services)


def check_services(services: list[Service]) -> None:
    for service in services:
        if service.charged_by_time:
            raise DomainError(_("%(service)s is charged by time and is not given in sessions.")
                              % {"service": service}, field="services")


@transaction.atomic
def save_cabinet(*, by, data: CabinetData, cabinet: Cabinet | None = None) -> Cabinet:
    policy.ensure(by, MANAGE)
    check_cabinet(data, pk=cabinet.pk if cabinet else None)
    cabinet = cabinet or Cabinet(created_by=by)
    before = audit.snapshot(cabinet, ["name", "capacity", "buffer_minutes", "is_active"]) if cabinet.pk else {}
    cabinet.name, cabinet.capacity = data.name.strip(), data.capacity
    cabinet.buffer_minutes, cabinet.is_active, cabinet.updated_by = data.buffer_minutes, data.is_active, by
    cabinet._history_user = by
    cabinet.save()
    cabinet.services.set(data.services)
    after = audit.snapshot(cabinet, ["name", "capacity", "buffer_minutes", "is_active"])
    audit.record("cabinet.save", by=by, obj=cabinet, changes=audit.changes_between(before, after))
    return cabinet


@transaction.atomic
def save_therapist(*, by, data: TherapistData, therapist: Therapist | None = None) -> Therapist:
    policy.ensure(by, MANAGE)
    if not getattr(data.user, "is_active", False):
        raise DomainError(_("Choose an active member of staff."), field="user")
    if Therapist.objects.filter(user=data.user).exclude(pk=therapist.pk if therapist else None).exists():
        raise DomainError(_("%(user)s is a therapist already.") % {"user": data.user}, field="user")
    check_services(data.services)
    therapist = therapist or Therapist(created_by=by)
    therapist.user, therapist.is_active, therapist.updated_by = data.user, data.is_active, by
    therapist._history_user = by
    therapist.save()
    therapist.services.set(data.services)
    audit.record("therapist.save", by=by, obj=therapist,
                 changes={"user": [None, data.user.pk], "active": [None, data.is_active],
                          "services": [None, sorted(service.pk for service in data.services)]})
    return therapist


def check_hours(data: HoursData) -> None:
    if data.weekday not in range(7):
        raise DomainError(_("Choose a weekday."), field="weekday")
    if data.starts >= data.ends:
        raise DomainError(_("The hours end after they start."), field="ends")
    if data.kind not in HoursKind.values:
        raise DomainError(_("Choose working hours or a break."), field="kind")


@transaction.atomic
def add_hours(*, by, data: HoursData, cabinet: Cabinet | None = None, therapist: Therapist | None = None) -> Hours:
    policy.ensure(by, MANAGE)
    check_hours(data)
    hours = Hours.objects.create(cabinet=cabinet, therapist=therapist, weekday=data.weekday, kind=data.kind,
                                 starts=data.starts, ends=data.ends)
    audit.record("treatment_hours.add", by=by, obj=cabinet or therapist,
                 changes={"weekly_hours": [None, f"{data.kind} {data.weekday} {data.starts:%H:%M}-{data.ends:%H:%M}"]})
    return hours


@transaction.atomic
def remove_hours(*, by, hours: Hours) -> None:
    policy.ensure(by, MANAGE)
    owner = hours.cabinet or hours.therapist
    removed = f"{hours.kind} {hours.weekday} {hours.starts:%H:%M}-{hours.ends:%H:%M}"
    audit.record("treatment_hours.remove", by=by, obj=owner, changes={"weekly_hours": [removed, None]})
    hours.delete()


@transaction.atomic
def add_closed_hours(*, by, name: str, starts: time, ends: time) -> ClosedHours:
    """Hours of every day no procedure is given (quiet hours, a meal)."""
    policy.ensure(by, MANAGE)
    if not name.strip():
        raise DomainError(_("Name the closed hours, e.g. lunch."), field="name")
    if starts >= ends:
        raise DomainError(_("The hours end after they start."), field="ends")
    closed = ClosedHours.objects.create(name=name.strip(), starts=starts, ends=ends)
    audit.record("closed_hours.add", by=by, obj=closed, changes={"hours": [None, str(closed)]})
    return closed


@transaction.atomic
def remove_closed_hours(*, by, closed: ClosedHours) -> None:
    policy.ensure(by, MANAGE)
    audit.record("closed_hours.remove", by=by, obj=closed, changes={"hours": [str(closed), None]})
    closed.delete()


@transaction.atomic
def set_rules(*, by, no_show_uses_session: bool) -> TreatmentRules:
    policy.ensure(by, MANAGE)
    rules = TreatmentRules.current()
    before = rules.no_show_uses_session if rules.pk else None
    rules.no_show_uses_session = no_show_uses_session
    rules.save()
    audit.record("treatment_rules.save", by=by, obj=rules,
                 changes={"no_show_uses_session": [before, no_show_uses_session]})
    return rules
