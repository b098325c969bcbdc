"""Search filters that higher apps (stays, clinical) lend to patient search, which may not import them.

An app may have a module `patient_filters.py` defining any of these functions; each returns a queryset
of patient ids (`.values("patient_id")`), which patient search uses as a subquery:

    def with_active_stay(*, on: date) -> QuerySet
        patients staying or admitted on that day (a booking checked in, an open episode, ...)

    def visited_between(*, start: date | None, end: date | None) -> QuerySet
        patients with a visit (stay, episode, ...) on any day from start to end, both included; an open
        bound means no limit on that side

    def matching_number(*, text: str) -> QuerySet
        patients whose booking or case number is `text` (already stripped, as typed)

Patients with an active stay are the union over all apps; "last visit between a and b" means visited
between a and b and not after b (a NOT IN subquery: return no NULL ids).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from django.db.models import Q, QuerySet

from hayat.core.discovery import app_modules

HOOK_MODULE = "patient_filters"


def providers(name: str) -> list[Callable[..., QuerySet]]:
    return [getattr(module, name) for module in app_modules(HOOK_MODULE) if callable(getattr(module, name, None))]


def union(name: str, **kwargs) -> Q | None:
    """Q(pk__in=first) | Q(pk__in=second) ... over every app's hook, or None when no app offers it."""
    condition = None
    for provider in providers(name):
        part = Q(pk__in=provider(**kwargs))
        condition = part if condition is None else condition | part
    return condition


NOBODY = Q(pk__in=[])


def with_active_stay(on: date) -> Q:
    return union("with_active_stay", on=on) or NOBODY


def last_visit_between(start: date | None, end: date | None) -> Q:
    visited = union("visited_between", start=start, end=end)
    if visited is None:
        return NOBODY
    if end is None:
        return visited
    later = union("visited_between", start=end + timedelta(days=1), end=None)
    return visited & ~later


def matching_number(text: str) -> list[Q]:
    """One condition per app: kept apart (not OR-ed), each `pk IN (...)` stays a cheap semi-join."""
    return [Q(pk__in=provider(text=text)) for provider in providers("matching_number")]
