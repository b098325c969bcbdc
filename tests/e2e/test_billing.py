"""A teller finds an inpatient's bill in the work queue, sees the bed time accrued and growing as the hours pass,
takes a partial and then a final payment, prints the receipt, and sees the bill marked paid."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from hayat.billing import jobs
from hayat.billing.models import BillStatus, Payment
from hayat.billing.tests import factories
from hayat.core.roles import Role


def amount_in(page, selector: str) -> str:
    """The figure of a money cell without its thin group separators or currency: "40000.00"."""
    return page.inner_text(selector).replace("\u202f", "").split()[0]


def bed_line(page) -> tuple[str, str]:
    """(started hours, amount) of the bill's bed-time line as the page shows them."""
    return (amount_in(page, "#bill-items tr[data-kind=bed_time] [data-quantity]"),
            amount_in(page, "#bill-items tr[data-kind=bed_time] [data-amount]"))


@pytest.mark.django_db(transaction=True)
def test_bed_time_grows_then_a_partial_and_a_final_payment_mark_the_bill_paid(make_user, page, log_in, screenshot,
                                                                              clock):
    teller = make_user(Role.TELLER, user_id="e2e-teller", full_name="Tanzila Teller")
    doctor = make_user(Role.DOCTOR, user_id="e2e-doctor", full_name="Dr. Bekzod")
    coder = make_user(Role.CODER, user_id="e2e-coder", full_name="Kamola Coder")
    room = factories.hospital_room("405", beds=1, rate="10000.00")
    patient = factories.PatientFactory(first_name="Shahnoza", last_name="Yusupova")
    # Registered, documented and coded into the bed through clinical's use cases, at 09:00 on the test clock.
    episode = factories.admit(patient, room.beds.get(), doctor=doctor, by=coder)
    bill = factories.bill_of(episode)
    clock.advance(hours=3, minutes=10)  # four started hours, 50 minutes before a fifth begins
    jobs.accrue_bed_time()
    log_in(teller)

    page.goto(reverse("web:dashboard"))
    page.locator("#unpaid-panel").get_by_role("link", name=bill.number).click()
    page.wait_for_url(f"**{reverse('billing:bill_detail', args=[bill.pk])}")
    line = page.locator("#bill-items tr[data-kind=bed_time]")
    assert "Bed time: room 405, bed 1" in line.inner_text() and "accruing" in line.inner_text()
    assert bed_line(page) == ("4", "40000.00") and amount_in(page, "#bill-total") == "40000.00"
    screenshot("billing-1-bill")

    clock.advance(hours=1)  # the worker's next run, an hour later: a fifth hour has begun
    jobs.accrue_bed_time()
    page.reload()
    assert bed_line(page) == ("5", "50000.00") and amount_in(page, "#bill-total") == "50000.00"
    assert page.locator("#bill-items tr[data-kind=bed_time]").count() == 1, "one line that grows, not a row an hour"

    page.click("#take-payment")
    page.wait_for_selector("#payment-modal.show")
    assert page.input_value("#payment-form input[name=amount]") == "50000.00"
    page.fill("#payment-form input[name=amount]", "15000")
    screenshot("billing-2-payment")
    page.click("#confirm-payment")
    page.wait_for_selector("#receipt-ready")
    assert "Partially paid" in page.inner_text("#bill-status")
    assert amount_in(page, "#bill-paid") == "15000.00" and amount_in(page, "#bill-balance") == "35000.00"
    first = Payment.objects.get()
    # The first print of a fresh data folder also cuts the font's instances (hayat.documents.fonts).
    receipt = page.request.get(page.get_attribute("#print-receipt", "href"), timeout=60_000)
    assert receipt.headers["content-type"] == "application/pdf" and receipt.body().startswith(b"%PDF")
    assert first.number in "".join(sheet.extract_text() for sheet in PdfReader(io.BytesIO(receipt.body())).pages)
    assert first.number in page.inner_text("#bill-payments")

    page.click("#take-payment")
    page.wait_for_selector("#payment-modal.show")
    assert page.input_value("#payment-form input[name=amount]") == "35000.00"
    page.click("#confirm-payment")
    page.wait_for_selector("#receipt-ready")
    assert "Paid" in page.inner_text("#bill-status") and "Partially" not in page.inner_text("#bill-status")
    assert amount_in(page, "#bill-balance") == "0.00"
    assert page.locator("#take-payment").count() == 0
    screenshot("billing-3-paid")
    bill.refresh_from_db()
    assert (bill.status, bill.paid_total, bill.balance) == (BillStatus.PAID, 50000, 0)
    assert list(bill.status_changes.values_list("to_status", flat=True)) == [
        BillStatus.PENDING, BillStatus.CALCULATED, BillStatus.INVOICED, BillStatus.PARTIALLY_PAID, BillStatus.PAID]
    history = page.inner_text("#bill-timeline")
    assert "21 Nov 2026 09:00" in history and "21 Nov 2026 13:10" in history, "the history on the hospital clock"
