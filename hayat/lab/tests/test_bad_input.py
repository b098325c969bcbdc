"""Ids and dates typed into the laboratory's query strings never end in a server error: the pages ignore what
is not an id or a sane date, the API names the bad parameter with a 400."""

import pytest
from django.urls import reverse

from hayat.lab.tests.factories import make_result

pytestmark = pytest.mark.django_db

HUGE = "9" * 30
FILTERS = ["patient", "episode", "booking", "test_type"]


@pytest.fixture
def result(doctor, patient, cbc):
    return make_result(by=doctor, patient=patient, test_type=cbc, summary="Hb 135 g/L")


@pytest.mark.parametrize("parameter", FILTERS)
@pytest.mark.parametrize("value", [HUGE, "²"])
def test_the_result_list_ignores_an_id_no_column_holds(parameter, value, doctor, client_as, result):
    response = client_as(doctor).get(reverse("lab:result_list"), {parameter: value})
    assert response.status_code == 200 and result.code in response.content.decode()


@pytest.mark.parametrize("parameter", FILTERS)
def test_the_api_list_answers_400_naming_an_id_no_column_holds(parameter, doctor, api_as, result):
    response = api_as(doctor).get(reverse("lab-result-list"), {parameter: HUGE})
    assert response.status_code == 400 and list(response.json()["errors"]) == [parameter]


def test_the_api_list_answers_400_for_dates_beyond_the_calendar_it_computes_with(doctor, api_as, result):
    for parameter, value in (("performed_to", "9999-12-31"), ("performed_from", "0001-01-01")):
        response = api_as(doctor).get(reverse("lab-result-list"), {parameter: value})
        assert response.status_code == 400 and list(response.json()["errors"]) == [parameter]


def test_the_result_list_ignores_a_date_at_the_end_of_the_calendar(doctor, client_as, result):
    response = client_as(doctor).get(reverse("lab:result_list"), {"to": "9999-12-31"})
    assert response.status_code == 200 and result.code in response.content.decode()


@pytest.mark.parametrize("value", ["²", "١٢", HUGE])
def test_searching_for_a_number_that_is_not_an_id_finds_nothing_without_failing(value, doctor, client_as, result):
    response = client_as(doctor).get(reverse("lab:result_list"), {"q": value})
    assert response.status_code == 200 and result.code not in response.content.decode()


@pytest.mark.parametrize("value", ["²", HUGE])
def test_the_new_result_pages_ignore_a_patient_id_that_is_not_one(value, doctor, client_as, patient):
    client = client_as(doctor)
    page = client.get(reverse("lab:result_create"), {"patient": value})
    assert page.status_code == 200 and page.context["patient"] is None
    links = client.get(reverse("lab:patient_links"), {"patient": value})
    assert links.status_code == 200
    assert list(links.context["form"].fields["episode"].queryset) == []
    assert client.get(reverse("lab:result_create"), {"patient": patient.pk}).context["patient"] == patient


@pytest.mark.parametrize("moment", ["0001-01-01T00:00:00", "9999-12-31T23:59:00"])
def test_a_result_performed_at_the_ends_of_the_calendar_is_a_field_error(moment, doctor, api_as, patient, cbc):
    response = api_as(doctor).post(reverse("lab-result-list"), {
        "patient": patient.pk, "test_type": cbc.pk, "performed_at": moment, "summary": "Hb 135 g/L"}, format="json")
    assert response.status_code == 400 and list(response.json()["errors"]) == ["performed_at"]
    assert not patient.lab_results.exists()
