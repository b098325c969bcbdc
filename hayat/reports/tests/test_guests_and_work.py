"""The figures of the reports of guests, the laboratory, sessions and charges on a day of the small world
(world.py, `build_day`), checked by hand."""

from datetime import date
from decimal import Decimal

import pytest

from hayat.reports import periods
from hayat.reports.filters import Filters, Grain
from hayat.reports.kinds import bookings, clinical, money, patients
from hayat.reports.tests import world

pytestmark = pytest.mark.django_db

NOVEMBER = Filters(start=date(2026, 11, 1), end=date(2026, 12, 1))


@pytest.fixture
def day(clock):
    return world.build_day(clock)


def test_seasons_count_the_guests_who_came_month_by_year(day):
    table = bookings.seasons(Filters(start=date(2025, 12, 1), end=date(2027, 1, 1)))
    assert [column.label for column in table.columns[1:]] == ["2025", "2026"]
    months = {row[0]: row[1:] for row in table.rows}
    assert months[periods.month_name(10)] == (0, 1)  # Eve's October stay
    assert months[periods.month_name(11)] == (0, 2)  # Gus, and Eve back (Ann never came, Fay not yet)
    assert months[periods.month_name(12)] == (0, 0)
    assert sum(sum(row[1:]) for row in table.rows) == 3


def test_regions_and_districts_of_guests_and_patients(day):
    # Gus and Dan from Chilonzor, Eve from Yunusobod; Ian, Hal and Kim without an address
    assert patients.regions(NOVEMBER).rows == [("–", "–", 3), ("Tashkent", "Chilonzor", 2),
                                               ("Tashkent", "Yunusobod", 1)]


def test_age_bands_and_gender_on_the_first_day(day):
    rows = {row[0]: row[1:] for row in patients.age_and_gender(NOVEMBER).rows}
    # Hal 16; Eve 36; Ian 46; Gus 66; Dan 76 and Kim 86 on 1 Nov
    assert rows == {"0–17": (1, 0, 0, 1), "18–29": (0, 0, 0, 0), "30–44": (0, 1, 0, 1), "45–59": (1, 0, 0, 1),
                    "60–74": (1, 0, 0, 1), "75+": (1, 1, 0, 2), "Age unknown": ("", "", "", 0)}


def test_new_and_returning_guests(day):
    table = patients.new_and_returning(Filters(start=date(2026, 11, 1), end=date(2026, 12, 1), grain=Grain.MONTH))
    assert table.rows == [(date(2026, 11, 1), 2, 1, 1)]  # Gus new, Eve back after October


def test_lab_workload_by_test_and_by_performer(day):
    assert clinical.lab_by_test(NOVEMBER).rows == [("Blood count", 2, 1), ("Glucose", 1, 1)]
    assert clinical.lab_by_performer(NOVEMBER).rows == [("Nora Nurse", 2, 1), ("Dora Doctor", 1, 1)]


def test_sessions_delivered_by_service_and_therapist(day):
    # two massages of the five included (nothing to bill), a sauna as an extra at 40 000
    assert clinical.sessions(NOVEMBER).rows == [("Massage", "Nora Nurse", 2, 0, 0),
                                                ("Sauna", "Nora Nurse", 0, 1, Decimal("40000"))]


def test_charges_by_kind_of_line(day):
    found = money.charges_by_kind(NOVEMBER).rows
    rows = {row[0]: row[2:] for row in found}
    assert [row[1] for row in found if row[0] == "Service"] == ["Procedures"]  # the sauna's service type
    # nights: Ann 3 × 200 000, Gus 3 × 250 000, Eve 3 × 200 000, Fay 2 × 500 000 (Ben's and Cid's bills are void)
    assert rows["Tariff"] == (4, Decimal("2950000"))
    # at 10 000 an hour: Dan 67.5 hours charged as 68 (58 in bed 1, 10 in bed 2), Ian 47.5 as 48, Hal's line open at 0
    assert rows["Bed time"] == (4, Decimal("1160000"))
    assert rows["Service"] == (1, Decimal("40000"))  # Gus's sauna
    assert money.charges_by_kind(NOVEMBER).total[2:] == (9, Decimal("4150000"))
