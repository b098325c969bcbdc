"""The daily cash report: money in and out by day and teller, with totals, a CSV and the same figures by API."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from hayat.billing import cashbook, payments, services
from hayat.billing.models import ItemKind
from hayat.core.errors import DomainError


@pytest.fixture
def day_of_money(bill, ward, teller, make_user, admin_user, clock):
    """Two tellers' day: Tom takes 60 000 cash and a 25 000 card deposit, Tess takes 40 000 cash, and an
    admin approves a 10 000 cash refund of Tom's; yesterday Tom took 1 000, which today's report leaves out."""
    other = make_user("teller", user_id="teller2", full_name="Tess Teller")
    services.add_item(by=teller, bill=bill, kind=ItemKind.MEDICATION, description="Ceftriaxone", unit_price="100000")
    clock.advance(days=-1)
    payments.take_payment(by=teller, bill=bill, amount="1000")
    clock.advance(days=1)
    payments.take_payment(by=teller, bill=bill, amount="59000")
    payments.take_deposit(by=teller, patient=ward.patient, amount="25000", method="card")
    payments.take_payment(by=other, bill=bill, amount="40000")
    refund = payments.request_refund(by=teller, bill=bill, amount="10000", reason="Medication returned")
    payments.approve_refund(by=admin_user, refund=refund)
    return other


def test_the_report_sums_each_tellers_day(day_of_money, teller, clock):
    report = cashbook.cash_report(start=clock.now().date())
    rows = [(row.teller, row.count, row.payments, row.deposits, row.refunds, row.net) for row in report.rows]
    assert rows == [
        ("Tess Teller", 1, Decimal("40000.00"), Decimal("0"), Decimal("0"), Decimal("40000.00")),
        ("Tom Teller", 3, Decimal("59000.00"), Decimal("25000.00"), Decimal("10000.00"), Decimal("74000.00")),
    ]
    assert report.totals == {"payments": Decimal("99000.00"), "deposits": Decimal("25000.00"),
                             "refunds": Decimal("10000.00"), "cash_in": Decimal("124000.00"),
                             "net": Decimal("114000.00")}
    assert report.by_method == {"cash": Decimal("89000.00"), "card": Decimal("25000.00")}
    two_days = cashbook.cash_report(start=clock.now().date() - timedelta(days=1), end=clock.now().date(),
                                    teller_id=teller.pk)
    assert [(row.day, row.net) for row in two_days.rows] == [
        (clock.now().date() - timedelta(days=1), Decimal("1000.00")), (clock.now().date(), Decimal("74000.00"))]


def test_the_report_is_one_query(day_of_money, clock, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        cashbook.cash_report(start=clock.now().date())


@pytest.mark.parametrize(("days", "field"), [(-1, "end"), (92, "end")])
def test_a_period_backwards_or_too_long_is_refused(clock, days, field):
    start = clock.now().date()
    with pytest.raises(DomainError) as refused:
        cashbook.cash_report(start=start, end=start + timedelta(days=days))
    assert refused.value.field == field


def test_a_teller_sees_their_own_day_by_default(day_of_money, teller, client_as):
    page = client_as(teller).get(reverse("billing:cash_report")).content.decode().replace("\u202f", " ")
    assert "Tom Teller" in page and "Tess Teller</td>" not in page
    assert 'id="cash-net"' in page and "74 000.00" in page


def test_an_admin_sees_every_teller_and_downloads_the_csv(day_of_money, admin_user, client_as, clock):
    client = client_as(admin_user)
    page = client.get(reverse("billing:cash_report")).content.decode().replace("\u202f", " ")
    assert "Tom Teller" in page and "Tess Teller" in page and "114 000.00" in page
    response = client.get(reverse("billing:cash_report_csv"), {"start": clock.now().date().isoformat()})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    entries = rows[1:rows.index([])]
    assert [(row[3], row[4], row[9]) for row in entries] == [
        ("Tom Teller", "Payment", "59000.00"), ("Tom Teller", "Deposit", "25000.00"),
        ("Tess Teller", "Payment", "40000.00"), ("Tom Teller", "Refund", "-10000.00")]
    assert ["Total", "", "99000.00", "25000.00", "10000.00", "114000.00"] in rows
    assert rows[-5:-2] == [["Cash", "89000.00"], ["Card", "25000.00"], ["Bank transfer", "0.00"]]
    assert rows[-1][0].startswith("Audit chain head: row ")


def test_a_bad_period_on_the_page_is_explained(day_of_money, admin_user, client_as, clock):
    client = client_as(admin_user)
    today = clock.now().date()
    backwards = client.get(reverse("billing:cash_report"), {"start": today.isoformat(),
                                                            "end": (today - timedelta(days=3)).isoformat()})
    assert backwards.status_code == 200 and "The last day comes before the first." in backwards.content.decode()
    assert client.get(reverse("billing:cash_report"), {"start": "not-a-date"}).status_code == 200
    assert client.get(reverse("billing:cash_report_csv"), {"start": today.isoformat(),
                                                           "end": (today - timedelta(days=3)).isoformat()}
                      ).status_code == 404


@pytest.mark.parametrize("params", [{"start": "9999-12-31"}, {"start": "0001-01-01"}, {"end": "9999-12-31"},
                                    {"teller": "9" * 30}, {"teller": "²"}])
def test_a_day_or_teller_no_report_can_have_is_explained_never_a_server_error(admin_user, client_as, db, params):
    client = client_as(admin_user)
    page = client.get(reverse("billing:cash_report"), params)
    assert page.status_code == 200 and 'id="cash-errors"' in page.content.decode()
    assert 'id="cash-totals"' not in page.content.decode()
    assert client.get(reverse("billing:cash_report_csv"), params).status_code == 404


@pytest.mark.parametrize("day", ["start", "end"])
def test_the_report_refuses_days_outside_what_date_arithmetic_holds(clock, day):
    today = clock.now().date()
    values = {"start": today, "end": today, day: today.replace(year=9999, month=12, day=31)}
    with pytest.raises(DomainError) as refused:
        cashbook.cash_report(**values)
    assert refused.value.field == day


def test_reception_has_no_cash_report(receptionist, client_as, db):
    assert client_as(receptionist).get(reverse("billing:cash_report")).status_code == 403


def test_the_printed_report_carries_the_audit_chain_head(day_of_money, teller, client_as):
    from hayat.core.models import AuditChainLink

    client = client_as(teller)
    page = client.get(reverse("billing:cash_report")).content.decode()
    head = AuditChainLink.objects.order_by("-seq").first()
    assert f"Audit chain head: row {head.seq}, {head.link[:16]}, sealed " in page
    csv_text = client.get(reverse("billing:cash_report_csv")).content.decode()
    head = AuditChainLink.objects.order_by("-seq").first()  # the page's own access-log row is sealed by now
    assert f"Audit chain head: row {head.seq}, {head.link[:16]}" in csv_text.splitlines()[-1]
