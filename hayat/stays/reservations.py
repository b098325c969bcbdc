"""Reservations hold their rooms until `hold_until`; a recorded deposit keeps them held until confirmed."""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext as _

from hayat.core import audit, clock, policy
from hayat.core.errors import Conflict, DomainError
from hayat.core.formats import format_date
from hayat.core.transactions import retrying_atomic
from hayat.stays.models import Booking, BookingStatus
from hayat.stays.services import locked, save_booking


def check_reservation(booking: Booking) -> None:
    if booking.status != BookingStatus.RESERVATION:
        raise Conflict(_("%(number)s is %(status)s, not a reservation.")
                       % {"number": booking.number, "status": booking.get_status_display().lower()},
                       code="not_a_reservation")


@retrying_atomic
def record_reservation_deposit(*, by, booking: Booking, note: str = "") -> Booking:
    """Marks the reservation's deposit as paid: it no longer expires. Recording it twice changes nothing."""
    policy.ensure(by, "stays.reservation_deposit")
    booking = locked(booking)
    check_reservation(booking)
    if booking.deposit_recorded_at is not None:
        return booking
    booking.deposit_recorded_at, booking.deposit_note = clock.now(), note.strip()[:200]
    save_booking(booking, by=by, fields=["deposit_recorded_at", "deposit_note"])
    audit.record("booking.deposit", by=by, obj=booking, changes={"deposit_recorded_at": [None, str(clock.now())]},
                 note=booking.deposit_note)
    return booking


@retrying_atomic
def extend_hold(*, by, booking: Booking, until: datetime, reason: str = "") -> Booking:
    """Moves the reservation's expiry; it must lie in the future and before the arrival day ends."""
    policy.ensure(by, "stays.manage")
    booking = locked(booking)
    check_reservation(booking)
    if until <= clock.now():
        raise DomainError(_("The hold must end in the future."), field="until")
    if until.date() > booking.start_date:
        raise DomainError(_("A reservation cannot be held past its arrival day, %(day)s.")
                          % {"day": format_date(booking.start_date)}, field="until")
    before = booking.hold_until
    booking.hold_until = until
    save_booking(booking, by=by, fields=["hold_until"])
    audit.record("booking.hold", by=by, obj=booking, changes={"hold_until": [audit.as_data(before), str(until)]},
                 note=reason.strip())
    return booking
