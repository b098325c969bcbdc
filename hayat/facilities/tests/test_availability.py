"""Availability: capacity (active beds) minus maintenance minus every provider's occupancy, for any range."""

from datetime import date, timedelta

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hayat.core.errors import DomainError
from hayat.facilities import availability
from hayat.facilities.availability import Span
from hayat.facilities.models import Bed, MaintenanceStatus, Room
from hayat.facilities.tests.factories import MaintenanceFactory, RoomFactory, RoomTypeFactory, at

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 3, 2)
INSTALLED_PROVIDERS = availability.providers  # taken before conftest puts the fake in its place


def day(offset: int) -> date:
    return MONDAY + timedelta(days=offset)


def bed(room: Room, number: str) -> Bed:
    return room.beds.get(number=number)


def test_a_double_room_with_one_guest_still_takes_one_more(occupancy):
    room = RoomFactory(capacity=2)
    occupancy.book(room, day(0), day(3), guests=1)
    assert availability.free_places(day(0), day(3)) == {room.pk: 1}
    assert list(availability.free_rooms(day(0), day(3), guests=1)) == [room]
    assert list(availability.free_rooms(day(0), day(3), guests=2)) == []


def test_a_room_full_on_one_day_of_the_range_is_not_free_for_the_range(occupancy):
    room = RoomFactory(capacity=1)
    occupancy.book(room, day(4), day(5))
    assert list(availability.free_rooms(day(0), day(4))) == [room]
    assert list(availability.free_rooms(day(0), day(5))) == []
    assert list(availability.free_rooms(day(5), day(9))) == [room]  # end is exclusive: the guest left on day 5


def test_a_bed_span_takes_exactly_that_bed(occupancy):
    room = RoomFactory(capacity=3)
    occupancy.book(room, day(0), day(2), bed=bed(room, "2"))
    free = availability.free_beds(day(0), day(2))
    assert [b.number for b in free] == ["1", "3"]
    assert availability.free_places(day(0), day(2)) == {room.pk: 2}


def test_guests_without_a_bed_leave_no_bed_free_once_the_room_is_full(occupancy):
    room = RoomFactory(capacity=2)
    occupancy.book(room, day(0), day(2), bed=bed(room, "1"))
    occupancy.book(room, day(0), day(2), guests=1)
    assert list(availability.free_beds(day(0), day(2))) == []
    assert list(availability.free_beds(day(2), day(3), room=room)) == list(room.beds.order_by("number"))


def test_room_maintenance_removes_the_room_from_every_availability_query(occupancy):
    closed, open_room = RoomFactory(capacity=2), RoomFactory(capacity=2)
    MaintenanceFactory(room=closed, start=at(day(1), 10), end=at(day(2), 12))
    assert list(availability.free_rooms(day(0), day(1))) == [closed, open_room]
    assert list(availability.free_rooms(day(0), day(3))) == [open_room]
    assert {b.room_id for b in availability.free_beds(day(1), day(2))} == {open_room.pk}
    matrix = availability.availability_matrix(day(0), day(4))
    cells = matrix.rows[0].cells if matrix.rows[0].room_type == closed.room_type else matrix.rows[1].cells
    assert [cell.free_places for cell in cells] == [2, 0, 0, 2]


def test_bed_maintenance_removes_only_that_bed(occupancy):
    room = RoomFactory(capacity=2)
    MaintenanceFactory(room=room, bed=bed(room, "1"), start=at(day(0), 9), end=at(day(0), 11))
    assert [b.number for b in availability.free_beds(day(0), day(1))] == ["2"]
    assert availability.free_places(day(0), day(1)) == {room.pk: 1}
    assert availability.free_places(day(1), day(2)) == {room.pk: 2}


@pytest.mark.parametrize("status", [MaintenanceStatus.DONE, MaintenanceStatus.CANCELLED])
def test_finished_or_cancelled_maintenance_blocks_nothing(status):
    room = RoomFactory(capacity=1)
    MaintenanceFactory(room=room, start=at(day(0), 8), end=at(day(3), 8), status=status)
    assert list(availability.free_rooms(day(0), day(3))) == [room]


def test_maintenance_blocks_each_day_it_touches_in_the_hospitals_zone():
    room = RoomFactory(capacity=1)
    MaintenanceFactory(room=room, start=at(day(0), 23), end=at(day(1), 1))
    MaintenanceFactory(room=room, start=at(day(5), 8), end=at(day(6), 0))  # ends exactly at midnight
    free = [availability.free_places(day(offset), day(offset + 1))[room.pk] for offset in range(8)]
    assert free == [0, 0, 1, 1, 1, 0, 1, 1]
    assert availability.days_touched(at(day(5), 8), at(day(6), 0)) == (day(5), day(6))


def test_inactive_rooms_and_beds_are_never_offered():
    inactive_room = RoomFactory(capacity=1, is_active=False)
    room = RoomFactory(capacity=2)
    Bed.objects.filter(room=room, number="2").update(is_active=False)
    assert availability.free_places(day(0), day(1)) == {room.pk: 1}
    assert inactive_room not in availability.free_rooms(day(0), day(1))


def test_free_rooms_filters_by_room_type():
    suite, single = RoomTypeFactory(name="Suite"), RoomTypeFactory(name="Single")
    room = RoomFactory(room_type=suite)
    RoomFactory(room_type=single)
    assert list(availability.free_rooms(day(0), day(1), room_type=suite)) == [room]


def test_matrix_counts_rooms_places_free_rooms_and_free_places(occupancy):
    double = RoomTypeFactory(name="Double")
    first, second = RoomFactory(room_type=double, capacity=2), RoomFactory(room_type=double, capacity=2)
    occupancy.book(first, day(0), day(2), guests=1)
    occupancy.book(second, day(1), day(2), bed=bed(second, "1"))
    MaintenanceFactory(room=second, bed=bed(second, "2"), start=at(day(2), 9), end=at(day(2), 10))
    matrix = availability.availability_matrix(day(0), day(3))
    assert matrix.days == [day(0), day(1), day(2)]
    (row,) = matrix.rows
    assert [(c.rooms, c.places, c.free_rooms, c.free_places) for c in row.cells] == [
        (2, 4, 1, 3), (2, 4, 0, 2), (2, 4, 1, 3)]
    assert row.cells[1].percent_free == 50
    assert [cell.free_places for cell in matrix.totals] == [3, 2, 3]


def make_rooms(count: int, room_types: list) -> None:
    for index in range(count):
        RoomFactory(room_type=room_types[index % len(room_types)], capacity=1 + index % 3)


@pytest.mark.parametrize("rooms, days", [(3, 3), (40, 60)])
def test_matrix_takes_a_constant_number_of_queries(rooms, days, occupancy, django_assert_max_num_queries):
    room_types = [RoomTypeFactory(name=f"Type {index}") for index in range(4)]
    make_rooms(rooms, room_types)
    for room in Room.objects.all()[:10]:
        occupancy.book(room, day(1), day(4))
        MaintenanceFactory(room=room, start=at(day(5), 9), end=at(day(6), 9))
    # beds, maintenance, room types; the provider's own query is not counted by the fake
    with django_assert_max_num_queries(3):
        matrix = availability.availability_matrix(day(0), day(days))
    assert len(matrix.rows) == min(rooms, 4) and all(len(row.cells) == days for row in matrix.rows)
    assert occupancy.calls == 1


@pytest.mark.parametrize("rooms", [3, 40])
def test_matrix_with_the_installed_providers_takes_three_queries_plus_one_each(rooms, monkeypatch,
                                                                               django_assert_max_num_queries):
    monkeypatch.setattr(availability, "providers", INSTALLED_PROVIDERS)
    providers = INSTALLED_PROVIDERS()
    assert len(providers) >= 2  # stays and clinical
    make_rooms(rooms, [RoomTypeFactory(name=f"Type {index}") for index in range(4)])
    MaintenanceFactory(room=Room.objects.first(), start=at(day(5), 9), end=at(day(6), 9))
    with django_assert_max_num_queries(3 + len(providers)):
        matrix = availability.availability_matrix(day(0), day(60))
    assert sum(row.cells[5].free_rooms for row in matrix.rows) == rooms - 1


@pytest.mark.parametrize("rooms", [3, 40])
def test_free_rooms_and_beds_take_a_constant_number_of_queries(rooms, django_assert_max_num_queries):
    make_rooms(rooms, [RoomTypeFactory(name="Standard")])
    with django_assert_max_num_queries(3):
        assert len(list(availability.free_rooms(day(0), day(30)))) == rooms
    beds = Bed.objects.count()
    with django_assert_max_num_queries(3):
        assert len(list(availability.free_beds(day(0), day(30)))) == beds


@pytest.mark.parametrize("start, end", [(day(3), day(3)), (day(3), day(1)), (day(0), day(400)), ("2026-01-01", day(1))])
def test_empty_reversed_too_long_or_missing_ranges_are_refused_clearly(start, end):
    with pytest.raises(DomainError) as refused:
        availability.availability_matrix(start, end)
    assert refused.value.code == "invalid_range"


def test_free_rooms_refuses_zero_guests():
    with pytest.raises(DomainError):
        availability.free_rooms(day(0), day(1), guests=0)


@pytest.mark.django_db(transaction=True)
def test_lock_for_booking_needs_a_transaction_and_returns_the_rooms_in_id_order():
    first, second = RoomFactory(), RoomFactory()
    with pytest.raises(RuntimeError):
        availability.lock_for_booking([first.pk])
    with transaction.atomic():
        assert availability.lock_for_booking([second.pk, first.pk, second.pk]) == [first, second]


def test_every_installed_provider_is_asked(monkeypatch):
    room = RoomFactory(capacity=2)
    stays = [Span(room.pk, None, day(0), day(2), 1)]
    clinical = [Span(room.pk, bed(room, "2").pk, day(1), day(3), 1)]
    monkeypatch.setattr(availability, "providers", lambda: [lambda s, e, rooms: stays, lambda s, e, rooms: clinical])
    assert availability.free_places(day(0), day(1)) == {room.pk: 1}
    assert availability.free_places(day(1), day(2)) == {room.pk: 0}
    assert availability.free_places(day(2), day(3)) == {room.pk: 1}


# A property: the matrix equals a plain per-day count written without any of the module's machinery.

SPANS = st.lists(st.tuples(st.integers(0, 2), st.sampled_from([None, "1", "2", "3"]), st.integers(0, 9),
                           st.integers(1, 5), st.integers(1, 2)), max_size=8)


def naive_free_places(room, beds, periods, spans, on: date) -> int:
    day_start, day_end = at(on), at(on + timedelta(days=1))
    touching = [p for p in periods if p.room_id == room.pk and p.start < day_end and p.end > day_start]
    if any(p.bed_id is None for p in touching):
        return 0
    usable = {b.pk for b in beds} - {p.bed_id for p in touching}
    guests = 0
    for span in spans:
        if span.room_id == room.pk and span.start <= on < span.end:
            if span.bed_id is None:
                guests += span.guests
            else:
                usable.discard(span.bed_id)
    return max(0, len(usable) - guests)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw_spans=SPANS)
def test_matrix_agrees_with_a_plain_per_day_count(raw_spans, occupancy, db):
    if not Room.objects.exists():
        room_type = RoomTypeFactory(name="Any")
        for capacity in (1, 2, 3):
            RoomFactory(room_type=room_type, capacity=capacity)
        first, second, _third = Room.objects.order_by("pk")
        MaintenanceFactory(room=first, start=at(day(2), 22), end=at(day(3), 2))
        MaintenanceFactory(room=second, bed=bed(second, "2"), start=at(day(6), 8), end=at(day(7), 8))
    rooms = list(Room.objects.order_by("pk").prefetch_related("beds"))
    periods = list(availability.Maintenance.objects.all())
    occupancy.spans = []
    for room_index, bed_number, start, length, guests in raw_spans:
        room = rooms[room_index]
        beds = {b.number: b.pk for b in room.beds.all()}
        occupancy.spans.append(Span(room.pk, beds.get(bed_number) if bed_number else None, day(start),
                                    day(start + length), guests))
    matrix = availability.availability_matrix(day(0), day(12))
    expected = [sum(naive_free_places(room, room.beds.all(), periods, occupancy.spans, day(offset)) for room in rooms)
                for offset in range(12)]
    assert [cell.free_places for cell in matrix.rows[0].cells] == expected
    for guests in (1, 2):
        wanted = {room.pk for room in rooms
                  if min(naive_free_places(room, room.beds.all(), periods, occupancy.spans, day(offset))
                         for offset in range(3, 8)) >= guests}
        assert set(availability.free_rooms(day(3), day(8), guests=guests).values_list("pk", flat=True)) == wanted


def test_the_room_page_asks_the_providers_about_that_room_only(occupancy):
    room, other = RoomFactory(capacity=3), RoomFactory(capacity=2)
    occupancy.book(room, day(0), day(2), bed=bed(room, "1"))
    occupancy.book(room, day(0), day(1), guests=1)
    occupancy.book(other, day(0), day(3), bed=bed(other, "1"))
    occupancy.book(other, day(0), day(3), guests=1)

    seen = availability.room_day(room, day(0))

    assert occupancy.rooms_asked == [{room.pk}]
    assert (seen.beds_occupied, seen.guests_without_bed, seen.free_places) == (frozenset({bed(room, "1").pk}), 1, 1)


def test_a_change_to_one_room_plans_only_that_room(occupancy, admin_user):
    from hayat.facilities import services

    room = RoomFactory(capacity=2)
    RoomFactory(capacity=2)
    services.set_bed_active(by=admin_user, bed=bed(room, "2"), active=False)
    assert occupancy.rooms_asked and all(asked == {room.pk} for asked in occupancy.rooms_asked)
