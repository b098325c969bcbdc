"""Maintenance periods: no two open ones overlap on a room or bed, none closes an occupied place, statuses follow
their table, and the database refuses impossible periods on every engine."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from hayat.core.errors import Conflict, DomainError
from hayat.core.formats import format_date
from hayat.core.lifecycle import IllegalTransition
from hayat.core.models import AuditEvent
from hayat.core.tests.concurrency import run_in_parallel
from hayat.facilities import availability, maintenance
from hayat.facilities.maintenance import MaintenanceData
from hayat.facilities.models import Maintenance, MaintenanceKind, MaintenanceStatus, Room
from hayat.facilities.tests.factories import RoomFactory, at

pytestmark = pytest.mark.django_db

DAY = date(2026, 12, 1)


def data(room: Room, start_hour: int, end_hour: int, *, bed=None, kind=MaintenanceKind.REPAIR, on: date = DAY,
         **extra) -> MaintenanceData:
    return MaintenanceData(room=room, bed=bed, kind=kind, start=at(on, start_hour), end=at(on, end_hour), **extra)


@pytest.fixture
def room():
    return RoomFactory(capacity=2)


def test_scheduling_takes_the_room_out_of_availability_and_is_audited(receptionist, room):
    period = maintenance.schedule(by=receptionist, data=data(room, 9, 12, description="Leaking tap"))
    assert period.status == MaintenanceStatus.SCHEDULED and period.created_by == receptionist
    assert availability.free_places(DAY, DAY + timedelta(days=1)) == {room.pk: 0}
    assert list(period.status_changes.values_list("from_status", "to_status")) == [("", "scheduled")]
    assert AuditEvent.objects.filter(action="maintenance.schedule", object_id=str(period.pk)).exists()


def test_nurses_and_doctors_cannot_schedule_maintenance(nurse, doctor, room):
    for person in (nurse, doctor):
        with pytest.raises(PermissionDenied):
            maintenance.schedule(by=person, data=data(room, 9, 12))
    assert not Maintenance.objects.exists()


@pytest.mark.parametrize("first, second, bed_numbers", [
    ((9, 12), (11, 14), (None, None)),   # room and room
    ((9, 12), (8, 10), (None, "1")),     # a bed inside a closed room
    ((9, 12), (10, 11), ("1", None)),    # closing the room around a bed's repair
    ((9, 12), (11, 13), ("2", "2")),     # the same bed
])
def test_overlapping_open_periods_are_refused(admin_user, room, first, second, bed_numbers):
    beds = [room.beds.get(number=number) if number else None for number in bed_numbers]
    maintenance.schedule(by=admin_user, data=data(room, *first, bed=beds[0]))
    with pytest.raises(Conflict) as refused:
        maintenance.schedule(by=admin_user, data=data(room, *second, bed=beds[1]))
    assert refused.value.code == "maintenance_overlap" and refused.value.status == 409
    assert "already has repair planned" in refused.value.message
    assert Maintenance.objects.count() == 1


def test_different_beds_back_to_back_periods_and_other_rooms_do_not_collide(admin_user, room):
    first, second = room.beds.order_by("number")
    maintenance.schedule(by=admin_user, data=data(room, 9, 12, bed=first))
    maintenance.schedule(by=admin_user, data=data(room, 9, 12, bed=second))
    maintenance.schedule(by=admin_user, data=data(room, 12, 14))  # starts when the others end
    maintenance.schedule(by=admin_user, data=data(RoomFactory(), 9, 12))
    assert Maintenance.objects.count() == 4


def test_finished_and_cancelled_periods_no_longer_collide(admin_user, room, clock):
    clock.set(at(DAY, 10))
    done = maintenance.schedule(by=admin_user, data=data(room, 9, 12))
    maintenance.transition(by=admin_user, period=done, to=MaintenanceStatus.DONE)
    cancelled = maintenance.schedule(by=admin_user, data=data(room, 10, 13))
    maintenance.transition(by=admin_user, period=cancelled, to=MaintenanceStatus.CANCELLED, reason="no parts")
    assert maintenance.schedule(by=admin_user, data=data(room, 10, 12)).pk


def test_an_occupied_room_or_bed_cannot_be_closed(admin_user, room, occupancy):
    first, second = room.beds.order_by("number")
    occupancy.book(room, DAY, DAY + timedelta(days=2), bed=first)
    with pytest.raises(Conflict) as whole_room:
        maintenance.schedule(by=admin_user, data=data(room, 9, 12))
    assert whole_room.value.code == "room_in_use" and format_date(DAY) in whole_room.value.message
    with pytest.raises(Conflict):
        maintenance.schedule(by=admin_user, data=data(room, 9, 12, bed=first))
    assert maintenance.schedule(by=admin_user, data=data(room, 9, 12, bed=second)).pk


def test_closing_a_bed_is_refused_when_guests_without_a_bed_need_it(admin_user, room, occupancy):
    occupancy.book(room, DAY, DAY + timedelta(days=1), guests=2)
    with pytest.raises(Conflict):
        maintenance.schedule(by=admin_user, data=data(room, 9, 12, bed=room.beds.first()))


def test_two_beds_closed_at_once_leave_no_place_for_a_guest_but_one_after_the_other_do(admin_user, room, occupancy):
    first, second = room.beds.order_by("number")
    occupancy.book(room, DAY, DAY + timedelta(days=1), guests=1)
    maintenance.schedule(by=admin_user, data=data(room, 9, 12, bed=first))
    with pytest.raises(Conflict):
        maintenance.schedule(by=admin_user, data=data(room, 11, 13, bed=second))
    assert maintenance.schedule(by=admin_user, data=data(room, 13, 15, bed=second)).pk


def test_a_bed_must_belong_to_the_room_and_be_in_service(admin_user, room):
    other = RoomFactory()
    with pytest.raises(DomainError) as foreign:
        maintenance.schedule(by=admin_user, data=data(room, 9, 12, bed=other.beds.first()))
    assert foreign.value.field == "bed"
    retired = room.beds.get(number="2")
    retired.is_active = False
    retired.save()
    with pytest.raises(DomainError):
        maintenance.schedule(by=admin_user, data=data(room, 9, 12, bed=retired))


@pytest.mark.parametrize("start, end, field", [(12, 9, "end"), (9, 9, "end")])
def test_an_end_not_after_the_start_is_refused_with_a_message(admin_user, room, start, end, field):
    with pytest.raises(DomainError) as refused:
        maintenance.schedule(by=admin_user, data=data(room, start, end))
    assert refused.value.field == field


def test_a_period_longer_than_a_year_is_refused(admin_user, room):
    long = MaintenanceData(room=room, kind=MaintenanceKind.RENOVATION, start=at(DAY), end=at(DAY + timedelta(days=400)))
    with pytest.raises(DomainError):
        maintenance.schedule(by=admin_user, data=long)


def test_rescheduling_moves_the_period_without_colliding_with_itself(admin_user, room):
    period = maintenance.schedule(by=admin_user, data=data(room, 9, 12, bed=room.beds.first()))
    moved = maintenance.reschedule(by=admin_user, period=period, data=data(room, 10, 15, bed=room.beds.first()))
    assert (moved.start, moved.end) == (at(DAY, 10), at(DAY, 15))
    other = maintenance.schedule(by=admin_user, data=data(room, 16, 18))
    with pytest.raises(Conflict):
        maintenance.reschedule(by=admin_user, period=other, data=data(room, 14, 18))


def test_lifecycle_follows_its_table_and_keeps_history(admin_user, receptionist, room, clock):
    clock.set(at(DAY, 8))
    period = maintenance.schedule(by=admin_user, data=data(room, 9, 17))
    clock.set(at(DAY, 9, 30))
    maintenance.transition(by=receptionist, period=period, to=MaintenanceStatus.IN_PROGRESS)
    clock.set(at(DAY, 13))
    period = maintenance.transition(by=receptionist, period=period, to=MaintenanceStatus.DONE, reason="fixed early")
    assert period.end == at(DAY, 13)  # the afternoon is free again
    assert period.performed_by == receptionist
    assert availability.free_places(DAY, DAY + timedelta(days=1)) == {room.pk: 2}  # done: the room is back
    assert [(c.from_status, c.to_status) for c in period.status_changes.all()] == [
        ("", "scheduled"), ("scheduled", "in_progress"), ("in_progress", "done")]
    with pytest.raises(IllegalTransition):
        maintenance.transition(by=admin_user, period=period, to=MaintenanceStatus.IN_PROGRESS)
    with pytest.raises(Conflict):
        maintenance.reschedule(by=admin_user, period=period, data=data(room, 9, 10))


def test_an_unknown_status_is_refused(admin_user, room):
    period = maintenance.schedule(by=admin_user, data=data(room, 9, 12))
    with pytest.raises(IllegalTransition):
        maintenance.transition(by=admin_user, period=period, to="paused")


def refused_by_database(create) -> bool:
    try:
        with transaction.atomic():
            create()
    except IntegrityError:
        return True
    return False


@pytest.mark.parametrize("change", [{"status": "paused"}, {"kind": "party"}, {"end": at(DAY, 8)}])
def test_database_refuses_impossible_periods(admin_user, room, change):
    period = maintenance.schedule(by=admin_user, data=data(room, 9, 12))
    assert refused_by_database(lambda: Maintenance.objects.filter(pk=period.pk).update(**change))


@pytest.mark.django_db(transaction=True)
def test_of_many_overlapping_requests_at_once_exactly_one_is_recorded(make_user):
    from hayat.core.roles import Role

    admin = make_user(Role.ADMIN, user_id="parallel-admin")
    room = RoomFactory(capacity=2)

    def attempt(index: int):
        return maintenance.schedule(by=admin, data=data(room, 9 + index % 3, 14, kind=MaintenanceKind.CLEANING))

    results = run_in_parallel(attempt, 6)
    recorded = [result for result in results if isinstance(result, Maintenance)]
    refused = [result for result in results if isinstance(result, Conflict)]
    assert len(recorded) == 1 and len(refused) == 5, results
    assert Maintenance.objects.filter(room=room).count() == 1
