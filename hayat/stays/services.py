"""Every change to a booking: one use case per function, one transaction, the contended rows locked first.

Lock order, the same everywhere so two use cases never deadlock: the booking row, then the rooms
(`availability.lock_for_booking`, ascending ids), then the patients (ascending ids), then the number
sequence. The checks that follow (capacity per night, beds, maintenance, patient overlap) therefore see
every committed booking and no concurrent one can slip in before the insert. On PostgreSQL an exclusion
constraint on beds and patients backs this up.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from hayat.catalog.models import Tariff
from hayat.catalog.pricing import price_for, price_grid
from hayat.core import audit, clock, policy
from hayat.core.errors import Conflict, DomainError
from hayat.core.money import round_money
from hayat.core.numbering import next_value
from hayat.core.transactions import retrying_atomic
from hayat.facilities.availability import lock_for_booking
from hayat.facilities.models import Bed, Room
from hayat.patients.models import Patient
from hayat.stays import illness, lifecycle, rules
from hayat.stays.allowances import sync_allowances
from hayat.stays.calendar import runs
from hayat.stays.errors import NoLongerAvailable, PatientAlreadyBooked, day
from hayat.stays.models import Booking, BookingSource, BookingStatus, GuestLine
from hayat.stays.places import Claim, ensure_free
from hayat.stays.signals import booking_charges_changed, guest_period_changed

BOOKING_FIELDS = ("start_date", "end_date", "source", "referral", "notes")
LINE_FIELDS = ("patient", "room", "bed", "tariff", "start_date", "end_date", "price_per_day")
MAX_GUESTS = 20


@dataclass(frozen=True)
class GuestChoice:
    """One guest as chosen at the desk: who, where (a room, optionally a bed in it) and on which tariff."""

    patient: Patient
    room: Room
    tariff: Tariff
    bed: Bed | None = None


@dataclass(frozen=True)
class BookingData:
    start_date: date
    end_date: date
    guests: Sequence[GuestChoice] = field(default_factory=list)
    status: str = BookingStatus.CONFIRMED
    source: str = BookingSource.WALK_IN
    referral: str = ""
    notes: str = ""
    bill_per_guest: bool = False


@dataclass(frozen=True)
class Period:
    """Where a guest line will be and when, after a change: the plan that is checked, then saved."""

    line: GuestLine | None
    patient: Patient
    room: Room
    bed: Bed | None
    tariff: Tariff
    start: date
    end: date


# --- creating ---------------------------------------------------------------------------------------------


@retrying_atomic
def create_booking(*, by, data: BookingData) -> Booking:
    """Books every guest into their room (and bed) on their tariff, or nothing at all.

    Refuses, with a message naming the room, bed or patient: dates against the rules, an inactive room,
    bed, tariff or patient, a room full on any night, a bed taken, a room under maintenance, a patient who
    already stays elsewhere in those dates. The number is BK-YYYYMMDD-NNNN of the day of booking.
    """
    policy.ensure(by, "stays.book")
    if data.status not in lifecycle.INITIAL:
        raise DomainError(_("A new booking is a reservation, pending or confirmed."), field="status")
    check_source(data.source)
    rules.check_dates(data.start_date, data.end_date)
    guests = list(data.guests)
    if not guests:
        raise DomainError(_("Add at least one guest."), field="guests")
    if len(guests) > MAX_GUESTS:
        raise DomainError(_("A booking holds at most %(max)d guests.") % {"max": MAX_GUESTS}, field="guests")
    periods = [Period(None, guest.patient, guest.room, guest.bed, guest.tariff, data.start_date, data.end_date)
               for guest in guests]
    periods = lock_and_check(periods)
    booking = Booking(number=next_number(), start_date=data.start_date, end_date=data.end_date,
                      status=data.status, source=data.source, referral=data.referral.strip(),
                      notes=data.notes.strip(), bill_per_guest=data.bill_per_guest, created_by=actor(by),
                      updated_by=actor(by))
    booking._history_user = actor(by)
    booking.save()
    grid = price_grid({period.tariff.pk for period in periods})
    for period in periods:
        save_line(GuestLine(booking=booking, created_by=actor(by)), period, by=by,
                  price=price_for(period.tariff, period.room, grid=grid))
    sync_allowances(booking)
    lifecycle.start(booking, by=by, reason=_("Booked"))
    audit.record("booking.create", by=by, obj=booking,
                 changes=audit.changes_between({}, audit.snapshot(booking, ("number", *BOOKING_FIELDS))))
    return booking


def next_number() -> str:
    """BK-YYYYMMDD-NNNN: the day of booking and a counter of that day, unique under concurrency."""
    key = f"BK-{clock.today():%Y%m%d}"
    return f"{key}-{next_value(key):04d}"


# --- dates and moves --------------------------------------------------------------------------------------


@retrying_atomic
def change_dates(*, by, booking: Booking, start_date: date, end_date: date, reason: str = "") -> Booking:
    """Moves the booking's arrival and departure; every guest's period follows, re-checked against the others.

    Once guests are in the house the arrival stays; the departure can still move.
    """
    policy.ensure(by, "stays.manage")
    booking = locked(booking)
    check_changeable(booking)
    if booking.is_in_house and start_date != booking.start_date:
        raise DomainError(_("The guests have arrived: the arrival date cannot change any more."),
                          field="start_date")
    rules.check_dates(start_date, end_date, kept_start=booking.start_date)
    return replan(booking, by=by, start=start_date, end=end_date, action="booking.dates", note=reason)


@retrying_atomic
def move_booking(*, by, booking: Booking, from_room: Room, to_room: Room, start_date: date,
                 from_date: date | None = None) -> Booking:
    """The calendar's drag and drop of one bar: the guests of `from_room` in the run of days that holds
    `from_date` go to `to_room` over their own period, and the whole stay moves by `start_date - from_date` days.

    `from_date` is the day the dragged bar began (the arrival when not given), so a drop straight down is a
    change of room only. A bar that is only part of the stay (the guests change room mid-stay) moves to another
    room but not to other days: those days belong to the whole stay, moved with a change of dates.
    Checked like any other change; refused moves change nothing.
    """
    policy.ensure(by, "stays.manage")
    booking = locked(booking)
    check_changeable(booking)
    from_date = from_date or booking.start_date
    rules.check_arrival(start_date, kept_start=from_date)
    shift = (start_date - from_date).days
    if shift and booking.is_in_house:
        raise DomainError(_("The guests have arrived: the stay cannot move to other dates any more."),
                          field="start_date")
    if to_room.pk != from_room.pk and booking.is_in_house:
        raise DomainError(_("The guests have arrived: move them with a room change from a date."), field="room")
    moving = run_holding(booking, room=from_room, on=from_date)
    if shift and (moving[0].start_date, max(line.end_date for line in moving)) != (booking.start_date,
                                                                                    booking.end_date):
        raise DomainError(
            _("Booking %(number)s changes room during the stay, so this bar is only part of it: drag it to another "
              "room on the same days, or move the whole stay with “Change dates” on the booking page.")
            % {"number": booking.number}, field="start_date")
    if shift:
        rules.check_dates(booking.start_date + timedelta(days=shift), booking.end_date + timedelta(days=shift),
                          kept_start=booking.start_date)
    if not shift and to_room.pk == from_room.pk:
        return booking
    rooms = {line.pk: to_room for line in moving}
    return replan(booking, by=by, start=booking.start_date + timedelta(days=shift),
                  end=booking.end_date + timedelta(days=shift), rooms=rooms, action="booking.move",
                  note=_("Moved from room %(from)s to %(to)s") % {"from": from_room, "to": to_room}
                  if to_room.pk != from_room.pk else "")


def run_holding(booking: Booking, *, room: Room, on: date) -> list[GuestLine]:
    """The booking's lines in `room` that form the calendar bar covering `on` (a run of days without a gap)."""
    lines = [line for line in kept_lines(booking) if line.room_id == room.pk and line.holds_place]
    for run in runs(lines):
        if run[0].start_date <= on < max(line.end_date for line in run):
            return run
    raise DomainError(_("Booking %(number)s has no guest in room %(room)s on %(day)s.")
                      % {"number": booking.number, "room": room, "day": day(on)}, field="room")


def replan(booking: Booking, *, by, start: date, end: date, rooms: dict[int, Room] | None = None,
           action: str, note: str = "") -> Booking:
    """Gives the booking new dates (and some lines new rooms); each line keeps its place inside the stay."""
    rooms = rooms or {}
    old_start, old_end = booking.start_date, booking.end_date
    shift = (start - old_start).days if end - start == old_end - old_start else None
    periods = []
    for line in kept_lines(booking):
        if shift is not None:
            line_start, line_end = line.start_date + timedelta(days=shift), line.end_date + timedelta(days=shift)
        else:
            line_start = start if line.start_date == old_start else line.start_date
            line_end = end if line.end_date == old_end else line.end_date
        if not (start <= line_start < line_end <= end):
            raise DomainError(
                _("%(patient)s changes room or tariff on %(day)s; the new dates would cut that period away.")
                % {"patient": line.patient, "day": day(line.end_date if line.start_date == old_start
                                                       else line.start_date)},
                field="end_date" if end < old_end else "start_date",
            )
        room = rooms.get(line.pk, line.room)
        bed = line.bed if room.pk == line.room_id else None
        periods.append(Period(line, line.patient, room, bed, line.tariff, line_start, line_end))
    holding = [period for period in periods if period.line.holds_place]
    lock_and_check(holding, ignoring=booking.lines.all())
    grid = price_grid({period.tariff.pk for period in periods})
    for period in in_save_order(periods, later=shift is not None and shift > 0):
        moved = period.room.pk != period.line.room_id
        price = price_for(period.tariff, period.room, grid=grid) if moved else period.line.price_per_day
        save_line(period.line, period, by=by, price=price)
    before = audit.snapshot(booking, BOOKING_FIELDS)
    booking.start_date, booking.end_date = start, end
    save_booking(booking, by=by)
    booking_charges_changed.send(sender=Booking, booking=booking, by=by)
    audit.record(action, by=by, obj=booking, note=note.strip(),
                 changes=audit.changes_between(before, audit.snapshot(booking, BOOKING_FIELDS)))
    return booking


def in_save_order(periods: list[Period], *, later: bool) -> list[Period]:
    """The order that saves moved lines without ever overlapping one not saved yet: PostgreSQL checks its
    exclusion constraints row by row, so a stay moving later saves its last period first (and earlier, its first).
    """
    return sorted(periods, key=lambda period: period.line.start_date, reverse=later)


# --- guests -----------------------------------------------------------------------------------------------


@retrying_atomic
def add_guest(*, by, booking: Booking, guest: GuestChoice) -> GuestLine:
    """Adds a guest for the rest of the stay (from today when the others are already in the house, with an illness
    history like theirs)."""
    policy.ensure(by, "stays.manage")
    booking = locked(booking)
    check_changeable(booking)
    if len(booking.current_lines()) >= MAX_GUESTS:
        raise DomainError(_("A booking holds at most %(max)d guests.") % {"max": MAX_GUESTS}, field="patient")
    start = max(booking.start_date, clock.today()) if booking.is_in_house else booking.start_date
    if start >= booking.end_date:
        raise DomainError(_("The stay ends today; there is no night left to add a guest to."), field="patient")
    if any(line.patient_id == guest.patient.pk for line in booking.current_lines()):
        raise DomainError(_("%(patient)s is already a guest of this booking.") % {"patient": guest.patient},
                          field="patient")
    period = Period(None, guest.patient, guest.room, guest.bed, guest.tariff, start, booking.end_date)
    (period,) = lock_and_check([period])
    line = save_line(GuestLine(booking=booking, created_by=actor(by)), period, by=by,
                     price=price_for(period.tariff, period.room))
    sync_allowances(booking)
    illness.register_added_guest(booking, line.patient, by=by)
    audit.record("booking.guest_add", by=by, obj=booking, patient_id=line.patient_id,
                 changes=audit.changes_between({}, audit.snapshot(line, LINE_FIELDS)))
    charges_changed(booking, by=by)
    return line


@retrying_atomic
def edit_guest(*, by, line: GuestLine, guest: GuestChoice) -> GuestLine:
    """Changes a guest's patient, room, bed or tariff for the line's whole period, before it has begun.

    The price per day is looked up again when the room or the tariff changes.
    """
    policy.ensure(by, "stays.manage")
    booking = locked(line.booking)
    line = GuestLine.objects.select_related("patient", "room", "bed", "tariff").get(pk=line.pk, booking=booking)
    check_changeable(booking)
    check_line_editable(booking, line)
    if guest.patient.pk != line.patient_id and any(
        other.patient_id == guest.patient.pk for other in booking.current_lines() if other.pk != line.pk
    ):
        raise DomainError(_("%(patient)s is already a guest of this booking.") % {"patient": guest.patient},
                          field="patient")
    period = Period(line, guest.patient, guest.room, guest.bed, guest.tariff, line.start_date, line.end_date)
    (period,) = lock_and_check([period], ignoring=GuestLine.objects.filter(pk=line.pk))
    before = audit.snapshot(line, LINE_FIELDS)
    moved = (period.room.pk, getattr(period.bed, "pk", None)) != (line.room_id, line.bed_id)
    retariffed = period.tariff.pk != line.tariff_id
    save_line(line, period, by=by, price=price_for(period.tariff, period.room) if moved or retariffed
              else line.price_per_day)
    sync_allowances(booking)
    illness.register_added_guest(booking, line.patient, by=by)
    audit.record("booking.guest_edit", by=by, obj=booking, patient_id=line.patient_id,
                 changes=audit.changes_between(before, audit.snapshot(line, LINE_FIELDS)))
    if moved or retariffed:
        guest_period_changed.send(sender=Booking, booking=booking, patient_id=line.patient_id,
                                  tariff_changed=retariffed, by=by)
    charges_changed(booking, by=by)
    return line


@retrying_atomic
def remove_guest(*, by, line: GuestLine, reason: str = "") -> GuestLine:
    """Takes a guest off the booking and frees their place; never the last guest."""
    policy.ensure(by, "stays.manage")
    booking = locked(line.booking)
    line = GuestLine.objects.select_related("patient").get(pk=line.pk, booking=booking)
    check_changeable(booking)
    check_line_editable(booking, line)
    others = {other.patient_id for other in booking.current_lines() if other.patient_id != line.patient_id}
    if not others:
        raise DomainError(_("%(patient)s is the booking's only guest; cancel the booking instead.")
                          % {"patient": line.patient})
    line.is_open, line.holds_place, line.removed_at = False, False, clock.now()
    line.updated_by = actor(by)
    line._history_user = actor(by)
    line.save(update_fields=["is_open", "holds_place", "removed_at", "updated_by", "updated_at"])
    sync_allowances(booking)
    audit.record("booking.guest_remove", by=by, obj=booking, patient_id=line.patient_id, note=reason.strip(),
                 changes={"patient": [line.patient_id, None]})
    charges_changed(booking, by=by)
    return line


# --- status -----------------------------------------------------------------------------------------------


@retrying_atomic
def change_status(*, by, booking: Booking, to: str, reason: str = "") -> Booking:
    """Confirms, puts back to pending or marks a no-show. Other statuses have their own use case."""
    policy.ensure(by, "stays.manage")
    booking = locked(booking)
    if to not in lifecycle.SIMPLE_TARGETS:
        if to == BookingStatus.CANCELLED:
            raise DomainError(_("Cancel a booking with its reason and refund."), code="use_cancel", field="to")
        raise DomainError(_("A booking becomes %(status)s through its own step, not a plain status change.")
                          % {"status": lifecycle.BOOKING.labels.get(to, to)}, code="not_simple", field="to")
    if to == BookingStatus.NO_SHOW and booking.start_date > clock.today():
        raise DomainError(_("A no-show can only be recorded from the day of arrival."), field="to")
    lifecycle.transition(booking, to=to, by=by, reason=reason)
    return booking


@retrying_atomic
def cancel_booking(*, by, booking: Booking, reason: str, refund_amount: Decimal | str | int = 0) -> Booking:
    """Cancels with a reason and the amount to refund; the rooms, beds and dates are free again at once."""
    policy.ensure(by, "stays.manage")
    booking = locked(booking)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Say why the booking is cancelled."), field="reason")
    try:
        refund = round_money(refund_amount if refund_amount not in (None, "") else 0)
    except (TypeError, ValueError) as error:
        raise DomainError(_("The refund must be an amount of money."), field="refund_amount") from error
    if refund < 0:
        raise DomainError(_("The refund cannot be negative."), field="refund_amount")
    lifecycle.BOOKING.check(booking.status, BookingStatus.CANCELLED)
    total = booking.total
    if refund > total:
        raise DomainError(_("The refund cannot be more than the booking's total."), field="refund_amount")
    booking.cancel_reason, booking.refund_amount, booking.cancelled_at = reason, refund, clock.now()
    save_booking(booking, by=by, fields=["cancel_reason", "refund_amount", "cancelled_at"])
    lifecycle.transition(booking, to=BookingStatus.CANCELLED, by=by, reason=reason)
    return booking


@retrying_atomic
def update_details(*, by, booking: Booking, source: str, referral: str = "", notes: str = "") -> Booking:
    """Where the booking came from (source, referral) and the desk's notes."""
    policy.ensure(by, "stays.manage")
    booking = locked(booking)
    check_source(source)
    before = audit.snapshot(booking, BOOKING_FIELDS)
    booking.source, booking.referral, booking.notes = source, referral.strip(), notes.strip()
    save_booking(booking, by=by, fields=["source", "referral", "notes"])
    audit.record("booking.update", by=by, obj=booking,
                 changes=audit.changes_between(before, audit.snapshot(booking, BOOKING_FIELDS)))
    return booking


# --- shared steps -----------------------------------------------------------------------------------------


def locked(booking: Booking) -> Booking:
    """The booking row, locked, with its lines (patients, rooms, beds, tariffs) loaded."""
    return (Booking.objects.select_for_update().prefetch_related("lines__patient", "lines__room__building",
                                                                  "lines__bed", "lines__tariff")
            .get(pk=booking.pk))


def kept_lines(booking: Booking) -> list[GuestLine]:
    return booking.kept_lines()


def check_changeable(booking: Booking) -> None:
    if booking.is_finished:
        raise Conflict(_("Booking %(number)s is %(status)s; it cannot be changed any more.")
                       % {"number": booking.number, "status": booking.get_status_display().lower()},
                       code="booking_finished")


def check_line_editable(booking: Booking, line: GuestLine) -> None:
    if not line.is_open:
        raise Conflict(_("This guest line is closed; it is kept as history."), code="line_closed")
    if booking.is_in_house and line.start_date <= clock.today():
        raise Conflict(_("%(patient)s is in the house: change the room or tariff from a date, or check the guest "
                         "out.") % {"patient": line.patient}, code="guest_in_house")


def check_source(source: str) -> None:
    if source not in BookingSource.values:
        raise DomainError(_("Choose where the booking came from."), field="source")


def lock_and_check(periods: list[Period], *, ignoring: QuerySet[GuestLine] | None = None) -> list[Period]:
    """Locks the rooms and patients of `periods`, re-reads them, and checks every rule of place and person.

    Returns the periods with the freshly read rooms and patients.
    """
    if not periods:
        return periods
    locked_ids = [room.pk for room in lock_for_booking(period.room.pk for period in periods)]
    rooms = Room.objects.select_related("building", "room_type").in_bulk(locked_ids)
    patients = {patient.pk: patient for patient in
                Patient.objects.select_for_update().filter(pk__in={period.patient.pk for period in periods})
                .order_by("pk")}
    fresh = []
    for period in periods:
        room = rooms.get(period.room.pk)
        patient = patients.get(period.patient.pk)
        if room is None:
            raise NoLongerAvailable(_("Room %(room)s no longer exists.") % {"room": period.room}, field="room")
        if patient is None:
            raise DomainError(_("This patient no longer exists."), field="patient")
        check_patient(patient)
        check_tariff(period.tariff)
        if period.bed is not None and period.bed.room_id != room.pk:
            raise DomainError(_("%(bed)s is not in room %(room)s.") % {"bed": period.bed, "room": room}, field="bed")
        fresh.append(Period(period.line, patient, room, period.bed, period.tariff, period.start, period.end))
    ensure_patients_free(fresh, ignoring=ignoring)
    ensure_free([Claim(period.room, period.bed, period.start, period.end) for period in fresh], ignoring=ignoring)
    return fresh


def check_patient(patient: Patient) -> None:
    if patient.merged_into_id is not None:
        raise DomainError(_("%(patient)s was merged into another record; book the surviving record.")
                          % {"patient": patient}, field="patient")
    if not patient.is_active:
        raise DomainError(_("%(patient)s is inactive; reactivate the record before booking.") % {"patient": patient},
                          field="patient")


def check_tariff(tariff: Tariff) -> None:
    if not Tariff.objects.filter(pk=tariff.pk, is_active=True).exists():
        raise DomainError(_("The tariff %(tariff)s is not offered any more.") % {"tariff": tariff}, field="tariff")


def ensure_patients_free(periods: Iterable[Period], *, ignoring: QuerySet[GuestLine] | None = None) -> None:
    """A patient is never in two overlapping stays: not in another booking, not twice in this one."""
    periods = list(periods)
    for index, period in enumerate(periods):
        for other in periods[index + 1:]:
            if other.patient.pk == period.patient.pk and other.start < period.end and period.start < other.end:
                raise DomainError(_("%(patient)s is listed twice for the same nights.") % {"patient": period.patient},
                                  field="patient")
    start = min(period.start for period in periods)
    end = max(period.end for period in periods)
    taken = (GuestLine.objects.filter(holds_place=True, patient_id__in={period.patient.pk for period in periods},
                                      start_date__lt=end, end_date__gt=start)
             .select_related("booking").order_by("start_date"))
    if ignoring is not None:
        taken = taken.exclude(pk__in=ignoring.values("pk"))
    for line in taken:
        for period in periods:
            if period.patient.pk == line.patient_id and line.start_date < period.end and period.start < line.end_date:
                raise PatientAlreadyBooked(period.patient, line.booking.number, line.start_date, line.end_date)


def save_line(line: GuestLine, period: Period, *, by, price: Decimal) -> GuestLine:
    line.patient, line.room, line.bed, line.tariff = period.patient, period.room, period.bed, period.tariff
    line.start_date, line.end_date, line.price_per_day = period.start, period.end, round_money(price)
    line.updated_by = actor(by)
    line._history_user = actor(by)
    try:
        with transaction.atomic():
            line.save()
    except IntegrityError as error:
        # PostgreSQL's exclusion constraints: a concurrent writer that got past every lock.
        raise NoLongerAvailable(_("The place or the patient was taken a moment ago; choose again.")) from error
    return line


def save_booking(booking: Booking, *, by, fields: list[str] | None = None) -> None:
    booking.updated_by = actor(by)
    booking._history_user = actor(by)
    if fields is None:
        booking.save()
    else:
        booking.save(update_fields=[*fields, "updated_by", "updated_at"])


def touch(booking: Booking, *, by) -> None:
    save_booking(booking, by=by, fields=[])


def charges_changed(booking: Booking, *, by) -> None:
    """Marks the booking changed and lets its bill follow (billing listens to the signal)."""
    touch(booking, by=by)
    booking_charges_changed.send(sender=Booking, booking=booking, by=by)


def actor(by):
    return by if getattr(by, "pk", None) else None
