"""Demo treatment: a room for each procedure the demo tariffs include (the pool for ten), the demo nurse as their
therapist, a lunch hour without procedures, and the in-house guest's included sessions prescribed and planned."""

from __future__ import annotations

from datetime import time

from hayat.catalog.models import TariffService
from hayat.core.roles import Role
from hayat.core.seeding import unless_refused
from hayat.stays.demo import staff
from hayat.stays.models import IN_HOUSE, Booking
from hayat.treatment import planning, prescriptions, resources
from hayat.treatment.models import Cabinet, ClosedHours, HoursKind, Prescription, Therapist
from hayat.treatment.resources import CabinetData, HoursData, TherapistData

WORKING_DAYS = range(6)  # Monday to Saturday
OPENS, CLOSES = time(8, 0), time(18, 0)
LUNCH = (time(13, 0), time(14, 0))


def open_week(admin, **owner) -> None:
    for weekday in WORKING_DAYS:
        resources.add_hours(by=admin, data=HoursData(weekday=weekday, starts=OPENS, ends=CLOSES), **owner)


def seed() -> None:
    admin, doctor, desk, nurse = staff(Role.ADMIN), staff(Role.DOCTOR), staff(Role.RECEPTIONIST), staff(Role.NURSE)
    if None in (admin, doctor, desk, nurse):
        return
    services = list(dict.fromkeys(row.service for row in TariffService.objects.select_related("service")
                                  .order_by("service__name") if not row.service.charged_by_time))
    if not ClosedHours.objects.exists():
        resources.add_closed_hours(by=admin, name="Lunch", starts=LUNCH[0], ends=LUNCH[1])
    for service in services:
        if not Cabinet.objects.filter(name=service.name).exists():
            cabinet = resources.save_cabinet(by=admin, data=CabinetData(
                name=service.name, capacity=10 if "pool" in service.name.lower() else 1, buffer_minutes=10,
                services=[service]))
            open_week(admin, cabinet=cabinet)
    if services and not Therapist.objects.filter(user=nurse).exists():
        therapist = resources.save_therapist(by=admin, data=TherapistData(user=nurse, services=services))
        open_week(admin, therapist=therapist)
        resources.add_hours(by=admin, therapist=therapist, data=HoursData(
            weekday=0, starts=time(11, 0), ends=time(11, 30), kind=HoursKind.BREAK))
    resources.set_rules(by=admin, no_show_uses_session=False)
    stay = Booking.objects.filter(status__in=IN_HOUSE).order_by("pk").first()
    if stay is not None and not Prescription.objects.filter(booking=stay).exists():
        with unless_refused("treatment plan"):
            prescriptions.prescribe_included(by=doctor, booking=stay)
            planning.plan_stay(by=desk, booking=stay)
