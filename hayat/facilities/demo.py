"""A demo medical centre: a hospital building with a ward per department, a sanatorium building, a wellness wing.

Idempotent: everything is found by its natural key (building code, room name in its building, ...) and only
added when missing; what an Admin changed since stays as it is.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.conf import settings

from hayat.accounts.models import Department
from hayat.core import clock
from hayat.core.charging import ChargeUnit
from hayat.core.money import round_money
from hayat.core.seeding import ensure
from hayat.facilities.availability import midnight
from hayat.facilities.models import (
    Amenity,
    Bed,
    Building,
    Maintenance,
    MaintenanceKind,
    MaintenanceStatus,
    MaintenanceStatusChange,
    Room,
    RoomType,
    RoomUse,
    Ward,
)

BUILDINGS = [
    ("A", "Hospital building", "Mustaqillik avenue 12, Tashkent"),
    ("B", "Sanatorium \"Chinor\"", "Mustaqillik avenue 12, Tashkent"),
    ("C", "Wellness and rehabilitation wing", "Mustaqillik avenue 12a, Tashkent"),
]

AMENITIES = [
    ("Air conditioning", "snowflake"), ("TV", "tv"), ("Wi-Fi", "wifi"), ("Private bathroom", "shower"),
    ("Balcony", "door-open"), ("Refrigerator", "temperature-low"), ("Mountain view", "mountain"),
    ("Oxygen outlet", "lungs"), ("Nurse call", "bell"), ("Wheelchair access", "wheelchair"),
    ("Patient monitor", "heart-pulse"),
]

ROOM_TYPES = [
    ("Standard single", "One bed, shower, work desk."),
    ("Standard double", "Two beds, shower; shared by a couple or two guests of one booking."),
    ("Deluxe", "Two beds, a sitting area, a balcony and a bath."),
    ("Suite", "Bedroom and living room, two beds, a bath and a mountain view."),
    ("Ward (4 beds)", "A hospital ward with four beds, oxygen outlets and nurse call."),
    ("ICU", "Intensive care: two monitored beds."),
]

HOSPITAL_TYPES = {"Ward (4 beds)", "ICU"}

# (department code, ward name, floor)
WARDS = [
    ("IM", "Internal Medicine Ward", 2), ("CARD", "Cardiology Ward", 2), ("SURG", "Surgical Ward", 3),
    ("PED", "Pediatric Ward", 4), ("OBG", "Maternity Ward", 4), ("REHAB", "Rehabilitation Ward", 1),
]

WARD_AMENITIES = ["Oxygen outlet", "Nurse call", "Wheelchair access"]
# room type: (base price per guest and day, hourly rate per bed, beds, amenities)
PRICES = {
    "Standard single": (Decimal("450000"), Decimal("30000"), 1, ["Air conditioning", "TV", "Wi-Fi",
                                                                  "Private bathroom"]),
    "Standard double": (Decimal("380000"), Decimal("25000"), 2, ["Air conditioning", "TV", "Wi-Fi",
                                                                  "Private bathroom"]),
    "Deluxe": (Decimal("650000"), Decimal("0"), 2, ["Air conditioning", "TV", "Wi-Fi", "Private bathroom", "Balcony",
                                                    "Refrigerator"]),
    "Suite": (Decimal("1100000"), Decimal("0"), 2, ["Air conditioning", "TV", "Wi-Fi", "Private bathroom", "Balcony",
                                                    "Refrigerator", "Mountain view"]),
    "Ward (4 beds)": (Decimal("250000"), Decimal("15000"), 4, WARD_AMENITIES),
    "ICU": (Decimal("900000"), Decimal("60000"), 2, [*WARD_AMENITIES, "Patient monitor"]),
}


def hospital_rooms() -> list[tuple]:
    """(building, floor, room name, room type, ward key) for the hospital: two wards and a private room per department,
    intensive care next to Internal Medicine and Surgery."""
    rooms = []
    for code, _name, floor in WARDS:
        building = "C" if code == "REHAB" else "A"
        base = floor * 100 + [ward[0] for ward in WARDS].index(code) * 10
        rooms += [(building, floor, str(base + 1), "Ward (4 beds)", code),
                  (building, floor, str(base + 2), "Ward (4 beds)", code),
                  (building, floor, str(base + 3), "Standard single", code)]
        if code in {"IM", "SURG"}:
            rooms.append((building, floor, f"ICU-{code}", "ICU", code))
    return rooms


def sanatorium_rooms() -> list[tuple]:
    rooms = []
    for floor in (1, 2, 3):
        rooms += [("B", floor, f"{floor}{number:02d}", "Standard single", None) for number in (1, 2, 3)]
        rooms += [("B", floor, f"{floor}{number:02d}", "Standard double", None) for number in (4, 5, 6, 7)]
        rooms += [("B", floor, f"{floor}{number:02d}", "Deluxe", None) for number in (8, 9)]
    rooms += [("B", 4, "401", "Suite", None), ("B", 4, "402", "Suite", None), ("B", 4, "403", "Suite", None)]
    rooms += [("C", 2, "201", "Deluxe", None), ("C", 2, "202", "Deluxe", None)]
    return rooms


def by_the_minute(type_name: str) -> bool:
    """A demo run with the worker every minute (HAYAT_BED_TIME_INTERVAL_MINUTES=1) wants bed time that grows by
    the minute: its ICU is then charged per minute at a per-minute price, never an hourly rate each minute."""
    return type_name == "ICU" and settings.HAYAT_BED_TIME_INTERVAL_MINUTES == 1


def seed() -> None:
    buildings = {}
    for code, name, address in BUILDINGS:
        buildings[code], _ = ensure(Building, {"code": code}, {"name": name}, defaults={"address": address})
    amenities = {}
    for name, icon in AMENITIES:
        amenities[name], _ = Amenity.objects.get_or_create(name=name, defaults={"icon": icon})
    room_types = {}
    for name, description in ROOM_TYPES:
        policy = {"charge_unit": ChargeUnit.MINUTE} if by_the_minute(name) else {}
        use = RoomUse.HOSPITAL if name in HOSPITAL_TYPES else RoomUse.SANATORIUM
        room_types[name], _ = RoomType.objects.get_or_create(name=name, defaults={"description": description,
                                                                                  "use": use, **policy})
    wards = {}
    departments = {department.code: department for department in Department.objects.all()}
    for code, name, floor in WARDS:
        building = buildings["C" if code == "REHAB" else "A"]
        if code not in departments or building is None:
            continue
        wards[code], _ = Ward.objects.get_or_create(department=departments[code], name=name,
                                                    defaults={"building": building, "floor": floor})
    for building_code, floor, name, type_name, ward_code in hospital_rooms() + sanatorium_rooms():
        if (ward_code is not None and ward_code not in wards) or buildings[building_code] is None:
            continue
        base_price, hourly_rate, beds, amenity_names = PRICES[type_name]
        if by_the_minute(type_name):
            hourly_rate = round_money(hourly_rate / 60)  # the price of one minute, named "/ min" on the bill
        room, created = Room.objects.get_or_create(
            building=buildings[building_code], name=name,
            defaults={"room_type": room_types[type_name], "floor": floor, "ward": wards.get(ward_code),
                      "capacity": beds, "base_price": base_price, "hourly_rate": hourly_rate})
        if created:
            Bed.objects.bulk_create([Bed(room=room, number=str(number)) for number in range(1, beds + 1)])
            room.amenities.set([amenities[amenity] for amenity in amenity_names])
    seed_maintenance()


def seed_maintenance() -> None:
    """A repair under way, a cleaning tomorrow and a finished renovation, once."""
    if Maintenance.objects.exists():
        return
    today, now = clock.today(), clock.now()
    rooms = {(room.building.code, room.name): room for room in Room.objects.select_related("building")}
    plans = [
        (("B", "305"), None, MaintenanceKind.REPAIR, "Air conditioner leaks; replace the drain pump.",
         now - timedelta(hours=3), now + timedelta(days=2), MaintenanceStatus.IN_PROGRESS),
        (("B", "102"), None, MaintenanceKind.CLEANING, "Deep cleaning after a long stay.",
         midnight(today + timedelta(days=1)) + timedelta(hours=10),
         midnight(today + timedelta(days=1)) + timedelta(hours=13), MaintenanceStatus.SCHEDULED),
        (("A", "201"), "3", MaintenanceKind.REPAIR, "Bed 3: the height adjustment is stuck.",
         midnight(today + timedelta(days=2)) + timedelta(hours=9),
         midnight(today + timedelta(days=2)) + timedelta(hours=12), MaintenanceStatus.SCHEDULED),
        (("B", "401"), None, MaintenanceKind.RENOVATION, "New furniture and paint.",
         now - timedelta(days=20), now - timedelta(days=6), MaintenanceStatus.DONE),
    ]
    for key, bed_number, kind, description, start, end, status in plans:
        room = rooms.get(key)
        if room is None:
            continue
        bed = room.beds.filter(number=bed_number).first() if bed_number else None
        period = Maintenance.objects.create(room=room, bed=bed, kind=kind, description=description, start=start,
                                            end=end, status=status)
        MaintenanceStatusChange.objects.create(maintenance=period, at=start - timedelta(days=1), from_status="",
                                               to_status=MaintenanceStatus.SCHEDULED, reason="scheduled")
        if status != MaintenanceStatus.SCHEDULED:
            MaintenanceStatusChange.objects.create(maintenance=period, at=start,
                                                   from_status=MaintenanceStatus.SCHEDULED, to_status=status)
