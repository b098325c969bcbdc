"""Deposits taken for a booking: a real payment with its receipt, the hold kept, applied to the bill once."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from hayat.billing import bookings, receivers
from hayat.billing.models import DepositApplication, Payment, PaymentKind
from hayat.billing.selectors import deposit_balance
from hayat.billing.tests import factories
from hayat.core.errors import Conflict, DomainError
from hayat.stays import jobs, services
from hayat.stays.models import BookingStatus

ARRIVAL = date(2026, 11, 24)


@pytest.fixture
def reservation(receptionist, clock):
    """A reservation of one guest, three nights at 350 000 (1 050 000), arriving in three days."""
    return factories.stay(receptionist, factories.PatientFactory(), start=ARRIVAL, status=BookingStatus.RESERVATION)


def test_a_deposit_for_a_reservation_is_money_with_a_receipt_and_keeps_the_hold(reservation, teller, clock):
    deposit = bookings.take_booking_deposit(by=teller, booking=reservation, amount="200000", method="card")
    reservation.refresh_from_db()
    assert (deposit.kind, deposit.method, deposit.booking, deposit.amount) == (
        PaymentKind.DEPOSIT, "card", reservation, Decimal("200000.00"))
    assert deposit.number.startswith("RC-2026-") and deposit.number in reservation.deposit_note
    assert deposit_balance(deposit.patient_id) == Decimal("200000.00")
    clock.advance(days=2, hours=1)
    jobs.expire_reservations()
    reservation.refresh_from_db()
    assert reservation.status == BookingStatus.RESERVATION


def test_the_deposit_goes_onto_the_bill_when_it_opens_and_only_once(reservation, receptionist, teller):
    bookings.take_booking_deposit(by=teller, booking=reservation, amount="300000")
    services.change_status(by=receptionist, booking=reservation, to=BookingStatus.CONFIRMED)
    bill = factories.bill_of(reservation)
    assert bill.paid_total == Decimal("300000.00") and bill.balance == Decimal("750000.00")
    receivers.on_booking_status_changed(None, booking=reservation, from_status="", to_status="confirmed",
                                        by=receptionist)
    bookings.apply_booking_deposits(reservation, by=teller)
    bill.refresh_from_db()
    assert bill.paid_total == Decimal("300000.00")
    assert DepositApplication.objects.get(bill=bill).booking == reservation
    assert deposit_balance(bill.patient_id) == Decimal("0.00")


def test_a_deposit_for_a_booking_whose_bill_exists_pays_it_at_once(receptionist, teller, clock):
    booking = factories.stay(receptionist, factories.PatientFactory(), start=ARRIVAL)
    bookings.take_booking_deposit(by=teller, booking=booking, amount="2000000")
    bill = factories.bill_of(booking)
    assert (bill.paid_total, bill.balance) == (Decimal("1050000.00"), Decimal("0.00"))
    assert deposit_balance(bill.patient_id) == Decimal("950000.00")


def test_the_minimum_deposit_is_an_amount_or_a_share_of_the_stay(reservation, teller, settings):
    settings.HAYAT_MINIMUM_DEPOSIT = "30%"
    assert bookings.minimum_deposit(reservation) == Decimal("315000.00")
    with pytest.raises(DomainError, match="at least 315") as refused:
        bookings.take_booking_deposit(by=teller, booking=reservation, amount="300000")
    assert refused.value.field == "amount" and not Payment.objects.exists()
    bookings.take_booking_deposit(by=teller, booking=reservation, amount="315000")
    bookings.take_booking_deposit(by=teller, booking=reservation, amount="1000")  # a top-up once the minimum is in
    settings.HAYAT_MINIMUM_DEPOSIT = "500000"
    assert bookings.minimum_deposit(reservation) == Decimal("500000.00")


def test_no_deposit_for_a_finished_booking_nor_by_a_receptionist(reservation, receptionist, teller):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        bookings.take_booking_deposit(by=receptionist, booking=reservation, amount="1000")
    services.cancel_booking(by=receptionist, booking=reservation, reason="Plans changed")
    with pytest.raises(Conflict, match="cancelled"):
        bookings.take_booking_deposit(by=teller, booking=reservation, amount="1000")


def test_the_deposit_dialog_shows_on_the_booking_the_money_page_and_the_cash_report(reservation, teller, client_as,
                                                                                    admin_user):
    client = client_as(teller)
    page = client.get(reverse("billing:booking_deposit", args=[reservation.pk])).content.decode()
    assert reservation.number in page and 'name="method"' in page and 'name="amount"' in page
    wrong = client.post(reverse("billing:booking_deposit", args=[reservation.pk]), {"amount": "abc", "method": "cash"})
    assert wrong.status_code == 200 and "Enter an amount" in wrong.content.decode()
    done = client.post(reverse("billing:booking_deposit", args=[reservation.pk]),
                       {"amount": "250000", "method": "transfer", "note": ""})
    deposit = Payment.objects.get()
    assert done.status_code == 302 and done["Location"].endswith(f"?receipt={deposit.pk}")
    booking_page = client.get(done["Location"]).content.decode()
    assert deposit.number in booking_page and 'id="print-receipt"' in booking_page
    assert 'id="booking-paid">250\u202f000.00' in booking_page
    assert client.get(f"{reservation.get_absolute_url()}?receipt=x²").status_code == 200
    money = client.get(reverse("billing:patient_money", args=[deposit.patient_id])).content.decode()
    assert deposit.number in money and 'id="deposit-available">250\u202f000.00' in money
    report = client.get(reverse("billing:cash_report")).content.decode()
    assert deposit.number in report


def test_the_api_takes_a_deposit_for_a_booking(reservation, teller, api_as):
    api = api_as(teller)
    taken = api.post(reverse("payment-list"), {"kind": "deposit", "booking": reservation.pk, "amount": "100000",
                                               "method": "cash"}, format="json")
    assert taken.status_code == 201 and taken.json()[0]["booking"] == reservation.pk
    both = api.post(reverse("payment-list"), {"kind": "deposit", "booking": reservation.pk,
                                              "patient": taken.json()[0]["patient"], "amount": "1"}, format="json")
    assert both.status_code == 400
    payment = api.post(reverse("payment-list"), {"kind": "payment", "booking": reservation.pk, "amount": "1"},
                       format="json")
    assert payment.status_code == 400 and Payment.objects.count() == 1


def test_applying_a_booking_deposit_again_applies_nothing_more(receptionist, teller, clock):
    booking = factories.stay(receptionist, factories.PatientFactory(), start=ARRIVAL + timedelta(days=1))
    bookings.take_booking_deposit(by=teller, booking=booking, amount="100000")
    bill = factories.bill_of(booking)
    for _again in range(3):
        bookings.apply_booking_deposits(booking, by=teller)
    assert DepositApplication.objects.filter(bill=bill).count() == 1
    bill.refresh_from_db()
    assert bill.paid_total == Decimal("100000.00")


@pytest.mark.django_db(transaction=True)
def test_a_deposit_and_the_confirmation_racing_apply_the_deposit_once(make_user, clock):
    """A teller takes the deposit while the desk confirms the booking: whichever commits second finds the other's
    row under the locks, so the bill holds the deposit exactly once."""
    from hayat.core.tests.concurrency import run_in_parallel

    desk, teller = make_user("receptionist", user_id="race-desk"), make_user("teller", user_id="race-teller")
    booking = factories.stay(desk, factories.PatientFactory(), start=ARRIVAL, status=BookingStatus.PENDING,
                             room_name="R1")

    def work(index):
        if index == 0:
            return bookings.take_booking_deposit(by=teller, booking=booking, amount="400000")
        return services.change_status(by=desk, booking=booking, to=BookingStatus.CONFIRMED)

    outcomes = run_in_parallel(work, 2)
    assert not [outcome for outcome in outcomes if isinstance(outcome, Exception)], outcomes
    bill = factories.bill_of(booking)
    assert bill.paid_total == Decimal("400000.00")
    assert sum(DepositApplication.objects.filter(bill=bill).values_list("amount", flat=True)) == Decimal("400000.00")
    assert deposit_balance(bill.patient_id) == Decimal("0.00")
