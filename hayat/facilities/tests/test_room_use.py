"""Room types say whether they are booked as sanatorium stays or used as hospital beds."""

import importlib

import pytest
from django.apps import apps
from django.db import IntegrityError, transaction
from django.urls import reverse

from hayat.facilities.models import RoomType, RoomUse
from hayat.facilities.tests.factories import RoomFactory, RoomTypeFactory, WardFactory

pytestmark = pytest.mark.django_db

migration = importlib.import_module("hayat.facilities.migrations.0004_room_type_use")


def test_existing_types_whose_rooms_are_in_wards_become_hospital_types():
    ward_type, spa_type = RoomTypeFactory(name="Ward (4 beds)"), RoomTypeFactory(name="Deluxe")
    RoomFactory(room_type=ward_type, ward=WardFactory())
    RoomFactory(room_type=spa_type)
    migration.hospital_types_by_their_wards(apps, None)
    assert dict(RoomType.objects.values_list("name", "use")) == {"Ward (4 beds)": RoomUse.HOSPITAL,
                                                                 "Deluxe": RoomUse.SANATORIUM}


def test_the_database_refuses_an_unknown_use():
    room_type = RoomTypeFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        RoomType.objects.filter(pk=room_type.pk).update(use="garage")


def test_the_api_sets_and_keeps_the_use(api_as, admin_user):
    api = api_as(admin_user)
    created = api.post(reverse("room-type-list"), {"name": "ICU", "use": "hospital"}, format="json")
    assert created.status_code == 201 and created.json()["use"] == "hospital"
    url = reverse("room-type-detail", args=[created.json()["id"]])
    assert api.patch(url, {"description": "Two monitored beds"}, format="json").json()["use"] == "hospital"
    refused = api.patch(url, {"use": "garage"}, format="json")
    assert refused.status_code == 400
    assert RoomType.objects.get(name="ICU").use == RoomUse.HOSPITAL
