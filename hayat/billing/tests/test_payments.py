"""Cash at the desk: partial and final payments, deposits, refunds with approval, receipts."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from hayat.billing import jobs, payments, services
from hayat.billing.models import BillStatus, ItemKind, Payment, PaymentKind, RefundStatus
from hayat.billing.selectors import deposit_balance
from hayat.billing.tests import factories
from hayat.core.errors import DomainError
from hayat.core.tests.concurrency import run_in_parallel
from hayat.documents.kinds.receipt import KIND as RECEIPT
from hayat.documents.printing import print_document


@pytest.fixture
def priced_bill(bill, teller):
    """An episode bill with 100 000 of medication (bed time stays at zero while the clock stands still)."""
    services.add_item(by=teller, bill=bill, kind=ItemKind.MEDICATION, description="Ceftriaxone", quantity=4,
                      unit_price="25000")
    bill.refresh_from_db()
    return bill


def statuses(bill) -> list[str]:
    return list(bill.status_changes.values_list("to_status", flat=True))


def test_a_partial_then_a_final_payment_marks_the_bill_paid(priced_bill, teller):
    first = payments.take_payment(by=teller, bill=priced_bill, amount="40000").payment
    priced_bill.refresh_from_db()
    assert (priced_bill.status, priced_bill.paid_total, priced_bill.balance) == (
        BillStatus.PARTIALLY_PAID, Decimal("40000.00"), Decimal("60000.00"))
    assert first.balance_after == Decimal("60000.00") and first.number.startswith("RC-2026-")
    payments.take_payment(by=teller, bill=priced_bill, amount="60000.00")
    priced_bill.refresh_from_db()
    assert (priced_bill.status, priced_bill.balance) == (BillStatus.PAID, Decimal("0.00"))
    assert statuses(priced_bill) == [BillStatus.PENDING, BillStatus.CALCULATED, BillStatus.INVOICED,
                                     BillStatus.PARTIALLY_PAID, BillStatus.PAID]


def test_more_than_is_due_is_refused_unless_kept_as_a_deposit(priced_bill, teller):
    with pytest.raises(DomainError) as refused:
        payments.take_payment(by=teller, bill=priced_bill, amount="100000.01")
    assert (refused.value.code, refused.value.field) == ("more_than_due", "amount")
    assert not Payment.objects.exists()
    taken = payments.take_payment(by=teller, bill=priced_bill, amount="150000", excess_to_deposit=True)
    assert (taken.payment.amount, taken.deposit.amount) == (Decimal("100000.00"), Decimal("50000.00"))
    assert taken.deposit.bill is None and taken.deposit.kind == PaymentKind.DEPOSIT
    assert taken.deposit.balance_after == Decimal("50000.00")
    priced_bill.refresh_from_db()
    assert priced_bill.status == BillStatus.PAID


@pytest.mark.parametrize("amount", ["0", "-5", "abc", "10.001", "NaN", "Infinity", "1e30", ""])
def test_bad_amounts_get_a_clear_message(priced_bill, teller, amount):
    with pytest.raises(DomainError) as refused:
        payments.take_payment(by=teller, bill=priced_bill, amount=amount)
    assert refused.value.field == "amount" and refused.value.message


def test_only_tellers_take_payments(priced_bill, receptionist, admin_user, doctor):
    for outsider in (receptionist, admin_user, doctor):
        with pytest.raises(PermissionDenied):
            payments.take_payment(by=outsider, bill=priced_bill, amount="1000")


def test_a_void_bill_takes_no_payment(priced_bill, teller, admin_user):
    services.void(by=admin_user, bill=priced_bill, reason="Duplicate admission")
    with pytest.raises(DomainError) as refused:
        payments.take_payment(by=teller, bill=priced_bill, amount="1000")
    assert refused.value.code == "bill_void"


def test_a_bill_with_payments_cannot_be_voided(priced_bill, teller, admin_user):
    payments.take_payment(by=teller, bill=priced_bill, amount="1000")
    with pytest.raises(DomainError) as refused:
        services.void(by=admin_user, bill=priced_bill, reason="Mistake")
    assert refused.value.code == "bill_has_payments"


def test_bed_time_that_keeps_accruing_turns_a_paid_bill_partially_paid(bill, teller, clock):
    clock.advance(hours=1, minutes=30)
    payments.take_payment(by=teller, bill=bill, amount="20000")
    bill.refresh_from_db()
    assert bill.status == BillStatus.PAID
    clock.advance(hours=1)
    jobs.accrue_bed_time()
    bill.refresh_from_db()
    assert (bill.status, bill.balance) == (BillStatus.PARTIALLY_PAID, Decimal("10000.00"))


def test_deposits_are_applied_to_bills(priced_bill, teller, clock):
    patient = priced_bill.patient
    payments.take_deposit(by=teller, patient=patient, amount="30000")
    payments.take_deposit(by=teller, patient=patient, amount="90000", method="card")
    application = payments.apply_deposit(by=teller, bill=priced_bill)
    assert application.amount == Decimal("100000.00")
    priced_bill.refresh_from_db()
    assert (priced_bill.status, priced_bill.paid_total) == (BillStatus.PAID, Decimal("100000.00"))
    assert deposit_balance(patient.pk) == Decimal("20000.00")
    with pytest.raises(DomainError) as refused:
        payments.apply_deposit(by=teller, bill=priced_bill)
    assert refused.value.code == "nothing_due"


def test_a_deposit_is_never_spent_twice(priced_bill, teller):
    payments.take_deposit(by=teller, patient=priced_bill.patient, amount="10000")
    with pytest.raises(DomainError) as refused:
        payments.apply_deposit(by=teller, bill=priced_bill, amount="10000.01")
    assert refused.value.code == "more_than_deposit"
    payments.apply_deposit(by=teller, bill=priced_bill, amount="10000")
    with pytest.raises(DomainError) as refused:
        payments.apply_deposit(by=teller, bill=priced_bill, amount="1")
    assert refused.value.code == "no_deposit"


def test_a_refund_is_requested_by_a_teller_and_approved_by_an_admin(priced_bill, teller, admin_user):
    payments.take_payment(by=teller, bill=priced_bill, amount="100000")
    services.correct_item(by=teller, item=priced_bill.items.get(kind=ItemKind.MEDICATION), reason="Not given")
    priced_bill.refresh_from_db()
    assert priced_bill.balance == Decimal("-100000.00"), "the patient is owed the money"
    with pytest.raises(PermissionDenied):
        payments.request_refund(by=admin_user, bill=priced_bill, amount="100", reason="x")
    refund = payments.request_refund(by=teller, bill=priced_bill, amount="100000", reason="Medication not given")
    with pytest.raises(DomainError) as refused:
        payments.request_refund(by=teller, bill=priced_bill, amount="1", reason="Again")
    assert refused.value.code == "more_than_refundable"
    with pytest.raises(PermissionDenied):
        payments.approve_refund(by=teller, refund=refund)
    payment = payments.approve_refund(by=admin_user, refund=refund, note="Checked with the ward")
    refund.refresh_from_db()
    priced_bill.refresh_from_db()
    assert (refund.status, refund.decided_by, refund.payment) == (RefundStatus.APPROVED, admin_user, payment)
    assert (payment.kind, payment.amount, payment.received_by) == (PaymentKind.REFUND, Decimal("100000.00"), teller)
    assert (priced_bill.paid_total, priced_bill.balance, priced_bill.status) == (
        Decimal("0.00"), Decimal("0.00"), BillStatus.INVOICED)
    with pytest.raises(DomainError):
        payments.approve_refund(by=admin_user, refund=refund)


def test_a_rejected_refund_needs_a_reason_and_moves_no_money(priced_bill, teller, admin_user):
    payments.take_payment(by=teller, bill=priced_bill, amount="5000")
    refund = payments.request_refund(by=teller, bill=priced_bill, amount="5000", reason="Changed mind")
    with pytest.raises(DomainError):
        payments.reject_refund(by=admin_user, refund=refund, note=" ")
    payments.reject_refund(by=admin_user, refund=refund, note="Service was given")
    refund.refresh_from_db()
    assert refund.status == RefundStatus.REJECTED and refund.payment is None
    assert not Payment.objects.filter(kind=PaymentKind.REFUND).exists()


def test_a_deposit_can_be_refunded(ward, teller, admin_user):
    payments.take_deposit(by=teller, patient=ward.patient, amount="70000")
    refund = payments.request_refund(by=teller, patient=ward.patient, amount="70000", reason="Treatment postponed")
    payment = payments.approve_refund(by=admin_user, refund=refund)
    assert payment.bill is None and payment.balance_after == Decimal("0.00")
    with pytest.raises(DomainError):
        payments.request_refund(by=teller, patient=ward.patient, amount="1", reason="Nothing left")


def test_every_payment_prints_a_receipt(priced_bill, teller, admin_user, settings):
    taken = payments.take_payment(by=teller, bill=priced_bill, amount="150000", excess_to_deposit=True)
    refund = payments.request_refund(by=teller, bill=priced_bill, amount="1000", reason="Rounding")
    refunded = payments.approve_refund(by=admin_user, refund=refund)
    for payment in (*taken.receipts, refunded):
        for language in ("en", "ru", "uz"):
            printed = print_document(kind=RECEIPT, obj=Payment.objects.get(pk=payment.pk), by=teller,
                                     language=language)
            assert printed.pdf.startswith(b"%PDF") and len(printed.pdf) > 1000


@pytest.mark.django_db(transaction=True)
def test_two_tellers_taking_the_last_payment_at_once_only_one_succeeds(make_user, doctor, coder, clock):
    tellers = [make_user("teller", user_id=f"t{n}", full_name=f"Teller {n}") for n in range(2)]
    room = factories.hospital_room("501", beds=1)
    bill = factories.bill_of(factories.admit(factories.PatientFactory(), room.beds.get(), doctor=doctor, by=coder))
    services.add_item(by=tellers[0], bill=bill, kind=ItemKind.LAB_TEST, description="X-ray", unit_price="50000")

    outcomes = run_in_parallel(lambda index: payments.take_payment(by=tellers[index], bill=bill, amount="50000"), 2)
    succeeded = [outcome for outcome in outcomes if isinstance(outcome, payments.Taken)]
    refused = [outcome for outcome in outcomes if isinstance(outcome, DomainError)]
    assert len(succeeded) == 1 and len(refused) == 1, outcomes
    bill.refresh_from_db()
    assert (bill.paid_total, bill.status) == (Decimal("50000.00"), BillStatus.PAID)
    assert Payment.objects.filter(bill=bill).count() == 1
