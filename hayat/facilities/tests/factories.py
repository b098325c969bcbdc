"""Factories for places: buildings, room types, rooms with their beds, wards and maintenance."""

from __future__ import annotations

from datetime import datetime, time
from decimal import Decimal

import factory
from django.utils import timezone

from hayat.accounts.tests.factories import DepartmentFactory
from hayat.facilities.models import Bed, Building, Maintenance, MaintenanceKind, Room, RoomType, Ward


class BuildingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Building
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"B{n}")
    name = factory.Sequence(lambda n: f"Building {n}")


class RoomTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoomType
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Room type {n}")


class WardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ward

    name = factory.Sequence(lambda n: f"Ward {n}")
    department = factory.SubFactory(DepartmentFactory)
    building = factory.SubFactory(BuildingFactory)


class RoomFactory(factory.django.DjangoModelFactory):
    """A room with `capacity` active beds numbered 1..capacity, as the services would make it."""

    class Meta:
        model = Room
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"{100 + n}")
    room_type = factory.SubFactory(RoomTypeFactory)
    building = factory.SubFactory(BuildingFactory, code="MAIN", name="Main building")
    floor = 1
    capacity = 2
    base_price = Decimal("300000.00")
    hourly_rate = Decimal("15000.00")

    @factory.post_generation
    def beds(self, create, extracted, **kwargs):
        if create:
            Bed.objects.bulk_create([Bed(room=self, number=str(number)) for number in range(1, self.capacity + 1)])


def at(day, hour: int = 0, minute: int = 0) -> datetime:
    """An aware moment in the hospital's zone."""
    return timezone.make_aware(datetime.combine(day, time(hour, minute)), timezone.get_default_timezone())


class MaintenanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Maintenance

    room = factory.SubFactory(RoomFactory)
    kind = MaintenanceKind.REPAIR
    start = factory.LazyFunction(lambda: timezone.now())
    end = factory.LazyAttribute(lambda period: period.start + timezone.timedelta(days=1))
