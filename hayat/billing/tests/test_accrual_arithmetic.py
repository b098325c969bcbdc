"""Bed-time arithmetic: started periods and their price, probed at the edges."""

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from hayat.billing import accrual

START = timezone.make_aware(datetime(2026, 11, 21, 9, 0))
HOUR = timedelta(hours=1)


@pytest.mark.parametrize(("elapsed", "periods"), [
    (timedelta(0), 0), (timedelta(microseconds=1), 1), (timedelta(minutes=59, seconds=59), 1), (HOUR, 1),
    (HOUR + timedelta(seconds=1), 2), (timedelta(hours=10), 10), (timedelta(hours=23, minutes=1), 24),
])
def test_every_started_hour_counts_whole(elapsed, periods):
    assert accrual.started_periods(START, START + elapsed, length=HOUR) == periods


def test_nothing_is_owed_before_the_start():
    assert accrual.started_periods(START, START - HOUR, length=HOUR) == 0


def test_the_interval_comes_from_settings(settings):
    settings.HAYAT_BED_TIME_INTERVAL_MINUTES = 1
    assert accrual.started_periods(START, START + timedelta(minutes=2, seconds=1)) == 3
    settings.HAYAT_BED_TIME_INTERVAL_MINUTES = 60
    assert accrual.started_periods(START, START + timedelta(minutes=2, seconds=1)) == 1


def test_an_interval_below_a_minute_is_refused(settings):
    settings.HAYAT_BED_TIME_INTERVAL_MINUTES = 0
    with pytest.raises(ValueError):
        accrual.period()


def test_an_ended_assignment_is_final_and_stops_at_its_end():
    figures = accrual.bed_time(started_at=START, ended_at=START + timedelta(hours=2, minutes=5),
                               rate=Decimal("10000.00"), at=START + timedelta(days=3))
    assert (figures.periods, figures.final, figures.amount) == (3, True, Decimal("30000.00"))


def test_an_open_assignment_counts_up_to_now():
    figures = accrual.bed_time(started_at=START, ended_at=None, rate=Decimal("12500.50"),
                               at=START + timedelta(minutes=61))
    assert (figures.periods, figures.final, figures.amount) == (2, False, Decimal("25001.00"))


elapsed = st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=400))
lengths = st.integers(min_value=1, max_value=240).map(lambda minutes: timedelta(minutes=minutes))


@given(elapsed, lengths)
def test_started_periods_cover_the_time_and_no_more(span, length):
    periods = accrual.started_periods(START, START + span, length=length)
    assert periods * length >= span
    assert (periods - 1) * length < span or periods == 0


@given(elapsed, elapsed, lengths)
def test_periods_never_shrink_as_time_passes(first, extra, length):
    assert accrual.started_periods(START, START + first + extra, length=length) >= \
        accrual.started_periods(START, START + first, length=length)


@given(elapsed, elapsed, lengths)
def test_a_transfer_bills_at_most_one_extra_period(before, after, length):
    """Two assignments back to back each round their last period up: together at most one more than one
    assignment over the same time would."""
    split = START + before
    together = accrual.started_periods(START, split + after, length=length)
    apart = (accrual.started_periods(START, split, length=length)
             + accrual.started_periods(split, split + after, length=length))
    assert together <= apart <= together + 1


@given(st.integers(min_value=0, max_value=10**6), st.decimals(min_value=0, max_value=10**7, places=2))
def test_charges_are_exact_cents(periods, rate):
    amount = accrual.charge(periods, rate)
    assert amount == Decimal(periods) * rate
    assert amount.as_tuple().exponent == -2
