"""Twenty desks at once: the last free place and the booking numbers hold under real parallel transactions."""

from datetime import date, timedelta

import pytest

from hayat.core.tests.concurrency import run_in_parallel
from hayat.stays.errors import NoLongerAvailable
from hayat.stays.models import Booking, GuestLine
from hayat.stays.tests.factories import PatientFactory, book, make_room, make_tariff

ATTEMPTS = 20


@pytest.mark.django_db(transaction=True)
def test_last_free_place_goes_to_exactly_one_of_twenty(receptionist, clock):
    start = date(2026, 12, 1)
    room = make_room("301", beds=2)
    tariff = make_tariff("Cardio rehabilitation")
    book(receptionist, guests=[(PatientFactory(), room, tariff)], start=start, nights=7)
    hopefuls = PatientFactory.create_batch(ATTEMPTS)

    def attempt(index):
        return book(receptionist, guests=[(hopefuls[index], room, tariff)], start=start + timedelta(days=2),
                    nights=3).number

    results = run_in_parallel(attempt, ATTEMPTS)
    booked = [result for result in results if isinstance(result, str)]
    refused = [result for result in results if isinstance(result, NoLongerAvailable)]
    assert len(booked) == 1, results
    assert len(refused) == ATTEMPTS - 1, [result for result in results if not isinstance(result, str)]
    assert all("no longer available" in error.message for error in refused)
    assert GuestLine.objects.filter(room=room, holds_place=True).count() == 2
    assert sorted(Booking.objects.values_list("number", flat=True)) == ["BK-20261121-0001", "BK-20261121-0002"]


@pytest.mark.django_db(transaction=True)
def test_parallel_bookings_of_free_rooms_all_succeed_with_distinct_numbers(receptionist, clock):
    tariff = make_tariff("Rest")
    rooms = [make_room(f"4{index:02d}", beds=1) for index in range(8)]
    guests = PatientFactory.create_batch(8)

    def attempt(index):
        return book(receptionist, guests=[(guests[index], rooms[index], tariff)], start=date(2026, 12, 1)).number

    results = run_in_parallel(attempt, 8)
    assert sorted(results) == [f"BK-20261121-{n:04d}" for n in range(1, 9)]
