"""Rooms and beds: a room's capacity always equals its active beds, and no change strands a booked guest."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hayat.core.errors import Conflict, DomainError
from hayat.core.formats import format_date
from hayat.core.models import AuditEvent
from hayat.facilities import services
from hayat.facilities.models import Bed, Room
from hayat.facilities.services import RoomData
from hayat.facilities.tests.factories import BuildingFactory, RoomFactory, RoomTypeFactory, WardFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def building():
    return BuildingFactory(code="A", name="Building A")


@pytest.fixture
def room_type():
    return RoomTypeFactory(name="Double")


def room_data(building, room_type, **overrides) -> RoomData:
    values = {"name": "204", "room_type": room_type, "building": building, "floor": 2, "capacity": 2,
              "base_price": Decimal("450000"), "hourly_rate": Decimal("20000")}
    values.update(overrides)
    return RoomData(**values)


def active_numbers(room: Room) -> list[str]:
    return sorted(room.beds.filter(is_active=True).values_list("number", flat=True), key=int)


def capacity_agrees(room: Room) -> bool:
    room.refresh_from_db()
    return room.capacity == room.beds.filter(is_active=True).count()


def test_a_new_room_gets_one_numbered_bed_per_place_and_an_audit_entry(admin_user, building, room_type):
    room = services.create_room(by=admin_user, data=room_data(building, room_type, capacity=3))
    assert active_numbers(room) == ["1", "2", "3"]
    assert capacity_agrees(room)
    event = AuditEvent.objects.get(action="room.create")
    assert event.object_id == str(room.pk) and event.changes["capacity"] == [None, 3]


def test_only_admin_manages_rooms(receptionist, building, room_type):
    with pytest.raises(PermissionDenied):
        services.create_room(by=receptionist, data=room_data(building, room_type))
    assert not Room.objects.exists()


def test_raising_the_capacity_reactivates_retired_beds_before_adding_new_ones(admin_user, building, room_type):
    room = services.create_room(by=admin_user, data=room_data(building, room_type, capacity=3))
    services.update_room(by=admin_user, room=room, data=room_data(building, room_type, capacity=1))
    assert active_numbers(room) == ["1"]
    services.update_room(by=admin_user, room=room, data=room_data(building, room_type, capacity=4))
    assert active_numbers(room) == ["1", "2", "3", "4"]
    assert Bed.objects.filter(room=room).count() == 4
    assert capacity_agrees(room)


def test_lowering_the_capacity_retires_free_beds_and_keeps_the_booked_one(admin_user, building, room_type,
                                                                         occupancy, clock):
    room = services.create_room(by=admin_user, data=room_data(building, room_type, capacity=3))
    today = clock.now().date()
    occupancy.book(room, today + timedelta(days=10), today + timedelta(days=12), bed=room.beds.get(number="3"))
    services.update_room(by=admin_user, room=room, data=room_data(building, room_type, capacity=1))
    assert active_numbers(room) == ["3"]
    assert capacity_agrees(room)


def test_lowering_the_capacity_below_the_guests_booked_is_refused(admin_user, building, room_type, occupancy,
                                                                  clock):
    room = services.create_room(by=admin_user, data=room_data(building, room_type, capacity=3))
    today = clock.now().date()
    occupancy.book(room, today + timedelta(days=30), today + timedelta(days=40), guests=2)
    with pytest.raises(Conflict) as refused:
        services.update_room(by=admin_user, room=room, data=room_data(building, room_type, capacity=1))
    assert refused.value.field == "capacity"
    assert format_date(today + timedelta(days=30)) in refused.value.message
    assert active_numbers(room) == ["1", "2", "3"] and capacity_agrees(room)


def test_past_stays_do_not_stop_a_change(admin_user, building, room_type, occupancy, clock):
    room = services.create_room(by=admin_user, data=room_data(building, room_type, capacity=2))
    today = clock.now().date()
    occupancy.book(room, today - timedelta(days=10), today - timedelta(days=2), guests=2)
    services.update_room(by=admin_user, room=room, data=room_data(building, room_type, capacity=1))
    assert capacity_agrees(room) and room.capacity == 1


def test_a_bed_someone_will_use_cannot_leave_service(admin_user, occupancy, clock):
    room = RoomFactory(capacity=2)
    booked = room.beds.get(number="1")
    occupancy.book(room, clock.now().date() + timedelta(days=3), clock.now().date() + timedelta(days=5), bed=booked)
    with pytest.raises(Conflict):
        services.set_bed_active(by=admin_user, bed=booked, active=False)
    services.set_bed_active(by=admin_user, bed=room.beds.get(number="2"), active=False)
    assert capacity_agrees(room) and room.capacity == 1


def test_the_last_bed_stays_and_a_room_in_use_cannot_be_closed(admin_user, occupancy, clock):
    room = RoomFactory(capacity=1)
    with pytest.raises(DomainError) as last:
        services.set_bed_active(by=admin_user, bed=room.beds.get(), active=False)
    assert "at least one bed" in last.value.message
    occupancy.book(room, clock.now().date(), clock.now().date() + timedelta(days=1))
    with pytest.raises(Conflict):
        services.set_room_active(by=admin_user, room=room, active=False)
    room.refresh_from_db()
    assert room.is_active


def test_adding_a_bed_takes_the_next_free_number_or_the_one_given(admin_user):
    room = RoomFactory(capacity=2)
    assert services.add_bed(by=admin_user, room=room).number == "3"
    assert services.add_bed(by=admin_user, room=room, number="A").number == "A"
    with pytest.raises(DomainError) as taken:
        services.add_bed(by=admin_user, room=room, number="a")
    assert taken.value.field == "number"
    assert capacity_agrees(room) and room.capacity == 4


def test_renumbering_refuses_a_number_taken_in_the_same_room_only(admin_user):
    room, other = RoomFactory(capacity=2), RoomFactory(capacity=2)
    with pytest.raises(DomainError):
        services.rename_bed(by=admin_user, bed=room.beds.get(number="1"), number="2")
    assert services.rename_bed(by=admin_user, bed=other.beds.get(number="1"), number="1A").number == "1A"


@pytest.mark.parametrize("number", ["²", "1²", "٣", "½", "4 B", "A_1", "-", "12345678901", "<b>"])
def test_a_bed_number_that_is_not_digits_and_letters_is_refused_and_nothing_changes(admin_user, number):
    room = RoomFactory(capacity=2)
    with pytest.raises(DomainError) as refused:
        services.add_bed(by=admin_user, room=room, number=number)
    assert refused.value.field == "number" and "digits and letters" in refused.value.message
    with pytest.raises(DomainError):
        services.rename_bed(by=admin_user, bed=room.beds.get(number="1"), number=number)
    assert sorted(room.beds.values_list("number", flat=True)) == ["1", "2"] and capacity_agrees(room)


@pytest.mark.parametrize("number", ["7", "12A", "Б", "4-2", "A.1", "B"])
def test_bed_numbers_of_digits_and_latin_or_cyrillic_letters_are_accepted(admin_user, number):
    room = RoomFactory(capacity=1)
    assert services.add_bed(by=admin_user, room=room, number=f" {number} ").number == number


def test_a_room_with_an_odd_old_bed_number_can_still_change_its_capacity(admin_user, building, room_type):
    room = services.create_room(by=admin_user, data=room_data(building, room_type, capacity=2))
    Bed.objects.create(room=room, number="7²")  # written before numbers were checked ("²" alone is "2" to MariaDB)
    Bed.objects.filter(room=room, number="2").update(is_active=False)
    room.refresh_from_db()
    services.update_room(by=admin_user, room=room, data=room_data(building, room_type, capacity=4))
    assert sorted(room.beds.filter(is_active=True).values_list("number", flat=True)) == ["1", "2", "3", "7²"]
    assert services.bed_order(Bed(number="²")) > services.bed_order(Bed(number="10"))


def test_a_room_never_gets_more_than_fifty_beds(admin_user, building, room_type):
    with pytest.raises(DomainError) as refused:
        services.create_room(by=admin_user, data=room_data(building, room_type, capacity=51))
    assert refused.value.field == "capacity"
    room = services.create_room(by=admin_user, data=room_data(building, room_type, capacity=50))
    with pytest.raises(DomainError, match="50 beds"):
        services.add_bed(by=admin_user, room=room)
    bed = room.beds.get(number="50")
    services.set_bed_active(by=admin_user, bed=bed, active=False)
    services.add_bed(by=admin_user, room=room, number="51")
    with pytest.raises(DomainError, match="50 beds"):
        services.set_bed_active(by=admin_user, bed=bed, active=True)
    room.refresh_from_db()
    assert room.capacity == 50 and capacity_agrees(room)


OPERATIONS = st.lists(st.one_of(
    st.tuples(st.just("add"), st.none()),
    st.tuples(st.just("retire"), st.integers(0, 5)),
    st.tuples(st.just("restore"), st.integers(0, 5)),
    st.tuples(st.just("resize"), st.integers(1, 6)),
), max_size=8)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations=OPERATIONS)
def test_capacity_always_equals_the_active_beds_whatever_is_done(operations, admin_user, building, room_type):
    name = f"R{Room.objects.count() + 1}"
    room = services.create_room(by=admin_user, data=room_data(building, room_type, name=name, capacity=2))
    for operation, argument in operations:
        beds = list(room.beds.order_by("pk"))
        try:
            if operation == "add":
                services.add_bed(by=admin_user, room=room)
            elif operation in {"retire", "restore"}:
                services.set_bed_active(by=admin_user, bed=beds[argument % len(beds)], active=operation == "restore")
            else:
                room.refresh_from_db()
                services.update_room(by=admin_user, room=room,
                                     data=room_data(building, room_type, name=name, capacity=argument))
        except DomainError:
            pass
        assert capacity_agrees(room)
        assert room.capacity >= 1


def test_a_ward_in_another_building_is_refused(admin_user, building, room_type):
    ward = WardFactory(building=BuildingFactory(code="B"))
    with pytest.raises(DomainError) as refused:
        services.create_room(by=admin_user, data=room_data(building, room_type, ward=ward))
    assert refused.value.field == "ward"


def test_room_names_are_unique_per_building_ignoring_case(admin_user, building, room_type):
    services.create_room(by=admin_user, data=room_data(building, room_type, name="Lux-1"))
    with pytest.raises(DomainError) as taken:
        services.create_room(by=admin_user, data=room_data(building, room_type, name="lux-1"))
    assert taken.value.field == "name"
    other = BuildingFactory(code="B", name="Building B")
    assert services.create_room(by=admin_user, data=room_data(other, room_type, name="Lux-1")).pk


def test_negative_prices_are_refused_by_the_service(admin_user, building, room_type):
    with pytest.raises(DomainError) as refused:
        services.create_room(by=admin_user, data=room_data(building, room_type, base_price=Decimal("-1")))
    assert refused.value.field == "base_price"


def test_room_history_keeps_who_changed_the_price(admin_user, building, room_type):
    room = services.create_room(by=admin_user, data=room_data(building, room_type))
    services.update_room(by=admin_user, room=room, data=room_data(building, room_type, base_price=Decimal("500000")))
    latest = room.history.order_by("-history_date").first()
    assert latest.base_price == Decimal("500000.00") and latest.history_user == admin_user
    assert AuditEvent.objects.get(action="room.update").changes == {"base_price": ["450000.00", "500000.00"]}


# The database keeps the rules even when code does not (every engine) ------------------------------------------

def refused_by_database(create) -> bool:
    try:
        with transaction.atomic():
            create()
    except IntegrityError:
        return True
    return False


def test_database_refuses_a_duplicate_bed_number_in_a_room():
    room = RoomFactory(capacity=1)
    assert refused_by_database(lambda: Bed.objects.create(room=room, number="1"))
    assert not refused_by_database(lambda: Bed.objects.create(room=RoomFactory(capacity=1, name="x2"), number="2"))


@pytest.mark.parametrize("field, value", [("capacity", 0), ("capacity", 51), ("base_price", Decimal("-0.01")),
                                          ("hourly_rate", Decimal("-5")), ("floor", 500), ("name", "")])
def test_database_refuses_a_room_that_breaks_a_rule(field, value):
    room = RoomFactory()
    assert refused_by_database(lambda: Room.objects.filter(pk=room.pk).update(**{field: value}))


def test_database_refuses_two_rooms_of_one_name_in_a_building():
    room = RoomFactory(name="101")
    assert refused_by_database(lambda: RoomFactory(name="101", building=room.building))


def queries_of(action) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        action()
    return len(queries)


def test_creating_and_resizing_a_room_takes_the_same_queries_for_two_beds_or_forty(admin_user, building, room_type):
    counts = {}
    for size in (2, 40):
        name = f"Q{size}"
        data = lambda capacity, name=name: room_data(building, room_type, name=name, capacity=capacity)  # noqa: E731
        created = queries_of(lambda data=data, size=size: services.create_room(by=admin_user, data=data(size)))
        room = Room.objects.get(name=name)
        shrunk = queries_of(lambda room=room, data=data: services.update_room(by=admin_user, room=room, data=data(1)))
        room.refresh_from_db()
        grown = queries_of(lambda room=room, data=data, size=size: services.update_room(
            by=admin_user, room=room, data=data(size + 5)))
        counts[size] = (created, shrunk, grown)
        room.refresh_from_db()
        assert room.capacity == size + 5 and capacity_agrees(room)
        assert room.beds.count() == size + 5
        # one history row per bed created, retired, put back or added
        assert Bed.history.filter(room_id=room.pk, history_user=admin_user).count() == size + 2 * (size - 1) + 5
    assert counts[2] == counts[40]
