"""The facilities REST API: the same rules as the pages, field errors as 400, conflicts as 409."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from hayat.accounts.tests.factories import DepartmentFactory
from hayat.core.models import AuditEvent
from hayat.facilities.models import Bed, Maintenance, Room
from hayat.facilities.tests.factories import (
    BuildingFactory,
    MaintenanceFactory,
    RoomFactory,
    RoomTypeFactory,
    WardFactory,
    at,
)

pytestmark = pytest.mark.django_db


def room_body(building, room_type, **overrides) -> dict:
    body = {"name": "501", "room_type": room_type.pk, "building": building.pk, "floor": 5, "capacity": 2,
            "base_price": "650000.00", "hourly_rate": "0", "amenities": []}
    body.update(overrides)
    return body


def test_admin_creates_a_room_with_beds_and_patches_its_capacity(api_as, admin_user):
    api = api_as(admin_user)
    building, room_type = BuildingFactory(code="B"), RoomTypeFactory(name="Deluxe")
    created = api.post(reverse("room-list"), room_body(building, room_type), format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert [bed["number"] for bed in body["beds"]] == ["1", "2"] and body["building_code"] == "B"
    patched = api.patch(reverse("room-detail", args=[body["id"]]), {"capacity": 3}, format="json")
    assert patched.status_code == 200, patched.json()
    assert patched.json()["capacity"] == 3 and len([b for b in patched.json()["beds"] if b["is_active"]]) == 3
    assert patched.json()["name"] == "501"
    assert AuditEvent.objects.filter(action="room.update", actor_id=admin_user.pk).exists()


def test_field_errors_come_back_as_400_with_the_field_named(api_as, admin_user):
    api = api_as(admin_user)
    building, room_type = BuildingFactory(code="B"), RoomTypeFactory(name="Deluxe")
    response = api.post(reverse("room-list"), room_body(building, room_type, base_price="-1", capacity=0),
                        format="json")
    assert response.status_code == 400
    assert {"base_price", "capacity"} <= set(response.json()["errors"])
    ward = WardFactory(building=BuildingFactory(code="Z"))
    other = api.post(reverse("room-list"), room_body(building, room_type, ward=ward.pk), format="json")
    assert other.status_code == 400 and other.json()["errors"] == {"ward": [other.json()["detail"]]}


def test_everyone_reads_but_only_admin_writes(api_as, nurse, receptionist):
    room = RoomFactory()
    assert api_as(nurse).get(reverse("room-detail", args=[room.pk])).status_code == 200
    for person in (nurse, receptionist):
        response = api_as(person).patch(reverse("room-detail", args=[room.pk]), {"floor": 4}, format="json")
        assert response.status_code == 403
    assert api_as(None).get(reverse("room-list")).status_code == 401


def test_nothing_is_deleted_through_the_api(api_as, admin_user):
    room = RoomFactory()
    assert api_as(admin_user).delete(reverse("room-detail", args=[room.pk])).status_code == 405
    assert Room.objects.filter(pk=room.pk).exists()


def test_beds_are_added_renamed_and_retired_with_the_capacity_following(api_as, admin_user):
    api = api_as(admin_user)
    room = RoomFactory(capacity=1)
    added = api.post(reverse("bed-list"), {"room": room.pk, "number": "B"}, format="json")
    assert added.status_code == 201 and added.json()["number"] == "B"
    bed_id = added.json()["id"]
    api.patch(reverse("bed-detail", args=[bed_id]), {"number": "2"}, format="json")
    retired = api.patch(reverse("bed-detail", args=[bed_id]), {"is_active": False}, format="json")
    assert retired.status_code == 200 and retired.json() == {"id": bed_id, "room": room.pk, "number": "2",
                                                             "is_active": False}
    room.refresh_from_db()
    assert room.capacity == 1
    last = api.patch(reverse("bed-detail", args=[room.beds.get(number="1").pk]), {"is_active": False}, format="json")
    assert last.status_code == 400 and "at least one bed" in last.json()["detail"]
    moved = api.patch(reverse("bed-detail", args=[bed_id]), {"room": RoomFactory().pk}, format="json")
    assert moved.status_code == 400 and "room" in moved.json()["errors"]


def test_overlapping_maintenance_is_a_409_with_a_code(api_as, receptionist):
    api = api_as(receptionist)
    room = RoomFactory()
    body = {"room": room.pk, "kind": "repair", "start": "2026-12-01T09:00:00+05:00", "end": "2026-12-01T12:00:00+05:00"}
    first = api.post(reverse("maintenance-list"), body, format="json")
    assert first.status_code == 201, first.json()
    second = api.post(reverse("maintenance-list"), {**body, "start": "2026-12-01T11:00:00+05:00",
                                                    "end": "2026-12-01T13:00:00+05:00"}, format="json")
    assert second.status_code == 409 and second.json()["code"] == "maintenance_overlap"
    assert Maintenance.objects.count() == 1


def test_maintenance_moves_through_its_lifecycle_by_the_api(api_as, receptionist, nurse):
    period = MaintenanceFactory(start=at(date(2026, 12, 1), 9), end=at(date(2026, 12, 1), 12))
    url = reverse("maintenance-transition", args=[period.pk])
    assert api_as(nurse).post(url, {"to": "cancelled"}, format="json").status_code == 403
    response = api_as(receptionist).post(url, {"to": "cancelled", "reason": "Plumber ill"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    again = api_as(receptionist).post(url, {"to": "in_progress"}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "illegal_transition"
    bad = api_as(receptionist).post(url, {"to": "paused"}, format="json")
    assert bad.status_code == 400 and "to" in bad.json()["errors"]


def test_maintenance_can_be_rescheduled_with_patch(api_as, receptionist):
    period = MaintenanceFactory(start=at(date(2026, 12, 1), 9), end=at(date(2026, 12, 1), 12))
    response = api_as(receptionist).patch(reverse("maintenance-detail", args=[period.pk]),
                                          {"end": "2026-12-01T15:00:00+05:00"}, format="json")
    assert response.status_code == 200, response.json()
    period.refresh_from_db()
    assert period.end == at(date(2026, 12, 1), 15)


def test_availability_returns_the_matrix(api_as, nurse, occupancy):
    double = RoomTypeFactory(name="Double")
    room = RoomFactory(room_type=double, capacity=2)
    occupancy.book(room, date(2026, 12, 2), date(2026, 12, 3), guests=1)
    response = api_as(nurse).get(reverse("availability"), {"start": "2026-12-01", "end": "2026-12-04"})
    assert response.status_code == 200
    body = response.json()
    assert body["days"] == ["2026-12-01", "2026-12-02", "2026-12-03"]
    assert [cell["free_places"] for cell in body["room_types"][0]["cells"]] == [2, 1, 2]
    assert body["room_types"][0]["name"] == "Double" and body["totals"][1]["free_rooms"] == 0


@pytest.mark.parametrize("params", [{}, {"start": "2026-12-05", "end": "2026-12-01"}, {"start": "x", "end": "y"},
                                    {"start": "2026-01-01", "end": "2028-01-01"}])
def test_availability_refuses_bad_ranges_with_400(api_as, nurse, params):
    response = api_as(nurse).get(reverse("availability"), params)
    assert response.status_code == 400 and response.json()["detail"]


def test_free_rooms_and_beds_endpoints(api_as, nurse, occupancy):
    room = RoomFactory(capacity=2, name="D1")
    other = RoomFactory(capacity=1, name="S1")
    occupancy.book(room, date(2026, 12, 1), date(2026, 12, 3), bed=room.beds.get(number="1"))
    rooms = api_as(nurse).get(reverse("availability-free-rooms"), {"start": "2026-12-01", "end": "2026-12-03"})
    assert {(row["name"], row["free_places"]) for row in rooms.json()} == {("D1", 1), ("S1", 1)}
    two = api_as(nurse).get(reverse("availability-free-rooms"), {"start": "2026-12-01", "end": "2026-12-03",
                                                                  "guests": 2})
    assert two.json() == []
    beds = api_as(nurse).get(reverse("availability-free-beds"), {"start": "2026-12-01", "end": "2026-12-03"})
    assert {(row["room_name"], row["number"]) for row in beds.json()} == {("D1", "2"), ("S1", "1")}
    assert other.pk


def test_ordering_is_limited_to_the_listed_fields(api_as, nurse):
    RoomFactory(name="A", base_price="100", notes="zzz")
    RoomFactory(name="B", base_price="300", notes="aaa")
    by_price = api_as(nurse).get(reverse("room-list"), {"ordering": "-base_price"}).json()["results"]
    assert [row["name"] for row in by_price] == ["B", "A"]
    by_notes = api_as(nurse).get(reverse("room-list"), {"ordering": "notes"}).json()["results"]
    assert [row["name"] for row in by_notes] == ["A", "B"]  # not a sort field: the default order stays


@pytest.mark.parametrize("size", [3, 30])
@pytest.mark.parametrize("url_name", ["room-list", "bed-list", "maintenance-list", "ward-list", "department-list",
                                      "room-type-list", "building-list", "amenity-list"])
def test_api_lists_take_a_constant_number_of_queries(url_name, size, api_as, nurse, django_assert_max_num_queries):
    building = BuildingFactory(code="Q")
    for index in range(size):
        room = RoomFactory(name=f"Q{index}", building=building, ward=WardFactory(building=building))
        MaintenanceFactory(room=room, start=at(date(2026, 12, 1) + timedelta(days=index), 9),
                           end=at(date(2026, 12, 1) + timedelta(days=index), 10))
    api = api_as(nurse)
    with django_assert_max_num_queries(5):
        assert api.get(reverse(url_name)).status_code == 200


def test_departments_are_managed_through_the_api(api_as, admin_user, nurse):
    api = api_as(admin_user)
    created = api.post(reverse("department-list"), {"name": "Neurology", "code": "neuro",
                                                    "new_specialisation": "Neurology"}, format="json")
    assert created.status_code == 201 and created.json()["code"] == "NEURO"
    assert created.json()["specialisation_name"] == "Neurology"
    taken = api.post(reverse("department-list"), {"name": "Neurology", "code": "N2"}, format="json")
    assert taken.status_code == 400 and "name" in taken.json()["errors"]
    department = DepartmentFactory(code="X1")
    assert api_as(nurse).patch(reverse("department-detail", args=[department.pk]), {"is_active": False},
                               format="json").status_code == 403


def test_a_patch_of_beds_keeps_everything_else(api_as, admin_user):
    bed = RoomFactory(capacity=2).beds.get(number="2")
    api_as(admin_user).patch(reverse("bed-detail", args=[bed.pk]), {"number": "2B"}, format="json")
    bed = Bed.objects.get(pk=bed.pk)
    assert (bed.number, bed.is_active) == ("2B", True)
