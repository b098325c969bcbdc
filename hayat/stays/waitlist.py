"""The waitlist: patients waiting for a place; an entry becomes a booking in one step, through the booking service,
with as many guests as it asked places for."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hayat.catalog.models import Tariff
from hayat.core import audit, clock, policy
from hayat.core.errors import Conflict, DomainError
from hayat.core.transactions import retrying_atomic
from hayat.facilities.models import Bed, Room, RoomType
from hayat.patients.models import Patient
from hayat.stays import rules, services
from hayat.stays.models import Booking, BookingSource, BookingStatus, WaitlistEntry, WaitlistPriority, WaitlistStatus
from hayat.stays.services import BookingData, GuestChoice, actor


@dataclass(frozen=True)
class EntryData:
    patient: Patient
    start_date: date
    end_date: date
    room_type: RoomType | None = None
    guests: int = 1
    priority: int = WaitlistPriority.NORMAL
    notes: str = ""


@retrying_atomic
def add_entry(*, by, data: EntryData) -> WaitlistEntry:
    """Puts a patient on the waitlist for the dates (checked like a booking's), a room type and a number of guests."""
    policy.ensure(by, "stays.waitlist")
    rules.check_dates(data.start_date, data.end_date)
    services.check_patient(data.patient)
    if not 1 <= data.guests <= services.MAX_GUESTS:
        raise DomainError(_("Between 1 and %(max)d guests.") % {"max": services.MAX_GUESTS}, field="guests")
    if data.priority not in WaitlistPriority.values:
        raise DomainError(_("Choose a priority."), field="priority")
    entry = WaitlistEntry.objects.create(
        patient=data.patient, start_date=data.start_date, end_date=data.end_date, room_type=data.room_type,
        guests=data.guests, priority=data.priority, notes=data.notes.strip()[:300], created_by=actor(by),
        updated_by=actor(by),
    )
    audit.record("waitlist.add", by=by, obj=entry, patient_id=entry.patient_id,
                 changes={"start_date": [None, str(entry.start_date)], "end_date": [None, str(entry.end_date)]})
    return entry


def locked_open(entry: WaitlistEntry) -> WaitlistEntry:
    entry = WaitlistEntry.objects.select_for_update().select_related("patient").get(pk=entry.pk)
    if not entry.is_open:
        raise Conflict(_("This waitlist entry is %(status)s already.") % {"status": entry.get_status_display().lower()},
                       code="waitlist_closed")
    return entry


@retrying_atomic
def cancel_entry(*, by, entry: WaitlistEntry, reason: str = "") -> WaitlistEntry:
    policy.ensure(by, "stays.waitlist")
    entry = locked_open(entry)
    entry.status, entry.updated_by = WaitlistStatus.CANCELLED, actor(by)
    entry.save(update_fields=["status", "updated_by", "updated_at"])
    audit.record("waitlist.cancel", by=by, obj=entry, patient_id=entry.patient_id, note=reason.strip(),
                 changes={"status": ["open", WaitlistStatus.CANCELLED]})
    return entry


@retrying_atomic
def record_call(*, by, entry: WaitlistEntry, note: str = "") -> WaitlistEntry:
    """The desk called a patient who has neither mobile nor email and offered the free place."""
    policy.ensure(by, "stays.waitlist")
    entry = locked_open(entry)
    if entry.status != WaitlistStatus.TO_CALL:
        raise Conflict(_("This entry has no place waiting for a call."), code="waitlist_not_to_call")
    entry.status, entry.notified_at, entry.updated_by = WaitlistStatus.NOTIFIED, clock.now(), actor(by)
    entry.save(update_fields=["status", "notified_at", "updated_by", "updated_at"])
    audit.record("waitlist.called", by=by, obj=entry, patient_id=entry.patient_id, note=note.strip(),
                 changes={"status": [WaitlistStatus.TO_CALL, WaitlistStatus.NOTIFIED]})
    return entry


@retrying_atomic
def convert_to_booking(*, by, entry: WaitlistEntry, room: Room, tariff: Tariff, bed: Bed | None = None,
                       companions: Sequence[Patient] = (), status: str = BookingStatus.CONFIRMED) -> Booking:
    """Books the entry's dates in the chosen room (checked like any booking) for as many guests as the entry
    asked places for: the waiting patient (in `bed` when given) and `companions`, all on `tariff`, then closes the
    entry. Each guest's room or tariff can be changed on the booking afterwards."""
    policy.ensure(by, "stays.waitlist")
    entry = locked_open(entry)
    if entry.room_type_id and room.room_type_id != entry.room_type_id:
        raise DomainError(_("The patient waits for a room of type %(type)s.") % {"type": entry.room_type},
                          field="place")
    companions = list(companions)
    if entry.guests == 1 and companions:
        raise DomainError(_("The entry asks for one place: book the waiting patient alone."), field="companions")
    if len(companions) != entry.guests - 1:
        others = entry.guests - 1
        raise DomainError(ngettext("The entry asks for %(count)d places: choose the %(others)d other guest.",
                                   "The entry asks for %(count)d places: choose the %(others)d other guests.",
                                   others) % {"count": entry.guests, "others": others}, field="companions")
    if bed is not None and companions:
        raise DomainError(_("Several guests share the room: choose the room, not one bed."), field="place")
    guests = [GuestChoice(entry.patient, room, tariff, bed),
              *(GuestChoice(patient, room, tariff) for patient in companions)]
    booking = services.create_booking(by=by, data=BookingData(
        start_date=entry.start_date, end_date=entry.end_date, guests=guests, status=status,
        source=BookingSource.OTHER, notes=_("From the waitlist.") + (f" {entry.notes}" if entry.notes else "")))
    entry.status, entry.booking, entry.updated_by = WaitlistStatus.BOOKED, booking, actor(by)
    entry.save(update_fields=["status", "booking", "updated_by", "updated_at"])
    audit.record("waitlist.book", by=by, obj=entry, patient_id=entry.patient_id,
                 changes={"booking": [None, booking.number]})
    return booking
