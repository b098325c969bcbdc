"""`run.py serve` seeds the demo at every start: demo rows an Admin re-coded, renamed, edited or deleted since
never make it fail, and nothing is doubled."""

import pytest
from django.core.management import call_command

from hayat.accounts.models import Department, User
from hayat.catalog.models import Service, Tariff
from hayat.clinical import demo as clinical_demo
from hayat.clinical.models import Episode
from hayat.clinical.tests import factories as clinical_factories
from hayat.core.roles import Role
from hayat.facilities.models import Amenity, Bed, Building, Room
from hayat.lab.models import LabTestType
from hayat.stays import demo as stays_demo
from hayat.stays.models import Booking

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def small_icd_list(monkeypatch):
    monkeypatch.setattr(clinical_demo, "load_codes", clinical_factories.load_icd_subset)


def edit_demo_rows_as_an_admin_would() -> None:
    Department.objects.filter(code="IM").update(code="IMED")  # keeps the name "Internal Medicine"
    Building.objects.filter(code="A").update(code="H")  # keeps the name "Hospital building"
    Service.objects.filter(code="PT-EPH").update(code="PT-EL")
    Tariff.objects.filter(code="WELL-10").update(code="WELL10")
    LabTestType.objects.filter(code="CBC").update(code="HEM")
    Booking.objects.filter(notes=stays_demo.IN_HOUSE_NOTE).update(notes="Guest in the house")
    Episode.objects.filter(reason_for_visit=clinical_demo.CASES[0].reason).update(reason_for_visit="Fever")
    User.objects.filter(user_id="doctor").update(role=Role.NURSE)
    Amenity.objects.filter(name="Balcony").delete()
    Bed.objects.filter(room__building__code="B", room__name="309").delete()
    Room.objects.filter(building__code="B", name="309").delete()


def test_seed_demo_runs_again_after_admins_edited_and_deleted_demo_rows():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    counts = {model: model.objects.count() for model in (Department, Building, Service, Tariff, LabTestType)}
    bookings = Booking.objects.count()
    edit_demo_rows_as_an_admin_would()

    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert {model: model.objects.count() for model in counts} == counts  # re-coded rows are not made again
    assert Department.objects.get(name="Internal Medicine").code == "IMED"
    assert Booking.objects.count() == bookings  # the guest is already in the house: no second stay
    assert Amenity.objects.filter(name="Balcony").exists()  # deleted demo rows come back
    assert Room.objects.filter(building__code="B", name="309").exists()
