"""The billing pages: the teller's queue, a bill and its actions, payments with receipts, deposits, refunds."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from hayat.billing import payments, services
from hayat.billing.models import Bill, BillStatus, ItemKind, Payment, PaymentKind, RefundRequest, RefundStatus
from hayat.billing.selectors import deposit_balance
from hayat.billing.tests import factories
from hayat.clinical import services as clinical
from hayat.clinical.models import Episode, EpisodeStatus
from hayat.core.models import AccessLogEntry

HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "bill-results"}


def text(response) -> str:
    """The page, its money's thin group separators read as plain spaces."""
    return response.content.decode().replace("\u202f", " ")


def priced(bill, by, amount: str = "100000") -> Bill:
    services.add_item(by=by, bill=bill, kind=ItemKind.MEDICATION, description="Ceftriaxone", unit_price=amount)
    bill.refresh_from_db()
    return bill


def added_by_hand(bill) -> list:
    return list(bill.items.exclude(kind=ItemKind.BED_TIME))


def paid_bill(ward, teller) -> Bill:
    room = factories.hospital_room("309", beds=1)
    episode = factories.admit(factories.PatientFactory(last_name="Paidova"), room.beds.get(), doctor=ward.doctor,
                              by=ward.coder)
    bill = priced(factories.bill_of(episode), teller, "5000")
    payments.take_payment(by=teller, bill=bill, amount="5000")
    return bill


# --- the list ---------------------------------------------------------------------------------------------


def test_the_list_opens_on_the_unpaid_bills_and_shows_all_on_request(bill, ward, teller, client_as):
    priced(bill, teller)
    settled = paid_bill(ward, teller)
    client = client_as(teller)
    queue = text(client.get(reverse("billing:bill_list")))
    assert f'data-bill="{bill.number}"' in queue and f'data-bill="{settled.number}"' not in queue
    assert "100 000" in queue
    everything = text(client.get(reverse("billing:bill_list"), {"show": "all"}))
    assert f'data-bill="{bill.number}"' in everything and f'data-bill="{settled.number}"' in everything
    paid_only = text(client.get(reverse("billing:bill_list"), {"show": "all", "status": BillStatus.PAID}))
    assert f'data-bill="{bill.number}"' not in paid_only and f'data-bill="{settled.number}"' in paid_only


def test_the_search_answers_htmx_with_the_rows_only(bill, ward, teller, client_as):
    other = paid_bill(ward, teller)
    client = client_as(teller)
    url = reverse("billing:bill_list")
    by_code = text(client.get(url, {"show": "all", "q": bill.patient.code}, **HTMX))
    assert "<html" not in by_code
    assert f'data-bill="{bill.number}"' in by_code and f'data-bill="{other.number}"' not in by_code
    by_name = text(client.get(url, {"show": "all", "q": "paidova"}, **HTMX))
    assert f'data-bill="{other.number}"' in by_name and f'data-bill="{bill.number}"' not in by_name
    by_number = text(client.get(url, {"show": "all", "q": other.number}, **HTMX))
    assert f'data-bill="{other.number}"' in by_number and f'data-bill="{bill.number}"' not in by_number
    assert client.get(url, {"status": "nonsense", "show": "x", "page": "-1"}).status_code == 200


@pytest.mark.parametrize("show", ["unpaid", "all"])
def test_the_list_has_a_constant_query_count_at_10_and_200_bills(teller, clock, client_as, show,
                                                                 django_assert_max_num_queries):
    client = client_as(teller)
    url = reverse("billing:bill_list")
    factories.owing_in_bulk(10, by=teller, prefix="A")
    with django_assert_max_num_queries(20) as few:
        assert text(client.get(url, {"show": show})).count("data-bill=") == 10
    factories.owing_in_bulk(190, by=teller, prefix="B")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert text(client.get(url, {"show": show})).count("data-bill=") == 25  # one page


def test_only_billing_staff_see_the_list(bill, doctor, nurse, coder, receptionist, admin_user, client_as):
    priced(bill, receptionist)
    for outsider in (doctor, nurse, coder):
        assert client_as(outsider).get(reverse("billing:bill_list")).status_code == 403
    for insider in (receptionist, admin_user):
        assert bill.number in text(client_as(insider).get(reverse("billing:bill_list")))


# --- one bill ---------------------------------------------------------------------------------------------


def test_the_bill_page_shows_live_bed_time_and_logs_the_access(bill, teller, clock, client_as):
    clock.advance(hours=2, minutes=5)
    page = text(client_as(teller).get(reverse("billing:bill_detail", args=[bill.pk])))
    assert "Bed time: room 301, bed 1" in page and 'id="accruing-note"' in page
    assert 'hx-trigger="every 60s"' in page
    assert "30 000" in page
    entry = AccessLogEntry.objects.get(what="bill")
    assert (entry.patient_id, entry.actor_id) == (bill.patient_id, teller.pk)


@pytest.mark.parametrize("unit, quantity, price", [("hour", "3 h", "/ h"), ("minute", "125 min", "/ min"),
                                                   ("12h", "1 × 12 h", "/ 12 h"), ("day", "1 d", "/ day")])
def test_bed_time_is_counted_in_the_unit_of_the_room_types_policy(bill, ward, teller, clock, client_as, settings,
                                                                  unit, quantity, price):
    settings.HAYAT_BED_TIME_INTERVAL_MINUTES = 1  # how often the worker runs changes no unit
    ward.room.room_type.charge_unit = unit
    ward.room.room_type.save()
    clock.advance(hours=2, minutes=5)
    page = text(client_as(teller).get(reverse("billing:bill_detail", args=[bill.pk])))
    row = page[page.index('data-kind="bed_time"'):]
    row = row[:row.index("</tr>")]
    assert f"{quantity}</td>" in row and f">{price}</span>" in row


def test_the_bill_page_says_when_it_opened_on_the_same_clock_as_its_history(ward, teller, client_as, clock):
    clock.set(clock.now() - timedelta(days=40))
    bill = factories.bill_of(factories.admit(ward.patient, ward.bed1, doctor=ward.doctor, by=ward.coder))
    page = text(client_as(teller).get(reverse("billing:bill_detail", args=[bill.pk])))
    opened = "12 Oct 2026 09:00"
    assert f"opened {opened}" in " ".join(page.split())
    timeline = page[page.index('id="bill-timeline"'):]
    assert opened in timeline[:timeline.index("</ol>")]
    assert bill.created_at.date().isoformat() not in page.split('id="bill-lines"')[0]


def test_each_role_sees_only_the_actions_it_may_take(bill, teller, receptionist, admin_user, client_as):
    priced(bill, teller)
    url = reverse("billing:bill_detail", args=[bill.pk])
    as_teller = text(client_as(teller).get(url))
    assert 'id="take-payment"' in as_teller and 'id="add-item"' in as_teller and 'id="void-bill"' not in as_teller
    as_reception = text(client_as(receptionist).get(url))
    assert 'id="take-payment"' not in as_reception and 'id="add-item"' in as_reception
    as_admin = text(client_as(admin_user).get(url))
    assert 'id="void-bill"' in as_admin and 'id="take-payment"' not in as_admin and 'id="add-item"' not in as_admin


def test_the_lines_refresh_alone(bill, teller, clock, client_as):
    clock.advance(hours=3, minutes=1)
    lines = text(client_as(teller).get(reverse("billing:bill_lines", args=[bill.pk])))
    assert "<html" not in lines and 'id="bill-lines"' in lines and "40 000" in lines


def test_the_bill_page_has_a_constant_query_count(bill, teller, admin_user, clock, client_as,
                                                  django_assert_max_num_queries):
    client = client_as(teller)
    url = reverse("billing:bill_detail", args=[bill.pk])
    with django_assert_max_num_queries(40) as few:
        client.get(url)
    for index in range(12):
        services.add_item(by=teller, bill=bill, kind=ItemKind.LAB_TEST, description=f"Test {index}", unit_price="900")
        payments.take_payment(by=teller, bill=bill, amount="100")
    payments.request_refund(by=teller, bill=bill, amount="100", reason="Twice")
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = text(client.get(url))
    assert page.count('data-kind="lab_test"') == 12 and page.count('title="Print receipt"') == 12


def test_items_are_added_removed_and_corrected_from_the_page(bill, teller, client_as):
    client = client_as(teller)
    refused = client.post(reverse("billing:item_add", args=[bill.pk]), {
        "kind": ItemKind.MANUAL, "description": "Extra linen", "quantity": "1", "unit_price": "20000", "reason": ""})
    assert refused.status_code == 200 and "Say why this item is added by hand." in text(refused)
    assert not added_by_hand(bill)
    added = client.post(reverse("billing:item_add", args=[bill.pk]), {
        "kind": ItemKind.MANUAL, "description": "Extra linen", "quantity": "2", "unit_price": "20000",
        "reason": "Asked for it"}, follow=True)
    assert "Item added to bill" in text(added) and "Asked for it" in text(added)
    (item,) = added_by_hand(bill)
    client.post(reverse("billing:item_remove", args=[item.pk]))
    assert not added_by_hand(bill)
    (item,) = added_by_hand(priced(bill, teller))
    client.post(reverse("billing:bill_calculate", args=[bill.pk]))
    client.post(reverse("billing:bill_invoice", args=[bill.pk]))
    bill.refresh_from_db()
    assert bill.status == BillStatus.INVOICED
    after_invoice = client.post(reverse("billing:item_remove", args=[item.pk]), follow=True)
    assert "correct the item instead of removing it" in text(after_invoice)
    assert bill.items.filter(pk=item.pk).exists()
    form = text(client.get(reverse("billing:item_correct", args=[item.pk])))
    assert "Ceftriaxone" in form
    client.post(reverse("billing:item_correct", args=[item.pk]), {"reason": "Not given"})
    bill.refresh_from_db()
    assert bill.items_total == Decimal("0.00") and bill.items.get(corrects=item).amount == Decimal("-100000.00")


def test_a_teller_adds_a_medication_and_a_lab_test_from_the_bill_page(bill, teller, client_as):
    client = client_as(teller)
    page = text(client.get(reverse("billing:bill_detail", args=[bill.pk])))
    assert '<option value="medication">Medication</option>' in page
    assert '<option value="lab_test">Lab test</option>' in page
    for kind, description, price in ((ItemKind.MEDICATION, "Ceftriaxone 1 g", "25000"),
                                     (ItemKind.LAB_TEST, "Complete blood count", "45000.50")):
        client.post(reverse("billing:item_add", args=[bill.pk]), {
            "kind": kind, "description": description, "quantity": "2", "unit_price": price, "reason": ""})
    page = text(client.get(reverse("billing:bill_detail", args=[bill.pk])))
    for label, kind, description in (("Medication", "medication", "Ceftriaxone 1 g"),
                                     ("Lab test", "lab_test", "Complete blood count")):
        assert f">{label}</th>" in page and f'<tr data-kind="{kind}">' in page and description in page
    assert sorted((item.kind, item.amount) for item in added_by_hand(bill)) == [
        (ItemKind.LAB_TEST, Decimal("90001.00")), (ItemKind.MEDICATION, Decimal("50000.00"))]
    bill.refresh_from_db()
    assert bill.items_total == Decimal("140001.00") and "140 001" in page


def test_an_admin_voids_an_unpaid_bill_with_a_reason(bill, admin_user, client_as):
    client = client_as(admin_user)
    refused = client.post(reverse("billing:bill_void", args=[bill.pk]), {"reason": " "})
    assert refused.status_code == 200
    bill.refresh_from_db()
    assert bill.status == BillStatus.PENDING
    client.post(reverse("billing:bill_void", args=[bill.pk]), {"reason": "Registered twice"})
    bill.refresh_from_db()
    assert bill.status == BillStatus.VOID
    assert bill.status_changes.last().reason == "Registered twice"


# --- payments and receipts --------------------------------------------------------------------------------


def test_a_partial_then_a_final_payment_from_the_page(bill, teller, client_as):
    priced(bill, teller)
    client = client_as(teller)
    url = reverse("billing:take_payment", args=[bill.pk])
    form = text(client.get(url))
    assert 'id="balance-due"' in form and 'value="100000.00"' in form
    assert AccessLogEntry.objects.filter(what="bill payment form", patient_id=bill.patient_id).exists()
    first = client.post(url, {"amount": "30 000", "method": "cash"})
    receipt = Payment.objects.get()
    assert first["Location"] == f"{reverse('billing:bill_detail', args=[bill.pk])}?receipt={receipt.pk}"
    page = text(client.get(first["Location"]))
    assert 'id="print-receipt"' in page and reverse("billing:receipt", args=[receipt.pk]) in page
    bill.refresh_from_db()
    assert (bill.status, bill.balance) == (BillStatus.PARTIALLY_PAID, Decimal("70000.00"))
    client.post(url, {"amount": "70000", "method": "card"})
    bill.refresh_from_db()
    assert (bill.status, bill.balance) == (BillStatus.PAID, Decimal("0.00"))


@pytest.mark.parametrize(("amount", "message"), [
    ("100000.01", "more than the"), ("abc", "Enter an amount of money"), ("0", "more than zero"),
    ("1.999", "at most two decimals"),
])
def test_a_bad_payment_is_explained_on_the_form_and_changes_nothing(bill, teller, client_as, amount, message):
    priced(bill, teller)
    response = client_as(teller).post(reverse("billing:take_payment", args=[bill.pk]),
                                      {"amount": amount, "method": "cash"})
    assert response.status_code == 200 and message in text(response)
    assert not Payment.objects.exists()
    bill.refresh_from_db()
    assert bill.status == BillStatus.PENDING


def test_an_excess_is_kept_as_a_deposit_when_asked(bill, teller, client_as):
    priced(bill, teller, "1000")
    client_as(teller).post(reverse("billing:take_payment", args=[bill.pk]),
                           {"amount": "1500", "method": "cash", "excess_to_deposit": "on"})
    assert sorted(Payment.objects.values_list("kind", "amount")) == [
        (PaymentKind.DEPOSIT, Decimal("500.00")), (PaymentKind.PAYMENT, Decimal("1000.00"))]
    assert deposit_balance(bill.patient_id) == Decimal("500.00")


def test_the_receipt_is_a_pdf_and_its_reading_is_logged(bill, teller, client_as):
    """Receipts are printed by the documents app (hayat/documents/tests); this address leads there."""
    priced(bill, teller)
    payment = payments.take_payment(by=teller, bill=bill, amount="40000").payment
    response = client_as(teller).get(reverse("billing:receipt", args=[payment.pk]), follow=True)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="receipt-{payment.number}.pdf"'
    assert response.content.startswith(b"%PDF") and response.content.rstrip().endswith(b"%%EOF")
    assert f"(Payment receipt {payment.number})".encode() in response.content, "the document's title"
    assert AccessLogEntry.objects.filter(what="receipt", patient_id=bill.patient_id, actor_id=teller.pk).exists()
    assert client_as(teller).get(reverse("billing:receipt", args=[payment.pk + 99]), follow=True).status_code == 404


@pytest.mark.parametrize("value", ["abc", "²", "-1", "2026-99-01", "9" * 30])
def test_a_receipt_parameter_that_names_no_receipt_shows_no_print_link(bill, teller, client_as, value):
    pages = (reverse("billing:bill_detail", args=[bill.pk]), reverse("billing:patient_money", args=[bill.patient_id]))
    for url in pages:
        response = client_as(teller).get(url, {"receipt": value})
        assert response.status_code == 200 and 'id="print-receipt"' not in text(response)


# --- take payment from the booking and episode pages ------------------------------------------------------


def button(user, **source) -> str:
    request = RequestFactory().get("/")
    template = Template('{% include "billing/_take_payment_button.html" %}')
    return template.render(Context({"request": request, "user": user, **source}))


def test_the_button_shows_to_tellers_only_while_there_is_money_to_take(ward, teller, receptionist, clock):
    url = reverse("billing:take_payment_for")
    episode = factories.outpatient(ward.patient, doctor=ward.doctor, by=ward.coder)
    assert button(teller, episode=episode).strip() == "", "coded, nothing charged yet"
    priced(factories.bill_of(episode), teller, "7000")
    assert f'href="{url}?episode={episode.pk}"' in button(teller, episode=episode)
    assert button(receptionist, episode=episode).strip() == ""
    assert button(teller).strip() == ""
    payments.take_payment(by=teller, bill=factories.bill_of(episode), amount="7000")
    assert button(teller, episode=episode).strip() == "", "paid: nothing to pay"


def test_the_button_shows_while_bed_time_accrues_and_hides_once_the_stay_is_paid(admitted, bill, ward, teller,
                                                                                  clock):
    assert 'id="take-payment-for"' in button(teller, episode=admitted), "a patient in bed owes more every hour"
    clock.advance(hours=2)
    factories.discharge(admitted, by=ward.doctor)
    assert 'id="take-payment-for"' in button(teller, episode=admitted)
    payments.take_payment(by=teller, bill=bill, amount="20000")
    assert button(teller, episode=admitted).strip() == ""


def test_the_button_is_hidden_before_coding_and_after_a_cancellation(ward, teller):
    episode = factories.ready_for_coding(ward.patient, doctor=ward.doctor)
    assert button(teller, episode=episode).strip() == ""
    clinical.cancel_episode(by=ward.doctor, episode=episode, reason="Left before coding")
    assert button(teller, episode=Episode.objects.get(pk=episode.pk)).strip() == ""


def test_take_payment_from_an_episode_goes_to_its_bill(admitted, bill, teller, client_as, clock):
    clock.advance(hours=1)
    response = client_as(teller).get(reverse("billing:take_payment_for"), {"episode": admitted.pk})
    assert response["Location"] == reverse("billing:take_payment", args=[bill.pk])


@pytest.mark.parametrize("status", [EpisodeStatus.PENDING, EpisodeStatus.READY_FOR_CODING, EpisodeStatus.CANCELLED])
def test_take_payment_never_opens_a_bill_for_an_episode_before_coding(ward, teller, client_as, status):
    episode = (factories.registered(ward.patient) if status == EpisodeStatus.PENDING
               else factories.ready_for_coding(ward.patient, doctor=ward.doctor))
    if status == EpisodeStatus.CANCELLED:
        clinical.cancel_episode(by=ward.doctor, episode=episode, reason="Registered twice")
    response = client_as(teller).get(reverse("billing:take_payment_for"), {"episode": episode.pk}, follow=True)
    assert response.redirect_chain[-1][0] == episode.get_absolute_url()
    page = text(response)
    assert episode.case_number in page and ("has no bill yet" in page or "it has no bill" in page)
    assert not Bill.objects.exists()


def test_take_payment_never_opens_a_bill_for_a_booking_not_confirmed(ward, teller, receptionist, client_as, clock):
    booking = factories.stay(receptionist, ward.patient, start=clock.now().date() + timedelta(days=1),
                             status="pending")
    response = client_as(teller).get(reverse("billing:take_payment_for"), {"booking": booking.pk}, follow=True)
    assert response.redirect_chain[-1][0] == booking.get_absolute_url()
    assert "opens when the booking is confirmed" in text(response)
    assert button(teller, booking=booking).strip() == ""
    assert not Bill.objects.exists()


def test_take_payment_from_the_booking_page(ward, teller, receptionist, client_as, clock):
    booking = factories.stay(receptionist, ward.patient, start=clock.now().date() + timedelta(days=1))
    stay_bill = factories.bill_of(booking)
    page = text(client_as(teller).get(reverse("stays:booking_detail", args=[booking.pk])))
    link = f"{reverse('billing:take_payment_for')}?booking={booking.pk}"
    assert f'href="{link}"' in page and 'id="take-payment-for"' in button(teller, booking=booking)
    assert 'id="take-payment-for"' not in text(client_as(receptionist).get(
        reverse("stays:booking_detail", args=[booking.pk])))
    response = client_as(teller).get(link, follow=True)
    assert response.redirect_chain[-1][0] == reverse("billing:take_payment", args=[stay_bill.pk])
    assert "1 050 000" in text(response)


def test_the_payment_form_of_a_bill_with_nothing_due_sends_back_to_the_bill(bill, teller, client_as):
    response = client_as(teller).get(reverse("billing:take_payment", args=[bill.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("billing:bill_detail", args=[bill.pk])
    assert f"Nothing is due on bill {bill.number}." in text(response)


@pytest.mark.parametrize("value", ["x", "²", "٣", "-1", "0", "9" * 30])
def test_take_payment_without_a_source_goes_back_to_the_list(teller, client_as, db, value):
    for name in ("booking", "episode"):
        response = client_as(teller).get(reverse("billing:take_payment_for"), {name: value})
        assert response["Location"] == reverse("billing:bill_list")
    assert client_as(teller).get(reverse("billing:take_payment_for"), {"episode": "999999"}).status_code == 404


# --- deposits ---------------------------------------------------------------------------------------------


def test_a_deposit_is_taken_then_applied_to_a_bill(bill, teller, client_as):
    priced(bill, teller, "60000")
    client = client_as(teller)
    refused = client.post(reverse("billing:take_deposit", args=[bill.patient_id]), {"amount": "-1", "method": "cash"})
    assert refused.status_code == 200 and "more than zero" in text(refused)
    taken = client.post(reverse("billing:take_deposit", args=[bill.patient_id]), {"amount": "80000", "method": "cash"})
    deposit = Payment.objects.get(kind=PaymentKind.DEPOSIT)
    assert taken["Location"].endswith(f"?receipt={deposit.pk}")
    money = text(client.get(taken["Location"]))
    assert deposit.number in money and "80 000" in money
    assert 'id="apply-deposit"' in text(client.get(reverse("billing:bill_detail", args=[bill.pk])))
    client.post(reverse("billing:apply_deposit", args=[bill.pk]), {"amount": ""})
    bill.refresh_from_db()
    assert (bill.status, bill.paid_total) == (BillStatus.PAID, Decimal("60000.00"))
    assert deposit_balance(bill.patient_id) == Decimal("20000.00")
    again = client.post(reverse("billing:apply_deposit", args=[bill.pk]), {"amount": ""}, follow=True)
    assert "Nothing is due on bill" in text(again)


# --- refunds ----------------------------------------------------------------------------------------------


def test_a_teller_asks_for_a_refund_and_an_admin_approves_it(bill, teller, admin_user, client_as):
    priced(bill, teller, "10000")
    payments.take_payment(by=teller, bill=bill, amount="10000")
    teller_client = client_as(teller)
    too_much = teller_client.post(reverse("billing:refund_bill", args=[bill.pk]),
                                  {"amount": "10000.01", "method": "cash", "reason": "Overcharged"})
    assert too_much.status_code == 200 and "At most" in text(too_much)
    teller_client.post(reverse("billing:refund_bill", args=[bill.pk]),
                       {"amount": "4000", "method": "cash", "reason": "Overcharged"})
    refund = RefundRequest.objects.get()
    assert teller_client.post(reverse("billing:refund_decide", args=[refund.pk]),
                              {"decision": "approve"}).status_code == 403
    admin = client_as(admin_user)
    waiting = text(admin.get(reverse("billing:refund_list")))
    assert f'data-refund="{refund.pk}"' in waiting and "Overcharged" in waiting
    admin.post(reverse("billing:refund_decide", args=[refund.pk]), {"decision": "approve", "note": "Checked"})
    refund.refresh_from_db()
    bill.refresh_from_db()
    assert (refund.status, refund.decided_by) == (RefundStatus.APPROVED, admin_user)
    assert (bill.paid_total, bill.balance, bill.status) == (Decimal("6000.00"), Decimal("4000.00"),
                                                           BillStatus.PARTIALLY_PAID)
    approved = text(admin.get(reverse("billing:refund_list"), {"status": RefundStatus.APPROVED}))
    assert refund.payment.number in approved


def test_a_refund_is_rejected_only_with_a_note(bill, teller, admin_user, client_as):
    priced(bill, teller, "10000")
    payments.take_payment(by=teller, bill=bill, amount="10000")
    refund = payments.request_refund(by=teller, bill=bill, amount="10000", reason="Left early")
    admin = client_as(admin_user)
    silent = admin.post(reverse("billing:refund_decide", args=[refund.pk]), {"decision": "reject"}, follow=True)
    assert "Say why the refund is rejected." in text(silent)
    admin.post(reverse("billing:refund_decide", args=[refund.pk]), {"decision": "reject", "note": "Services given"})
    refund.refresh_from_db()
    assert refund.status == RefundStatus.REJECTED and not Payment.objects.filter(kind=PaymentKind.REFUND).exists()
    twice = admin.post(reverse("billing:refund_decide", args=[refund.pk]), {"decision": "approve"}, follow=True)
    assert twice.status_code == 200 and not Payment.objects.filter(kind=PaymentKind.REFUND).exists()


def test_a_deposit_refund_is_asked_from_the_patient_money_page(ward, teller, client_as):
    payments.take_deposit(by=teller, patient=ward.patient, amount="5000")
    client = client_as(teller)
    form = client.get(reverse("billing:refund_deposit", args=[ward.patient.pk]))
    assert "5 000" in text(form)
    client.post(reverse("billing:refund_deposit", args=[ward.patient.pk]),
                {"amount": "5000", "method": "cash", "reason": "Treatment postponed"})
    refund = RefundRequest.objects.get()
    assert (refund.bill, refund.patient, refund.amount) == (None, ward.patient, Decimal("5000.00"))


# --- the patient page and the dashboard -------------------------------------------------------------------


def test_the_patient_page_shows_the_bills_section(bill, teller, receptionist, doctor, client_as):
    priced(bill, teller)
    payments.take_deposit(by=teller, patient=bill.patient, amount="7000")
    page = text(client_as(teller).get(reverse("patients:detail", args=[bill.patient_id])))
    assert "Bills and payments" in page and 'id="patient-bills"' in page and bill.number in page
    assert "Owed on open bills" in page and "100 000" in page
    assert "7 000" in page
    assert reverse("billing:take_deposit", args=[bill.patient_id]) in page
    as_reception = text(client_as(receptionist).get(reverse("patients:detail", args=[bill.patient_id])))
    assert bill.number in as_reception and reverse("billing:take_deposit", args=[bill.patient_id]) not in as_reception
    as_doctor = text(client_as(doctor).get(reverse("patients:detail", args=[bill.patient_id])))
    assert "Bills and payments" not in as_doctor and bill.number not in as_doctor


def in_credit(ward, teller) -> Bill:
    """A paid bill whose only charge was then corrected: it owes the patient 4 000."""
    bill = priced(factories.bill_of(factories.outpatient(factories.PatientFactory(), doctor=ward.doctor,
                                                         by=ward.coder)), teller, "4000")
    payments.take_payment(by=teller, bill=bill, amount="4000")
    services.correct_item(by=teller, item=bill.items.get(), reason="Not given")
    bill.refresh_from_db()
    return bill


def test_the_teller_queue_lists_bills_owing_money_opened_longest_ago_first(ward, teller, client_as, clock):
    start = clock.now()
    clock.set(start + timedelta(hours=2))
    later = priced(factories.bill_of(factories.admit(factories.PatientFactory(), ward.bed1, doctor=ward.doctor,
                                                     by=ward.coder)), teller, "3000")
    clock.set(start)  # written second, but opened two hours earlier on the hospital's clock
    earlier = priced(factories.bill_of(factories.admit(factories.PatientFactory(), ward.bed2, doctor=ward.doctor,
                                                       by=ward.coder)), teller)
    nothing_due = factories.bill_of(factories.outpatient(factories.PatientFactory(), doctor=ward.doctor,
                                                         by=ward.coder))
    settled, credit = paid_bill(ward, teller), in_credit(ward, teller)
    assert later.created_at < earlier.created_at and later.opened_at > earlier.opened_at
    page = text(client_as(teller).get(reverse("web:dashboard")))
    assert "Unpaid bills" in page and 'id="unpaid-panel"' in page
    queue = page[page.index('id="unpaid-panel"'):]
    queue = queue[:queue.index("</ul>")]
    assert queue.index(earlier.number) < queue.index(later.number)
    assert nothing_due.number not in queue and settled.number not in queue and credit.number not in queue
    assert '<span class="display-6">2</span>' in page, "two bills to collect"
    assert "1 bill owes a refund" in page and f"{reverse('billing:bill_list')}?show=credit" in page


def test_the_unpaid_list_shows_only_bills_with_a_balance_due(ward, teller, client_as, clock):
    due = priced(factories.bill_of(factories.outpatient(factories.PatientFactory(), doctor=ward.doctor,
                                                        by=ward.coder)), teller, "2500")
    nothing_due = factories.bill_of(factories.outpatient(factories.PatientFactory(), doctor=ward.doctor,
                                                         by=ward.coder))
    credit = in_credit(ward, teller)
    client = client_as(teller)
    unpaid = text(client.get(reverse("billing:bill_list")))
    assert f'data-bill="{due.number}"' in unpaid
    assert f'data-bill="{nothing_due.number}"' not in unpaid and f'data-bill="{credit.number}"' not in unpaid
    owed = text(client.get(reverse("billing:bill_list"), {"show": "credit"}))
    assert f'data-bill="{credit.number}"' in owed and f'data-bill="{due.number}"' not in owed


def test_the_admin_dashboard_lists_refunds_to_approve(bill, teller, admin_user, client_as):
    priced(bill, teller, "10000")
    payments.take_payment(by=teller, bill=bill, amount="10000")
    payments.request_refund(by=teller, bill=bill, amount="2500", reason="Discount agreed")
    page = text(client_as(admin_user).get(reverse("web:dashboard")))
    assert "Refunds to approve" in page and "2 500" in page
    assert "Unpaid bills" not in text(client_as(admin_user).get(reverse("web:dashboard")))


def test_the_patient_money_page_offers_desk_actions_to_tellers_only(bill, teller, receptionist, client_as):
    payments.take_deposit(by=teller, patient=bill.patient, amount="5000")
    url = reverse("billing:patient_money", args=[bill.patient_id])
    as_teller = text(client_as(teller).get(url))
    assert bill.number in as_teller and 'id="take-deposit"' in as_teller and 'id="refund-deposit"' in as_teller
    assert "5 000" in as_teller
    as_reception = text(client_as(receptionist).get(url))
    assert bill.number in as_reception and 'id="take-deposit"' not in as_reception
    assert 'id="refund-deposit"' not in as_reception
    assert AccessLogEntry.objects.filter(what="bills and payments", actor_id=receptionist.pk).exists()
