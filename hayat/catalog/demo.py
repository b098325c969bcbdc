"""A demo catalogue of a Tashkent sanatorium: treatments with prices in UZS, four packages and their price grid.

Idempotent: service types, services and tariffs are found by name or code and only added when missing.
"""

from __future__ import annotations

from decimal import Decimal

from hayat.catalog.models import Service, ServiceType, Tariff, TariffPrice, TariffService
from hayat.core.seeding import ensure
from hayat.facilities.models import RoomType

# service type: [(name, code, minutes, price)]
SERVICES = {
    "Physiotherapy": [("Electrophoresis", "PT-EPH", 20, 60000), ("Magnetotherapy", "PT-MAG", 20, 55000),
                      ("Ultrasound therapy", "PT-US", 15, 60000), ("Laser therapy", "PT-LAS", 15, 70000),
                      ("Therapeutic exercise (group)", "PT-LFK", 45, 50000)],
    "Massage": [("Classic back massage", "MS-BACK", 30, 120000), ("General massage", "MS-GEN", 60, 200000),
                ("Lymphatic drainage massage", "MS-LYM", 45, 180000)],
    "Mud therapy": [("Mud applications", "MUD-APP", 30, 110000), ("Mud wrap", "MUD-WRP", 40, 140000)],
    "Mineral baths": [("Pearl bath", "BTH-PRL", 15, 80000), ("Radon bath", "BTH-RDN", 15, 120000),
                      ("Iodine-bromine bath", "BTH-IOD", 15, 90000), ("Charcot shower", "BTH-SHR", 10, 70000)],
    "Diagnostics": [("ECG", "DX-ECG", 15, 80000), ("Abdominal ultrasound", "DX-USA", 30, 250000),
                    ("Echocardiography", "DX-ECHO", 40, 350000)],
    "Laboratory tests": [("Complete blood count", "LAB-CBC", 10, 60000), ("Biochemistry panel", "LAB-BIO", 10, 180000),
                         ("Urinalysis", "LAB-URI", 10, 40000)],
    "Consultations": [("Therapist consultation", "CON-THR", 30, 150000),
                      ("Cardiologist consultation", "CON-CRD", 30, 200000)],
}
SERVICE_TYPE_NOTES = {
    "Physiotherapy": "Hardware physiotherapy and exercise therapy.",
    "Mineral baths": "Baths and showers with the centre's own mineral water.",
    "Laboratory tests": "Samples taken on the ward, results the same day.",
}

# (code, name, description, {service code: sessions}, {room type: price per guest and day})
# The nights each demo course is made for (the rest tariff has none).
COURSE_DAYS = {"WELL-10": 10, "CARDIO-14": 14, "JOINT-12": 12}

TARIFFS = [
    ("WELL-10", "Wellness, 10 days", "Rest and recovery: massage, baths, exercise and a doctor's check-up.",
     {"CON-THR": 2, "MS-BACK": 8, "BTH-PRL": 8, "BTH-SHR": 6, "PT-LFK": 10},
     {"Standard single": 650000, "Standard double": 560000, "Deluxe": 850000, "Suite": 1350000}),
    ("CARDIO-14", "Cardio rehabilitation, 14 days", "After a heart attack or cardiac surgery, under a cardiologist.",
     {"CON-CRD": 3, "DX-ECG": 3, "DX-ECHO": 1, "BTH-RDN": 10, "MS-BACK": 7, "PT-LFK": 12, "LAB-CBC": 2,
      "LAB-BIO": 1},
     {"Standard single": 780000, "Standard double": 690000, "Deluxe": 980000, "Suite": 1500000}),
    ("JOINT-12", "Joints and spine, 12 days", "Mud, physiotherapy and massage for joints and back pain.",
     {"CON-THR": 2, "MUD-APP": 10, "PT-MAG": 10, "PT-US": 8, "MS-GEN": 6, "BTH-IOD": 8},
     {"Standard single": 720000, "Standard double": 630000, "Deluxe": 920000, "Suite": 1420000}),
    ("REST", "Rest, no treatment", "Room and meals with one consultation; treatments at the service price.",
     {"CON-THR": 1},
     {"Standard single": 480000, "Standard double": 410000, "Deluxe": 690000, "Suite": 1150000}),
]


# Services charged by time on inpatients: name, code, unit, price per unit (one growing bill line per use).
TIMED_SERVICES = [
    ("Oxygen therapy", "O2", "hour", 6000),
    ("Patient monitor", "MON", "hour", 4000),
    ("Mechanical ventilation", "VENT", "hour", 45000),
    ("Incubator", "INC", "day", 250000),
]


def seed_timed_services() -> None:
    service_type, _ = ServiceType.objects.get_or_create(name="Equipment time")
    for name, code, unit, price in TIMED_SERVICES:
        Service.objects.get_or_create(code=code, defaults={
            "name": name, "service_type": service_type, "price": Decimal(price), "charged_by_time": True,
            "charge_unit": unit})


def seed() -> None:
    seed_timed_services()
    services = {}
    for type_name, entries in SERVICES.items():
        service_type, _ = ServiceType.objects.get_or_create(
            name=type_name, defaults={"description": SERVICE_TYPE_NOTES.get(type_name, "")})
        for name, code, minutes, price in entries:
            services[code], _ = ensure(Service, {"code": code}, {"name": name}, defaults={
                "service_type": service_type, "duration_minutes": minutes, "price": Decimal(price)})
    room_types = {room_type.name: room_type for room_type in RoomType.objects.all()}
    for code, name, description, sessions, prices in TARIFFS:
        tariff, created = ensure(Tariff, {"code": code}, {"name": name}, defaults={
            "description": description, "length_days": COURSE_DAYS.get(code)})
        if not created:
            continue
        TariffService.objects.bulk_create([TariffService(tariff=tariff, service=services[service_code], sessions=count)
                                           for service_code, count in sessions.items() if services[service_code]])
        TariffPrice.objects.bulk_create([
            TariffPrice(tariff=tariff, room_type=room_types[type_name], price=Decimal(price))
            for type_name, price in prices.items() if type_name in room_types])
