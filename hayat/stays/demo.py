"""Demo stay operations: a guest in the house with sessions used, a reservation on hold, two waitlist entries.

Idempotent: each piece is recognised by its notes and only added when missing; it uses the demo staff,
rooms, tariffs and patients of the lower apps and skips itself when they are not there.
"""

from __future__ import annotations

from datetime import timedelta

from hayat.accounts.models import User
from hayat.catalog.models import Tariff
from hayat.core import clock
from hayat.core.roles import Role
from hayat.core.seeding import unless_refused
from hayat.facilities.models import Room
from hayat.patients.models import Patient
from hayat.stays import checkin, services, sessions, waitlist
from hayat.stays.checkin import Arrival, CheckInData
from hayat.stays.models import Booking, BookingStatus, SessionAllowance, WaitlistEntry, WaitlistPriority
from hayat.stays.places import place_options
from hayat.stays.services import BookingData, GuestChoice
from hayat.stays.waitlist import EntryData

IN_HOUSE_NOTE = "Demo: a guest in the house."
RESERVATION_NOTE = "Demo: a reservation on hold."


def staff(role: str) -> User | None:
    return User.objects.filter(role=role, is_active=True).order_by("pk").first()


def free_room(start, nights: int):
    for option in place_options(start, start + timedelta(days=nights)):
        if option.bed_id is None:
            return option
    return None


def book(by, patient: Patient, tariff: Tariff, *, start, nights: int, status: str, notes: str) -> Booking | None:
    option = free_room(start, nights)
    if option is None:
        return None
    room = Room.objects.get(pk=option.room_id)
    return services.create_booking(by=by, data=BookingData(
        start_date=start, end_date=start + timedelta(days=nights), guests=[GuestChoice(patient, room, tariff)],
        status=status, notes=notes))


def seed() -> None:
    desk, doctor, nurse = staff(Role.RECEPTIONIST), staff(Role.DOCTOR), staff(Role.NURSE)
    tariff = Tariff.objects.filter(is_active=True, included__isnull=False).order_by("code").first()
    patients = list(Patient.objects.filter(is_active=True, merged_into__isnull=True).order_by("pk")[:10])
    if None in (desk, doctor, nurse, tariff) or len(patients) < 6:
        return
    today = clock.today()
    if not Booking.objects.filter(notes=IN_HOUSE_NOTE).exists():
        with unless_refused(IN_HOUSE_NOTE):
            seed_guest_in_house(desk, doctor, nurse, patients[0], tariff)
    if not Booking.objects.filter(notes=RESERVATION_NOTE).exists():
        with unless_refused(RESERVATION_NOTE):
            book(desk, patients[1], tariff, start=today + timedelta(days=10), nights=5,
                 status=BookingStatus.RESERVATION, notes=RESERVATION_NOTE)
    for patient, priority in ((patients[2], WaitlistPriority.HIGH), (patients[3], WaitlistPriority.NORMAL)):
        if not WaitlistEntry.objects.filter(patient=patient).exists():
            with unless_refused("waitlist"):
                waitlist.add_entry(by=desk, data=EntryData(
                    patient=patient, start_date=today + timedelta(days=14), end_date=today + timedelta(days=24),
                    guests=1, priority=priority, notes="Demo: prefers the ground floor."))


def seed_guest_in_house(desk: User, doctor: User, nurse: User, patient: Patient, tariff: Tariff) -> None:
    stay = book(desk, patient, tariff, start=clock.today(), nights=7, status=BookingStatus.CONFIRMED,
                notes=IN_HOUSE_NOTE)
    if stay is None:
        return
    checkin.check_in(by=desk, booking=stay, data=CheckInData(
        doctor=doctor, identity_checked=True, rules_explained=True, consent_signed=True, nurses=[nurse],
        arrivals=[Arrival(patient.pk, complaints="Lower back pain after long drives.", systolic=135,
                          diastolic=85, pulse=76)]))
    allowance = SessionAllowance.objects.filter(booking=stay).order_by("service__name").first()
    for _session in range(2 if allowance else 0):
        sessions.record_session(by=nurse, booking=stay, patient=patient, service=allowance.service)
