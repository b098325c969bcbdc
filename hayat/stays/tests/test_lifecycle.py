"""The booking lifecycle: one table, one transition function, every change recorded and announced."""

from datetime import timedelta
from decimal import Decimal

import pytest

from hayat.billing.bookings import take_booking_deposit
from hayat.core.errors import DomainError
from hayat.core.lifecycle import IllegalTransition
from hayat.core.models import AuditEvent
from hayat.stays import lifecycle, services
from hayat.stays.models import BookingStatus, BookingStatusChange
from hayat.stays.signals import booking_status_changed
from hayat.stays.tests.factories import book

S = BookingStatus
pytestmark = pytest.mark.django_db


def test_every_status_has_a_row_and_finished_ones_lead_nowhere():
    assert set(lifecycle.ALLOWED) == set(S.values)
    for status in (S.COMPLETED, S.DISCHARGED, S.CANCELLED, S.NO_SHOW):
        assert lifecycle.BOOKING.allowed_from(status) == frozenset()
    assert S.CHECKED_IN in lifecycle.BOOKING.allowed_from(S.CONFIRMED)
    assert S.CHECKED_IN not in lifecycle.BOOKING.allowed_from(S.PENDING)


def test_every_target_in_the_table_is_a_real_status():
    for targets in lifecycle.ALLOWED.values():
        assert set(targets) <= set(S.values)


@pytest.fixture
def booking(receptionist, room, tariff, patients, today):
    return book(receptionist, guests=[(patients[0], room, tariff), (patients[1], room, tariff)], start=today,
                nights=3, status=S.PENDING)


def test_confirming_records_who_when_from_to_and_why_and_sends_the_signal(booking, receptionist, clock):
    heard = []

    def listener(sender, **kwargs):
        heard.append(kwargs)

    booking_status_changed.connect(listener)
    try:
        clock.advance(minutes=5)
        services.change_status(by=receptionist, booking=booking, to=S.CONFIRMED, reason="Paid by phone")
    finally:
        booking_status_changed.disconnect(listener)
    booking.refresh_from_db()
    assert booking.status == S.CONFIRMED
    change = booking.status_changes.order_by("id").last()
    assert (change.from_status, change.to_status, change.by, change.reason) == (
        S.PENDING, S.CONFIRMED, receptionist, "Paid by phone")
    assert change.at == clock.now()
    assert heard == [{"signal": booking_status_changed, "booking": heard[0]["booking"], "from_status": S.PENDING,
                      "to_status": S.CONFIRMED, "by": receptionist}]
    assert heard[0]["booking"].pk == booking.pk
    assert AuditEvent.objects.filter(action="booking.status", object_id=str(booking.pk)).count() == 2


def test_an_illegal_transition_is_refused_with_both_statuses_named(booking, receptionist):
    services.cancel_booking(by=receptionist, booking=booking, reason="Changed plans")
    with pytest.raises(IllegalTransition) as refused:
        services.change_status(by=receptionist, booking=booking, to=S.CONFIRMED)
    assert refused.value.message == "The booking cannot go from Cancelled to Confirmed."
    assert refused.value.status == 409


def test_check_in_is_not_a_plain_status_change(booking, receptionist):
    with pytest.raises(DomainError, match="through its own step"):
        services.change_status(by=receptionist, booking=booking, to=S.CHECKED_IN)
    with pytest.raises(DomainError, match="reason and refund"):
        services.change_status(by=receptionist, booking=booking, to=S.CANCELLED)


def test_cancel_needs_a_reason_keeps_the_refund_and_frees_the_places(booking, receptionist, teller, room, tariff,
                                                                     patients, today):
    with pytest.raises(DomainError, match="why"):
        services.cancel_booking(by=receptionist, booking=booking, reason="  ")
    take_booking_deposit(by=teller, booking=booking, amount="150000.50")  # a refund gives back money that came in
    services.cancel_booking(by=receptionist, booking=booking, reason="Illness", refund_amount="150000.50")
    booking.refresh_from_db()
    assert (booking.status, booking.cancel_reason, booking.refund_amount) == (S.CANCELLED, "Illness",
                                                                             Decimal("150000.50"))
    assert booking.cancelled_at is not None
    assert not booking.lines.filter(holds_place=True).exists()
    assert BookingStatusChange.objects.filter(booking=booking, to_status=S.CANCELLED, reason="Illness").exists()
    assert book(receptionist, guests=[(patients[2], room, tariff), (patients[3], room, tariff)], start=today).pk


@pytest.mark.parametrize("refund, message", [("-1", "negative"), ("99999999", "more than"), ("abc", "amount")])
def test_a_wrong_refund_is_refused(booking, receptionist, refund, message):
    with pytest.raises(DomainError, match=message) as refused:
        services.cancel_booking(by=receptionist, booking=booking, reason="x", refund_amount=refund)
    assert refused.value.field == "refund_amount"
    booking.refresh_from_db()
    assert booking.status == S.PENDING


def test_no_show_only_from_the_day_of_arrival_and_it_frees_the_places(receptionist, room, tariff, patients, today,
                                                                      clock):
    later = book(receptionist, guests=[(patients[0], room, tariff)], start=today + timedelta(days=2))
    with pytest.raises(DomainError, match="day of arrival"):
        services.change_status(by=receptionist, booking=later, to=S.NO_SHOW)
    clock.advance(days=2)
    services.change_status(by=receptionist, booking=later, to=S.NO_SHOW, reason="Did not come")
    assert not later.lines.filter(holds_place=True).exists()


def test_in_house_statuses_come_through_transition(booking, receptionist):
    booking = services.change_status(by=receptionist, booking=booking, to=S.CONFIRMED)
    lifecycle.transition(booking, to=S.CHECKED_IN, by=receptionist, reason="Arrived")
    lifecycle.transition(booking, to=S.IN_PROGRESS, by=receptionist)
    lifecycle.transition(booking, to=S.COMPLETED, by=receptionist)
    assert list(booking.status_changes.values_list("to_status", flat=True)) == [
        S.PENDING, S.CONFIRMED, S.CHECKED_IN, S.IN_PROGRESS, S.COMPLETED]
    assert booking.lines.filter(holds_place=True).count() == 2
