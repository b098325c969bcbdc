"""Reads of departments, wards, buildings, room types, rooms, beds and maintenance shared by pages and the API.

Every list here has a constant number of queries whatever its length. Which places are free is answered by
`hayat.facilities.availability`.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Count, Prefetch, Q, QuerySet

from hayat.accounts.models import Department
from hayat.facilities.availability import midnight
from hayat.facilities.models import BLOCKING_STATUSES, Amenity, Bed, Building, Maintenance, Room, RoomType, Ward


def active_filter(queryset: QuerySet, active: str) -> QuerySet:
    """"yes" keeps active records, "no" inactive ones, anything else both."""
    if active in {"yes", "no"}:
        return queryset.filter(is_active=active == "yes")
    return queryset


def departments(*, search: str = "", active: str = "") -> QuerySet[Department]:
    queryset = Department.objects.select_related("specialisation").annotate(
        ward_count=Count("wards", distinct=True), staff_count=Count("staff", distinct=True))
    if search:
        queryset = queryset.filter(Q(name__icontains=search) | Q(code__icontains=search)
                                   | Q(specialisation__name__icontains=search))
    return active_filter(queryset, active).order_by("name")


def wards(*, search: str = "", department: str | int = "", building: str | int = "",
          active: str = "") -> QuerySet[Ward]:
    queryset = Ward.objects.select_related("department", "building").annotate(
        room_count=Count("rooms", filter=Q(rooms__is_active=True), distinct=True),
        bed_count=Count("rooms__beds", filter=Q(rooms__is_active=True, rooms__beds__is_active=True)))
    if search:
        queryset = queryset.filter(Q(name__icontains=search) | Q(department__name__icontains=search))
    if department:
        queryset = queryset.filter(department_id=department)
    if building:
        queryset = queryset.filter(building_id=building)
    return active_filter(queryset, active).order_by("department__name", "name")


def buildings(*, search: str = "", active: str = "") -> QuerySet[Building]:
    queryset = Building.objects.annotate(room_count=Count("rooms", filter=Q(rooms__is_active=True)))
    if search:
        queryset = queryset.filter(Q(name__icontains=search) | Q(code__icontains=search)
                                   | Q(address__icontains=search))
    return active_filter(queryset, active).order_by("code")


def amenities(*, search: str = "") -> QuerySet[Amenity]:
    queryset = Amenity.objects.annotate(room_count=Count("rooms"))
    if search:
        queryset = queryset.filter(name__icontains=search)
    return queryset.order_by("name")


def room_types(*, search: str = "", active: str = "") -> QuerySet[RoomType]:
    queryset = RoomType.objects.annotate(
        room_count=Count("rooms", filter=Q(rooms__is_active=True), distinct=True),
        place_count=Count("rooms__beds", filter=Q(rooms__is_active=True, rooms__beds__is_active=True)))
    if search:
        queryset = queryset.filter(Q(name__icontains=search) | Q(description__icontains=search))
    return active_filter(queryset, active).order_by("name")


def rooms(*, search: str = "", room_type: str | int = "", building: str | int = "", floor: str | int = "",
          ward: str | int = "", amenity: str | int = "", active: str = "") -> QuerySet[Room]:
    queryset = Room.objects.select_related("room_type", "building", "ward__department").prefetch_related(
        "amenities")
    if search:
        queryset = queryset.filter(Q(name__icontains=search) | Q(room_type__name__icontains=search)
                                   | Q(ward__name__icontains=search) | Q(notes__icontains=search))
    if room_type:
        queryset = queryset.filter(room_type_id=room_type)
    if building:
        queryset = queryset.filter(building_id=building)
    if floor not in ("", None):
        queryset = queryset.filter(floor=floor)
    if ward:
        queryset = queryset.filter(ward_id=ward)
    if amenity:
        queryset = queryset.filter(amenities=amenity)
    return active_filter(queryset, active).order_by("building__code", "floor", "name")


def room_with_beds(pk: int) -> Room:
    """A room with its beds (active first, in number order) for the room page; raises Room.DoesNotExist."""
    return (Room.objects.select_related("room_type", "building", "ward__department")
            .prefetch_related("amenities", Prefetch("beds", queryset=Bed.objects.order_by("-is_active", "number")))
            .get(pk=pk))


def beds(*, room: str | int = "", active: str = "") -> QuerySet[Bed]:
    queryset = Bed.objects.select_related("room__building", "room__room_type")
    if room:
        queryset = queryset.filter(room_id=room)
    return active_filter(queryset, active).order_by("room__building__code", "room__name", "number")


def maintenance(*, search: str = "", status: str = "", kind: str = "", building: str | int = "",
                room: str | int = "", since: date | None = None, until: date | None = None,
                open_only: bool = False) -> QuerySet[Maintenance]:
    """Periods touching [since, until] (days, in the hospital's zone), newest start first unless filtered."""
    queryset = Maintenance.objects.select_related("room__building", "room__room_type", "bed", "performed_by")
    if search:
        queryset = queryset.filter(Q(room__name__icontains=search) | Q(description__icontains=search)
                                   | Q(performed_by__full_name__icontains=search))
    if status:
        queryset = queryset.filter(status=status)
    if open_only:
        queryset = queryset.filter(status__in=BLOCKING_STATUSES)
    if kind:
        queryset = queryset.filter(kind=kind)
    if building:
        queryset = queryset.filter(room__building_id=building)
    if room:
        queryset = queryset.filter(room_id=room)
    if since:
        queryset = queryset.filter(end__gt=midnight(since))
    if until:
        queryset = queryset.filter(start__lt=midnight(until + timedelta(days=1)))
    return queryset.order_by("start", "pk") if since or until else queryset.order_by("-start", "-pk")


def maintenance_of(room: Room) -> QuerySet[Maintenance]:
    return (Maintenance.objects.filter(room=room).select_related("bed", "performed_by")
            .order_by("-start", "-pk"))


def floors() -> list[int]:
    return list(Room.objects.order_by("floor").values_list("floor", flat=True).distinct())
