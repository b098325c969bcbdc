"""Planning a full house: 300 guests × 20 sessions over 14 days in 40 treatment rooms with 60 therapists, by the
planner the "Plan every session" action runs (hayat/treatment/planner.py, over in-memory slots). Prints the time,
the sessions placed and left out, and the load average (a busy machine inflates the figure); asserts nothing.

    python bench/treatment.py
    python bench/treatment.py --guests 600 --rounds 5
    python bench/treatment.py --engines sqlite,postgresql   # the database service, see below

`--engines` times the services themselves on each database (a new one, bench/engines.py): the house is written (one
booking per guest, 4 prescriptions each), then the desk presses "Plan every stay" on the timetable
(`planning.plan_house`: one transaction, the bookings, rooms and therapists locked, the timetable read once, the
sessions written in bulk); `--per-stay` instead presses "Plan every session" on every stay in turn
(`planning.plan_stay`, each reading the whole house's timetable). Prints seconds and queries.

The house: 20 procedures of 20 to 45 minutes; each is given in two rooms (four of them pools for ten guests), rooms
open 08:00–19:00 with a buffer of 5 or 10 minutes, the hospital closed 13:00–15:00 (lunch and quiet hours); each
therapist gives 5 procedures, working 08:00–19:00 with a half-hour break. Each guest has 4 prescriptions of 5
sessions, daily, every other day or on given weekdays, in a preferred part of the day, over a 14-night stay.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hayat.treatment import planner  # noqa: E402

FIRST_DAY = date(2026, 12, 7)
PROCEDURES = 20
FREQUENCIES = ("daily", "other", "weekdays")
PARTS = ("any", "morning", "afternoon", "evening")


def slot(hours: int, minutes: int = 0) -> int:
    return (hours * 60 + minutes) // planner.SLOT_MINUTES


def week(*, breaks: list[tuple[int, int]] = ()) -> dict[int, bytes]:
    return planner.weekly({day: [(slot(8), slot(19))] for day in range(7)}, {day: list(breaks) for day in range(7)})


def house(rooms: int, therapists: int) -> tuple[list[planner.Cabinet], list[planner.Therapist]]:
    cabinets = [planner.Cabinet(index + 1, 10 if index % 10 == 0 else 1, 5 + 5 * (index % 2),
                                frozenset({index % PROCEDURES}), week()) for index in range(rooms)]
    staff = [planner.Therapist(index + 1, frozenset((index + step) % PROCEDURES for step in range(5)),
                               week(breaks=[(slot(11 + index % 3), slot(11 + index % 3, 30))]))
             for index in range(therapists)]
    return cabinets, staff


def needs(guests: int, sessions: int, days: int, rng: random.Random) -> list[planner.Need]:
    minutes = {procedure: rng.choice((20, 30, 30, 40, 45)) for procedure in range(PROCEDURES)}
    result = []
    for guest in range(guests):
        for number, procedure in enumerate(rng.sample(range(PROCEDURES), 4)):
            frequency = rng.choice(FREQUENCIES)
            weekdays = tuple(sorted(rng.sample(range(7), 4))) if frequency == "weekdays" else ()
            result.append(planner.Need(guest * 10 + number, guest, procedure, minutes[procedure], sessions // 4,
                                       FIRST_DAY, FIRST_DAY + timedelta(days=days - 1), frequency, weekdays,
                                       rng.choice(PARTS)))
    return result


def one_round(args, seed: int) -> tuple[float, int, int]:
    cabinets, staff = house(args.rooms, args.therapists)
    timetable = planner.Timetable(cabinets=cabinets, therapists=staff, closed=[(slot(13), slot(15))])
    wanted = needs(args.guests, args.sessions, args.days, random.Random(seed))
    started = time.perf_counter()
    plan = planner.plan(wanted, timetable)
    elapsed = time.perf_counter() - started
    return elapsed, len(plan.placements), sum(item.sessions for item in plan.unplaced)


def write_house(args, rng: random.Random):
    """The house in the database, through the resources' services; the stays and prescriptions in bulk."""
    from datetime import time as clock_time

    from hayat.accounts.tests.factories import UserFactory
    from hayat.core.roles import Role
    from hayat.stays.models import Booking, BookingStatus, GuestLine
    from hayat.stays.tests.factories import PatientFactory, make_room, make_tariff
    from hayat.stays.tests.stay_factories import make_service
    from hayat.treatment.models import ClosedHours, Prescription
    from hayat.treatment.tests.factories import make_cabinet, make_therapist

    admin, desk = UserFactory(role=Role.ADMIN), UserFactory(role=Role.RECEPTIONIST)
    services = [make_service(f"Procedure {index}", price="50000") for index in range(PROCEDURES)]
    for service in services:
        service.duration_minutes = rng.choice((20, 30, 30, 40, 45))
        service.save(update_fields=["duration_minutes"])
    for index in range(args.rooms):
        make_cabinet(admin, f"Room {index}", [services[index % PROCEDURES]], capacity=10 if index % 10 == 0 else 1,
                     buffer=5 + 5 * (index % 2), starts=clock_time(8), ends=clock_time(19))
    for index in range(args.therapists):
        make_therapist(admin, UserFactory(role=Role.NURSE),
                       [services[(index + step) % PROCEDURES] for step in range(5)],
                       starts=clock_time(8), ends=clock_time(19))
    ClosedHours.objects.create(name="Lunch and quiet hours", starts=clock_time(13), ends=clock_time(15))
    tariff, end = make_tariff("Course", prices={"Standard": "300000"}), FIRST_DAY + timedelta(days=args.days)
    bookings = Booking.objects.bulk_create([
        Booking(number=f"BENCH-{guest:05d}", start_date=FIRST_DAY, end_date=end, status=BookingStatus.CONFIRMED)
        for guest in range(args.guests)])
    patients = [PatientFactory() for _ in range(args.guests)]
    rooms = [make_room(f"G{index}", beds=2) for index in range((args.guests + 1) // 2)]
    GuestLine.objects.bulk_create([
        GuestLine(booking=booking, patient=patients[index], room=rooms[index // 2], tariff=tariff,
                  start_date=FIRST_DAY, end_date=end, price_per_day=300000) for index, booking in enumerate(bookings)])
    Prescription.objects.bulk_create([
        Prescription(booking=booking, patient=patient, service=services[need.service_id], count=need.sessions,
                     frequency=need.frequency, weekdays="".join(map(str, need.weekdays)), day_part=need.day_part,
                     prescribed_by=admin)
        for need in needs(args.guests, args.sessions, args.days, rng)
        for booking, patient in [(bookings[need.patient_id], patients[need.patient_id])]])
    return desk, bookings


def database_child(args) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hayat.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from hayat.treatment import planning

    call_command("migrate", verbosity=0)
    desk, bookings = write_house(args, random.Random(0))
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        if args.per_stay:
            reports = [planning.plan_stay(by=desk, booking=booking) for booking in bookings]
        else:
            reports = [planning.plan_house(by=desk)[1]]
        elapsed = time.perf_counter() - started
    placed = sum(report.placed for report in reports)
    left = sum(item.sessions for report in reports for item in report.not_placed)
    how = "each stay planned in turn" if args.per_stay else "the house planned at once"
    print(f"{args.child}: {args.guests} stays, {how}: {elapsed:.2f} s, {len(queries)} queries; placed {placed}, "
          f"left out {left}; load average {os.getloadavg()[0]:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--guests", type=int, default=300)
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--days", type=int, default=14)
    parser.add_argument("--rooms", type=int, default=40)
    parser.add_argument("--therapists", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--engines", help="time the database service on these engines: sqlite,postgresql,mysql")
    parser.add_argument("--per-stay", action="store_true", help="with --engines: plan each stay in turn")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return database_child(args)
    if args.engines:
        from engines import run_children

        passed = [f"--{name}={getattr(args, name)}" for name in ("guests", "sessions", "days", "rooms", "therapists")]
        passed += ["--per-stay"] if args.per_stay else []
        return run_children(__file__, args.engines, database="hayat_bench_treatment", arguments=passed)
    results = [one_round(args, seed) for seed in range(args.rounds)]
    times = [elapsed for elapsed, _, _ in results]
    _, placed, left = results[0]
    print(f"{args.guests} guests × {args.sessions} sessions over {args.days} days, {args.rooms} rooms, "
          f"{args.therapists} therapists")
    print(f"planned in {statistics.median(times):.2f} s (median of {args.rounds}; "
          f"{min(times):.2f}–{max(times):.2f} s); placed {placed}, left out {left}")
    print(f"load average {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
