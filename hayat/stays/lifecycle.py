"""The booking lifecycle: the one table of allowed status changes and the one function that makes them."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from hayat.core import audit, clock
from hayat.core.lifecycle import IllegalTransition, Lifecycle
from hayat.stays import vacancies
from hayat.stays.models import RELEASED, Booking, BookingStatus, BookingStatusChange
from hayat.stays.signals import booking_status_changed

S = BookingStatus

ALLOWED: dict[str, set[str]] = {
    S.RESERVATION: {S.PENDING, S.CONFIRMED, S.CANCELLED, S.EXPIRED},
    S.PENDING: {S.CONFIRMED, S.CANCELLED},
    S.CONFIRMED: {S.PENDING, S.CHECKED_IN, S.CANCELLED, S.NO_SHOW},
    S.CHECKED_IN: {S.IN_PROGRESS, S.COMPLETED, S.DISCHARGED},
    S.IN_PROGRESS: {S.COMPLETED, S.DISCHARGED},
    S.COMPLETED: set(),
    S.DISCHARGED: set(),
    S.CANCELLED: set(),
    S.NO_SHOW: set(),
    S.EXPIRED: set(),
}

BOOKING = Lifecycle(_("booking"), ALLOWED, dict(BookingStatus.choices))

# Statuses a booking may be created in.
INITIAL = (S.RESERVATION, S.PENDING, S.CONFIRMED)

# Targets reachable with a plain "change status" action (web button or API). The others need their own
# use case: cancelling asks for a reason and a refund; check-in fills in a form; the first session or service
# recorded starts the treatment (in_progress); check-out completes the stay, or discharges the guests when they
# leave before the planned departure (with a reason).
SIMPLE_TARGETS = frozenset({S.PENDING, S.CONFIRMED, S.NO_SHOW})


def simple_targets(status: str) -> list[str]:
    """The plain status changes open to a booking now, in the order of the lifecycle."""
    allowed = BOOKING.allowed_from(status)
    return [value for value in BookingStatus.values if value in allowed and value in SIMPLE_TARGETS]


def can_cancel(status: str) -> bool:
    return S.CANCELLED in BOOKING.allowed_from(status)


def transition(booking: Booking, *, to: str, by: Any, reason: str = "") -> BookingStatusChange:
    """Moves `booking` (locked by the caller) to status `to` if the table allows it.

    Writes the history row and the audit event, releases the places of a cancelled or no-show booking,
    and sends `booking_status_changed`, all in the caller's transaction.
    """
    before = booking.status
    BOOKING.check(before, to)
    return record(booking, before=before, to=to, by=by, reason=reason)


def start(booking: Booking, *, by: Any, reason: str = "") -> BookingStatusChange:
    """Writes the first history row of a booking just created in one of the INITIAL statuses."""
    if booking.status not in INITIAL:
        raise IllegalTransition(_("A booking cannot start as %(status)s.")
                                % {"status": BOOKING.labels.get(booking.status, booking.status)})
    if booking.status == S.RESERVATION and booking.hold_until is None:
        booking.hold_until = clock.now() + timedelta(hours=settings.HAYAT_RESERVATION_HOLD_HOURS)
        booking.save(update_fields=["hold_until"])
    return record(booking, before="", to=booking.status, by=by, reason=reason)


def record(booking: Booking, *, before: str, to: str, by: Any, reason: str) -> BookingStatusChange:
    if before:
        booking.status = to
        booking.updated_by = by if getattr(by, "pk", None) else None
        booking.save(update_fields=["status", "updated_by", "updated_at"])
    if to in RELEASED:
        lines = list(booking.lines.filter(holds_place=True).select_related("room"))
        for line in lines:
            line.holds_place = False
            line.save(update_fields=["holds_place", "updated_at"])
        vacancies.offer_freed_places(vacancies.freed_by(lines))
    change = BookingStatusChange.objects.create(
        booking=booking, at=clock.now(), by=by if getattr(by, "pk", None) else None,
        from_status=before, to_status=to, reason=reason.strip(),
    )
    audit.record("booking.status", by=by, obj=booking, changes={"status": [before or None, to]},
                 note=reason.strip())
    booking_status_changed.send(sender=Booking, booking=booking, from_status=before, to_status=to, by=by)
    return change
