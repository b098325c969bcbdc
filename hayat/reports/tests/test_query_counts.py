"""Every report reads with the same few queries whatever the size of the hospital."""

from datetime import date, timedelta

import pytest

from hayat.accounts.tests.factories import UserFactory
from hayat.billing.tests import factories as billing
from hayat.core.roles import Role
from hayat.patients.tests.factories import PatientFactory
from hayat.reports.filters import Filters
from hayat.reports.kinds import ALL
from hayat.reports.tests import world
from hayat.stays.tests.factories import book, make_room, make_tariff

pytestmark = pytest.mark.django_db
MOST_QUERIES = 6
FILTERS = Filters(start=date(2026, 10, 1), end=date(2026, 12, 1), grain="week")


def grow(clock) -> None:
    """Ten more stays in five more rooms and twelve more inpatients."""
    desk = UserFactory(role=Role.RECEPTIONIST)
    moment = clock.now()
    clock.set(moment - timedelta(days=60))  # booked in advance
    tariff = make_tariff("More", prices={"Standard": "150000"})
    rooms = [make_room(f"5{number:02d}", beds=1) for number in range(5)]
    for index in range(10):
        room = rooms[index // 2]
        book(desk, guests=[(PatientFactory(), room, tariff)], start=date(2026, 10, 1) + timedelta(days=4 * index),
             nights=3)
    clock.set(moment)
    billing.admitted_in_bulk(12, by=UserFactory(role=Role.DOCTOR), started_at=world.at(18, 8), prefix="Q")


@pytest.mark.parametrize("report", ALL, ids=[report.slug for report in ALL])
def test_a_report_reads_with_a_constant_number_of_queries(report, clock, django_assert_max_num_queries):
    world.build(clock)
    with django_assert_max_num_queries(MOST_QUERIES):
        small = report.read(FILTERS)
    grow(clock)
    with django_assert_max_num_queries(MOST_QUERIES):
        big = report.read(FILTERS)
    assert len(big.rows) >= len(small.rows)
