"""The database itself allows one open episode and one open bed assignment per patient, on every engine:
plain unique indexes on keys that hold the patient only while the row is open (MariaDB ignores conditional
unique constraints, so none is used)."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from hayat.clinical import services
from hayat.clinical.models import BedAssignment, Episode, EpisodeStatus
from hayat.clinical.tests.factories import checked_in, documented

pytestmark = pytest.mark.django_db


def episode_row(patient, number: str, **fields) -> Episode:
    """An episode inserted straight into the table, past every check of the services."""
    return Episode.objects.create(patient=patient, case_number=f"C-{number}", hospital_case_number=f"H-{number}",
                                  registered_at=patient.created_at, reason_for_visit="Walk-in", **fields)


def test_the_database_refuses_a_second_open_episode_of_a_patient(hospital, receptionist, clock):
    first = checked_in(hospital.patient, receptionist)
    with pytest.raises(IntegrityError), transaction.atomic():
        episode_row(hospital.patient, "X-1")
    services.cancel_episode(by=receptionist, episode=first, reason="Registered twice")
    second = checked_in(hospital.patient, receptionist)
    with pytest.raises(IntegrityError), transaction.atomic():
        Episode.objects.filter(pk=first.pk).update(status=EpisodeStatus.PENDING)
    # closed episodes hold no key: any number of them sit beside the open one
    for number in ("X-2", "X-3"):
        episode_row(hospital.patient, number, status=EpisodeStatus.CANCELLED)
    keys = dict(Episode.objects.filter(patient=hospital.patient).values_list("pk", "open_patient"))
    assert keys[second.pk] == hospital.patient.pk
    assert [key for pk, key in keys.items() if pk != second.pk] == [None, None, None]


def test_the_open_episode_key_follows_the_patient_when_records_are_merged(hospital, receptionist, clock):
    from hayat.patients.tests.factories import PatientFactory

    other = PatientFactory()
    moved = checked_in(other, receptionist)
    Episode.objects.filter(pk=moved.pk).update(patient=hospital.patient)
    assert Episode.objects.get(pk=moved.pk).open_patient == hospital.patient.pk
    with pytest.raises(IntegrityError), transaction.atomic():
        episode_row(hospital.patient, "X-4")


def test_the_database_refuses_a_second_open_bed_assignment_of_a_patient(hospital, receptionist, clock):
    episode = documented(checked_in(hospital.patient, receptionist), hospital.cardiologist)
    services.complete_coding(by=hospital.coder, episode=episode, bed=hospital.bed1)
    earlier = episode_row(hospital.patient, "X-5", status=EpisodeStatus.CANCELLED)
    fields = {"episode": earlier, "bed": hospital.bed2, "started_at": clock.now(), "hourly_rate": 1,
              "started_by": hospital.coder, "open_bed": hospital.bed2.pk, "open_episode": earlier.pk}
    with pytest.raises(IntegrityError), transaction.atomic():
        BedAssignment.objects.create(open_patient_id=hospital.patient.pk, **fields)
    # the key is there while the assignment is open, and only then
    with pytest.raises(IntegrityError), transaction.atomic():
        BedAssignment.objects.create(open_patient=None, **fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        BedAssignment.objects.create(**{**fields, "open_bed": None, "open_episode": None},
                                     ended_at=clock.now(), ended_reason="transfer", open_patient_id=hospital.patient.pk)
    assert BedAssignment.objects.get(open_patient=hospital.patient.pk).episode == episode
    clock.advance(hours=2)
    services.discharge(by=hospital.cardiologist, episode=episode, disposition="discharged", result="recovered")
    assert not BedAssignment.objects.filter(open_patient__isnull=False).exists()


@pytest.mark.django_db(transaction=True)
def test_the_upgrade_keys_open_assignments_and_stops_at_a_patient_with_two_open_episodes(hospital, receptionist,
                                                                                         clock):
    cancelled = checked_in(hospital.patient, receptionist)
    services.cancel_episode(by=receptionist, episode=cancelled, reason="Registered twice")
    episode = documented(checked_in(hospital.patient, receptionist), hospital.cardiologist)
    services.complete_coding(by=hospital.coder, episode=episode, bed=hospital.bed1)
    before, latest = [("clinical", "0002_open_keys_not_null")], [("clinical", "0005_open_patient_follows_merges")]
    try:
        migrate(before)
        Episode.objects.filter(pk=cancelled.pk).update(status=EpisodeStatus.PENDING)
        with pytest.raises(RuntimeError, match=f"{cancelled.case_number}, {episode.case_number}"):
            migrate(latest)
        Episode.objects.filter(pk=cancelled.pk).update(status=EpisodeStatus.CANCELLED)
    finally:
        migrate(latest)
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())  # the apps whose migrations followed
    assert BedAssignment.objects.get(episode=episode).open_patient_id == hospital.patient.pk
    assert Episode.objects.get(pk=episode.pk).open_patient == hospital.patient.pk


def migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
