"""Rooms with beds, tariffs with prices and bookings for the stays tests (built directly, no rules applied)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hayat.catalog.models import Tariff, TariffPrice
from hayat.facilities.models import Bed, Building, Room, RoomType
from hayat.patients.tests.factories import PatientFactory
from hayat.stays import services
from hayat.stays.models import BookingSource, BookingStatus
from hayat.stays.services import BookingData, GuestChoice

__all__ = ["PatientFactory", "book", "make_room", "make_tariff"]


def building() -> Building:
    return Building.objects.get_or_create(code="A", defaults={"name": "Main building"})[0]


def room_type(name: str = "Standard") -> RoomType:
    return RoomType.objects.get_or_create(name=name)[0]


def make_room(name: str = "101", *, beds: int = 2, price: str = "300000", type_name: str = "Standard",
              active: bool = True) -> Room:
    room = Room.objects.create(name=name, room_type=room_type(type_name), building=building(), capacity=beds,
                               base_price=Decimal(price), is_active=active)
    for number in range(1, beds + 1):
        Bed.objects.create(room=room, number=str(number))
    return room


def make_tariff(name: str = "Rest and recovery", *, prices: dict[str, str] | None = None,
                active: bool = True) -> Tariff:
    tariff = Tariff.objects.create(name=name, code=name[:3].upper() + str(Tariff.objects.count() + 1),
                                   is_active=active)
    for type_name, price in (prices or {}).items():
        TariffPrice.objects.create(tariff=tariff, room_type=room_type(type_name), price=Decimal(price))
    return tariff


def book(by, *, guests: list[tuple], start: date, nights: int = 3, status: str = BookingStatus.CONFIRMED,
         source: str = BookingSource.WALK_IN, **extra):
    """guests: (patient, room, tariff) or (patient, room, tariff, bed) tuples."""
    return services.create_booking(by=by, data=BookingData(
        start_date=start, end_date=start + timedelta(days=nights),
        guests=[GuestChoice(*guest) for guest in guests], status=status, source=source, **extra))
