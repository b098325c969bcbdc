"""The role × phase allow-list: refused fields are named, never dropped silently."""

import pytest
from django.core.exceptions import PermissionDenied

from hayat.clinical import beds, field_access, services
from hayat.clinical.models import Episode, EpisodeStatus
from hayat.clinical.tests.factories import checked_in, documented
from hayat.core import policy
from hayat.core.errors import FieldsRefused
from hayat.core.roles import Role

pytestmark = pytest.mark.django_db


def test_receptionist_cannot_set_clinical_fields_at_check_in(hospital, receptionist):
    with pytest.raises(FieldsRefused) as refused:
        services.register_episode(by=receptionist, patient=hospital.patient, fields={
            "reason_for_visit": "Cough", "chief_complaint": "Productive cough", "attending_physician": 1})
    assert refused.value.fields == ["attending_physician", "chief_complaint"]
    assert "chief complaint" in refused.value.message and "attending physician" in refused.value.message
    assert not Episode.objects.exists()


def test_receptionist_cannot_set_icd_codes_or_clinical_fields_later(hospital, receptionist):
    episode = checked_in(hospital.patient, receptionist)
    with pytest.raises(FieldsRefused) as refused:
        services.update_episode(by=receptionist, episode=episode, fields={"treatment_plan": "Rest"})
    assert refused.value.fields == ["treatment_plan"]
    with pytest.raises(FieldsRefused) as refused:
        services.add_diagnosis(by=receptionist, episode=episode, code="I10", rank="principal")
    assert refused.value.fields == ["icd_codes"]
    services.update_episode(by=receptionist, episode=episode, fields={"reason_for_visit": "Chest pain, worse"})


def test_nurse_records_vitals_but_not_the_chief_complaint(hospital, receptionist, nurse):
    episode = checked_in(hospital.patient, receptionist)
    services.record_vitals(by=nurse, episode=episode, values={"pulse": 88})
    with pytest.raises(FieldsRefused) as refused:
        services.update_episode(by=nurse, episode=episode, fields={"chief_complaint": "Pain", "pulse": 90})
    assert refused.value.fields == ["chief_complaint", "pulse"]


def test_doctor_cannot_change_documentation_while_the_case_is_with_coding(hospital, receptionist):
    episode = checked_in(hospital.patient, receptionist)
    documented(episode, hospital.cardiologist)
    with pytest.raises(FieldsRefused) as refused:
        services.update_episode(by=hospital.cardiologist, episode=episode, fields={"chief_complaint": "Other"})
    assert refused.value.fields == ["chief_complaint"]
    assert "ready for coding" in refused.value.message


def test_coder_cannot_write_clinical_notes_or_the_admission_decision(hospital, receptionist):
    episode = checked_in(hospital.patient, receptionist)
    with pytest.raises(FieldsRefused):
        services.add_diagnosis(by=hospital.coder, episode=episode, code="I10", rank="principal")
    documented(episode, hospital.cardiologist)
    with pytest.raises(FieldsRefused) as refused:
        services.update_episode(by=hospital.coder, episode=episode,
                                fields={"admission_type": "outpatient", "physical_examination": "Normal"})
    assert refused.value.fields == ["admission_type", "physical_examination"]
    services.update_episode(by=hospital.coder, episode=episode, fields={"attending_physician": hospital.cardiologist2})


def test_admin_writes_nothing_clinical(hospital, receptionist, admin_user):
    episode = checked_in(hospital.patient, receptionist)
    with pytest.raises(FieldsRefused):
        services.update_episode(by=admin_user, episode=episode, fields={"reason_for_visit": "x"})
    with pytest.raises(FieldsRefused):
        services.record_vitals(by=admin_user, episode=episode, values={"pulse": 80})


def test_nurse_cannot_discharge(hospital, receptionist, nurse):
    episode = checked_in(hospital.patient, receptionist)
    documented(episode, hospital.cardiologist)
    services.complete_coding(by=hospital.coder, episode=episode, bed=hospital.bed1)
    with pytest.raises(FieldsRefused) as refused:
        services.discharge(by=nurse, episode=episode, disposition="discharged", result="improved")
    assert set(refused.value.fields) == {"disposition", "result", "discharge_note"}
    assert Episode.objects.get(pk=episode.pk).status == EpisodeStatus.ADMITTED


def test_the_table_lists_only_known_roles_phases_and_fields():
    known = (field_access.RECEPTION | field_access.DOCUMENTATION | field_access.DISCHARGE
             | {field_access.ICD_CODES, field_access.VITALS, field_access.BED})
    phases = set(EpisodeStatus.values) | {field_access.REGISTRATION}
    for (role, phase), fields in field_access.FIELD_ACCESS.items():
        assert role in Role.values and phase in phases
        assert fields <= known, fields - known
    assert not any(fields for (role, _), fields in field_access.FIELD_ACCESS.items() if role == Role.ADMIN)
    assert all(name in field_access.LABELS or Episode._meta.get_field(name) for name in known)


# Beds after admission: the table and the policy name the same roles ---------------------------------------

FIRST_BED_AFTER_ADMISSION = {Role.CODER, Role.TELLER}
TRANSFER = {Role.DOCTOR, Role.NURSE, Role.CODER}


def admitted_in(hospital, receptionist, bed):
    episode = documented(checked_in(hospital.patient, receptionist), hospital.cardiologist)
    return services.complete_coding(by=hospital.coder, episode=episode, bed=bed)


@pytest.mark.parametrize("role", Role.values)
def test_a_bedless_inpatient_gets_a_bed_from_exactly_the_roles_the_policy_allows(role, hospital, receptionist,
                                                                                 make_user, clock, client_as):
    episode = admitted_in(hospital, receptionist, hospital.bed1)
    beds.end(beds.open_assignment(episode), at=clock.now(), by=hospital.coder, reason=beds.TRANSFER)
    user = make_user(role, user_id=f"bed-{role}")
    assert policy.can(user, "episodes.assign_bed") is (role in FIRST_BED_AFTER_ADMISSION)
    page = client_as(user).get(episode.get_absolute_url()).content.decode()
    if role in FIRST_BED_AFTER_ADMISSION:
        assert 'id="assign-bed"' in page
        services.assign_bed(by=user, episode=episode, bed=hospital.bed2)
        assert beds.open_assignment(episode).bed == hospital.bed2
    else:
        assert 'id="assign-bed"' not in page
        with pytest.raises((FieldsRefused, PermissionDenied)):
            services.assign_bed(by=user, episode=episode, bed=hospital.bed2)
        assert beds.open_assignment(episode) is None


@pytest.mark.parametrize("role", Role.values)
def test_an_inpatient_is_transferred_by_exactly_the_roles_the_policy_allows(role, hospital, receptionist, make_user,
                                                                           clock, client_as):
    episode = admitted_in(hospital, receptionist, hospital.bed1)
    user = make_user(role, user_id=f"transfer-{role}")
    assert policy.can(user, "episodes.transfer") is (role in TRANSFER)
    page = client_as(user).get(episode.get_absolute_url()).content.decode()
    if role in TRANSFER:
        assert 'id="transfer"' in page
        services.transfer(by=user, episode=episode, bed=hospital.bed2)
        assert beds.open_assignment(episode).bed == hospital.bed2
    else:
        assert 'id="transfer"' not in page
        with pytest.raises((FieldsRefused, PermissionDenied)):
            services.transfer(by=user, episode=episode, bed=hospital.bed2)
        assert beds.open_assignment(episode).bed == hospital.bed1


@pytest.mark.parametrize("phase", [EpisodeStatus.READY_FOR_CODING, EpisodeStatus.ADMITTED])
def test_the_bed_entries_of_the_table_are_the_roles_of_the_policys_bed_capabilities(phase):
    capabilities = field_access.BED_CAPABILITIES[phase]
    for role in Role.values:
        by_policy = any(role in policy.roles_for(capability) for capability in capabilities)
        assert (field_access.BED in field_access.allowed_fields(role, phase)) is by_policy, role
