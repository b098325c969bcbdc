"""Included sessions and extra services of guests in the house; what goes beyond the tariff is billable.
The first one recorded starts the treatment (checked_in → in_progress).

The bill follows through `booking_charges_changed` (billing derives one line per billable usage).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.utils.translation import gettext as _

from hayat.catalog.models import Service
from hayat.core import audit, clock, policy
from hayat.core.errors import Conflict, DomainError
from hayat.core.formats import format_date
from hayat.core.transactions import retrying_atomic
from hayat.patients.models import Patient
from hayat.stays import lifecycle
from hayat.stays.allowances import sync_allowances, used_sessions
from hayat.stays.errors import day
from hayat.stays.models import (
    IN_HOUSE,
    Booking,
    BookingStatus,
    GuestLine,
    ServiceUsage,
    SessionAllowance,
    UsageKind,
)
from hayat.stays.services import locked
from hayat.stays.signals import booking_charges_changed, service_usage_undone

MAX_QUANTITY = 100


def check_in_house(booking: Booking) -> None:
    if booking.status not in IN_HOUSE:
        raise Conflict(_("Services are recorded for guests in the house; %(number)s is %(status)s.")
                       % {"number": booking.number, "status": booking.get_status_display().lower()},
                       code="not_in_house")


def line_on(booking: Booking, patient: Patient, on: date) -> GuestLine:
    """The guest's line covering the day; the day must be within the stay and not in the future."""
    if on > clock.today():
        raise DomainError(_("%(day)s is in the future; record services once they are given.") % {"day": day(on)},
                          field="used_on")
    for line in booking.kept_lines():
        if line.patient_id == patient.pk and line.covers(on):
            return line
    raise DomainError(_("%(patient)s does not stay on %(day)s.") % {"patient": patient, "day": day(on)},
                      field="used_on")


def check_service(service: Service) -> None:
    if not service.is_active:
        raise DomainError(_("%(service)s is not offered any more.") % {"service": service}, field="service")


@retrying_atomic
def record_session(*, by, booking: Booking, patient: Patient, service: Service, on: date | None = None) -> ServiceUsage:
    """One included session done. Beyond the guest's included number it is billed at the service price.

    The booking row is locked first, so two clicks at once count one after the other.
    """
    policy.ensure(by, "stays.record_session")
    booking = locked(booking)
    check_in_house(booking)
    on = on or clock.today()
    line = line_on(booking, patient, on)
    sync_allowances(booking)
    allowance = SessionAllowance.objects.filter(booking=booking, patient=patient, service=service).first()
    if allowance is None:
        raise DomainError(_("%(service)s is not included in the tariff of %(patient)s; record it as an extra "
                            "service.") % {"service": service, "patient": patient}, field="service")
    done = used_sessions(booking).get((patient.pk, service.pk), 0)
    return write_usage(by=by, booking=booking, line=line, service=service, kind=UsageKind.SESSION, quantity=1,
                       on=on, billable=done >= allowance.included)


@retrying_atomic
def record_extra_service(*, by, booking: Booking, patient: Patient, service: Service, quantity: int = 1,
                         on: date | None = None, note: str = "") -> ServiceUsage:
    """A service outside the tariff, billed at its price times the quantity."""
    policy.ensure(by, "stays.record_session")
    booking = locked(booking)
    check_in_house(booking)
    check_service(service)
    if not isinstance(quantity, int) or not 1 <= quantity <= MAX_QUANTITY:
        raise DomainError(_("The quantity is a whole number from 1 to %(max)d.") % {"max": MAX_QUANTITY},
                          field="quantity")
    on = on or clock.today()
    line = line_on(booking, patient, on)
    return write_usage(by=by, booking=booking, line=line, service=service, kind=UsageKind.EXTRA, quantity=quantity,
                       on=on, billable=True, note=note)


def write_usage(*, by, booking: Booking, line: GuestLine, service: Service, kind: str, quantity: int, on: date,
                billable: bool, note: str = "") -> ServiceUsage:
    usage = ServiceUsage.objects.create(
        booking=booking, line=line, patient_id=line.patient_id, service=service, kind=kind, quantity=quantity,
        used_on=on, unit_price=service.price, billable=billable, note=note.strip()[:200], recorded_at=clock.now(),
        recorded_by=by,
    )
    audit.record(f"booking.{kind}", by=by, obj=booking, patient_id=line.patient_id,
                 changes={"service": [None, service.pk], "quantity": [None, quantity], "billable": [None, billable],
                          "used_on": [None, str(on)]})
    start_treatment(booking, by=by, first=usage, patient=line.patient)
    if billable:
        booking_charges_changed.send(sender=Booking, booking=booking, by=by)
    return usage


def start_treatment(booking: Booking, *, by, first: ServiceUsage, patient: Patient) -> None:
    """The first session or service given to checked-in guests starts their treatment: the stay is in progress."""
    if booking.status != BookingStatus.CHECKED_IN:
        return
    lifecycle.transition(booking, to=BookingStatus.IN_PROGRESS, by=by,
                         reason=_("Treatment started: %(service)s for %(patient)s")
                         % {"service": first.service, "patient": patient.full_name})


# --- undo ------------------------------------------------------------------------------------------------------


def undo_window() -> timedelta:
    return timedelta(minutes=settings.HAYAT_UNDO_MINUTES)


def undoable_until(usage: ServiceUsage) -> datetime:
    return usage.recorded_at + undo_window()


def may_undo(usage: ServiceUsage, user) -> bool:
    """Whether the page offers this user an Undo for the usage (the service checks every rule again)."""
    return (not usage.is_reversed and usage.recorded_by_id == getattr(user, "pk", None)
            and clock.now() <= undoable_until(usage))


@retrying_atomic
def undo_usage(*, by, usage: ServiceUsage) -> ServiceUsage:
    """Reverses a session or an extra service recorded by mistake: only the person who recorded it, within
    HAYAT_UNDO_MINUTES, while the guests are in the house and before the bill is paid.

    Nothing is deleted: the usage is marked undone (who, when) and counts no more, so a session returns to
    the included number, and a billed usage's line gets a correcting line of the opposite amount. Undoing
    an undone usage again changes nothing.
    """
    policy.ensure(by, "stays.record_session")
    booking = locked(usage.booking)
    usage = ServiceUsage.objects.select_related("service", "patient").get(pk=usage.pk)
    if usage.is_reversed:
        return usage
    if usage.recorded_by_id != by.pk:
        raise Conflict(_("Only the person who recorded %(service)s can undo it; ask the teller to correct the "
                         "bill.") % {"service": usage.service}, code="not_recorder")
    if clock.now() > undoable_until(usage):
        raise Conflict(_("%(service)s was recorded more than %(minutes)d minutes ago and can no longer be undone; "
                         "ask the teller to correct the bill.")
                       % {"service": usage.service, "minutes": settings.HAYAT_UNDO_MINUTES}, code="undo_too_late")
    check_in_house(booking)
    check_latest_session(usage)
    usage.reversed_at, usage.reversed_by = clock.now(), by
    usage.save(update_fields=["reversed_at", "reversed_by"])
    audit.record(f"booking.{usage.kind}_undone", by=by, obj=booking, patient_id=usage.patient_id,
                 note=f"{usage.service} · {format_date(usage.used_on)}",
                 changes={"usage": [usage.pk, usage.pk], "quantity": [usage.quantity, 0],
                          "undone": [False, True], "billable": [usage.billable, usage.billable]})
    service_usage_undone.send(sender=Booking, booking=booking, usage=usage, by=by)
    if usage.billable:
        booking_charges_changed.send(sender=Booking, booking=booking, by=by)
    return usage


def check_latest_session(usage: ServiceUsage) -> None:
    """A session is undone newest first: a later one was counted (and maybe billed) after this one."""
    if usage.kind != UsageKind.SESSION:
        return
    later = ServiceUsage.objects.filter(booking_id=usage.booking_id, patient_id=usage.patient_id,
                                        service_id=usage.service_id, kind=UsageKind.SESSION,
                                        reversed_at__isnull=True, id__gt=usage.pk)
    if later.exists():
        raise Conflict(_("A later %(service)s session of %(patient)s was recorded after this one; undo that one "
                         "first.") % {"service": usage.service, "patient": usage.patient.full_name},
                       code="later_session")


# --- reads ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SessionCount:
    patient: Patient
    service: Service
    included: int
    used: int

    @property
    def remaining(self) -> int:
        return max(self.included - self.used, 0)

    @property
    def exceeded(self) -> int:
        return max(self.used - self.included, 0)


def session_board(booking: Booking) -> list[SessionCount]:
    """Included, used, remaining and exceeded sessions per guest and service: two queries."""
    used = used_sessions(booking)
    allowances = (SessionAllowance.objects.filter(booking=booking).select_related("patient", "service")
                  .order_by("patient__last_name", "patient_id", "service__name"))
    return [SessionCount(allowance.patient, allowance.service, allowance.included,
                         used.get((allowance.patient_id, allowance.service_id), 0)) for allowance in allowances]


def usages_of(booking: Booking, *, limit: int | None = None) -> list[ServiceUsage]:
    """The service usages of the stay (the `limit` newest, or every one), newest first, with guest and service:
    one query."""
    usages = (ServiceUsage.objects.filter(booking=booking)
              .select_related("patient", "service", "recorded_by", "reversed_by").order_by("-used_on", "-id"))
    return list(usages[:limit] if limit is not None else usages)
