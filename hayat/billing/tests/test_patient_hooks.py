"""Billing's answer to anonymising a patient: bill lines stop naming them; amounts and links stay."""

from datetime import date

import pytest

from hayat.billing.models import BillItem
from hayat.billing.tests import factories as billing
from hayat.patients import services as patients

pytestmark = pytest.mark.django_db


def test_bill_lines_of_a_shared_booking_stop_naming_the_anonymised_guest_only(clock, receptionist, admin_user):
    guest = billing.PatientFactory(first_name="Shahnoza", last_name="Yusupova")
    companion = billing.PatientFactory(first_name="Dilnoza", last_name="Karimova")
    room, tariff = billing.make_room("101", beds=2), billing.make_tariff("Rest", prices={"Standard": "350000"})
    booking = billing.book(receptionist, guests=[(guest, room, tariff), (companion, room, tariff)],
                           start=date(2026, 12, 1))
    items = BillItem.objects.filter(bill__booking=booking).order_by("pk")
    amounts = [item.amount for item in items]
    assert any("Yusupova Shahnoza" in item.description for item in items)

    patients.anonymise(by=admin_user, patient=guest, reason="request 2026/17")

    descriptions = [item.description for item in items.all()]
    assert not any("Yusupova" in text or "Shahnoza" in text for text in descriptions)
    assert any(f"Patient {guest.code} Anonymised" in text for text in descriptions)
    assert any("Karimova Dilnoza" in text for text in descriptions)
    assert [item.amount for item in items.all()] == amounts
