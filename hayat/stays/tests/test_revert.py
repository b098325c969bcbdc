"""Reverting a booking's dates, source, referral and notes to an earlier version goes through the same use cases as
any change: the rules are checked again, a refusal says why and changes nothing, and the revert is audited."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from hayat.core.errors import Conflict, DomainError
from hayat.core.models import AuditEvent
from hayat.stays import reverting, services
from hayat.stays.errors import NoLongerAvailable
from hayat.stays.models import BookingSource
from hayat.stays.tests.factories import book

pytestmark = pytest.mark.django_db


@pytest.fixture
def booking(receptionist, room, tariff, patients, today):
    return book(receptionist, guests=[(patients[0], room, tariff)], start=today + timedelta(days=1), nights=3)


@pytest.fixture
def moved(booking, receptionist, today):
    """The booking as booked, then moved ten days later and given a referral and notes."""
    first = booking.history.latest("history_date")
    services.change_dates(by=receptionist, booking=booking, start_date=today + timedelta(days=10),
                          end_date=today + timedelta(days=13))
    services.update_details(by=receptionist, booking=booking, source=BookingSource.PHONE, referral="Dr. Aliev",
                            notes="Wants a quiet room")
    booking.refresh_from_db()
    return booking, first


def test_the_earlier_versions_say_what_would_change(moved, today):
    booking, first = moved
    versions = reverting.earlier_versions(booking)
    assert [version.history_id for version in versions][-1] == first.history_id
    oldest = {difference.field: difference.then for difference in versions[-1].differences}
    assert oldest == {"start_date": today + timedelta(days=1), "end_date": today + timedelta(days=4),
                      "source": BookingSource.WALK_IN.label, "referral": "", "notes": ""}


def test_reverting_gives_back_the_dates_and_details_and_is_audited(moved, receptionist, today):
    booking, first = moved
    reverting.revert_to(by=receptionist, booking=booking, history_id=first.history_id, reason="Booked wrong")
    booking.refresh_from_db()
    line = booking.lines.get()
    assert (booking.start_date, booking.end_date) == (today + timedelta(days=1), today + timedelta(days=4))
    assert (line.start_date, line.end_date) == (booking.start_date, booking.end_date)
    assert (booking.source, booking.referral, booking.notes) == (BookingSource.WALK_IN, "", "")
    event = AuditEvent.objects.get(action="booking.revert", object_id=str(booking.pk))
    assert event.note == "Booked wrong"
    assert event.changes["start_date"] == [str(today + timedelta(days=10)), str(today + timedelta(days=1))]
    assert AuditEvent.objects.filter(action="booking.dates", object_id=str(booking.pk)).count() == 2
    assert reverting.earlier_versions(booking)[0].differences  # the version before the revert is offered in turn


def test_a_revert_onto_dates_now_taken_is_refused_and_changes_nothing(moved, receptionist, room, tariff, patients,
                                                                      today):
    booking, first = moved
    book(receptionist, guests=[(patients[1], room, tariff), (patients[2], room, tariff)],
         start=today + timedelta(days=1), nights=3)
    with pytest.raises(NoLongerAvailable):
        reverting.revert_to(by=receptionist, booking=booking, history_id=first.history_id)
    booking.refresh_from_db()
    assert (booking.start_date, booking.referral) == (today + timedelta(days=10), "Dr. Aliev")
    assert not AuditEvent.objects.filter(action="booking.revert").exists()


def test_a_revert_to_a_version_with_today_passed_is_refused_by_the_date_rules(booking, receptionist, clock, today):
    first = booking.history.latest("history_date")
    services.change_dates(by=receptionist, booking=booking, start_date=today + timedelta(days=5),
                          end_date=today + timedelta(days=8))
    clock.advance(days=3)  # the earlier arrival is in the past now
    with pytest.raises(DomainError) as refused:
        reverting.revert_to(by=receptionist, booking=booking, history_id=first.history_id)
    assert "past" in refused.value.message or "before" in refused.value.message
    booking.refresh_from_db()
    assert booking.start_date == today + timedelta(days=5)


def test_a_finished_booking_and_a_version_equal_to_now_are_refused(moved, receptionist):
    booking, first = moved
    latest = booking.history.latest("history_date")
    with pytest.raises(DomainError, match="already has the values"):
        reverting.revert_to(by=receptionist, booking=booking, history_id=latest.history_id)
    services.cancel_booking(by=receptionist, booking=booking, reason="Ill")
    with pytest.raises(Conflict, match="cannot be changed"):
        reverting.revert_to(by=receptionist, booking=booking, history_id=first.history_id)


def test_only_the_desk_reverts(moved, nurse):
    booking, first = moved
    with pytest.raises(PermissionDenied):
        reverting.revert_to(by=nurse, booking=booking, history_id=first.history_id)


def test_the_booking_page_offers_revert_and_a_refusal_says_why(moved, client_as, receptionist, room, tariff,
                                                               patients, today):
    booking, first = moved
    client = client_as(receptionist)
    url = reverse("stays:booking_revert", args=[booking.pk, first.history_id])
    assert url in client.get(booking.get_absolute_url()).content.decode()
    offer = client.get(url).content.decode()
    assert 'id="revert-differences"' in offer and "Dr. Aliev" in offer and "Walk-in" in offer
    book(receptionist, guests=[(patients[1], room, tariff), (patients[2], room, tariff)],
         start=today + timedelta(days=1), nights=3)
    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 200
    assert "is no longer available from" in refused.content.decode(), refused.content.decode()[-3000:]
    booking.refresh_from_db()
    assert booking.start_date == today + timedelta(days=10)


def test_the_page_reverts(moved, client_as, receptionist, today):
    booking, first = moved
    response = client_as(receptionist).post(reverse("stays:booking_revert", args=[booking.pk, first.history_id]),
                                            {"reason": ""}, follow=True)
    assert "has the values of its earlier version again" in response.content.decode()
    booking.refresh_from_db()
    assert booking.start_date == today + timedelta(days=1)
    assert "Reverted to an earlier version" in response.content.decode()
