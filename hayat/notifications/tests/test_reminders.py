"""Timed messages are found by the periodic job once, at Admin's timing, and withdrawn when their cause is."""

from datetime import timedelta

import pytest

from hayat.notifications import jobs, reminders, services
from hayat.notifications.models import Kind, Message, State
from hayat.notifications.tests.conftest import TODAY
from hayat.stays import checkin
from hayat.stays.models import BookingStatus
from hayat.stays.tests.stay_factories import checked_in

pytestmark = pytest.mark.django_db


def kinds() -> list[str]:
    return sorted(Message.objects.values_list("kind", flat=True))


def test_the_reminder_before_arrival_goes_at_admins_timing_once(make_booking, by_sms, admin_user, clock):
    booking = make_booking(by_sms, start=TODAY + timedelta(days=3))
    Message.objects.all().delete()
    reminders.find_due()
    assert kinds() == []  # three days ahead; the default is one day
    services.set_kind(by=admin_user, kind=Kind.ARRIVAL_REMINDER, enabled=True, timing=3)
    reminders.find_due()
    reminders.find_due()
    [reminder] = Message.objects.all()
    assert (reminder.kind, reminder.patient_id) == (Kind.ARRIVAL_REMINDER, by_sms.pk)
    assert reminder.event_key == f"booking:{booking.pk}:arrival_reminder:{booking.start_date}:{by_sms.pk}"


def test_a_reservation_about_to_expire_is_reminded_and_the_reminder_withdrawn_once_confirmed(
        make_booking, by_sms, receptionist, clock):
    from hayat.stays import services as stays

    booking = make_booking(by_sms, status=BookingStatus.RESERVATION)
    reminders.find_due()
    assert kinds() == []
    clock.set(booking.hold_until - timedelta(hours=5))
    reminders.find_due()
    assert kinds() == [Kind.RESERVATION_EXPIRING]
    stays.change_status(by=receptionist, booking=booking, to=BookingStatus.CONFIRMED)
    expiring = Message.objects.get(kind=Kind.RESERVATION_EXPIRING)
    assert expiring.state == State.CANCELLED
    assert Message.objects.get(kind=Kind.BOOKING_CONFIRMED).state == State.QUEUED


def test_payment_reminder_and_follow_up_after_check_out(by_sms, room, tariff, receptionist, doctor, admin_user,
                                                        clock):
    services.set_preference(by=admin_user, patient=by_sms, data=services.PreferenceData(consent=True))
    booking = checked_in(receptionist, doctor, guests=[(by_sms, room, tariff)], start=TODAY, nights=3)
    clock.advance(days=3)
    checkin.check_out(by=receptionist, booking=booking)
    booking.refresh_from_db()
    assert booking.status in (BookingStatus.COMPLETED, BookingStatus.DISCHARGED)
    Message.objects.all().delete()
    clock.set(clock.now() + timedelta(days=3))
    jobs.send_messages()
    assert kinds() == [Kind.FOLLOW_UP]
    clock.set(clock.now() + timedelta(days=4))
    jobs.send_messages()
    assert kinds() == [Kind.FOLLOW_UP, Kind.PAYMENT_REMINDER]
    reminder = Message.objects.get(kind=Kind.PAYMENT_REMINDER)
    assert reminder.state == State.SENT and "due" in reminder.body

