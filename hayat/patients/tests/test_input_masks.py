"""The date of birth is typed in the reader's numeric form and phones are grouped like the hospital's region;
the masks only help the eye (web/masks.js), the form decides."""

from datetime import date

import pytest

from hayat.patients import phones
from hayat.patients.forms import PatientForm

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("typed", ["14.03.1986", "1986-03-14"])
def test_the_date_of_birth_is_read_day_first_or_in_iso(typed):
    form = PatientForm({"last_name": "Yusupova", "first_name": "Shahnoza", "gender": "female", "birth_date": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["birth_date"] == date(1986, 3, 14)


@pytest.mark.parametrize("typed", ["03/14/1986", "31.02.1986", "14.03.86"])
def test_a_date_of_birth_in_another_form_is_refused_with_its_field_named(typed):
    form = PatientForm({"last_name": "Yusupova", "first_name": "Shahnoza", "gender": "female", "birth_date": typed})
    assert not form.is_valid() and "birth_date" in form.errors


def test_the_date_field_shows_a_stored_date_day_first_and_asks_for_the_mask():
    field = PatientForm(initial={"birth_date": date(1986, 3, 14)})["birth_date"]
    html = str(field)
    assert 'value="14.03.1986"' in html and 'data-mask="date"' in html and 'type="text"' in html


@pytest.mark.parametrize(("country", "code", "national", "international"), [
    ("UZ", "998", "## ### ## ##", "+### ## ### ## ##"),
    ("PH", "63", "#### ### ####", "+## ### ### ####"),
])
def test_phone_fields_carry_the_grouping_of_the_hospitals_region(settings, country, code, national, international):
    settings.HAYAT_PHONE_REGION = country
    assert phones.mask_attributes() == {"data-mask": "phone", "data-mask-country": code,
                                        "data-mask-national": national, "data-mask-international": international}
    attributes = PatientForm().fields["emergency_contact_phone"].widget.attrs
    assert attributes["data-mask-national"] == national
