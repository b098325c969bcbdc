"""The one interface every way of sending a message implements, and the choice of gateway per channel.

A channel gets an `Outgoing` and returns the gateway's answer (an id or a status line) or raises `GatewayError`
with the reason; the outbox retries and records either. Which gateway carries e-mail and SMS is configured
(`HAYAT_EMAIL_GATEWAY`, `HAYAT_SMS_GATEWAY`, see hayat/settings.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mimetype: str


@dataclass(frozen=True)
class Outgoing:
    recipient: str
    subject: str
    body: str
    attachments: tuple[Attachment, ...] = ()
    reference: str = ""  # the outbox's id of the message, for gateways that keep one


class GatewayError(Exception):
    """The gateway did not take the message; `reason` is what it said (or why it could not be asked)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason[:1000]


class Gateway(Protocol):
    def send(self, outgoing: Outgoing) -> str: ...


GATEWAYS = {
    "log": "hayat.notifications.channels.log.LogGateway",
    "smtp": "hayat.notifications.channels.email.SmtpGateway",
    "http": "hayat.notifications.channels.http_sms.HttpSmsGateway",
    "eskiz": "hayat.notifications.channels.http_sms.EskizGateway",
    "semaphore": "hayat.notifications.channels.http_sms.SemaphoreGateway",
    "gammu": "hayat.notifications.channels.gammu.GammuGateway",
}


def gateway_for(channel: str) -> Gateway:
    """A new gateway for `channel` ("email" or "sms"), as configured; one per run of the sender, so a gateway may
    keep what it learnt (a login token) for the messages of that run."""
    name = settings.HAYAT_MESSAGE_GATEWAYS[channel]
    return import_string(GATEWAYS[name])()
