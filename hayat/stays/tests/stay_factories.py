"""Stays in the house for the stay-operation tests: checked-in bookings, tariffs with included sessions."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from io import BytesIO

from PIL import Image, ImageDraw

from hayat.catalog.models import Service, ServiceType, TariffService
from hayat.stays import checkin
from hayat.stays.checkin import CheckInData
from hayat.stays.models import Booking
from hayat.stays.tests.factories import book, make_tariff


def make_service(name: str = "Massage", price: str = "80000") -> Service:
    kind = ServiceType.objects.get_or_create(name="Procedures")[0]
    return Service.objects.create(service_type=kind, name=name, price=Decimal(price))


def tariff_with_sessions(name: str = "Spine care", *, sessions: dict[Service, int], prices=None):
    tariff = make_tariff(name, prices=prices or {"Standard": "350000"})
    for service, count in sessions.items():
        TariffService.objects.create(tariff=tariff, service=service, sessions=count)
    return tariff


def confirmations(doctor, **changes) -> CheckInData:
    values = {"doctor": doctor, "identity_checked": True, "rules_explained": True, "consent_signed": True}
    values.update(changes)
    return CheckInData(**values)


def checked_in(by, doctor, *, guests: list[tuple], start: date, nights: int = 5, signature: bytes = b"") -> Booking:
    """A booking starting on `start` (today in the tests), checked in by `by` with `doctor` assigned."""
    booking = book(by, guests=guests, start=start, nights=nights)
    return checkin.check_in(by=by, booking=booking, data=confirmations(doctor, signature=signature))


def signature_png(width: int = 600, height: int = 180) -> bytes:
    """A signature as the pad draws it: dark strokes on a transparent PNG."""
    picture = Image.new("RGBA", (width, height))
    ImageDraw.Draw(picture).line([(20, 120), (120, 40), (220, 140), (360, 60), (560, 110)], fill="#111", width=4)
    buffer = BytesIO()
    picture.save(buffer, format="PNG")
    return buffer.getvalue()
