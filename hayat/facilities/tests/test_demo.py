"""The demo medical centre: a realistic layout, every room's capacity equal to its beds, and safe to seed twice."""

import pytest
from django.db.models import Count, F, Q

from hayat.accounts import demo as accounts_demo
from hayat.catalog import demo as catalog_demo
from hayat.catalog.models import Service, Tariff, TariffPrice
from hayat.facilities import demo
from hayat.facilities.models import Bed, Building, Maintenance, Room, RoomType, Ward

pytestmark = pytest.mark.django_db


def counts() -> tuple:
    return tuple(model.objects.count() for model in (Building, Ward, RoomType, Room, Bed, Maintenance, Service,
                                                     Tariff, TariffPrice))


def test_demo_builds_a_hospital_and_a_sanatorium_and_a_second_run_adds_nothing():
    accounts_demo.seed()
    demo.seed()
    catalog_demo.seed()
    first = counts()
    buildings, wards, room_types, rooms, beds, periods, services, tariffs, prices = first
    assert buildings == 3 and wards == 6 and room_types == 6 and rooms >= 40 and beds > rooms
    assert periods >= 3 and services >= 20 and tariffs == 4 and prices == 16
    assert Room.objects.filter(ward__isnull=False).exists() and Room.objects.filter(ward__isnull=True).exists()
    mismatched = Room.objects.annotate(active_beds=Count("beds", filter=Q(beds__is_active=True))).exclude(
        capacity=F("active_beds"))
    assert not mismatched.exists()
    demo.seed()
    catalog_demo.seed()
    assert counts() == first
