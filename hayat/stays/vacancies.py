"""When a cancellation, no-show or expiry frees places, the first matching waitlist entries are offered them.

A step of the status change that freed the places (in its transaction); the messages leave after commit.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from hayat.core import clock
from hayat.core.notifications import notify
from hayat.facilities.models import Room
from hayat.stays.models import Booking, WaitlistEntry, WaitlistStatus
from hayat.stays.places import place_options

CANDIDATES = 20


def offer_freed_places(booking: Booking) -> list[WaitlistEntry]:
    """Offers the places `booking` gave back to waiting entries of matching dates and room type, first by
    priority then by waiting time, as long as a room still fits them; at most one entry per freed place."""
    lines = list(booking.lines.filter(removed_at__isnull=True).select_related("room"))
    if not lines:
        return []
    start, end = min(line.start_date for line in lines), max(line.end_date for line in lines)
    room_types = {line.room.room_type_id for line in lines}
    entries = (WaitlistEntry.objects.filter(status=WaitlistStatus.WAITING, start_date__lt=end, end_date__gt=start)
               .filter(Q(room_type__isnull=True) | Q(room_type_id__in=room_types))
               .select_related("patient", "room_type").order_by("priority", "created_at", "pk")[:CANDIDATES])
    offered = []
    for entry in entries:
        if len(offered) >= len(lines):
            break
        if fits(entry):
            offer(entry)
            offered.append(entry)
    return offered


def fits(entry: WaitlistEntry) -> bool:
    """A room of the entry's type (any type when none) has places for all its guests on every night."""
    options = [option for option in place_options(entry.start_date, entry.end_date) if option.bed_id is None]
    types = dict(Room.objects.filter(pk__in=[option.room_id for option in options]).values_list("pk", "room_type_id"))
    return any(option.free >= entry.guests and entry.room_type_id in (None, types.get(option.room_id))
               for option in options)


def offer(entry: WaitlistEntry) -> None:
    entry.status, entry.notified_at = WaitlistStatus.NOTIFIED, clock.now()
    entry.save(update_fields=["status", "notified_at", "updated_at"])
    patient = entry.patient
    recipient, channel = (patient.mobile, "sms") if patient.mobile else (patient.email, "email")
    if not recipient:
        return
    notify(channel=channel, recipient=recipient, subject=_("A place is free for your stay"), topic="waitlist",
           patient_id=patient.pk,
           body=_("Dear %(name)s, a place is free from %(start)s to %(end)s. Call us to book it.")
           % {"name": patient.full_name, "start": date_format(entry.start_date),
              "end": date_format(entry.end_date)})
