"""The facilities pages: everyone looks, Admin manages, reception records maintenance; lists stay cheap."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from hayat.accounts.models import Department, Specialisation
from hayat.accounts.tests.factories import DepartmentFactory
from hayat.facilities.models import Amenity, Building, Maintenance, MaintenanceStatus, Room, RoomType, RoomUse, Ward
from hayat.facilities.tests.factories import (
    BuildingFactory,
    MaintenanceFactory,
    RoomFactory,
    RoomTypeFactory,
    WardFactory,
    at,
)

pytestmark = pytest.mark.django_db


def page_text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


LISTS = ["facilities:room_list", "facilities:room_type_list", "facilities:building_list", "facilities:amenity_list",
         "facilities:department_list", "facilities:ward_list", "facilities:maintenance_list",
         "facilities:availability"]


# What each list must show of the places made by `listed_places`.
LISTED = {
    "facilities:room_list": ["R-777", "Garden suite", "Sample Tower"],
    "facilities:room_type_list": ["Garden suite"],
    "facilities:building_list": ["Sample Tower", "ST"],
    "facilities:amenity_list": ["Balcony"],
    "facilities:department_list": ["Cardiology sample", "CSAM"],
    "facilities:ward_list": ["East wing", "Cardiology sample"],
    "facilities:maintenance_list": ["R-777", "Annual repaint"],
    "facilities:availability": ["Garden suite"],
}


@pytest.fixture
def listed_places(clock):
    building = BuildingFactory(code="ST", name="Sample Tower")
    ward = WardFactory(name="East wing", building=building,
                       department=DepartmentFactory(code="CSAM", name="Cardiology sample"))
    room = RoomFactory(name="R-777", room_type=RoomTypeFactory(name="Garden suite"), building=building, ward=ward)
    room.amenities.add(Amenity.objects.create(name="Balcony"))
    MaintenanceFactory(room=room, description="Annual repaint", start=at(date(2026, 11, 23), 9),
                       end=at(date(2026, 11, 23), 12))
    return room


@pytest.mark.parametrize("url_name", LISTS)
def test_every_role_sees_the_lists_but_only_admin_gets_the_new_button(url_name, client_as, nurse, admin_user,
                                                                     listed_places):
    nurse_page = page_text(client_as(nurse).get(reverse(url_name)))
    assert 'data-shortcut="new"' not in nurse_page
    admin_page = page_text(client_as(admin_user).get(reverse(url_name)))
    for page in (nurse_page, admin_page):
        assert all(text in page for text in LISTED[url_name]), url_name
    if url_name != "facilities:availability":
        assert 'data-shortcut="new"' in admin_page
        assert 'data-shortcut="search"' in admin_page


def test_non_admins_cannot_open_set_up_forms(client_as, nurse, receptionist):
    room = RoomFactory()
    for person in (nurse, receptionist):
        client = client_as(person)
        assert client.get(reverse("facilities:room_create")).status_code == 403
        assert client.get(reverse("facilities:room_edit", args=[room.pk])).status_code == 403
        assert client.post(reverse("facilities:bed_add", args=[room.pk])).status_code == 403
    assert client_as(nurse).get(reverse("facilities:maintenance_create")).status_code == 403
    assert client_as(receptionist).get(reverse("facilities:maintenance_create")).status_code == 200


def make_rooms(count: int) -> None:
    building, room_type = BuildingFactory(code="LIST"), RoomTypeFactory(name="Listed")
    amenities = [Amenity.objects.create(name=f"Amenity {index}") for index in range(3)]
    ward = WardFactory(building=building)
    for index in range(count):
        room = RoomFactory(name=f"L{index}", building=building, room_type=room_type, ward=ward if index % 2 else None)
        room.amenities.set(amenities[: index % 4])
        MaintenanceFactory(room=room, start=at(date(2026, 12, 1) + timedelta(days=index), 9),
                           end=at(date(2026, 12, 1) + timedelta(days=index), 12))


@pytest.mark.parametrize("count", [2, 30])
@pytest.mark.parametrize("url_name", LISTS)
def test_lists_take_a_constant_number_of_queries(url_name, count, client_as, admin_user,
                                                  django_assert_max_num_queries):
    make_rooms(count)
    client = client_as(admin_user)
    with django_assert_max_num_queries(10):
        page_text(client.get(reverse(url_name)))


def test_room_list_live_search_returns_only_the_rows_and_filters(client_as, nurse):
    suite = RoomTypeFactory(name="Suite")
    RoomFactory(name="401", room_type=suite)
    RoomFactory(name="102", room_type=RoomTypeFactory(name="Standard"))
    client = client_as(nurse)
    rows = page_text(client.get(reverse("facilities:room_list"), {"q": "40"}, HTTP_HX_REQUEST="true"))
    assert "<html" not in rows and ">401<" in rows and ">102<" not in rows
    by_type = page_text(client.get(reverse("facilities:room_list"), {"room_type": suite.pk}))
    assert ">401<" in by_type and ">102<" not in by_type


@pytest.mark.parametrize("params", [{"room_type": "abc"}, {"floor": "x"}, {"building": "999999"},
                                    {"page": "zzz"}, {"active": "maybe"}, {"ward": "-1"}])
def test_nonsense_filters_are_ignored_never_a_server_error(params, client_as, nurse):
    RoomFactory(name="777")
    assert ">777<" in page_text(client_as(nurse).get(reverse("facilities:room_list"), params))


def room_post(building, room_type, **overrides) -> dict:
    values = {"name": "305", "room_type": room_type.pk, "building": building.pk, "floor": 3, "capacity": 2,
              "base_price": "380000", "hourly_rate": "0", "is_active": "on"}
    values.update(overrides)
    return values


def test_admin_creates_and_edits_a_room_through_the_pages(client_as, admin_user):
    building, room_type = BuildingFactory(code="B"), RoomTypeFactory(name="Standard double")
    wifi = Amenity.objects.create(name="Wi-Fi", icon="wifi")
    client = client_as(admin_user)
    response = client.post(reverse("facilities:room_create"), room_post(building, room_type, amenities=[wifi.pk]))
    room = Room.objects.get(name="305")
    assert response["Location"] == reverse("facilities:room_detail", args=[room.pk])
    assert list(room.amenities.all()) == [wifi] and room.beds.count() == 2
    detail = page_text(client.get(response["Location"]))
    assert 'data-bed="1"' in detail and 'data-bed="2"' in detail and "Wi-Fi" in detail
    client.post(reverse("facilities:room_edit", args=[room.pk]), room_post(building, room_type, capacity=3))
    room.refresh_from_db()
    assert room.capacity == 3 and room.beds.filter(is_active=True).count() == 3


def test_bad_room_input_shows_messages_on_the_form(client_as, admin_user):
    building, room_type = BuildingFactory(code="B"), RoomTypeFactory(name="Standard double")
    RoomFactory(name="305", building=building)
    client = client_as(admin_user)
    duplicate = page_text(client.post(reverse("facilities:room_create"), room_post(building, room_type)))
    assert "already has a room of that name" in duplicate
    negative = page_text(client.post(reverse("facilities:room_create"),
                                     room_post(building, room_type, name="306", base_price="-5")))
    assert "greater than or equal to 0" in negative
    assert not Room.objects.filter(name="306").exists()


def test_beds_are_added_renumbered_and_taken_out_from_the_room_page(client_as, admin_user):
    room = RoomFactory(capacity=2)
    client = client_as(admin_user)
    client.post(reverse("facilities:bed_add", args=[room.pk]), {"number": ""})
    bed = room.beds.get(number="3")
    client.post(reverse("facilities:bed_rename", args=[bed.pk]), {"number": "3A"})
    response = client.post(reverse("facilities:bed_set_active", args=[bed.pk]), {"active": "0"}, follow=True)
    assert "capacity fell by one" in page_text(response)
    room.refresh_from_db()
    assert room.capacity == 2 and room.beds.get(pk=bed.pk).number == "3A"
    refused = client.post(reverse("facilities:bed_rename", args=[bed.pk]), {"number": "1"}, follow=True)
    assert "already has a bed with that number" in page_text(refused)


def test_room_page_shows_today_for_each_bed(client_as, nurse, occupancy, clock):
    room = RoomFactory(capacity=3)
    today = clock.now().date()
    occupancy.book(room, today, today + timedelta(days=2), bed=room.beds.get(number="1"))
    MaintenanceFactory(room=room, bed=room.beds.get(number="2"), start=clock.now(),
                       end=clock.now() + timedelta(hours=2))
    html = page_text(client_as(nurse).get(reverse("facilities:room_detail", args=[room.pk])))
    assert 'data-status="occupied"' in html and 'data-status="maintenance"' in html and 'data-status="free"' in html
    assert "1 free today" in html


def test_reception_schedules_and_completes_maintenance_from_the_pages(client_as, receptionist, clock):
    room = RoomFactory(capacity=2)
    client = client_as(receptionist)
    form = page_text(client.get(reverse("facilities:maintenance_create"), {"room": room.pk}))
    assert "The whole room" in form
    start = clock.now() + timedelta(hours=1)
    response = client.post(reverse("facilities:maintenance_create"), {
        "room": room.pk, "bed": room.beds.get(number="2").pk, "kind": "repair",
        "start": start.strftime("%Y-%m-%dT%H:%M"), "end": (start + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
        "description": "Broken rail"})
    assert response.status_code == 302
    period = Maintenance.objects.get()
    assert period.bed.number == "2" and period.description == "Broken rail"
    client.post(reverse("facilities:maintenance_transition", args=[period.pk]), {"to": "in_progress"})
    client.post(reverse("facilities:maintenance_transition", args=[period.pk]), {"to": "done", "reason": "ok"})
    period.refresh_from_db()
    assert period.status == MaintenanceStatus.DONE
    edit = page_text(client.get(reverse("facilities:maintenance_edit", args=[period.pk])))
    assert "cannot be changed" in edit and "Broken rail" in edit


def test_overlapping_maintenance_is_shown_on_the_form(client_as, receptionist):
    room = RoomFactory()
    MaintenanceFactory(room=room, start=at(date(2026, 12, 3), 9), end=at(date(2026, 12, 3), 12))
    response = client_as(receptionist).post(reverse("facilities:maintenance_create"), {
        "room": room.pk, "kind": "cleaning", "start": "2026-12-03T10:00", "end": "2026-12-03T11:00"})
    assert "already has repair planned" in page_text(response)
    assert Maintenance.objects.count() == 1


def test_reception_edits_a_period_from_its_page_and_an_overlapping_edit_changes_nothing(client_as, receptionist,
                                                                                        nurse):
    room = RoomFactory(capacity=2)
    first = MaintenanceFactory(room=room, start=at(date(2026, 12, 3), 9), end=at(date(2026, 12, 3), 12))
    second = MaintenanceFactory(room=room, start=at(date(2026, 12, 3), 14), end=at(date(2026, 12, 3), 16))
    client = client_as(receptionist)
    edit = reverse("facilities:maintenance_edit", args=[second.pk])
    moved = {"room": room.pk, "bed": room.beds.get(number="2").pk, "kind": "disinfection",
             "start": "2026-12-03T13:00", "end": "2026-12-03T17:00", "description": "After an infection",
             "performed_by": nurse.pk}
    assert client.post(edit, moved).status_code == 302
    second.refresh_from_db()
    assert (second.bed.number, second.kind, second.start, second.end, second.description, second.performed_by) == (
        "2", "disinfection", at(date(2026, 12, 3), 13), at(date(2026, 12, 3), 17), "After an infection", nurse)
    refused = page_text(client.post(edit, {**moved, "start": "2026-12-03T11:00"}))
    assert "already has repair planned for the whole room" in refused
    second.refresh_from_db()
    first.refresh_from_db()
    assert (second.start, first.start, first.end) == (at(date(2026, 12, 3), 13), at(date(2026, 12, 3), 9),
                                                      at(date(2026, 12, 3), 12))


def test_the_bed_choices_follow_the_chosen_room(client_as, receptionist):
    first, second = RoomFactory(capacity=1), RoomFactory(capacity=3)
    html = page_text(client_as(receptionist).get(reverse("facilities:maintenance_create"), {"room": second.pk}))
    options = html.split('id="id_bed"')[1].split("</select>")[0]
    assert options.count("<option") == 4 and f'value="{first.beds.get().pk}"' not in options


def test_maintenance_calendar_marks_the_days_each_period_touches(client_as, nurse, clock):
    room = RoomFactory(name="909")
    today = clock.now().date()
    MaintenanceFactory(room=room, start=at(today + timedelta(days=2), 22), end=at(today + timedelta(days=3), 3))
    html = page_text(client_as(nurse).get(reverse("facilities:maintenance_list"), {"view": "timeline",
                                                                                    "status": "open"}))
    row = html.split("909")[1].split("</tr>")[0]
    assert row.count("bg-info-subtle") == 2


def test_availability_page_shows_the_matrix_and_free_rooms(client_as, nurse, occupancy, clock):
    double = RoomTypeFactory(name="Double")
    full, free = RoomFactory(room_type=double, name="D1"), RoomFactory(room_type=double, name="D2")
    today = clock.now().date()
    occupancy.book(full, today, today + timedelta(days=3), guests=2)
    html = page_text(client_as(nurse).get(reverse("facilities:availability"),
                                          {"start": today.isoformat(), "end": (today + timedelta(days=3)).isoformat()}))
    assert 'id="availability-matrix"' in html and "<strong>2</strong>/4" in html
    free_rooms = html.split('id="free-rooms"')[1]
    assert ">D2<" in free_rooms and ">D1<" not in free_rooms
    assert free.pk


def test_availability_page_without_dates_shows_the_two_weeks_it_uses_in_the_fields(client_as, nurse, clock):
    today = clock.now().date()
    html = page_text(client_as(nurse).get(reverse("facilities:availability")))
    assert f'name="start" value="{today.isoformat()}"' in html
    assert f'name="end" value="{(today + timedelta(days=14)).isoformat()}"' in html
    assert html.split('id="availability-matrix"')[1].count("<th class=\"small") == 14


def test_availability_page_with_only_a_start_shows_two_weeks_from_it(client_as, nurse):
    html = page_text(client_as(nurse).get(reverse("facilities:availability"), {"start": "2027-01-10"}))
    assert 'name="end" value="2027-01-24"' in html


def test_availability_page_explains_an_unreadable_start(client_as, nurse):
    html = page_text(client_as(nurse).get(reverse("facilities:availability"), {"start": "10/01/20x7"}))
    assert 'id="availability-matrix"' not in html and "Enter a valid date." in html


def test_availability_page_explains_a_bad_range(client_as, nurse):
    html = page_text(client_as(nurse).get(reverse("facilities:availability"),
                                          {"start": "2026-05-10", "end": "2026-05-01"}))
    assert "The end date must be after the start date." in html


def test_admin_manages_departments_wards_buildings_amenities_and_room_types(client_as, admin_user):
    client = client_as(admin_user)
    client.post(reverse("facilities:department_create"), {"name": "Neurology", "code": "neuro",
                                                          "new_specialisation": "Neurology", "is_active": "on"})
    department = Department.objects.get(code="NEURO")
    assert department.specialisation == Specialisation.objects.get(name="Neurology")
    client.post(reverse("facilities:building_create"), {"code": "d", "name": "Building D", "is_active": "on"})
    building = Building.objects.get(code="D")
    client.post(reverse("facilities:ward_create"), {"name": "Stroke unit", "department": department.pk,
                                                    "building": building.pk, "floor": 2, "is_active": "on"})
    assert Ward.objects.filter(name="Stroke unit", department=department).exists()
    client.post(reverse("facilities:amenity_create"), {"name": "Sea view", "icon": "fa-water"})
    assert Amenity.objects.get(name="Sea view").icon == "water"
    client.post(reverse("facilities:room_type_create"), {"name": "Stroke bay", "use": "hospital", "is_active": "on"})
    room_type = RoomType.objects.get(name="Stroke bay")
    assert room_type.use == RoomUse.HOSPITAL
    assert 'data-use="hospital"' in client.get(reverse("facilities:room_type_list")).content.decode()
    client.post(reverse("facilities:room_type_edit", args=[room_type.pk]), {"name": "Stroke bay", "use": "sanatorium"})
    room_type.refresh_from_db()
    assert not room_type.is_active and room_type.use == RoomUse.SANATORIUM
    refused = client.post(reverse("facilities:room_type_edit", args=[room_type.pk]), {"name": "Stroke bay"})
    assert refused.status_code == 200 and "This field is required" in refused.content.decode()
    client.post(reverse("facilities:department_edit", args=[department.pk]),
                {"name": "Neurology", "code": "NEURO", "specialisation": department.specialisation_id})
    department.refresh_from_db()
    assert not department.is_active


def test_a_ward_name_is_unique_within_its_department(client_as, admin_user):
    department = DepartmentFactory(code="IM", name="Internal Medicine")
    WardFactory(department=department, name="Ward 1")
    html = page_text(client_as(admin_user).post(reverse("facilities:ward_create"), {
        "name": "ward 1", "department": department.pk, "building": BuildingFactory().pk, "floor": 1}))
    assert "already has a ward of that name" in html


def test_taking_a_room_out_of_service_from_its_page(client_as, admin_user, occupancy, clock):
    room = RoomFactory()
    client = client_as(admin_user)
    occupancy.book(room, clock.now().date() + timedelta(days=5), clock.now().date() + timedelta(days=6))
    refused = page_text(client.post(reverse("facilities:room_set_active", args=[room.pk]), {"active": "0"},
                                    follow=True))
    assert "move the guests or patients first" in refused
    occupancy.spans.clear()
    client.post(reverse("facilities:room_set_active", args=[room.pk]), {"active": "0"})
    room.refresh_from_db()
    assert not room.is_active


def test_dashboard_shows_free_places_today(client_as, nurse):
    RoomFactory(room_type=RoomTypeFactory(name="Deluxe"), capacity=2)
    html = page_text(client_as(nurse).get(reverse("web:dashboard")))
    assert "Free places today" in html and "Deluxe" in html
