"""Notifications go out only after the transaction commits, through the configured backend."""

import pytest
from django.core import mail
from django.db import transaction

from hayat.core.models import Notification
from hayat.core.notifications import notify

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_committed_notification_is_sent_by_the_log_backend(caplog):
    with caplog.at_level("INFO", logger="hayat.notifications"), transaction.atomic():
        notify(channel="sms", recipient="+998901234567", subject="", body="Your room is free", topic="waitlist")
    sent = Notification.objects.get()
    assert sent.status == Notification.Status.SENT and sent.sent_at is not None
    assert "Your room is free" in caplog.text


def test_a_rolled_back_notification_is_never_sent(caplog):
    with caplog.at_level("INFO", logger="hayat.notifications"):
        with pytest.raises(RuntimeError), transaction.atomic():
            notify(channel="sms", recipient="+998901234567", subject="", body="Booking BK-1 confirmed")
            raise RuntimeError("booking failed")
    assert Notification.objects.count() == 0 and "BK-1" not in caplog.text


def test_email_backend_sends_through_django_mail(settings):
    settings.HAYAT_NOTIFICATION_BACKENDS = {"email": "hayat.core.notifications.EmailBackend"}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with transaction.atomic():
        notify(channel="email", recipient="guest@example.org", subject="Booking confirmed", body="See you soon")
    assert [message.subject for message in mail.outbox] == ["Booking confirmed"]


def test_a_failing_backend_is_recorded_as_failed(settings):
    settings.HAYAT_NOTIFICATION_BACKENDS = {"sms": "hayat.core.notifications.HttpSmsBackend"}
    settings.HAYAT_SMS_GATEWAY_URL = "http://127.0.0.1:9/send"  # nothing listens on the discard port
    with transaction.atomic():
        notify(channel="sms", recipient="+639171234567", subject="", body="Reminder")
    failed = Notification.objects.get()
    assert failed.status == Notification.Status.FAILED and failed.error
