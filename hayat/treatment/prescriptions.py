"""The doctor's prescriptions for a guest of a stay; the tariff's included sessions are proposed as prescriptions."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from hayat.catalog.models import Service
from hayat.core import audit, clock, policy
from hayat.core.errors import Conflict, DomainError
from hayat.core.transactions import retrying_atomic
from hayat.patients.models import Patient
from hayat.stays.allowances import sync_allowances
from hayat.stays.models import FINISHED, Booking, SessionAllowance
from hayat.stays.services import locked
from hayat.treatment.models import DayPart, Frequency, PlannedSession, Prescription, SessionStatus

PRESCRIBE = "treatment.prescribe"
MOST_SESSIONS = 99


@dataclass
class PrescriptionData:
    patient: Patient
    service: Service
    count: int
    frequency: str = Frequency.DAILY
    weekdays: str = ""
    day_part: str = DayPart.ANY
    note: str = ""
    from_tariff: bool = False


def check_open(booking: Booking) -> None:
    if booking.status in FINISHED:
        raise Conflict(_("%(number)s is %(status)s; its treatment cannot change.")
                       % {"number": booking.number, "status": booking.get_status_display().lower()}, code="finished")


def check_prescription(booking: Booking, data: PrescriptionData) -> str:
    """The checked weekdays (digits 0-6, each once); raises what is wrong first."""
    if not any(line.patient_id == data.patient.pk for line in booking.kept_lines()):
        raise DomainError(_("%(patient)s is not a guest of %(number)s.")
                          % {"patient": data.patient, "number": booking.number}, field="patient")
    if not data.service.is_active or data.service.charged_by_time:
        raise DomainError(_("%(service)s is not a procedure given in sessions.") % {"service": data.service},
                          field="service")
    if not isinstance(data.count, int) or not 1 <= data.count <= MOST_SESSIONS:
        raise DomainError(_("The sessions are a whole number from 1 to %(most)d.") % {"most": MOST_SESSIONS},
                          field="count")
    if data.frequency not in Frequency.values:
        raise DomainError(_("Choose how often."), field="frequency")
    if data.day_part not in DayPart.values:
        raise DomainError(_("Choose a part of the day."), field="day_part")
    weekdays = "".join(sorted({digit for digit in data.weekdays if digit in "0123456"}))
    if data.frequency == Frequency.WEEKDAYS and not weekdays:
        raise DomainError(_("Choose the weekdays of the procedure."), field="weekdays")
    return weekdays if data.frequency == Frequency.WEEKDAYS else ""


@retrying_atomic
def prescribe(*, by, booking: Booking, data: PrescriptionData) -> Prescription:
    policy.ensure(by, PRESCRIBE)
    booking = locked(booking)
    check_open(booking)
    return add_prescription(booking, data, by=by)


def add_prescription(booking: Booking, data: PrescriptionData, *, by) -> Prescription:
    """Writes a checked prescription of the locked booking; `by` may have proposed it from the tariff."""
    weekdays = check_prescription(booking, data)
    prescription = Prescription(booking=booking, patient=data.patient, service=data.service, count=data.count,
                                frequency=data.frequency, weekdays=weekdays, day_part=data.day_part,
                                note=data.note.strip()[:300], from_tariff=data.from_tariff, prescribed_by=by,
                                created_by=by, updated_by=by)
    prescription._history_user = by
    prescription.save()
    audit.record("prescription.create", by=by, obj=booking, patient_id=data.patient.pk,
                 changes={"service": [None, data.service.pk], "count": [None, data.count],
                          "frequency": [None, data.frequency], "day_part": [None, data.day_part]})
    return prescription


@retrying_atomic
def prescribe_included(*, by, booking: Booking) -> list[Prescription]:
    """Prescribes, daily at any time, each guest's included sessions of the tariff not prescribed yet."""
    policy.ensure(by, PRESCRIBE)
    booking = locked(booking)
    check_open(booking)
    sync_allowances(booking)
    prescribed = set(Prescription.objects.filter(booking=booking, cancelled_at__isnull=True)
                     .values_list("patient_id", "service_id"))
    created = []
    for allowance in (SessionAllowance.objects.filter(booking=booking, included__gt=0)
                      .select_related("patient", "service").order_by("patient_id", "service__name")):
        if (allowance.patient_id, allowance.service_id) in prescribed:
            continue
        created.append(add_prescription(booking, by=by, data=PrescriptionData(
            patient=allowance.patient, service=allowance.service, count=min(allowance.included, MOST_SESSIONS),
            from_tariff=True)))
    return created


def follow_tariff(booking: Booking, patient_id: int, *, by) -> list[Prescription]:
    """After a guest's tariff changed (the booking locked, its allowances synced): when the guest's included
    sessions were proposed, the new tariff's are too. A proposed prescription is raised to the new included count,
    never lowered: sessions beyond it stay prescribed and are billed by the existing rules. Returns the
    prescriptions created or raised."""
    live = {prescription.service_id: prescription for prescription in Prescription.objects.filter(
        booking=booking, patient_id=patient_id, cancelled_at__isnull=True).select_related("patient", "service")}
    if not any(prescription.from_tariff for prescription in live.values()):
        return []
    followed = []
    for allowance in (SessionAllowance.objects.filter(booking=booking, patient_id=patient_id, included__gt=0,
                                                      service__is_active=True, service__charged_by_time=False)
                      .select_related("patient", "service").order_by("service__name")):
        included = min(allowance.included, MOST_SESSIONS)
        prescription = live.get(allowance.service_id)
        if prescription is None:
            followed.append(add_prescription(booking, by=by, data=PrescriptionData(
                patient=allowance.patient, service=allowance.service, count=included, from_tariff=True)))
        elif prescription.from_tariff and prescription.count < included:
            followed.append(raise_count(prescription, included, by=by))
    return followed


def raise_count(prescription: Prescription, count: int, *, by) -> Prescription:
    before = prescription.count
    prescription.count, prescription.updated_by = count, by
    prescription._history_user = by
    prescription.save(update_fields=["count", "updated_by", "updated_at"])
    audit.record("prescription.follow_tariff", by=by, obj=prescription.booking, patient_id=prescription.patient_id,
                 changes={"service": [prescription.service_id, prescription.service_id], "count": [before, count]})
    return prescription


@retrying_atomic
def cancel_prescription(*, by, prescription: Prescription) -> Prescription:
    """Stops a prescription: its sessions still planned are cancelled, those given stay."""
    policy.ensure(by, PRESCRIBE)
    locked(prescription.booking)
    prescription = Prescription.objects.select_for_update().get(pk=prescription.pk)
    if prescription.cancelled_at is not None:
        return prescription
    prescription.cancelled_at, prescription.updated_by = clock.now(), by
    prescription._history_user = by
    prescription.save(update_fields=["cancelled_at", "updated_by", "updated_at"])
    dropped = PlannedSession.objects.filter(prescription=prescription, status=SessionStatus.PLANNED).update(
        status=SessionStatus.CANCELLED, marked_at=clock.now(), marked_by=by)
    audit.record("prescription.cancel", by=by, obj=prescription.booking, patient_id=prescription.patient_id,
                 changes={"service": [prescription.service_id, prescription.service_id],
                          "planned_sessions_cancelled": [None, dropped]})
    return prescription
