"""Planning a full house: 300 guests × 20 sessions over 14 days in 40 treatment rooms with 60 therapists, by the
planner the "Plan every session" action runs (hayat/treatment/planner.py, over in-memory slots). Prints the time,
the sessions placed and left out, and the load average (a busy machine inflates the figure); asserts nothing.

    python bench/treatment.py
    python bench/treatment.py --guests 600 --rounds 5

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--guests", type=int, default=300)
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--days", type=int, default=14)
    parser.add_argument("--rooms", type=int, default=40)
    parser.add_argument("--therapists", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
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
