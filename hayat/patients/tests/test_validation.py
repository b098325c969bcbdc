"""Validation: phones per country, dates of birth, gestational age, email, documents, places."""

from datetime import date

import pytest
from django.test import override_settings

from hayat.core.errors import DomainError
from hayat.patients import phones, validation
from hayat.patients.tests.factories import DistrictFactory, RegionFactory
from hayat.patients.validation import PatientData


def data(**fields) -> PatientData:
    return PatientData(**{"first_name": "Aziza", "last_name": "Karimova", **fields})


@pytest.mark.parametrize("raw", ["90 123 45 67", "+998 (90) 123-45-67", "998901234567", "00998901234567",
                                 "+998901234567"])
def test_uzbek_mobile_numbers_in_any_format_become_e164(raw):
    assert phones.normalise(raw) == "+998901234567"


@override_settings(HAYAT_PHONE_REGION="PH")
@pytest.mark.parametrize("raw", ["0917 123 4567", "+63 917 123 4567", "639171234567", "(0917) 123-4567"])
def test_philippine_numbers_work_where_the_hospital_is_in_the_philippines(raw):
    assert phones.normalise(raw) == "+639171234567"


def test_a_philippine_number_with_its_country_code_works_in_uzbekistan():
    assert phones.normalise("+63 917 123 4567") == "+639171234567"


@pytest.mark.parametrize("raw", ["12345", "hello", "+998 12", "90 123 45 6", "+1 000 000 0000"])
def test_invalid_phone_numbers_are_refused_with_the_field_named(raw):
    with pytest.raises(DomainError) as refused:
        phones.normalise(raw, field="home_phone")
    assert refused.value.field == "home_phone"


def test_phone_display_is_international():
    assert phones.display("+998901234567") == "+998 90 123 45 67"


def test_names_are_trimmed_and_spaces_collapsed():
    cleaned = validation.clean(data(first_name="  Aziza ", last_name="Karimova   Saidova"))
    assert (cleaned.first_name, cleaned.last_name) == ("Aziza", "Karimova Saidova")


@pytest.mark.parametrize("name", ["", "   ", "R2D2", "a@b", "---"])
def test_names_without_letters_or_with_digits_are_refused(name):
    cleaned, errors = validation.check(data(last_name=name))
    assert "last_name" in errors


def test_apostrophes_and_hyphens_in_names_are_fine():
    assert validation.clean(data(last_name="O'ktamova-G‘ulomova")).last_name == "O'ktamova-G‘ulomova"


def test_birth_date_in_the_future_is_refused(clock):
    _, errors = validation.check(data(birth_date=date(2026, 11, 22)))
    assert errors == {"birth_date": "The date of birth cannot be in the future."}


def test_birth_date_of_today_is_fine(clock):
    assert validation.clean(data(birth_date=date(2026, 11, 21))).birth_date == date(2026, 11, 21)


def test_absurdly_old_birth_date_is_refused(clock):
    _, errors = validation.check(data(birth_date=date(1890, 1, 1)))
    assert "birth_date" in errors


def test_gestational_age_is_kept_for_an_infant(clock):
    cleaned = validation.clean(data(birth_date=date(2026, 1, 5), gestational_age_weeks=34))
    assert cleaned.gestational_age_weeks == 34


def test_gestational_age_is_refused_for_an_adult(clock):
    _, errors = validation.check(data(birth_date=date(1990, 1, 5), gestational_age_weeks=38))
    assert "infants" in errors["gestational_age_weeks"]


def test_gestational_age_needs_a_birth_date(clock):
    _, errors = validation.check(data(gestational_age_weeks=38))
    assert "gestational_age_weeks" in errors


@pytest.mark.parametrize("weeks", [10, 19, 46, 60])
def test_gestational_age_outside_20_to_45_weeks_is_refused(clock, weeks):
    _, errors = validation.check(data(birth_date=date(2026, 6, 1), gestational_age_weeks=weeks))
    assert "between 20 and 45" in errors["gestational_age_weeks"]


def test_email_is_lowercased_and_need_not_be_unique():
    assert validation.clean(data(email=" Family@Example.UZ ")).email == "family@example.uz"


def test_malformed_email_is_refused():
    _, errors = validation.check(data(email="not-an-email"))
    assert "email" in errors


def test_document_numbers_are_trimmed_and_normalised():
    cleaned = validation.clean(data(document_type="passport", document_number=" ab 123-45 67 "))
    assert cleaned.document_number == "AB1234567"


def test_a_document_number_needs_its_type_and_the_type_its_number():
    assert "document_type" in validation.check(data(document_number="AB1234567"))[1]
    assert "document_number" in validation.check(data(document_type="passport"))[1]


def test_philhealth_number_has_twelve_digits():
    assert validation.clean(data(philhealth_number="12-345678901-2")).philhealth_number == "123456789012"
    assert "philhealth_number" in validation.check(data(philhealth_number="12-3456"))[1]


def test_unknown_choice_values_are_refused():
    cleaned, errors = validation.check(data(gender="robot", civil_status="complicated", document_type="x",
                                            document_number="1"))
    assert {"gender", "civil_status", "document_type"} <= errors.keys()


@pytest.mark.django_db
def test_a_district_implies_its_region_and_country():
    district = DistrictFactory(region=RegionFactory(country="PH", name="Davao Region"))
    cleaned = validation.clean(data(district=district))
    assert (cleaned.region, cleaned.country) == (district.region, "PH")


@pytest.mark.django_db
def test_a_district_of_another_region_is_refused():
    district = DistrictFactory()
    _, errors = validation.check(data(region=RegionFactory(name="Elsewhere"), district=district))
    assert "district" in errors


@pytest.mark.django_db
def test_a_region_of_another_country_is_refused():
    _, errors = validation.check(data(region=RegionFactory(country="PH", name="Calabarzon"), country="UZ"))
    assert "region" in errors


def test_unknown_country_code_is_refused():
    assert "country" in validation.check(data(country="XX"))[1]


def test_every_refused_value_is_reported_at_once():
    _, errors = validation.check(data(first_name="", mobile="123", email="x", philhealth_number="1"))
    assert {"first_name", "mobile", "email", "philhealth_number"} <= errors.keys()


def test_cyrillic_series_letters_are_kept_in_upper_case():
    cleaned = validation.clean(data(document_type="passport", document_number=" аб 123-45 67 "))
    assert cleaned.document_number == "АБ1234567"


def test_an_all_cyrillic_series_is_a_document_number():
    assert validation.clean(data(document_type="other", document_number="ГД-ЖЗ")).document_number == "ГДЖЗ"


def test_a_number_of_signs_only_is_refused_with_its_message():
    cleaned, errors = validation.check(data(document_type="passport", document_number="№ --"))
    assert errors["document_number"] == "A document number needs letters or digits."
