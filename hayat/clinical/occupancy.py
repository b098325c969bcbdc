"""The clinical app's answer to facilities' availability hook: the beds that bed assignments occupy.

An open assignment holds its bed up to the end of any range asked about (the patient stays until
discharged); an ended one holds it on every day its period touches, in the hospital's time zone.
For choosing a bed now, `held_now` counts only the open assignments: a bed left by a transfer or a
discharge this morning takes the next patient at once.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from django.db.models import Q, QuerySet

from hayat.clinical.models import BedAssignment
from hayat.facilities import availability
from hayat.facilities.availability import Provider, Span, days_touched, midnight


def occupied(start: date, end: date, *, rooms: Collection[int] | None = None) -> list[Span]:
    """Every bed assignment overlapping [start, end) as a span on its bed, in `rooms` when given: one query."""
    range_start, range_end = midnight(start), midnight(end)
    return spans(BedAssignment.objects.filter(started_at__lt=range_end)
                 .filter(Q(ended_at__isnull=True) | Q(ended_at__gt=range_start)), start, end, rooms)


def held_now(start: date, end: date, *, rooms: Collection[int] | None = None) -> list[Span]:
    """The open assignments only, as spans over [start, end): one query."""
    return spans(BedAssignment.objects.filter(ended_at__isnull=True, started_at__lt=midnight(end)), start, end,
                 rooms)


def other_providers() -> list[Provider]:
    """The occupancy providers of the other apps (sanatorium stays)."""
    return [provider for provider in availability.providers() if getattr(provider, "__module__", "") != __name__]


def spans(assignments: QuerySet[BedAssignment], start: date, end: date, rooms: Collection[int] | None
          ) -> list[Span]:
    if rooms is not None:
        assignments = assignments.filter(bed__room_id__in=list(rooms))
    range_end = midnight(end)
    rows = assignments.values_list("bed__room_id", "bed_id", "started_at", "ended_at").order_by()
    found = []
    for room_id, bed_id, started_at, ended_at in rows:
        first, after = days_touched(started_at, ended_at if ended_at is not None else max(range_end, started_at))
        if ended_at is None:
            after = max(after, end)
        found.append(Span(room_id=room_id, bed_id=bed_id, start=first, end=after))
    return found
