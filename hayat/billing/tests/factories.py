"""Hospital beds, admitted episodes and confirmed stays for the billing tests.

Episodes go through clinical's own use cases (hayat.clinical.services): registered at reception,
documented by the doctor, sent to coding, then coded into a bed (or as an outpatient), transferred and
discharged, so the real `episode_status_changed` signal opens and finalises the bill. The one ICD-10 code
they use is written as a row, so the tests need not load the ICD-10 list.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from itertools import count

from hayat.accounts.models import Department
from hayat.accounts.tests.factories import UserFactory
from hayat.billing.models import Bill, BillStatus, BillStatusChange
from hayat.clinical import services as clinical
from hayat.clinical.models import BedAssignment, Episode, EpisodeStatus, IcdCode
from hayat.clinical.tests.factories import checked_in, documented
from hayat.core import clock
from hayat.core.roles import Role
from hayat.facilities.models import Bed, Building, Room, RoomType, Ward
from hayat.patients.names import fill_search_keys
from hayat.patients.tests.factories import PatientFactory
from hayat.stays.tests.factories import book, make_room, make_tariff

__all__ = ["PatientFactory", "admit", "admitted_in_bulk", "book", "hospital_room", "make_room", "make_tariff",
           "owing_in_bulk", "stay"]

numbers = count(1)
DIAGNOSIS = "J18.9"


def hospital_room(name: str = "301", *, beds: int = 2, rate: str = "10000.00") -> Room:
    department = Department.objects.get_or_create(code="IM", defaults={"name": "Internal Medicine"})[0]
    building = Building.objects.get_or_create(code="H", defaults={"name": "Hospital"})[0]
    ward = Ward.objects.get_or_create(name="IM ward", defaults={"department": department, "building": building})[0]
    room = Room.objects.create(name=name, room_type=RoomType.objects.get_or_create(name="Ward room")[0],
                               building=building, ward=ward, capacity=beds, hourly_rate=Decimal(rate))
    Bed.objects.bulk_create([Bed(room=room, number=str(number)) for number in range(1, beds + 1)])
    return room


def front_desk():
    return UserFactory(role=Role.RECEPTIONIST, user_id="billing-desk", full_name="Bella Reception")


def registered(patient) -> Episode:
    """A new episode of `patient`, checked in at reception: status pending."""
    return checked_in(patient, front_desk(), intended_admission_type="undecided")


def ready_for_coding(patient, *, doctor, admission_type: str = "inpatient") -> Episode:
    """An episode documented by `doctor` (pneumonia, J18.9) and sent to coding."""
    IcdCode.objects.get_or_create(code=DIAGNOSIS, defaults={
        "title": "Pneumonia, unspecified organism", "chapter": "10", "block": "J09-J18", "is_billable": True})
    episode = registered(patient)
    documented(episode, doctor, code=DIAGNOSIS, admission_type=admission_type,
               override="On call for the ward tonight")
    return Episode.objects.get(pk=episode.pk)


def admit(patient, bed: Bed, *, doctor, by) -> Episode:
    """Admits a new episode of `patient` into `bed` now: coding by `by` (a coder) assigns the bed."""
    episode = ready_for_coding(patient, doctor=doctor)
    return clinical.complete_coding(by=by, episode=episode, bed=bed)


def outpatient(patient, *, doctor, by) -> Episode:
    episode = ready_for_coding(patient, doctor=doctor, admission_type="outpatient")
    return clinical.complete_coding(by=by, episode=episode)


def transfer(episode: Episode, bed: Bed, *, by) -> Episode:
    """Moves the patient to `bed` now, through clinical's transfer: the old assignment ends, a new one starts."""
    return clinical.transfer(by=by, episode=episode, bed=bed, reason="Moved closer to the nurses' station")


def discharge(episode: Episode, *, by, at: datetime | None = None) -> Episode:
    """Discharges through clinical's discharge (by a doctor), at `at` when given (a discharge entered late)."""
    return clinical.discharge(by=by, episode=episode, disposition="discharged", result="improved", discharged_at=at)


def stay(by, patient, *, start: date, nights: int = 3, price: str = "350000", room_name: str = "101",
         status: str = "confirmed"):
    """A booking of one guest; confirmed by default, so its bill is open."""
    room = make_room(room_name, beds=2)
    tariff = make_tariff(f"Tariff {room_name}", prices={"Standard": price})
    return book(by, guests=[(patient, room, tariff)], start=start, nights=nights, status=status)


def bill_of(source) -> Bill:
    lookup = {"episode": source} if isinstance(source, Episode) else {"booking": source}
    return Bill.objects.get(**lookup)


def later(moment: datetime, **delta) -> datetime:
    return moment + timedelta(**delta)


def admitted_in_bulk(count: int, *, by, started_at: datetime, beds_per_room: int = 4, rate: str = "12000.00",
                     prefix: str = "B") -> list[Bill]:
    """`count` admitted inpatients, each in a bed since `started_at` minus up to 47 hours, each with an open
    bill and no line yet: the state the accrual job finds after coding, in a few bulk inserts.

    For list query counts and the accrual benchmark, where admitting one by one would take minutes.
    """
    rooms = [hospital_room(f"{prefix}{index}", beds=beds_per_room, rate=rate)
             for index in range(-(-count // beds_per_room))]
    beds = list(Bed.objects.filter(room__in=rooms).order_by("room_id", "number"))[:count]
    patients = [PatientFactory.build() for _ in range(count)]
    for patient in patients:
        fill_search_keys(patient)
    patients = PatientFactory._meta.model.objects.bulk_create(patients, batch_size=500)
    first = next(numbers)
    for _ in range(count):
        next(numbers)
    episodes = Episode.objects.bulk_create([Episode(
        patient=patient, case_number=f"C-{prefix}-{first + index:06d}",
        hospital_case_number=f"H-{prefix}-{first + index:06d}", status=EpisodeStatus.ADMITTED,
        registered_at=started_at, admitted_at=started_at, reason_for_visit="Fever", attending_physician=by,
        admission_type="inpatient") for index, patient in enumerate(patients)], batch_size=500)
    BedAssignment.objects.bulk_create([BedAssignment(
        episode=episode, bed=bed, started_at=started_at - timedelta(minutes=17 * index % (48 * 60)),
        hourly_rate=Decimal(rate), started_by=by, open_bed=bed.pk, open_episode=episode.pk,
        open_patient_id=episode.patient_id)
        for index, (episode, bed) in enumerate(zip(episodes, beds, strict=True))], batch_size=500)
    bills = Bill.objects.bulk_create([Bill(number=f"INV-{prefix}-{first + index:06d}", patient=episode.patient,
                                           episode=episode, opened_at=started_at)
                                      for index, episode in enumerate(episodes)],
                                     batch_size=500)
    BillStatusChange.objects.bulk_create([BillStatusChange(bill=bill, at=started_at, to_status=BillStatus.PENDING)
                                          for bill in bills], batch_size=500)
    return bills


def owing_in_bulk(count: int, *, by, prefix: str) -> list[Bill]:
    """`count` inpatients in bed since a minute or more ago, their bills owing the bed time the job wrote."""
    from hayat.billing import jobs

    bills = admitted_in_bulk(count, by=by, started_at=clock.now() - timedelta(minutes=1), prefix=prefix)
    jobs.accrue_bed_time()
    return bills
