"""Mid-stay changes: from a chosen day a guest moves to another room (or bed) and/or another tariff; and the
early end of a stay, when the guests leave before the planned departure.

Both end guest lines on a day, and a line keeps its price per day: each period costs the nights it covers."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils.translation import gettext as _

from hayat.catalog.models import Tariff
from hayat.catalog.pricing import price_for
from hayat.core import audit, clock, policy
from hayat.core.errors import Conflict, DomainError
from hayat.core.transactions import retrying_atomic
from hayat.facilities.models import Bed, Room
from hayat.stays import rules, vacancies
from hayat.stays.allowances import sync_allowances
from hayat.stays.errors import day
from hayat.stays.models import Booking, GuestLine
from hayat.stays.services import (
    Period,
    actor,
    charges_changed,
    check_changeable,
    lock_and_check,
    locked,
    save_booking,
    save_line,
)
from hayat.stays.signals import guest_period_changed


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
    guest_period_changed.send(sender=Booking, booking=booking, patient_id=new.patient_id,
                              tariff_changed=new.tariff_id != before["tariff"], by=by)
    charges_changed(booking, by=by)
    return new


def close_on(line: GuestLine, end: date, *, by) -> None:
    line.is_open = False
    end_line(line, end, by=by, fields=["is_open"])


def end_line(line: GuestLine, end: date, *, by, fields: tuple[str, ...] | list[str] = ()) -> None:
    """Ends the line's period on `end`; it keeps its price per day, so it costs the nights up to that day."""
    line.end_date = end
    line.updated_by = actor(by)
    line._history_user = actor(by)
    line.save(update_fields=["end_date", *fields, "updated_by", "updated_at"])


def end_stay_early(booking: Booking, *, on: date, by, reason: str) -> date:
    """The guests of `booking` (locked, lines loaded) leave on `on`, before the planned departure.

    The stay ends that day (after one night at least): lines running past it end then, priced by the nights
    stayed; lines that would only begin later never happen and are taken off. The rooms and beds are free from
    that day, and the waitlist is offered them. Returns the departure day. A step of check-out.
    """
    departure = early_departure_day(booking, on)
    freed = end_lines_on(booking, departure, by=by)
    before = str(booking.end_date)
    booking.end_date = departure
    save_booking(booking, by=by, fields=["end_date"])
    sync_allowances(booking)
    audit.record("booking.early_departure", by=by, obj=booking, note=reason.strip(),
                 changes={"end_date": [before, str(departure)]})
    vacancies.offer_freed_places(freed)
    return departure


def end_guest_stay_early(booking: Booking, *, patient_id: int, on: date, by) -> date:
    """One guest of `booking` (locked, lines loaded) leaves on `on` while the others stay: their periods end then,
    priced by the nights stayed, and their place is free and offered to the waitlist. Returns the departure day."""
    departure = early_departure_day(booking, on)
    freed = end_lines_on(booking, departure, by=by, patient_id=patient_id)
    sync_allowances(booking)
    vacancies.offer_freed_places(freed)
    return departure


def end_lines_on(booking: Booking, departure: date, *, by, patient_id: int | None = None) -> list[vacancies.Freed]:
    """Ends on `departure` the lines (of one guest, or of all) running past it and takes off those that would only
    begin later; returns the places freed."""
    freed, dropped_open = [], set()
    for line in booking.kept_lines():
        if patient_id is not None and line.patient_id != patient_id:
            continue
        if not line.holds_place or line.end_date <= departure:
            continue
        if line.start_date >= departure:
            freed.append(vacancies.Freed(line.room.room_type_id, line.start_date, line.end_date))
            if line.is_open:
                dropped_open.add(line.patient_id)
            drop_line(line, by=by)
        else:
            freed.append(vacancies.Freed(line.room.room_type_id, departure, line.end_date))
            end_line(line, departure, by=by)
    reopen_last_periods(booking, dropped_open, by=by)
    return freed


def early_departure_day(booking: Booking, on: date) -> date:
    """The day a stay ends when the guests leave on `on`: that day, but after the first night at least."""
    return max(on, booking.start_date + timedelta(days=1))


def drop_line(line: GuestLine, *, by) -> None:
    """Takes off a period that never began; it holds no place and costs nothing."""
    line.is_open, line.holds_place, line.removed_at = False, False, clock.now()
    line.updated_by = actor(by)
    line._history_user = actor(by)
    line.save(update_fields=["is_open", "holds_place", "removed_at", "updated_by", "updated_at"])


def reopen_last_periods(booking: Booking, patient_ids: set[int], *, by) -> None:
    """A guest whose current period was taken off has their last period stayed as the current one again."""
    for patient_id in patient_ids:
        stayed = [line for line in booking.kept_lines() if line.patient_id == patient_id and line.removed_at is None]
        if stayed:
            last = max(stayed, key=lambda line: line.end_date)
            last.is_open = True
            last.updated_by = actor(by)
            last._history_user = actor(by)
            last.save(update_fields=["is_open", "updated_by", "updated_at"])


def audit_values(values: dict) -> dict:
    return {name: audit.as_data(value) for name, value in values.items()}
