"""The demo data: regions and districts of Uzbekistan and the Philippines, patients, safe to load twice."""

import pytest

from hayat.patients import demo
from hayat.patients.models import District, Patient, Region

pytestmark = pytest.mark.django_db


def test_seed_is_idempotent_and_gives_valid_patients():
    demo.seed()
    counts = (Region.objects.count(), District.objects.count(), Patient.objects.count())
    demo.seed()
    assert (Region.objects.count(), District.objects.count(), Patient.objects.count()) == counts
    assert set(Region.objects.values_list("country", flat=True)) == {"UZ", "PH"}
    assert counts[2] == len(demo.PATIENTS)
    for patient in Patient.objects.select_related("district"):
        assert patient.district is None or patient.district.region_id == patient.region_id
        assert patient.last_name_key and len(patient.code) == 5


def test_the_demo_has_a_cyrillic_latin_pair_to_merge():
    demo.seed()
    assert Patient.objects.filter(last_name_key="yusupova", first_name_key="shahnoza").count() == 2
