"""Every change to departments, wards, buildings, amenities, room types, rooms and beds: one use case each.

Rooms and beds change together: a room's capacity always equals its active beds, so a use case that adds,
removes or reactivates a bed moves the capacity with it, under a lock on the room, and refuses a change that
would leave a booked guest or an assigned patient without a place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from hayat.accounts.models import Department, Specialisation, User
from hayat.core import audit, clock, policy
from hayat.core.charging import POLICY_FIELDS, ChargePolicy, ChargeUnit, checked_policy
from hayat.core.errors import Conflict, DomainError
from hayat.core.formats import format_date
from hayat.core.money import round_money
from hayat.core.transactions import retrying_atomic
from hayat.facilities import availability
from hayat.facilities.models import MAX_CAPACITY, Amenity, Bed, Building, Room, RoomType, RoomUse, Ward
from hayat.facilities.records import save_checked

DEPARTMENT_FIELDS = ("name", "code", "specialisation", "is_active")
WARD_FIELDS = ("name", "department", "building", "floor", "is_active")
BUILDING_FIELDS = ("code", "name", "address", "is_active")
ROOM_TYPE_FIELDS = ("name", "description", "use", "is_active", *POLICY_FIELDS)
ROOM_FIELDS = ("name", "room_type", "building", "floor", "ward", "capacity", "base_price", "hourly_rate",
               "is_active", "notes")
# Digits and Latin or Cyrillic letters, in parts joined by "-" or "." (3, 12A, Б, 4-2); nothing else sorts or
# prints the same everywhere.
BED_NUMBER = re.compile(r"[0-9A-Za-z\u0400-\u04FF]+(?:[-.][0-9A-Za-z\u0400-\u04FF]+)*")
BED_NUMBER_LENGTH = 10
PLAIN_NUMBER = re.compile(r"[0-9]+")


@dataclass
class DepartmentData:
    name: str
    code: str
    specialisation: Specialisation | None = None
    new_specialisation: str = ""
    is_active: bool = True


@dataclass
class WardData:
    name: str
    department: Department
    building: Building
    floor: int = 1
    is_active: bool = True


@dataclass
class BuildingData:
    code: str
    name: str
    address: str = ""
    is_active: bool = True


@dataclass
class AmenityData:
    name: str
    icon: str = ""


@dataclass
class RoomTypeData:
    name: str
    description: str = ""
    use: str = RoomUse.SANATORIUM
    is_active: bool = True
    charge_unit: str = ChargeUnit.HOUR
    minimum_units: int = 1
    grace_minutes: int = 0
    free_minutes: int = 0

    def charge_policy(self) -> ChargePolicy:
        return checked_policy(unit=self.charge_unit, minimum_units=self.minimum_units,
                              grace_minutes=self.grace_minutes, free_minutes=self.free_minutes)


@dataclass
class RoomData:
    name: str
    room_type: RoomType
    building: Building
    floor: int = 1
    capacity: int = 1
    base_price: Decimal = Decimal("0")
    hourly_rate: Decimal = Decimal("0")
    ward: Ward | None = None
    amenities: list[Amenity] = field(default_factory=list)
    is_active: bool = True
    notes: str = ""


# Departments -----------------------------------------------------------------------------------------------

@transaction.atomic
def create_department(*, by: User, data: DepartmentData) -> Department:
    policy.ensure(by, "facilities.manage")
    department = Department()
    fill_department(department, data)
    save_checked(department, by=by)
    audit.record("department.create", by=by, obj=department,
                 changes=audit.changes_between({}, audit.snapshot(department, DEPARTMENT_FIELDS)))
    return department


@transaction.atomic
def update_department(*, by: User, department: Department, data: DepartmentData) -> Department:
    policy.ensure(by, "facilities.manage")
    department = Department.objects.select_for_update().get(pk=department.pk)
    before = audit.snapshot(department, DEPARTMENT_FIELDS)
    fill_department(department, data)
    save_checked(department, by=by)
    audit.record("department.update", by=by, obj=department,
                 changes=audit.changes_between(before, audit.snapshot(department, DEPARTMENT_FIELDS)))
    return department


def fill_department(department: Department, data: DepartmentData) -> None:
    department.name, department.code = data.name.strip(), data.code.strip().upper()
    department.is_active = data.is_active
    department.specialisation = data.specialisation
    new_name = data.new_specialisation.strip()
    if new_name:
        existing = Specialisation.objects.filter(name__iexact=new_name).first()
        department.specialisation = existing or save_checked(Specialisation(name=new_name))


# Wards, buildings, amenities, room types -------------------------------------------------------------------

@transaction.atomic
def create_ward(*, by: User, data: WardData) -> Ward:
    policy.ensure(by, "facilities.manage")
    ward = Ward()
    fill_ward(ward, data)
    save_checked(ward, by=by)
    audit.record("ward.create", by=by, obj=ward,
                 changes=audit.changes_between({}, audit.snapshot(ward, WARD_FIELDS)))
    return ward


@transaction.atomic
def update_ward(*, by: User, ward: Ward, data: WardData) -> Ward:
    policy.ensure(by, "facilities.manage")
    ward = Ward.objects.select_for_update().get(pk=ward.pk)
    before = audit.snapshot(ward, WARD_FIELDS)
    fill_ward(ward, data)
    save_checked(ward, by=by)
    audit.record("ward.update", by=by, obj=ward,
                 changes=audit.changes_between(before, audit.snapshot(ward, WARD_FIELDS)))
    return ward


def fill_ward(ward: Ward, data: WardData) -> None:
    ward.name, ward.department, ward.building = data.name.strip(), data.department, data.building
    ward.floor, ward.is_active = data.floor, data.is_active
    if Ward.objects.filter(department=data.department, name__iexact=ward.name).exclude(pk=ward.pk).exists():
        raise DomainError(_("This department already has a ward of that name."), field="name")


@transaction.atomic
def create_building(*, by: User, data: BuildingData) -> Building:
    policy.ensure(by, "facilities.manage")
    building = Building(code=data.code.strip().upper(), name=data.name.strip(), address=data.address.strip(),
                        is_active=data.is_active)
    save_checked(building, by=by)
    audit.record("building.create", by=by, obj=building,
                 changes=audit.changes_between({}, audit.snapshot(building, BUILDING_FIELDS)))
    return building


@transaction.atomic
def update_building(*, by: User, building: Building, data: BuildingData) -> Building:
    policy.ensure(by, "facilities.manage")
    building = Building.objects.select_for_update().get(pk=building.pk)
    before = audit.snapshot(building, BUILDING_FIELDS)
    building.code, building.name = data.code.strip().upper(), data.name.strip()
    building.address, building.is_active = data.address.strip(), data.is_active
    save_checked(building, by=by)
    audit.record("building.update", by=by, obj=building,
                 changes=audit.changes_between(before, audit.snapshot(building, BUILDING_FIELDS)))
    return building


@transaction.atomic
def save_amenity(*, by: User, data: AmenityData, amenity: Amenity | None = None) -> Amenity:
    """Creates an amenity, or renames `amenity`."""
    policy.ensure(by, "facilities.manage")
    creating = amenity is None
    amenity = Amenity() if creating else Amenity.objects.select_for_update().get(pk=amenity.pk)
    before = {} if creating else audit.snapshot(amenity, ("name", "icon"))
    amenity.name, amenity.icon = data.name.strip(), data.icon.strip().removeprefix("fa-")
    save_checked(amenity, by=by)
    audit.record("amenity.create" if creating else "amenity.update", by=by, obj=amenity,
                 changes=audit.changes_between(before, audit.snapshot(amenity, ("name", "icon"))))
    return amenity


def checked_use(use: str) -> str:
    if use not in RoomUse.values:
        raise DomainError(_("Say whether the rooms are for sanatorium stays or hospital beds."), field="use")
    return use


@transaction.atomic
def create_room_type(*, by: User, data: RoomTypeData) -> RoomType:
    policy.ensure(by, "facilities.manage")
    room_type = RoomType(name=data.name.strip(), description=data.description.strip(), is_active=data.is_active,
                         use=checked_use(data.use))
    room_type.set_charge_policy(data.charge_policy())
    save_checked(room_type, by=by)
    audit.record("room_type.create", by=by, obj=room_type,
                 changes=audit.changes_between({}, audit.snapshot(room_type, ROOM_TYPE_FIELDS)))
    return room_type


@transaction.atomic
def update_room_type(*, by: User, room_type: RoomType, data: RoomTypeData) -> RoomType:
    policy.ensure(by, "facilities.manage")
    room_type = RoomType.objects.select_for_update().get(pk=room_type.pk)
    before = audit.snapshot(room_type, ROOM_TYPE_FIELDS)
    room_type.name, room_type.description = data.name.strip(), data.description.strip()
    room_type.is_active, room_type.use = data.is_active, checked_use(data.use)
    room_type.set_charge_policy(data.charge_policy())
    save_checked(room_type, by=by)
    audit.record("room_type.update", by=by, obj=room_type,
                 changes=audit.changes_between(before, audit.snapshot(room_type, ROOM_TYPE_FIELDS)))
    return room_type


# Rooms and beds --------------------------------------------------------------------------------------------

@retrying_atomic
def create_room(*, by: User, data: RoomData) -> Room:
    """Creates a room with `capacity` beds numbered 1, 2, ..."""
    policy.ensure(by, "facilities.manage")
    room = Room()
    fill_room(room, data)
    save_checked(room, by=by)
    room.amenities.set(data.amenities)
    add_beds(room, [str(number) for number in range(1, room.capacity + 1)], by=by)
    audit.record("room.create", by=by, obj=room,
                 changes=audit.changes_between({}, audit.snapshot(room, ROOM_FIELDS)))
    return room


@retrying_atomic
def update_room(*, by: User, room: Room, data: RoomData) -> Room:
    """Changes a room; a new capacity adds (or reactivates) beds or takes free ones out of service."""
    policy.ensure(by, "facilities.manage")
    room = availability.lock_for_booking([room.pk])[0]
    before = audit.snapshot(room, ROOM_FIELDS)
    before["amenities"] = sorted(room.amenities.values_list("pk", flat=True))
    if room.is_active and not data.is_active:
        refuse_if_used(room, close_room=True)
    old_capacity = room.capacity
    fill_room(room, data)
    if data.capacity != old_capacity:
        resize(room, data.capacity, by=by)
    save_checked(room, by=by)
    room.amenities.set(data.amenities)
    after = audit.snapshot(room, ROOM_FIELDS)
    after["amenities"] = sorted(amenity.pk for amenity in data.amenities)
    audit.record("room.update", by=by, obj=room, changes=audit.changes_between(before, after))
    return room


def fill_room(room: Room, data: RoomData) -> None:
    if data.ward is not None and data.ward.building_id != data.building.pk:
        raise DomainError(_("The ward %(ward)s is in another building.") % {"ward": data.ward.name}, field="ward")
    room.name, room.room_type, room.building = data.name.strip(), data.room_type, data.building
    room.floor, room.ward, room.capacity = data.floor, data.ward, data.capacity
    room.base_price, room.hourly_rate = amount(data.base_price, "base_price"), amount(data.hourly_rate, "hourly_rate")
    room.is_active, room.notes = data.is_active, data.notes.strip()
    if Room.objects.filter(building=data.building, name__iexact=room.name).exclude(pk=room.pk).exists():
        raise DomainError(_("This building already has a room of that name."), field="name")
    if data.capacity is None or not 1 <= data.capacity <= MAX_CAPACITY:
        raise DomainError(_("A room has from 1 to %(most)s places.") % {"most": MAX_CAPACITY}, field="capacity")


def resize(room: Room, capacity: int, *, by: User) -> None:
    """Makes the active beds number `capacity`: reactivates or adds beds, or retires the free ones."""
    beds = sorted(room.beds.all(), key=bed_order)
    active = [bed for bed in beds if bed.is_active]
    if capacity > len(active):
        missing = capacity - len(active)
        back = [bed for bed in beds if not bed.is_active][:missing]
        set_beds_active(back, True, by=by)
        add_beds(room, next_numbers(beds, missing - len(back)), by=by)
        return
    plan = future_plan(room, include_maintenance=False)
    used = set().union(*(taken for taken in plan.unusable_beds if taken)) if plan else set()
    retire = [bed for bed in reversed(active) if bed.pk not in used][:len(active) - capacity]
    if len(retire) < len(active) - capacity:
        raise Conflict(_("Only %(free)s of the beds in room %(room)s are free of bookings; free more beds "
                         "before reducing the capacity to %(capacity)s.")
                       % {"free": len(retire), "room": room.name, "capacity": capacity}, field="capacity")
    refuse_if_used(room, removed_beds=frozenset(bed.pk for bed in retire), plan=plan, field="capacity")
    set_beds_active(retire, False, by=by)


# The numbers come from next_numbers (free in the room, valid by construction) under the room's lock, so the
# beds are written in bulk, with their history rows, rather than checked and saved one by one.

def add_beds(room: Room, numbers: list[str], *, by: User) -> None:
    bulk_create_with_history([Bed(room=room, number=number) for number in numbers], Bed,
                             default_user=actor(by))


def set_beds_active(beds: list[Bed], active: bool, *, by: User) -> None:
    for bed in beds:
        bed.is_active = active
    bulk_update_with_history(beds, Bed, ["is_active"], default_user=actor(by))


def actor(by: User | None) -> User | None:
    return by if getattr(by, "is_authenticated", False) else None


@retrying_atomic
def add_bed(*, by: User, room: Room, number: str = "") -> Bed:
    """Adds an active bed (the next free number unless given) and raises the room's capacity by one."""
    policy.ensure(by, "facilities.manage")
    room = availability.lock_for_booking([room.pk])[0]
    refuse_if_full(room)
    beds = list(room.beds.all())
    number = bed_number(number) if number.strip() else next_numbers(beds, 1)[0]
    if any(bed.number.lower() == number.lower() for bed in beds):
        raise DomainError(_("This room already has a bed with that number."), field="number")
    bed = save_checked(Bed(room=room, number=number), by=by)
    set_capacity(room, by=by)
    audit.record("bed.create", by=by, obj=bed, changes={"room": [None, room.pk], "number": [None, number]})
    return bed


@retrying_atomic
def rename_bed(*, by: User, bed: Bed, number: str) -> Bed:
    policy.ensure(by, "facilities.manage")
    availability.lock_for_booking([bed.room_id])
    bed = Bed.objects.get(pk=bed.pk)
    old, number = bed.number, bed_number(number)
    if Bed.objects.filter(room_id=bed.room_id, number__iexact=number).exclude(pk=bed.pk).exists():
        raise DomainError(_("This room already has a bed with that number."), field="number")
    bed.number = number
    save_checked(bed, by=by)
    audit.record("bed.rename", by=by, obj=bed, changes={"number": [old, number]})
    return bed


@retrying_atomic
def set_bed_active(*, by: User, bed: Bed, active: bool) -> Bed:
    """Puts a bed in or out of service; the room's capacity follows. A bed someone will use stays."""
    policy.ensure(by, "facilities.manage")
    room = availability.lock_for_booking([bed.room_id])[0]
    bed = Bed.objects.get(pk=bed.pk)
    if bed.is_active == active:
        return bed
    if not active:
        if not room.beds.filter(is_active=True).exclude(pk=bed.pk).exists():
            raise DomainError(_("A room keeps at least one bed; deactivate the room instead."))
        refuse_if_used(room, removed_beds=frozenset({bed.pk}))
    else:
        refuse_if_full(room)
    bed.is_active = active
    save_checked(bed, by=by)
    set_capacity(room, by=by)
    audit.record("bed.activate" if active else "bed.deactivate", by=by, obj=bed)
    return bed


@retrying_atomic
def set_room_active(*, by: User, room: Room, active: bool) -> Room:
    """Takes a room out of service (refused while guests or patients will use it) or back in."""
    policy.ensure(by, "facilities.manage")
    room = availability.lock_for_booking([room.pk])[0]
    if room.is_active == active:
        return room
    if not active:
        refuse_if_used(room, close_room=True)
    room.is_active = active
    save_checked(room, by=by)
    audit.record("room.activate" if active else "room.deactivate", by=by, obj=room)
    return room


def set_capacity(room: Room, *, by: User) -> None:
    room.capacity = room.beds.filter(is_active=True).count()
    save_checked(room, by=by)


def future_plan(room: Room, *, include_maintenance: bool = True) -> availability.RoomPlan | None:
    today = clock.today()
    plans = availability.room_plans(today, today + timedelta(days=availability.HORIZON_DAYS),
                                    rooms=Room.objects.filter(pk=room.pk), include_maintenance=include_maintenance)
    return plans.get(room.pk)


def refuse_if_used(room: Room, *, close_room: bool = False, removed_beds: frozenset[int] = frozenset(),
                   plan: availability.RoomPlan | None = None, field: str | None = None) -> None:
    """Raises Conflict when guests or patients hold places from today on that the change would take away."""
    plan = plan or future_plan(room, include_maintenance=False)
    if plan is None:
        return
    day = availability.first_day_over(plan, clock.today(), removed_beds=removed_beds, close_room=close_room)
    if day is not None:
        raise Conflict(_("Room %(room)s is in use on %(day)s; move the guests or patients first.")
                       % {"room": room.name, "day": format_date(day)}, code="room_in_use", field=field)


def amount(value, field: str) -> Decimal:
    """A price rounded by the one money rule; a negative or unreadable one is refused on its field."""
    try:
        rounded = round_money(value)
    except (TypeError, ValueError) as error:
        raise DomainError(_("Enter an amount of money."), field=field) from error
    if not rounded.is_finite():
        raise DomainError(_("Enter an amount of money."), field=field)
    if rounded < 0:
        raise DomainError(_("A price cannot be negative."), field=field)
    return rounded


def bed_number(text: str) -> str:
    """A bed number as typed, trimmed; refused unless it reads like one (see BED_NUMBER)."""
    number = (text or "").strip()
    if not number or len(number) > BED_NUMBER_LENGTH or not BED_NUMBER.fullmatch(number):
        raise DomainError(_("A bed number is made of digits and letters (e.g. 3, 12A or Б), parts joined by - or ., "
                            "at most %(length)s characters.") % {"length": BED_NUMBER_LENGTH}, field="number")
    return number


def refuse_if_full(room: Room) -> None:
    if room.beds.filter(is_active=True).count() >= MAX_CAPACITY:
        raise DomainError(_("Room %(room)s already has %(most)s beds, the most a room may have.")
                          % {"room": room.name, "most": MAX_CAPACITY}, code="room_full")


def bed_order(bed: Bed) -> tuple:
    """Beds 1, 2, 10 in that order; lettered beds (A, B) and any other label after the numbered ones."""
    return (0, int(bed.number), "") if PLAIN_NUMBER.fullmatch(bed.number) else (1, 0, bed.number)


def next_numbers(beds: list[Bed], count: int) -> list[str]:
    taken = {bed.number.lower() for bed in beds}
    numbers, candidate = [], 1
    while len(numbers) < count:
        if str(candidate) not in taken:
            numbers.append(str(candidate))
        candidate += 1
    return numbers
