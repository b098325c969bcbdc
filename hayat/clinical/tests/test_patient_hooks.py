"""Clinical's answers to patient merges and anonymisation: one open episode per patient survives a merge, and
an anonymised patient's insurance and emergency contact leave the episodes that copied them."""

import pytest

from hayat.clinical import services
from hayat.clinical.models import BedAssignment, Episode
from hayat.clinical.tests.factories import checked_in, documented
from hayat.core.errors import Conflict
from hayat.core.models import AuditEvent
from hayat.patients import merging
from hayat.patients import services as patients
from hayat.patients.models import Patient
from hayat.patients.tests.factories import PatientFactory

pytestmark = pytest.mark.django_db

INSURED = {"philhealth_number": "123456789012", "hmo_name": "Maxicare", "hmo_number": "HMO778899",
           "emergency_contact_name": "Dilshod Yusupov", "emergency_contact_phone": "+998907654321"}


def test_a_merge_of_two_patients_with_open_episodes_is_refused_and_changes_nothing(receptionist):
    survivor, merged = PatientFactory(), PatientFactory()
    kept, going = checked_in(survivor, receptionist), checked_in(merged, receptionist)

    with pytest.raises(Conflict) as refused:
        merging.merge(by=receptionist, survivor=survivor, merged=merged)

    assert refused.value.code == "merge_two_open_episodes"
    assert kept.case_number in refused.value.message and going.case_number in refused.value.message
    assert Episode.objects.get(pk=going.pk).patient_id == merged.pk
    assert Patient.objects.get(pk=merged.pk).merged_into_id is None


def test_a_merge_with_one_open_episode_moves_it(receptionist):
    survivor, merged = PatientFactory(), PatientFactory()
    episode = checked_in(merged, receptionist)
    merging.merge(by=receptionist, survivor=survivor, merged=merged)
    assert Episode.objects.get(pk=episode.pk).patient_id == survivor.pk


def test_a_merge_moves_the_open_bed_key_and_undoing_it_moves_it_back(hospital, receptionist):
    survivor = PatientFactory()
    episode = documented(checked_in(hospital.patient, receptionist), hospital.cardiologist)
    services.complete_coding(by=hospital.coder, episode=episode, bed=hospital.bed1)
    merging.merge(by=receptionist, survivor=survivor, merged=hospital.patient)
    assert BedAssignment.objects.get(episode=episode).open_patient_id == survivor.pk
    merging.unmerge(by=receptionist, merged=hospital.patient)
    assert BedAssignment.objects.get(episode=episode).open_patient_id == hospital.patient.pk


def test_a_cancelled_episode_does_not_stop_the_merge(receptionist):
    survivor, merged = PatientFactory(), PatientFactory()
    checked_in(survivor, receptionist)
    cancelled = services.cancel_episode(by=receptionist, episode=checked_in(merged, receptionist),
                                        reason="registered twice")
    merging.merge(by=receptionist, survivor=survivor, merged=merged)
    assert Episode.objects.filter(patient=survivor).count() == 2 and not Episode.objects.get(pk=cancelled.pk).is_open


def test_anonymising_blanks_the_copied_insurance_and_contact_in_the_episode_and_its_history(receptionist,
                                                                                           admin_user):
    patient = PatientFactory(**INSURED)
    episode = checked_in(patient, receptionist, reason_for_visit="Sent by Dr. Karimov; call 90 765 43 21")
    assert Episode.objects.get(pk=episode.pk).insurance_hmo_number == "HMO778899"

    patients.anonymise(by=admin_user, patient=patient, reason="request 2026/17")

    for row in [Episode.objects.get(pk=episode.pk), *Episode.history.filter(id=episode.pk)]:
        assert (row.insurance_philhealth_number, row.insurance_hmo_name, row.insurance_hmo_number,
                row.emergency_contact_name, row.emergency_contact_phone) == ("", "", "", "", "")
        assert row.reason_for_visit == "Sent by Dr. Karimov; call (anonymised)"
    registration = AuditEvent.objects.get(action="episode.register", object_id=str(episode.pk))
    assert "HMO778899" not in str(registration.changes) and "Maxicare" not in str(registration.changes)
    assert Episode.objects.get(pk=episode.pk).case_number == episode.case_number


def test_episodes_of_other_patients_keep_their_copies(receptionist, admin_user):
    patient, other = PatientFactory(**INSURED), PatientFactory(**INSURED)
    checked_in(patient, receptionist)
    theirs = checked_in(other, receptionist)
    patients.anonymise(by=admin_user, patient=patient, reason="request 2026/17")
    assert Episode.objects.get(pk=theirs.pk).insurance_hmo_number == "HMO778899"
