"""Bad input at every door of the episode app gets a clear answer and changes nothing: bodies that are not
JSON objects, ids no database column holds, digits that are not ASCII."""

import pytest
from django.urls import reverse

from hayat.clinical import services
from hayat.clinical.models import Episode, Vitals
from hayat.clinical.tests.factories import checked_in
from hayat.core.errors import DomainError

pytestmark = pytest.mark.django_db

HUGE = "9" * 30


@pytest.fixture
def pending(clock, hospital, receptionist):
    return checked_in(hospital.patient, receptionist)


def detail_url(episode, name: str = "episode-detail") -> str:
    return reverse(name, kwargs={"pk": episode.pk})


@pytest.mark.parametrize("body", [["chief_complaint", "x"], "chief_complaint", 7])
def test_a_body_that_is_not_a_json_object_is_a_clear_400_on_change_and_vitals(body, pending, hospital, nurse,
                                                                              api_as):
    changed = api_as(hospital.cardiologist).patch(detail_url(pending), body, format="json")
    vitals = api_as(nurse).post(detail_url(pending, "episode-vitals"), body, format="json")
    for response in (changed, vitals):
        assert response.status_code == 400
        assert response.json() == {"detail": "Send the fields as one JSON object of names and values.",
                                   "code": "not_an_object"}
    pending.refresh_from_db()
    assert pending.chief_complaint == "" and not Vitals.objects.exists()


def test_a_check_in_or_a_code_removal_with_a_list_body_is_a_400(pending, hospital, receptionist, api_as):
    check_in = api_as(receptionist).post(reverse("episode-list"), [{"patient": hospital.patient.pk}], format="json")
    assert check_in.status_code == 400 and check_in.json()["code"] == "not_an_object"
    coded = services.add_diagnosis(by=hospital.cardiologist, episode=pending, code="I21.4", rank="principal")
    removal = api_as(hospital.cardiologist).delete(
        reverse("episode-diagnosis", kwargs={"pk": pending.pk, "diagnosis_pk": coded.pk}), ["reason"],
        format="json")
    assert removal.status_code == 400 and removal.json()["code"] == "not_an_object"
    assert Episode.objects.count() == 1 and pending.diagnoses.count() == 1


@pytest.mark.parametrize("parameter", ["physician", "department"])
@pytest.mark.parametrize("value", [HUGE, "²", "-3", "0"])
def test_the_api_list_answers_400_for_an_id_no_column_holds(parameter, value, pending, doctor, api_as):
    response = api_as(doctor).get(reverse("episode-list"), {parameter: value})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [parameter]


def test_the_api_list_still_filters_by_a_real_id(pending, hospital, doctor, api_as):
    from hayat.clinical.tests.factories import documented

    documented(pending, hospital.cardiologist)
    found = api_as(doctor).get(reverse("episode-list"), {"physician": hospital.cardiologist.pk}).json()
    assert [item["case_number"] for item in found["results"]] == [pending.case_number]
    assert api_as(doctor).get(reverse("episode-list"), {"physician": hospital.cardiologist2.pk}).json()["count"] == 0


@pytest.mark.parametrize("parameter", ["physician", "department"])
def test_the_episode_list_page_ignores_an_impossible_id(parameter, pending, doctor, client_as):
    response = client_as(doctor).get(reverse("clinical:episode_list"), {parameter: HUGE})
    assert response.status_code == 200 and pending.case_number in response.content.decode()


@pytest.mark.parametrize("value", [HUGE, "²", "١"])
def test_the_check_in_page_ignores_a_patient_id_that_is_not_one(value, hospital, receptionist, client_as):
    response = client_as(receptionist).get(reverse("clinical:episode_create"), {"patient": value})
    assert response.status_code == 200 and response.context["patient"] is None
    real = client_as(receptionist).get(reverse("clinical:episode_create"), {"patient": hospital.patient.pk})
    assert real.context["patient"] == hospital.patient


@pytest.mark.parametrize("value", ["²", HUGE, "1.0", True])
def test_an_attending_physician_that_is_not_an_id_is_refused_by_name(value, pending, hospital):
    with pytest.raises(DomainError) as refused:
        services.update_episode(by=hospital.cardiologist, episode=pending, fields={"attending_physician": value})
    assert refused.value.field == "attending_physician"
    pending.refresh_from_db()
    assert pending.attending_physician is None


def test_the_api_refuses_a_superscript_physician_id_with_400(pending, hospital, api_as):
    response = api_as(hospital.cardiologist).patch(detail_url(pending), {"attending_physician": "²"}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"attending_physician": ["The attending physician must be an active doctor."]}
