"""Which rooms and beds are free: capacity (active beds) minus maintenance minus occupancy.

Occupancy belongs to higher apps (stays books guests into rooms, clinical assigns beds), which this app may
not import. Each of them offers a module `occupancy.py` with

    def occupied(start: date, end: date, *, rooms: Collection[int] | None = None) -> Iterable[Span]

returning, in one query, every span that overlaps [start, end), only in the rooms with those ids when `rooms`
is given (a provider without the `rooms` keyword is asked for every room and filtered here). A span with a
bed occupies that bed; a span without one occupies `guests` places of the room. Every reader here asks all
providers, so a room is never offered twice whichever app filled it.

Days are nights: a range [start, end) covers the days start ... end - 1. Maintenance is timed; it removes a
room or bed from every day its period touches, in the hospital's time zone.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from hayat.core.discovery import app_modules
from hayat.core.errors import DomainError
from hayat.facilities.models import BLOCKING_STATUSES, Bed, Maintenance, Room, RoomType

MAX_DAYS = 366
HORIZON_DAYS = 3 * 366  # how far ahead a change to a room looks for guests it would leave without a place
Provider = Callable[..., Iterable["Span"]]  # (start, end, *, rooms=None): the spans in `rooms`, or everywhere


@dataclass(frozen=True)
class Span:
    """A room (bed_id None: `guests` places) or one bed, occupied from `start` up to `end` (exclusive)."""

    room_id: int
    bed_id: int | None
    start: date
    end: date
    guests: int = 1


def providers() -> list[Provider]:
    """The `occupied` function of every app that has an occupancy.py (tests replace this list)."""
    return [module.occupied for module in app_modules("occupancy")]


def occupied_spans(start: date, end: date, *, rooms: Collection[int] | None = None) -> list[Span]:
    """Every provider's spans overlapping [start, end), in `rooms` only when given: one query per provider."""
    spans: list[Span] = []
    for provider in providers():
        spans.extend(span for span in provider(start, end, rooms=rooms) if span.start < end and span.end > start)
    return spans


def check_range(start: date, end: date, *, max_days: int = MAX_DAYS) -> int:
    """The number of days in [start, end), or a clear error for an empty, reversed or too long range."""
    if not isinstance(start, date) or not isinstance(end, date):
        raise DomainError(_("Give a start and an end date."), code="invalid_range")
    days = (end - start).days
    if days < 1:
        raise DomainError(_("The end date must be after the start date."), code="invalid_range", field="end")
    if days > max_days:
        raise DomainError(_("Choose at most %(days)s days.") % {"days": max_days}, code="invalid_range", field="end")
    return days


def midnight(day: date) -> datetime:
    """The start of a day in the hospital's time zone."""
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_default_timezone())


def days_touched(start: datetime, end: datetime) -> tuple[date, date]:
    """The first day and the day after the last one that a timed period [start, end) touches."""
    zone = timezone.get_default_timezone()
    first = timezone.localdate(start, zone)
    last = timezone.localdate(end, zone)
    if midnight(last) < end:
        last += timedelta(days=1)
    return first, max(last, first + timedelta(days=1))


@dataclass
class RoomPlan:
    """One room over a range of days: its active beds and, per day, what is closed, taken and by how many."""

    room_id: int
    room_type_id: int
    beds: set[int]
    days: int
    closed: list[bool] = field(init=False)
    unusable_beds: list[set[int] | None] = field(init=False)
    guests: list[int] = field(init=False)

    def __post_init__(self) -> None:
        self.closed = [False] * self.days
        self.unusable_beds = [None] * self.days
        self.guests = [0] * self.days

    def mark_bed(self, index: int, bed_id: int) -> None:
        if self.unusable_beds[index] is None:
            self.unusable_beds[index] = set()
        self.unusable_beds[index].add(bed_id)

    def usable_beds(self, index: int) -> set[int]:
        if self.closed[index]:
            return set()
        unusable = self.unusable_beds[index]
        return self.beds - unusable if unusable else self.beds

    def free_places(self, index: int) -> int:
        if self.closed[index]:
            return 0
        unusable = self.unusable_beds[index]
        usable = len(self.beds - unusable) if unusable else len(self.beds)
        return max(0, usable - self.guests[index])

    def is_untouched(self, index: int) -> bool:
        return not self.closed[index] and not self.unusable_beds[index] and not self.guests[index]

    def min_free_places(self) -> int:
        return min((self.free_places(index) for index in range(self.days)), default=0)

    def free_beds(self) -> set[int]:
        """Beds usable on every day of the range, in a room that keeps a free place on every day."""
        if self.min_free_places() < 1:
            return set()
        free = set(self.beds)
        for index in range(self.days):
            free &= self.usable_beds(index)
        return free


def room_plans(start: date, end: date, *, rooms: QuerySet[Room] | None = None,
               spans: Sequence[Span] | None = None, include_maintenance: bool = True) -> dict[int, RoomPlan]:
    """Plans for every active room (or those of `rooms`) over [start, end): 2 queries plus one per provider."""
    days = check_range(start, end, max_days=HORIZON_DAYS)
    beds = Bed.objects.filter(is_active=True, room__is_active=True)
    if rooms is not None:
        beds = beds.filter(room__in=rooms.values("pk"))
    plans: dict[int, RoomPlan] = {}
    for room_id, room_type_id, bed_id in beds.values_list("room_id", "room__room_type_id", "id").order_by():
        plan = plans.get(room_id)
        if plan is None:
            plan = plans[room_id] = RoomPlan(room_id, room_type_id, set(), days)
        plan.beds.add(bed_id)
    if not plans:
        return plans
    maintenance = Maintenance.objects.filter(status__in=BLOCKING_STATUSES, start__lt=midnight(end),
                                             end__gt=midnight(start))
    if not include_maintenance:
        maintenance = maintenance.none()
    if rooms is not None:
        maintenance = maintenance.filter(room__in=rooms.values("pk"))
    for room_id, bed_id, period_start, period_end in maintenance.values_list("room_id", "bed_id", "start", "end"):
        plan = plans.get(room_id)
        if plan is None:
            continue
        first, after = days_touched(period_start, period_end)
        for index in index_range(start, days, first, after):
            if bed_id is None:
                plan.closed[index] = True
            else:
                plan.mark_bed(index, bed_id)
    if spans is None:
        spans = occupied_spans(start, end, rooms=set(plans) if rooms is not None else None)
    for span in spans:
        plan = plans.get(span.room_id)
        if plan is None:
            continue
        for index in index_range(start, days, span.start, span.end):
            if span.bed_id is not None and span.bed_id in plan.beds:
                plan.mark_bed(index, span.bed_id)
            else:
                # A span on a bed this room no longer counts still holds a person: count it against the room.
                plan.guests[index] += span.guests if span.bed_id is None else 1
    return plans


def first_day_over(plan: RoomPlan, start: date, *, removed_beds: frozenset[int] = frozenset(),
                   close_room: bool = False) -> date | None:
    """The first day on which closing the room, or taking `removed_beds` away, would leave someone without a place."""
    for index in range(plan.days):
        unusable = plan.unusable_beds[index] or set()
        busy = bool(unusable) or plan.guests[index] > 0
        if close_room and busy:
            return start + timedelta(days=index)
        if removed_beds and (unusable & removed_beds or
                             len(plan.beds - removed_beds - unusable) < plan.guests[index]):
            return start + timedelta(days=index)
    return None


def index_range(start: date, days: int, first: date, after: date) -> range:
    return range(max(0, (first - start).days), min(days, (after - start).days))


def free_places(start: date, end: date, *, rooms: QuerySet[Room] | None = None) -> dict[int, int]:
    """{room id: places free on every day of [start, end)} for active rooms."""
    return {room_id: plan.min_free_places() for room_id, plan in room_plans(start, end, rooms=rooms).items()}


def free_rooms(start: date, end: date, *, room_type: RoomType | int | None = None, guests: int = 1,
               rooms: QuerySet[Room] | None = None) -> QuerySet[Room]:
    """Active rooms with at least `guests` places free on every day of [start, end)."""
    places = places_for(start, end, room_type=room_type, guests=guests, rooms=rooms)
    return (Room.objects.filter(pk__in=list(places)).select_related("room_type", "building", "ward")
            .order_by("building__code", "floor", "name"))


def free_room_places(start: date, end: date, *, room_type: RoomType | int | None = None,
                     guests: int = 1) -> list[tuple[Room, int]]:
    """The free rooms as `free_rooms` finds them, each with the places it keeps free on every day."""
    places = places_for(start, end, room_type=room_type, guests=guests)
    rooms = (Room.objects.filter(pk__in=list(places)).select_related("room_type", "building", "ward")
             .order_by("building__code", "floor", "name"))
    return [(room, places[room.pk]) for room in rooms]


def places_for(start: date, end: date, *, room_type: RoomType | int | None, guests: int,
               rooms: QuerySet[Room] | None = None) -> dict[int, int]:
    check_range(start, end)
    if not isinstance(guests, int) or guests < 1:
        raise DomainError(_("The number of guests must be at least 1."), code="invalid", field="guests")
    candidates = Room.objects.filter(is_active=True) if rooms is None else rooms.filter(is_active=True)
    if room_type is not None:
        candidates = candidates.filter(room_type=room_type)
    return {room_id: free for room_id, free in free_places(start, end, rooms=candidates).items() if free >= guests}


def free_beds(start: date, end: date, *, room: Room | int | None = None, room_type: RoomType | int | None = None,
              ward=None, department=None) -> QuerySet[Bed]:
    """Active beds nobody uses and no maintenance blocks on any day of [start, end), in rooms with a free place."""
    check_range(start, end)
    candidates = Room.objects.filter(is_active=True)
    if room is not None:
        candidates = candidates.filter(pk=getattr(room, "pk", room))
    if room_type is not None:
        candidates = candidates.filter(room_type=room_type)
    if ward is not None:
        candidates = candidates.filter(ward=ward)
    if department is not None:
        candidates = candidates.filter(ward__department=department)
    ids = [bed for plan in room_plans(start, end, rooms=candidates).values() for bed in plan.free_beds()]
    return (Bed.objects.filter(pk__in=ids).select_related("room__building", "room__room_type", "room__ward")
            .order_by("room__building__code", "room__floor", "room__name", "number"))


@dataclass(frozen=True)
class Cell:
    day: date
    rooms: int
    places: int
    free_rooms: int
    free_places: int

    @property
    def percent_free(self) -> int:
        return round(100 * self.free_places / self.places) if self.places else 0


@dataclass(frozen=True)
class MatrixRow:
    room_type: RoomType
    cells: list[Cell]


@dataclass(frozen=True)
class AvailabilityMatrix:
    """Per room type and day: rooms and places in service, wholly free rooms and free places."""

    start: date
    end: date
    days: list[date]
    rows: list[MatrixRow]

    @property
    def totals(self) -> list[Cell]:
        return [Cell(day, sum(row.cells[i].rooms for row in self.rows), sum(row.cells[i].places for row in self.rows),
                     sum(row.cells[i].free_rooms for row in self.rows),
                     sum(row.cells[i].free_places for row in self.rows))
                for i, day in enumerate(self.days)]


def availability_matrix(start: date, end: date, *, use: str | None = None) -> AvailabilityMatrix:
    """The room type × day matrix for [start, end) (of the room types with that `use`, or all): 3 queries plus one
    per occupancy provider, whatever the size."""
    days = check_range(start, end)
    plans = room_plans(start, end, rooms=Room.objects.filter(room_type__use=use) if use else None)
    by_type: dict[int, list[RoomPlan]] = {}
    for plan in plans.values():
        by_type.setdefault(plan.room_type_id, []).append(plan)
    rows = []
    for room_type in RoomType.objects.filter(pk__in=list(by_type)).order_by("name"):
        type_plans = by_type[room_type.pk]
        places = sum(len(plan.beds) for plan in type_plans)
        cells = []
        for index in range(days):
            free_rooms_count = free_places_count = 0
            for plan in type_plans:
                if plan.is_untouched(index):
                    free_rooms_count += 1
                    free_places_count += len(plan.beds)
                else:
                    free_places_count += plan.free_places(index)
            cells.append(Cell(start + timedelta(days=index), len(type_plans), places, free_rooms_count,
                              free_places_count))
        rows.append(MatrixRow(room_type, cells))
    return AvailabilityMatrix(start, end, [start + timedelta(days=index) for index in range(days)], rows)


def lock_for_booking(room_ids: Iterable[int]) -> list[Room]:
    """Locks the rooms, in ascending id order so two callers never deadlock, before an overlap check.

    Every use case that fills or closes a room (bookings, bed assignments, maintenance) calls this first,
    inside its transaction; the check and the insert that follow then see no concurrent change.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("lock_for_booking() must run inside a transaction")
    ids = sorted({int(room_id) for room_id in room_ids})
    return list(Room.objects.select_for_update().filter(pk__in=ids).order_by("pk"))


@dataclass(frozen=True)
class RoomDay:
    """What happens in one room on one day, for the room page: closures, beds in use, guests without a bed."""

    closed: bool
    beds_in_maintenance: frozenset[int]
    beds_occupied: frozenset[int]
    guests_without_bed: int
    free_places: int


def room_day(room: Room, day: date) -> RoomDay:
    """One query for maintenance plus one per occupancy provider."""
    after = day + timedelta(days=1)
    closed, in_maintenance = False, set()
    periods = Maintenance.objects.filter(room=room, status__in=BLOCKING_STATUSES, start__lt=midnight(after),
                                         end__gt=midnight(day))
    for bed_id in periods.values_list("bed_id", flat=True):
        if bed_id is None:
            closed = True
        else:
            in_maintenance.add(bed_id)
    occupied, guests = set(), 0
    for span in occupied_spans(day, after, rooms={room.pk}):
        if span.bed_id is None:
            guests += span.guests
        else:
            occupied.add(span.bed_id)
    active = {bed.pk for bed in room.beds.all() if bed.is_active} if room.is_active else set()
    free = 0 if closed else max(0, len(active - in_maintenance - occupied) - guests)
    return RoomDay(closed, frozenset(in_maintenance), frozenset(occupied), guests, free)
