"""Ids and dates typed by hand into the patient pages and the API: a message next to the field, never a crash.

"²" passes `str.isdigit()`, a twenty-digit number overflows SQLite's integers and 9999-12-31 plus a day
overflows Python's dates; each of these used to answer with a server error.
"""

import pytest

from hayat.patients.models import Patient
from hayat.patients.tests.factories import DistrictFactory, PatientFactory

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"
SUPERSCRIPT = "²"


@pytest.fixture
def desk(client_as, receptionist):
    client = client_as(receptionist)
    client.raise_request_exception = False
    return client


@pytest.fixture
def api(api_as, receptionist):
    client = api_as(receptionist)
    client.raise_request_exception = False
    return client


@pytest.mark.parametrize("field, value", [
    ("region", HUGE), ("region", SUPERSCRIPT), ("registered_from", "0001-01-01"), ("registered_to", "9999-12-31"),
    ("last_visit_from", "9999-12-31"), ("last_visit_to", "9999-12-31"),
])
def test_a_search_filter_out_of_range_is_a_message_on_its_field(desk, field, value):
    response = desk.get("/patients/", {field: value})
    assert response.status_code == 200
    assert field in response.context["form"].errors


def test_the_district_cascade_of_an_impossible_region_offers_no_districts(desk):
    DistrictFactory(name="Chilonzor")
    for region in (HUGE, SUPERSCRIPT, "-1"):
        response = desk.get("/patients/districts/", {"region": region})
        assert response.status_code == 200 and b"Chilonzor" not in response.content


def test_registration_with_an_impossible_region_or_birth_date_is_refused_on_the_field(desk):
    form = {"last_name": "Yusupova", "first_name": "Shahnoza", "gender": "female"}
    response = desk.post("/patients/new/", {**form, "region": HUGE, "district": HUGE})
    assert response.status_code == 200 and "region" in response.context["form"].errors
    response = desk.post("/patients/new/", {**form, "birth_date": "0001-01-01"})
    assert response.status_code == 200 and "birth_date" in response.context["form"].errors
    assert not Patient.objects.exists()


@pytest.mark.parametrize("patient_id", [SUPERSCRIPT, HUGE, "abc"])
def test_the_live_duplicate_hint_ignores_an_unreadable_patient_id(desk, patient_id):
    existing = PatientFactory(first_name="Shahnoza", last_name="Yusupova")
    response = desk.post("/patients/duplicates/", {"last_name": "Yusupova", "first_name": "Shahnoza",
                                                   "patient_id": patient_id})
    assert response.status_code == 200 and existing.code in response.content.decode()


@pytest.mark.parametrize("other", [SUPERSCRIPT, HUGE])
def test_the_merge_page_with_an_unreadable_other_record_shows_no_comparison(desk, other):
    patient = PatientFactory()
    response = desk.get(f"/patients/{patient.pk}/merge/", {"other": other})
    assert response.status_code == 200 and response.context["other"] is None


@pytest.mark.parametrize("field, value", [
    ("region", HUGE), ("district", HUGE), ("region", SUPERSCRIPT), ("registered_from", "0001-01-01"),
    ("registered_to", "9999-12-31"), ("last_visit_from", "9999-12-31"), ("last_visit_to", "9999-12-31"),
])
def test_an_api_search_filter_out_of_range_answers_400_naming_the_field(api, field, value):
    response = api.get("/api/patients/", {field: value})
    assert response.status_code == 400 and field in response.json()["errors"]


def test_the_api_districts_of_an_impossible_region_are_none(api):
    DistrictFactory()
    for region in (HUGE, SUPERSCRIPT):
        response = api.get("/api/districts/", {"region": region})
        assert response.status_code == 200 and response.json()["results"] == []


@pytest.mark.parametrize("exclude", [SUPERSCRIPT, HUGE])
def test_the_api_duplicate_check_ignores_an_unreadable_exclude(api, exclude):
    existing = PatientFactory(first_name="Shahnoza", last_name="Yusupova")
    response = api.post(f"/api/patients/duplicates/?exclude={exclude}",
                        {"last_name": "Yusupova", "first_name": "Shahnoza"}, format="json")
    assert response.status_code == 200
    assert [candidate["patient"]["id"] for candidate in response.json()["candidates"]] == [existing.pk]


def test_an_api_registration_with_a_birth_date_in_year_one_is_refused(api):
    response = api.post("/api/patients/", {"last_name": "Yusupova", "first_name": "Shahnoza",
                                           "birth_date": "0001-01-01"}, format="json")
    assert response.status_code == 400 and "birth_date" in response.json()["errors"]
