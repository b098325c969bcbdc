"""Regional data follows the country the hospital is in (HAYAT_PHONE_REGION): phone examples, regions and the
insurance fields of that country's health system."""

import pytest
from django.urls import reverse

from hayat.core.errors import DomainError
from hayat.patients import phones
from hayat.patients.forms import PatientForm
from hayat.patients.tests.factories import PatientFactory, RegionFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("country", "prefix", "foreign"), [("UZ", "+998", "+63"), ("PH", "+63", "+998")])
def test_a_bad_phone_number_is_answered_with_an_example_of_the_hospitals_country(settings, country, prefix, foreign):
    settings.HAYAT_PHONE_REGION = country
    with pytest.raises(DomainError) as refused:
        phones.normalise("12345")
    assert f"e.g. {prefix}" in refused.value.message and foreign not in refused.value.message


def test_the_registration_form_offers_the_regions_and_insurance_fields_of_the_hospitals_country(settings):
    settings.HAYAT_PHONE_REGION = "UZ"
    tashkent = RegionFactory(country="UZ", name="Tashkent city")
    visayas = RegionFactory(country="PH", name="Central Visayas")
    form = PatientForm()
    assert list(form.fields["region"].queryset) == [tashkent]
    assert "philhealth_number" not in form.fields and "hmo_name" not in form.fields
    assert form.fields["mobile"].widget.attrs["placeholder"].startswith("+998")
    settings.HAYAT_PHONE_REGION = "PH"
    form = PatientForm()
    assert list(form.fields["region"].queryset) == [visayas]
    assert "philhealth_number" in form.fields and form.fields["mobile"].widget.attrs["placeholder"].startswith("+63")


def test_a_record_holding_another_countrys_fields_keeps_them_on_its_form(settings):
    settings.HAYAT_PHONE_REGION = "UZ"
    visayas = RegionFactory(country="PH", name="Central Visayas")
    patient = PatientFactory(philhealth_number="123456789012", region=visayas)
    form = PatientForm.for_patient(patient)
    assert "philhealth_number" in form.fields and visayas in form.fields["region"].queryset


def test_the_patient_page_leaves_out_empty_insurance_of_another_country(settings, client_as, receptionist):
    settings.HAYAT_PHONE_REGION = "UZ"
    patient = PatientFactory(philhealth_number="")
    page = client_as(receptionist).get(reverse("patients:detail", args=[patient.pk])).content.decode()
    assert "PhilHealth" not in page
