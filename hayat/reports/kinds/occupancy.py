"""Occupancy: places (active beds) per day, those out of order (maintenance), those in service, those occupied
by a guest or an inpatient, and the share of the places in service that were occupied.

A place counts as occupied on every day a guest line or a bed assignment touches, as the availability of
hayat.facilities counts it; maintenance takes a place out of order on every day its period touches.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from operator import add

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


def out_of_order(plans: dict, filters: Filters) -> dict[int, dict[int, int]]:
    """{room id: {day index: places out of order}}, only for the days a room is closed or has beds under repair."""
    closed: dict[int, dict[int, set | bool]] = defaultdict(dict)
    # Every room's periods in the window (few): those of rooms outside the plans are passed over.
    periods_ = Maintenance.objects.filter(status__in=BLOCKING_STATUSES, start__lt=midnight(filters.end),
                                          end__gt=midnight(filters.start))
    for room_id, bed_id, start, end in periods_.values_list("room_id", "bed_id", "start", "end"):
        if room_id not in plans:
            continue
        first, after = days_touched(start, end)
        for index in index_range(filters.start, filters.days, first, after):
            if bed_id is None:
                closed[room_id][index] = True
            elif closed[room_id].get(index) is not True:
                closed[room_id].setdefault(index, set()).add(bed_id)
    return {room_id: {index: len(plans[room_id].beds) if day is True else len(day & plans[room_id].beds)
                      for index, day in days_.items()}
            for room_id, days_ in closed.items()}


def per_day(filters: Filters) -> dict[date, dict]:
    """Each room's occupied places a day are its guests and taken beds, at most its places in service; the sums
    run over whole rows of days at once (two years of a big hospital are a quarter of a million room-days)."""
    plans = availability.room_plans(filters.start, filters.end, rooms=rooms_of(filters), include_maintenance=False)
    broken = out_of_order(plans, filters)
    places = sum(len(plan.beds) for plan in plans.values())
    out = [0] * filters.days
    occupied = [0] * filters.days
    for room_id, plan in plans.items():
        in_service = [len(plan.beds)] * filters.days
        for index, lost in broken.get(room_id, {}).items():
            in_service[index] -= lost
            out[index] += lost
        taken = map(add, [len(beds) if beds else 0 for beds in plan.unusable_beds], plan.guests)
        occupied = list(map(add, occupied, map(min, taken, in_service)))
    return {day: {"places": places, "out_of_order": out[index], "in_service": places - out[index],
                  "occupied": occupied[index]}
            for index, day in enumerate(periods.days(filters.start, filters.end))}


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
