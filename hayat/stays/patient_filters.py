"""Booking-based filters lent to patient search (see hayat.patients.hooks): active stay, visits, booking number."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet

from hayat.stays.models import IN_HOUSE, STAYED, GuestLine


def with_active_stay(*, on: date) -> QuerySet:
    """Patients in the house on the day: their booking is checked in and their line covers the night."""
    return (GuestLine.objects.filter(holds_place=True, booking__status__in=IN_HOUSE, start_date__lte=on,
                                     end_date__gt=on).values("patient_id"))


def visited_between(*, start: date | None, end: date | None) -> QuerySet:
    """Patients who stayed (checked in, at least) on any day from start to end, both included."""
    lines = GuestLine.objects.filter(holds_place=True, booking__status__in=STAYED)
    if start is not None:
        lines = lines.filter(end_date__gt=start)
    if end is not None:
        lines = lines.filter(start_date__lte=end)
    return lines.values("patient_id")


def matching_number(*, text: str) -> QuerySet:
    """Guests of the booking whose number is `text` (any letter case)."""
    return GuestLine.objects.filter(booking__number__iexact=text.strip()).values("patient_id")
