from datetime import date
from decimal import Decimal

import pytest

from hayat.reports.filters import Filters, Grain
from hayat.reports.kinds import occupancy, revenue
from hayat.reports.tests import world

pytestmark = pytest.mark.django_db

NOV = date(2026, 11, 1)


def rows_by_day(table):
    return {row[0]: row[1:] for row in table.rows}


def test_occupancy_counts_stays_beds_and_rooms_under_repair(clock):
    world.build(clock)
    table = occupancy.read(Filters(start=date(2026, 11, 9), end=date(2026, 11, 15)))
    days = rows_by_day(table)
    # 7 places: 101 (2), 102 (2), 201 (1), ward room 301 (2)
    assert days[date(2026, 11, 9)] == (7, 0, 7, 0, 0.0)
    # Ann in 101; Dan in bed 1 of 301 from 14:00
    assert days[date(2026, 11, 10)] == (7, 0, 7, 2, 28.6)
    # Ann; 102 closed for repair; Dan
    assert days[date(2026, 11, 11)] == (7, 2, 5, 2, 40.0)
    # Ann's last night; 102 still closed until 08:00; Dan in bed 1, then bed 2 from 23:30: two beds touched
    assert days[date(2026, 11, 12)] == (7, 2, 5, 3, 60.0)
    # Ann left; Dan in bed 2 until 10:00
    assert days[date(2026, 11, 13)] == (7, 0, 7, 1, 14.3)
    assert days[date(2026, 11, 14)] == (7, 0, 7, 0, 0.0)
    assert table.total == ("Total", 42, 4, 38, 8, 21.1)


def test_occupancy_by_room_type_and_by_week(clock):
    world.build(clock)
    from hayat.facilities.models import RoomType

    standard = RoomType.objects.get(name="Standard")
    table = occupancy.read(Filters(start=date(2026, 11, 9), end=date(2026, 11, 16), grain=Grain.WEEK,
                                   room_type=standard))
    assert table.rows == [(date(2026, 11, 9), 28, 4, 24, 3, 12.5)]  # Ann's three nights


def test_revenue_counts_money_on_the_hospital_day_and_takes_refunds_off(clock):
    world.build(clock)
    table = revenue.read(Filters(start=date(2026, 11, 10), end=date(2026, 11, 13)))
    days = rows_by_day(table)
    # paid at 00:30 on 11 Nov in Tashkent: 19:30 on 10 Nov in UTC, counted on the 11th
    assert days[date(2026, 11, 10)][1:] == (Decimal("0"), Decimal("0"), Decimal("0"), Decimal("0"))
    assert days[date(2026, 11, 11)][1:] == (Decimal("100000"), Decimal("0"), Decimal("0"), Decimal("100000"))
    assert days[date(2026, 11, 12)][1:] == (Decimal("0"), Decimal("0"), Decimal("30000"), Decimal("-30000"))
    assert table.total[-1] == Decimal("70000")
