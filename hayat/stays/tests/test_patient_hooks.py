"""Stays' answer to anonymising a patient: notes of their bookings stop naming them (rows, history, audit)."""

from datetime import date

import pytest

from hayat.core.models import AuditEvent
from hayat.patients import services as patients
from hayat.patients.tests.factories import PatientFactory
from hayat.stays.models import Booking
from hayat.stays.tests.factories import book, make_room, make_tariff

pytestmark = pytest.mark.django_db


def test_booking_notes_history_and_audit_stop_naming_the_anonymised_guest(clock, receptionist, admin_user):
    guest = PatientFactory(first_name="Shahnoza", last_name="Yusupova", mobile="+998901234567")
    booking = book(receptionist, guests=[(guest, make_room("101"), make_tariff("Rest"))], start=date(2026, 12, 1),
                   notes="Shahnoza Yusupova asks for a quiet room; call +998 90 123 45 67")

    patients.anonymise(by=admin_user, patient=guest, reason="request 2026/17")

    expected = f"Patient {guest.code} Anonymised asks for a quiet room; call (anonymised)"
    assert Booking.objects.get(pk=booking.pk).notes == expected
    assert set(Booking.history.filter(id=booking.pk).values_list("notes", flat=True)) == {expected}
    recorded = str(list(AuditEvent.objects.filter(object_id=str(booking.pk), model="stays.Booking")
                        .values_list("changes", flat=True)))
    assert "Yusupova" not in recorded and "90 123 45 67" not in recorded and "quiet room" in recorded


def test_bookings_of_other_guests_keep_their_notes(clock, receptionist, admin_user):
    guest, other = PatientFactory(first_name="Shahnoza", last_name="Yusupova"), PatientFactory()
    book(receptionist, guests=[(guest, make_room("101"), make_tariff("Rest"))], start=date(2026, 12, 1))
    theirs = book(receptionist, guests=[(other, make_room("102"), make_tariff("Rest 2"))], start=date(2026, 12, 1),
                  notes="Friend of Shahnoza Yusupova")
    patients.anonymise(by=admin_user, patient=guest, reason="request 2026/17")
    assert Booking.objects.get(pk=theirs.pk).notes == "Friend of Shahnoza Yusupova"
