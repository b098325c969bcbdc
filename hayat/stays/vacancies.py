"""When a cancellation, no-show, expiry or early departure frees places, the first matching waitlist entries are
offered them.

A step of the change that freed the places (in its transaction, under its room locks); the messages to the patients
are queued by hayat.notifications in that transaction and leave after it. The cost does not grow with the waitlist:
one query for the candidates, then the availability of their whole window at once (a few queries), matched against
each entry in memory.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q

from hayat.core import clock
from hayat.facilities import availability
from hayat.facilities.availability import RoomPlan
from hayat.stays.models import GuestLine, WaitlistEntry, WaitlistStatus
from hayat.stays.signals import waitlist_place_offered

CANDIDATES = 20


@dataclass(frozen=True)
class Freed:
    """One place given back: in a room of `room_type_id`, for the nights [start, end)."""

    room_type_id: int
    start: date
    end: date


def freed_by(lines: Iterable[GuestLine]) -> list[Freed]:
    """The places these lines held over their whole periods (lines with `room` loaded)."""
    return [Freed(line.room.room_type_id, line.start_date, line.end_date) for line in lines]


def offer_freed_places(freed: list[Freed]) -> list[WaitlistEntry]:
    """Offers the freed places to waiting entries of overlapping dates and matching room type, first by priority
    then by waiting time, as long as one room still has places for all of an entry's guests on each of its nights;
    at most one entry per freed place, and two entries are never offered the same place."""
    today = clock.today()
    freed = [place for place in freed if place.end > today]
    if not freed:
        return []
    start, end = max(min(place.start for place in freed), today), max(place.end for place in freed)
    room_types = {place.room_type_id for place in freed}
    # Locked, so that places freed at the same moment by another change wait for this offer and go to the next
    # entries; the patients are read apart, so that their rows are not locked with the entries.
    entries = list(WaitlistEntry.objects.select_for_update()
                   .filter(status=WaitlistStatus.WAITING, start_date__gte=today, start_date__lt=end, end_date__gt=start)
                   .filter(Q(room_type__isnull=True) | Q(room_type_id__in=room_types))
                   .prefetch_related("patient").order_by("priority", "created_at", "pk")[:CANDIDATES])
    if not entries:
        return []
    window_start = min(entry.start_date for entry in entries)
    window_end = min(max(entry.end_date for entry in entries),
                     window_start + timedelta(days=availability.HORIZON_DAYS))
    plans = sorted(availability.room_plans(window_start, window_end).values(), key=lambda plan: plan.room_id)
    offered = []
    for entry in entries:
        if len(offered) >= len(freed):
            break
        if entry.end_date <= window_end and take_room(plans, entry, window_start) is not None:
            offer(entry)
            offered.append(entry)
    return offered


def take_room(plans: list[RoomPlan], entry: WaitlistEntry, window_start: date) -> RoomPlan | None:
    """The first room of the entry's type (any type when none) with places for all its guests on every night,
    with those places then counted as taken; None when no room has them."""
    for plan in plans:
        if entry.room_type_id not in (None, plan.room_type_id):
            continue
        nights = availability.index_range(window_start, plan.days, entry.start_date, entry.end_date)
        if all(plan.free_places(index) >= entry.guests for index in nights):
            for index in nights:
                plan.guests[index] += entry.guests
            return plan
    return None


def offer(entry: WaitlistEntry) -> None:
    """Offers the place by a message to the patient (queued by the messages app, which listens); a patient who
    gets no message (no mobile nor e-mail, or no messages wanted) is marked for the desk to call instead."""
    entry.notified_at = clock.now()
    answers = waitlist_place_offered.send(sender=WaitlistEntry, entry=entry)
    entry.status = WaitlistStatus.NOTIFIED if any(queued for _, queued in answers) else WaitlistStatus.TO_CALL
    entry.save(update_fields=["status", "notified_at", "updated_at"])
