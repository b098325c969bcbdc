"""The small world the reports are checked against, built by hand through the services, in Asia/Tashkent
(UTC+5), in November 2026:

- room 101 (Standard, 2 beds): Ann stays three nights from 10 Nov (across two midnights), on tariff "Rest";
- room 102 (Standard, 2 beds): closed for repair from 11 Nov 10:00 to 12 Nov 08:00 (out of order on 11 and 12);
- room 201 (Lux, 1 bed): Ben booked 11 Nov for two nights by phone, cancelled on 5 Nov;
  Cid booked 14 Nov by website, a no-show;
- ward room 301 (Ward room, 2 beds, Internal Medicine): Dan admitted 10 Nov 14:00, moved to bed 2 at 23:30
  on 12 Nov, discharged 13 Nov 10:00;
- the cash desk: 100 000 paid on Ann's bill at 00:30 on 11 Nov (still 10 Nov in UTC), 30 000 of it refunded on
  12 Nov.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone

from hayat.accounts.tests.factories import UserFactory
from hayat.billing import payments
from hayat.billing.tests import factories as billing
from hayat.clinical.models import Episode
from hayat.core.roles import Role
from hayat.facilities.models import Maintenance, MaintenanceKind
from hayat.patients.tests.factories import PatientFactory
from hayat.stays import services as stays
from hayat.stays.models import BookingSource, BookingStatus
from hayat.stays.tests.factories import book, make_room, make_tariff


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime(2026, 11, day, hour, minute))


@dataclass
class World:
    ann_booking: object
    episode: Episode


def build(clock) -> World:
    admin, desk = UserFactory(role=Role.ADMIN), UserFactory(role=Role.RECEPTIONIST)
    teller, coder = UserFactory(role=Role.TELLER), UserFactory(role=Role.CODER)
    doctor, nurse = UserFactory(role=Role.DOCTOR), UserFactory(role=Role.NURSE)
    clock.set(at(1, 9))
    standard_a, standard_b = make_room("101", beds=2), make_room("102", beds=2)
    lux = make_room("201", beds=1, type_name="Lux")
    rest = make_tariff("Rest", prices={"Standard": "200000", "Lux": "500000"})
    ann, ben, cid = (PatientFactory(first_name=name) for name in ("Ann", "Ben", "Cid"))
    Maintenance.objects.create(room=standard_b, kind=MaintenanceKind.REPAIR, start=at(11, 10), end=at(12, 8))
    ann_booking = book(desk, guests=[(ann, standard_a, rest)], start=date(2026, 11, 10), nights=3)
    ben_booking = book(desk, guests=[(ben, lux, rest)], start=date(2026, 11, 11), nights=2,
                       source=BookingSource.PHONE)
    clock.set(at(5, 11))
    stays.cancel_booking(by=desk, booking=ben_booking, reason="Illness")
    cid_booking = book(desk, guests=[(cid, lux, rest)], start=date(2026, 11, 14), nights=2,
                       source=BookingSource.WEBSITE)
    ward = billing.hospital_room("301", beds=2)
    first_bed, second_bed = ward.beds.order_by("number")
    clock.set(at(10, 14))
    episode = billing.admit(PatientFactory(first_name="Dan"), first_bed, doctor=doctor, by=coder)
    clock.set(at(11, 0, 30))
    bill = billing.bill_of(ann_booking)
    payments.take_payment(by=teller, bill=bill, amount=Decimal("100000"))
    clock.set(at(12, 9))
    refund = payments.request_refund(by=teller, bill=bill, amount=Decimal("30000"), reason="Left a day early")
    payments.approve_refund(by=admin, refund=refund)
    clock.set(at(12, 23, 30))
    billing.transfer(episode, second_bed, by=nurse)
    clock.set(at(13, 10))
    episode = billing.discharge(episode, by=doctor)
    clock.set(at(15, 12))
    stays.change_status(by=desk, booking=cid_booking, to=BookingStatus.NO_SHOW)
    clock.set(at(21, 9))
    return World(ann_booking=ann_booking, episode=episode)
