"""Refused transitions: ready_for_coding is never skipped, finished episodes stay finished."""

from datetime import timedelta

import pytest

from hayat.clinical import services
from hayat.clinical.lifecycle import EPISODE, transition
from hayat.clinical.models import Episode, EpisodeStatus
from hayat.clinical.tests.factories import checked_in, documented
from hayat.core.errors import Conflict, DomainError
from hayat.core.lifecycle import IllegalTransition
from hayat.patients.tests.factories import PatientFactory

pytestmark = pytest.mark.django_db
S = EpisodeStatus


def test_every_status_is_in_the_table_and_finished_ones_lead_nowhere():
    assert set(EPISODE.allowed) == set(S.values)
    assert EPISODE.allowed_from(S.DISCHARGED) == EPISODE.allowed_from(S.CANCELLED) == frozenset()
    assert S.ADMITTED not in EPISODE.allowed_from(S.PENDING)
    assert S.OUTPATIENT not in EPISODE.allowed_from(S.PENDING)


def test_coding_cannot_skip_ready_for_coding(hospital, receptionist):
    episode = checked_in(hospital.patient, receptionist)
    with pytest.raises(IllegalTransition):
        services.complete_coding(by=hospital.coder, episode=episode, bed=hospital.bed1)
    with pytest.raises(IllegalTransition):
        transition(Episode.objects.get(pk=episode.pk), to=S.ADMITTED, by=hospital.coder)


def test_unknown_status_is_refused(hospital, receptionist):
    episode = checked_in(hospital.patient, receptionist)
    with pytest.raises(IllegalTransition, match="Unknown status"):
        transition(episode, to="ready_for_billing", by=receptionist)


def test_send_to_coding_names_everything_missing(hospital, receptionist):
    episode = checked_in(hospital.patient, receptionist)
    with pytest.raises(DomainError) as refused:
        services.send_to_coding(by=hospital.cardiologist, episode=episode)
    message = refused.value.message
    for part in ("chief complaint", "principal ICD-10 code", "attending physician", "inpatient or outpatient"):
        assert part in message
    assert Episode.objects.get(pk=episode.pk).status == S.PENDING


def test_an_inpatient_needs_a_bed_and_an_outpatient_gets_none(hospital, receptionist):
    inpatient = checked_in(hospital.patient, receptionist)
    documented(inpatient, hospital.cardiologist)
    with pytest.raises(DomainError) as refused:
        services.complete_coding(by=hospital.coder, episode=inpatient)
    assert refused.value.field == "bed"
    other = checked_in(PatientFactory(), receptionist)
    documented(other, hospital.cardiologist, admission_type="outpatient", code="I10")
    with pytest.raises(DomainError, match="outpatient gets no bed"):
        services.complete_coding(by=hospital.coder, episode=other, bed=hospital.bed2)


def test_discharge_only_from_admitted_or_outpatient(hospital, receptionist):
    episode = checked_in(hospital.patient, receptionist)
    with pytest.raises(IllegalTransition):
        services.discharge(by=hospital.cardiologist, episode=episode, disposition="discharged", result="improved")
    documented(episode, hospital.cardiologist)
    with pytest.raises(IllegalTransition):
        services.discharge(by=hospital.cardiologist, episode=episode, disposition="discharged", result="improved")


def test_cancel_needs_a_reason_and_is_refused_after_admission(hospital, receptionist):
    episode = checked_in(hospital.patient, receptionist)
    with pytest.raises(DomainError):
        services.cancel_episode(by=receptionist, episode=episode, reason="")
    documented(episode, hospital.cardiologist)
    services.complete_coding(by=hospital.coder, episode=episode, bed=hospital.bed1)
    with pytest.raises(IllegalTransition):
        services.cancel_episode(by=receptionist, episode=episode, reason="Changed their mind")


def test_discharge_refuses_a_future_time_or_one_before_admission(hospital, receptionist, clock):
    episode = checked_in(hospital.patient, receptionist)
    documented(episode, hospital.cardiologist)
    services.complete_coding(by=hospital.coder, episode=episode, bed=hospital.bed1)
    admitted = Episode.objects.get(pk=episode.pk).admitted_at
    for moment in (clock.now() + timedelta(hours=1), admitted - timedelta(minutes=1)):
        with pytest.raises(DomainError) as refused:
            services.discharge(by=hospital.cardiologist, episode=episode, disposition="discharged",
                               result="improved", discharged_at=moment)
        assert refused.value.field == "discharged_at"


def test_discharge_refuses_unknown_disposition_or_result(hospital, receptionist):
    episode = checked_in(hospital.patient, receptionist)
    documented(episode, hospital.cardiologist)
    services.complete_coding(by=hospital.coder, episode=episode, bed=hospital.bed1)
    with pytest.raises(DomainError) as refused:
        services.discharge(by=hospital.cardiologist, episode=episode, disposition="home", result="improved")
    assert refused.value.field == "disposition"
    with pytest.raises(DomainError) as refused:
        services.discharge(by=hospital.cardiologist, episode=episode, disposition="hama", result="fine")
    assert refused.value.field == "result"


def test_a_second_discharge_is_a_conflict(hospital, receptionist):
    episode = checked_in(hospital.patient, receptionist)
    documented(episode, hospital.cardiologist, code="I10", admission_type="outpatient")
    services.complete_coding(by=hospital.coder, episode=episode)
    services.discharge(by=hospital.cardiologist, episode=episode, disposition="discharged", result="recovered")
    with pytest.raises(Conflict):
        services.discharge(by=hospital.cardiologist, episode=episode, disposition="discharged", result="recovered")
