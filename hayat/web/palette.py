"""The command palette (Ctrl+K): what a few typed letters jump to, among the pages of the menu, patients, bookings
and episodes the person may see. Records come from the searches of their own list pages."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hayat.clinical import selectors as clinical
from hayat.core.formats import format_date
from hayat.core.policy import can
from hayat.patients import selectors as patients
from hayat.stays import selectors as stays
from hayat.web.navigation import items_for

PER_GROUP = 5
SHORTEST_RECORD_QUERY = 2  # one letter would list half the hospital


@dataclass(frozen=True)
class Jump:
    label: str
    detail: str
    url: str
    patient_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class Group:
    title: str
    icon: str
    jumps: list[Jump] = field(default_factory=list)


def pages(user, query: str) -> list[Jump]:
    wanted = query.casefold()
    return [Jump(str(item.label), str(item.section), reverse(item.url_name)) for item in items_for(user)
            if wanted in str(item.label).casefold()][:PER_GROUP]


def patient_jumps(query: str) -> list[Jump]:
    return [Jump(patient.full_name, " · ".join(filter(None, [patient.code, format_date(patient.birth_date)])),
                 patient.get_absolute_url(), (patient.pk,))
            for patient in patients.search(query)[:PER_GROUP]]


def booking_jumps(query: str) -> list[Jump]:
    found = stays.bookings(stays.BookingFilters(search=query))[:PER_GROUP]
    return [Jump(booking.number, ", ".join(dict.fromkeys(line.patient.full_name for line in booking.lines.all())),
                 booking.get_absolute_url(), tuple(stays.guest_ids(booking)))
            for booking in found]


def episode_jumps(query: str) -> list[Jump]:
    return [Jump(episode.case_number, episode.patient.full_name, episode.get_absolute_url(), (episode.patient_id,))
            for episode in clinical.episodes(search=query)[:PER_GROUP]]


RECORDS: list[tuple[str, Callable[[str], list[Jump]], str, str]] = [
    ("patients.view", patient_jumps, gettext_lazy("Patients"), "user"),
    ("stays.view", booking_jumps, gettext_lazy("Bookings"), "suitcase"),
    ("episodes.view", episode_jumps, gettext_lazy("Episodes"), "bed-pulse"),
]


def jumps(user, query: str) -> list[Group]:
    """The groups with something to offer for `query`: pages first, then the records this person may see."""
    query = query.strip()
    if not query:
        return []
    groups = [Group(_("Pages"), "compass", pages(user, query))]
    if len(query) >= SHORTEST_RECORD_QUERY:
        groups += [Group(str(title), icon, search(query)) for capability, search, title, icon in RECORDS
                   if can(user, capability)]
    return [group for group in groups if group.jumps]
