"""The demo clinic: one episode in each phase, made through the use cases, and a second run adds nothing."""

import pytest

from hayat.accounts import demo as accounts_demo
from hayat.clinical import demo
from hayat.clinical.models import BedAssignment, Episode, IcdDepartmentMapping
from hayat.clinical.tests import factories
from hayat.facilities import demo as facilities_demo
from hayat.patients.tests.factories import PatientFactory

pytestmark = pytest.mark.django_db


def test_the_demo_seed_makes_one_episode_per_phase_and_is_idempotent(clock, monkeypatch):
    # The full ICD-10-CM list takes a quarter of a minute; the test slice has every demo code.
    monkeypatch.setattr(demo, "load_codes", factories.load_icd_subset)
    accounts_demo.seed()
    facilities_demo.seed()
    PatientFactory.create_batch(15)
    demo.seed()
    assert sorted(Episode.objects.values_list("status", flat=True)) == [
        "admitted", "discharged", "outpatient", "pending", "ready_for_coding"]
    assert BedAssignment.objects.filter(ended_at__isnull=True).count() == 1
    assert Episode.objects.get(status="ready_for_coding").department.code == "IM"
    counts = (Episode.objects.count(), IcdDepartmentMapping.objects.count(), BedAssignment.objects.count())
    assert counts[1] == len(demo.MAPPINGS)
    demo.seed()
    assert (Episode.objects.count(), IcdDepartmentMapping.objects.count(), BedAssignment.objects.count()) == counts
