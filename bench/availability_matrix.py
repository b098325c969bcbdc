"""The availability matrix (room type × day) at 300 rooms × 60 days: Hayat's constant-query selector against
the reference system's per-day loop, in the same process, on the same data. Prints both times and the ratio.

    python bench/availability_matrix.py                               # SQLite
    python bench/availability_matrix.py --engines sqlite,postgresql,mysql --rooms 300 --days 60 --repeat 5

The reference loop is `get_room_type_availability` of the "Logus" reception module
(shared/reference/000_37982817df66ef49.txt): for every room type and every day it runs get_available_rooms()
for that day (active rooms minus rooms with an overlapping booking minus rooms under maintenance, the
maintenance exclusion being the one that document proposes) and counts it, then counts the type's rooms
again. It is rewritten here on Hayat's models, query for query. Bookings are a bench-only table that stands
in for the stays app, offered to Hayat's selector through the same occupancy hook every app uses.

Both compute the rooms wholly free per type and day; the bench checks that they agree before timing.
SQLite runs on a temporary file; PostgreSQL and MariaDB on a database named hayat_bench_facilities (dropped
and created again) at HAYAT_BENCH_POSTGRES / HAYAT_BENCH_MYSQL. Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path

from engines import run_children

ROOT = Path(__file__).resolve().parent.parent
FIRST_DAY = date(2027, 3, 1)
# (room type, beds per room, share of the rooms)
ROOM_TYPES = [("Standard single", 1, 0.2), ("Standard double", 2, 0.3), ("Deluxe", 2, 0.15), ("Suite", 2, 0.05),
              ("Ward (4 beds)", 4, 0.25), ("ICU", 2, 0.05)]


# --- parent: one child process per engine ---------------------------------------------------------------------

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rooms", type=int, default=300)
    parser.add_argument("--days", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=5, help="timed runs of each approach")
    parser.add_argument("--engines", default="sqlite")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.child:
        run_engine(arguments.child, arguments.rooms, arguments.days, arguments.repeat)
        return
    run_children(__file__, arguments.engines, database="hayat_bench_facilities",
                 arguments=["--rooms", str(arguments.rooms), "--days", str(arguments.days),
                            "--repeat", str(arguments.repeat)])


# --- child: one engine ------------------------------------------------------------------------------------------

def run_engine(engine: str, rooms: int, days: int, repeat: int) -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    stay_model = bench_stay_model()
    with connection.schema_editor() as editor:
        editor.create_model(stay_model)
    print(f"\n== {engine} ({connection.vendor}): {rooms} rooms × {days} days")
    started = time.perf_counter()
    load(rooms, days, stay_model)
    print(f"   data loaded in {time.perf_counter() - started:.1f}s")

    from hayat.facilities import availability

    availability.providers = lambda: [occupied_from(stay_model)]
    end = FIRST_DAY + timedelta(days=days)
    ours = availability.availability_matrix(FIRST_DAY, end)
    theirs = reference_matrix(FIRST_DAY, end, stay_model)
    agree = all(theirs[row.room_type.name][cell.day]["available"] == cell.free_rooms
                for row in ours.rows for cell in row.cells)
    print(f"   both give the same free rooms for every type and day: {'yes' if agree else 'NO'}")
    matrix_time, matrix_queries = measure(lambda: availability.availability_matrix(FIRST_DAY, end), repeat)
    loop_time, loop_queries = measure(lambda: reference_matrix(FIRST_DAY, end, stay_model), repeat)
    print(f"   Hayat availability_matrix   {matrix_time * 1000:9.1f} ms  {matrix_queries:5d} queries")
    print(f"   reference per-day loop      {loop_time * 1000:9.1f} ms  {loop_queries:5d} queries")
    print(f"   ratio (loop / matrix)       {loop_time / matrix_time:9.1f} x   (median of {repeat} runs each)")


def bench_stay_model():
    """Booked rooms, as the reference's BookingDetail: a room from a day up to a day (exclusive), N guests."""
    from django.db import models

    class BenchStay(models.Model):
        room = models.ForeignKey("facilities.Room", on_delete=models.CASCADE, related_name="+")
        start = models.DateField()
        end = models.DateField()
        guests = models.PositiveSmallIntegerField(default=1)

        class Meta:
            app_label = "facilities"
            db_table = "bench_facilities_stay"
            indexes = [models.Index(fields=["start", "end"], name="bench_stay_dates")]

        def __str__(self) -> str:
            return f"{self.room_id} {self.start}–{self.end}"

    return BenchStay


def occupied_from(stay_model):
    from hayat.facilities.availability import Span

    def occupied(start: date, end: date, *, rooms=None) -> list:
        stays = stay_model.objects.filter(start__lt=end, end__gt=start)
        if rooms is not None:
            stays = stays.filter(room_id__in=list(rooms))
        rows = stays.values_list("room_id", "start", "end", "guests")
        return [Span(room_id, None, first, after, guests) for room_id, first, after, guests in rows]

    return occupied


def load(count: int, days: int, stay_model) -> None:
    """Rooms and beds in three buildings, ~70% booked in stays of 3-14 nights, and some closures."""
    from django.db import transaction
    from django.utils import timezone

    from hayat.facilities.models import Bed, Building, Maintenance, MaintenanceKind, MaintenanceStatus, Room, RoomType

    rng = random.Random(20270301)
    with transaction.atomic():
        buildings = [Building.objects.create(code=code, name=f"Building {code}") for code in "ABC"]
        types = [(RoomType.objects.create(name=name), beds, share) for name, beds, share in ROOM_TYPES]
        plan = [(room_type, beds) for room_type, beds, share in types for _ in range(round(count * share))]
        rooms = Room.objects.bulk_create([
            Room(name=f"{index + 1:03d}", room_type=room_type, building=buildings[index % 3],
                 floor=1 + index // 40, capacity=beds, base_price=300000, hourly_rate=15000)
            for index, (room_type, beds) in enumerate(plan[:count])])
        Bed.objects.bulk_create([Bed(room=room, number=str(number)) for room in rooms
                                 for number in range(1, room.capacity + 1)])
        stays, periods = [], []
        zone = timezone.get_default_timezone()
        for room in rooms:
            day = FIRST_DAY - timedelta(days=rng.randrange(10))
            while day < FIRST_DAY + timedelta(days=days + 10):
                day += timedelta(days=rng.choice([0, 0, 1, 2, 4]))
                nights = rng.randint(3, 14)
                stays.append(stay_model(room=room, start=day, end=day + timedelta(days=nights),
                                        guests=rng.randint(1, room.capacity)))
                day += timedelta(days=nights)
                if rng.random() < 0.08:
                    start = timezone.make_aware(datetime.combine(day, clock_time(10)), zone)
                    periods.append(Maintenance(room=room, kind=MaintenanceKind.CLEANING, start=start,
                                               end=start + timedelta(hours=rng.choice([3, 26, 50])),
                                               status=MaintenanceStatus.SCHEDULED))
                    day += timedelta(days=3)
        stay_model.objects.bulk_create(stays, batch_size=2000)
        Maintenance.objects.bulk_create(periods, batch_size=2000)
    print(f"   {len(rooms)} rooms, {Bed.objects.count()} beds, {len(stays)} bookings, {len(periods)} closures")


def reference_matrix(start_date: date, end_date: date, stay_model) -> dict:
    """get_room_type_availability() of the reference document, on Hayat's models, loop for loop."""
    from hayat.facilities.models import Room, RoomType

    availability = {}
    room_types = RoomType.objects.all()
    for room_type in room_types:
        availability[room_type.name] = {}
        for day in date_range(start_date, end_date):
            day_start = datetime.combine(day, clock_time.min)
            day_end = datetime.combine(day, clock_time.max)
            available_count = get_available_rooms(day_start, day_end, stay_model).filter(room_type=room_type).count()
            total_count = Room.objects.filter(room_type=room_type, is_active=True).count()
            availability[room_type.name][day] = {
                "available": available_count,
                "total": total_count,
                "percentage": (available_count / total_count * 100) if total_count > 0 else 0,
            }
    return availability


def date_range(start_date: date, end_date: date):
    day = start_date
    while day < end_date:
        yield day
        day += timedelta(days=1)


def get_available_rooms(start: datetime, end: datetime, stay_model):
    """Rooms with no overlapping booking and no open maintenance (the reference's version with maintenance)."""
    from django.utils import timezone

    from hayat.facilities.models import BLOCKING_STATUSES, Maintenance, Room

    zone = timezone.get_default_timezone()
    occupied_room_ids = stay_model.objects.filter(
        start__lt=end.date() + timedelta(days=1), end__gt=start.date()).values_list("room_id", flat=True).distinct()
    available_rooms = Room.objects.filter(is_active=True).exclude(id__in=occupied_room_ids)
    maintenance_room_ids = Maintenance.objects.filter(
        status__in=BLOCKING_STATUSES, start__lt=timezone.make_aware(end, zone),
        end__gt=timezone.make_aware(start, zone)).values_list("room_id", flat=True)
    return available_rooms.exclude(id__in=maintenance_room_ids)


def measure(function, repeat: int) -> tuple[float, int]:
    """Median wall time of `repeat` runs after one warm-up, and the queries one run takes."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    function()
    with CaptureQueriesContext(connection) as queries:
        function()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), len(queries)


if __name__ == "__main__":
    main()
