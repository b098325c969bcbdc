"""Hospital beds, admitted episodes and confirmed stays for the billing tests.

Episodes are created straight in `ready_for_coding` and admitted through clinical's own lifecycle, so the
real `episode_status_changed` signal opens the bill, without loading ICD-10 for every test.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from itertools import count

from django.db import transaction

from hayat.accounts.models import Department
from hayat.billing.models import Bill, BillStatus, BillStatusChange
from hayat.clinical import beds as clinical_beds
from hayat.clinical import lifecycle as clinical_lifecycle
from hayat.clinical.models import BedAssignment, Episode, EpisodeStatus
from hayat.core import clock
from hayat.facilities.models import Bed, Building, Room, RoomType, Ward
from hayat.patients.names import fill_search_keys
from hayat.patients.tests.factories import PatientFactory
from hayat.stays.tests.factories import book, make_room, make_tariff

__all__ = ["PatientFactory", "admit", "admitted_in_bulk", "book", "hospital_room", "make_room", "make_tariff", "stay"]

numbers = count(1)


def hospital_room(name: str = "301", *, beds: int = 2, rate: str = "10000.00") -> Room:
    department = Department.objects.get_or_create(code="IM", defaults={"name": "Internal Medicine"})[0]
    building = Building.objects.get_or_create(code="H", defaults={"name": "Hospital"})[0]
    ward = Ward.objects.get_or_create(name="IM ward", defaults={"department": department, "building": building})[0]
    room = Room.objects.create(name=name, room_type=RoomType.objects.get_or_create(name="Ward room")[0],
                               building=building, ward=ward, capacity=beds, hourly_rate=Decimal(rate))
    Bed.objects.bulk_create([Bed(room=room, number=str(number)) for number in range(1, beds + 1)])
    return room


def ready_episode(patient, *, doctor, admission_type: str = "inpatient") -> Episode:
    n = next(numbers)
    return Episode.objects.create(
        patient=patient, case_number=f"C-T-{n:06d}", hospital_case_number=f"H-T-{n:06d}",
        status=EpisodeStatus.READY_FOR_CODING, registered_at=clock.now(), reason_for_visit="Fever",
        attending_physician=doctor, admission_type=admission_type,
    )


@transaction.atomic
def admit(patient, bed: Bed, *, doctor, by, at: datetime | None = None) -> Episode:
    """Admits a new episode of `patient` into `bed` at `at` (now), as coding does: assignment, then status."""
    episode = ready_episode(patient, doctor=doctor)
    moment = at or clock.now()
    clinical_beds.start(episode=episode, bed=Bed.objects.select_related("room").get(pk=bed.pk), by=by, at=moment)
    episode.admitted_at = moment
    clinical_lifecycle.transition(episode, to=EpisodeStatus.ADMITTED, by=by, at=moment)
    return episode


@transaction.atomic
def outpatient(patient, *, doctor, by) -> Episode:
    episode = ready_episode(patient, doctor=doctor, admission_type="outpatient")
    episode.admitted_at = clock.now()
    clinical_lifecycle.transition(episode, to=EpisodeStatus.OUTPATIENT, by=by)
    return episode


@transaction.atomic
def transfer(episode: Episode, bed: Bed, *, by, at: datetime | None = None) -> Episode:
    """Moves the patient to `bed` as clinical's transfer does: the old assignment ends, a new one starts."""
    moment = at or clock.now()
    current = clinical_beds.open_assignment(episode, lock=True)
    clinical_beds.end(current, at=moment, by=by, reason=clinical_beds.TRANSFER)
    clinical_beds.start(episode=episode, bed=Bed.objects.select_related("room").get(pk=bed.pk), by=by, at=moment)
    return episode


@transaction.atomic
def discharge(episode: Episode, *, by, at: datetime | None = None) -> Episode:
    """Discharges as clinical's discharge does: the bed assignment ends, then the status changes (signal)."""
    episode = Episode.objects.select_for_update().get(pk=episode.pk)
    moment = at or clock.now()
    assignment = clinical_beds.open_assignment(episode, lock=True)
    if assignment is not None:
        clinical_beds.end(assignment, at=moment, by=by, reason=clinical_beds.DISCHARGE)
    episode.disposition, episode.result, episode.discharged_at = "discharged", "improved", moment
    clinical_lifecycle.transition(episode, to=EpisodeStatus.DISCHARGED, by=by)
    return episode


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
        hourly_rate=Decimal(rate), started_by=by, open_bed=bed.pk, open_episode=episode.pk)
        for index, (episode, bed) in enumerate(zip(episodes, beds, strict=True))], batch_size=500)
    bills = Bill.objects.bulk_create([Bill(number=f"INV-{prefix}-{first + index:06d}", patient=episode.patient,
                                           episode=episode) for index, episode in enumerate(episodes)],
                                     batch_size=500)
    BillStatusChange.objects.bulk_create([BillStatusChange(bill=bill, at=started_at, to_status=BillStatus.PENDING)
                                          for bill in bills], batch_size=500)
    return bills
