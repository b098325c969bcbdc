"""Arrival and departure: the check-in form's use case (illness histories registered) and check-out, which
completes the stay or, before the planned departure, discharges the guests early."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hayat.accounts.models import User
from hayat.core import audit, clock, policy
from hayat.core.errors import Conflict, DomainError
from hayat.core.transactions import retrying_atomic
from hayat.core.uploads import clean_image
from hayat.stays import changes, illness, lifecycle
from hayat.stays.errors import day
from hayat.stays.models import IN_HOUSE, Booking, BookingStatus, CheckIn, GuestLine, IllnessKind, RoomCondition
from hayat.stays.services import charges_changed, locked

VITAL_RANGES = {
    "systolic": (40, 300, gettext_lazy("Systolic pressure")),
    "diastolic": (20, 200, gettext_lazy("Diastolic pressure")),
    "pulse": (20, 250, gettext_lazy("Pulse")),
    "temperature": (30, 45, gettext_lazy("Temperature")),
}
SIGNATURE_DATA_URL = "data:image/png;base64,"
SIGNATURE_MAX_SIDE = 1200  # pixels; the pad is drawn at most about 700 wide on a tablet


@dataclass(frozen=True)
class Arrival:
    """One guest on arrival: complaints and vitals as measured at the desk (each vital optional), and the type
    of the guest's illness history (the check-in's `kind` when not given)."""

    patient_id: int
    complaints: str = ""
    systolic: int | None = None
    diastolic: int | None = None
    pulse: int | None = None
    temperature: Decimal | None = None
    kind: str | None = None


@dataclass(frozen=True)
class CheckInData:
    doctor: User | None
    identity_checked: bool = False
    rules_explained: bool = False
    consent_signed: bool = False
    room_condition: str = RoomCondition.READY
    room_notes: str = ""
    kind: str = IllnessKind.STATIONARY  # for guests whose Arrival gives none
    nurses: Sequence[User] = ()
    arrivals: Sequence[Arrival] = field(default_factory=list)
    signature: bytes = b""  # the guest's signature under the consent, a PNG; empty when signed on paper


def check_confirmations(data: CheckInData) -> None:
    for name, message in (
        ("identity_checked", _("Check the guests' identity documents first.")),
        ("rules_explained", _("Explain the house rules first.")),
        ("consent_signed", _("The consent to treatment must be signed first.")),
    ):
        if not getattr(data, name):
            raise DomainError(message, field=name)
    if data.room_condition not in RoomCondition.values:
        raise DomainError(_("Say in which condition the room was found."), field="room_condition")
    if data.room_condition == RoomCondition.REMARKS and not data.room_notes.strip():
        raise DomainError(_("Write down the remarks on the room."), field="room_notes")


def decode_signature(text: str) -> bytes:
    """The PNG bytes of a signature sent as text: a `data:image/png;base64,` URL (what the page's pad gives)
    or plain base64 (API clients). Refuses text longer than the largest signature could be."""
    encoded = text.strip().removeprefix(SIGNATURE_DATA_URL)
    if len(encoded) > settings.HAYAT_SIGNATURE_MAX_BYTES * 4 // 3 + 4:
        raise DomainError(_("The signature is too large; clear it and sign again."), field="signature")
    try:
        return base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError) as error:
        raise DomainError(_("The signature could not be read; clear it and sign again."),
                          field="signature") from error


def check_signature(content: bytes) -> bytes:
    """The signature as stored: a real PNG within HAYAT_SIGNATURE_MAX_BYTES, written again by Pillow (nothing
    riding along), or empty when none was drawn."""
    if not content:
        return b""
    try:
        picture = clean_image(ContentFile(content), max_bytes=settings.HAYAT_SIGNATURE_MAX_BYTES,
                              max_side=SIGNATURE_MAX_SIDE)
    except ValidationError as error:
        raise DomainError(error.messages[0], field="signature") from error
    if picture.format != "PNG":
        raise DomainError(_("The signature must be a PNG picture."), field="signature")
    return picture.content


def check_vitals(arrival: Arrival) -> dict:
    values = {"complaints": arrival.complaints.strip()}
    for name, (low, high, label) in VITAL_RANGES.items():
        value = getattr(arrival, name)
        if value is not None and not low <= value <= high:
            raise DomainError(_("%(vital)s must be between %(low)s and %(high)s.")
                              % {"vital": label, "low": low, "high": high}, field=name)
        values[name] = value
    if (values["systolic"] is None) != (values["diastolic"] is None):
        raise DomainError(_("Give both blood pressure figures, or neither."), field="systolic")
    return values


def check_arrival_day(booking: Booking) -> None:
    today = clock.today()
    if today < booking.start_date:
        raise Conflict(_("Booking %(number)s arrives on %(day)s; guests can check in from that day.")
                       % {"number": booking.number, "day": day(booking.start_date)}, code="too_early")
    if today >= booking.end_date:
        raise Conflict(_("Booking %(number)s ended on %(day)s; it can no longer be checked in.")
                       % {"number": booking.number, "day": day(booking.end_date)}, code="too_late")


@retrying_atomic
def check_in(*, by, booking: Booking, data: CheckInData) -> Booking:
    """Moves a confirmed booking to checked_in and registers an illness history per guest, each of its own type
    (stationary or ambulatory).

    Refuses unless the identity was checked, the rules explained and the consent signed, a doctor is
    assigned and today is within the stay. A signature drawn on the page is kept with the check-in. Billing opens
    the stay's bill on the status change.
    """
    policy.ensure(by, "stays.check_in")
    booking = locked(booking)
    lifecycle.BOOKING.check(booking.status, BookingStatus.CHECKED_IN)
    check_arrival_day(booking)
    check_confirmations(data)
    signature = check_signature(data.signature)
    doctor = illness.check_doctor(data.doctor)
    nurses = illness.check_nurses(data.nurses)
    arrivals = {arrival.patient_id: arrival for arrival in data.arrivals}
    CheckIn.objects.create(booking=booking, at=clock.now(), by=by, identity_checked=True, rules_explained=True,
                           consent_signed=True, room_condition=data.room_condition,
                           room_notes=data.room_notes.strip(), doctor=doctor, signature=signature)
    guests = {line.patient_id: line.patient for line in booking.current_lines()}
    for patient_id in sorted(guests):
        arrival = arrivals.get(patient_id, Arrival(patient_id))
        illness.register(booking=booking, patient=guests[patient_id], kind=arrival.kind or data.kind, doctor=doctor,
                         nurses=nurses, by=by, arrival=check_vitals(arrival))
    lifecycle.transition(booking, to=BookingStatus.CHECKED_IN, by=by, reason=_("Checked in"))
    audit.record("booking.check_in", by=by, obj=booking,
                 changes={"doctor": [None, doctor.pk], "room_condition": [None, data.room_condition],
                          "signature": [None, bool(signature)]},
                 note=data.room_notes.strip())
    return booking


def leaves_early(booking: Booking) -> bool:
    """Checking out today would be before the planned departure."""
    return clock.today() < booking.end_date


@retrying_atomic
def check_out(*, by, booking: Booking, note: str = "") -> Booking:
    """Checks the guests out and closes their illness histories; the bill is settled next, in billing.

    On or after the planned departure the stay is completed. Before it the guests leave early: `note` must say
    why, the stay is discharged and ends today (see changes.end_stay_early: prices by the nights stayed, the
    rooms free from today, the waitlist offered them).
    """
    policy.ensure(by, "stays.check_out")
    booking = locked(booking)
    if booking.status not in IN_HOUSE:
        raise Conflict(_("Only guests in the house can be checked out; %(number)s is %(status)s.")
                       % {"number": booking.number, "status": booking.get_status_display().lower()},
                       code="not_in_house")
    reason = note.strip()
    if leaves_early(booking):
        if not reason:
            raise DomainError(_("The planned departure is %(day)s: say why the guests leave early.")
                              % {"day": day(booking.end_date)}, field="note", code="reason_required")
        changes.end_stay_early(booking, on=clock.today(), by=by, reason=reason)
        status = BookingStatus.DISCHARGED
    else:
        reason = reason or _("Checked out")
        status = BookingStatus.COMPLETED
    illness.close_all(booking, by=by, reason=reason)
    lifecycle.transition(booking, to=status, by=by, reason=reason)
    return booking


@retrying_atomic
def guest_leaves_early(*, by, booking: Booking, line: GuestLine, note: str) -> date:
    """One guest leaves before the planned departure while the others stay: their period ends today (after one
    night at least), priced by the nights stayed; their place is free, their illness history closes, and the bill
    their lines are on follows (billing's receiver of the charges signal). Returns the departure day."""
    policy.ensure(by, "stays.check_out")
    booking = locked(booking)
    if booking.status not in IN_HOUSE:
        raise Conflict(_("Only guests in the house can leave; %(number)s is %(status)s.")
                       % {"number": booking.number, "status": booking.get_status_display().lower()},
                       code="not_in_house")
    line = GuestLine.objects.select_related("patient").get(pk=line.pk, booking=booking)
    reason = note.strip()
    if not reason:
        raise DomainError(_("Say why the guest leaves early."), field="note", code="reason_required")
    if not any(other.patient_id != line.patient_id and other.end_date > clock.today()
               for other in booking.current_lines()):
        raise DomainError(_("%(patient)s is the last guest: check the booking out instead.")
                          % {"patient": line.patient}, code="last_guest")
    departure = changes.end_guest_stay_early(booking, patient_id=line.patient_id, on=clock.today(), by=by)
    illness.close_all(booking, by=by, reason=reason, patient_id=line.patient_id)
    audit.record("booking.guest_early_departure", by=by, obj=booking, patient_id=line.patient_id, note=reason,
                 changes={"departure": [None, str(departure)]})
    charges_changed(booking, by=by)
    return departure
