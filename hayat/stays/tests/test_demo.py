"""The demo seeds a guest in the house whose treatment has started, a reservation and waitlist entries, once."""

import pytest

from hayat.accounts import demo as accounts_demo
from hayat.catalog import demo as catalog_demo
from hayat.facilities import demo as facilities_demo
from hayat.patients import demo as patients_demo
from hayat.stays import demo
from hayat.stays.models import Booking, BookingStatus, ServiceUsage, WaitlistEntry


@pytest.mark.django_db
def test_demo_stay_operations_are_seeded_once(clock):
    for module in (accounts_demo, facilities_demo, catalog_demo, patients_demo, demo):
        module.seed()
    demo.seed()
    stay = Booking.objects.get(notes=demo.IN_HOUSE_NOTE)
    assert stay.status == BookingStatus.IN_PROGRESS and stay.illness_histories.count() == 1
    assert ServiceUsage.objects.filter(booking=stay).count() == 2
    assert Booking.objects.get(notes=demo.RESERVATION_NOTE).status == BookingStatus.RESERVATION
    assert WaitlistEntry.objects.count() == 2
