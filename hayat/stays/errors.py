"""What the booking rules say when they refuse: messages for the person at the desk."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from hayat.core.errors import Conflict, DomainError
from hayat.core.formats import format_date


def day(value: date) -> str:
    return format_date(value)


class NoLongerAvailable(Conflict):
    """A place that was free when the user chose it is taken now (or was never free)."""

    code = "no_longer_available"

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message, field=field)


def room_full(room, start: date, end: date, night: date) -> NoLongerAvailable:
    return NoLongerAvailable(
        _("Room %(room)s is no longer available from %(start)s to %(end)s: it is full on the night of %(night)s.")
        % {"room": room, "start": day(start), "end": day(end), "night": day(night)}
    )


def bed_taken(bed, room, start: date, end: date) -> NoLongerAvailable:
    return NoLongerAvailable(
        _("%(bed)s in room %(room)s is no longer available from %(start)s to %(end)s.")
        % {"bed": bed, "room": room, "start": day(start), "end": day(end)}
    )


def closed_for_maintenance(room, start: date, end: date, what: str) -> NoLongerAvailable:
    return NoLongerAvailable(
        _("Room %(room)s is no longer available from %(start)s to %(end)s: %(what)s.")
        % {"room": room, "start": day(start), "end": day(end), "what": what}
    )


class PatientAlreadyBooked(Conflict):
    code = "patient_overlap"

    def __init__(self, patient, number: str, start: date, end: date):
        super().__init__(
            _("%(patient)s already stays from %(start)s to %(end)s (booking %(number)s); "
              "a patient cannot be in two bookings at once.")
            % {"patient": patient, "number": number, "start": day(start), "end": day(end)},
            field="patient",
        )


class BookingRuleBroken(DomainError):
    code = "booking_rule"
