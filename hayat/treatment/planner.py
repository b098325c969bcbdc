"""The treatment timetable in memory, and the greedy planner that places prescribed sessions in it.

No database here: the service (`planning.py`) loads the cabinets, therapists, closed hours and the sessions
already placed, asks this module, and writes what it answers. A day is cut into slots of SLOT_MINUTES; each
cabinet day keeps how many guests each slot holds and a byte per slot that says whether a place is left, each
therapist and guest day a byte per slot that says whether they are free. A window of k free slots is then found
by `bytearray.find` of k ones, so the planner of a full house runs in a few seconds.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, time, timedelta

SLOT_MINUTES = 5
SLOTS = 24 * 60 // SLOT_MINUTES
FREE, TAKEN = 1, 0
NOBODY = -1

# The hours a preferred part of the day means, as [from, until) slots.
DAY_PARTS = {
    "morning": (8 * 60 // SLOT_MINUTES, 12 * 60 // SLOT_MINUTES),
    "afternoon": (12 * 60 // SLOT_MINUTES, 17 * 60 // SLOT_MINUTES),
    "evening": (17 * 60 // SLOT_MINUTES, 21 * 60 // SLOT_MINUTES),
}

# Why a session could not be placed (the service words them for a reader).
NO_CABINET = "no_cabinet"
NO_THERAPIST = "no_therapist"
TOO_SHORT = "too_short"
NO_TIME = "no_time"
# Why a session may not go to a given place and time.
CLOSED = "closed"
CABINET_CLOSED = "cabinet_closed"
CABINET_FULL = "cabinet_full"
WRONG_CABINET = "wrong_cabinet"
THERAPIST_AWAY = "therapist_away"
THERAPIST_BUSY = "therapist_busy"
WRONG_THERAPIST = "wrong_therapist"
GUEST_BUSY = "guest_busy"


def slot_of(moment: time) -> int:
    return (moment.hour * 60 + moment.minute) // SLOT_MINUTES


def slots_for(minutes: int) -> int:
    return max(1, -(-minutes // SLOT_MINUTES))


def time_of(slot: int) -> time:
    minutes = min(slot * SLOT_MINUTES, 24 * 60 - 1)
    return time(minutes // 60, minutes % 60)


def mask(intervals: Iterable[tuple[int, int]], *, value: int = FREE, base: int = TAKEN) -> bytes:
    """A day's bytes: `value` inside the [from, until) slot intervals, `base` elsewhere."""
    day = bytearray([base]) * SLOTS
    for start, end in intervals:
        day[start:end] = bytes([value]) * max(0, end - start)
    return bytes(day)


def weekly(work: dict[int, list[tuple[int, int]]], breaks: dict[int, list[tuple[int, int]]]) -> dict[int, bytes]:
    """Per weekday, the slots a resource works: its working hours less its breaks."""
    days = {}
    for weekday in range(7):
        day = bytearray(mask(work.get(weekday, [])))
        for start, end in breaks.get(weekday, []):
            day[start:end] = bytes(max(0, end - start))
        days[weekday] = bytes(day)
    return days


@dataclass(frozen=True)
class Cabinet:
    id: int
    capacity: int
    buffer_minutes: int
    services: frozenset[int]
    open: dict[int, bytes]  # weekday -> slots the room is open


@dataclass(frozen=True)
class Therapist:
    id: int
    services: frozenset[int]
    open: dict[int, bytes]  # weekday -> slots the therapist works


@dataclass(frozen=True)
class Placed:
    """A session already in the timetable (or just placed): its guest's, room's and therapist's time."""

    patient_id: int
    cabinet_id: int
    therapist_id: int | None
    day: date
    start: int
    end: int  # the session's end slot
    held: int  # the room is held until this slot (the end plus the room's buffer)


@dataclass(frozen=True)
class Need:
    """The sessions of one prescription still to place, between two days (both included)."""

    key: int
    patient_id: int
    service_id: int
    minutes: int
    sessions: int
    first_day: date
    last_day: date
    frequency: str = "daily"  # daily, other (every other day), weekdays
    weekdays: tuple[int, ...] = ()
    day_part: str = "any"
    taken_days: frozenset[date] = frozenset()  # days that hold a session of the prescription already


@dataclass(frozen=True)
class Placement:
    key: int
    placed: Placed


@dataclass(frozen=True)
class Unplaced:
    key: int
    sessions: int
    reason: str


@dataclass
class Plan:
    placements: list[Placement] = field(default_factory=list)
    unplaced: list[Unplaced] = field(default_factory=list)


class Timetable:
    """Who is where when, over any days: cabinets' places, therapists' and guests' free slots."""

    def __init__(self, *, cabinets: Iterable[Cabinet], therapists: Iterable[Therapist],
                 closed: Iterable[tuple[int, int]] = (), placed: Iterable[Placed] = ()):
        self.cabinets = {cabinet.id: cabinet for cabinet in cabinets}
        self.therapists = {therapist.id: therapist for therapist in therapists}
        self.guest_day = mask(closed, value=TAKEN, base=FREE)
        self.counts: dict[tuple[int, date], bytearray] = {}
        self.room_free: dict[tuple[int, date], bytearray] = {}
        self.therapist_free: dict[tuple[int, date], bytearray] = {}
        self.guest_free: dict[tuple[int, date], bytearray] = {}
        for session in placed:
            self.take(session)

    # --- the days of each resource, made when first asked -------------------------------------------------------

    def room(self, cabinet_id: int, day: date) -> bytearray:
        key = (cabinet_id, day)
        if key not in self.room_free:
            cabinet = self.cabinets.get(cabinet_id)
            self.room_free[key] = bytearray(cabinet.open[day.weekday()] if cabinet else bytes(SLOTS))
            self.counts[key] = bytearray(SLOTS)
        return self.room_free[key]

    def therapist(self, therapist_id: int, day: date) -> bytearray:
        key = (therapist_id, day)
        if key not in self.therapist_free:
            therapist = self.therapists.get(therapist_id)
            self.therapist_free[key] = bytearray(therapist.open[day.weekday()] if therapist else bytes(SLOTS))
        return self.therapist_free[key]

    def guest(self, patient_id: int, day: date) -> bytearray:
        key = (patient_id, day)
        if key not in self.guest_free:
            self.guest_free[key] = bytearray(self.guest_day)
        return self.guest_free[key]

    def take(self, session: Placed) -> None:
        free = self.room(session.cabinet_id, session.day)
        counts = self.counts[(session.cabinet_id, session.day)]
        capacity = self.cabinets[session.cabinet_id].capacity if session.cabinet_id in self.cabinets else 1
        for slot in range(session.start, session.held):
            counts[slot] += 1
            if counts[slot] >= capacity:
                free[slot] = TAKEN
        self.guest(session.patient_id, session.day)[session.start:session.end] = bytes(session.end - session.start)
        if session.therapist_id is not None:
            therapist = self.therapist(session.therapist_id, session.day)
            therapist[session.start:session.end] = bytes(session.end - session.start)

    # --- one place and time, checked (a move) -----------------------------------------------------------------------

    def refusal(self, *, session: Placed, service_id: int, needs_therapist: bool) -> str | None:
        """Why the session may not be at its place and time, or None when it may."""
        cabinet = self.cabinets.get(session.cabinet_id)
        if cabinet is None or service_id not in cabinet.services:
            return WRONG_CABINET
        if TAKEN in self.guest_day[session.start:session.end]:
            return CLOSED
        if TAKEN in cabinet.open[session.day.weekday()][session.start:session.held]:
            return CABINET_CLOSED
        if TAKEN in self.room(session.cabinet_id, session.day)[session.start:session.held]:
            return CABINET_FULL
        if TAKEN in self.guest(session.patient_id, session.day)[session.start:session.end]:
            return GUEST_BUSY
        if session.therapist_id is None:
            return NO_THERAPIST if needs_therapist else None
        therapist = self.therapists.get(session.therapist_id)
        if therapist is None or service_id not in therapist.services:
            return WRONG_THERAPIST
        if TAKEN in therapist.open[session.day.weekday()][session.start:session.end]:
            return THERAPIST_AWAY
        if TAKEN in self.therapist(session.therapist_id, session.day)[session.start:session.end]:
            return THERAPIST_BUSY
        return None

    # --- the first free place and time of a day (planning) ---------------------------------------------------------

    def first_fit(self, *, patient_id: int, service_id: int, minutes: int, day: date, window: tuple[int, int],
                  cabinets: list[Cabinet], therapists: list[Therapist] | None) -> Placed | None:
        """The earliest place for the session in [from, until) of the day, in the first cabinet that has one.

        `therapists` None: the service needs none. The search alternates between the room's and the guest's free
        slots (each a C-speed `find`) until both agree, then asks the therapists.
        """
        lo, hi = window
        length = slots_for(minutes)
        guest = self.guest(patient_id, day)
        for cabinet in cabinets:
            held = slots_for(minutes + cabinet.buffer_minutes)
            room = self.room(cabinet.id, day)
            start = lo
            while start + held <= hi:
                start = room.find(ONES[held], start, hi)
                if start < 0:
                    break
                free_for_guest = guest.find(ONES[length], start, hi)
                if free_for_guest < 0:
                    break
                if free_for_guest != start:
                    start = free_for_guest
                    continue
                therapist_id = self.free_therapist(therapists, day, start, start + length)
                if therapist_id == NOBODY:
                    start += 1
                    continue
                return Placed(patient_id, cabinet.id, therapist_id, day, start, start + length, start + held)
        return None

    def free_therapist(self, therapists: list[Therapist] | None, day: date, start: int, end: int) -> int | None:
        """A therapist free for the slots (None when the service needs none), NOBODY when nobody is."""
        if therapists is None:
            return None
        for therapist in therapists:
            if self.therapist(therapist.id, day).find(ONES[end - start], start, end) == start:
                return therapist.id
        return NOBODY


ONES = [bytes([FREE]) * length for length in range(SLOTS + 1)]


def candidate_days(need: Need) -> Iterator[date]:
    """The days the prescription's frequency allows, in order, but those next to a day that holds one of its
    sessions already (one a day; every other day leaves a day between; the planner skips the rest as it places)."""
    gap = 2 if need.frequency == "other" else 1
    day = need.first_day
    while day <= need.last_day:
        near_taken = any(abs((day - taken).days) < gap for taken in need.taken_days)
        if not near_taken and (need.frequency != "weekdays" or day.weekday() in need.weekdays):
            yield day
        day += timedelta(days=1)


def windows(day_part: str) -> list[tuple[int, int]]:
    """The preferred part of the day first, then the whole day."""
    preferred = DAY_PARTS.get(day_part)
    return [preferred, (0, SLOTS)] if preferred else [(0, SLOTS)]


def plan(needs: Iterable[Need], timetable: Timetable, *, earliest: tuple[date, int] | None = None) -> Plan:
    """Places every session of the needs, greedily, and says what could not be placed and why.

    A guest has one session of a prescription a day at most; every other day means a day left free after each
    session (when a day has no room, the next day is tried). Needs whose service fewer rooms give go first.
    `earliest`: no session before this day and slot (now).
    """
    result = Plan()
    by_service = services_index(timetable)
    ordered = sorted(needs, key=lambda need: (len(by_service[0].get(need.service_id, ())), need.key))
    for need in ordered:
        place_need(need, timetable, by_service, earliest, result)
    return result


def services_index(timetable: Timetable) -> tuple[dict[int, list[Cabinet]], dict[int, list[Therapist]]]:
    cabinets: dict[int, list[Cabinet]] = {}
    therapists: dict[int, list[Therapist]] = {}
    for cabinet in timetable.cabinets.values():
        for service_id in cabinet.services:
            cabinets.setdefault(service_id, []).append(cabinet)
    for therapist in timetable.therapists.values():
        for service_id in therapist.services:
            therapists.setdefault(service_id, []).append(therapist)
    return cabinets, therapists


def place_need(need: Need, timetable: Timetable, by_service, earliest: tuple[date, int] | None,
               result: Plan) -> None:
    cabinets = by_service[0].get(need.service_id)
    if not cabinets:
        result.unplaced.append(Unplaced(need.key, need.sessions, NO_CABINET))
        return
    therapists = by_service[1].get(need.service_id)
    left, full_days, skip_until = need.sessions, 0, None
    for day in candidate_days(need):
        if left == 0:
            break
        if (skip_until is not None and day < skip_until) or (earliest is not None and day < earliest[0]):
            continue
        session = first_on_day(need, day, timetable, cabinets, therapists, earliest)
        if session is None:
            full_days += 1
            continue
        timetable.take(session)
        result.placements.append(Placement(need.key, session))
        left -= 1
        if need.frequency == "other":
            skip_until = day + timedelta(days=2)
    if left:
        result.unplaced.append(Unplaced(need.key, left, NO_TIME if full_days else TOO_SHORT))


def first_on_day(need: Need, day: date, timetable: Timetable, cabinets: list[Cabinet],
                 therapists: list[Therapist] | None, earliest: tuple[date, int] | None) -> Placed | None:
    not_before = earliest[1] if earliest is not None and day == earliest[0] else 0
    for lo, hi in windows(need.day_part):
        session = timetable.first_fit(patient_id=need.patient_id, service_id=need.service_id, minutes=need.minutes,
                                      day=day, window=(max(lo, not_before), hi), cabinets=cabinets,
                                      therapists=therapists)
        if session is not None:
            return session
    return None
