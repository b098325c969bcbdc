"""Treatment rooms, therapists and a checked-in guest with a tariff of included sessions, for the treatment tests."""

from __future__ import annotations

from datetime import date, time

from hayat.catalog.models import Service
from hayat.stays.models import Booking
from hayat.stays.tests.factories import PatientFactory, make_room
from hayat.stays.tests.stay_factories import checked_in, make_service, tariff_with_sessions
from hayat.treatment import resources
from hayat.treatment.models import Cabinet, Therapist
from hayat.treatment.resources import CabinetData, HoursData, TherapistData

EVERY_DAY = range(7)


def open_every_day(*, by, cabinet: Cabinet | None = None, therapist: Therapist | None = None,
                   starts: time = time(8, 0), ends: time = time(18, 0)) -> None:
    for weekday in EVERY_DAY:
        resources.add_hours(by=by, cabinet=cabinet, therapist=therapist,
                            data=HoursData(weekday=weekday, starts=starts, ends=ends))


def make_cabinet(admin, name: str, services: list[Service], *, capacity: int = 1, buffer: int = 0,
                 **hours) -> Cabinet:
    cabinet = resources.save_cabinet(by=admin, data=CabinetData(name=name, capacity=capacity, buffer_minutes=buffer,
                                                                 services=services))
    open_every_day(by=admin, cabinet=cabinet, **hours)
    return cabinet


def make_therapist(admin, user, services: list[Service], **hours) -> Therapist:
    therapist = resources.save_therapist(by=admin, data=TherapistData(user=user, services=services))
    open_every_day(by=admin, therapist=therapist, **hours)
    return therapist


def guest_in_house(receptionist, doctor, *, start: date, services: dict[Service, int], nights: int = 5,
                   room_name: str = "101", patients: int = 1) -> Booking:
    tariff = tariff_with_sessions(f"Course {room_name}", sessions=services)
    room = make_room(room_name, beds=max(2, patients))
    guests = [(PatientFactory(), room, tariff) for _ in range(patients)]
    return checked_in(receptionist, doctor, guests=guests, start=start, nights=nights)


__all__ = ["guest_in_house", "make_cabinet", "make_service", "make_therapist", "open_every_day"]
