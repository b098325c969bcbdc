"""The database's own guard rails, on every engine (and PostgreSQL's exclusion constraints on PostgreSQL)."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction

from hayat.stays import changes, services
from hayat.stays.errors import NoLongerAvailable, PatientAlreadyBooked
from hayat.stays.models import Booking, GuestLine
from hayat.stays.tests.factories import book, make_room, make_tariff

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


def test_overlapping_lines_on_one_bed_are_refused_by_the_service_and_on_postgresql_by_the_database(
        booking, receptionist, patients, engine):
    """The service refuses a taken bed on every engine; PostgreSQL's exclusion constraint refuses it again
    when a write goes around the service (SQLite and MariaDB have no exclusion constraints)."""
    line = booking.lines.get()
    with pytest.raises(NoLongerAvailable, match="Bed 1"):
        book(receptionist, guests=[(patients[1], line.room, line.tariff, line.bed)],
             start=line.start_date + timedelta(days=1))
    if engine == "postgresql":
        other = Booking.objects.create(number="BK-X-2", start_date=line.start_date, end_date=line.end_date)
        intruder = GuestLine(booking=other, patient=patients[1], room=line.room, bed=line.bed, tariff=line.tariff,
                             start_date=line.start_date + timedelta(days=1), end_date=line.end_date + timedelta(days=1))
        assert refused(intruder.save)
    assert GuestLine.objects.filter(bed=line.bed, holds_place=True).count() == 1


def test_overlapping_lines_of_one_patient_are_refused_by_the_service_and_on_postgresql_by_the_database(
        booking, receptionist, engine):
    line = booking.lines.get()
    with pytest.raises(PatientAlreadyBooked):
        book(receptionist, guests=[(line.patient, make_room("102"), line.tariff)], start=line.start_date)
    if engine == "postgresql":
        other = Booking.objects.create(number="BK-X-3", start_date=line.start_date, end_date=line.end_date)
        twin = GuestLine(booking=other, patient=line.patient, room=line.room, tariff=line.tariff,
                         start_date=line.start_date, end_date=line.end_date)
        assert refused(twin.save)
    assert GuestLine.objects.filter(patient=line.patient, holds_place=True).count() == 1


@pytest.mark.parametrize("days", [3, -1])
def test_a_stay_split_mid_way_moves_later_or_earlier_on_every_engine(receptionist, room, tariff, patients, today,
                                                                      days):
    """Its periods are saved one by one; on PostgreSQL each save is checked against the periods not moved yet."""
    booking = book(receptionist, guests=[(patients[0], room, tariff, room.beds.get(number="1"))],
                   start=today + timedelta(days=2), nights=6)
    changes.change_mid_stay(by=receptionist, line=booking.lines.get(), from_date=today + timedelta(days=4),
                            tariff=make_tariff("Premium"))
    changes.change_mid_stay(by=receptionist, line=booking.lines.get(is_open=True),
                            from_date=today + timedelta(days=6), room=make_room("102", beds=1))
    before = list(booking.lines.order_by("start_date").values_list("start_date", "end_date"))
    services.change_dates(by=receptionist, booking=booking, start_date=today + timedelta(days=2 + days),
                          end_date=today + timedelta(days=8 + days))
    after = list(booking.lines.order_by("start_date").values_list("start_date", "end_date"))
    assert after == [(start + timedelta(days=days), end + timedelta(days=days)) for start, end in before]


def test_lines_that_hold_no_place_never_collide(booking):
    line = booking.lines.get()
    other = Booking.objects.create(number="BK-X-4", start_date=line.start_date, end_date=line.end_date)
    released = GuestLine(booking=other, patient=line.patient, room=line.room, bed=line.bed, tariff=line.tariff,
                         start_date=line.start_date, end_date=line.end_date, holds_place=False)
    assert not refused(released.save)
