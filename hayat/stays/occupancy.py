"""What bookings occupy, for hayat.facilities.availability: every guest line that holds a place."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from hayat.facilities.availability import Span
from hayat.stays.models import GuestLine


def lines_holding(start: date, end: date):
    return GuestLine.objects.filter(holds_place=True, start_date__lt=end, end_date__gt=start)


def occupied(start: date, end: date, *, rooms: Collection[int] | None = None) -> list[Span]:
    """One span per guest line overlapping [start, end), in `rooms` when given: its bed, or one place of its
    room. One query."""
    lines = lines_holding(start, end)
    if rooms is not None:
        lines = lines.filter(room_id__in=list(rooms))
    rows = lines.values_list("room_id", "bed_id", "start_date", "end_date").order_by()
    return [Span(room_id, bed_id, line_start, line_end, 1) for room_id, bed_id, line_start, line_end in rows]
