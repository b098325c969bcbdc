"""The messages each event sends: which kind, to whom, with which values, under which event key.

A key names the source and the occasion ("booking:12:arrival_reminder:2026-12-07:40"), so finding the same
occasion again (a periodic run, a retried use case) queues nothing new, while a changed occasion (new dates, a
longer hold) is a new message.
"""

from __future__ import annotations

from hayat.billing.models import Bill
from hayat.core.formats import format_date, format_datetime, format_money
from hayat.notifications.models import Kind
from hayat.notifications.outbox import Values, queue
from hayat.patients.models import Patient
from hayat.stays.models import Booking

CONFIRMATION_DOCUMENT = "booking-confirmation"


def booking_prefix(booking: Booking, kind: str = "") -> str:
    return f"booking:{booking.pk}:{kind + ':' if kind else ''}"


def guests(booking: Booking) -> list[Patient]:
    """Every patient on the booking (its lines not removed), once each."""
    lines = booking.lines.filter(removed_at__isnull=True).select_related("patient").order_by("pk")
    return list({line.patient_id: line.patient for line in lines}.values())


def booking_values(booking: Booking) -> Values:
    return lambda language: {
        "booking_number": booking.number, "arrival": format_date(booking.start_date, language),
        "departure": format_date(booking.end_date, language),
        "hold_until": format_datetime(booking.hold_until, language) if booking.hold_until else ""}


def to_guests(booking: Booking, *, kind: str, occasion: str = "", attachment: str = "") -> int:
    values = booking_values(booking)
    prefix = booking_prefix(booking, kind) + (f"{occasion}:" if occasion else "")
    return sum(queue(kind=kind, event_key=f"{prefix}{patient.pk}", patient=patient, values=values,
                     attachment=attachment) is not None for patient in guests(booking))


def booking_confirmed(booking: Booking) -> int:
    return to_guests(booking, kind=Kind.BOOKING_CONFIRMED, attachment=f"{CONFIRMATION_DOCUMENT}:{booking.pk}")


def arrival_reminder(booking: Booking) -> int:
    return to_guests(booking, kind=Kind.ARRIVAL_REMINDER, occasion=booking.start_date.isoformat())


def reservation_expiring(booking: Booking) -> int:
    return to_guests(booking, kind=Kind.RESERVATION_EXPIRING, occasion=f"{booking.hold_until:%Y%m%d%H%M}")


def booking_follow_up(booking: Booking) -> int:
    return to_guests(booking, kind=Kind.FOLLOW_UP)


def episode_follow_up(episode) -> int:
    message = queue(kind=Kind.FOLLOW_UP, event_key=f"episode:{episode.pk}:{Kind.FOLLOW_UP}:{episode.patient_id}",
                    patient=episode.patient, values=lambda language: {})
    return int(message is not None)


def payment_reminder(bill: Bill) -> int:
    message = queue(kind=Kind.PAYMENT_REMINDER, event_key=f"bill:{bill.pk}:{Kind.PAYMENT_REMINDER}",
                    patient=bill.patient, values=lambda language: {"bill_number": bill.number,
                                             "balance": format_money(bill.balance, language)})
    return int(message is not None)
