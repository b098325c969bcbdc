"""Notifications to patients (booking confirmation, reminders, waitlist offers) through pluggable backends.

`notify()` records the message in the outbox and hands it to the configured backend after the surrounding
transaction commits, so a rolled-back booking never sends anything. Backends:
- `hayat.core.notifications.LogBackend` (default): writes to the log; nothing leaves the server.
- `hayat.core.notifications.EmailBackend`: Django's e-mail settings (EMAIL_HOST, ...), for channel "email".
- `hayat.core.notifications.HttpSmsBackend`: POSTs JSON {"to", "text"} to HAYAT_SMS_GATEWAY_URL (a gateway on
  the hospital's LAN, e.g. a GSM modem service), for channel "sms".
HAYAT_NOTIFICATION_BACKENDS maps a channel to a backend path.
"""

from __future__ import annotations

import json
import logging
import urllib.request
from typing import Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils.module_loading import import_string

from hayat.core import clock
from hayat.core.models import Notification

logger = logging.getLogger("hayat.notifications")


class Backend(Protocol):
    def deliver(self, notification: Notification) -> None: ...


class LogBackend:
    def deliver(self, notification: Notification) -> None:
        logger.info("%s to %s: %s | %s", notification.channel, notification.recipient, notification.subject,
                    notification.body)


class EmailBackend:
    def deliver(self, notification: Notification) -> None:
        send_mail(notification.subject, notification.body, None, [notification.recipient])


class HttpSmsBackend:
    def deliver(self, notification: Notification) -> None:
        payload = json.dumps({"to": notification.recipient, "text": notification.body}).encode()
        request = urllib.request.Request(settings.HAYAT_SMS_GATEWAY_URL, data=payload,  # noqa: S310 - configured
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10):  # noqa: S310
            pass


def backend_for(channel: str) -> Backend:
    path = settings.HAYAT_NOTIFICATION_BACKENDS.get(channel, "hayat.core.notifications.LogBackend")
    return import_string(path)()


def notify(*, channel: str, recipient: str, subject: str, body: str, topic: str = "",
           patient_id: int | None = None) -> Notification:
    """Queues a message; it is delivered only if and when the caller's transaction commits."""
    notification = Notification.objects.create(
        created_at=clock.now(), channel=channel, recipient=recipient, subject=subject, body=body, topic=topic,
        patient_id=patient_id,
    )
    transaction.on_commit(lambda: deliver(notification.pk))
    return notification


def deliver(notification_id: int) -> None:
    notification = Notification.objects.get(pk=notification_id)
    try:
        backend_for(notification.channel).deliver(notification)
    except Exception as error:  # noqa: BLE001 - any backend failure is recorded, never lost
        logger.warning("notification %s failed: %s", notification_id, error)
        Notification.objects.filter(pk=notification_id).update(status=Notification.Status.FAILED,
                                                                error=str(error)[:500])
    else:
        Notification.objects.filter(pk=notification_id).update(status=Notification.Status.SENT,
                                                                sent_at=clock.now())
