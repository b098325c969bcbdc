"""Never money out that did not come in: random sequences of deposits, payments, cancellations and refunds.

A state machine plays the desk on one booking: deposits, confirmation, payments, cancellation with any refund,
refund requests of the deposit, approvals and rejections, in any order with any amounts. Whatever the order,
the refunds paid to the patient never exceed the deposits and payments received, and no bill or deposit goes
below zero. Refused steps (a DomainError) must change nothing that breaks these rules.
"""

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from hayat.billing import bookings, payments
from hayat.billing.models import Bill, Payment, PaymentKind, RefundRequest, RefundStatus
from hayat.billing.selectors import deposit_balance
from hayat.billing.tests import factories
from hayat.core.errors import DomainError
from hayat.stays import services
from hayat.stays.models import BookingStatus

amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("1500000"), places=2)


def desk_machine(people, counter):
    class Desk(RuleBasedStateMachine):
        """One booking (1 050 000 for three nights) and everything the desk may do with its money."""

        def __init__(self):
            super().__init__()
            counter[0] += 1
            self.booking = factories.stay(people.receptionist, factories.PatientFactory(), start=date(2026, 11, 28),
                                          status=BookingStatus.RESERVATION, room_name=f"P{counter[0]}")
            self.patient_id = self.booking.lines.get().patient_id

        def attempt(self, action, *args, **kwargs):
            try:
                action(*args, **kwargs)
            except (DomainError, PermissionDenied):
                pass

        @rule(amount=amounts)
        def deposit(self, amount):
            self.attempt(bookings.take_booking_deposit, by=people.teller, booking=self.booking, amount=amount)

        @rule()
        def confirm(self):
            self.attempt(services.change_status, by=people.receptionist, booking=self.booking,
                         to=BookingStatus.CONFIRMED)

        @rule(amount=amounts)
        def pay(self, amount):
            bill = Bill.objects.filter(booking=self.booking).first()
            if bill is not None:
                self.attempt(payments.take_payment, by=people.teller, bill=bill, amount=amount)

        @rule(refund=amounts, fees=st.sampled_from(["", "7:0,0:20", "0:100"]))
        def cancel(self, refund, fees):
            people.settings.HAYAT_CANCELLATION_FEES = fees
            self.attempt(services.cancel_booking, by=people.receptionist, booking=self.booking, reason="Changed",
                         refund_amount=refund)

        @rule(amount=amounts)
        def refund_deposit(self, amount):
            patient = self.booking.lines.get().patient
            self.attempt(payments.request_refund, by=people.teller, patient=patient, amount=amount, reason="Back")

        @rule(amount=amounts)
        def refund_bill(self, amount):
            bill = Bill.objects.filter(booking=self.booking).first()
            if bill is not None:
                self.attempt(payments.request_refund, by=people.teller, bill=bill, amount=amount, reason="Back")

        @rule(approve=st.booleans())
        def decide(self, approve):
            for refund in RefundRequest.objects.filter(patient_id=self.patient_id, status=RefundStatus.REQUESTED):
                if approve:
                    self.attempt(payments.approve_refund, by=people.admin, refund=refund)
                else:
                    self.attempt(payments.reject_refund, by=people.admin, refund=refund, note="No")

        @invariant()
        def no_money_out_that_did_not_come_in(self):
            money = {kind: sum(Payment.objects.filter(patient_id=self.patient_id, kind=kind)
                               .values_list("amount", flat=True), Decimal(0)) for kind in PaymentKind.values}
            assert money[PaymentKind.REFUND] <= money[PaymentKind.DEPOSIT] + money[PaymentKind.PAYMENT]
            assert deposit_balance(self.patient_id) >= 0
            for bill in Bill.objects.filter(booking=self.booking):
                assert bill.paid_total >= 0
            assert bookings.refund_offer(self.booking).paid >= 0

    return Desk


@pytest.mark.django_db
def test_refunds_never_exceed_the_money_received(receptionist, teller, admin_user, clock, settings):
    people = SimpleNamespace(receptionist=receptionist, teller=teller, admin=admin_user, settings=settings)
    run_state_machine_as_test(desk_machine(people, [0]), settings=settings_for_machine())


def settings_for_machine():
    return hypothesis_settings(max_examples=20, stateful_step_count=8, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
