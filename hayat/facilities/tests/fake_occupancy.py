"""A stand-in for the occupancy providers of higher apps (stays, clinical), for tests of availability."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from hayat.facilities.availability import Span


class FakeOccupancy:
    """Holds spans in memory; counts how often it is asked, as each real provider costs one query, and which
    rooms it was asked about (None: all)."""

    def __init__(self):
        self.spans: list[Span] = []
        self.calls = 0
        self.rooms_asked: list[set[int] | None] = []

    def book(self, room, start: date, end: date, *, guests: int = 1, bed=None) -> Span:
        span = Span(room_id=room.pk, bed_id=getattr(bed, "pk", bed), start=start, end=end, guests=guests)
        self.spans.append(span)
        return span

    def occupied(self, start: date, end: date, *, rooms: Collection[int] | None = None) -> list[Span]:
        self.calls += 1
        self.rooms_asked.append(set(rooms) if rooms is not None else None)
        return [span for span in self.spans if span.start < end and span.end > start
                and (rooms is None or span.room_id in rooms)]
