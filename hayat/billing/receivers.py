"""Where billing follows the bookings and episodes: receivers of their status signals.

They run inside the transaction of the status change that sent the signal, so a discharge and its
final bed-time line (and the bill issued with it) commit together or not at all. Connected in
BillingConfig.ready().
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from hayat.billing import bookings, charges, services
from hayat.billing.models import Bill, BillStatus
from hayat.core import clock
from hayat.core.errors import Conflict

# Episode statuses at which the hospital bill opens (coding done, bed assigned or outpatient visit).
EPISODE_OPENS = frozenset({"admitted", "outpatient"})
EPISODE_DISCHARGED = "discharged"
# Booking statuses at which the stay's bill opens.
BOOKING_OPENS = frozenset({"confirmed", "checked_in"})
BOOKING_NO_SHOW = "no_show"
# A cancellation charges its fee and asks for its refund (hayat.billing.bookings).
BOOKING_CANCELLED = "cancelled"
# Booking statuses of a check-out: the guests have left (on the planned day, or early).
BOOKING_CHECKED_OUT = frozenset({"completed", "discharged"})


def on_episode_status_changed(sender, *, episode, from_status, to_status, by=None, **kwargs) -> None:
    """Opens the bill on admission; on every later change writes bed time up to now.

    At discharge the assignment has ended, so its line gets its final quantity and stops growing, and the
    bill is finalised: invoiced, for the teller to settle.
    """
    if to_status in EPISODE_OPENS or to_status == EPISODE_DISCHARGED:
        bill = services.bill_for(episode=episode, by=by)
    else:
        bill = Bill.objects.filter(episode=episode).first()
        if bill is None:
            return
    bill = services.locked(bill)
    if to_status == EPISODE_DISCHARGED:
        services.finalise(bill, by=by, reason=_("Finalised at discharge"))
    else:
        services.refresh(bill, by=by)


def on_booking_status_changed(sender, *, booking, from_status, to_status, by=None, **kwargs) -> None:
    """Opens the stay's bills (one per payer) at confirmation or check-in, keeps their lines in step afterwards,
    finalises them at check-out, and voids them when a booking is cancelled or a no-show before anything was
    invoiced or paid; a cancellation also charges its fee and asks for its refund. A booking's deposits go onto
    its bills (hayat.billing.bookings.apply_booking_deposits)."""
    if to_status == BOOKING_CANCELLED:
        bookings.settle_cancellation(booking, by=by)
        return
    if to_status in BOOKING_OPENS:
        services.bill_for(booking=booking, by=by)
    elif not Bill.objects.filter(booking=booking).exists():
        return
    for bill in services.booking_bills(booking, by=by):
        if to_status in BOOKING_CHECKED_OUT:
            services.finalise(bill, by=by, reason=_("Finalised at check-out"))
            continue
        services.refresh(bill, by=by)
        if to_status == BOOKING_NO_SHOW:
            services.void_unpaid(bill, by=by, reason=_("The booking was cancelled or marked a no-show."))
    if to_status in BOOKING_OPENS:
        bookings.apply_booking_deposits(booking, by=by)


def on_booking_charges_changed(sender, *, booking, by=None, **kwargs) -> None:
    """Brings the stay's bills up to date when a service was used, a guest came or went, or changed room or
    tariff mid-stay: a new guest goes on their payer's bill."""
    if not Bill.objects.filter(booking=booking).exists():
        return
    for bill in services.booking_bills(booking, by=by):
        services.refresh(bill, by=by)


def on_service_usage_undone(sender, *, booking, usage, by=None, **kwargs) -> None:
    """Refuses to undo a billed service once the stay's bill is paid or void: the teller corrects it then."""
    if not usage.billable:
        return
    bill = Bill.objects.filter(booking=booking, items__source_key=f"{charges.USAGE}:{usage.pk}").first()
    if bill is not None and bill.status in {BillStatus.PAID, BillStatus.VOID}:
        raise Conflict(_("Bill %(number)s is %(status)s: %(service)s can no longer be undone here; ask the teller "
                         "to correct the bill.") % {"number": bill.number, "status": bill.get_status_display().lower(),
                                                    "service": usage.service}, code="bill_closed")


def on_timed_use_undone(sender, *, episode, use, by=None, **kwargs) -> None:
    """Corrects the line of a time-charged service whose start was undone; refuses once the episode's bill is
    paid or void: the teller corrects it then."""
    bill = Bill.objects.filter(episode=episode).first()
    if bill is None:
        return
    bill = services.locked(bill)
    if bill.status in {BillStatus.PAID, BillStatus.VOID}:
        raise Conflict(_("Bill %(number)s is %(status)s: %(service)s can no longer be undone here; ask the teller "
                         "to correct the bill.") % {"number": bill.number, "status": bill.get_status_display().lower(),
                                                    "service": use.service}, code="bill_closed")
    if charges.correct_undone_use(bill, use, at=clock.now()) is not None:
        services.recompute(bill, by=by, reason=_("Item corrected"))
