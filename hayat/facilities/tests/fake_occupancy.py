"""A stand-in for the occupancy providers of higher apps (stays, clinical), for tests of availability."""

from __future__ import annotations

from datetime import date

from hayat.facilities.availability import Span


class FakeOccupancy:
    """Holds spans in memory; counts how often it is asked, as each real provider costs one query."""

    def __init__(self):
        self.spans: list[Span] = []
        self.calls = 0

    def book(self, room, start: date, end: date, *, guests: int = 1, bed=None) -> Span:
        span = Span(room_id=room.pk, bed_id=getattr(bed, "pk", bed), start=start, end=end, guests=guests)
        self.spans.append(span)
        return span

    def occupied(self, start: date, end: date) -> list[Span]:
        self.calls += 1
        return [span for span in self.spans if span.start < end and span.end > start]
