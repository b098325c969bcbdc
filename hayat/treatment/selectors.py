"""Reads of the timetable shared by pages, API and documents: the grids, a day sheet, a stay's schedule."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from hayat.core.models import AuditEvent
from hayat.stays.models import Booking
from hayat.treatment.models import Cabinet, PlannedSession, Prescription, SessionStatus, Therapist

BY_CABINET, BY_THERAPIST = "cabinet", "therapist"
FOLLOWED = "booking.treatment_followed"  # the audit action whose note says what a change of the stay moved
# The day grid's hours and the height of a row.
GRID_FROM, GRID_UNTIL, ROW_MINUTES = time(7, 0), time(21, 0), 15


def sessions() -> QuerySet[PlannedSession]:
    return PlannedSession.objects.select_related("patient", "service", "cabinet", "therapist__user", "booking")


def resources(by: str) -> list[Cabinet] | list[Therapist]:
    if by == BY_THERAPIST:
        return list(Therapist.objects.filter(is_active=True).select_related("user"))
    return list(Cabinet.objects.filter(is_active=True))


def resource_of(session: PlannedSession, by: str) -> int | None:
    return session.therapist_id if by == BY_THERAPIST else session.cabinet_id


@dataclass
class Column:
    resource: Cabinet | Therapist
    sessions: list[PlannedSession] = field(default_factory=list)


@dataclass
class Placed:
    """A session in the day grid: rows are ROW_MINUTES from GRID_FROM; guests sharing a time get lanes."""

    session: PlannedSession
    row: int
    rows: int
    lane: int = 0


@dataclass
class DayGrid:
    day: date
    by: str
    times: list[time]
    columns: list[tuple[Column, list[Placed], int]]

    @property
    def sessions(self) -> list[PlannedSession]:
        return [session for column, _, _ in self.columns for session in column.sessions]


def row_of(moment: time) -> int:
    return ((moment.hour * 60 + moment.minute) - (GRID_FROM.hour * 60)) // ROW_MINUTES


def rows_between(starts: time, ends: time) -> int:
    minutes = (ends.hour * 60 + ends.minute) - (starts.hour * 60 + starts.minute)
    return max(1, -(-minutes // ROW_MINUTES))


def lanes(placed: list[Placed]) -> int:
    """Gives overlapping sessions of a column side-by-side lanes; returns how many lanes the column needs."""
    ends: list[int] = []
    for item in sorted(placed, key=lambda item: (item.row, item.session.pk)):
        for lane, end in enumerate(ends):
            if end <= item.row:
                item.lane, ends[lane] = lane, item.row + item.rows
                break
        else:
            item.lane = len(ends)
            ends.append(item.row + item.rows)
    return max(1, len(ends))


def day_grid(day: date, by: str) -> DayGrid:
    """Every active cabinet (or therapist) as a column of the day's sessions still holding a place: two queries."""
    columns = {resource.pk: Column(resource) for resource in resources(by)}
    for session in sessions().filter(day=day).exclude(status=SessionStatus.CANCELLED):
        column = columns.get(resource_of(session, by))
        if column is not None:
            column.sessions.append(session)
    laid_out = []
    for column in columns.values():
        placed = [Placed(session, max(0, row_of(session.starts)), rows_between(session.starts, session.ends))
                  for session in column.sessions]
        laid_out.append((column, placed, lanes(placed)))
    count = row_of(GRID_UNTIL)
    times = [(datetime.combine(day, GRID_FROM) + timedelta(minutes=ROW_MINUTES * row)).time() for row in range(count)]
    return DayGrid(day, by, times, laid_out)


@dataclass
class WeekGrid:
    days: list[date]
    by: str
    rows: list[tuple[Cabinet | Therapist, list[tuple[date, list[PlannedSession]]]]]

    @property
    def sessions(self) -> list[PlannedSession]:
        return [session for _, cells in self.rows for _, cell in cells for session in cell]


def week_grid(first: date, by: str) -> WeekGrid:
    """Seven days × the resources, each cell a day and the sessions of a resource on it: two queries."""
    days = [first + timedelta(days=offset) for offset in range(7)]
    cells: dict[tuple[int, date], list[PlannedSession]] = defaultdict(list)
    for session in (sessions().filter(day__gte=days[0], day__lte=days[-1])
                    .exclude(status=SessionStatus.CANCELLED)):
        cells[(resource_of(session, by), session.day)].append(session)
    return WeekGrid(days, by, [(resource, [(day, cells[(resource.pk, day)]) for day in days])
                               for resource in resources(by)])


def day_sheet(*, day: date, cabinet: Cabinet | None = None, therapist: Therapist | None = None
              ) -> list[PlannedSession]:
    """Who comes when to a cabinet or a therapist on a day, every status: one query."""
    rows = sessions().filter(day=day)
    rows = rows.filter(cabinet=cabinet) if cabinet is not None else rows.filter(therapist=therapist)
    return list(rows.order_by("starts", "patient__last_name", "id"))


def stay_sessions(booking: Booking) -> list[PlannedSession]:
    return list(sessions().filter(booking=booking).order_by("patient__last_name", "patient_id", "day", "starts"))


def moves(booking: Booking, *, limit: int = 20) -> list[AuditEvent]:
    """The changes of the stay's treatment that followed changes of the stay, newest first (each note says what
    moved)."""
    return list(AuditEvent.objects.filter(action=FOLLOWED, model=booking._meta.label, object_id=str(booking.pk))
                .only("at", "actor", "note").order_by("-at", "-id")[:limit])


def last_moved(booking: Booking) -> AuditEvent | None:
    found = moves(booking, limit=1)
    return found[0] if found else None


def stay_prescriptions(booking: Booking) -> list[Prescription]:
    return list(Prescription.objects.filter(booking=booking).select_related("patient", "service", "prescribed_by")
                .order_by("patient__last_name", "patient_id", "id"))


def timetable(booking: Booking, patient) -> list[tuple[datetime, str, str, str]]:
    """The guest's sessions still planned or given, for the printed treatment schedule: one query."""
    rows = (sessions().filter(booking=booking, patient=patient).exclude(status=SessionStatus.CANCELLED)
            .order_by("day", "starts"))
    return [(timezone.make_aware(datetime.combine(session.day, session.starts)), session.service.name,
             session.cabinet.name, str(session.therapist) if session.therapist_id else "") for session in rows]

