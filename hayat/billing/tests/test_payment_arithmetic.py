"""Money at the desk adds up: the cash taken is exactly the payments and deposits written, and a bill never
takes more than its balance due, whatever the balance (owed to the patient, zero, due) and the amount."""

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hayat.billing import payments, services
from hayat.billing.models import Bill, ItemKind, Payment, PaymentKind
from hayat.billing.selectors import deposit_balance
from hayat.billing.tests import factories
from hayat.core.errors import DomainError

ZERO = Decimal("0.00")


def bill_with_balance(balance: Decimal, *, ward, teller) -> Bill:
    """An outpatient bill whose balance is `balance`: a charge, a payment, and a correction for a credit."""
    episode = factories.outpatient(factories.PatientFactory(), doctor=ward.doctor, by=ward.coder)
    bill = factories.bill_of(episode)
    charge = abs(balance) if balance else Decimal("1000.00")
    item = services.add_item(by=teller, bill=bill, kind=ItemKind.MEDICATION, description="Ceftriaxone",
                             unit_price=charge)
    if balance <= 0:
        payments.take_payment(by=teller, bill=bill, amount=charge)
    if balance < 0:
        services.correct_item(by=teller, item=item, reason="Not given")
    bill.refresh_from_db()
    assert bill.balance == balance
    return bill


def test_a_bill_that_owes_the_patient_takes_no_payment_and_no_deposit(ward, teller):
    """The audit's probe: balance −1000, 50 taken with "keep the rest as a deposit" once wrote a 1050 deposit."""
    bill = bill_with_balance(Decimal("-1000.00"), ward=ward, teller=teller)
    before = list(Payment.objects.values_list("pk", flat=True))
    with pytest.raises(DomainError) as refused:
        payments.take_payment(by=teller, bill=bill, amount="50", excess_to_deposit=True)
    assert (refused.value.code, refused.value.field) == ("owes_patient", "amount")
    assert "request a refund" in refused.value.message and "1\u202f000.00" in refused.value.message
    assert list(Payment.objects.values_list("pk", flat=True)) == before
    assert deposit_balance(bill.patient_id) == ZERO


@pytest.mark.parametrize("excess_to_deposit", [False, True])
def test_a_settled_bill_takes_no_payment(ward, teller, excess_to_deposit):
    bill = bill_with_balance(ZERO, ward=ward, teller=teller)
    with pytest.raises(DomainError) as refused:
        payments.take_payment(by=teller, bill=bill, amount="50", excess_to_deposit=excess_to_deposit)
    assert refused.value.code == "nothing_due"
    assert deposit_balance(bill.patient_id) == ZERO


balances = st.one_of(st.just(ZERO), st.decimals(min_value=Decimal("-90000"), max_value=Decimal("90000"), places=2))
amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("150000"), places=2)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(balance=balances, amount=amounts, excess_to_deposit=st.booleans())
def test_cash_in_equals_the_payments_and_deposits_written(ward, teller, balance, amount, excess_to_deposit):
    bill = bill_with_balance(balance, ward=ward, teller=teller)
    paid_before, receipts_before = bill.paid_total, set(Payment.objects.values_list("pk", flat=True))
    try:
        taken = payments.take_payment(by=teller, bill=bill, amount=amount, excess_to_deposit=excess_to_deposit)
    except DomainError as refused:
        taken, code = None, refused.code
    bill.refresh_from_db()
    written = Payment.objects.exclude(pk__in=receipts_before)
    if balance <= 0:
        assert taken is None and code == ("nothing_due" if balance == 0 else "owes_patient")
    elif amount > balance and not excess_to_deposit:
        assert taken is None and code == "more_than_due"
    else:
        assert taken is not None
        assert taken.payment.amount == min(amount, balance)
        assert (taken.deposit.amount if taken.deposit else ZERO) == amount - min(amount, balance)
    cash_in = {PaymentKind.PAYMENT: ZERO, PaymentKind.DEPOSIT: ZERO}
    for receipt in written:
        cash_in[receipt.kind] += receipt.amount
    assert sum(cash_in.values()) == (amount if taken else ZERO), "every sum taken is written, and only it"
    assert bill.paid_total - paid_before == cash_in[PaymentKind.PAYMENT] <= max(balance, ZERO)
    assert deposit_balance(bill.patient_id) == cash_in[PaymentKind.DEPOSIT]
    assert bill.balance >= min(balance, ZERO), "a payment never pushes a bill into the patient's favour"
