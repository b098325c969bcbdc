"""Included sessions of a stay: a package for the whole course, a prorated share of it for a shorter stay, or a
number per day."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hayat.catalog.courses import MOST_SESSIONS, included_sessions, is_shorter_than_course
from hayat.catalog.models import SessionBasis

PACKAGE, PER_DAY = SessionBasis.PACKAGE, SessionBasis.PER_DAY

sessions = st.integers(min_value=1, max_value=500)
lengths = st.integers(min_value=1, max_value=365)
days = st.integers(min_value=0, max_value=400)


@pytest.mark.parametrize(("count", "length", "nights", "expected"), [
    (36, 14, 2, 5), (36, 14, 7, 18), (36, 14, 14, 36), (36, 14, 21, 36), (10, 10, 1, 1), (1, 14, 3, 0),
    (1, 14, 7, 1), (8, 10, 0, 0),
])
def test_a_package_gives_a_shorter_stay_its_share_rounded_half_up(count, length, nights, expected):
    assert included_sessions(sessions=count, basis=PACKAGE, length_days=length, days=nights) == expected


def test_a_package_of_no_set_length_is_whole_for_any_stay():
    assert included_sessions(sessions=36, basis=PACKAGE, length_days=None, days=2) == 36


def test_per_day_sessions_count_every_night():
    assert included_sessions(sessions=2, basis=PER_DAY, length_days=14, days=7) == 14
    assert included_sessions(sessions=2, basis=PER_DAY, length_days=None, days=30) == 60


@given(count=sessions, length=lengths, nights=days)
def test_a_package_never_gives_more_than_it_holds_and_all_of_it_for_the_whole_course(count, length, nights):
    share = included_sessions(sessions=count, basis=PACKAGE, length_days=length, days=nights)
    assert 0 <= share <= count
    assert (share == count) if nights >= length else abs(share - count * nights / length) <= 0.5


@given(count=sessions, length=lengths, nights=days)
def test_a_longer_stay_never_gets_fewer_sessions(count, length, nights):
    for basis in (PACKAGE, PER_DAY):
        shorter = included_sessions(sessions=count, basis=basis, length_days=length, days=nights)
        assert included_sessions(sessions=count, basis=basis, length_days=length, days=nights + 1) >= shorter


@given(count=sessions, nights=st.integers(min_value=0, max_value=10_000))
def test_per_day_sessions_stay_within_what_the_column_keeps(count, nights):
    assert included_sessions(sessions=count, basis=PER_DAY, length_days=None, days=nights) == min(
        count * nights, MOST_SESSIONS)


def test_a_stay_is_shorter_than_the_course_only_when_the_tariff_has_a_length():
    assert is_shorter_than_course(length_days=14, days=7)
    assert not is_shorter_than_course(length_days=14, days=14)
    assert not is_shorter_than_course(length_days=None, days=1)
