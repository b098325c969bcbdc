"""Charge policies: the units bed time (and any use charged by time) costs, probed at the edges."""

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from hayat.billing import accrual
from hayat.core.charging import ChargePolicy, ChargeUnit, charged_units, units_for

START = timezone.make_aware(datetime(2026, 11, 21, 9, 0))
HOUR = timedelta(hours=1)
HOURLY = ChargePolicy()
HALF_DAYS_WITH_GRACE = ChargePolicy(unit=ChargeUnit.HALF_DAY, minimum_units=1, grace_minutes=180)


@pytest.mark.parametrize(("elapsed", "units"), [
    (timedelta(0), 0), (timedelta(microseconds=1), 1), (timedelta(minutes=59, seconds=59), 1), (HOUR, 1),
    (HOUR + timedelta(seconds=1), 2), (timedelta(hours=10), 10), (timedelta(hours=23, minutes=1), 24),
])
def test_every_started_hour_counts_whole(elapsed, units):
    assert units_for(HOURLY, elapsed) == units


def test_24_hours_20_minutes_with_a_3_hour_grace_on_12_hour_units_is_two_units():
    assert units_for(HALF_DAYS_WITH_GRACE, timedelta(hours=24, minutes=20)) == 2
    assert units_for(HALF_DAYS_WITH_GRACE, timedelta(hours=27)) == 2
    assert units_for(HALF_DAYS_WITH_GRACE, timedelta(hours=27, seconds=1)) == 3


def test_a_discharge_within_the_grace_period_adds_no_unit():
    assert units_for(HALF_DAYS_WITH_GRACE, timedelta(hours=14, minutes=59)) == 1
    assert units_for(HALF_DAYS_WITH_GRACE, timedelta(minutes=30)) == 1  # the minimum, once used at all


def test_a_transfer_mid_unit_does_not_charge_the_unit_twice():
    """Ten and a half hours in the first bed, five in the second: 16 started hours, as in one bed."""
    first = charged_units(HOURLY, timedelta(hours=10, minutes=30))
    second = charged_units(HOURLY, timedelta(hours=5), offset=timedelta(hours=10, minutes=30))
    assert (first, second) == (11, 5) and first + second == units_for(HOURLY, timedelta(hours=15, minutes=30))


def test_free_first_minutes_and_minimum_units():
    policy = ChargePolicy(unit=ChargeUnit.DAY, minimum_units=2, free_minutes=60)
    assert units_for(policy, timedelta(minutes=60)) == 0
    assert units_for(policy, timedelta(minutes=61)) == 2
    assert units_for(policy, timedelta(days=3, minutes=61)) == 4


def test_a_minute_policy_counts_minutes():
    assert units_for(ChargePolicy(unit=ChargeUnit.MINUTE), timedelta(minutes=3, seconds=20)) == 4


def test_the_worker_interval_comes_from_settings_and_prices_nothing(settings):
    settings.HAYAT_BED_TIME_INTERVAL_MINUTES = 1
    assert accrual.interval() == timedelta(minutes=1)
    figures = accrual.bed_time(started_at=START, ended_at=None, rate=Decimal("10000"), at=START + timedelta(minutes=3))
    assert figures.units == 1  # an hour's unit, whatever the worker's interval
    settings.HAYAT_BED_TIME_INTERVAL_MINUTES = 0
    with pytest.raises(ValueError):
        accrual.interval()


def test_an_ended_assignment_is_final_and_stops_at_its_end():
    figures = accrual.bed_time(started_at=START, ended_at=START + timedelta(hours=2, minutes=5),
                               rate=Decimal("10000.00"), at=START + timedelta(days=3))
    assert (figures.units, figures.final, figures.amount) == (3, True, Decimal("30000.00"))


def test_an_open_assignment_counts_up_to_now():
    figures = accrual.bed_time(started_at=START, ended_at=None, rate=Decimal("12500.50"),
                               at=START + timedelta(minutes=61))
    assert (figures.units, figures.final, figures.amount) == (2, False, Decimal("25001.00"))


elapsed = st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=400))
policies = st.builds(
    lambda unit, minimum, grace, free: ChargePolicy(unit=unit, minimum_units=minimum,
                                                    grace_minutes=0 if unit == ChargeUnit.MINUTE else grace,
                                                    free_minutes=free),
    st.sampled_from(ChargeUnit.values), st.integers(0, 5), st.integers(0, 59), st.integers(0, 120))


@given(policies, elapsed, elapsed)
def test_units_never_shrink_as_time_passes(policy, first, extra):
    assert units_for(policy, first + extra) >= units_for(policy, first)


@given(policies, elapsed, elapsed)
def test_a_transfer_charges_exactly_what_one_bed_would(policy, before, after):
    assert charged_units(policy, before) + charged_units(policy, after, offset=before) == \
        units_for(policy, before + after)


@given(elapsed)
def test_started_hours_cover_the_time_and_no_more(span):
    units = units_for(HOURLY, span)
    assert units * HOUR >= span
    assert (units - 1) * HOUR < span or units <= 1


@given(st.integers(min_value=0, max_value=10**6), st.decimals(min_value=0, max_value=10**7, places=2))
def test_charges_are_exact_cents(units, rate):
    amount = accrual.charge(units, rate)
    assert amount == Decimal(units) * rate
    assert amount.as_tuple().exponent == -2
