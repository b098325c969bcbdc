"""Creating a booking: numbering, prices, and every rule of place and person, checked in the service."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from hayat.core.errors import DomainError
from hayat.core.models import AuditEvent
from hayat.facilities.models import Maintenance, MaintenanceKind
from hayat.stays import services
from hayat.stays.errors import NoLongerAvailable, PatientAlreadyBooked
from hayat.stays.models import Booking, BookingStatus, BookingStatusChange, GuestLine, WizardDraft
from hayat.stays.tests.factories import book, make_room, make_tariff

pytestmark = pytest.mark.django_db


def test_a_two_guest_booking_gets_a_number_prices_and_a_first_history_row(receptionist, room, tariff, patients,
                                                                          today):
    booking = book(receptionist, guests=[(patients[0], room, tariff), (patients[1], room, tariff)], start=today,
                   nights=4)
    assert booking.number == "BK-20261121-0001"
    assert (booking.status, booking.nights, booking.created_by) == (BookingStatus.CONFIRMED, 4, receptionist)
    lines = list(booking.lines.order_by("id"))
    assert [line.price_per_day for line in lines] == [Decimal("350000.00")] * 2
    assert booking.total == Decimal("2800000.00")
    change = BookingStatusChange.objects.get(booking=booking)
    assert (change.from_status, change.to_status, change.by) == ("", BookingStatus.CONFIRMED, receptionist)
    assert AuditEvent.objects.filter(action="booking.create", object_id=str(booking.pk)).exists()


def test_numbers_count_per_day_of_booking(receptionist, room, tariff, patients, today, clock):
    first = book(receptionist, guests=[(patients[0], room, tariff)], start=today + timedelta(days=10))
    second = book(receptionist, guests=[(patients[1], room, tariff)], start=today + timedelta(days=10))
    clock.advance(days=1)
    third = book(receptionist, guests=[(patients[2], room, tariff)], start=today + timedelta(days=20))
    assert [first.number, second.number, third.number] == ["BK-20261121-0001", "BK-20261121-0002",
                                                           "BK-20261122-0001"]


def test_without_a_tariff_price_the_room_base_price_applies(receptionist, room, patients, today):
    plain = make_tariff("Plain stay")
    booking = book(receptionist, guests=[(patients[0], room, plain)], start=today)
    assert booking.lines.get().price_per_day == Decimal("300000.00")


def test_a_full_room_refuses_one_more_guest_naming_room_and_night(receptionist, room, tariff, patients, today):
    book(receptionist, guests=[(patients[0], room, tariff), (patients[1], room, tariff)], start=today, nights=3)
    with pytest.raises(NoLongerAvailable) as refused:
        book(receptionist, guests=[(patients[2], room, tariff)], start=today + timedelta(days=2), nights=3)
    assert "Room A-101 is no longer available" in refused.value.message
    assert refused.value.code == "no_longer_available" and refused.value.status == 409


def test_departure_day_is_free_for_the_next_arrival(receptionist, room, tariff, patients, today):
    book(receptionist, guests=[(patients[0], room, tariff), (patients[1], room, tariff)], start=today, nights=3)
    booking = book(receptionist, guests=[(patients[2], room, tariff), (patients[3], room, tariff)],
                   start=today + timedelta(days=3))
    assert booking.lines.count() == 2


def test_a_bed_never_has_two_occupants(receptionist, room, tariff, patients, today):
    bed = room.beds.get(number="1")
    book(receptionist, guests=[(patients[0], room, tariff, bed)], start=today, nights=5)
    with pytest.raises(NoLongerAvailable) as refused:
        book(receptionist, guests=[(patients[1], room, tariff, bed)], start=today + timedelta(days=4))
    assert "Bed 1 in room A-101" in refused.value.message
    other_bed = book(receptionist, guests=[(patients[1], room, tariff, room.beds.get(number="2"))], start=today)
    assert other_bed.lines.get().bed.number == "2"


def test_a_guest_without_a_bed_still_takes_a_place_from_the_beds(receptionist, room, tariff, patients, today):
    book(receptionist, guests=[(patients[0], room, tariff)], start=today)
    book(receptionist, guests=[(patients[1], room, tariff, room.beds.get(number="1"))], start=today)
    with pytest.raises(NoLongerAvailable):
        book(receptionist, guests=[(patients[2], room, tariff, room.beds.get(number="2"))], start=today)


def test_a_patient_is_never_in_two_overlapping_bookings(receptionist, room, tariff, patients, today):
    other_room = make_room("102", beds=1)
    first = book(receptionist, guests=[(patients[0], room, tariff)], start=today, nights=5)
    with pytest.raises(PatientAlreadyBooked) as refused:
        book(receptionist, guests=[(patients[0], other_room, tariff)], start=today + timedelta(days=4))
    assert first.number in refused.value.message and refused.value.field == "patient"


def test_the_same_patient_twice_in_one_booking_is_refused(receptionist, room, tariff, patients, today):
    with pytest.raises(DomainError, match="listed twice"):
        book(receptionist, guests=[(patients[0], room, tariff), (patients[0], room, tariff)], start=today)
    assert not Booking.objects.exists()


def test_maintenance_closes_the_room(receptionist, room, tariff, patients, today):
    start = timezone.make_aware(timezone.datetime(2026, 11, 23, 10, 0))
    Maintenance.objects.create(room=room, kind=MaintenanceKind.REPAIR, start=start, end=start + timedelta(hours=5))
    with pytest.raises(NoLongerAvailable, match="closed for repair"):
        book(receptionist, guests=[(patients[0], room, tariff)], start=today, nights=3)
    assert book(receptionist, guests=[(patients[0], room, tariff)], start=today, nights=2).nights == 2


def test_a_bed_under_maintenance_is_not_given_but_the_room_still_has_its_other_bed(receptionist, room, tariff,
                                                                                     patients, today):
    bed = room.beds.get(number="1")
    start = timezone.make_aware(timezone.datetime(2026, 11, 21, 8, 0))
    Maintenance.objects.create(room=room, bed=bed, kind=MaintenanceKind.CLEANING, start=start,
                               end=start + timedelta(hours=2))
    with pytest.raises(NoLongerAvailable):
        book(receptionist, guests=[(patients[0], room, tariff, bed)], start=today)
    book(receptionist, guests=[(patients[0], room, tariff)], start=today)
    with pytest.raises(NoLongerAvailable):
        book(receptionist, guests=[(patients[1], room, tariff)], start=today)


def test_inactive_rooms_tariffs_and_patients_are_refused(receptionist, tariff, patients, today):
    closed = make_room("109", active=False)
    with pytest.raises(NoLongerAvailable, match="not in service"):
        book(receptionist, guests=[(patients[0], closed, tariff)], start=today)
    open_room = make_room("110")
    with pytest.raises(DomainError, match="not offered"):
        book(receptionist, guests=[(patients[0], open_room, make_tariff("Old", active=False))], start=today)
    patients[1].is_active = False
    patients[1].save()
    with pytest.raises(DomainError, match="inactive"):
        book(receptionist, guests=[(patients[1], open_room, tariff)], start=today)


def test_a_bed_of_another_room_is_refused(receptionist, room, tariff, patients, today):
    other = make_room("102", beds=1)
    with pytest.raises(DomainError, match="not in room"):
        book(receptionist, guests=[(patients[0], room, tariff, other.beds.get())], start=today)


def test_a_start_in_the_past_is_refused_unless_allowed(receptionist, room, tariff, patients, today):
    with pytest.raises(DomainError, match="in the past") as refused:
        book(receptionist, guests=[(patients[0], room, tariff)], start=today - timedelta(days=1))
    assert refused.value.field == "start_date"
    with override_settings(HAYAT_BOOKING_ALLOW_PAST_START=True):
        assert book(receptionist, guests=[(patients[0], room, tariff)], start=today - timedelta(days=1)).pk


@override_settings(HAYAT_BOOKING_MAX_NIGHTS=14)
def test_the_longest_stay_is_a_setting(receptionist, room, tariff, patients, today):
    with pytest.raises(DomainError, match="at most 14 nights; this one has 15") as refused:
        book(receptionist, guests=[(patients[0], room, tariff)], start=today, nights=15)
    assert refused.value.field == "end_date"
    assert book(receptionist, guests=[(patients[0], room, tariff)], start=today, nights=14).nights == 14


@override_settings(HAYAT_BOOKING_MAX_NIGHTS=400)
def test_a_longest_stay_above_a_year_is_held_to_what_availability_can_show(receptionist, room, tariff, patients,
                                                                          today, client_as):
    with pytest.raises(DomainError, match="at most 366 nights; this one has 380"):
        book(receptionist, guests=[(patients[0], room, tariff)], start=today, nights=380)
    client = client_as(receptionist)
    client.post(reverse("stays:wizard_start"), {"start_date": str(today), "end_date": str(today + timedelta(days=366)),
                                                "guest_count": 1})
    rooms = client.get(reverse("stays:wizard_rooms", args=[WizardDraft.objects.get().token]))
    assert rooms.status_code == 200 and 'id="availability-matrix"' in rooms.content.decode()
    with pytest.raises(SystemCheckError, match="stays.W001"):
        call_command("check", "--fail-level", "WARNING")


@override_settings(HAYAT_BOOKING_MAX_DAYS_AHEAD=30)
def test_bookings_open_a_set_number_of_days_ahead(receptionist, room, tariff, patients, today):
    with pytest.raises(DomainError, match="at most 30 days ahead") as refused:
        book(receptionist, guests=[(patients[0], room, tariff)], start=today + timedelta(days=31))
    assert refused.value.field == "start_date"
    booking = book(receptionist, guests=[(patients[0], room, tariff)], start=today + timedelta(days=30))
    with pytest.raises(DomainError, match="at most 30 days ahead"):
        services.change_dates(by=receptionist, booking=booking, start_date=today + timedelta(days=31),
                              end_date=today + timedelta(days=33))
    with pytest.raises(DomainError, match="at most 30 days ahead"):
        services.move_booking(by=receptionist, booking=booking, from_room=room, to_room=room,
                              start_date=today + timedelta(days=31))
    kept = services.change_dates(by=receptionist, booking=booking, start_date=booking.start_date,
                                 end_date=booking.end_date + timedelta(days=2))
    assert (kept.start_date, kept.nights) == (today + timedelta(days=30), 5)


def test_the_default_horizon_refuses_a_move_to_the_far_future(receptionist, room, tariff, patients, today):
    booking = book(receptionist, guests=[(patients[0], room, tariff)], start=today + timedelta(days=1))
    with pytest.raises(DomainError, match="730 days ahead"):
        services.move_booking(by=receptionist, booking=booking, from_room=room, to_room=room,
                              start_date=today.replace(year=2199, month=12, day=30))
    assert Booking.objects.get().start_date == today + timedelta(days=1)


def test_reversed_dates_and_empty_bookings_are_refused(receptionist, room, tariff, patients, today):
    with pytest.raises(DomainError, match="after the arrival"):
        book(receptionist, guests=[(patients[0], room, tariff)], start=today, nights=0)
    with pytest.raises(DomainError, match="at least one guest"):
        book(receptionist, guests=[], start=today)


def test_a_booking_starts_only_as_reservation_pending_or_confirmed(receptionist, room, tariff, patients, today):
    with pytest.raises(DomainError):
        book(receptionist, guests=[(patients[0], room, tariff)], start=today, status=BookingStatus.CHECKED_IN)
    assert book(receptionist, guests=[(patients[0], room, tariff)], start=today,
                status=BookingStatus.RESERVATION).status == BookingStatus.RESERVATION


def test_only_booking_roles_may_book(doctor, room, tariff, patients, today):
    with pytest.raises(PermissionDenied):
        book(doctor, guests=[(patients[0], room, tariff)], start=today)
    assert not GuestLine.objects.exists()


def test_a_refused_booking_leaves_nothing_behind(receptionist, room, tariff, patients, today):
    book(receptionist, guests=[(patients[0], room, tariff), (patients[1], room, tariff)], start=today)
    with pytest.raises(NoLongerAvailable):
        book(receptionist, guests=[(patients[2], make_room("102", beds=1), tariff), (patients[3], room, tariff)],
             start=today)
    assert Booking.objects.count() == 1 and GuestLine.objects.count() == 2
