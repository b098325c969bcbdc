from hayat.accounts.tests.factories import DepartmentFactory
from hayat.facilities.models import Amenity, Maintenance, MaintenanceKind
from hayat.facilities.tests.factories import BuildingFactory, RoomFactory, RoomTypeFactory, WardFactory, at


def samples(personas: dict) -> dict[str, dict]:
    from datetime import date

    department = DepartmentFactory(code="SAMPLE", name="Sample department")
    building = BuildingFactory(code="S", name="Sample building")
    ward = WardFactory(department=department, building=building)
    room_type = RoomTypeFactory(name="Sample type")
    room = RoomFactory(room_type=room_type, building=building, capacity=2)
    bed = room.beds.first()
    amenity = Amenity.objects.create(name="Sample amenity")
    period = Maintenance.objects.create(room=room, kind=MaintenanceKind.CLEANING, start=at(date(2030, 1, 1), 9),
                                        end=at(date(2030, 1, 1), 11))
    return {
        "facilities:department_edit": {"pk": department.pk},
        "facilities:ward_edit": {"pk": ward.pk},
        "facilities:building_edit": {"pk": building.pk},
        "facilities:amenity_edit": {"pk": amenity.pk},
        "facilities:room_type_edit": {"pk": room_type.pk},
        "facilities:room_detail": {"pk": room.pk},
        "facilities:room_edit": {"pk": room.pk},
        "facilities:room_set_active": {"pk": room.pk},
        "facilities:bed_add": {"pk": room.pk},
        "facilities:bed_rename": {"pk": bed.pk},
        "facilities:bed_set_active": {"pk": bed.pk},
        "facilities:maintenance_edit": {"pk": period.pk},
        "facilities:maintenance_transition": {"pk": period.pk},
        "department-detail": {"pk": department.pk},
        "ward-detail": {"pk": ward.pk},
        "building-detail": {"pk": building.pk},
        "amenity-detail": {"pk": amenity.pk},
        "room-type-detail": {"pk": room_type.pk},
        "room-detail": {"pk": room.pk},
        "bed-detail": {"pk": bed.pk},
        "maintenance-detail": {"pk": period.pk},
        "maintenance-transition": {"pk": period.pk},
    }
