"""The planner's timetable loaded from the database for a run of days: seven queries, whatever the house holds."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db.models import Prefetch

from hayat.treatment import planner
from hayat.treatment.models import HOLDING, Cabinet, ClosedHours, Hours, HoursKind, PlannedSession, Therapist


def week_of(hours: list[Hours]) -> dict[int, bytes]:
    work, breaks = defaultdict(list), defaultdict(list)
    for item in hours:
        target = work if item.kind == HoursKind.WORK else breaks
        target[item.weekday].append((planner.slot_of(item.starts), planner.slot_of(item.ends)))
    return planner.weekly(work, breaks)


def cabinets() -> list[planner.Cabinet]:
    rows = (Cabinet.objects.filter(is_active=True).order_by("pk")
            .prefetch_related("services", Prefetch("hours", queryset=Hours.objects.order_by("pk"))))
    return [planner.Cabinet(cabinet.pk, cabinet.capacity, cabinet.buffer_minutes,
                            frozenset(service.pk for service in cabinet.services.all() if service.is_active),
                            week_of(list(cabinet.hours.all()))) for cabinet in rows]


def therapists() -> list[planner.Therapist]:
    rows = (Therapist.objects.filter(is_active=True, user__is_active=True).order_by("pk")
            .prefetch_related("services", Prefetch("hours", queryset=Hours.objects.order_by("pk"))))
    return [planner.Therapist(therapist.pk, frozenset(service.pk for service in therapist.services.all()),
                              week_of(list(therapist.hours.all()))) for therapist in rows]


def closed_hours() -> list[tuple[int, int]]:
    return [(planner.slot_of(starts), planner.slot_of(ends))
            for starts, ends in ClosedHours.objects.values_list("starts", "ends")]


def placed(session: PlannedSession | dict) -> planner.Placed:
    values = session if isinstance(session, dict) else session.__dict__
    return planner.Placed(values["patient_id"], values["cabinet_id"], values["therapist_id"], values["day"],
                          planner.slot_of(values["starts"]), planner.slot_of(values["ends"]),
                          planner.slot_of(values["held_until"]))


def load(first: date, last: date, *, leaving_out: int | None = None) -> planner.Timetable:
    """Every active cabinet and therapist with its week, the closed hours and the sessions holding a place between
    the two days (the one `leaving_out` excepted: it is being moved)."""
    sessions = (PlannedSession.objects.filter(day__gte=first, day__lte=last, status__in=HOLDING)
                .exclude(pk=leaving_out).values("patient_id", "cabinet_id", "therapist_id", "day", "starts", "ends",
                                                "held_until"))
    return planner.Timetable(cabinets=cabinets(), therapists=therapists(), closed=closed_hours(),
                             placed=[placed(session) for session in sessions])
