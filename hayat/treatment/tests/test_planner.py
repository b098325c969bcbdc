"""The planner over in-memory data: rooms, therapists, closed hours, the guest's own time, frequency, day parts."""

from datetime import date, time, timedelta

from hayat.treatment import planner
from hayat.treatment.planner import Cabinet, Need, Placed, Therapist, Timetable, slot_of

MONDAY = date(2026, 11, 23)
MASSAGE, POOL, MUD = 1, 2, 3


def hours(start: str = "08:00", end: str = "18:00", *, breaks=()) -> dict[int, bytes]:
    work = {day: [(slot_of(time.fromisoformat(start)), slot_of(time.fromisoformat(end)))] for day in range(7)}
    pauses = {day: [(slot_of(time.fromisoformat(a)), slot_of(time.fromisoformat(b))) for a, b in breaks]
              for day in range(7)}
    return planner.weekly(work, pauses)


def cabinet(id=1, *, capacity=1, buffer=0, services=(MASSAGE,), **kwargs) -> Cabinet:
    return Cabinet(id, capacity, buffer, frozenset(services), hours(**kwargs))


def therapist(id=1, *, services=(MASSAGE,), **kwargs) -> Therapist:
    return Therapist(id, frozenset(services), hours(**kwargs))


def need(key=1, *, patient=1, service=MASSAGE, minutes=30, sessions=1, days=1, **kwargs) -> Need:
    return Need(key, patient, service, minutes, sessions, MONDAY, MONDAY + timedelta(days=days - 1), **kwargs)


def at(placement) -> tuple[date, time]:
    return placement.placed.day, planner.time_of(placement.placed.start)


def test_it_places_a_session_at_the_first_free_time_of_a_room_and_therapist():
    result = planner.plan([need()], Timetable(cabinets=[cabinet()], therapists=[therapist()]))
    assert [at(placement) for placement in result.placements] == [(MONDAY, time(8, 0))]
    assert result.placements[0].placed.therapist_id == 1 and not result.unplaced


def test_a_room_for_one_takes_guests_one_after_the_other_with_its_buffer():
    timetable = Timetable(cabinets=[cabinet(buffer=10)], therapists=[])
    result = planner.plan([need(1, patient=1), need(2, patient=2)], timetable)
    assert [at(placement)[1] for placement in result.placements] == [time(8, 0), time(8, 40)]


def test_a_pool_takes_ten_guests_at_once_and_the_eleventh_later():
    timetable = Timetable(cabinets=[cabinet(capacity=10, services=(POOL,))], therapists=[])
    result = planner.plan([need(key, patient=key, service=POOL) for key in range(1, 12)], timetable)
    starts = [at(placement)[1] for placement in result.placements]
    assert starts.count(time(8, 0)) == 10 and starts[-1] == time(8, 30)


def test_a_guest_is_never_in_two_places_at_once():
    timetable = Timetable(cabinets=[cabinet(1), cabinet(2, services=(POOL,), capacity=10)], therapists=[])
    result = planner.plan([need(1, service=MASSAGE), need(2, service=POOL)], timetable)
    times = sorted(at(placement)[1] for placement in result.placements)
    assert times == [time(8, 0), time(8, 30)]


def test_closed_hours_breaks_and_the_therapists_hours_are_kept():
    closed = [(slot_of(time(8, 0)), slot_of(time(9, 0)))]
    timetable = Timetable(cabinets=[cabinet(breaks=[("09:00", "10:00")])],
                          therapists=[therapist(start="10:15", end="18:00")], closed=closed)
    result = planner.plan([need()], timetable)
    assert at(result.placements[0])[1] == time(10, 15)


def test_a_session_needs_a_therapist_who_gives_that_service():
    timetable = Timetable(cabinets=[cabinet(services=(MASSAGE, MUD))], therapists=[therapist(services=(MASSAGE,))])
    result = planner.plan([need(service=MUD)], timetable)
    assert result.placements[0].placed.therapist_id is None  # nobody gives mud: it needs nobody
    busy = Timetable(cabinets=[cabinet(1), cabinet(2)], therapists=[therapist()])
    result = planner.plan([need(1, patient=1), need(2, patient=2)], busy)
    assert [at(placement)[1] for placement in result.placements] == [time(8, 0), time(8, 30)]


def test_the_preferred_part_of_the_day_comes_first_then_any_time():
    timetable = Timetable(cabinets=[cabinet(start="08:00", end="13:00")], therapists=[])
    assert at(planner.plan([need(day_part="afternoon")], timetable).placements[0])[1] == time(12, 0)
    evening = planner.plan([need(2, patient=2, day_part="evening")], timetable)
    assert at(evening.placements[0])[1] == time(8, 0)


def test_daily_every_other_day_and_weekdays():
    timetable = Timetable(cabinets=[cabinet(capacity=10)], therapists=[])
    daily = planner.plan([need(1, patient=1, sessions=3, days=7)], timetable)
    assert [at(placement)[0].day for placement in daily.placements] == [23, 24, 25]
    other = planner.plan([need(2, patient=2, sessions=3, days=7, frequency="other")], timetable)
    assert [at(placement)[0].day for placement in other.placements] == [23, 25, 27]
    weekdays = planner.plan([need(3, patient=3, sessions=2, days=7, frequency="weekdays", weekdays=(1, 4))],
                            timetable)
    assert [at(placement)[0].weekday() for placement in weekdays.placements] == [1, 4]


def test_what_cannot_be_placed_is_listed_with_its_reason():
    timetable = Timetable(cabinets=[cabinet(start="08:00", end="08:30")], therapists=[])
    result = planner.plan([need(1, patient=1, sessions=5, days=3), need(2, service=MUD),
                           need(3, patient=3, sessions=2, days=2)], timetable)
    unplaced = {item.key: (item.sessions, item.reason) for item in result.unplaced}
    assert unplaced[1] == (2, planner.TOO_SHORT)
    assert unplaced[2] == (1, planner.NO_CABINET)
    assert unplaced[3] == (2, planner.NO_TIME)


def test_sessions_already_placed_and_the_present_moment_are_respected():
    taken = Placed(9, 1, None, MONDAY, slot_of(time(8, 0)), slot_of(time(9, 0)), slot_of(time(9, 0)))
    timetable = Timetable(cabinets=[cabinet()], therapists=[], placed=[taken])
    result = planner.plan([need(days=2, sessions=2)], timetable, earliest=(MONDAY, slot_of(time(11, 0))))
    assert [at(placement) for placement in result.placements] == [
        (MONDAY, time(11, 0)), (MONDAY + timedelta(days=1), time(8, 0))]


def test_a_move_is_refused_with_the_reason():
    taken = Placed(9, 1, 1, MONDAY, slot_of(time(8, 0)), slot_of(time(8, 30)), slot_of(time(8, 30)))
    timetable = Timetable(cabinets=[cabinet(), cabinet(2, start="12:00"), cabinet(3)], therapists=[therapist()],
                          closed=[(slot_of(time(13, 0)), slot_of(time(14, 0)))], placed=[taken])

    def refusal(cabinet_id, start, therapist_id=1, patient=1):
        session = Placed(patient, cabinet_id, therapist_id, MONDAY, slot_of(start), slot_of(start) + 6,
                         slot_of(start) + 6)
        return timetable.refusal(session=session, service_id=MASSAGE, needs_therapist=True)

    assert refusal(1, time(8, 0)) == planner.CABINET_FULL
    assert refusal(2, time(9, 0)) == planner.CABINET_CLOSED
    assert refusal(1, time(13, 0)) == planner.CLOSED
    assert refusal(2, time(12, 0), therapist_id=None) == planner.NO_THERAPIST
    assert refusal(3, time(8, 0), patient=9) == planner.GUEST_BUSY
    assert refusal(3, time(8, 0), patient=2) == planner.THERAPIST_BUSY
    assert refusal(2, time(12, 0)) is None
    assert refusal(1, time(8, 15), patient=2) == planner.CABINET_FULL


def test_days_that_hold_a_session_of_the_prescription_already_are_left_out():
    timetable = Timetable(cabinets=[cabinet(capacity=10)], therapists=[])
    daily = planner.plan([need(1, sessions=2, days=4, taken_days=frozenset({MONDAY}))], timetable)
    assert [at(placement)[0].day for placement in daily.placements] == [24, 25]
    other = planner.plan([need(2, patient=2, sessions=2, days=5, frequency="other",
                               taken_days=frozenset({MONDAY + timedelta(days=2)}))], timetable)
    assert [at(placement)[0].day for placement in other.placements] == [23, 27]
