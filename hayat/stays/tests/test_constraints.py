"""The database's own guard rails, on every engine (and PostgreSQL's exclusion constraints on PostgreSQL)."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction

from hayat.stays.models import Booking, GuestLine
from hayat.stays.tests.factories import book

pytestmark = pytest.mark.django_db


@pytest.fixture
def booking(receptionist, room, tariff, patients, today):
    return book(receptionist, guests=[(patients[0], room, tariff, room.beds.get(number="1"))], start=today)


def refused(create) -> bool:
    try:
        with transaction.atomic():
            create()
    except IntegrityError:
        return True
    return False


def test_booking_numbers_are_unique(booking):
    assert refused(lambda: Booking.objects.create(number=booking.number, start_date=booking.start_date,
                                                  end_date=booking.end_date))


def test_a_booking_ends_after_it_starts_and_has_a_known_status(booking):
    assert refused(lambda: Booking.objects.create(number="BK-X-1", start_date=booking.start_date,
                                                  end_date=booking.start_date))
    assert refused(lambda: Booking.objects.filter(pk=booking.pk).update(status="lost"))
    assert refused(lambda: Booking.objects.filter(pk=booking.pk).update(refund_amount=-1))


def test_a_removed_line_cannot_hold_a_place(booking):
    from django.utils import timezone

    assert refused(lambda: GuestLine.objects.filter(booking=booking).update(removed_at=timezone.now()))


def test_overlapping_lines_on_one_bed_are_refused_by_postgresql_itself(booking, patients, engine):
    """Services check beds under locks on every engine; PostgreSQL adds an exclusion constraint behind them."""
    line = booking.lines.get()
    other = Booking.objects.create(number="BK-X-2", start_date=line.start_date, end_date=line.end_date)
    intruder = GuestLine(booking=other, patient=patients[1], room=line.room, bed=line.bed, tariff=line.tariff,
                         start_date=line.start_date + timedelta(days=1), end_date=line.end_date + timedelta(days=1))
    assert refused(intruder.save) is (engine == "postgresql")


def test_overlapping_lines_of_one_patient_are_refused_by_postgresql_itself(booking, engine):
    line = booking.lines.get()
    other = Booking.objects.create(number="BK-X-3", start_date=line.start_date, end_date=line.end_date)
    twin = GuestLine(booking=other, patient=line.patient, room=line.room, tariff=line.tariff,
                     start_date=line.start_date, end_date=line.end_date)
    assert refused(twin.save) is (engine == "postgresql")


def test_lines_that_hold_no_place_never_collide(booking):
    line = booking.lines.get()
    other = Booking.objects.create(number="BK-X-4", start_date=line.start_date, end_date=line.end_date)
    released = GuestLine(booking=other, patient=line.patient, room=line.room, bed=line.bed, tariff=line.tariff,
                         start_date=line.start_date, end_date=line.end_date, holds_place=False)
    assert not refused(released.save)
