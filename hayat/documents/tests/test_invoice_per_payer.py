"""The invoice of a booking's bill is made out to that bill's payer and holds only that bill's lines."""

from __future__ import annotations

from datetime import date

from hayat.billing import payers
from hayat.billing.models import Bill
from hayat.billing.tests import factories
from hayat.documents import printing
from hayat.documents.kinds import KINDS
from hayat.documents.tests.pdfs import text_of

INVOICE = KINDS["invoice"]


def test_each_payer_gets_an_invoice_of_their_own_lines(letterhead, receptionist, teller, admin_user, clock):
    guest, colleague = factories.PatientFactory(last_name="Karimov"), factories.PatientFactory(last_name="Saidova")
    room = factories.make_room("210", beds=2)
    tariff = factories.make_tariff("Rest", prices={"Standard": "350000"})
    booking = factories.book(receptionist, guests=[(guest, room, tariff), (colleague, room, tariff)],
                             start=date(2026, 11, 24))
    employer = payers.save_organisation(by=admin_user, values={"name": "Navoi Mining", "tax_number": "200400600",
                                                               "address": "Navoi, 1 Lenin St"})
    company_bill = payers.move_guest(by=teller, booking=booking, patient_id=colleague.pk, target=f"org:{employer.pk}")
    own_bill = Bill.objects.get(booking=booking, payer_key="all")

    company = text_of(printing.print_document(kind=INVOICE, obj=company_bill, by=teller, language="en").pdf)
    assert "Navoi Mining" in company and "200400600" in company and colleague.full_name in company
    assert guest.full_name not in company and company_bill.number in company
    own = text_of(printing.print_document(kind=INVOICE, obj=own_bill, by=teller, language="en").pdf)
    assert guest.full_name in own and colleague.full_name not in own and "Navoi Mining" not in own
