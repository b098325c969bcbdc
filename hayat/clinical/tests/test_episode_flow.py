"""The hospital flow, phase by phase, each step by the role the spec gives it."""

import re

import pytest

from hayat.clinical import selectors, services
from hayat.clinical.models import BedAssignment, Episode, EpisodeStatus, EpisodeStatusChange
from hayat.clinical.signals import episode_status_changed
from hayat.clinical.tests.factories import checked_in, documented
from hayat.core.errors import Conflict, DomainError
from hayat.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_inpatient_goes_from_reception_to_discharge(hospital, receptionist, nurse, clock):
    episode = checked_in(hospital.patient, receptionist, emergency_contact_name="Karim (son)")
    assert episode.status == EpisodeStatus.PENDING
    assert re.fullmatch(r"C-2026-\d{6}", episode.case_number)
    assert re.fullmatch(r"H-2026-\d{6}", episode.hospital_case_number)

    services.record_vitals(by=nurse, episode=episode, values={"systolic": 150, "diastolic": 95, "pulse": 104,
                                                               "temperature": "37.2"})
    clock.advance(minutes=20)
    documented(episode, hospital.cardiologist)
    episode.refresh_from_db()
    assert episode.status == EpisodeStatus.READY_FOR_CODING
    assert episode.department == hospital.cardiology

    clock.advance(minutes=30)
    services.complete_coding(by=hospital.coder, episode=episode, bed=hospital.bed1)
    episode.refresh_from_db()
    assert episode.status == EpisodeStatus.ADMITTED and episode.coded_by == hospital.coder
    assignment = BedAssignment.objects.get(episode=episode)
    assert assignment.bed == hospital.bed1 and assignment.hourly_rate == hospital.room.hourly_rate
    assert assignment.open_bed == hospital.bed1.pk

    clock.advance(days=3)
    services.discharge(by=hospital.cardiologist, episode=episode, disposition="discharged", result="improved",
                       note="Stable, follow up in cardiology clinic in one week")
    episode.refresh_from_db()
    assignment.refresh_from_db()
    assert episode.status == EpisodeStatus.DISCHARGED and episode.discharged_at == clock.now()
    assert assignment.ended_at == clock.now() and assignment.open_bed is None and assignment.ended_reason == "discharge"
    assert [change.to_status for change in selectors.status_changes(episode)] == [
        "pending", "ready_for_coding", "admitted", "discharged"]
    assert AuditEvent.objects.filter(action="episode.discharge", patient_id=hospital.patient.pk).exists()


def test_outpatient_is_coded_without_a_bed_and_can_be_discharged(hospital, receptionist):
    episode = checked_in(hospital.patient, receptionist, intended_admission_type="outpatient")
    documented(episode, hospital.cardiologist, code="I10", admission_type="outpatient")
    services.complete_coding(by=hospital.coder, episode=episode)
    episode.refresh_from_db()
    assert episode.status == EpisodeStatus.OUTPATIENT and not episode.bed_assignments.exists()
    services.discharge(by=hospital.cardiologist, episode=episode, disposition="discharged", result="recovered")
    assert Episode.objects.get(pk=episode.pk).status == EpisodeStatus.DISCHARGED


def test_returning_patient_gets_a_new_episode_and_numbers_with_history_linked(hospital, receptionist):
    first = checked_in(hospital.patient, receptionist)
    services.cancel_episode(by=receptionist, episode=first, reason="Registered twice by mistake")
    second = checked_in(hospital.patient, receptionist)
    assert second.pk != first.pk
    assert second.case_number != first.case_number
    assert second.hospital_case_number != first.hospital_case_number
    assert list(selectors.patient_episodes(hospital.patient.pk)) == [second, first]


def test_a_patient_returning_after_a_discharge_gets_a_new_episode_numbers_and_bill(hospital, receptionist, clock):
    from hayat.billing.models import Bill, BillStatus

    first = documented(checked_in(hospital.patient, receptionist), hospital.cardiologist)
    services.complete_coding(by=hospital.coder, episode=first, bed=hospital.bed1)
    clock.advance(days=2)
    services.discharge(by=hospital.cardiologist, episode=first, disposition="discharged", result="recovered")
    first_bill = Bill.objects.get(episode=first)
    assert first_bill.status == BillStatus.INVOICED
    invoiced = (first_bill.number, first_bill.items_total, first_bill.items.count())
    assert first_bill.items.filter(bed_assignment__episode=first).exists()

    clock.advance(days=30)
    second = documented(checked_in(hospital.patient, receptionist), hospital.cardiologist, code="I10",
                        admission_type="outpatient")
    services.complete_coding(by=hospital.coder, episode=second)

    assert second.pk != first.pk and Episode.objects.get(pk=first.pk).status == EpisodeStatus.DISCHARGED
    assert second.case_number != first.case_number
    assert second.hospital_case_number != first.hospital_case_number
    second_bill = Bill.objects.get(episode=second)
    assert second_bill.pk != first_bill.pk and second_bill.number != first_bill.number
    assert second_bill.patient == first_bill.patient == hospital.patient
    assert second_bill.status == BillStatus.PENDING
    assert not second_bill.items.filter(bed_assignment__isnull=False).exists()
    first_bill.refresh_from_db()
    assert (first_bill.number, first_bill.items_total, first_bill.items.count()) == invoiced
    assert first_bill.status == BillStatus.INVOICED
    assert list(selectors.patient_episodes(hospital.patient.pk)) == [second, first]


def test_a_patient_with_an_open_episode_cannot_be_checked_in_again(hospital, receptionist):
    open_episode = checked_in(hospital.patient, receptionist)
    with pytest.raises(Conflict, match=open_episode.case_number):
        checked_in(hospital.patient, receptionist)


def test_check_in_snapshots_insurance_and_emergency_contact_from_the_patient(hospital, receptionist):
    patient = hospital.patient
    patient.hmo_name, patient.hmo_number, patient.emergency_contact_phone = "Maxicare", "MX-7788", "+998901112233"
    patient.save()
    episode = checked_in(patient, receptionist)
    assert (episode.insurance_hmo_name, episode.insurance_hmo_number) == ("Maxicare", "MX-7788")
    assert episode.emergency_contact_phone == "+998901112233"
    patient.hmo_name = "Intellicare"
    patient.save()
    episode.refresh_from_db()
    assert episode.insurance_hmo_name == "Maxicare"


def test_reason_for_visit_is_required_and_distinct_from_the_chief_complaint(hospital, receptionist):
    with pytest.raises(DomainError) as refused:
        services.register_episode(by=receptionist, patient=hospital.patient, fields={"reason_for_visit": "  "})
    assert refused.value.field == "reason_for_visit"
    episode = checked_in(hospital.patient, receptionist, reason_for_visit="My chest hurts")
    assert episode.reason_for_visit == "My chest hurts" and episode.chief_complaint == ""


def test_status_signal_is_sent_inside_the_transaction_for_every_change(hospital, receptionist):
    seen = []

    def receiver(sender, episode, from_status, to_status, by, **kwargs):
        from django.db import connection

        seen.append((from_status, to_status, by, connection.in_atomic_block))

    episode_status_changed.connect(receiver)
    try:
        episode = checked_in(hospital.patient, receptionist)
        documented(episode, hospital.cardiologist)
        services.complete_coding(by=hospital.coder, episode=episode, bed=hospital.bed1)
    finally:
        episode_status_changed.disconnect(receiver)
    assert [(f, t, by) for f, t, by, _ in seen] == [
        ("", "pending", receptionist), ("pending", "ready_for_coding", hospital.cardiologist),
        ("ready_for_coding", "admitted", hospital.coder)]
    assert all(inside for *_, inside in seen)


def test_a_failing_signal_receiver_rolls_the_change_back(hospital, receptionist):
    episode = checked_in(hospital.patient, receptionist)
    documented(episode, hospital.cardiologist)

    def failing(**kwargs):
        raise DomainError("The bill could not be opened.")

    episode_status_changed.connect(failing)
    try:
        with pytest.raises(DomainError):
            services.complete_coding(by=hospital.coder, episode=episode, bed=hospital.bed1)
    finally:
        episode_status_changed.disconnect(failing)
    episode.refresh_from_db()
    assert episode.status == EpisodeStatus.READY_FOR_CODING
    assert not BedAssignment.objects.exists()
    assert EpisodeStatusChange.objects.filter(episode=episode).count() == 2


def test_teller_may_code_and_admit_like_a_coder(hospital, receptionist, teller):
    episode = checked_in(hospital.patient, receptionist)
    documented(episode, hospital.cardiologist)
    services.complete_coding(by=teller, episode=episode, bed=hospital.bed2)
    assert Episode.objects.get(pk=episode.pk).status == EpisodeStatus.ADMITTED


def test_coder_returns_a_case_to_the_doctor_with_a_reason(hospital, receptionist):
    episode = checked_in(hospital.patient, receptionist)
    documented(episode, hospital.cardiologist)
    with pytest.raises(DomainError):
        services.return_to_doctor(by=hospital.coder, episode=episode, reason=" ")
    services.return_to_doctor(by=hospital.coder, episode=episode, reason="Principal code does not fit the notes")
    episode.refresh_from_db()
    assert episode.status == EpisodeStatus.PENDING
    assert selectors.status_changes(episode).last().reason == "Principal code does not fit the notes"
