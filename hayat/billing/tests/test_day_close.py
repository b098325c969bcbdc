"""Closing a teller's day (Z-report): totals by method, expected against counted cash, a closed day never changes."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from hayat.billing import cashbook, dayclose, payments
from hayat.billing.models import DayClose, Payment
from hayat.billing.tests import factories
from hayat.billing.tests.conftest import TODAY
from hayat.core.errors import Conflict, DomainError
from hayat.core.models import AuditEvent


@pytest.fixture
def day_of_money(bill, teller, admin_user, clock):
    """On the clock's day the teller takes 60 000 cash and 30 000 by card on a 100 000 bill, a 50 000 cash deposit
    and a 20 000 transfer deposit, and hands out an approved 10 000 cash refund of the deposit."""
    from hayat.billing import services
    from hayat.billing.models import ItemKind

    services.add_item(by=teller, bill=bill, kind=ItemKind.MEDICATION, description="Saline", unit_price="100000")
    payments.take_payment(by=teller, bill=bill, amount="60000")
    payments.take_payment(by=teller, bill=bill, amount="30000", method="card")
    payments.take_deposit(by=teller, patient=bill.patient, amount="50000")
    payments.take_deposit(by=teller, patient=bill.patient, amount="20000", method="transfer")
    refund = payments.request_refund(by=teller, patient=bill.patient, amount="10000", reason="Asked back")
    payments.approve_refund(by=admin_user, refund=refund)
    return bill


def test_the_z_report_totals_by_method_and_expects_the_cash(day_of_money, teller, clock):
    totals = dayclose.day_totals(teller_id=teller.pk, day=TODAY)
    assert (totals.payments, totals.deposits, totals.refunds) == (
        Decimal("90000.00"), Decimal("70000.00"), Decimal("10000.00"))
    assert totals.by_method == {"cash": Decimal("100000.00"), "card": Decimal("30000.00"),
                                "transfer": Decimal("20000.00")}
    closed = dayclose.close_day(by=teller, day=TODAY, counted_cash="100000")
    assert (closed.expected_cash, closed.difference, closed.receipts) == (Decimal("100000.00"), Decimal("0.00"), 5)


def test_a_difference_needs_a_note_and_is_kept(day_of_money, teller, clock):
    with pytest.raises(DomainError, match="say why") as refused:
        dayclose.close_day(by=teller, day=TODAY, counted_cash="99000")
    assert refused.value.field == "note" and not DayClose.objects.exists()
    closed = dayclose.close_day(by=teller, day=TODAY, counted_cash="99000", note="Change given twice")
    assert (closed.difference, closed.note) == (Decimal("-1000.00"), "Change given twice")
    assert AuditEvent.objects.filter(action="billing.day_close").count() == 1


def test_a_closed_day_never_changes_later_money_counts_the_next_day(day_of_money, teller, clock):
    today = TODAY
    dayclose.close_day(by=teller, day=today, counted_cash="100000")
    with pytest.raises(Conflict, match="already closed"):
        dayclose.close_day(by=teller, day=today, counted_cash="100000")
    late = payments.take_payment(by=teller, bill=day_of_money, amount="10000").payment
    assert late.cash_day == today + timedelta(days=1)
    assert AuditEvent.objects.filter(action="billing.cash_day_moved", object_id=str(late.pk)).exists()
    assert dayclose.day_totals(teller_id=teller.pk, day=today).payments == Decimal("90000.00")
    report = cashbook.cash_report(start=today + timedelta(days=1))
    assert [entry.number for entry in report.entries] == [late.number]


def test_only_a_teller_closes_a_day_and_not_one_still_to_come(teller, admin_user, clock):
    with pytest.raises(PermissionDenied):
        dayclose.close_day(by=admin_user, day=TODAY, counted_cash="0")
    with pytest.raises(DomainError, match="begun"):
        dayclose.close_day(by=teller, day=TODAY + timedelta(days=1), counted_cash="0")
    with pytest.raises(DomainError, match="counted"):
        dayclose.close_day(by=teller, day=TODAY, counted_cash="")


def test_the_pages_csv_and_api(day_of_money, teller, admin_user, client_as, api_as, clock):
    client = client_as(teller)
    page = client.get(reverse("billing:day_close")).content.decode()
    assert 'id="expected-cash">100\u202f000.00' in page
    wrong = client.post(reverse("billing:day_close"), {"counted_cash": "90000", "note": ""})
    assert wrong.status_code == 200 and "say why" in wrong.content.decode()
    done = client.post(reverse("billing:day_close"), {"counted_cash": "100000", "note": ""})
    closed = DayClose.objects.get()
    assert done.status_code == 302 and done["Location"] == closed.get_absolute_url()
    printable = client_as(admin_user).get(closed.get_absolute_url()).content.decode()
    assert 'id="day-difference">0.00' in printable and "data-print" in printable and "onclick" not in printable
    csv_text = client.get(reverse("billing:day_close_csv", args=[closed.pk])).content.decode("utf-8-sig")
    assert "Expected cash,100000.00" in csv_text and Payment.objects.first().number in csv_text
    listed = api_as(admin_user).get(reverse("dayclose-list")).json()
    assert listed["results"][0]["difference"] == "0.00"
    again = api_as(teller).post(reverse("dayclose-list"), {"counted_cash": "5"}, format="json")
    assert again.status_code == 409


def test_the_cash_report_totals_by_method(day_of_money, teller, client_as, clock):
    page = client_as(teller).get(reverse("billing:cash_report")).content.decode()
    assert 'data-method="card"' in page and "30\u202f000.00" in page and "onclick" not in page
    report = cashbook.cash_report(start=TODAY)
    assert [(method, amount) for method, _label, amount in report.method_rows] == [
        ("cash", Decimal("100000.00")), ("card", Decimal("30000.00")), ("transfer", Decimal("20000.00"))]
    assert "Card,30000.00" in cashbook.as_csv(report)


def test_a_closed_days_receipts_list_in_constant_queries(teller, clock, django_assert_max_num_queries):
    for index in range(2):
        payments.take_deposit(by=teller, patient=factories.PatientFactory(), amount=str(1000 + index))
    with django_assert_max_num_queries(1):
        few = dayclose.day_totals(teller_id=teller.pk, day=TODAY)
        [payment.patient.full_name for payment in few.entries]
    for index in range(10):
        payments.take_deposit(by=teller, patient=factories.PatientFactory(), amount=str(2000 + index))
    with django_assert_max_num_queries(1):
        many = dayclose.day_totals(teller_id=teller.pk, day=TODAY)
        [payment.patient.full_name for payment in many.entries]
