"""Occupancy: places (active beds) per day, those out of order (maintenance), those in service, those occupied
by a guest or an inpatient, and the share of the places in service that were occupied.

A place counts as occupied on every day a guest line or a bed assignment touches, as the availability of
hayat.facilities counts it; maintenance takes a place out of order on every day its period touches.
"""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from hayat.facilities import availability
from hayat.facilities.availability import days_touched, index_range, midnight
from hayat.facilities.models import BLOCKING_STATUSES, Maintenance, Room
from hayat.reports import periods
from hayat.reports.filters import Filters
from hayat.reports.registry import OCCUPANCY, PERCENT, Chart, Column, Report, Table

COLUMNS = (
    Column("period", _("Period")),
    Column("places", _("Place-nights")),
    Column("out_of_order", _("Out of order")),
    Column("in_service", _("In service")),
    Column("occupied", _("Occupied")),
    Column("percent", _("Occupancy, %"), PERCENT),
)
KEYS = ("places", "out_of_order", "in_service", "occupied")


def rooms_of(filters: Filters) -> QuerySet[Room] | None:
    """The active rooms of the department or room type asked for; None without either, for every active room
    (the plans then ask the occupancy providers without a list of every room's id, which cost more to build and
    to plan than the spans themselves)."""
    if filters.department is None and filters.room_type is None:
        return None
    rooms = Room.objects.filter(is_active=True)
    if filters.department is not None:
        rooms = rooms.filter(ward__department=filters.department)
    if filters.room_type is not None:
        rooms = rooms.filter(room_type=filters.room_type)
    return rooms


def out_of_order(plans: dict, filters: Filters) -> dict[int, list[int]]:
    """{room id: places out of order per day} for the rooms with a maintenance period in the window: the whole room
    on a day it is closed, else its beds under repair."""
    days = filters.days
    closed: dict[int, list[set | bool]] = {}
    # Every room's periods in the window (few): those of rooms outside the plans are passed over.
    periods_ = Maintenance.objects.filter(status__in=BLOCKING_STATUSES, start__lt=midnight(filters.end),
                                          end__gt=midnight(filters.start))
    for room_id, bed_id, start, end in periods_.values_list("room_id", "bed_id", "start", "end"):
        if room_id not in plans:
            continue
        room_days = closed.setdefault(room_id, [set() for _ in range(days)])
        first, after = days_touched(start, end)
        for index in index_range(filters.start, days, first, after):
            if bed_id is None:
                room_days[index] = True
            elif room_days[index] is not True:
                room_days[index].add(bed_id)
    return {room_id: [len(plans[room_id].beds) if day is True else len(day & plans[room_id].beds) for day in days_]
            for room_id, days_ in closed.items()}


def per_day(filters: Filters) -> dict[date, dict]:
    plans = availability.room_plans(filters.start, filters.end, rooms=rooms_of(filters), include_maintenance=False)
    broken = out_of_order(plans, filters)
    places = sum(len(plan.beds) for plan in plans.values())
    found = {}
    for index, day in enumerate(periods.days(filters.start, filters.end)):
        out = occupied = 0
        for room_id, plan in plans.items():
            lost = broken[room_id][index] if room_id in broken else 0
            taken = len(plan.unusable_beds[index] or ()) + plan.guests[index]
            out += lost
            occupied += min(taken, len(plan.beds) - lost)
        found[day] = {"places": places, "out_of_order": out, "in_service": places - out, "occupied": occupied}
    return found


def percent(occupied: int, in_service: int) -> float | None:
    return round(100 * occupied / in_service, 1) if in_service else None


def row(label, values: dict) -> tuple:
    return (label, *(values[key] for key in KEYS), percent(values["occupied"], values["in_service"]))


def read(filters: Filters) -> Table:
    folded = periods.fold(per_day(filters), KEYS, filters.start, filters.end, filters.grain)
    total = {key: sum(values[key] for _first, values in folded) for key in KEYS}
    return Table(COLUMNS, [row(first, values) for first, values in folded], total=row(_("Total"), total),
                 label_kind=filters.grain)


REPORT = Report(
    slug="occupancy", title=_("Occupancy"), group=OCCUPANCY, capability="reports.stays",
    description=_("Places in service, out of order and occupied, by day, week or month."),
    read=read, chart=Chart("period", ("in_service", "occupied")), filters=("grain", "department", "room_type"))
