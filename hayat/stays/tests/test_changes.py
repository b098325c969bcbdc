"""Changing a booking: dates, guests and calendar moves are re-checked like a new booking."""

from datetime import timedelta
from decimal import Decimal

import pytest

from hayat.core.errors import Conflict, DomainError
from hayat.core.models import AuditEvent
from hayat.stays import lifecycle, services
from hayat.stays.errors import NoLongerAvailable, PatientAlreadyBooked
from hayat.stays.models import BookingStatus, GuestLine
from hayat.stays.services import GuestChoice
from hayat.stays.tests.factories import book, make_room, make_tariff

S = BookingStatus
pytestmark = pytest.mark.django_db


@pytest.fixture
def booking(receptionist, room, tariff, patients, today):
    return book(receptionist, guests=[(patients[0], room, tariff)], start=today + timedelta(days=1), nights=3)


def test_new_dates_move_every_guest_and_are_checked(booking, receptionist, room, tariff, patients, today):
    book(receptionist, guests=[(patients[1], room, tariff), (patients[2], room, tariff)],
         start=today + timedelta(days=6), nights=2)
    services.change_dates(by=receptionist, booking=booking, start_date=today, end_date=today + timedelta(days=6))
    line = booking.lines.get()
    assert (line.start_date, line.end_date) == (today, today + timedelta(days=6))
    with pytest.raises(NoLongerAvailable, match="full on the night"):
        services.change_dates(by=receptionist, booking=booking, start_date=today, end_date=today + timedelta(days=7))
    booking.refresh_from_db()
    assert booking.end_date == today + timedelta(days=6)
    event = AuditEvent.objects.get(action="booking.dates")
    assert event.changes["end_date"] == [str(today + timedelta(days=4)), str(today + timedelta(days=6))]


def test_new_dates_keep_the_rules(booking, receptionist, today):
    with pytest.raises(DomainError, match="in the past"):
        services.change_dates(by=receptionist, booking=booking, start_date=today - timedelta(days=1),
                              end_date=today + timedelta(days=2))


def test_in_the_house_the_arrival_stays_but_the_departure_can_move(booking, receptionist, today, clock):
    lifecycle.transition(booking, to=S.CHECKED_IN, by=receptionist)
    clock.advance(days=2)
    with pytest.raises(DomainError, match="arrival date cannot change"):
        services.change_dates(by=receptionist, booking=booking, start_date=today + timedelta(days=2),
                              end_date=today + timedelta(days=5))
    services.change_dates(by=receptionist, booking=booking, start_date=booking.start_date,
                          end_date=today + timedelta(days=8))
    assert booking.lines.get().end_date == today + timedelta(days=8)


def test_finished_and_cancelled_bookings_cannot_change(booking, receptionist, patients, room, tariff, today):
    first = booking.lines.get()
    second = services.add_guest(by=receptionist, booking=booking, guest=GuestChoice(patients[1], room, tariff))
    services.cancel_booking(by=receptionist, booking=booking, reason="Moved to spring")
    with pytest.raises(Conflict, match="cannot be changed"):
        services.change_dates(by=receptionist, booking=booking, start_date=today, end_date=today + timedelta(days=2))
    with pytest.raises(Conflict, match="cannot be changed"):
        services.add_guest(by=receptionist, booking=booking, guest=GuestChoice(patients[2], room, tariff))
    with pytest.raises(Conflict, match="cannot be changed"):
        services.edit_guest(by=receptionist, line=first, guest=GuestChoice(patients[2], room, tariff))
    with pytest.raises(Conflict, match="cannot be changed"):
        services.remove_guest(by=receptionist, line=second)
    assert sorted(booking.lines.filter(removed_at__isnull=True).values_list("patient_id", flat=True)) == [
        patients[0].pk, patients[1].pk]


def test_add_a_guest_is_checked_and_priced(booking, receptionist, room, tariff, patients):
    line = services.add_guest(by=receptionist, booking=booking, guest=GuestChoice(patients[1], room, tariff))
    assert (line.start_date, line.end_date, line.price_per_day) == (booking.start_date, booking.end_date,
                                                                   Decimal("350000.00"))
    with pytest.raises(NoLongerAvailable):
        services.add_guest(by=receptionist, booking=booking, guest=GuestChoice(patients[2], room, tariff))
    with pytest.raises(DomainError, match="already a guest"):
        services.add_guest(by=receptionist, booking=booking, guest=GuestChoice(patients[1], make_room("102"), tariff))


def test_a_guest_added_in_the_house_starts_today(booking, receptionist, room, tariff, patients, today, clock):
    lifecycle.transition(booking, to=S.CHECKED_IN, by=receptionist)
    clock.advance(days=2)
    line = services.add_guest(by=receptionist, booking=booking, guest=GuestChoice(patients[1], room, tariff))
    assert line.start_date == today + timedelta(days=2)


def test_a_guest_booked_elsewhere_cannot_be_added(booking, receptionist, room, tariff, patients, today):
    book(receptionist, guests=[(patients[1], make_room("102"), tariff)], start=today + timedelta(days=3))
    with pytest.raises(PatientAlreadyBooked):
        services.add_guest(by=receptionist, booking=booking, guest=GuestChoice(patients[1], room, tariff))


def test_editing_a_guest_moves_them_and_prices_the_new_room(booking, receptionist, tariff, patients):
    suite = make_room("201", beds=1, price="900000", type_name="Suite")
    line = booking.lines.get()
    services.edit_guest(by=receptionist, line=line, guest=GuestChoice(patients[0], suite, tariff))
    line.refresh_from_db()
    assert (line.room, line.bed, line.price_per_day) == (suite, None, Decimal("900000.00"))
    premium = make_tariff("Premium", prices={"Suite": "1200000"})
    services.edit_guest(by=receptionist, line=line, guest=GuestChoice(patients[0], suite, premium, suite.beds.get()))
    line.refresh_from_db()
    assert (line.tariff, line.bed.number, line.price_per_day) == (premium, "1", Decimal("1200000.00"))


def test_editing_into_a_full_room_changes_nothing(booking, receptionist, room, tariff, patients):
    single = make_room("102", beds=1)
    book(receptionist, guests=[(patients[1], single, tariff)], start=booking.start_date)
    line = booking.lines.get()
    with pytest.raises(NoLongerAvailable):
        services.edit_guest(by=receptionist, line=line, guest=GuestChoice(patients[0], single, tariff))
    line.refresh_from_db()
    assert line.room == room


def test_a_guest_in_the_house_is_not_edited_in_place(booking, receptionist, patients, today, clock):
    lifecycle.transition(booking, to=S.CHECKED_IN, by=receptionist)
    clock.advance(days=1)
    line = booking.lines.select_related("room", "tariff").get()
    with pytest.raises(Conflict, match="in the house"):
        services.edit_guest(by=receptionist, line=line, guest=GuestChoice(patients[0], make_room("102"), line.tariff))


def test_the_last_guest_is_never_removed_others_are_and_free_their_place(booking, receptionist, room, tariff,
                                                                         patients):
    only = booking.lines.get()
    with pytest.raises(DomainError, match="only guest"):
        services.remove_guest(by=receptionist, line=only)
    second = services.add_guest(by=receptionist, booking=booking, guest=GuestChoice(patients[1], room, tariff))
    services.remove_guest(by=receptionist, line=second, reason="Stays at home")
    second.refresh_from_db()
    assert (second.is_open, second.holds_place, second.removed_at is not None) == (False, False, True)
    assert booking.total == Decimal("1050000.00")
    services.add_guest(by=receptionist, booking=booking, guest=GuestChoice(patients[2], room, tariff))
    assert GuestLine.objects.filter(booking=booking, holds_place=True).count() == 2


def test_moving_to_another_room_and_dates_in_one_go(booking, receptionist, room, tariff, today):
    other = make_room("102", beds=1, price="250000", type_name="Economy")
    services.move_booking(by=receptionist, booking=booking, from_room=room, to_room=other,
                          start_date=today + timedelta(days=5))
    booking.refresh_from_db()
    line = booking.lines.get()
    assert (booking.start_date, booking.end_date) == (today + timedelta(days=5), today + timedelta(days=8))
    assert (line.room, line.start_date, line.price_per_day) == (other, booking.start_date, Decimal("250000.00"))


def test_a_refused_move_changes_nothing(booking, receptionist, room, tariff, patients, today):
    other = make_room("102", beds=1)
    book(receptionist, guests=[(patients[1], other, tariff)], start=today + timedelta(days=6))
    with pytest.raises(NoLongerAvailable, match="Room A-102"):
        services.move_booking(by=receptionist, booking=booking, from_room=room, to_room=other,
                              start_date=today + timedelta(days=4))
    booking.refresh_from_db()
    line = booking.lines.get()
    assert (booking.start_date, line.room) == (today + timedelta(days=1), room)


def test_a_move_from_a_room_the_booking_does_not_use_is_refused(booking, receptionist, today):
    other = make_room("102")
    with pytest.raises(DomainError, match="no guest in room"):
        services.move_booking(by=receptionist, booking=booking, from_room=other, to_room=other, start_date=today)
