"""Money of a booking: deposits taken for it, applied to its bills once they exist (docs/adr/0012), and what its
cancellation charges and gives back.

What came in for a booking is its deposits plus the payments on its bill, less what went back (refunds of
those deposits or of that bill). A cancellation never offers back more than that, less the cancellation
fee, which is charged on the booking's bill as an item. Lock order, as in every billing use case: the
booking, the patient, the bill, the number sequence.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q, Sum
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from hayat.billing import charges, selectors, services
from hayat.billing.models import (
    ZERO,
    Bill,
    BillGuest,
    BillItem,
    BillStatus,
    DepositApplication,
    ItemKind,
    Payment,
    PaymentKind,
    PaymentMethod,
    RefundRequest,
    RefundStatus,
)
from hayat.billing.payments import check_method, lock_patient, write_deposit
from hayat.core import audit, clock, policy
from hayat.core.errors import Conflict, DomainError
from hayat.core.money import format_money, round_money
from hayat.core.transactions import retrying_atomic
from hayat.stays import services as stays_services
from hayat.stays.models import FINISHED, Booking, BookingStatus
from hayat.stays.reservations import record_reservation_deposit

HUNDRED = Decimal(100)
FEE_KEY = "cancellation-fee"


# --- settings ---------------------------------------------------------------------------------------------


def minimum_deposit(booking: Booking) -> Decimal:
    """HAYAT_MINIMUM_DEPOSIT: an amount ("200000") or a share of the stay's price ("30%"); "0" for none."""
    raw = str(getattr(settings, "HAYAT_MINIMUM_DEPOSIT", "0")).strip() or "0"
    try:
        if raw.endswith("%"):
            return round_money(booking.total * Decimal(raw[:-1]) / HUNDRED)
        return round_money(Decimal(raw))
    except ArithmeticError as error:
        raise ImproperlyConfigured(f"HAYAT_MINIMUM_DEPOSIT must be an amount or a percentage, not {raw!r}") from error


def fee_table() -> list[tuple[int, Decimal]]:
    """HAYAT_CANCELLATION_FEES as [(days before arrival, percent)], most days first.

    "14:0,7:20,0:50": cancelled 14 or more days before arrival costs nothing, 7 to 13 days 20 % of the stay's
    price, later 50 %. Empty: cancelling is free.
    """
    raw = str(getattr(settings, "HAYAT_CANCELLATION_FEES", "")).strip()
    table = []
    for part in filter(None, (piece.strip() for piece in raw.split(","))):
        try:
            days, percent = part.split(":")
            table.append((int(days), Decimal(percent)))
        except (ValueError, ArithmeticError) as error:
            raise ImproperlyConfigured(f"HAYAT_CANCELLATION_FEES: {part!r} is not days:percent") from error
    return sorted(table, reverse=True)


def cancellation_fee(booking: Booking, *, on: date) -> Decimal:
    """The fee for cancelling `booking` on day `on`: the row of the fee table for the days left before arrival."""
    days_left = (booking.start_date - on).days
    for days, percent in fee_table():
        if days_left >= days:
            return round_money(booking.total * percent / HUNDRED)
    return ZERO


# --- what came in and what may go back --------------------------------------------------------------------


def waiting_refunds(booking_id: int) -> Decimal:
    """Refunds asked for this booking (or its bill) that an Admin has not decided yet."""
    total = RefundRequest.objects.filter(Q(booking_id=booking_id) | Q(bill__booking_id=booking_id),
                                         status=RefundStatus.REQUESTED).aggregate(total=Sum("amount"))["total"]
    return total or ZERO


@dataclass(frozen=True)
class RefundOffer:
    """What a cancellation may give back today: what came in, less the fee and refunds already asked for."""

    paid: Decimal
    fee: Decimal
    waiting: Decimal

    @property
    def most(self) -> Decimal:
        return max(self.paid - self.fee - self.waiting, ZERO)


def refund_offer(booking: Booking, *, on: date | None = None) -> RefundOffer:
    return RefundOffer(paid=selectors.paid_for(booking.pk), fee=cancellation_fee(booking, on=on or clock.today()),
                       waiting=waiting_refunds(booking.pk))


# --- deposits ---------------------------------------------------------------------------------------------


@retrying_atomic
def take_booking_deposit(*, by: Any, booking: Booking, amount: Any, method: str = PaymentMethod.CASH,
                         note: str = "") -> Payment:
    """Takes a deposit for a booking from its payer, with its receipt.

    A reservation stops expiring; a booking whose bill exists has the deposit applied to it at once. The
    deposits of a booking reach at least the configured minimum (HAYAT_MINIMUM_DEPOSIT).
    """
    policy.ensure(by, "billing.take_payment")
    amount = services.clean_amount(amount)
    check_method(method)
    booking = stays_services.locked(booking)
    if booking.status in FINISHED:
        raise Conflict(_("%(number)s is %(status)s: no deposit can be taken for it.")
                       % {"number": booking.number, "status": booking.get_status_display().lower()},
                       code="booking_finished")
    patient_id = charges.payer_of(booking=booking)
    if patient_id is None:
        raise DomainError(_("This booking has no guest to bill."), code="no_guest")
    lock_patient(patient_id)
    minimum = minimum_deposit(booking)
    if selectors.paid_for(booking.pk) + amount < minimum:
        raise DomainError(_("The deposit for this booking is at least %(minimum)s.")
                          % {"minimum": format_money(minimum)}, code="below_minimum", field="amount")
    deposit = write_deposit(by=by, patient_id=patient_id, amount=amount, method=method, at=clock.now(),
                            note=note or _("Deposit for %(number)s") % {"number": booking.number}, booking=booking)
    if booking.status == BookingStatus.RESERVATION:
        record_reservation_deposit(by=by, booking=booking, note=f"{deposit.number} · {format_money(amount)}")
    apply_booking_deposits(booking, by=by)
    return deposit


def deposits_left(booking_id: int) -> dict[int, Decimal]:
    """{patient who paid: what is left of their deposits for the booking}: taken, less given back, less applied to
    bills (two queries); only those with something left, in the order of the patients' ids."""
    money = (Payment.objects.filter(booking_id=booking_id, bill__isnull=True).values("patient_id")
             .annotate(taken=Sum("amount", filter=Q(kind=PaymentKind.DEPOSIT)),
                       refunded=Sum("amount", filter=Q(kind=PaymentKind.REFUND))).order_by("patient_id"))
    applied = dict(DepositApplication.objects.filter(booking_id=booking_id).values_list("patient_id")
                   .annotate(total=Sum("amount")).order_by())
    left = {row["patient_id"]: round_money((row["taken"] or ZERO) - (row["refunded"] or ZERO)
                                           - (applied.get(row["patient_id"]) or ZERO)) for row in money}
    return {patient_id: amount for patient_id, amount in left.items() if amount > 0}


def bills_for_deposit(booking: Booking, *, payer_id: int) -> list[Bill]:
    """The booking's bills a deposit of `payer_id` pays, in order (docs/adr/0012): first the bill the payer is billed
    on, then the other guests' bills, first opened first; never a void bill nor an organisation's invoice.
    The bills are locked."""
    own = BillGuest.objects.filter(booking=booking, patient_id=payer_id).values_list("bill_id", flat=True).first()
    bills = (Bill.objects.select_for_update().filter(booking=booking, organisation__isnull=True)
             .exclude(status=BillStatus.VOID).order_by("id"))
    return sorted(bills, key=lambda bill: bill.pk != own)


def apply_booking_deposits(booking: Booking, *, by: Any) -> list[DepositApplication]:
    """Applies what is left of the booking's deposits to its bills, as far as their balances due allow.

    Runs under the booking's lock, then each payer's row, then the bills' (the lock order of every billing use
    case). Applying again applies nothing more: what was applied is subtracted first, so a deposit counts on the
    bills once however often this runs.
    """
    booking = stays_services.locked(booking)
    applications = []
    for payer_id, left in deposits_left(booking.pk).items():
        lock_patient(payer_id)
        left = min(left, selectors.deposit_balance(payer_id))
        for bill in bills_for_deposit(booking, payer_id=payer_id):
            amount = min(left, bill.balance)
            if amount <= 0:
                continue
            applications.append(apply_to_bill(bill, payer_id=payer_id, amount=amount, by=by))
            left -= amount
    return applications


def apply_to_bill(bill: Bill, *, payer_id: int, amount: Decimal, by: Any) -> DepositApplication:
    application = DepositApplication.objects.create(patient_id=payer_id, bill=bill, booking_id=bill.booking_id,
                                                    amount=amount, at=clock.now(), by=by)
    services.recompute(bill, by=by, reason=_("Booking deposit applied"))
    audit.record("bill.apply_deposit", by=by, obj=bill, patient_id=bill.patient_id,
                 changes={"amount": [None, str(amount)], "paid_total": [None, str(bill.paid_total)],
                          "deposit_of": [None, payer_id]})
    return application


# --- cancellation -----------------------------------------------------------------------------------------


def settle_cancellation(booking: Booking, *, by: Any) -> list[RefundRequest]:
    """Runs inside the cancellation: charges the fee, applies the deposits, and turns the refund the desk
    offered (booking.refund_amount) into a request in the Refunds queue for an Admin to approve.

    Refused (and the cancellation with it) when the refund is more than came in for the booking, less the
    fee and the refunds already asked for.
    """
    offer = refund_offer(booking, on=clock.today())
    refund = booking.refund_amount or ZERO
    if refund > offer.most:
        raise DomainError(_("At most %(most)s can be refunded: %(paid)s came in for this booking, the cancellation "
                            "fee is %(fee)s and %(waiting)s is already asked for.")
                          % {"most": format_money(offer.most), "paid": format_money(offer.paid),
                             "fee": format_money(offer.fee), "waiting": format_money(offer.waiting)},
                          code="more_than_paid", field="refund_amount")
    patient_id = charges.payer_of(booking=booking)
    if patient_id is None:
        return []
    lock_patient(patient_id)
    if offer.fee > 0:
        fee_bill = services.payer_bill(booking, services.default_payer_key(booking, patient_id), by=by)
        charge_fee(services.locked(fee_bill), fee=offer.fee, by=by)
    bills = list(Bill.objects.select_for_update().filter(booking=booking).order_by("id"))
    for bill in bills:
        services.refresh(bill, by=by)
    apply_booking_deposits(booking, by=by)
    for bill in bills:
        bill.refresh_from_db()
        services.void_unpaid(bill, by=by, reason=_("The booking was cancelled."))
    if refund <= 0:
        return []
    return request_cancellation_refund(booking, bills=bills, patient_id=patient_id, amount=refund, by=by)


def charge_fee(bill: Bill, *, fee: Decimal, by: Any) -> BillItem | None:
    """The cancellation fee as one bill item (keyed, so a second run writes nothing)."""
    if fee <= 0 or BillItem.objects.filter(bill=bill, source_key=FEE_KEY).exists():
        return None
    now = clock.now()
    booking = bill.booking
    item = BillItem.objects.create(
        bill=bill, kind=ItemKind.MANUAL, source_key=FEE_KEY, quantity=Decimal(1), unit_price=fee, amount=fee,
        description=(_("Cancellation fee: %(number)s, arrival %(day)s")
                     % {"number": booking.number, "day": date_format(booking.start_date, "SHORT_DATE_FORMAT")})[:200],
        reason=_("Cancelled %(days)s days before arrival.") % {"days": (booking.start_date - clock.today()).days},
        added_at=now, updated_at=now, added_by=services.actor(by),
    )
    services.recompute(bill, by=by, reason=_("Cancellation fee"))
    audit.record("bill.cancellation_fee", by=by, obj=bill, patient_id=bill.patient_id,
                 changes={"amount": [None, str(fee)]})
    return item


def request_cancellation_refund(booking: Booking, *, bills: list[Bill], patient_id: int, amount: Decimal,
                                by: Any) -> list[RefundRequest]:
    """The refund of a cancellation as requests in the Refunds queue: from each bill as far as it holds more than
    it charges (payments made before), the rest from the booking's deposit not applied to them."""
    parts: list[tuple[Bill | None, Decimal]] = []
    left = amount
    for bill in bills:
        credit = -bill.balance if not bill.is_void and bill.balance < 0 else ZERO
        part = min(left, credit)
        parts.append((bill, part))
        left -= part
    parts.append((None, left))
    reason = (_("Cancellation of %(number)s: %(reason)s") % {"number": booking.number,
                                                             "reason": booking.cancel_reason})
    requests = []
    for source, part in parts:
        if part <= 0:
            continue
        refund = RefundRequest.objects.create(patient_id=source.patient_id if source else patient_id, bill=source,
                                              booking=booking, amount=part,
                                              method=PaymentMethod.CASH, reason=reason, requested_by=by,
                                              requested_at=clock.now())
        audit.record("billing.refund_request", by=by, obj=refund, patient_id=patient_id, note=reason,
                     changes={"amount": [None, str(part)], "booking": [None, booking.number],
                              "bill": [None, source.number if source else None]})
        requests.append(refund)
    return requests
