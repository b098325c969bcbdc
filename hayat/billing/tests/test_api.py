"""The billing API: bills and their actions, payments and deposits with receipts, refunds, the cash report."""

from decimal import Decimal

import pytest
from django.urls import reverse

from hayat.billing import payments, services
from hayat.billing.models import Bill, BillStatus, ItemKind, Payment, PaymentKind, RefundRequest, RefundStatus
from hayat.billing.selectors import deposit_balance
from hayat.billing.tests import factories
from hayat.core import audit
from hayat.core.models import AccessLogEntry


def bill_url(bill: Bill, action: str = "") -> str:
    return reverse(f"bill-{action or 'detail'}", args=[bill.pk])


def priced(bill: Bill, by, amount: str = "100000") -> Bill:
    services.add_item(by=by, bill=bill, kind=ItemKind.MEDICATION, description="Ceftriaxone", unit_price=amount)
    bill.refresh_from_db()
    return bill


# --- bills ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("query", [{}, {"unpaid": "true"}])
def test_the_list_has_a_constant_query_count_at_10_and_200_bills(api_as, teller, clock, query,
                                                                 django_assert_max_num_queries):
    api = api_as(teller)
    factories.owing_in_bulk(10, by=teller, prefix="A")
    with django_assert_max_num_queries(10) as few:
        body = api.get(reverse("bill-list"), {**query, "page_size": 200}).json()
    assert body["count"] == 10 and len(body["results"]) == 10
    factories.owing_in_bulk(190, by=teller, prefix="B")
    # The access log of 200 patients is one INSERT, or two on SQLite (999 parameters per statement).
    with django_assert_max_num_queries(len(few.captured_queries) - 1 + audit.access_log_statements(200)):
        body = api.get(reverse("bill-list"), {**query, "page_size": 200}).json()
    assert body["count"] == 200 and len(body["results"]) == 200


def test_the_list_filters_by_status_patient_search_and_unpaid(api_as, bill, ward, teller):
    priced(bill, teller)
    room = factories.hospital_room("309", beds=1)
    other = priced(factories.bill_of(factories.admit(factories.PatientFactory(last_name="Paidova"), room.beds.get(),
                                                     doctor=ward.doctor, by=ward.coder)), teller, "500")
    payments.take_payment(by=teller, bill=other, amount="500")
    api = api_as(teller)

    def numbers(**params) -> set[str]:
        return {row["number"] for row in api.get(reverse("bill-list"), params).json()["results"]}

    assert numbers() == {bill.number, other.number}
    assert numbers(unpaid="1") == {bill.number}
    assert numbers(status=BillStatus.PAID) == {other.number}
    assert numbers(patient=str(bill.patient_id)) == {bill.number}
    assert numbers(search="paidova") == {other.number}
    refused = api.get(reverse("bill-list"), {"status": "nonsense", "patient": "x"})
    assert refused.status_code == 400 and set(refused.json()["errors"]) == {"status", "patient"}
    row = api.get(reverse("bill-list"), {"unpaid": "1"}).json()["results"][0]
    assert row["patient_code"] == bill.patient.code and row["episode_case_number"] == bill.episode.case_number
    assert (row["items_total"], row["balance"], row["booking_number"]) == ("100000.00", "100000.00", None)


def test_a_bill_shows_its_live_lines_and_the_reading_is_logged(api_as, bill, teller, clock):
    priced(bill, teller)
    clock.advance(hours=4, minutes=10)
    body = api_as(teller).get(bill_url(bill)).json()
    lines = {line["kind"]: line for line in body["lines"]}
    assert lines[ItemKind.BED_TIME]["quantity"] == "5.00" and lines[ItemKind.BED_TIME]["amount"] == "50000.00"
    assert lines[ItemKind.BED_TIME]["accruing"] is True and lines[ItemKind.BED_TIME]["live"] is True
    assert (body["live_total"], body["live_balance"], body["items_total"]) == ("150000.00", "150000.00", "100000.00")
    assert AccessLogEntry.objects.filter(what="bill", patient_id=bill.patient_id, actor_id=teller.pk).exists()


def test_a_bill_shows_its_status_history_as_the_page_does(api_as, bill, ward, teller, clock):
    priced(bill, teller, "9000")
    clock.advance(minutes=30)
    payments.take_payment(by=teller, bill=bill, amount="19000")  # with the bed's first hour
    body = api_as(teller).get(bill_url(bill)).json()
    assert [(row["from_status"], row["to_status"], row["by_name"]) for row in body["history"]] == [
        ("", BillStatus.PENDING, ward.coder.full_name), (BillStatus.PENDING, BillStatus.CALCULATED, "Tom Teller"),
        (BillStatus.CALCULATED, BillStatus.INVOICED, "Tom Teller"),
        (BillStatus.INVOICED, BillStatus.PAID, "Tom Teller")]
    assert body["history"][0]["reason"] == "Bill opened" and body["opened_at"] == body["history"][0]["at"]
    assert body["history"][-1]["at"].startswith("2026-11-21T09:30")


def test_the_bill_api_reads_in_a_constant_number_of_queries(api_as, bill, teller, django_assert_max_num_queries):
    api = api_as(teller)
    services.add_item(by=teller, bill=bill, kind=ItemKind.LAB_TEST, description="X-ray", unit_price="900")
    payments.take_payment(by=teller, bill=bill, amount="900")
    with django_assert_max_num_queries(30) as few:
        api.get(bill_url(bill))
    for index in range(3):  # partially paid by the next item, then paid again
        services.add_item(by=teller, bill=bill, kind=ItemKind.LAB_TEST, description=f"Test {index}", unit_price="900")
        payments.take_payment(by=teller, bill=bill, amount="900")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(api.get(bill_url(bill)).json()["history"]) == 10


def test_open_finds_the_bill_and_never_opens_one_before_coding_or_confirmation(api_as, admitted, bill, ward,
                                                                               receptionist, clock):
    api = api_as(receptionist)
    by_episode = api.post(reverse("bill-open"), {"episode": admitted.pk}, format="json")
    assert by_episode.status_code == 200 and by_episode.json()["id"] == bill.pk
    booking = factories.stay(receptionist, factories.PatientFactory(), start=clock.now().date(), status="pending")
    too_early = api.post(reverse("bill-open"), {"booking": booking.pk}, format="json")
    assert too_early.status_code == 409 and too_early.json()["code"] == "no_bill_yet"
    assert "opens when the booking is confirmed" in too_early.json()["detail"]
    waiting = factories.ready_for_coding(factories.PatientFactory(), doctor=ward.doctor)
    not_coded = api.post(reverse("bill-open"), {"episode": waiting.pk}, format="json")
    assert not_coded.status_code == 409 and waiting.case_number in not_coded.json()["detail"]
    assert not Bill.objects.filter(booking=booking).exists() and not Bill.objects.filter(episode=waiting).exists()
    both = api.post(reverse("bill-open"), {"booking": booking.pk, "episode": admitted.pk}, format="json")
    assert both.status_code == 400 and both.json()["code"] == "invalid"
    assert api.post(reverse("bill-open"), {"episode": 999999}, format="json").status_code == 404


def test_items_are_added_removed_and_corrected(api_as, bill, teller):
    api = api_as(teller)
    added = api.post(bill_url(bill, "add-item"), {"kind": "lab_test", "description": "CBC", "quantity": "2",
                                                  "unit_price": "45000"}, format="json")
    assert added.status_code == 201 and added.json()["items_total"] == "90000.00"
    item = bill.items.get(kind=ItemKind.LAB_TEST)
    removed = api.post(bill_url(bill, "remove-item"), {"item": item.pk}, format="json")
    assert removed.status_code == 200 and removed.json()["items_total"] == "0.00"
    api.post(bill_url(bill, "add-item"), {"kind": "manual", "description": "Linen", "unit_price": "7000",
                                          "reason": "Asked for it"}, format="json")
    assert api.post(bill_url(bill, "calculate")).json()["status"] == BillStatus.CALCULATED
    assert api.post(bill_url(bill, "invoice")).json()["status"] == BillStatus.INVOICED
    manual = bill.items.get(kind=ItemKind.MANUAL)
    refused = api.post(bill_url(bill, "remove-item"), {"item": manual.pk}, format="json")
    assert refused.status_code == 409 and refused.json()["code"] == "bill_issued"
    corrected = api.post(bill_url(bill, "correct-item"), {"item": manual.pk, "reason": "Not given"}, format="json")
    assert corrected.status_code == 201 and corrected.json()["items_total"] == "0.00"


@pytest.mark.parametrize(("values", "field"), [
    ({"kind": "manual", "description": "Linen", "unit_price": "7000"}, "reason"),
    ({"kind": "bed_time", "description": "Bed"}, "kind"),
    ({"kind": "lab_test", "description": "CBC", "unit_price": "1e99"}, "unit_price"),
    ({"kind": "lab_test", "description": "CBC", "unit_price": "1", "quantity": "-3"}, "quantity"),
    ({"kind": "service"}, "service"),
])
def test_a_bad_item_names_the_field_and_changes_nothing(api_as, bill, teller, values, field):
    response = api_as(teller).post(bill_url(bill, "add-item"), values, format="json")
    assert response.status_code == 400 and field in response.json()["errors"], response.json()
    assert not bill.items.exclude(kind=ItemKind.BED_TIME).exists()


def test_only_an_admin_voids_and_never_a_bill_with_money_on_it(api_as, bill, teller, admin_user):
    priced(bill, teller)
    assert api_as(teller).post(bill_url(bill, "void"), {"reason": "x"}, format="json").status_code == 403
    payments.take_payment(by=teller, bill=bill, amount="1000")
    refused = api_as(admin_user).post(bill_url(bill, "void"), {"reason": "Duplicate"}, format="json")
    assert refused.status_code == 409 and refused.json()["code"] == "bill_has_payments"
    no_reason = api_as(admin_user).post(bill_url(bill, "void"), {}, format="json")
    assert no_reason.status_code == 400 and "reason" in no_reason.json()["errors"]


NOT_IDS = ["abc", "²", "٣", "1.5", "-1", "1e3"]


@pytest.mark.parametrize("value", NOT_IDS)
def test_an_id_that_is_not_ascii_digits_is_a_404_never_a_server_error(api_as, bill, teller, value):
    api = api_as(teller)
    for path in ("bills", "payments", "refunds", "payments/{}/receipt"):
        path = path.format(value) if "{}" in path else f"{path}/{value}"
        response = api.get(f"/api/{path}/")
        assert response.status_code == 404, (path, response.status_code)
    for action in ("items", "remove-item", "correct-item", "calculate", "invoice", "void", "apply-deposit"):
        response = api.post(f"/api/bills/{value}/{action}/", {"kind": "lab_test", "description": "CBC",
                                                               "unit_price": "1", "item": 1, "reason": "x"},
                            format="json")
        assert response.status_code == 404, (action, response.status_code)
    for action in ("approve", "reject"):
        assert api_as(None).post(f"/api/refunds/{value}/{action}/").status_code in {401, 404}


HUGE = "9" * 30


@pytest.mark.parametrize(("path", "params", "field"), [
    ("/api/bills/", {"patient": HUGE}, "patient"), ("/api/bills/", {"patient": "²"}, "patient"),
    ("/api/bills/", {"patient": "0"}, "patient"), ("/api/bills/", {"status": "lost"}, "status"),
    ("/api/bills/", {"unpaid": "perhaps"}, "unpaid"),
    ("/api/payments/", {"patient": HUGE}, "patient"), ("/api/payments/", {"kind": "gift"}, "kind"),
    ("/api/refunds/", {"status": "maybe"}, "status"),
    ("/api/cash-report/", {"teller": HUGE}, "teller"), ("/api/cash-report/", {"teller": "x"}, "teller"),
    ("/api/cash-report/", {"date": "9999-12-31"}, "date"), ("/api/cash-report/", {"start": "0001-01-01"}, "start"),
    ("/api/cash-report/", {"end": "9999-12-31"}, "end"),
])
def test_a_query_parameter_that_makes_no_sense_is_a_400_naming_it(api_as, bill, teller, path, params, field):
    response = api_as(teller).get(path, params)
    assert response.status_code == 400 and list(response.json()["errors"]) == [field], response.json()


@pytest.mark.parametrize("value", [HUGE, "0", "-4", "x"])
def test_an_id_in_a_body_that_no_row_can_have_is_a_400_naming_it(api_as, bill, receptionist, value):
    api = api_as(receptionist)
    for name in ("booking", "episode"):
        response = api.post(reverse("bill-open"), {name: value}, format="json")
        assert response.status_code == 400 and name in response.json()["errors"]
    for action in ("remove-item", "correct-item"):
        response = api.post(bill_url(bill, action), {"item": value, "reason": "x"}, format="json")
        assert response.status_code == 400 and "item" in response.json()["errors"]


def test_doctors_and_nurses_have_no_billing_api(api_as, bill, doctor, nurse):
    for outsider in (doctor, nurse):
        assert api_as(outsider).get(reverse("bill-list")).status_code == 403
        assert api_as(outsider).get(bill_url(bill)).status_code == 403
    assert api_as(None).get(reverse("bill-list")).status_code == 401


# --- payments and deposits --------------------------------------------------------------------------------


def pay(api, **values):
    return api.post(reverse("payment-list"), values, format="json")


def test_a_partial_then_a_final_payment_marks_the_bill_paid(api_as, bill, teller):
    priced(bill, teller)
    api = api_as(teller)
    first = pay(api, bill=bill.pk, amount="40000")
    assert first.status_code == 201
    (receipt,) = first.json()
    assert (receipt["kind"], receipt["amount"], receipt["balance_after"]) == ("payment", "40000.00", "60000.00")
    assert api.get(bill_url(bill)).json()["status"] == BillStatus.PARTIALLY_PAID
    pay(api, bill=bill.pk, amount="60000", method="card")
    body = api.get(bill_url(bill)).json()
    assert (body["status"], body["balance"], len(body["payments"])) == (BillStatus.PAID, "0.00", 2)


def test_more_than_due_is_refused_unless_the_excess_becomes_a_deposit(api_as, bill, teller):
    priced(bill, teller, "1000")
    api = api_as(teller)
    refused = pay(api, bill=bill.pk, amount="1500")
    assert refused.status_code == 400 and refused.json()["code"] == "more_than_due"
    assert refused.json()["errors"] == {"amount": [refused.json()["detail"]]}
    assert not Payment.objects.exists()
    taken = pay(api, bill=bill.pk, amount="1500", excess_to_deposit=True)
    assert [(row["kind"], row["amount"]) for row in taken.json()] == [("payment", "1000.00"), ("deposit", "500.00")]


@pytest.mark.parametrize(("values", "field"), [
    ({"amount": "abc"}, "amount"), ({"amount": "0"}, "amount"), ({"amount": "5", "method": "bitcoin"}, "method"),
    ({"amount": "5", "bill": None}, "bill"),
])
def test_a_bad_payment_names_the_field(api_as, bill, teller, values, field):
    priced(bill, teller)
    response = pay(api_as(teller), **{"bill": bill.pk, **values})
    assert response.status_code == 400 and field in response.json()["errors"], response.json()
    assert not Payment.objects.exists()


def test_a_deposit_is_taken_applied_and_listed(api_as, bill, teller):
    priced(bill, teller, "30000")
    api = api_as(teller)
    no_patient = pay(api, kind="deposit", amount="50000")
    assert no_patient.status_code == 400 and "patient" in no_patient.json()["errors"]
    (deposit,) = pay(api, kind="deposit", patient=bill.patient_id, amount="50000").json()
    assert (deposit["bill"], deposit["balance_after"]) == (None, "50000.00")
    applied = api.post(bill_url(bill, "apply-deposit"), {}, format="json")
    assert applied.status_code == 200 and applied.json()["status"] == BillStatus.PAID
    assert applied.json()["deposit_available"] == "20000.00"
    again = api.post(bill_url(bill, "apply-deposit"), {"amount": "1"}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "nothing_due"
    listed = api.get(reverse("payment-list"), {"patient": bill.patient_id, "kind": "deposit"}).json()
    assert [row["number"] for row in listed["results"]] == [deposit["number"]]


def test_only_tellers_take_money(api_as, bill, receptionist, admin_user):
    priced(bill, receptionist)
    for outsider in (receptionist, admin_user):
        assert pay(api_as(outsider), bill=bill.pk, amount="100").status_code == 403
    assert not Payment.objects.exists()


def test_a_payment_and_its_receipt(api_as, bill, teller, receptionist):
    priced(bill, teller)
    payment = payments.take_payment(by=teller, bill=bill, amount="100").payment
    api = api_as(receptionist)
    body = api.get(reverse("payment-detail", args=[payment.pk])).json()
    assert (body["number"], body["bill_number"], body["received_by_name"]) == (payment.number, bill.number,
                                                                              "Tom Teller")
    assert AccessLogEntry.objects.filter(what="payment", object_id=str(payment.pk)).exists()
    pdf = api.get(reverse("payment-receipt", args=[payment.pk]), follow=True)
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    asked_as_pdf = api.get(reverse("payment-receipt", args=[payment.pk]), HTTP_ACCEPT="application/pdf",
                           follow=True)
    assert asked_as_pdf.status_code == 200 and asked_as_pdf.content.startswith(b"%PDF")
    missing = api.get(reverse("payment-receipt", args=[payment.pk + 1000]), HTTP_ACCEPT="application/pdf")
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"


def test_the_payment_list_has_a_constant_query_count(api_as, bill, teller, django_assert_max_num_queries):
    priced(bill, teller)
    api = api_as(teller)
    payments.take_payment(by=teller, bill=bill, amount="100")
    with django_assert_max_num_queries(10) as few:
        api.get(reverse("payment-list"))
    for _ in range(20):
        payments.take_payment(by=teller, bill=bill, amount="100")
        payments.take_deposit(by=teller, patient=bill.patient, amount="100")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert api.get(reverse("payment-list")).json()["count"] == 41


# --- refunds ----------------------------------------------------------------------------------------------


def test_a_refund_is_asked_by_a_teller_and_approved_by_an_admin(api_as, bill, teller, admin_user):
    priced(bill, teller, "10000")
    payments.take_payment(by=teller, bill=bill, amount="10000")
    asked = api_as(teller).post(reverse("refund-list"), {"bill": bill.pk, "amount": "2500",
                                                         "reason": "Discount agreed"}, format="json")
    assert asked.status_code == 201 and asked.json()["status"] == RefundStatus.REQUESTED
    refund = RefundRequest.objects.get()
    assert api_as(teller).post(reverse("refund-approve", args=[refund.pk]), {}, format="json").status_code == 403
    approved = api_as(admin_user).post(reverse("refund-approve", args=[refund.pk]), {"note": "Fine"}, format="json")
    refund.refresh_from_db()
    assert approved.status_code == 200
    assert (approved.json()["status"], approved.json()["payment_number"]) == (RefundStatus.APPROVED,
                                                                             refund.payment.number)
    bill.refresh_from_db()
    assert (bill.paid_total, bill.status) == (Decimal("7500.00"), BillStatus.PARTIALLY_PAID)
    twice = api_as(admin_user).post(reverse("refund-approve", args=[refund.pk]), {}, format="json")
    assert twice.status_code in {400, 409} and Payment.objects.filter(kind=PaymentKind.REFUND).count() == 1
    detail = api_as(teller).get(reverse("refund-detail", args=[refund.pk])).json()
    assert detail["decision_note"] == "Fine"
    assert AccessLogEntry.objects.filter(what="refund request", object_id=str(refund.pk)).exists()


def test_a_refund_needs_a_reason_an_amount_held_and_a_note_to_reject(api_as, ward, teller, admin_user):
    payments.take_deposit(by=teller, patient=ward.patient, amount="3000")
    api = api_as(teller)
    no_reason = api.post(reverse("refund-list"), {"patient": ward.patient.pk, "amount": "100"}, format="json")
    assert no_reason.status_code == 400 and "reason" in no_reason.json()["errors"]
    too_much = api.post(reverse("refund-list"), {"patient": ward.patient.pk, "amount": "3000.01",
                                                 "reason": "Postponed"}, format="json")
    assert too_much.status_code == 400 and too_much.json()["code"] == "more_than_refundable"
    neither = api.post(reverse("refund-list"), {"amount": "1", "reason": "x"}, format="json")
    assert neither.status_code == 400 and neither.json()["code"] == "bill_or_deposit"
    refund = api.post(reverse("refund-list"), {"patient": ward.patient.pk, "amount": "3000",
                                               "reason": "Postponed"}, format="json").json()
    admin = api_as(admin_user)
    silent = admin.post(reverse("refund-reject", args=[refund["id"]]), {}, format="json")
    assert silent.status_code == 400 and "note" in silent.json()["errors"]
    rejected = admin.post(reverse("refund-reject", args=[refund["id"]]), {"note": "Keep it"}, format="json")
    assert rejected.json()["status"] == RefundStatus.REJECTED
    assert deposit_balance(ward.patient.pk) == Decimal("3000.00")
    waiting = api.get(reverse("refund-list"), {"status": RefundStatus.REQUESTED}).json()
    assert waiting["count"] == 0


# --- the cash report --------------------------------------------------------------------------------------


def test_the_cash_report_by_api(api_as, bill, teller, admin_user, clock):
    priced(bill, teller)
    payments.take_payment(by=teller, bill=bill, amount="60000")
    payments.take_deposit(by=teller, patient=bill.patient, amount="5000", method="card")
    body = api_as(admin_user).get(reverse("api-cash-report"), {"date": clock.now().date().isoformat()}).json()
    assert body["totals"] == {"payments": "60000.00", "deposits": "5000.00", "refunds": "0", "cash_in": "65000.00",
                              "net": "65000.00"}
    assert body["by_method"] == {"cash": "60000.00", "card": "5000.00"}
    assert [(row["teller_name"], row["count"], row["net"]) for row in body["rows"]] == [("Tom Teller", 2, "65000.00")]
    assert len(body["entries"]) == 2
    backwards = api_as(teller).get(reverse("api-cash-report"), {"start": "2026-11-21", "end": "2026-11-01"})
    assert backwards.status_code == 400 and "end" in backwards.json()["errors"]
    assert api_as(teller).get(reverse("api-cash-report"), {"date": "soon"}).status_code == 400
