"""Cancelling a booking gives back at most what came in for it, less the cancellation fee, through the Refunds queue."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from hayat.billing import bookings, payments
from hayat.billing.models import BillItem, Payment, PaymentKind, RefundRequest, RefundStatus
from hayat.billing.selectors import deposit_balance, paid_for
from hayat.billing.tests import factories
from hayat.core.errors import DomainError
from hayat.stays import services
from hayat.stays.models import BookingStatus

ARRIVAL = date(2026, 11, 24)  # three days after the clock's day


@pytest.fixture
def reservation(receptionist, clock):
    """A reservation of one guest, three nights at 350 000 (1 050 000)."""
    return factories.stay(receptionist, factories.PatientFactory(), start=ARRIVAL, status=BookingStatus.RESERVATION)


def test_a_refund_of_money_that_never_came_in_is_refused(reservation, receptionist):
    with pytest.raises(DomainError, match="At most 0.00") as refused:
        services.cancel_booking(by=receptionist, booking=reservation, reason="Illness", refund_amount="500000")
    assert refused.value.field == "refund_amount"
    reservation.refresh_from_db()
    assert reservation.status == BookingStatus.RESERVATION and not RefundRequest.objects.exists()


def test_the_fee_by_days_before_arrival_is_charged_and_the_rest_waits_for_approval(reservation, receptionist, teller,
                                                                                   admin_user, settings, clock):
    settings.HAYAT_CANCELLATION_FEES = "7:0,2:10,0:50"
    bookings.take_booking_deposit(by=teller, booking=reservation, amount="300000")
    offer = bookings.refund_offer(reservation)
    assert (offer.paid, offer.fee, offer.most) == (Decimal("300000.00"), Decimal("105000.00"), Decimal("195000.00"))
    with pytest.raises(DomainError, match="At most 195"):
        services.cancel_booking(by=receptionist, booking=reservation, reason="Illness", refund_amount="195000.01")
    services.cancel_booking(by=receptionist, booking=reservation, reason="Illness", refund_amount="195000")
    bill = factories.bill_of(reservation)
    fee = BillItem.objects.get(bill=bill, source_key=bookings.FEE_KEY)
    assert fee.amount == Decimal("105000.00") and (bill.items_total, bill.balance) == (fee.amount, Decimal("0.00"))
    refund = RefundRequest.objects.get()
    assert (refund.status, refund.amount, refund.booking, refund.bill) == (
        RefundStatus.REQUESTED, Decimal("195000.00"), reservation, None)
    paid_out = payments.approve_refund(by=admin_user, refund=refund)
    assert (paid_out.kind, paid_out.booking) == (PaymentKind.REFUND, reservation)
    assert deposit_balance(bill.patient_id) == Decimal("0.00") and paid_for(reservation.pk) == Decimal("105000.00")


def test_a_paid_booking_cancelled_early_is_refunded_from_its_bill(receptionist, teller, admin_user, client_as):
    booking = factories.stay(receptionist, factories.PatientFactory(), start=date(2026, 12, 20))
    bill = factories.bill_of(booking)
    payments.take_payment(by=teller, bill=bill, amount="500000")
    services.cancel_booking(by=receptionist, booking=booking, reason="Travel ban", refund_amount="500000")
    refund = RefundRequest.objects.get()
    assert (refund.bill, refund.booking) == (bill, booking)
    queue = client_as(admin_user).get(reverse("billing:refund_list")).content.decode()
    assert booking.number in queue
    payments.approve_refund(by=admin_user, refund=refund)
    bill.refresh_from_db()
    assert bill.paid_total == Decimal("0.00") and paid_for(booking.pk) == Decimal("0.00")


def test_refunds_asked_for_count_against_the_offer_until_they_are_paid(receptionist, teller, admin_user, clock):
    booking = factories.stay(receptionist, factories.PatientFactory(), start=date(2026, 12, 20),
                             status=BookingStatus.RESERVATION)
    bookings.take_booking_deposit(by=teller, booking=booking, amount="100000")
    services.cancel_booking(by=receptionist, booking=booking, reason="Plans changed", refund_amount="60000")
    offer = bookings.refund_offer(booking)
    assert (offer.paid, offer.waiting, offer.most) == (Decimal("100000.00"), Decimal("60000.00"), Decimal("40000.00"))
    payments.approve_refund(by=admin_user, refund=RefundRequest.objects.get())
    offer = bookings.refund_offer(booking)
    assert (offer.paid, offer.waiting, offer.most) == (Decimal("40000.00"), Decimal("0.00"), Decimal("40000.00"))


def test_the_cancel_dialog_offers_at_most_what_came_in(reservation, receptionist, teller, client_as):
    bookings.take_booking_deposit(by=teller, booking=reservation, amount="120000")
    page = client_as(receptionist).get(reservation.get_absolute_url()).content.decode()
    assert 'id="refund-offer"' in page and "At most 120\u202f000.00" in page
    refused = client_as(receptionist).post(reverse("stays:booking_cancel", args=[reservation.pk]),
                                           {"reason": "Illness", "refund_amount": "130000"})
    assert refused.status_code == 200 and "At most 120" in refused.content.decode()
    assert not Payment.objects.filter(kind=PaymentKind.REFUND).exists()
