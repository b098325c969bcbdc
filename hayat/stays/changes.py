"""Mid-stay changes: from a chosen day a guest moves to another room (or bed) and/or another tariff."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from hayat.catalog.models import Tariff
from hayat.catalog.pricing import price_for
from hayat.core import audit, clock, policy
from hayat.core.errors import Conflict, DomainError
from hayat.core.transactions import retrying_atomic
from hayat.facilities.models import Bed, Room
from hayat.stays import rules
from hayat.stays.allowances import sync_allowances
from hayat.stays.errors import day
from hayat.stays.models import Booking, GuestLine
from hayat.stays.services import Period, actor, check_changeable, lock_and_check, locked, save_line, touch
from hayat.stays.signals import booking_charges_changed


def check_split_day(line: GuestLine, from_date: date) -> None:
    if not line.start_date < from_date < line.end_date:
        raise DomainError(
            _("Choose a day after %(start)s and before %(end)s: the first night stays as it was and at least one "
              "night is left to change.") % {"start": day(line.start_date), "end": day(line.end_date)},
            field="from_date")
    if from_date < clock.today() and not rules.past_start_allowed():
        raise DomainError(_("%(day)s is in the past; a change starts today at the earliest.") % {"day": day(from_date)},
                          field="from_date")


@retrying_atomic
def change_mid_stay(*, by, line: GuestLine, from_date: date, room: Room | None = None, bed: Bed | None = None,
                    tariff: Tariff | None = None, reason: str = "") -> GuestLine:
    """Closes the guest's line on `from_date` and opens a new one from that day to the same departure.

    `room` None keeps the room and bed; a new room is re-checked for every night like a new booking, under
    the same locks. Each line keeps its own price per day, so the stay is priced by the days in each period.
    The guest's included sessions follow the new tariff; sessions already used count on.
    """
    policy.ensure(by, "stays.manage")
    booking = locked(line.booking)
    line = GuestLine.objects.select_related("patient", "room", "bed", "tariff").get(pk=line.pk, booking=booking)
    check_changeable(booking)
    if not line.is_open:
        raise Conflict(_("This guest line is closed; it is kept as history."), code="line_closed")
    if room is None:
        room, bed = line.room, line.bed
    tariff = tariff or line.tariff
    if (room.pk, getattr(bed, "pk", None), tariff.pk) == (line.room_id, line.bed_id, line.tariff_id):
        raise DomainError(_("Choose another room, bed or tariff; this one is the guest's now."), field="room")
    check_split_day(line, from_date)
    (period,) = lock_and_check([Period(None, line.patient, room, bed, tariff, from_date, line.end_date)],
                               ignoring=GuestLine.objects.filter(pk=line.pk))
    before = {"room": line.room_id, "bed": line.bed_id, "tariff": line.tariff_id, "price_per_day": line.price_per_day}
    close_on(line, from_date, by=by)
    new = save_line(GuestLine(booking=booking, created_by=actor(by)), period, by=by,
                    price=price_for(period.tariff, period.room))
    sync_allowances(booking)
    after = {"room": new.room_id, "bed": new.bed_id, "tariff": new.tariff_id, "price_per_day": new.price_per_day}
    audit.record("booking.mid_stay_change", by=by, obj=booking, patient_id=new.patient_id, note=reason.strip(),
                 changes={"from_date": [None, str(from_date)],
                          **audit.changes_between(audit_values(before), audit_values(after))})
    touch(booking, by=by)
    booking_charges_changed.send(sender=Booking, booking=booking, by=by)
    return new


def close_on(line: GuestLine, end: date, *, by) -> None:
    line.end_date, line.is_open = end, False
    line.updated_by = actor(by)
    line._history_user = actor(by)
    line.save(update_fields=["end_date", "is_open", "updated_by", "updated_at"])


def audit_values(values: dict) -> dict:
    return {name: audit.as_data(value) for name, value in values.items()}
