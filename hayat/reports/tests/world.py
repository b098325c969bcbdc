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

`build_day` adds a day of that world, 21 November, for the dashboard and the reports of guests (see there).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from hayat.accounts.tests.factories import UserFactory
from hayat.billing import payments
from hayat.billing.tests import factories as billing
from hayat.clinical.models import Episode
from hayat.core.roles import Role
from hayat.facilities.models import Maintenance, MaintenanceKind, Room
from hayat.lab.tests.factories import LabTestTypeFactory, make_result
from hayat.patients.models import Gender
from hayat.patients.tests.factories import DistrictFactory, PatientFactory, RegionFactory
from hayat.stays import checkin, sessions, waitlist
from hayat.stays import services as stays
from hayat.stays.models import BookingSource, BookingStatus
from hayat.stays.tests.factories import book, make_room, make_tariff
from hayat.stays.tests.stay_factories import checked_in, confirmations, make_service, tariff_with_sessions


def at(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    return timezone.make_aware(datetime(2026, month, day, hour, minute))


def tashkent():
    return RegionFactory(name="Tashkent")


def tashkent_district(name: str):
    return DistrictFactory(region=tashkent(), name=name)


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
    dan = PatientFactory(first_name="Dan", gender=Gender.MALE, birth_date=date(1950, 3, 2),
                         region=tashkent(), district=tashkent_district("Chilonzor"))
    episode = billing.admit(dan, first_bed, doctor=doctor, by=coder)
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


TODAY = date(2026, 11, 21)


@dataclass
class Day:
    teller: object
    gus_booking: object


def build_day(clock) -> Day:
    """The world, then, up to 09:00 on 21 November:

    - Eve, a woman born in 1990, from Yunusobod in Tashkent: booked on 20 Oct for 25–27 Oct in Lux 201 and paid
      50 000 that day (last month's money); she stayed and left on 27 Oct, and is back: checked in today in 101 for
      three nights;
    - Gus, a man born in 1960, from Chilonzor: checked in on 18 Nov for three nights in 102 on the tariff "Spine
      care" (five massages included); a nurse gave him two massages (19 and 20 Nov) and a sauna as an extra
      (20 Nov, 40 000); he leaves today;
    - Fay, booked in Lux 201 for two nights, arrives today;
    - on the ward 301: Ian (a man born in 1980) admitted on 19 Nov into bed 1 and discharged today at 08:30, Hal
      (a man born in 2010) admitted today at 08:00 into bed 2, Kim (a woman born in 1940) documented for admission
      and waiting for coding and a bed;
    - the laboratory: two blood counts of Hal by the nurse, a glucose of Ian by the doctor, on 20 Nov;
    - Liv on the waiting list; the teller asks to give Ann 10 000 back.
    """
    built = build(clock)
    desk, doctor = UserFactory(role=Role.RECEPTIONIST), UserFactory(role=Role.DOCTOR, full_name="Dora Doctor")
    nurse = UserFactory(role=Role.NURSE, full_name="Nora Nurse")
    coder, teller = UserFactory(role=Role.CODER), UserFactory(role=Role.TELLER, user_id="day-teller")
    rest = make_tariff("Rest again", prices={"Standard": "200000", "Lux": "500000"})
    massage, sauna = make_service("Massage"), make_service("Sauna", price="40000")
    spine = tariff_with_sessions("Spine care", sessions={massage: 5}, prices={"Standard": "250000"})
    rooms = {room.name: room for room in Room.objects.all()}
    eve = PatientFactory(first_name="Eve", birth_date=date(1990, 6, 1), region=tashkent(),
                         district=tashkent_district("Yunusobod"))
    gus = PatientFactory(first_name="Gus", gender=Gender.MALE, birth_date=date(1960, 6, 1), region=tashkent(),
                         district=tashkent_district("Chilonzor"))
    ian, hal = (PatientFactory(first_name=name, gender=Gender.MALE, birth_date=born)
                for name, born in (("Ian", date(1980, 6, 1)), ("Hal", date(2010, 6, 1))))
    fay, kim, liv = (PatientFactory(first_name=name, birth_date=date(1940, 6, 1)) for name in ("Fay", "Kim", "Liv"))
    first_bed, second_bed = rooms["301"].beds.order_by("number")

    clock.set(at(20, 10, month=10))
    october = book(desk, guests=[(eve, rooms["201"], rest)], start=date(2026, 10, 25), nights=2)
    payments.take_payment(by=teller, bill=billing.bill_of(october), amount=Decimal("50000"))
    clock.set(at(25, 14, month=10))
    checkin.check_in(by=desk, booking=october, data=confirmations(doctor))
    clock.set(at(27, 11, month=10))
    checkin.check_out(by=desk, booking=october)
    clock.set(at(18, 14))
    gus_booking = checked_in(desk, doctor, guests=[(gus, rooms["102"], spine)], start=date(2026, 11, 18), nights=3)
    clock.set(at(19, 9))
    ian_episode = billing.admit(ian, first_bed, doctor=doctor, by=coder)
    clock.set(at(20, 16))
    for day in (19, 20):
        sessions.record_session(by=nurse, booking=gus_booking, patient=gus, service=massage, on=date(2026, 11, day))
    sessions.record_extra_service(by=nurse, booking=gus_booking, patient=gus, service=sauna)
    blood_count, glucose = LabTestTypeFactory(name="Blood count"), LabTestTypeFactory(name="Glucose")
    clock.set(at(21, 8))
    billing.admit(hal, second_bed, doctor=doctor, by=coder)
    for test_type, performer, patient in ((blood_count, nurse, hal), (blood_count, nurse, hal),
                                          (glucose, doctor, ian)):
        make_result(by=performer, patient=patient, test_type=test_type, performed_at=at(20, 12))
    clock.set(at(21, 8, 30))
    billing.discharge(ian_episode, by=doctor)
    clock.set(at(21, 9))
    billing.ready_for_coding(kim, doctor=doctor)
    checked_in(desk, doctor, guests=[(eve, rooms["101"], rest)], start=TODAY, nights=3)
    book(desk, guests=[(fay, rooms["201"], rest)], start=TODAY, nights=2)
    waitlist.add_entry(by=desk, data=waitlist.EntryData(patient=liv, start_date=TODAY + timedelta(days=30),
                                                        end_date=TODAY + timedelta(days=37)))
    payments.request_refund(by=teller, bill=billing.bill_of(built.ann_booking), amount=Decimal("10000"),
                            reason="Overcharged for a night")
    return Day(teller=teller, gus_booking=gus_booking)
