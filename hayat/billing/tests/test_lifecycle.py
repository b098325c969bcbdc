"""The bill lifecycle: one table decides every status change, and the payment statuses follow the money."""

from decimal import Decimal

import pytest

from hayat.billing import lifecycle, payments, services
from hayat.billing.models import Bill, BillStatus, ItemKind
from hayat.core.lifecycle import IllegalTransition

S = BillStatus


def test_the_table_names_every_status_and_void_is_the_end():
    assert set(lifecycle.ALLOWED) == set(S.values)
    assert lifecycle.ALLOWED[S.VOID] == set()
    assert S.VOID not in lifecycle.ALLOWED[S.PARTIALLY_PAID] | lifecycle.ALLOWED[S.PAID], \
        "money on a bill is refunded before it is voided"


@pytest.mark.parametrize(("start", "target"), [
    (S.PENDING, S.INVOICED), (S.PENDING, S.PAID), (S.CALCULATED, S.PAID), (S.PAID, S.VOID),
    (S.PARTIALLY_PAID, S.VOID), (S.VOID, S.PENDING), (S.INVOICED, S.CALCULATED), (S.PAID, "lost"),
])
def test_a_change_outside_the_table_is_refused_and_writes_nothing(bill, teller, start, target):
    Bill.objects.filter(pk=bill.pk).update(status=start)
    bill.refresh_from_db()
    history = bill.status_changes.count()
    with pytest.raises(IllegalTransition):
        lifecycle.transition(bill, to=target, by=teller)
    bill.refresh_from_db()
    assert bill.status == start and bill.status_changes.count() == history


def test_calculating_or_invoicing_twice_is_refused(bill, teller):
    services.calculate(by=teller, bill=bill)
    with pytest.raises(IllegalTransition):
        services.calculate(by=teller, bill=bill)
    services.invoice(by=teller, bill=bill)
    with pytest.raises(IllegalTransition):
        services.invoice(by=teller, bill=bill)


def test_an_invoiced_bill_follows_its_payments_and_refunds(bill, teller, admin_user):
    services.add_item(by=teller, bill=bill, kind=ItemKind.LAB_TEST, description="X-ray", unit_price="8000")
    services.calculate(by=teller, bill=bill)
    services.invoice(by=teller, bill=bill)
    payments.take_payment(by=teller, bill=bill, amount="8000")
    refund = payments.request_refund(by=teller, bill=bill, amount="8000", reason="Not done")
    payments.approve_refund(by=admin_user, refund=refund)
    bill.refresh_from_db()
    assert (bill.status, bill.paid_total) == (S.INVOICED, Decimal("0.00"))
    assert list(bill.status_changes.values_list("from_status", "to_status")) == [
        ("", S.PENDING), (S.PENDING, S.CALCULATED), (S.CALCULATED, S.INVOICED), (S.INVOICED, S.PAID),
        (S.PAID, S.INVOICED)]
    services.void(by=admin_user, bill=bill, reason="Procedure cancelled")
    bill.refresh_from_db()
    assert bill.status == S.VOID
