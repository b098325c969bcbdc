"""Each report's figures on the small world of world.py, checked by hand."""

from datetime import date
from decimal import Decimal

import pytest

from hayat.reports.filters import Filters
from hayat.reports.kinds import bookings, clinical, money, patients
from hayat.reports.tests import world

pytestmark = pytest.mark.django_db

NOVEMBER = Filters(start=date(2026, 11, 1), end=date(2026, 12, 1))


@pytest.fixture
def built(clock):
    return world.build(clock)


def by_label(table):
    return {row[0]: row[1:] for row in table.rows}


def test_midnight_census_counts_a_patient_moved_at_23_30_once(built):
    table = clinical.census(Filters(start=date(2026, 11, 9), end=date(2026, 11, 15)))
    days = by_label(table)
    assert days[date(2026, 11, 9)] == (0, 0, 0, 0)
    assert days[date(2026, 11, 10)] == (1, 0, 0, 1)
    assert days[date(2026, 11, 11)] == (0, 0, 0, 1)
    assert days[date(2026, 11, 12)] == (0, 0, 1, 1)  # moved at 23:30: one transfer, one patient at midnight
    assert days[date(2026, 11, 13)] == (0, 1, 0, 0)  # discharged at 10:00


def test_length_of_stay_of_episodes_and_stays(built):
    rows = by_label(clinical.length_of_stay(NOVEMBER))
    # Dan: 10 Nov 14:00 to 13 Nov 10:00 is 2 days 20 hours
    assert rows["Internal Medicine"] == (1, 2.8, 2.8)
    assert "Sanatorium stays" not in rows  # Ann's booking is confirmed, never checked in


def test_case_mix_and_top_codes(built):
    assert by_label(clinical.case_mix(NOVEMBER)) == {"10": (1, 2.8)}
    assert clinical.top_codes(NOVEMBER).rows == [("J18.9", "Pneumonia, unspecified organism", 1)]


def test_payments_by_method_takes_the_refund_off_cash(built):
    rows = by_label(money.payments_by_method(NOVEMBER))
    assert rows["Cash"] == (2, Decimal("100000"), Decimal("0"), Decimal("30000"), Decimal("70000"))
    assert rows["Card"] == (0, Decimal("0"), Decimal("0"), Decimal("0"), Decimal("0"))


def test_outstanding_balances_by_days_overdue(built):
    rows = by_label(money.outstanding(NOVEMBER))
    # Ann's bill: 3 nights × 200 000, 70 000 kept: 530 000 owed, due on departure 13 Nov, 8 days before 21 Nov
    assert rows["0–30 days"][0] >= 1
    assert rows["0–30 days"][1] >= Decimal("530000")
    assert rows["Over 90 days"] == (0, Decimal("0"))


def test_room_types_count_nights_revenue_cancellations_and_no_shows(built):
    rows = by_label(bookings.room_type_performance(NOVEMBER))
    standard, lux = rows["Standard"], rows["Lux"]
    # bookings, nights, revenue, rate, revenue per available place (4 places × 30 days), occupancy, cancelled, no-show
    assert standard == (1, 3, Decimal("600000"), Decimal("200000.00"), Decimal("5000.00"), 2.5, 0, 0)
    assert lux[:3] == (0, 0, Decimal("0")) and lux[-2:] == (1, 1)


def test_cancellations_rates_and_lead_time(built):
    table = bookings.cancellations(Filters(start=date(2026, 11, 9), end=date(2026, 11, 16), grain="week"))
    # Ann (10th), Ben (11th, cancelled on 5 Nov: 6 days ahead), Cid (14th, no-show)
    assert table.rows == [(date(2026, 11, 9), 3, 1, 1, 0, 33.3, 33.3, 6.0)]
    assert bookings.cancel_reasons(NOVEMBER).rows == [("Illness", 1)]


def test_sources(built):
    rows = by_label(bookings.sources(NOVEMBER))
    assert rows == {"Walk-in": (1, 0, 0, 0, 0, 0.0), "Phone": (1, 0, 1, 0, 0, 0.0),
                    "Website": (1, 0, 0, 1, 0, 0.0)}


def test_people_count_inpatients_by_age_and_gender(built):
    table = patients.age_and_gender(NOVEMBER)
    assert sum(row[-1] for row in table.rows) == 1  # Dan, the only one who came (Ann was never checked in)
    assert patients.new_and_returning(NOVEMBER).rows[0][1:] == (0, 0, 0)
