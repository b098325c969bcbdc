"""The booking calendar: rooms × days, one bar per booking and run of days in a room, stacked in lanes where
bookings share a room.

A guest who changes room mid-stay shows as two bars, one per room; a bar is identified by its booking, its
room and the day it begins, which is what a drag and drop sends back (see services.move_booking).
The page shows ROOMS_PER_PAGE rooms at a time: the rooms outside the wards, and a ward's room only when a
booking holds it in the window (ward beds are followed on the clinical bed board). Five queries whatever the
window and the number of rooms: the rooms counted, the page of rooms, the guest lines of those rooms in the
window, their bookings, their maintenance in the window.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import NamedTuple, TypeVar

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet

from hayat.facilities import availability
from hayat.facilities.models import BLOCKING_STATUSES, Maintenance, Room, RoomType
from hayat.patients.models import full_name
from hayat.stays.models import Booking, GuestLine

MAX_DAYS = 62
ROOMS_PER_PAGE = 40
# What a bar shows of its guests: the guest lines are read as rows of these columns, not as models (a page holds a
# few hundred). Bookings come in a query of their own, by key: joined, the planner hashed every booking of the
# hospital's history for a page of rooms.
LINE_COLUMNS = ("booking_id", "room_id", "start_date", "end_date", "patient_id", "patient__last_name",
                "patient__first_name", "patient__middle_name")


class Line(NamedTuple):
    """A guest's days in a room, as a bar needs them."""

    booking_id: int
    room_id: int
    start_date: date
    end_date: date
    patient_id: int
    guest: str


@dataclass
class Bar:
    """A booking's guests in one room (or a maintenance period), clipped to the window."""

    room_id: int
    start: date
    end: date
    first_column: int
    columns: int
    label: str
    status: str
    booking: Booking | None = None
    guests: list[str] = field(default_factory=list)
    patient_ids: list[int] = field(default_factory=list)
    starts_before: bool = False
    ends_after: bool = False
    lane: int = 0

    @property
    def is_maintenance(self) -> bool:
        return self.booking is None

    @property
    def text(self) -> str:
        return " · ".join([self.label, *self.guests])


@dataclass
class Row:
    room: Room
    bars: list[Bar] = field(default_factory=list)
    lanes: int = 1


@dataclass
class Group:
    room_type: RoomType
    rows: list[Row]


@dataclass
class Calendar:
    start: date
    days: list[date]
    groups: list[Group]
    today: date
    rooms: Page | None = None

    @property
    def end(self) -> date:
        return self.start + timedelta(days=len(self.days))

    def bars(self) -> list[Bar]:
        return [bar for group in self.groups for row in group.rows for bar in row.bars]

    @property
    def previous_start(self) -> date:
        return self.start - timedelta(days=len(self.days))

    @property
    def next_start(self) -> date:
        return self.end


def calendar(*, start: date, days: int = 14, room_type: int | None = None, today: date, page: int = 1) -> Calendar:
    days = max(1, min(days, MAX_DAYS))
    end = start + timedelta(days=days)
    room_page = Paginator(shown_rooms(start, end, room_type), ROOMS_PER_PAGE).get_page(page)
    rows = {room.pk: Row(room) for room in room_page.object_list}
    grouped: dict[tuple[int, int], list[Line]] = {}
    for line in guest_lines(list(rows), start, end):
        grouped.setdefault((line.booking_id, line.room_id), []).append(line)
    bookings = Booking.objects.only("number", "status").in_bulk({booking_id for booking_id, _room in grouped})
    for (booking_id, room_id), room_lines in grouped.items():
        booking = bookings[booking_id]
        for run in runs(room_lines):
            first, last = run[0].start_date, max(line.end_date for line in run)
            names = sorted({line.guest for line in run})
            rows[room_id].bars.append(bar(room_id, first, last, start, end, label=booking.number,
                                          status=booking.status, booking=booking, guests=names,
                                          patient_ids=sorted({line.patient_id for line in run})))
    periods = Maintenance.objects.filter(room_id__in=list(rows), status__in=BLOCKING_STATUSES,
                                         start__lt=availability.midnight(end), end__gt=availability.midnight(start))
    for period in periods.order_by("start"):
        first, after = availability.days_touched(period.start, period.end)
        rows[period.room_id].bars.append(bar(period.room_id, first, after, start, end,
                                             label=period.get_kind_display(), status="maintenance"))
    for row in rows.values():
        row.lanes = stack(row.bars)
    groups: dict[int, Group] = {}
    for row in rows.values():
        group = groups.get(row.room.room_type_id)
        if group is None:
            group = groups[row.room.room_type_id] = Group(row.room.room_type, [])
        group.rows.append(row)
    return Calendar(start, [start + timedelta(days=index) for index in range(days)], list(groups.values()), today,
                    room_page)


def guest_lines(room_ids: list[int], start: date, end: date) -> list[Line]:
    rows = (GuestLine.objects.filter(holds_place=True, room_id__in=room_ids, start_date__lt=end, end_date__gt=start)
            .order_by("booking_id", "room_id", "start_date").values_list(*LINE_COLUMNS))
    return [Line(booking_id, room_id, first, after, patient_id, full_name(last_name, first_name, middle_name))
            for booking_id, room_id, first, after, patient_id, last_name, first_name, middle_name in rows]


def shown_rooms(start: date, end: date, room_type: int | None) -> QuerySet[Room]:
    """Active rooms outside the wards, and the ward rooms a booking holds in the window, in the calendar's order."""
    held = GuestLine.objects.filter(room__ward__isnull=False, holds_place=True, start_date__lt=end,
                                    end_date__gt=start).values("room_id")
    rooms = Room.objects.filter(Q(ward__isnull=True) | Q(pk__in=held), is_active=True)
    if room_type:
        rooms = rooms.filter(room_type_id=room_type)
    return rooms.select_related("building", "room_type").order_by("room_type__name", "building__code", "floor",
                                                                   "name", "pk")


Days = TypeVar("Days", Line, GuestLine)


def runs(lines: Iterable[Days]) -> list[list[Days]]:
    """The lines of one booking in one room (the calendar's rows, or the models a move changes), gathered into runs
    of days without a gap, earliest first."""
    result: list[list[Days]] = []
    end = None
    for line in sorted(lines, key=lambda line: (line.start_date, line.end_date)):
        if result and line.start_date <= end:
            result[-1].append(line)
            end = max(end, line.end_date)
        else:
            result.append([line])
            end = line.end_date
    return result


def bar(room_id: int, first: date, after: date, start: date, end: date, **details) -> Bar:
    clipped_start, clipped_end = max(first, start), min(after, end)
    return Bar(room_id, first, after, (clipped_start - start).days + 1, max(1, (clipped_end - clipped_start).days),
               starts_before=first < start, ends_after=after > end, **details)


def stack(bars: list[Bar]) -> int:
    """Puts overlapping bars in separate lanes (first free lane, by start); returns the number of lanes."""
    lane_ends: list[date] = []
    for item in sorted(bars, key=lambda item: (item.start, item.end)):
        for index, lane_end in enumerate(lane_ends):
            if lane_end <= item.start:
                item.lane, lane_ends[index] = index, item.end
                break
        else:
            item.lane = len(lane_ends)
            lane_ends.append(item.end)
    return max(1, len(lane_ends))
