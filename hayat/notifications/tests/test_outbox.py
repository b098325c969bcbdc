"""The outbox: a message is queued with its cause, once per event and channel, and sent exactly once."""

from datetime import timedelta

import pytest
from django.db import transaction

from hayat.core.tests.concurrency import run_in_parallel
from hayat.notifications import outbox
from hayat.notifications.models import Channel, Kind, Message, State
from hayat.stays import services as stays
from hayat.stays.models import BookingStatus
from hayat.stays.tests.factories import PatientFactory, make_room

pytestmark = pytest.mark.django_db


def test_confirming_a_booking_queues_one_confirmation_per_guest_in_the_same_transaction(make_booking, by_sms,
                                                                                         by_email):
    booking = make_booking(by_sms, by_email)
    messages = {message.patient_id: message for message in Message.objects.all()}
    assert set(messages) == {by_sms.pk, by_email.pk}
    sms, email = messages[by_sms.pk], messages[by_email.pk]
    assert (sms.kind, sms.channel, sms.recipient, sms.state, sms.attachment) == (
        Kind.BOOKING_CONFIRMED, Channel.SMS, "+998901234567", State.QUEUED, "")
    assert (email.channel, email.recipient, email.attachment) == (
        Channel.EMAIL, "maria@example.org", f"booking-confirmation:{booking.pk}")
    assert booking.number in sms.body and booking.number in email.subject and "Santos Maria" in email.body


def test_a_booking_rolled_back_leaves_no_message(make_booking, by_sms):
    with pytest.raises(RuntimeError), transaction.atomic():
        make_booking(by_sms)
        raise RuntimeError("the desk's transaction fails after the booking")
    assert not Message.objects.exists()


def test_the_same_event_queued_again_is_the_same_message(make_booking, by_sms, receptionist):
    booking = make_booking(by_sms, status=BookingStatus.PENDING)
    stays.change_status(by=receptionist, booking=booking, to=BookingStatus.CONFIRMED)
    stays.change_status(by=receptionist, booking=booking, to=BookingStatus.PENDING)
    stays.change_status(by=receptionist, booking=booking, to=BookingStatus.CONFIRMED)
    assert Message.objects.filter(kind=Kind.BOOKING_CONFIRMED).count() == 1


def test_cancelling_a_booking_cancels_what_was_still_queued_about_it(make_booking, by_sms, receptionist):
    booking = make_booking(by_sms)
    stays.cancel_booking(by=receptionist, booking=booking, reason="Ill")
    assert Message.objects.get().state == State.CANCELLED


def test_sending_records_the_gateways_answer(make_booking, by_sms, gateways):
    make_booking(by_sms)
    assert outbox.send_due() == {"sent": 1}
    message = Message.objects.get()
    assert (message.state, message.attempts, message.claim_token) == (State.SENT, 1, "")
    assert message.sent_at is not None and message.answer.startswith("written to OUT")
    assert outbox.send_due() == {}


def test_a_failing_gateway_is_retried_with_growing_pauses_then_the_message_fails_with_its_reason(
        make_booking, by_sms, settings, clock):
    settings.HAYAT_MESSAGE_GATEWAYS = {"email": "log", "sms": "http"}
    settings.HAYAT_SMS = {**settings.HAYAT_SMS, "url": "http://127.0.0.1:8639/nothing-listens"}
    settings.HAYAT_MESSAGE_ATTEMPTS = 3
    make_booking(by_sms)
    assert outbox.send_due() == {"retry": 1}
    message = Message.objects.get()
    assert (message.state, message.attempts) == (State.QUEUED, 1) and "Connection refused" in message.answer
    assert message.due_at == clock.now() + timedelta(minutes=1)
    assert outbox.send_due() == {}  # not due yet
    clock.advance(minutes=1)
    assert outbox.send_due() == {"retry": 1}
    assert Message.objects.get().due_at == clock.now() + timedelta(minutes=4)
    clock.advance(minutes=4)
    assert outbox.send_due() == {"failed": 1}
    message = Message.objects.get()
    assert (message.state, message.attempts) == (State.FAILED, 3) and "Connection refused" in message.answer


def test_a_claimed_message_is_not_claimed_again_until_its_claim_runs_out(make_booking, by_sms, clock):
    make_booking(by_sms)
    first = outbox.claim(token="a" * 32)
    assert outbox.claim(token="b" * 32) == []
    clock.advance(minutes=11)  # the first worker died mid-batch
    assert outbox.claim(token="b" * 32) == first


@pytest.mark.django_db(transaction=True)
def test_two_workers_sending_at_once_send_each_message_exactly_once(make_booking, gateways):
    for index in range(12):
        guests = [PatientFactory(mobile=f"+99890{index:03d}{guest:04d}", email="") for guest in range(2)]
        make_booking(*guests, place=make_room(f"2{index:02d}", beds=2))
    assert Message.objects.filter(state=State.QUEUED).count() == 24

    outcomes = run_in_parallel(lambda index: outbox.send_due(limit=5), 2)
    assert not [outcome for outcome in outcomes if isinstance(outcome, Exception)], outcomes
    assert sum(outcome["sent"] for outcome in outcomes) == 24
    files = sorted(path.name for path in gateways.iterdir())
    assert len(files) == 24 and len({name.rsplit("_hayat", 1)[1] for name in files}) == 24
    assert set(Message.objects.values_list("state", "attempts")) == {(State.SENT, 1)}


@pytest.mark.django_db(transaction=True)
def test_two_workers_finding_the_same_reminders_at_once_queue_each_once(make_booking, receptionist, clock):
    from hayat.notifications import reminders

    for index in range(6):
        guests = [PatientFactory(mobile=f"+99891{index:03d}{guest:04d}", email="") for guest in range(2)]
        make_booking(*guests, place=make_room(f"3{index:02d}", beds=2), start=clock.now().date() + timedelta(days=1))
    outcomes = run_in_parallel(lambda index: reminders.find_due(), 2)
    assert not [outcome for outcome in outcomes if isinstance(outcome, Exception)], outcomes
    assert Message.objects.filter(kind=Kind.ARRIVAL_REMINDER).count() == 12
