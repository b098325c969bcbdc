"""Reverting a booking's editable fields (dates, source, referral, notes) to an earlier version from its history.

A revert is no write of its own: it asks the same use cases the desk uses (change_dates, update_details), so every
rule (the dates, the places free for them, each room's guests) is checked again, and a refusal changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.utils.translation import gettext as _

from hayat.core import audit, policy
from hayat.core.errors import DomainError
from hayat.core.formats import format_datetime
from hayat.core.transactions import retrying_atomic
from hayat.stays import services
from hayat.stays.models import Booking, BookingSource

DATES = ("start_date", "end_date")
DETAILS = ("source", "referral", "notes")
VERSIONS_SHOWN = 10


@dataclass(frozen=True)
class Difference:
    field: str
    label: str
    now: object
    then: object

    @property
    def is_date(self) -> bool:
        return isinstance(self.then, date)


@dataclass(frozen=True)
class Version:
    """An earlier state of the booking's editable fields: when it was saved, by whom, what differs from now."""

    history_id: int
    at: datetime
    by: str
    differences: list[Difference]


def differences(booking: Booking, earlier) -> list[Difference]:
    """The editable fields whose value in `earlier` (a historical row) differs from the booking's (source: its
    label)."""
    found = []
    for name in (*DATES, *DETAILS):
        now, then = getattr(booking, name), getattr(earlier, name)
        if now != then:
            if name == "source":
                now, then = BookingSource(now).label, BookingSource(then).label
            found.append(Difference(name, str(Booking._meta.get_field(name).verbose_name), now, then))
    return found


def earlier_versions(booking: Booking) -> list[Version]:
    """The distinct earlier states a booking can be reverted to, newest first: one query."""
    versions, seen = [], set()
    for row in booking.history.select_related("history_user").order_by("-history_date", "-history_id")[:50]:
        values = tuple(getattr(row, name) for name in (*DATES, *DETAILS))
        found = differences(booking, row)
        if found and values not in seen:
            seen.add(values)
            versions.append(Version(row.history_id, row.history_date,
                                    row.history_user.full_name if row.history_user else _("system"), found))
    return versions[:VERSIONS_SHOWN]


def version_of(booking: Booking, history_id: int):
    row = booking.history.filter(history_id=history_id).first()
    if row is None:
        raise DomainError(_("This booking has no such earlier version."), code="no_version")
    return row


@retrying_atomic
def revert_to(*, by, booking: Booking, history_id: int, reason: str = "") -> Booking:
    """Gives the booking the dates, source, referral and notes of one of its earlier versions, through
    change_dates and update_details (each checks its rules and records its own change), and records the revert."""
    policy.ensure(by, "stays.manage")
    booking = services.locked(booking)
    services.check_changeable(booking)
    earlier = version_of(booking, history_id)
    names = {difference.field for difference in differences(booking, earlier)}
    if not names:
        raise DomainError(_("The booking already has the values of that version."), code="nothing_to_revert")
    reverted = {name: [str(getattr(booking, name)), str(getattr(earlier, name))] for name in sorted(names)}
    note = reason.strip() or _("Reverted to the version of %(moment)s") % {
        "moment": format_datetime(earlier.history_date)}
    if names & set(DATES):
        booking = services.change_dates(by=by, booking=booking, start_date=earlier.start_date,
                                        end_date=earlier.end_date, reason=note)
    if names & set(DETAILS):
        booking = services.update_details(by=by, booking=booking, source=earlier.source, referral=earlier.referral,
                                          notes=earlier.notes)
    audit.record("booking.revert", by=by, obj=booking, note=note, changes=reverted)
    return booking
