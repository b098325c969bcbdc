"""The clinical app's answer to facilities' availability hook: the beds that bed assignments occupy.

An open assignment holds its bed up to the end of any range asked about (the patient stays until
discharged); an ended one holds it on every day its period touches, in the hospital's time zone.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Q

from hayat.clinical.models import BedAssignment
from hayat.facilities.availability import Span, days_touched, midnight


def occupied(start: date, end: date) -> list[Span]:
    """Every bed assignment overlapping [start, end) as a span on its bed: one query."""
    range_start, range_end = midnight(start), midnight(end)
    rows = (BedAssignment.objects.filter(started_at__lt=range_end)
            .filter(Q(ended_at__isnull=True) | Q(ended_at__gt=range_start))
            .values_list("bed__room_id", "bed_id", "started_at", "ended_at").order_by())
    spans = []
    for room_id, bed_id, started_at, ended_at in rows:
        first, after = days_touched(started_at, ended_at if ended_at is not None else max(range_end, started_at))
        if ended_at is None:
            after = max(after, end)
        spans.append(Span(room_id=room_id, bed_id=bed_id, start=first, end=after))
    return spans
