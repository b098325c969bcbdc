"""Queuing a message in the transaction of its cause, and sending the due ones exactly once.

Queuing writes one row per (event, channel), inside a savepoint so that an event seen twice (a retried use case,
two workers finding the same reminder) leaves the first row alone. Sending claims due rows first: with
`SELECT ... FOR UPDATE SKIP LOCKED` where the engine has it (PostgreSQL, MariaDB), and on any engine by an UPDATE
that sets a claim token only on rows still queued and unclaimed; a worker then sends only the rows holding its
token, outside any transaction, and records the gateway's answer. A failure is retried with growing pauses, and
after `HAYAT_MESSAGE_ATTEMPTS` the message is failed with the gateway's last answer (docs/adr/0017).
"""

from __future__ import annotations

import logging
import uuid
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.utils.translation import override

from hayat.core import clock
from hayat.documents.kinds import KINDS as DOCUMENT_KINDS
from hayat.documents.models import Letterhead
from hayat.documents.printing import language_for, render_sheet
from hayat.notifications import texts
from hayat.notifications.channels import Attachment, GatewayError, Outgoing, gateway_for
from hayat.notifications.models import Channel, Message, Preference, State
from hayat.notifications.quiet import next_allowed
from hayat.patients.models import Patient

logger = logging.getLogger("hayat.notifications")

# How long a claim holds: longer than any gateway may take for a batch, so a live worker is never overtaken;
# a worker that died mid-batch leaves rows that another takes after it.
LEASE = timedelta(minutes=10)
BATCH = 50
FIRST_PAUSE = timedelta(minutes=1)
PDF = "application/pdf"

# The values a message's text may show, written in the message's language (dates and money read differently).
Values = Callable[[str], dict[str, str]]


def queue(*, kind: str, event_key: str, patient: Patient, values: Values, attachment: str = "") -> Message | None:
    """Queues the message of `kind` caused by `event_key` to the patient, by the patient's channel and in their
    language, unless the kind is switched off, the patient opted out (or did not consent to a follow-up) or has no
    address; the same event queued again changes nothing. Returns the message (new or already there) or None."""
    if not texts.is_enabled(kind):
        return None
    preference = Preference.objects.filter(patient=patient).first()
    if not may_message(kind, preference):
        return None
    channel, recipient = address(patient, preference)
    if not recipient:
        return None
    existing = Message.objects.filter(event_key=event_key, channel=channel).first()
    if existing is not None:
        return existing
    language = (preference.language if preference and preference.language else language_for(patient_id=patient.pk))
    subject, body = texts.render(kind, channel=channel, language=language,
                                 values={**hospital_values(language), "patient_name": patient.full_name,
                                         **values(language)})
    now = clock.now()
    try:
        with transaction.atomic():
            return Message.objects.create(
                kind=kind, channel=channel, event_key=event_key[:120], patient=patient, recipient=recipient,
                language=language, subject=subject[:200], body=body,
                attachment=attachment if channel == Channel.EMAIL else "", created_at=now, due_at=next_allowed(now))
    except IntegrityError:
        return Message.objects.filter(event_key=event_key, channel=channel).first()


def may_message(kind: str, preference: Preference | None) -> bool:
    if preference is not None and preference.opted_out:
        return False
    return not texts.wording(kind).needs_consent or (preference is not None and preference.consent)


def address(patient: Patient, preference: Preference | None) -> tuple[str, str]:
    """(channel, recipient): the preferred channel when the patient has its address, else the other one; SMS
    first when nothing is preferred."""
    addresses = {Channel.SMS: patient.mobile, Channel.EMAIL: patient.email}
    order = [Channel.SMS, Channel.EMAIL]
    if preference is not None and preference.channel == Channel.EMAIL:
        order.reverse()
    for channel in order:
        if addresses[channel]:
            return channel, addresses[channel]
    return "", ""


def hospital_values(language: str) -> dict[str, str]:
    head = Letterhead.current()
    return {"hospital": head.name_for(language), "hospital_phone": head.phone}


def cancel_queued(*, event_prefix: str) -> int:
    """Cancels the queued messages of one source (say "booking:12:") that no worker holds now: what they
    announced will not happen."""
    now = clock.now()
    return (Message.objects.filter(event_key__startswith=event_prefix, state=State.QUEUED)
            .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
            .update(state=State.CANCELLED, answer="", claim_token="", claimed_until=None))


# Sending


def available(now: datetime) -> Q:
    return Q(state=State.QUEUED, due_at__lte=now) & (Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))


def claim(*, token: str, limit: int = BATCH) -> list[int]:
    """Marks up to `limit` due messages as this worker's; returns their ids. Two workers never get the same one."""
    now = clock.now()
    with transaction.atomic():
        due = Message.objects.filter(available(now)).order_by("due_at", "pk")
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        ids = list(due.values_list("pk", flat=True)[:limit])
        Message.objects.filter(available(now), pk__in=ids).update(claim_token=token, claimed_until=now + LEASE)
    return list(Message.objects.filter(claim_token=token, pk__in=ids).values_list("pk", flat=True))


def send_due(*, limit: int = BATCH) -> Counter:
    """Sends what is due, a batch at a time, until nothing due is left; returns how many were sent and failed."""
    outcome: Counter = Counter()
    gateways: dict[str, object] = {}
    while ids := claim(token=uuid.uuid4().hex, limit=limit):
        for message in Message.objects.filter(pk__in=ids).order_by("due_at", "pk"):
            outcome[send_one(message, gateways)] += 1
    return outcome


def send_one(message: Message, gateways: dict) -> str:
    try:
        gateway = gateways.get(message.channel) or gateways.setdefault(message.channel, gateway_for(message.channel))
        answer = gateway.send(outgoing(message))
    except GatewayError as error:
        return record_failure(message, reason=error.reason)
    except Exception as error:  # noqa: BLE001 - whatever broke, the message says why instead of staying claimed
        logger.exception("message %s could not be sent", message.pk)
        return record_failure(message, reason=f"{type(error).__name__}: {error}")
    Message.objects.filter(pk=message.pk, claim_token=message.claim_token).update(
        state=State.SENT, sent_at=clock.now(), attempts=F("attempts") + 1, answer=answer[:1000], claim_token="",
        claimed_until=None)
    return State.SENT


def record_failure(message: Message, *, reason: str) -> str:
    attempts = message.attempts + 1
    logger.warning("message %s attempt %s failed: %s", message.pk, attempts, reason)
    mine = Message.objects.filter(pk=message.pk, claim_token=message.claim_token)
    if attempts >= settings.HAYAT_MESSAGE_ATTEMPTS:
        mine.update(state=State.FAILED, attempts=attempts, answer=reason[:1000], claim_token="", claimed_until=None)
        return State.FAILED
    mine.update(attempts=attempts, answer=reason[:1000], claim_token="", claimed_until=None,
                due_at=next_allowed(clock.now() + pause_after(attempts)))
    return "retry"


def pause_after(attempts: int) -> timedelta:
    """1, 4, 16, 64... minutes: a gateway that is down a while is not hammered."""
    return FIRST_PAUSE * 4 ** (attempts - 1)


def outgoing(message: Message) -> Outgoing:
    attachments = (document(message.attachment, language=message.language),) if message.attachment else ()
    return Outgoing(recipient=message.recipient, subject=message.subject, body=message.body,
                    attachments=attachments, reference=str(message.pk))


def document(reference: str, *, language: str) -> Attachment:
    """The printed document named "<kind slug>:<id>", as it reads now, in the message's language."""
    slug, _, pk = reference.partition(":")
    kind = DOCUMENT_KINDS[slug]
    with override(language):
        sheet = kind.compose(kind.get(int(pk)))
        pdf = render_sheet(sheet, language=language)
    return Attachment(f"{slug}-{sheet.reference}.pdf".replace("/", "-"), pdf, PDF)
