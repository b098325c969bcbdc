"""Quiet hours: a message falling due inside them waits until they end (on the hospital's clock)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

from hayat.notifications.models import QuietHours


def is_quiet(moment: time, *, start: time, end: time) -> bool:
    if start == end:
        return False
    if start < end:
        return start <= moment < end
    return moment >= start or moment < end  # across midnight


def next_allowed(at: datetime) -> datetime:
    """`at`, or the end of the quiet hours `at` falls in."""
    hours = QuietHours.objects.first()
    if hours is None:
        return at
    local = timezone.localtime(at)
    if not is_quiet(local.time(), start=hours.start, end=hours.end):
        return at
    day = local.date() if local.time() < hours.end else local.date() + timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, hours.end), local.tzinfo)
