"""Reads of the messages shared by the pages, the API and the dashboard."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import Count, Max, QuerySet
from django.utils import timezone

from hayat.notifications.models import Message, State


def day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def outbox(*, state: str = "", kind: str = "", channel: str = "", start: date | None = None,
           end: date | None = None, patient_id: int | None = None) -> QuerySet[Message]:
    """Messages, newest first, with the patient a row shows; every filter optional (`end` included)."""
    messages = Message.objects.select_related("patient").defer("body")
    if state:
        messages = messages.filter(state=state)
    if kind:
        messages = messages.filter(kind=kind)
    if channel:
        messages = messages.filter(channel=channel)
    if start:
        messages = messages.filter(created_at__gte=day_start(start))
    if end:
        messages = messages.filter(created_at__lt=day_start(end) + timedelta(days=1))
    if patient_id is not None:
        messages = messages.filter(patient_id=patient_id)
    return messages.order_by("-created_at", "-id")


def of_patient(patient_id: int, *, limit: int = 10) -> list[Message]:
    return list(Message.objects.filter(patient_id=patient_id).order_by("-created_at", "-id")[:limit])


def failures() -> dict:
    """What the dashboard warns Admin of: how many messages were given up, and the latest answer of each gateway
    (two queries)."""
    by_channel = {row["channel"]: row for row in Message.objects.filter(state=State.FAILED).order_by()
                  .values("channel").annotate(latest=Max("id"), count=Count("id"))}
    latest = {message.channel: message for message in Message.objects.filter(
        pk__in=[row["latest"] for row in by_channel.values()])}
    return {"count": sum(row["count"] for row in by_channel.values()),
            "latest": [latest[channel] for channel in sorted(latest)]}
