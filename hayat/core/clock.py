"""The one source of "now", so tests can move time with one fixture (`clock` in conftest)."""

from datetime import date, datetime

from django.utils import timezone


def now() -> datetime:
    return timezone.now()


def today() -> date:
    return timezone.localdate(now())
