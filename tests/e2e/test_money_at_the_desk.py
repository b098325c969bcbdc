"""Money at the desk in the browser: a teller takes a deposit for a two-guest reservation (amount and method, a
receipt), the desk confirms it (the deposit pays the bill as it opens) and checks the guests in; they leave early,
the bill owes them the nights not stayed, the teller asks for the refund, the Admin approves it, and the teller's
day closes with the cash counted equal to the cash expected: a zero difference."""

from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from hayat.billing.models import Bill, DayClose, Payment, PaymentKind
from hayat.core.roles import Role
from hayat.stays.models import BookingStatus
from hayat.stays.tests.factories import PatientFactory, book, make_room, make_tariff


@pytest.mark.django_db(transaction=True)
def test_deposit_booking_check_in_early_departure_refund_and_day_close(make_user, page, log_in, screenshot, clock):
    desk = make_user(Role.RECEPTIONIST, user_id="e2e-money-desk", full_name="Rano Desk")
    teller = make_user(Role.TELLER, user_id="e2e-money-teller", full_name="Timur Teller")
    admin = make_user(Role.ADMIN, user_id="e2e-money-admin", full_name="Aziz Admin")
    make_user(Role.DOCTOR, user_id="e2e-money-doctor", full_name="Dr. Yusupova")
    room = make_room("105", beds=2)
    tariff = make_tariff("Rest and recovery", prices={"Standard": "300000"})
    guests = [PatientFactory(first_name="Malika", last_name="Sadikova"),
              PatientFactory(first_name="Bobur", last_name="Sadikov")]
    today = timezone.localdate(clock.now())
    reservation = book(desk, guests=[(guest, room, tariff) for guest in guests], start=today, nights=3,
                       status=BookingStatus.RESERVATION)  # 2 guests × 3 nights × 300 000 = 1 800 000

    log_in(teller)
    page.goto(reservation.get_absolute_url())
    page.click("#take-deposit")
    page.fill("#id_amount", "1800000")
    page.select_option("#id_method", "cash")
    screenshot("money-1-deposit")
    page.click("#confirm-deposit")
    expect(page.locator("#receipt-ready")).to_be_visible()
    expect(page.locator("#booking-paid")).to_contain_text("1\u202f800\u202f000.00")
    expect(page.locator("#hold")).to_contain_text("Deposit recorded")

    page.context.clear_cookies()
    log_in(desk)
    page.goto(reservation.get_absolute_url())
    page.click("button[data-transition=confirmed]")
    expect(page.locator("#booking-status")).to_contain_text("Confirmed")
    bill = Bill.objects.get(booking=reservation)
    assert bill.paid_total == Decimal("1800000.00")
    page.click("#check-in")
    page.wait_for_selector("#check-in-form")
    page.check("#id_identity_checked")
    page.check("#id_rules_explained")
    page.check("#id_consent_signed")
    page.select_option("#id_doctor", label="Dr. Yusupova")
    page.click("#confirm-check-in")
    expect(page.locator("#booking-status")).to_contain_text("Checked in")

    page.click("#check-out")
    page.fill("#early-departure-note", "Family matters")
    page.click("#confirm-check-out")
    page.wait_for_url("**/billing/bills/**")
    expect(page.locator("#bill-balance")).to_contain_text("-1\u202f200\u202f000.00")  # one night of two guests kept
    screenshot("money-2-bill-owes")

    page.context.clear_cookies()
    log_in(teller)
    page.goto(bill.get_absolute_url())
    request_refund(page, "1200000", "Left after the first night")
    approve_the_refund(page, log_in, admin)
    refund = Payment.objects.get(kind=PaymentKind.REFUND)
    assert refund.amount == Decimal("1200000.00") and refund.received_by == teller

    page.context.clear_cookies()
    log_in(teller)
    page.goto("/billing/day-close/")
    expect(page.locator("#expected-cash")).to_contain_text("600\u202f000.00")
    page.fill("#id_counted_cash", "600000")
    screenshot("money-3-day-close")
    page.click("#confirm-close-day")
    expect(page.locator("#day-difference")).to_contain_text("0.00")
    closed = DayClose.objects.get(teller=teller)
    assert (closed.expected_cash, closed.counted_cash, closed.difference) == (
        Decimal("600000.00"), Decimal("600000.00"), Decimal("0.00"))


@pytest.mark.django_db(transaction=True)
def test_deposit_booking_check_in_two_payers_one_guest_leaves_early_refunds_and_day_close(make_user, page, log_in,
                                                                                         screenshot, clock):
    """The issue's path: the deposit of a two-guest reservation pays the one bill; after check-in the second guest
    goes onto a bill of their own, leaves after the first night and pays it in cash; the first payer's bill, now
    holding more than it charges, gives the difference back; the day closes with a zero difference."""
    desk = make_user(Role.RECEPTIONIST, user_id="e2e-payers-desk", full_name="Rano Desk")
    teller = make_user(Role.TELLER, user_id="e2e-payers-teller", full_name="Timur Teller")
    admin = make_user(Role.ADMIN, user_id="e2e-payers-admin", full_name="Aziz Admin")
    make_user(Role.DOCTOR, user_id="e2e-payers-doctor", full_name="Dr. Yusupova")
    room = make_room("106", beds=2)
    tariff = make_tariff("Rest and recovery", prices={"Standard": "300000"})
    mother = PatientFactory(first_name="Malika", last_name="Sadikova")
    son = PatientFactory(first_name="Bobur", last_name="Sadikov")
    today = timezone.localdate(clock.now())
    reservation = book(desk, guests=[(mother, room, tariff), (son, room, tariff)], start=today, nights=3,
                       status=BookingStatus.RESERVATION)  # 2 guests × 3 nights × 300 000 = 1 800 000

    log_in(teller)
    page.goto(reservation.get_absolute_url())
    page.click("#take-deposit")
    page.fill("#id_amount", "1800000")
    page.select_option("#id_method", "cash")
    page.click("#confirm-deposit")
    expect(page.locator("#booking-paid")).to_contain_text("1\u202f800\u202f000.00")

    page.context.clear_cookies()
    log_in(desk)
    page.goto(reservation.get_absolute_url())
    page.click("button[data-transition=confirmed]")
    expect(page.locator("#booking-status")).to_contain_text("Confirmed")
    page.click("#check-in")
    page.wait_for_selector("#check-in-form")
    page.check("#id_identity_checked")
    page.check("#id_rules_explained")
    page.check("#id_consent_signed")
    page.select_option("#id_doctor", label="Dr. Yusupova")
    page.click("#confirm-check-in")
    expect(page.locator("#booking-status")).to_contain_text("Checked in")

    page.context.clear_cookies()
    log_in(teller)
    page.goto(reservation.get_absolute_url())
    page.select_option("#move_patient", str(son.pk))
    page.select_option("#move_to", "own")
    page.click("#move-guest-form button[type=submit]")
    expect(page.locator("#booking-money [data-bill]")).to_have_count(2)
    expect(page.locator(f"#booking-money [data-guest='{son.pk}']")).to_have_count(1)
    screenshot("payers-1-two-bills")
    family = Bill.objects.get(booking=reservation, payer_key="all")
    own = Bill.objects.get(booking=reservation, payer_key=f"guest:{son.pk}")
    assert (family.items_total, own.items_total) == (Decimal("900000.00"), Decimal("900000.00"))

    page.context.clear_cookies()
    log_in(desk)
    page.goto(reservation.get_absolute_url())
    page.fill(f"form[data-guest-leave='{son.pk}'] input[name=note]", "Called back to work")
    page.click(f"form[data-guest-leave='{son.pk}'] button[type=submit]")
    expect(page.locator("#toasts")).to_contain_text(f"{son.full_name} leaves on")

    page.context.clear_cookies()
    log_in(teller)
    page.goto(own.get_absolute_url())
    expect(page.locator("#bill-balance")).to_contain_text("300\u202f000.00")  # the one night stayed
    page.click("#take-payment")
    page.fill("#payment-form #id_amount", "300000")
    page.click("#confirm-payment")
    expect(page.locator("#receipt-ready")).to_be_visible()
    page.goto(family.get_absolute_url())
    expect(page.locator("#bill-balance")).to_contain_text("-900\u202f000.00")
    request_refund(page, "900000", "Bobur pays his own bill")
    approve_the_refund(page, log_in, admin)

    page.context.clear_cookies()
    log_in(teller)
    page.goto("/billing/day-close/")
    expect(page.locator("#expected-cash")).to_contain_text("1\u202f200\u202f000.00")  # 1 800 000 + 300 000 − 900 000
    page.fill("#id_counted_cash", "1200000")
    screenshot("payers-2-day-close")
    page.click("#confirm-close-day")
    expect(page.locator("#day-difference")).to_contain_text("0.00")
    own.refresh_from_db()
    family.refresh_from_db()
    assert (own.balance, family.balance) == (Decimal("0.00"), Decimal("0.00"))
    assert DayClose.objects.get(teller=teller).difference == Decimal("0.00")


def request_refund(page, amount: str, reason: str) -> None:
    """From the open bill page: the teller asks for a refund of `amount`."""
    page.click("#request-refund")
    page.fill("#id_amount", amount)
    page.fill("#id_reason", reason)
    page.click("#confirm-refund")


def approve_the_refund(page, log_in, admin) -> None:
    """Admin signs in and approves the refund waiting in the queue."""
    page.context.clear_cookies()
    log_in(admin)
    page.goto("/billing/refunds/")
    page.locator("#refund-table button[value=approve]").first.click()
    expect(page.locator("#toasts")).to_contain_text("Refund approved")
