"""ICD-10 coding by amendment: nothing is edited in place, the history shows every change."""

import pytest

from hayat.clinical import selectors, services
from hayat.clinical.models import DiagnosisAction, EpisodeDiagnosis
from hayat.clinical.tests.factories import checked_in, documented
from hayat.core.errors import Conflict, DomainError

pytestmark = pytest.mark.django_db


@pytest.fixture
def episode(hospital, receptionist):
    return checked_in(hospital.patient, receptionist)


def codes(episode):
    return [(row.icd_code.code, row.rank) for row in selectors.current_diagnoses(episode)]


def test_one_principal_and_several_secondary_codes(hospital, episode):
    doctor = hospital.cardiologist
    services.add_diagnosis(by=doctor, episode=episode, code="i214", rank="principal")
    services.add_diagnosis(by=doctor, episode=episode, code="E11.9", rank="secondary")
    services.add_diagnosis(by=doctor, episode=episode, code="I10")
    assert codes(episode) == [("I21.4", "principal"), ("E11.9", "secondary"), ("I10", "secondary")]
    with pytest.raises(Conflict, match="principal code is already I21.4"):
        services.add_diagnosis(by=doctor, episode=episode, code="I20.0", rank="principal")
    with pytest.raises(Conflict, match="already coded"):
        services.add_diagnosis(by=doctor, episode=episode, code="I10")


def test_unknown_or_inactive_codes_are_refused(hospital, episode):
    with pytest.raises(DomainError, match="Z99.99 is not a code"):
        services.add_diagnosis(by=hospital.cardiologist, episode=episode, code="Z99.99", rank="principal")
    from hayat.clinical.models import IcdCode

    IcdCode.objects.filter(code="I10").update(is_active=False)
    with pytest.raises(DomainError):
        services.add_diagnosis(by=hospital.cardiologist, episode=episode, code="I10", rank="principal")


def test_replacing_a_code_keeps_the_old_row_and_links_the_new_one(hospital, episode):
    original = services.add_diagnosis(by=hospital.cardiologist, episode=episode, code="I21.4", rank="principal")
    documented_episode = episode
    services.update_episode(by=hospital.cardiologist, episode=documented_episode, fields={
        "chief_complaint": "Chest pain", "admission_type": "inpatient", "attending_physician": hospital.cardiologist})
    services.send_to_coding(by=hospital.cardiologist, episode=episode)
    with pytest.raises(DomainError, match="reason"):
        services.replace_diagnosis(by=hospital.coder, episode=episode, diagnosis=original, code="I21.09")
    replacement = services.replace_diagnosis(by=hospital.coder, episode=episode, diagnosis=original, code="I21.09",
                                             reason="ECG shows anterior STEMI")
    original.refresh_from_db()
    assert original.icd_code.code == "I21.4"  # untouched
    assert replacement.amends == original and replacement.action == DiagnosisAction.REPLACED
    assert codes(episode) == [("I21.09", "principal")]
    history = selectors.diagnoses_of(episode)
    assert [(row.icd_code.code, row.action, row.is_current) for row in history] == [
        ("I21.4", "added", False), ("I21.09", "replaced", True)]
    with pytest.raises(Conflict, match="changed in the meantime"):
        services.replace_diagnosis(by=hospital.coder, episode=episode, diagnosis=original, code="I21.3",
                                   reason="again")


def test_removing_a_code_is_a_removal_row(hospital, episode):
    services.add_diagnosis(by=hospital.cardiologist, episode=episode, code="I21.4", rank="principal")
    secondary = services.add_diagnosis(by=hospital.cardiologist, episode=episode, code="I10")
    removal = services.remove_diagnosis(by=hospital.cardiologist, episode=episode, diagnosis=secondary)
    assert removal.action == DiagnosisAction.REMOVED and removal.amends == secondary
    assert codes(episode) == [("I21.4", "principal")]
    assert EpisodeDiagnosis.objects.filter(episode=episode).count() == 3
    with pytest.raises(Conflict):
        services.remove_diagnosis(by=hospital.cardiologist, episode=episode, diagnosis=removal)


def test_the_department_follows_the_principal_code(hospital, episode):
    principal = services.add_diagnosis(by=hospital.cardiologist, episode=episode, code="I21.4", rank="principal")
    episode.refresh_from_db()
    assert episode.department == hospital.cardiology
    services.replace_diagnosis(by=hospital.cardiologist, episode=episode, diagnosis=principal, code="K35.80")
    episode.refresh_from_db()
    assert episode.department == hospital.surgery


def test_coding_requires_billable_codes(hospital, receptionist):
    episode = checked_in(hospital.patient, receptionist)
    documented(episode, hospital.cardiologist, code="I21")
    with pytest.raises(DomainError, match="I21: choose a more specific"):
        services.complete_coding(by=hospital.coder, episode=episode, bed=hospital.bed1)
    principal = selectors.current_diagnoses(episode).get()
    services.replace_diagnosis(by=hospital.coder, episode=episode, diagnosis=principal, code="I21.4",
                               reason="Category refined from the troponin result")
    services.complete_coding(by=hospital.coder, episode=episode, bed=hospital.bed1)


def test_an_amendment_row_must_point_back_in_the_database(hospital, episode, clock):
    from django.db import IntegrityError, transaction

    from hayat.clinical.models import IcdCode

    code = IcdCode.objects.get(code="I10")
    with pytest.raises(IntegrityError), transaction.atomic():
        EpisodeDiagnosis.objects.create(episode=episode, icd_code=code, rank="secondary", action="replaced",
                                        entered_at=clock.now(), entered_by=hospital.cardiologist)
