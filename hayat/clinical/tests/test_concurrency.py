"""Parallel requests on real connections: one bed, ten coders; ten receptionists, unique case numbers."""

import pytest

from hayat.clinical import services
from hayat.clinical.beds import BedTaken
from hayat.clinical.models import BedAssignment, Episode, EpisodeStatus
from hayat.clinical.tests.factories import checked_in, documented
from hayat.core.errors import Conflict
from hayat.core.tests.concurrency import run_in_parallel
from hayat.patients.tests.factories import PatientFactory

PARALLEL = 10


@pytest.mark.django_db(transaction=True)
def test_last_free_bed_goes_to_exactly_one_of_ten_parallel_admissions(hospital, receptionist):
    episodes = [documented(checked_in(PatientFactory(), receptionist), hospital.cardiologist) for _ in range(PARALLEL)]
    bed = hospital.bed1

    def admit(index: int):
        return services.complete_coding(by=hospital.coder, episode=episodes[index], bed=bed)

    outcomes = run_in_parallel(admit, PARALLEL)
    winners = [outcome for outcome in outcomes if isinstance(outcome, Episode)]
    losers = [outcome for outcome in outcomes if not isinstance(outcome, Episode)]
    assert len(winners) == 1, outcomes
    assert all(isinstance(outcome, BedTaken) for outcome in losers), losers
    assert all("occupied" in outcome.message or "just taken" in outcome.message for outcome in losers)
    assert BedAssignment.objects.filter(bed=bed).count() == 1
    assert Episode.objects.filter(status=EpisodeStatus.ADMITTED).count() == 1
    assert Episode.objects.filter(status=EpisodeStatus.READY_FOR_CODING).count() == PARALLEL - 1


@pytest.mark.django_db(transaction=True)
def test_parallel_check_ins_get_distinct_case_numbers(hospital, receptionist):
    patients = [PatientFactory() for _ in range(PARALLEL)]

    def check_in(index: int):
        return checked_in(patients[index], receptionist)

    outcomes = run_in_parallel(check_in, PARALLEL)
    assert all(isinstance(outcome, Episode) for outcome in outcomes), outcomes
    assert len({episode.case_number for episode in outcomes}) == PARALLEL
    assert len({episode.hospital_case_number for episode in outcomes}) == PARALLEL


@pytest.mark.django_db(transaction=True)
def test_one_patient_checked_in_twice_at_once_gets_one_episode(hospital, receptionist):
    outcomes = run_in_parallel(lambda index: checked_in(hospital.patient, receptionist), 4)
    assert sum(isinstance(outcome, Episode) for outcome in outcomes) == 1
    assert all(isinstance(outcome, Conflict) for outcome in outcomes if not isinstance(outcome, Episode))


@pytest.mark.django_db(transaction=True)
def test_one_bed_posted_by_five_coders_through_the_api_admits_exactly_one(hospital, receptionist):
    from django.urls import reverse
    from rest_framework.test import APIClient

    episodes = [documented(checked_in(PatientFactory(), receptionist), hospital.cardiologist) for _ in range(5)]

    def admit(index: int) -> int:
        client = APIClient()
        client.force_authenticate(hospital.coder)
        url = reverse("episode-code", kwargs={"pk": episodes[index].pk})
        return client.post(url, {"bed": hospital.bed1.pk}, format="json").status_code

    answers = sorted(run_in_parallel(admit, 5))
    assert answers == [200, 409, 409, 409, 409], answers
    assert BedAssignment.objects.filter(bed=hospital.bed1).count() == 1
