"""Bed assignment, transfer and discharge keep bed occupancy consistent, in the service and the database."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from hayat.clinical import occupancy, selectors, services
from hayat.clinical.beds import BedTaken
from hayat.clinical.models import BedAssignment, Episode, EpisodeStatus
from hayat.clinical.tests.factories import checked_in, documented, ward_room
from hayat.core.errors import Conflict, DomainError, FieldsRefused
from hayat.facilities import availability
from hayat.facilities.models import Maintenance, MaintenanceKind
from hayat.facilities.tests.factories import RoomFactory
from hayat.patients.tests.factories import PatientFactory

pytestmark = pytest.mark.django_db


def ready(hospital, receptionist, patient=None):
    episode = checked_in(patient or PatientFactory(), receptionist)
    return documented(episode, hospital.cardiologist)


def admitted(hospital, receptionist, bed):
    return services.complete_coding(by=hospital.coder, episode=ready(hospital, receptionist), bed=bed)


def test_an_occupied_bed_is_never_assigned(hospital, receptionist, clock):
    first = admitted(hospital, receptionist, hospital.bed1)
    second = ready(hospital, receptionist)
    with pytest.raises(BedTaken, match=first.case_number) as refused:
        services.complete_coding(by=hospital.coder, episode=second, bed=hospital.bed1)
    assert refused.value.field == "bed"
    assert Episode.objects.get(pk=second.pk).status == EpisodeStatus.READY_FOR_CODING
    services.complete_coding(by=hospital.coder, episode=second, bed=hospital.bed2)


def test_transfer_ends_the_old_assignment_and_starts_the_new_one_at_the_same_moment(hospital, receptionist, nurse,
                                                                                      clock):
    episode = admitted(hospital, receptionist, hospital.bed1)
    expensive = ward_room(hospital.cardiology, beds=1, name="ICU-1", hourly_rate=Decimal("50000.00"))
    clock.advance(hours=5)
    services.transfer(by=nurse, episode=episode, bed=expensive.beds.get(), reason="Needs monitoring")
    old, new = BedAssignment.objects.filter(episode=episode).order_by("started_at", "id")
    assert old.ended_at == new.started_at == clock.now()
    assert (old.ended_reason, old.open_bed, new.open_bed) == ("transfer", None, expensive.beds.get().pk)
    assert new.hourly_rate == 50000 and old.hourly_rate == 12000
    # the first bed is free again
    services.complete_coding(by=hospital.coder, episode=ready(hospital, receptionist), bed=hospital.bed1)


def test_transfer_is_refused_to_the_same_or_an_occupied_bed_and_for_receptionists(hospital, receptionist, nurse):
    episode = admitted(hospital, receptionist, hospital.bed1)
    admitted(hospital, receptionist, hospital.bed2)
    with pytest.raises(DomainError, match="already in this bed"):
        services.transfer(by=nurse, episode=episode, bed=hospital.bed1)
    with pytest.raises(BedTaken):
        services.transfer(by=nurse, episode=episode, bed=hospital.bed2)
    with pytest.raises(FieldsRefused):
        services.transfer(by=receptionist, episode=episode, bed=hospital.bed2)
    assert BedAssignment.objects.get(episode=episode).is_open


def test_discharge_frees_the_bed_and_stops_bed_time_at_the_discharge_time(hospital, receptionist, clock):
    episode = admitted(hospital, receptionist, hospital.bed1)
    admitted_at = clock.now()
    clock.advance(hours=30)
    discharged_at = admitted_at + timedelta(hours=26)
    services.discharge(by=hospital.cardiologist, episode=episode, disposition="hama", result="unimproved",
                       discharged_at=discharged_at)
    assignment = BedAssignment.objects.get(episode=episode)
    assert assignment.ended_at == discharged_at and not assignment.is_open
    assert not BedAssignment.objects.filter(open_bed=hospital.bed1.pk).exists()
    services.complete_coding(by=hospital.coder, episode=ready(hospital, receptionist), bed=hospital.bed1)


def test_a_discharge_before_the_admission_names_the_admission_in_the_hospitals_time(hospital, receptionist, clock):
    episode = Episode.objects.get(pk=admitted(hospital, receptionist, hospital.bed1).pk)  # as stored, in UTC
    with pytest.raises(DomainError) as refused:
        services.discharge(by=hospital.cardiologist, episode=episode, disposition="discharged", result="recovered",
                           discharged_at=clock.now() - timedelta(hours=1))
    assert str(refused.value) == "The discharge cannot be before the admission (21 Nov 2026 09:00)."
    assert BedAssignment.objects.get(episode=episode).is_open


def test_the_database_allows_one_open_assignment_per_bed_and_per_episode(hospital, receptionist, clock):
    episode = admitted(hospital, receptionist, hospital.bed1)
    other = Episode.objects.exclude(pk=episode.pk).first() or ready(hospital, receptionist)
    fields = {"started_at": clock.now(), "hourly_rate": 1, "started_by": hospital.coder}
    with pytest.raises(IntegrityError), transaction.atomic():
        BedAssignment.objects.create(episode=other, bed=hospital.bed1, open_bed=hospital.bed1.pk,
                                     open_episode=other.pk, **fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        BedAssignment.objects.create(episode=episode, bed=hospital.bed2, open_bed=hospital.bed2.pk,
                                     open_episode=episode.pk, **fields)
    # open keys must match the row, and an ended row holds none
    with pytest.raises(IntegrityError), transaction.atomic():
        BedAssignment.objects.create(episode=other, bed=hospital.bed2, open_bed=None, open_episode=other.pk, **fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        BedAssignment.objects.create(episode=other, bed=hospital.bed2, ended_at=clock.now(), ended_reason="transfer",
                                     open_bed=hospital.bed2.pk, open_episode=None, **fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        BedAssignment.objects.create(episode=other, bed=hospital.bed2, ended_at=clock.now() - timedelta(hours=1),
                                     ended_reason="transfer", **fields)
    # two ended assignments of the same bed are history, not a conflict
    for _ in range(2):
        BedAssignment.objects.create(episode=other, bed=hospital.bed2, ended_at=clock.now(), ended_reason="transfer",
                                     **fields)


def test_beds_out_of_service_under_maintenance_or_outside_a_ward_are_refused(hospital, receptionist, clock):
    episode = ready(hospital, receptionist)
    hospital.bed1.is_active = False
    hospital.bed1.save()
    with pytest.raises(DomainError, match="out of service"):
        services.complete_coding(by=hospital.coder, episode=episode, bed=hospital.bed1)
    Maintenance.objects.create(room=hospital.room, bed=hospital.bed2, kind=MaintenanceKind.DISINFECTION,
                               start=clock.now() - timedelta(hours=1), end=clock.now() + timedelta(hours=2))
    with pytest.raises(BedTaken, match="closed for disinfection from 21 Nov 2026 08:00 until 21 Nov 2026 11:00"):
        services.complete_coding(by=hospital.coder, episode=episode, bed=hospital.bed2)
    sanatorium_room = RoomFactory(capacity=1)
    with pytest.raises(DomainError, match="belongs to no ward"):
        services.complete_coding(by=hospital.coder, episode=episode, bed=sanatorium_room.beds.get())


def test_a_bed_whose_maintenance_starts_later_today_is_refused_as_the_picker_hides_it(hospital, receptionist,
                                                                                       clock):
    episode = ready(hospital, receptionist)
    Maintenance.objects.create(room=hospital.room, bed=hospital.bed1, kind=MaintenanceKind.REPAIR,
                               start=clock.now() + timedelta(hours=6), end=clock.now() + timedelta(hours=8))
    assert hospital.bed1 not in selectors.free_hospital_beds()
    with pytest.raises(BedTaken, match="closed for repair from 21 Nov 2026 15:00 until 21 Nov 2026 17:00"):
        services.complete_coding(by=hospital.coder, episode=episode, bed=hospital.bed1)
    Maintenance.objects.filter(bed=hospital.bed1).update(start=clock.now() + timedelta(days=1),
                                                         end=clock.now() + timedelta(days=1, hours=2))
    assert services.complete_coding(by=hospital.coder, episode=episode, bed=hospital.bed1).status == "admitted"


def test_a_bed_booked_by_a_stay_today_is_refused(hospital, receptionist, clock, monkeypatch):
    from hayat.facilities.tests.fake_occupancy import FakeOccupancy

    stays = FakeOccupancy()
    today = clock.now().date()
    stays.book(hospital.room, today, today + timedelta(days=2), bed=hospital.bed1)
    monkeypatch.setattr(availability, "providers", lambda: [stays.occupied, occupancy.occupied])
    episode = ready(hospital, receptionist)
    with pytest.raises(BedTaken, match="booked for a stay"):
        services.complete_coding(by=hospital.coder, episode=episode, bed=hospital.bed1)
    stays.book(hospital.room, today, today + timedelta(days=1), guests=1)
    with pytest.raises(BedTaken, match="no free place"):
        services.complete_coding(by=hospital.coder, episode=episode, bed=hospital.bed2)


def test_occupancy_hook_reports_open_and_ended_assignments_as_bed_spans(hospital, receptionist, clock):
    open_one = admitted(hospital, receptionist, hospital.bed1)
    ended = admitted(hospital, receptionist, hospital.bed2)
    clock.advance(days=1)
    services.discharge(by=hospital.cardiologist, episode=ended, disposition="discharged", result="recovered")
    today = date(2026, 11, 22)
    spans = sorted(occupancy.occupied(today, today + timedelta(days=7)), key=lambda span: span.bed_id)
    assert [(span.bed_id, span.start, span.end) for span in spans] == [
        (hospital.bed1.pk, date(2026, 11, 21), today + timedelta(days=7)),
        (hospital.bed2.pk, date(2026, 11, 21), date(2026, 11, 23)),
    ]
    # the patient still in bed holds it up to the end of any range asked about, however far
    assert BedAssignment.objects.get(open_bed=hospital.bed1.pk).episode == open_one
    far = today + timedelta(days=365)
    assert [(span.start, span.end) for span in occupancy.occupied(today, far) if span.bed_id == hospital.bed1.pk] == [
        (date(2026, 11, 21), far)]
    assert occupancy.occupied(today, far, rooms={hospital.room.pk}) == occupancy.occupied(today, far)
    assert occupancy.occupied(today, far, rooms={hospital.room.pk + 1}) == []
    free = availability.free_beds(date(2026, 11, 23), date(2026, 11, 24), room=hospital.room)
    assert list(free) == [hospital.bed2]


def test_a_bed_left_this_morning_is_offered_to_the_next_patient_at_once(hospital, receptionist, nurse, clock,
                                                                        django_assert_max_num_queries):
    from hayat.clinical import selectors

    first = admitted(hospital, receptionist, hospital.bed1)
    second = admitted(hospital, receptionist, hospital.bed2)
    icu = ward_room(hospital.cardiology, beds=1, name="ICU-1").beds.get()
    assert selectors.free_hospital_beds() == [icu]
    clock.advance(hours=2)
    services.transfer(by=nurse, episode=first, bed=icu, reason="Needs monitoring")
    clock.advance(hours=1)
    services.discharge(by=hospital.cardiologist, episode=second, disposition="discharged", result="recovered")
    with django_assert_max_num_queries(6):
        offered = selectors.free_hospital_beds(department=hospital.cardiology)
    assert offered == [hospital.bed1, hospital.bed2]
    # the day view still counts today as a day both beds were used
    today = clock.now().date()
    assert {span.bed_id for span in occupancy.occupied(today, today + timedelta(days=1))} == {
        hospital.bed1.pk, hospital.bed2.pk, icu.pk}
    services.complete_coding(by=hospital.coder, episode=ready(hospital, receptionist), bed=offered[0])


def test_a_bed_cannot_be_assigned_to_a_patient_who_already_has_one(hospital, receptionist):
    episode = admitted(hospital, receptionist, hospital.bed1)
    with pytest.raises(Conflict, match="already has a bed"):
        services.assign_bed(by=hospital.coder, episode=episode, bed=hospital.bed2)
